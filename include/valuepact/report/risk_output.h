#pragma once
// Files of a risk run, from run::RiskRunResult: member_scores.csv, trace.json,
// explanations.txt, risk_summary.json and rejects.csv.
#include <string>

#include <nlohmann/json.hpp>

#include "valuepact/core/status.h"
#include "valuepact/run/risk_run.h"

namespace valuepact {

nlohmann::ordered_json RiskSummaryJson(const run::RiskRunResult& result, int payment_year);

// trace.json and explanations.txt (one derivation per explained member) in `dir`.
Status WriteRiskTrace(const std::string& dir, const run::RiskRunResult& result);

// `valuepact risk`: every file in the folder `out_dir`.
Status WriteRiskFolder(const std::string& out_dir, const run::RiskRunResult& result,
                       int payment_year);

}  // namespace valuepact
