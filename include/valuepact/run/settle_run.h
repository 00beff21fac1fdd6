#pragma once
// SettleRun: a typed request in, a typed result out (ARCHITECTURE §1, "Runs are library
// objects"). Loads the inputs once, checks the contract's worked examples, builds the Timeline,
// assesses data quality, settles, and assembles summary.json and the statement's warnings. The
// CLI and the server call this and write the result with report/.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/report/run_output.h"
#include "valuepact/run/loader.h"
#include "valuepact/run/timeline_builder.h"
#include "valuepact/settlement/settlement.h"

namespace valuepact::run {

struct SettleRequest {
  InputPaths inputs;
  bool ignore_examples = false;  // settle even when [[example]] figures disagree
};

struct SettleRunResult {
  std::unique_ptr<RunInputs> inputs;
  SettlementResult settlement;
  std::optional<attribution::AttributionResult> attribution;
  std::string run_id;
  nlohmann::ordered_json summary;
  StatementExtras extras;
  std::vector<std::string> example_failures;  // with --ignore-examples
  // 0, or 1 when a check failed: a data requirement, or a data gate withheld layers.
  int exit_code = 0;
};

Result<SettleRunResult> SettleRun(const SettleRequest& request,
                                  const FileSystem& files = RealFiles());

}  // namespace valuepact::run
