// The MSSP benchmark from the aggregate figures of a settlement report (aggregate_benchmark.h).
#include "valuepact/benchmark/aggregate_benchmark.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "benchmark/aggregate_computation.h"
#include "valuepact/core/numbers.h"
#include "valuepact/core/params.h"
#include "valuepact/risk/risk_ratio.h"

namespace valuepact {
namespace aggregate_internal {
std::string Num(double v) { return fmt::format("{}", v); }

std::string Computation::InputId(EnrollmentType t, Q q, Y y) const {
  const bool by_weight = q == Q::kNationalWeight && y != Y::kPY;
  return fmt::format("benchmark.{}.{}.{}", EnrollmentTypeName(t), AggregateQuantityName(q),
                     by_weight ? "BY" : BenchmarkYearName(y));
}

void Computation::Add(const std::string& id, const std::string& label, double v,
                      const std::string& unit, const std::string& formula,
                      std::vector<std::string> inputs, const std::string& src) {
  tr_->Add({id, label, formula, Num(v), unit, std::move(inputs), src, ""});
}

std::optional<double> Computation::Need(EnrollmentType t, Q q, Y y, const char* why) {
  const AggregateFigure* f = in_.Find(t, q, y);
  const std::string id = InputId(t, q, y);
  if (f == nullptr) {
    const bool by_weight = q == Q::kNationalWeight && y != Y::kPY;
    errors_.push_back(fmt::format("{}: no row {},{},{} ({})", in_.name(), EnrollmentTypeName(t),
                                  AggregateQuantityName(q),
                                  by_weight ? "BY3" : BenchmarkYearName(y), why));
    return std::nullopt;
  }
  if (added_.insert(id).second) {
    const bool rate = q == Q::kRiskScore || q == Q::kDemographicRiskScore ||
                      q == Q::kAssignedProportion || q == Q::kNationalWeight;
    Add(id,
        fmt::format("{}: {} {}", EnrollmentTypeLabel(t), AggregateQuantityName(q),
                    q == Q::kNationalWeight && y != Y::kPY ? "BY" : BenchmarkYearName(y)),
        f->value, rate ? "rate" : kUnit,
        f->line == kComputedLine ? "computed from the data" : "CMS figure",
        f->derived_from.empty() ? std::vector<std::string>{}
                                : std::vector<std::string>{f->derived_from},
        in_.SourceOf(t, q, y));
  }
  return f->value;
}

std::string Computation::Cite(const Rule& rule) const {
  const bool from_2024 = k_.agreement_start && *k_.agreement_start >= Date::FromCivil(2024, 1, 1);
  return from_2024 ? rule.from_2024 : rule.before_2024;
}

std::string Computation::AcoInputId(Q q, Y y) {
  const bool one = q == Q::kPriorSavingsProration;
  return fmt::format("benchmark.aco.{}.{}", AggregateQuantityName(q),
                     one ? "BY" : BenchmarkYearName(y));
}

std::optional<double> Computation::NeedAco(Q q, Y y, const char* why) {
  const AggregateFigure* f = in_.FindAco(q, y);
  if (f == nullptr) {
    errors_.push_back(fmt::format("{}: no row aco,{},{} ({})", in_.name(), AggregateQuantityName(q),
                                  BenchmarkYearName(y), why));
    return std::nullopt;
  }
  const std::string id = AcoInputId(q, y);
  if (added_.insert(id).second) {
    Add(id, fmt::format("ACO: {} {}", AggregateQuantityName(q), BenchmarkYearName(y)), f->value,
        q == Q::kPriorSavingsPerCapita ? kUnit : "rate",
        f->line == kComputedLine ? "computed from the data" : "CMS figure", {},
        in_.AcoSourceOf(q, y));
  }
  return f->value;
}

Status Computation::Errors() const {
  if (errors_.empty()) {
    return Status::Ok();
  }
  std::string msg = "the benchmark cannot be computed:";
  for (const auto& e : errors_) {
    msg += "\n  " + e;
  }
  return InvalidInput(msg);
}

// Steps 2-3 of v11 §4.1.2 for BY1 or BY2: restated at BY3 risk, trended to BY3 by the
// national-regional blend. False when a figure is missing (recorded in errors_).
bool Computation::TrendOf(EnrollmentType t, Y y) {
  const size_t i = static_cast<size_t>(y);
  const std::string label = EnrollmentTypeLabel(t);
  const std::string yp = fmt::format("{}.{}", Pre(t), BenchmarkYearName(y));
  AggregateTypeBenchmark& r = R(t);
  const auto x = Need(t, Q::kPerCapitaExpenditure, y, "benchmark year expenditure");
  const auto rs = Need(t, Q::kRiskScore, y, "restated at BY3 risk");
  const auto rs3 = Need(t, Q::kRiskScore, Y::kBY3, "BY3 risk restates BY1 and BY2");
  const auto nat = Need(t, Q::kNationalPerCapita, y, "national growth to BY3");
  const auto nat3 = Need(t, Q::kNationalPerCapita, Y::kBY3, "trend to BY3");
  const auto reg = Need(t, Q::kRegionalPerCapita, y, "regional growth to BY3");
  const auto reg3 = Need(t, Q::kRegionalPerCapita, Y::kBY3, "trend to BY3");
  const auto w = Need(t, Q::kNationalWeight, y, "national weight of the trend to BY3");
  if (!x || !rs || !rs3 || !nat || !nat3 || !reg || !reg3 || !w) {
    return false;
  }
  r.risk_restatement[i] = *rs3 / *rs;
  Add(yp + ".risk_restatement",
      fmt::format("{}: {} restated at BY3 risk", label, BenchmarkYearName(y)),
      r.risk_restatement[i], "rate",
      fmt::format("BY3 risk score {} / {} risk score {}", Num(*rs3), BenchmarkYearName(y),
                  Num(*rs)),
      {InputId(t, Q::kRiskScore, Y::kBY3), InputId(t, Q::kRiskScore, y)}, Cite(kRuleRestate));
  r.trend_factor[i] = *w * (*nat3 / *nat) + (1 - *w) * (*reg3 / *reg);
  Add(yp + ".trend_factor", fmt::format("{}: trend factor {} to BY3", label, BenchmarkYearName(y)),
      r.trend_factor[i], "rate",
      fmt::format("{} × {}/{} + (1 − {}) × {}/{}", Num(*w), Num(*nat3), Num(*nat), Num(*w),
                  Num(*reg3), Num(*reg)),
      {InputId(t, Q::kNationalWeight, y), InputId(t, Q::kNationalPerCapita, Y::kBY3),
       InputId(t, Q::kNationalPerCapita, y), InputId(t, Q::kRegionalPerCapita, Y::kBY3),
       InputId(t, Q::kRegionalPerCapita, y)},
      Cite(kRuleTrend));
  r.trended_per_capita[i] = *x * r.risk_restatement[i] * r.trend_factor[i];
  Add(yp + ".trended_per_capita",
      fmt::format("{}: {} per capita expenditure at BY3 risk and prices", label,
                  BenchmarkYearName(y)),
      r.trended_per_capita[i], kUnit, "expenditure × risk restatement × trend factor",
      {InputId(t, Q::kPerCapitaExpenditure, y), yp + ".risk_restatement", yp + ".trend_factor"},
      Cite(kRuleTrend));
  return true;
}

// Step 4 of v11 §4.1.2: the benchmark years weighted (BY3 enters as reported).
void Computation::HistoricalOf(EnrollmentType t) {
  AggregateTypeBenchmark& r = R(t);
  const auto x3 = Need(t, Q::kPerCapitaExpenditure, Y::kBY3, "benchmark year expenditure");
  if (x3) {
    r.risk_restatement[2] = r.trend_factor[2] = 1;
    r.trended_per_capita[2] = *x3;
    Add(Pre(t) + ".BY3.trended_per_capita",
        std::string(EnrollmentTypeLabel(t)) + ": BY3 per capita expenditure", *x3, kUnit,
        "BY3 expenditure itself (no restatement, no trend)",
        {InputId(t, Q::kPerCapitaExpenditure, Y::kBY3)}, Cite(kRuleTrend));
  }
  const bool by1 = TrendOf(t, Y::kBY1);
  const bool by2 = TrendOf(t, Y::kBY2);
  if (!x3 || !by1 || !by2) {
    return;
  }
  std::string formula;
  std::vector<std::string> inputs;
  for (Y y : {Y::kBY1, Y::kBY2, Y::kBY3}) {
    const size_t i = static_cast<size_t>(y);
    r.weighted_per_capita += b_.baseline_weights[i] * r.trended_per_capita[i];
    formula += fmt::format("{}{} × {}", formula.empty() ? "" : " + ", Num(b_.baseline_weights[i]),
                           Num(r.trended_per_capita[i]));
    inputs.push_back(fmt::format("benchmark.{}.weight", BenchmarkYearName(y)));
    inputs.push_back(fmt::format("{}.{}.trended_per_capita", Pre(t), BenchmarkYearName(y)));
  }
  Add(Pre(t) + ".weighted_per_capita",
      std::string(EnrollmentTypeLabel(t)) +
          ": historical per capita before the regional "
          "adjustment",
      r.weighted_per_capita, kUnit, formula, inputs, Cite(kRuleWeights));
}

// The cap rule of the agreement period (the contract's, else the rule in force for its start).
Status Computation::RiskRatios() {
  std::string rule = b_.risk.cap_rule, source = b_.risk.cap_source;
  double points = b_.risk.cap.value_or(0.03);
  if (!b_.risk.enabled) {
    if (!k_.agreement_start) {
      return InvalidInput(
          "the risk ratio's cap depends on the agreement period: give [contract] "
          "agreement_start or [benchmark.risk_adjustment] cap_rule");
    }
    auto table = Params("mssp/benchmark_risk_ratio_cap.csv");
    if (!table.ok()) {
      return table.status();
    }
    const ParamRow* row = (*table)->At(*k_.agreement_start);
    if (row == nullptr) {
      return InvalidInput(
          fmt::format("no CMS risk-ratio cap is recorded for agreement periods starting {}: give "
                      "[benchmark.risk_adjustment] cap_rule",
                      k_.agreement_start->ToString()));
    }
    rule = row->Get("rule");
    points = ParseDouble(row->Get("points")).value_or(0.03);
    source = (*table)->SourceOf(*row);
  }
  std::optional<double> aggregate_cap;
  if (rule == "demographic_plus_3") {
    auto cap = DemographicCap(points, source);
    if (!cap.ok()) {
      return cap.status();
    }
    aggregate_cap = *cap;
  }
  for (EnrollmentType t : types_) {
    RiskRatioOf(t, rule, points, source, aggregate_cap);
  }
  return Errors();
}

// 42 CFR 425.605(a)(1)(ii), 425.610(a)(2)(ii): the cap is the aggregate demographic growth + 3
// points, and it applies only when the aggregate HCC growth exceeds it; the weights are
// historical benchmark expenditure × PY person years. None when the cap does not apply.
Result<std::optional<double>> Computation::DemographicCap(double points,
                                                          const std::string& source) {
  double w_sum = 0, hcc = 0, demo = 0;
  std::vector<std::string> hcc_inputs, demo_inputs;
  for (EnrollmentType t : types_) {
    const auto p = Need(t, Q::kAssignedProportion, Y::kPY, "weights the aggregate risk growth");
    const auto rp = Need(t, Q::kRiskScore, Y::kPY, "risk ratio");
    const auto r3 = Need(t, Q::kRiskScore, Y::kBY3, "risk ratio");
    const std::string id = Pre(t) + ".demographic_growth";
    double dg = 0;
    if (const auto& given = b_.risk.demographic_ratio[static_cast<size_t>(t)]) {
      dg = *given;
      Add(id, std::string(EnrollmentTypeLabel(t)) + ": demographic risk score growth", dg, "rate",
          "contract term", {},
          fmt::format("[benchmark.risk_adjustment] demographic_ratio (contract line {})",
                      b_.risk.source_line));
    } else {
      const auto dp = Need(t, Q::kDemographicRiskScore, Y::kPY, "demographic risk growth");
      const auto d3 = Need(t, Q::kDemographicRiskScore, Y::kBY3, "demographic risk growth");
      if (!dp || !d3) {
        continue;
      }
      dg = *dp / *d3;
      Add(id, std::string(EnrollmentTypeLabel(t)) + ": demographic risk score growth", dg, "rate",
          fmt::format("{} / {}", Num(*dp), Num(*d3)),
          {InputId(t, Q::kDemographicRiskScore, Y::kPY),
           InputId(t, Q::kDemographicRiskScore, Y::kBY3)},
          Cite(kRuleRisk));
    }
    if (!p || !rp || !r3) {
      continue;
    }
    const double w = R(t).historical_per_capita * *p;
    w_sum += w;
    hcc += w * (*rp / *r3);
    demo += w * dg;
    for (auto* in : {&hcc_inputs, &demo_inputs}) {
      in->push_back(Pre(t) + ".historical_per_capita");
      in->push_back(InputId(t, Q::kAssignedProportion, Y::kPY));
    }
    hcc_inputs.push_back(InputId(t, Q::kRiskScore, Y::kPY));
    hcc_inputs.push_back(InputId(t, Q::kRiskScore, Y::kBY3));
    demo_inputs.push_back(id);
  }
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  if (w_sum <= 0) {
    return InvalidInput("the aggregate risk growth has no weight (no PY person years)");
  }
  Add("benchmark.risk_growth", "Aggregate growth in HCC risk scores, BY3 to PY", hcc / w_sum,
      "rate",
      "Σ weight × PY/BY3 risk score ÷ Σ weight (weight = historical per capita × PY assigned "
      "proportion)",
      hcc_inputs, source);
  Add("benchmark.demographic_growth", "Aggregate growth in demographic risk scores", demo / w_sum,
      "rate", "Σ weight × demographic growth ÷ Σ weight", demo_inputs, source);
  const double cap = demo / w_sum + points;
  Add("benchmark.risk_ratio_cap", "Cap on the risk ratios", cap, "rate",
      fmt::format("demographic growth + {}; applied only when the HCC growth {} exceeds it",
                  Num(points), Num(hcc / w_sum)),
      {"benchmark.demographic_growth", "benchmark.risk_growth"}, source);
  return hcc / w_sum > cap ? std::optional<double>(cap) : std::nullopt;
}

void Computation::RiskRatioOf(EnrollmentType t, const std::string& rule, double points,
                              const std::string& source, std::optional<double> aggregate_cap) {
  const std::string pre = Pre(t), label = EnrollmentTypeLabel(t);
  const auto rp = Need(t, Q::kRiskScore, Y::kPY, "risk ratio");
  const auto r3 = Need(t, Q::kRiskScore, Y::kBY3, "risk ratio");
  if (!rp || !r3) {
    return;
  }
  const double uncapped = *rp / *r3;
  Add(pre + ".risk_ratio.uncapped", label + ": risk ratio before the cap", uncapped, "rate",
      fmt::format("PY risk score {} / BY3 risk score {}", Num(*rp), Num(*r3)),
      {InputId(t, Q::kRiskScore, Y::kPY), InputId(t, Q::kRiskScore, Y::kBY3)}, Cite(kRuleRisk));
  double ratio = uncapped;
  std::string formula;
  std::vector<std::string> inputs = {pre + ".risk_ratio.uncapped"};
  if (rule == "demographic_plus_3") {
    inputs.push_back("benchmark.risk_ratio_cap");
    if (aggregate_cap) {
      ratio = std::min(uncapped, *aggregate_cap);
      formula = fmt::format("min({}, cap {})", Num(uncapped), Num(*aggregate_cap));
    } else {
      formula = "the aggregate HCC growth does not exceed the cap: uncapped";
    }
  } else if (rule == "upward_only" || rule == "symmetric") {
    auto rr = risk::ComputeRiskRatio(
        *rp, *r3, points,
        rule == "symmetric" ? risk::RiskCapRule::kSymmetric : risk::RiskCapRule::kUpwardOnly);
    if (!rr.ok()) {
      errors_.push_back(fmt::format("{}: {}", label, rr.status().message()));
      return;
    }
    ratio = rr->ratio;
    formula = rule == "symmetric" ? fmt::format("{} held within [1 − {}, 1 + {}]", Num(uncapped),
                                                Num(points), Num(points))
                                  : fmt::format("min({}, 1 + {}) (increases capped, decreases not)",
                                                Num(uncapped), Num(points));
  } else {
    formula = "no cap (cap_rule = \"none\")";
  }
  R(t).risk_ratio = ratio;
  Add(pre + ".risk_ratio", label + ": risk ratio", ratio, "rate", formula, inputs, source);
}

Status Computation::CheckProportions(Y y) {
  double sum = 0;
  for (EnrollmentType t : types_) {
    if (auto p = Need(t, Q::kAssignedProportion, y, "blends the types")) {
      sum += *p;
    }
  }
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  if (std::fabs(sum - 1) > 0.001) {
    return InvalidInput(
        fmt::format("{}: the {} assigned proportions of the enrollment types sum to {}, not 1",
                    in_.name(), BenchmarkYearName(y), Num(sum)));
  }
  if (std::fabs(sum - 1) > 1e-9) {
    r_->notes.push_back(fmt::format(
        "the {} assigned proportions sum to {} (rounded figures); they are used as given",
        BenchmarkYearName(y), Num(sum)));
  }
  return Status::Ok();
}

void Computation::Blend() {
  for (auto [y, field, id, label] :
       {std::tuple{Y::kBY3, &AggregateTypeBenchmark::historical_per_capita,
                   "benchmark.historical_benchmark",
                   "Historical benchmark per capita (BY3 assigned proportions)"},
        std::tuple{Y::kPY, &AggregateTypeBenchmark::updated_per_capita,
                   "benchmark.updated_benchmark",
                   "Updated benchmark per capita (PY assigned proportions)"}}) {
    double sum = 0;
    std::string formula;
    std::vector<std::string> inputs;
    for (EnrollmentType t : types_) {
      const double p = *Need(t, Q::kAssignedProportion, y, "blends the types");
      sum += p * (R(t).*field);
      formula += fmt::format("{}{} × {}", formula.empty() ? "" : " + ", Num(p), Num(R(t).*field));
      inputs.push_back(InputId(t, Q::kAssignedProportion, y));
      inputs.push_back(Pre(t) + (y == Y::kBY3 ? ".historical_per_capita" : ".updated_per_capita"));
    }
    (y == Y::kBY3 ? r_->historical_benchmark : r_->updated_benchmark) = sum;
    Add(id, label, sum, kUnit, formula, inputs, Cite(kRuleBlend));
  }
}

Status Computation::Run() {
  for (EnrollmentType t : kEnrollmentTypes) {
    if (in_.HasType(t)) {
      types_.push_back(t);
    }
  }
  if (types_.empty()) {
    return InvalidInput(fmt::format("{}: no figures", in_.name()));
  }
  if (b_.baseline_weights.size() != 3) {
    return InvalidInput("the benchmark needs the weights of BY1, BY2 and BY3 (baseline_weights)");
  }
  for (Y y : {Y::kBY1, Y::kBY2, Y::kBY3}) {
    const size_t i = static_cast<size_t>(y);
    Add(fmt::format("benchmark.{}.weight", BenchmarkYearName(y)),
        fmt::format("Weight of {}", BenchmarkYearName(y)), b_.baseline_weights[i], "rate",
        "benchmark-year weight", {}, b_.baseline_weights_source + " — " + Cite(kRuleWeights));
  }
  if (Status s = CheckProportions(Y::kBY3); !s.ok()) {
    return s;
  }
  if (Status s = CheckProportions(Y::kPY); !s.ok()) {
    return s;
  }
  for (EnrollmentType t : types_) {
    HistoricalOf(t);
  }
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  if (b_.regional) {
    if (Status s = ChooseRegionalWeight(); !s.ok()) {
      return s;
    }
  }
  for (EnrollmentType t : types_) {
    RegionalOf(t);
  }
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  if (Status s = ApplyAdjustments(); !s.ok()) {
    return s;
  }
  if (Status s = RiskRatios(); !s.ok()) {
    return s;
  }
  if (Status s = RegionalRiskGrowthCap(); !s.ok()) {
    return s;
  }
  r_->acpt_weight = b_.acpt_weight.value_or(0);
  for (EnrollmentType t : types_) {
    UpdateOf(t);
  }
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  for (EnrollmentType t : types_) {
    AggregateTypeBenchmark& r = R(t);
    r.present = true;
    r.updated_per_capita = r.historical_per_capita * r.risk_ratio * r.update_factor;
    Add(Pre(t) + ".updated_per_capita",
        std::string(EnrollmentTypeLabel(t)) + ": updated benchmark per capita",
        r.updated_per_capita, kUnit, "historical per capita × risk ratio × update factor",
        {Pre(t) + ".historical_per_capita", Pre(t) + ".risk_ratio", Pre(t) + ".update_factor"},
        Cite(kRuleUpdate));
  }
  Blend();
  return Status::Ok();
}

}  // namespace aggregate_internal

using aggregate_internal::Computation;

std::string AggregateFigureId(EnrollmentType t, std::string_view figure) {
  return figure.empty() ? fmt::format("benchmark.{}", EnrollmentTypeName(t))
                        : fmt::format("benchmark.{}.{}", EnrollmentTypeName(t), figure);
}

Result<AggregateBenchmarkResult> ComputeAggregateBenchmark(const Contract& k,
                                                           const AggregateBenchmarkInputs& in,
                                                           Trace* trace) {
  if (k.benchmark.method != "historical") {
    return InvalidInput(
        fmt::format("{}: [benchmark] method = \"{}\"; the benchmark from aggregate inputs is the "
                    "historical one (method = \"historical\")",
                    k.path, k.benchmark.method));
  }
  AggregateBenchmarkResult r;
  Computation c(k, in, trace, &r);
  if (Status s = c.Run(); !s.ok()) {
    return s;
  }
  return r;
}

Result<double> NationalTrendWeight(const std::vector<CountyAssignment>& counties) {
  double total = 0;
  for (const auto& c : counties) {
    if (!(c.assignable > 0) || c.assigned < 0 || c.assigned > c.assignable) {
      return InvalidInput(fmt::format(
          "a county with {} assigned of {} assignable beneficiaries: assigned must be within "
          "[0, assignable] and assignable positive",
          c.assigned, c.assignable));
    }
    total += c.assigned;
  }
  if (!(total > 0)) {
    return InvalidInput("the ACO has no assigned beneficiaries in any county");
  }
  double w = 0;
  for (const auto& c : counties) {
    w += (c.assigned / c.assignable) * (c.assigned / total);
  }
  return w;
}

Result<BeneficiaryExpenditure> AnnualizeBeneficiary(const BeneficiaryYear& y,
                                                    double truncation_threshold,
                                                    double completion_factor) {
  if (y.eligible_months < 1 || y.eligible_months > 12) {
    return InvalidInput(fmt::format("{} eligible months: expected 1 to 12", y.eligible_months));
  }
  if (!std::isfinite(y.expenditures) || !(truncation_threshold > 0) || !(completion_factor >= 1)) {
    return InvalidInput(
        "expenditures must be a number, the truncation threshold positive and the completion "
        "factor at least 1");
  }
  BeneficiaryExpenditure e;
  e.person_years = y.eligible_months / 12.0;
  e.annualized = y.expenditures / e.person_years;
  e.truncated = std::min(e.annualized, truncation_threshold);
  e.completed = e.truncated * completion_factor;
  e.weighted = e.completed * e.person_years;
  return e;
}

}  // namespace valuepact
