// valuepact check CONTRACT: evaluates the contract's [[example]] blocks.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "valuepact/contract/contract.h"
#include "valuepact/settlement/aggregate.h"
#include "valuepact/settlement/examples_check.h"

namespace valuepact::cli {
namespace {

int RunCheck(const std::string& path, const std::string& refdata) {
  auto k = LoadContract(path);
  if (!k.ok()) return Fail(k.status());
  std::optional<MsrBandTable> bands;
  Status s = LoadMsrBandsFor(refdata, &bands);
  if (!s.ok()) return Fail(s);
  SharedSavingsContext ctx;
  if (bands) ctx.msr_bands = &*bands;
  if (k->examples.empty()) {
    std::printf("%s: valid contract '%s' with no [[example]] blocks to check\n", path.c_str(),
                k->id.c_str());
    return 0;
  }
  const auto checks = CheckExamples(*k, ctx);
  int failed = 0;
  for (const auto& c : checks) {
    if (c.passed && c.error.empty()) {
      std::printf("ok    example '%s' (line %d): %d figure%s agree\n", c.name.c_str(), c.line,
                  c.figures_checked, c.figures_checked == 1 ? "" : "s");
    } else {
      ++failed;
      std::printf("FAIL  example '%s' (line %d)\n", c.name.c_str(), c.line);
    }
  }
  for (const auto& line : DescribeFailures(*k, checks, true)) {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::printf("%zu example%s, %d failed\n", checks.size(), checks.size() == 1 ? "" : "s", failed);
  return failed > 0 ? ExitCodeFor(Status(StatusCode::kFailedCheck, "")) : 0;
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
           "reference tables folder for the MSR bands (default: $VALUEPACT_REFDATA, then "
           "../shared/refdata)");
       cmd->callback([path, refdata] { SetExitCode(RunCheck(*path, *refdata)); });
     }});

}  // namespace
}  // namespace valuepact::cli
