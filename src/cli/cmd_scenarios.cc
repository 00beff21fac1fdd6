// valuepact scenarios CONTRACT --input IN.csv --out OUT.csv
#include <cstdio>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/file_io.h"
#include "valuepact/run/aggregate_runs.h"
#include "valuepact/settlement/aggregate.h"

namespace valuepact::cli {
namespace {

struct ScenarioArgs {
  std::string contract;
  std::string input;
  std::string out;
  std::string refdata;
  std::vector<std::string> set;
};

int RunScenariosCommand(const ScenarioArgs& a) {
  run::InputPaths paths;
  paths.contract = a.contract;
  paths.refdata = a.refdata;
  auto r = run::ScenariosRun(paths, a.input, a.set);
  if (!r.ok()) return Fail(r.status());
  const ScenarioReport* rep = &r->report;
  const Contract* k = &r->inputs->contract;
  std::ofstream f(a.out, std::ios::binary);
  f << rep->csv;
  f.close();
  if (!f) return Fail(IoError(fmt::format("{}: cannot write", a.out)));
  for (const auto& n : rep->notes) std::fprintf(stderr, "note: %s\n", n.c_str());
  std::printf("%lld scenario%s settled with contract '%s'%s; results in %s\n",
              static_cast<long long>(rep->rows - rep->failed_rows),
              rep->rows - rep->failed_rows == 1 ? "" : "s", k->id.c_str(),
              k->preset.empty() ? ""
                                : fmt::format(" (preset {}, PY{} unless a row says otherwise)",
                                              k->preset, k->performance_year)
                                      .c_str(),
              a.out.c_str());
  if (rep->failed_rows > 0) {
    std::fprintf(
        stderr, "valuepact: %lld row%s could not be settled; the 'note' column of %s says why\n",
        static_cast<long long>(rep->failed_rows), rep->failed_rows == 1 ? "" : "s", a.out.c_str());
    return 2;
  }
  return 0;
}

const RegisterCommand kScenarios(
    {"scenarios", 70, [](CLI::App& app) {
       auto* cmd =
           app.add_subcommand("scenarios",
                              "Settle a contract's shared savings/losses for rows of aggregate "
                              "inputs (no claims): one "
                              "output row per input row, through the same engine as settle");
       cmd->footer(
           "Input columns (any subset; others are ignored with a note):\n"
           "  id, performance_year, assigned_beneficiaries, benchmark_total, expenditure_total,\n"
           "  quality_score (0-1), quality_standard_met (0/1), alternative_quality_standard_met\n"
           "  (0/1), elected_msr (0, 0.005, 0.01, 0.015, 0.02 or variable), "
           "participant_revenue_total,\n"
           "  low_revenue (0/1), loss_reduction_fraction (0-1), contract_year, track_year,\n"
           "  member_months, benchmark_pmpm\n"
           "Output columns:\n"
           "  id, savings_rate, minimum_savings_rate, minimum_loss_rate, final_sharing_rate,\n"
           "  shared_loss_rate, earned_savings_losses (positive: the payer pays the provider;\n"
           "  negative: the provider owes), limit_applied, note (why a rule zeroed the result)\n"
           "Example:\n"
           "  valuepact scenarios examples/mssp-basic-e/contract.toml --input rows.csv --out "
           "out.csv");
       auto a = std::make_shared<ScenarioArgs>();
       cmd->add_option("CONTRACT", a->contract, "contract TOML file (a preset alone is enough)")
           ->required();
       cmd->add_option("--input", a->input, "CSV of scenario rows")->required();
       cmd->add_option("--out", a->out, "CSV file to write the results to")->required();
       cmd->add_option("--set", a->set,
                       "override a methodology term for every row, e.g. --set sharing_rate=0.6 "
                       "(repeatable)");
       cmd->add_option(
           "--refdata", a->refdata,
           std::string("reference tables folder for the MSR bands ") + kRefdataDefaultHelp);
       cmd->callback([a] { SetExitCode(RunScenariosCommand(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
