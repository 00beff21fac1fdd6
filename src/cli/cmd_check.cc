// valuepact check CONTRACT: evaluates the contract's [[example]] blocks.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/run/aggregate_runs.h"

namespace valuepact::cli {
namespace {

int RunCheck(const std::string& path, const std::string& refdata) {
  run::InputPaths paths;
  paths.contract = path;
  paths.refdata = refdata;
  auto r = run::CheckRun(paths);
  if (!r.ok()) return Fail(r.status());
  const Contract& k = r->inputs->contract;
  if (k.examples.empty()) {
    std::printf("%s: valid contract '%s' with no [[example]] blocks to check\n", path.c_str(),
                k.id.c_str());
    return 0;
  }
  for (const auto& c : r->checks) {
    if (c.passed && c.error.empty()) {
      std::printf("ok    example '%s' (line %d): %d figure%s agree\n", c.name.c_str(), c.line,
                  c.figures_checked, c.figures_checked == 1 ? "" : "s");
    } else {
      std::printf("FAIL  example '%s' (line %d)\n", c.name.c_str(), c.line);
    }
  }
  for (const auto& line : r->failures) std::fprintf(stderr, "%s\n", line.c_str());
  std::printf("%zu example%s, %d failed\n", r->checks.size(), r->checks.size() == 1 ? "" : "s",
              r->failed);
  return r->failed > 0 ? ExitCodeFor(Status(StatusCode::kFailedCheck, "")) : 0;
}

const RegisterCommand kCheck(
    {"check", 72, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "check",
           "Evaluate the worked examples ([[example]] blocks) written into a contract and report "
           "every figure that differs from what both parties agreed, with the engine's derivation");
       cmd->footer(
           "Exit code 0 when every example agrees, 1 when one does not, 2 when the contract is "
           "invalid.\n`settle` refuses a contract whose examples fail unless --ignore-examples is "
           "given.");
       auto path = std::make_shared<std::string>();
       auto refdata = std::make_shared<std::string>();
       cmd->add_option("CONTRACT", *path, "contract TOML file")->required();
       cmd->add_option(
           "--refdata", *refdata,
           std::string("reference tables folder for the MSR bands ") + kRefdataDefaultHelp);
       cmd->callback([path, refdata] { SetExitCode(RunCheck(*path, *refdata)); });
     }});

}  // namespace
}  // namespace valuepact::cli
