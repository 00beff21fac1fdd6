// valuepact illustrate CONTRACT [--set key=value ...] [--out DIR]
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/contract/contract.h"
#include "valuepact/run/aggregate_runs.h"

namespace valuepact::cli {
namespace {

struct IllustrateArgs {
  std::string contract;
  std::string out;
  std::string refdata;
  std::vector<std::string> set;
};

int RunIllustrate(const IllustrateArgs& a) {
  run::InputPaths paths;
  paths.contract = a.contract;
  paths.refdata = a.refdata;
  auto r = run::IllustrateRun(paths, a.set);
  if (!r.ok()) return Fail(r.status());
  const Illustration* ill = &r->illustration;
  const Contract* k = &r->inputs->contract;
  namespace fs = std::filesystem;
  const fs::path dir = a.out.empty() ? fs::path(".") : fs::path(a.out);
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (const auto& [name, text] : {std::pair{"worked-example.md", &ill->markdown},
                                   std::pair{"worked-example.html", &ill->html}}) {
    std::ofstream f(dir / name, std::ios::binary);
    f << *text;
    f.close();
    if (!f) return Fail(IoError(fmt::format("{}: cannot write", (dir / name).string())));
  }
  std::printf("Worked example for '%s' (%zu scenario%s): %s, %s\n", k->id.c_str(),
              ill->scenario_names.size(), ill->scenario_names.size() == 1 ? "" : "s",
              (dir / "worked-example.md").string().c_str(),
              (dir / "worked-example.html").string().c_str());
  return 0;
}

const RegisterCommand kIllustrate(
    {"illustrate", 74, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "illustrate",
           "Write a worked example of exactly how the contract's payments are calculated "
           "(markdown and HTML), with plausible figures and the rule behind every step");
       cmd->footer(
           "--set takes example figures (benchmark_total, expenditure_total, "
           "assigned_beneficiaries,\n"
           "quality_score, quality_standard_met, elected_msr, participant_revenue_total, "
           "low_revenue,\n"
           "loss_reduction_fraction, member_months, performance_year, contract_year, ...) or\n"
           "methodology terms (sharing_rate, minimum_savings_rate, loss_cap, ...). Example:\n"
           "  valuepact illustrate examples/mssp-enhanced/contract.toml --set quality_score=0.85 "
           "--out /tmp/ex");
       auto a = std::make_shared<IllustrateArgs>();
       cmd->add_option("CONTRACT", a->contract, "contract TOML file")->required();
       cmd->add_option("--set", a->set, "an example figure or term, key=value (repeatable)");
       cmd->add_option("--out", a->out,
                       "folder for worked-example.md and worked-example.html (default: current "
                       "folder)");
       cmd->add_option(
           "--refdata", a->refdata,
           std::string("reference tables folder for the MSR bands ") + kRefdataDefaultHelp);
       cmd->callback([a] { SetExitCode(RunIllustrate(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
