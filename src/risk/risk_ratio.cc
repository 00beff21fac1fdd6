#include "valuepact/risk/risk_ratio.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace valuepact::risk {

Result<RiskRatio> ComputeRiskRatio(double mean_performance, double mean_baseline,
                                   std::optional<double> cap, RiskCapRule rule, Trace* trace,
                                   const RiskRatioTrace& names) {
  if (!std::isfinite(mean_performance) || mean_performance <= 0) {
    return InvalidInput(
        fmt::format("risk ratio: the performance-period mean risk score must be "
                    "positive, found {}",
                    mean_performance));
  }
  if (!std::isfinite(mean_baseline) || mean_baseline <= 0) {
    return InvalidInput(fmt::format(
        "risk ratio: the baseline mean risk score must be positive, found {}", mean_baseline));
  }
  if (cap && (!std::isfinite(*cap) || *cap < 0 || *cap >= 1)) {
    return InvalidInput(
        fmt::format("risk ratio: the cap must be a fraction in [0, 1), found {}", *cap));
  }
  RiskRatio r;
  r.mean_performance = mean_performance;
  r.mean_baseline = mean_baseline;
  r.uncapped = mean_performance / mean_baseline;
  r.cap = cap;
  r.ratio = r.uncapped;
  if (cap) {
    r.ratio = rule == RiskCapRule::kSymmetric ? std::clamp(r.uncapped, 1.0 - *cap, 1.0 + *cap)
                                              : std::min(r.uncapped, 1.0 + *cap);
    r.capped = r.ratio != r.uncapped;
  }
  if (trace != nullptr) {
    std::vector<std::string> inputs;
    if (!names.mean_performance_id.empty()) inputs.push_back(names.mean_performance_id);
    if (!names.mean_baseline_id.empty()) inputs.push_back(names.mean_baseline_id);
    const std::string uncapped_id = names.id + ".uncapped";
    trace->AddRate(uncapped_id, "Risk ratio before the cap", r.uncapped,
                   fmt::format("mean performance-period risk score / mean baseline risk score = "
                               "{} / {} = {}",
                               FormatRate(mean_performance), FormatRate(mean_baseline),
                               FormatRate(r.uncapped)),
                   inputs, names.source);
    std::string formula;
    if (!cap) {
      formula = fmt::format("no cap: {}", FormatRate(r.ratio));
    } else if (rule == RiskCapRule::kSymmetric) {
      formula = fmt::format("uncapped ratio {} held within [1 - {}, 1 + {}] = [{}, {}]: {}{}",
                            FormatRate(r.uncapped), FormatRate(*cap), FormatRate(*cap),
                            FormatRate(1.0 - *cap), FormatRate(1.0 + *cap), FormatRate(r.ratio),
                            r.capped ? " (capped)" : " (within the cap)");
    } else {
      formula = fmt::format("min(uncapped ratio {}, 1 + {} = {}), no floor: {}{}",
                            FormatRate(r.uncapped), FormatRate(*cap), FormatRate(1.0 + *cap),
                            FormatRate(r.ratio), r.capped ? " (capped)" : " (within the cap)");
    }
    trace->AddRate(names.id, "Benchmark risk ratio", r.ratio, formula, {uncapped_id}, names.source);
  }
  return r;
}

Result<double> MeanRiskScore(const std::vector<double>& scores, const std::vector<double>& weights,
                             Trace* trace, const std::string& id, const std::string& label,
                             const std::string& source) {
  if (!weights.empty() && weights.size() != scores.size()) {
    return InvalidInput(
        fmt::format("mean risk score: {} weights for {} scores", weights.size(), scores.size()));
  }
  // Sum in input order (deterministic), in long double to keep large populations exact enough.
  long double sum = 0, wsum = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    if (!std::isfinite(w) || w < 0) {
      return InvalidInput(fmt::format("mean risk score: weight {} of member {} is invalid", w, i));
    }
    sum += static_cast<long double>(scores[i]) * w;
    wsum += w;
  }
  if (wsum <= 0) return InvalidInput("mean risk score: no members (or all weights are zero)");
  const double mean = static_cast<double>(sum / wsum);
  if (trace != nullptr && !id.empty()) {
    trace->AddRate(id, label.empty() ? "Mean risk score" : label, mean,
                   fmt::format("sum of score x weight / sum of weights = {} / {} over {} members",
                               FormatRate(static_cast<double>(sum)),
                               FormatRate(static_cast<double>(wsum)), scores.size()),
                   {}, source);
  }
  return mean;
}

}  // namespace valuepact::risk
