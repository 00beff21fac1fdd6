// The update of the historical benchmark to the performance year (aggregate_computation.h): the
// national-regional blend, the regional risk score growth cap and, from 2024, the three-way blend
// with the Accountable Care Prospective Trend.
#include <algorithm>

#include <fmt/format.h>

#include "benchmark/aggregate_computation.h"

namespace valuepact::aggregate_internal {
namespace {

constexpr const char* kRuleGrowthCap =
    "42 CFR 425.655(d)-(f): regional risk score growth cap adjustment factor";
constexpr const char* kRuleThreeWay =
    "42 CFR 425.652(b)(4), 425.660: three-way blend of the two-way national-regional update and "
    "the Accountable Care Prospective Trend";

bool AllGiven(const PerTypeRate& given, const std::vector<EnrollmentType>& types) {
  return std::all_of(types.begin(), types.end(),
                     [&](EnrollmentType t) { return given[static_cast<size_t>(t)].has_value(); });
}

}  // namespace

// 42 CFR 425.655: aggregate regional HCC and demographic risk growth (weights: historical per
// capita × PY assigned proportion), the cap = demographic growth + points + market share ×
// max(0, HCC growth − (demographic growth + points)); a type whose HCC growth exceeds the cap,
// when the aggregate does, gets the factor growth ÷ cap on its regional growth.
Status Computation::RegionalRiskGrowthCap() {
  if (!b_.regional_risk_growth_cap_points || AllGiven(b_.update_factor, types_)) {
    return Status::Ok();
  }
  const double points = *b_.regional_risk_growth_cap_points;
  double w_sum = 0, hcc = 0, demo = 0, py = 0, share = 0;
  std::vector<std::string> inputs, share_inputs;
  std::array<double, kEnrollmentTypeCount> growth{};
  for (EnrollmentType t : types_) {
    const auto p = Need(t, Q::kAssignedProportion, Y::kPY, "weights the regional risk growth");
    const auto g = Need(t, Q::kRegionalRiskGrowth, Y::kPY, "regional risk score growth cap");
    const auto d =
        Need(t, Q::kRegionalDemographicRiskGrowth, Y::kPY, "regional risk score growth cap");
    const auto w = Need(t, Q::kNationalWeight, Y::kPY, "market share of the growth cap");
    if (!p || !g || !d || !w) {
      continue;
    }
    growth[static_cast<size_t>(t)] = *g;
    const double weight = R(t).historical_per_capita * *p;
    w_sum += weight;
    hcc += weight * *g;
    demo += weight * *d;
    py += *p;
    share += *p * *w;
    for (Q q :
         {Q::kRegionalRiskGrowth, Q::kRegionalDemographicRiskGrowth, Q::kAssignedProportion}) {
      inputs.push_back(InputId(t, q, Y::kPY));
    }
    inputs.push_back(Pre(t) + ".historical_per_capita");
    share_inputs.push_back(InputId(t, Q::kAssignedProportion, Y::kPY));
    share_inputs.push_back(InputId(t, Q::kNationalWeight, Y::kPY));
  }
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  if (!(w_sum > 0) || !(py > 0)) {
    return InvalidInput("the regional risk growth cap has no weight (no PY person years)");
  }
  const double g_hcc = hcc / w_sum, g_demo = demo / w_sum, ms = share / py;
  const double floor = g_demo + points;
  const double cap = floor + ms * std::max(0.0, g_hcc - floor);
  Add("benchmark.regional_risk_growth", "Aggregate growth in regional HCC risk scores", g_hcc,
      "rate", "Σ weight × growth ÷ Σ weight (weight = historical per capita × PY proportion)",
      inputs, kRuleGrowthCap);
  Add("benchmark.regional_demographic_risk_growth",
      "Aggregate growth in regional demographic risk scores", g_demo, "rate",
      "Σ weight × demographic growth ÷ Σ weight", inputs, kRuleGrowthCap);
  Add("benchmark.market_share", "Aggregate market share (PY national weight)", ms, "rate",
      "Σ PY proportion × PY national weight ÷ Σ PY proportion", share_inputs, kRuleGrowthCap);
  Add("benchmark.regional_risk_growth_cap", "Cap on regional HCC risk score growth", cap, "rate",
      fmt::format("{} + {} + {} × max(0, {} − {})", Num(g_demo), Num(points), Num(ms), Num(g_hcc),
                  Num(floor)),
      {"benchmark.regional_demographic_risk_growth", "benchmark.market_share",
       "benchmark.regional_risk_growth"},
      b_.update_source + " — " + kRuleGrowthCap);
  r_->regional_growth_cap_computed = true;
  for (EnrollmentType t : types_) {
    const double g = growth[static_cast<size_t>(t)];
    const bool binds = g_hcc > cap && g > cap;
    const double factor = binds ? g / cap : 1.0;
    regional_growth_factor_[static_cast<size_t>(t)] = factor;
    R(t).regional_growth_factor = factor;
    Add(Pre(t) + ".regional_growth_factor",
        std::string(EnrollmentTypeLabel(t)) + ": regional risk score growth cap adjustment factor",
        factor, "rate",
        binds ? fmt::format("growth {} ÷ cap {}", Num(g), Num(cap))
              : fmt::format("1: {} growth {} within the cap {}",
                            g_hcc > cap ? "the type's" : "the aggregate",
                            Num(g_hcc > cap ? g : g_hcc), Num(cap)),
        {InputId(t, Q::kRegionalRiskGrowth, Y::kPY), "benchmark.regional_risk_growth",
         "benchmark.regional_risk_growth_cap"},
        kRuleGrowthCap);
  }
  return Status::Ok();
}

void Computation::UpdateOf(EnrollmentType t) {
  const std::string pre = Pre(t), label = EnrollmentTypeLabel(t);
  AggregateTypeBenchmark& r = R(t);
  if (const auto& given = b_.update_factor[static_cast<size_t>(t)]) {
    r.update_factor = r.two_way_update_factor = *given;
    Add(pre + ".update_factor", label + ": update factor BY3 to PY", *given, "rate",
        "contract term", {},
        fmt::format("[benchmark] update_factor (contract line {})", b_.source_line));
    return;
  }
  const double acpt_weight = b_.acpt_weight.value_or(0);
  const auto w = Need(t, Q::kNationalWeight, Y::kPY, "national weight of the update");
  const auto nat3 = Need(t, Q::kNationalPerCapita, Y::kBY3, "national growth to PY");
  const auto natp = Need(t, Q::kNationalPerCapita, Y::kPY, "national growth to PY");
  const auto reg3 = Need(t, Q::kRegionalPerCapita, Y::kBY3, "regional growth to PY");
  const auto regp = Need(t, Q::kRegionalPerCapita, Y::kPY, "regional growth to PY");
  const auto acpt = acpt_weight > 0 ? Need(t, Q::kAcptGrowth, Y::kPY, "three-way blended update")
                                    : std::optional<double>(1.0);
  if (!w || !nat3 || !natp || !reg3 || !regp || !acpt) {
    return;
  }
  const double factor = regional_growth_factor_[static_cast<size_t>(t)];
  r.two_way_update_factor = *w * (*natp / *nat3) + (1 - *w) * (*regp / *reg3) * factor;
  std::vector<std::string> inputs = {
      InputId(t, Q::kNationalWeight, Y::kPY), InputId(t, Q::kNationalPerCapita, Y::kPY),
      InputId(t, Q::kNationalPerCapita, Y::kBY3), InputId(t, Q::kRegionalPerCapita, Y::kPY),
      InputId(t, Q::kRegionalPerCapita, Y::kBY3)};
  std::string formula = fmt::format("{} × {}/{} + (1 − {}) × {}/{}", Num(*w), Num(*natp),
                                    Num(*nat3), Num(*w), Num(*regp), Num(*reg3));
  if (b_.regional_risk_growth_cap_points) {
    formula += fmt::format(" × {}", Num(factor));
    inputs.push_back(pre + ".regional_growth_factor");
  }
  if (acpt_weight <= 0) {
    r.update_factor = r.two_way_update_factor;
    Add(pre + ".update_factor", label + ": update factor BY3 to PY", r.update_factor, "rate",
        formula, inputs, Cite(kRuleUpdate));
    return;
  }
  Add(pre + ".two_way_update_factor", label + ": national-regional update factor BY3 to PY",
      r.two_way_update_factor, "rate", formula, inputs, Cite(kRuleUpdate));
  r.update_factor = (1 - acpt_weight) * r.two_way_update_factor + acpt_weight * *acpt;
  Add(pre + ".update_factor", label + ": update factor BY3 to PY (three-way blend)",
      r.update_factor, "rate",
      fmt::format("(1 − {}) × {} + {} × ACPT {}", Num(acpt_weight), Num(r.two_way_update_factor),
                  Num(acpt_weight), Num(*acpt)),
      {pre + ".two_way_update_factor", InputId(t, Q::kAcptGrowth, Y::kPY)},
      b_.update_source + " — " + kRuleThreeWay);
}

}  // namespace valuepact::aggregate_internal
