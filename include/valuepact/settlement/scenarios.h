#pragma once
// `valuepact scenarios`: one settlement per row of aggregate inputs (no claims), through the
// same engine as `settle` (EvaluateAggregate → ComputeSharedSavings).
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/contract/methodology.h"
#include "valuepact/layers/shared_savings.h"

namespace valuepact {

// Output columns, in order.
const std::vector<std::string>& ScenarioOutputColumns();

struct ScenarioReport {
  std::string csv;  // the output file's bytes
  int64_t rows = 0;
  int64_t failed_rows = 0;         // rows whose inputs could not be settled (see their note)
  std::vector<std::string> notes;  // e.g. ignored columns
};

Result<ScenarioReport> RunScenarios(const Contract& contract, std::string_view input_csv,
                                    const std::string& input_path, const SetOverrides& set,
                                    const SharedSavingsContext& context);

}  // namespace valuepact
