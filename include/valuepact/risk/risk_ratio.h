#pragma once
// Risk-adjusting a benchmark: the ratio of the performance period's mean risk score to the
// baseline's, optionally held within a symmetric cap (e.g. 0.03 keeps it in [0.97, 1.03], like
// the 3% bound MSSP's benchmark rules in 42 CFR part 425 place on prospective HCC score growth).
// The contract/settlement engine multiplies the benchmark by `ratio`.
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
  double ratio = 1;  // uncapped, held within [1 - cap, 1 + cap] when a cap is given
  bool capped = false;
};

struct RiskRatioTrace {
  std::string id = "benchmark.risk_ratio";  // node ids: <id>, <id>.uncapped
  std::string mean_performance_id;          // input node ids, when the trace has them
  std::string mean_baseline_id;
  std::string source;  // the contract clause that asks for the adjustment
};

// Errors: a non-positive or non-finite mean, or a negative cap.
Result<RiskRatio> ComputeRiskRatio(double mean_performance, double mean_baseline,
                                   std::optional<double> cap, Trace* trace = nullptr,
                                   const RiskRatioTrace& names = {});

// Mean of member scores weighted by member-months (or 1 each when `weights` is empty), with a
// trace node `id` when a trace is given.
Result<double> MeanRiskScore(const std::vector<double>& scores, const std::vector<double>& weights,
                             Trace* trace = nullptr, const std::string& id = "",
                             const std::string& label = "", const std::string& source = "");

}  // namespace valuepact::risk
