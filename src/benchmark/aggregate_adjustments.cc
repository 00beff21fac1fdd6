// The adjustments of the historical benchmark (aggregate_computation.h): toward the region
// (weight by the sign rule, caps, the 2024 offset and single value), for prior savings and for
// health equity, and the choice among them (42 CFR 425.652(a)(8)).
#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>

#include <fmt/format.h>

#include "benchmark/aggregate_computation.h"
#include "valuepact/core/numbers.h"
#include "valuepact/core/params.h"

namespace valuepact::aggregate_internal {
namespace {

constexpr const char* kRuleOffset =
    "42 CFR 425.656(c)(4)-(5): negative regional adjustments offset for dual-eligible and "
    "high-risk populations";
constexpr const char* kRuleSingle =
    "42 CFR 425.656(d): the regional adjustment as one person-year weighted value (BY3 assigned "
    "proportions)";
constexpr const char* kRuleSelect =
    "42 CFR 425.652(a)(8): the historical benchmark receives the highest positive of the "
    "regional, prior savings and health equity adjustments, else none";
constexpr const char* kRuleNationalSingle =
    "42 CFR 425.658(c)(1)(ii), 425.662(b)(1): national per capita BY3 as one value weighted by "
    "BY3 assigned proportions";

// The parameter row in force for the agreement start, or nullptr (none recorded, or no start).
Result<const ParamRow*> RowFor(const char* table_name, const Contract& k,
                               const ParamTable** table) {
  auto t = Params(table_name);
  if (!t.ok()) {
    return t.status();
  }
  *table = *t;
  return k.agreement_start ? (*t)->At(*k.agreement_start) : nullptr;
}

}  // namespace

// The regional weight: one number, or the sign rule of 42 CFR 425.601(f)(5), 425.656(e)(5) — the
// BY3 assigned proportion weighted sum of (regional − historical) over the types: positive means
// the ACO spends less than its region.
Status Computation::ChooseRegionalWeight() {
  const RegionalTerms& g = *b_.regional;
  if (g.weight) {
    r_->regional_weight = *g.weight;
    Add("benchmark.regional_weight", "Regional blend weight", *g.weight, "rate", "contract term",
        {}, g.weight_source + " — " + Cite(kRuleRegional));
    return Status::Ok();
  }
  double sum = 0;
  std::string formula;
  std::vector<std::string> inputs;
  for (EnrollmentType t : types_) {
    const auto p = Need(t, Q::kAssignedProportion, Y::kBY3, "weights the regional sign rule");
    const auto reg = Need(t, Q::kRegionalPerCapita, Y::kBY3, "regional adjustment");
    if (!p || !reg) {
      continue;
    }
    sum += *p * (*reg - R(t).weighted_per_capita);
    formula += fmt::format("{}{} × ({} − {})", formula.empty() ? "" : " + ", Num(*p), Num(*reg),
                           Num(R(t).weighted_per_capita));
    inputs.push_back(InputId(t, Q::kAssignedProportion, Y::kBY3));
    inputs.push_back(InputId(t, Q::kRegionalPerCapita, Y::kBY3));
    inputs.push_back(Pre(t) + ".weighted_per_capita");
  }
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  Add("benchmark.regional_difference",
      "Regional minus historical per capita, weighted by BY3 assigned proportions", sum, kUnit,
      formula, inputs, "42 CFR 425.601(f)(5), 425.656(e)(5)");
  const bool lower = sum > 0;
  r_->regional_weight = lower ? *g.lower_spending_weight : *g.higher_spending_weight;
  Add("benchmark.regional_weight", "Regional blend weight", r_->regional_weight, "rate",
      lower ? "the weighted difference is positive: the ACO spends less than its region → "
              "lower_spending weight"
            : "the weighted difference is not positive: the ACO does not spend less than its "
              "region → higher_spending weight",
      {"benchmark.regional_difference"}, g.weight_source + " — " + Cite(kRuleRegional));
  return Status::Ok();
}

// The offset factor of 42 CFR 425.656(c)(4)-(5): the BY3 dual-eligible proportion + (the BY3
// risk score weighted by per capita expenditure × assigned proportion − 1), within [0, 1].
std::optional<double> Computation::OffsetFactor() {
  if (offset_done_) {
    return offset_factor_;
  }
  offset_done_ = true;
  const auto dual = NeedAco(Q::kDualProportion, Y::kBY3, "offsets negative regional adjustments");
  double num = 0, den = 0;
  std::string formula;
  std::vector<std::string> inputs;
  for (EnrollmentType t : types_) {
    const auto x = Need(t, Q::kPerCapitaExpenditure, Y::kBY3, "weights the BY3 risk score");
    const auto p = Need(t, Q::kAssignedProportion, Y::kBY3, "weights the BY3 risk score");
    const auto rs = Need(t, Q::kRiskScore, Y::kBY3, "the offset's BY3 risk score");
    if (!x || !p || !rs) {
      continue;
    }
    num += *x * *p * *rs;
    den += *x * *p;
    formula +=
        fmt::format("{}{} × {} × {}", formula.empty() ? "" : " + ", Num(*x), Num(*p), Num(*rs));
    for (Q q : {Q::kPerCapitaExpenditure, Q::kAssignedProportion, Q::kRiskScore}) {
      inputs.push_back(InputId(t, q, Y::kBY3));
    }
  }
  if (!dual || !errors_.empty()) {
    return std::nullopt;
  }
  if (!(den > 0)) {
    errors_.push_back("the offset factor's BY3 risk score has no weight (no BY3 expenditure)");
    return std::nullopt;
  }
  Add("benchmark.BY3.weighted_risk_score",
      "BY3 risk score across the types, weighted by per capita expenditure × person years",
      num / den, "rate",
      "Σ expenditure × proportion × risk score ÷ Σ expenditure × proportion = (" + formula +
          ") ÷ " + Num(den),
      inputs, kRuleOffset);
  offset_factor_ = std::clamp(*dual + (num / den - 1), 0.0, 1.0);
  Add("benchmark.regional_offset_factor", "Offset factor of negative regional adjustments",
      *offset_factor_, "rate",
      fmt::format("dual proportion {} + (risk score {} − 1), held within [0, 1]", Num(*dual),
                  Num(num / den)),
      {AcoInputId(Q::kDualProportion, Y::kBY3), "benchmark.BY3.weighted_risk_score"}, kRuleOffset);
  return offset_factor_;
}

// One type's regional adjustment: weight × (regional − historical), within the caps, a negative
// one reduced by the offset where the agreement period has it.
void Computation::RegionalOf(EnrollmentType t) {
  const std::string pre = Pre(t), label = EnrollmentTypeLabel(t);
  AggregateTypeBenchmark& r = R(t);
  if (!b_.regional) {
    Add(pre + ".regional_adjustment", label + ": regional adjustment", 0, kUnit,
        "the contract has no [benchmark.regional] adjustment", {}, "contract");
    return;
  }
  const RegionalTerms& g = *b_.regional;
  const auto reg = Need(t, Q::kRegionalPerCapita, Y::kBY3, "regional adjustment");
  if (!reg) {
    return;
  }
  const double raw = r_->regional_weight * (*reg - r.weighted_per_capita);
  double adj = raw;
  std::string formula = fmt::format("{} × ({} − {})", Num(r_->regional_weight), Num(*reg),
                                    Num(r.weighted_per_capita));
  std::vector<std::string> inputs = {"benchmark.regional_weight",
                                     InputId(t, Q::kRegionalPerCapita, Y::kBY3),
                                     pre + ".weighted_per_capita"};
  std::string source = g.weight_source + " — " + Cite(kRuleRegional);
  if (g.cap) {
    const auto nat3 = Need(t, Q::kNationalPerCapita, Y::kBY3, "caps the regional adjustment");
    if (!nat3) {
      return;
    }
    const double negative = g.negative_cap.value_or(*g.cap);
    adj = std::clamp(raw, -negative * *nat3, *g.cap * *nat3);
    formula +=
        fmt::format(" = {}, held within [−{}, {}] × {}{}", Num(raw), Num(negative), Num(*g.cap),
                    Num(*nat3), adj != raw ? " (capped)" : " (within the caps)");
    inputs.push_back(InputId(t, Q::kNationalPerCapita, Y::kBY3));
    source = g.cap_source + " — " + Cite(kRuleRegional);
  }
  if (adj < 0 && g.offset) {
    const auto of = OffsetFactor();
    if (!of) {
      return;
    }
    formula += fmt::format(" = {}, × (1 − offset factor {})", Num(adj), Num(*of));
    adj *= 1 - *of;
    inputs.push_back("benchmark.regional_offset_factor");
    source += std::string("; ") + kRuleOffset;
  }
  r.regional_adjustment = adj;
  Add(pre + ".regional_adjustment", label + ": regional adjustment per capita", adj, kUnit, formula,
      inputs, source);
}

// Σ BY3 assigned proportion × a per-type value ÷ Σ proportions, as node `id`. `value` gives the
// type's value and its node id, or nothing when the figure is missing (recorded in errors_).
std::optional<double> Computation::By3Weighted(
    const std::string& id, const std::string& label, const std::string& source,
    const std::function<std::optional<std::pair<double, std::string>>(EnrollmentType)>& value) {
  double sum = 0, weight = 0;
  std::string formula;
  std::vector<std::string> inputs;
  for (EnrollmentType t : types_) {
    const auto p = Need(t, Q::kAssignedProportion, Y::kBY3, "weights the types");
    const auto v = value(t);
    if (!p || !v) {
      return std::nullopt;
    }
    sum += *p * v->first;
    weight += *p;
    formula += fmt::format("{}{} × {}", formula.empty() ? "" : " + ", Num(*p), Num(v->first));
    inputs.push_back(InputId(t, Q::kAssignedProportion, Y::kBY3));
    inputs.push_back(v->second);
  }
  Add(id, label, sum / weight, kUnit, "(" + formula + ") ÷ " + Num(weight), inputs, source);
  return sum / weight;
}

// 42 CFR 425.656(d): the types' regional adjustments as one value.
std::optional<double> Computation::RegionalSingleValue() {
  return By3Weighted(
      "benchmark.regional_single_value", "Regional adjustment as a single value",
      b_.regional->rules_source.empty() ? kRuleSingle : b_.regional->rules_source,
      [&](EnrollmentType t) {
        return std::optional(std::pair{R(t).regional_adjustment, Pre(t) + ".regional_adjustment"});
      });
}

// National per capita BY3 as one value (the prior savings and health equity caps).
std::optional<double> Computation::NationalSingleValue() {
  if (!national_single_done_) {
    national_single_done_ = true;
    national_single_ = By3Weighted(
        "benchmark.BY3.national_per_capita", "National per capita BY3 as a single value",
        kRuleNationalSingle,
        [&](EnrollmentType t) -> std::optional<std::pair<double, std::string>> {
          const auto nat = Need(t, Q::kNationalPerCapita, Y::kBY3, "caps the adjustment");
          if (!nat) {
            return std::nullopt;
          }
          return std::pair{*nat, InputId(t, Q::kNationalPerCapita, Y::kBY3)};
        });
  }
  return national_single_;
}

// 42 CFR 425.658: for a renewing or re-entering ACO (agreement period 2 or later) whose period
// has the rule. None when it does not apply; 0 when the average savings are not positive.
Result<std::optional<double>> Computation::PriorSavingsAdjustment() {
  const ParamTable* table = nullptr;
  auto row = RowFor("mssp/prior_savings_adjustment.csv", k_, &table);
  if (!row.ok()) {
    return row.status();
  }
  if (*row == nullptr || k_.agreement_period < 2) {
    return std::optional<double>();
  }
  const std::string source = table->SourceOf(**row);
  const double share = ParseDouble((*row)->Get("share")).value_or(0);
  const double cap = ParseDouble((*row)->Get("cap")).value_or(0);
  double sum = 0;
  std::string formula;
  std::vector<std::string> inputs;
  for (Y y : {Y::kBY1, Y::kBY2, Y::kBY3}) {
    const auto s = NeedAco(Q::kPriorSavingsPerCapita, y,
                           "a renewing or re-entering ACO's prior savings adjustment (0 for a "
                           "year not reconciled)");
    if (s) {
      sum += *s;
      formula += fmt::format("{}{}", formula.empty() ? "" : " + ", Num(*s));
      inputs.push_back(AcoInputId(Q::kPriorSavingsPerCapita, y));
    }
  }
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  const double average = sum / 3;
  Add("benchmark.prior_savings.average", "Average per capita savings of the three prior years",
      average, kUnit, "(" + formula + ") ÷ 3", inputs, source);
  if (!(average > 0)) {
    Add("benchmark.prior_savings_adjustment", "Prior savings adjustment", 0, kUnit,
        "the average is not positive: no prior savings adjustment",
        {"benchmark.prior_savings.average"}, source);
    return std::optional<double>(0.0);
  }
  const auto proration =
      NeedAco(Q::kPriorSavingsProration, Y::kBY3, "prorates the prior savings adjustment");
  const auto national = NationalSingleValue();
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  const double scaled = share * *proration * average, bound = cap * *national;
  const double psa = std::min(scaled, bound);
  Add("benchmark.prior_savings_adjustment", "Prior savings adjustment", psa, kUnit,
      fmt::format("min({} × proration {} × average {} = {}, {} × national {} = {})", Num(share),
                  Num(*proration), Num(average), Num(scaled), Num(cap), Num(*national), Num(bound)),
      {"benchmark.prior_savings.average", AcoInputId(Q::kPriorSavingsProration, Y::kBY3),
       "benchmark.BY3.national_per_capita"},
      source);
  return std::optional<double>(psa);
}

// 42 CFR 425.662(b): where the agreement period has it, (cap × national − the higher of the
// regional single value, the prior savings adjustment and 0) × the LIS/dual proportion, when
// that proportion reaches the threshold. None when the rule does not apply.
Result<std::optional<double>> Computation::HealthEquityAdjustment(double regional,
                                                                  double prior_savings) {
  const ParamTable* table = nullptr;
  auto row = RowFor("mssp/health_equity_adjustment.csv", k_, &table);
  if (!row.ok()) {
    return row.status();
  }
  if (*row == nullptr) {
    return std::optional<double>();
  }
  const std::string source = table->SourceOf(**row);
  const double threshold = ParseDouble((*row)->Get("threshold")).value_or(1);
  const double cap = ParseDouble((*row)->Get("cap")).value_or(0);
  const auto p = NeedAco(Q::kLisDualProportion, Y::kPY, "health equity benchmark adjustment");
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  const std::string p_id = AcoInputId(Q::kLisDualProportion, Y::kPY);
  if (*p < threshold) {
    Add("benchmark.health_equity_adjustment", "Health equity benchmark adjustment", 0, kUnit,
        fmt::format("LIS/dual proportion {} is below {}: not eligible", Num(*p), Num(threshold)),
        {p_id}, source);
    return std::optional<double>(0.0);
  }
  const auto national = NationalSingleValue();
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  const double higher = std::max({regional, prior_savings, 0.0});
  const double scaler = std::max(0.0, cap * *national - higher);
  const double heba = scaler * *p;
  Add("benchmark.health_equity_adjustment", "Health equity benchmark adjustment", heba, kUnit,
      fmt::format("({} × national {} − max(regional {}, prior savings {}, 0)) × LIS/dual "
                  "proportion {}",
                  Num(cap), Num(*national), Num(regional), Num(prior_savings), Num(*p)),
      {"benchmark.BY3.national_per_capita", p_id}, source);
  return std::optional<double>(heba);
}

// The adjustment each type receives and its historical per capita. Without the 2024 choice the
// regional adjustment (0 without one) is the adjustment.
void Computation::ApplyOf(EnrollmentType t, const std::string& kind, double flat,
                          const std::string& flat_id) {
  const std::string pre = Pre(t), label = EnrollmentTypeLabel(t);
  AggregateTypeBenchmark& r = R(t);
  std::string adjustment_id = pre + ".regional_adjustment";
  r.benchmark_adjustment = r.regional_adjustment;
  if (choice_) {
    r.benchmark_adjustment = kind == "regional" ? r.regional_adjustment : flat;
    adjustment_id = pre + ".benchmark_adjustment";
    Add(adjustment_id, label + ": adjustment of the historical benchmark per capita",
        r.benchmark_adjustment, kUnit,
        kind == "regional" ? "the type's regional adjustment"
        : kind == "none"   ? "no adjustment"
                           : "the same per capita amount for every type",
        {kind == "regional" ? pre + ".regional_adjustment" : flat_id}, kRuleSelect);
  }
  r.historical_per_capita = r.weighted_per_capita + r.benchmark_adjustment;
  Add(pre + ".historical_per_capita",
      label + ": historical benchmark per capita after the adjustment", r.historical_per_capita,
      kUnit, "weighted per capita + adjustment", {pre + ".weighted_per_capita", adjustment_id},
      Cite(kRuleRegional));
}

// Which adjustment the historical benchmark receives. Before 2024: the regional one, if any.
// From 2024: the highest positive of the regional single value, the prior savings adjustment
// and (from 2025) the health equity adjustment; on a tie the earlier in that order.
Status Computation::ApplyAdjustments() {
  auto psa = PriorSavingsAdjustment();
  if (!psa.ok()) {
    return psa.status();
  }
  const bool single = b_.regional && b_.regional->single_value;
  std::optional<double> regional;
  if (single) {
    regional = RegionalSingleValue();
  }
  auto heba = HealthEquityAdjustment(regional.value_or(0), psa->value_or(0));
  if (!heba.ok()) {
    return heba.status();
  }
  if (Status s = Errors(); !s.ok()) {
    return s;
  }
  r_->regional_single_value = regional;
  r_->prior_savings_adjustment = *psa;
  r_->health_equity_adjustment = *heba;
  choice_ = regional || psa->has_value() || heba->has_value();
  if (!choice_) {
    r_->adjustment_applied = b_.regional ? "regional" : "none";
    for (EnrollmentType t : types_) {
      ApplyOf(t, r_->adjustment_applied, 0, "");
    }
    return Status::Ok();
  }
  std::string kind = "none", id;
  double best = 0;
  for (auto [name, value, node] :
       {std::tuple{"regional", regional, "benchmark.regional_single_value"},
        std::tuple{"prior_savings", *psa, "benchmark.prior_savings_adjustment"},
        std::tuple{"health_equity", *heba, "benchmark.health_equity_adjustment"}}) {
    if (value && *value > best) {
      best = *value;
      kind = name;
      id = node;
    }
  }
  r_->adjustment_applied = kind;
  std::vector<std::string> inputs;
  if (single) {
    inputs.push_back("benchmark.regional_single_value");
  }
  if (psa->has_value()) {
    inputs.push_back("benchmark.prior_savings_adjustment");
  }
  if (heba->has_value()) {
    inputs.push_back("benchmark.health_equity_adjustment");
  }
  Add("benchmark.adjustment", "Adjustment applied to the historical benchmark (single value)", best,
      kUnit,
      kind == "none" ? "no adjustment is positive: none applied"
                     : fmt::format("the highest positive adjustment: {}", kind),
      inputs, kRuleSelect);
  for (EnrollmentType t : types_) {
    ApplyOf(t, kind, best, "benchmark.adjustment");
  }
  return Status::Ok();
}

}  // namespace valuepact::aggregate_internal
