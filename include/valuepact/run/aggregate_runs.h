#pragma once
// Runs on aggregate inputs (no claims): CheckRun (the contract's [[example]] blocks),
// IllustrateRun (a worked example) and ScenariosRun (rows of aggregate figures). Each loads the
// contract as every command does (validated whole, definitions compiled) and the reference
// tables it may need, then evaluates through the same layer loop as `settle`.
#include <memory>
#include <string>
#include <vector>

#include "valuepact/run/loader.h"
#include "valuepact/settlement/examples_check.h"
#include "valuepact/settlement/illustrate.h"
#include "valuepact/settlement/scenarios.h"

namespace valuepact::run {

struct CheckRunResult {
  std::unique_ptr<RunInputs> inputs;
  std::vector<ExampleCheck> checks;
  std::vector<std::string> failures;  // described for people, with the engine's derivation
  int failed = 0;
};
Result<CheckRunResult> CheckRun(const InputPaths& paths, const FileSystem& files = RealFiles());

struct IllustrateRunResult {
  std::unique_ptr<RunInputs> inputs;
  Illustration illustration;
};
// `set` holds command-line "key=value" arguments; a malformed one is an input error.
Result<IllustrateRunResult> IllustrateRun(const InputPaths& paths,
                                          const std::vector<std::string>& set,
                                          const FileSystem& files = RealFiles());

struct ScenariosRunResult {
  std::unique_ptr<RunInputs> inputs;
  ScenarioReport report;
};
Result<ScenariosRunResult> ScenariosRun(const InputPaths& paths, const std::string& input_csv,
                                        const std::vector<std::string>& set,
                                        const FileSystem& files = RealFiles());

}  // namespace valuepact::run
