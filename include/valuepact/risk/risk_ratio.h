#pragma once
// Risk-adjusting a benchmark: the ratio of the performance period's mean risk score to the
// baseline's, optionally capped. MSSP caps only the increase for agreement periods from July
// 2019 (at most 1.03, no floor: 42 CFR 425.605(a)(1), 425.610(a)(2)); a contract may instead
// hold the ratio within a symmetric band (0.03 keeps it in [0.97, 1.03]). The settlement engine
// multiplies the benchmark by `ratio`.
#include <optional>
#include <string>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"

namespace valuepact::risk {

struct RiskRatio {
  double mean_performance = 0;
  double mean_baseline = 0;
  double uncapped = 1;  // mean_performance / mean_baseline
  std::optional<double> cap;
  double ratio = 1;  // uncapped, capped by the rule when a cap is given
  bool capped = false;
};

// How a cap bounds the ratio: at most 1 + cap (upward only), or within [1 - cap, 1 + cap].
enum class RiskCapRule { kUpwardOnly, kSymmetric };

struct RiskRatioTrace {
  std::string id = "benchmark.risk_ratio";  // node ids: <id>, <id>.uncapped
  std::string mean_performance_id;          // input node ids, when the trace has them
  std::string mean_baseline_id;
  std::string source;  // the contract clause that asks for the adjustment
};

// Errors: a non-positive or non-finite mean, or a cap outside [0, 1).
Result<RiskRatio> ComputeRiskRatio(double mean_performance, double mean_baseline,
                                   std::optional<double> cap, RiskCapRule rule,
                                   Trace* trace = nullptr, const RiskRatioTrace& names = {});

// Mean of member scores weighted by member-months (or 1 each when `weights` is empty), with a
// trace node `id` when a trace is given.
Result<double> MeanRiskScore(const std::vector<double>& scores, const std::vector<double>& weights,
                             Trace* trace = nullptr, const std::string& id = "",
                             const std::string& label = "", const std::string& source = "");

}  // namespace valuepact::risk
