#include "valuepact/benchmark/historical_benchmark.h"
#include "benchmark/benchmark_data.h"
#include "valuepact/core/figure_ids.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "valuepact/benchmark/enrollment_type.h"
#include "valuepact/refdata/cms_hcc_tables.h"
#include "valuepact/refdata/reference_data.h"
#include "valuepact/risk/dataset_scoring.h"
#include "valuepact/risk/diagnosis_sourcing.h"
#include "valuepact/risk/risk_ratio.h"
#include "valuepact/risk/risk_scorer.h"

namespace valuepact {
namespace {

constexpr size_t kTypes = kEnrollmentTypeCount;

// Rule citations shown as trace sources (docs/contract-reference.md, "Benchmark methodology").
constexpr const char* kRuleTypes = "42 CFR 425.601(a)(1)-(2): expenditure by enrollment type";
constexpr const char* kRuleTruncation =
    "42 CFR 425.601(a)(4): per-member annual expenditure truncated";
constexpr const char* kRuleTrend = "42 CFR 425.601(a)(5)-(6): baseline years trended to the last";
constexpr const char* kRuleWeights =
    "42 CFR 425.601(a)(7) (10/30/60), 425.603 (equal weights of rebased benchmarks)";
constexpr const char* kRuleRegional = "42 CFR 425.601(a)(8), 425.656: regional adjustment";
constexpr const char* kRuleRisk = "42 CFR 425.601(a)(10): prospective CMS-HCC risk ratio";
constexpr const char* kRuleRiskDemographic =
    "42 CFR 425.605(a)(1)(ii), 425.610(a)(2)(ii): risk score growth capped at demographic "
    "growth + 3 points";
constexpr const char* kRuleUpdate = "42 CFR 425.601(b): update to the performance year";
constexpr const char* kRuleBlend =
    "42 CFR 425.601(a)(1)-(2): types blended by the performance year's person-year shares";

std::string T(EnrollmentType t) { return EnrollmentTypeName(t); }

}  // namespace

namespace benchmark_data {

MemberMonthOptions MonthOptions(const Dataset& ds, const Contract& k, int year) {
  MemberMonthOptions o;
  o.period = {Date::FromCivil(year, 1, 1), Date::FromCivil(year, 12, 31)};
  o.rule = k.member_months;
  for (const auto& p : k.payers) {
    const uint32_t id = ds.codes.Find(p);
    o.payers.push_back(id == kNoCode ? kNoCode - 1 : id);
  }
  return o;
}

YearData LoadYear(const Dataset& ds, const Contract& k, int year) {
  YearData y;
  y.year = year;
  const uint32_t n = ds.member_count();
  const MemberMonths mm = ComputeMemberMonths(ds, MonthOptions(ds, k, year));
  y.months.resize(n);
  y.spend.resize(n);
  y.type.resize(n);
  for (uint32_t m = 0; m < n; ++m) {
    y.months[m] = mm.Count(m);
    y.type[m] = ClassifyEnrollmentType(ds, m, year);
  }
  const bool paid = k.basis == AmountBasis::kPaid;
  // The same scope as the performance period's spending: a claim counts in the month it belongs
  // to when the member has a member-month then.
  if (k.medical) {
    const auto& t = ds.medical;
    for (size_t i = 0; i < t.size(); ++i) {
      const int month = mm.IndexOf(MedicalLineMonth(t, i, k.claim_month));
      if (month < 0 || !mm.Has(t.member[i], month)) {
        continue;
      }
      y.spend[t.member[i]] += paid ? t.paid[i] : t.allowed[i];
    }
  }
  if (k.pharmacy) {
    const auto& t = ds.pharmacy;
    for (size_t i = 0; i < t.size(); ++i) {
      const int month = mm.IndexOf(YearMonth::Of(t.dispensing_date[i]));
      if (month < 0 || !mm.Has(t.member[i], month)) {
        continue;
      }
      y.spend[t.member[i]] += paid ? t.paid[i] : t.allowed[i];
    }
  }
  return y;
}

// The regional blend weight: the contract's one number, or the sign rule (42 CFR 425.601(f)(5)):
// the person-year weighted sum over the types of (regional − historical PMPM), weighted by the
// last baseline year's member-months; positive means the ACO spends less than its region.
Result<double> ChooseRegionalWeight(const RegionalTerms& g,
                                    const std::array<Money, kEnrollmentTypeCount>& historical,
                                    const std::array<bool, kEnrollmentTypeCount>& needed,
                                    const std::function<const YearData&()>& last_baseline,
                                    int last_year, Trace* tr) {
  const std::string rclause = fmt::format("[benchmark.regional] (contract line {})", g.source_line);
  if (g.weight) {
    tr->AddRate("benchmark.regional_weight", "Regional blend weight", *g.weight, "contract term",
                {}, g.weight_source + " — " + kRuleRegional);
    return *g.weight;
  }
  const YearData& yd = last_baseline();
  std::array<int64_t, kEnrollmentTypeCount> months{};
  int64_t total = 0;
  for (size_t m = 0; m < yd.months.size(); ++m) {
    const size_t t = static_cast<size_t>(yd.type[m]);
    if (!needed[t]) {
      continue;
    }
    months[t] += yd.months[m];
    total += yd.months[m];
  }
  if (total == 0) {
    return InvalidInput(fmt::format(
        "{}: the weight follows the sign of the person-year weighted difference between regional "
        "and historical spending, weighted by the member-months of the last baseline year ({}); "
        "the data has none: give weight as one number",
        rclause, last_year));
  }
  long double sum = 0;
  std::vector<std::string> inputs;
  std::string formula;
  for (auto ty : kEnrollmentTypes) {
    const size_t t = static_cast<size_t>(ty);
    if (!needed[t] || months[t] == 0) {
      continue;
    }
    if (!g.pmpm[t]) {
      return InvalidInput(
          fmt::format("{}: no regional PMPM for enrollment type {}", rclause, T(ty)));
    }
    const long double share = static_cast<long double>(months[t]) / static_cast<long double>(total);
    sum += share * (g.pmpm[t]->as_units() - historical[t].as_units());
    formula += fmt::format("{}{}/{} × ({} − {})", formula.empty() ? "" : " + ", months[t], total,
                           g.pmpm[t]->ToString(), historical[t].ToString());
    const std::string pre = fmt::format("benchmark.{}", T(ty));
    inputs.push_back(pre + ".regional_pmpm");
    inputs.push_back(pre + ".historical_pmpm");
  }
  const bool lower = sum > 0;
  tr->AddMoney(
      "benchmark.regional_difference",
      "Regional minus historical PMPM, weighted by the last baseline year's member-months",
      RoundToCents(sum), formula + ", rounded to the cent", inputs,
      fmt::format("42 CFR 425.601(f)(5): member-months of {} by enrollment type", last_year));
  const double w = lower ? *g.lower_spending_weight : *g.higher_spending_weight;
  tr->AddRate("benchmark.regional_weight", "Regional blend weight", w,
              lower ? fmt::format("the weighted difference is positive: the ACO spends less than "
                                  "its region → lower_spending weight {}",
                                  FormatRate(w))
                    : fmt::format("the weighted difference is not positive: the ACO does not spend "
                                  "less than its region → higher_spending weight {}",
                                  FormatRate(w)),
              {"benchmark.regional_difference"}, g.weight_source + " — " + kRuleRegional);
  return w;
}

Result<MeanScores> ComputeMeanScores(const Dataset& ds, const ReferenceData& refdata,
                                     const std::string& model, int payment_year,
                                     const std::vector<int>& months,
                                     const std::vector<EnrollmentType>& types,
                                     bool want_demographic, const std::string& what,
                                     const std::string& source, Trace* tr,
                                     std::vector<std::string>* notes) {
  auto prepared = risk::PrepareDatasetScoring(ds, refdata, model, payment_year);
  if (!prepared.ok()) {
    return prepared.status();
  }
  const risk::RiskScorer* scorer = &prepared->scorer;
  for (const auto& n : scorer->notes()) {
    notes->push_back(fmt::format("benchmark risk scores, payment year {}: {}", payment_year, n));
  }
  auto& members = prepared->members;
  // Each scored member's derivation (segment, HCCs, coefficients) goes into the trace under
  // this year's prefix, so the benchmark's risk figures link down to it.
  const std::string year_id = fmt::format("benchmark.risk.{}", payment_year);
  std::vector<uint8_t> explain(members.size(), 0);
  for (size_t i = 0; i < members.size(); ++i) {
    const uint32_t m = ds.members.Find(members[i].person_id);
    explain[i] = m != StringInterner::kNone && months[m] > 0;
  }
  Trace member_trace;
  const auto scores = scorer->ScoreAll(members, &member_trace, explain);
  auto prefixed = [&](const std::string& id) { return year_id + "." + id; };
  for (const TraceNode& n : member_trace.nodes()) {
    TraceNode copy = n;
    copy.id = prefixed(n.id);
    for (auto& in : copy.inputs) {
      in = prefixed(in);
    }
    tr->Add(std::move(copy));
  }
  std::vector<risk::MemberResult> demo_scores;
  if (want_demographic) {
    auto demo_members = members;
    for (auto& m : demo_members) {
      m.dx.clear();
    }
    demo_scores = scorer->ScoreAll(demo_members, nullptr);
  }
  MeanScores out;
  std::array<long double, kTypes> sum{}, dsum{}, wsum{};
  std::array<std::vector<std::string>, kTypes> inputs;
  int64_t unscored = 0;
  std::vector<uint8_t> scored(ds.member_count(), 0);
  for (size_t i = 0; i < members.size(); ++i) {
    const uint32_t m = ds.members.Find(members[i].person_id);
    if (m == StringInterner::kNone || months[m] == 0) {
      continue;
    }
    scored[m] = 1;
    const size_t t = static_cast<size_t>(types[m]);
    const double s = scores[i].final_score;
    const std::string id = fmt::format("{}.{}.score", year_id, members[i].person_id);
    std::string hccs;
    if (!scores[i].models.empty()) {
      scores[i].models.front().score.hccs.ForEach(
          [&](int cc) { hccs += (hccs.empty() ? "HCC" : ", HCC") + std::to_string(cc); });
    }
    tr->AddRate(
          id,
          fmt::format("Risk score of member {} (payment year {})", members[i].person_id,
                      payment_year),
          s,
          fmt::format("CMS-HCC {} payment score, segment {}, {}; weight {} member-months", model,
                      scores[i].models.empty()
                          ? "?"
                          : risk::SegmentName(scores[i].models.front().score.segment),
                      hccs.empty() ? "no payment HCCs" : hccs, months[m]),
          {prefixed(risk::RiskScorer::ScoreNodeId(members[i].person_id))},
          fmt::format("data: diagnoses of {} claims, demographics of eligibility",
                      payment_year - 1))
        .member = members[i].person_id;
    inputs[t].push_back(id);
    sum[t] += static_cast<long double>(s) * months[m];
    wsum[t] += months[m];
    if (want_demographic) {
      dsum[t] += static_cast<long double>(demo_scores[i].final_score) * months[m];
    }
  }
  for (uint32_t m = 0; m < ds.member_count(); ++m) {
    unscored += months[m] > 0 && scored[m] == 0;
  }
  if (unscored > 0) {
    notes->push_back(fmt::format(
        "benchmark risk scores, payment year {}: {} members with member-months have no score "
        "(no birth date) and are left out of the mean",
        payment_year, unscored));
  }
  for (auto ty : kEnrollmentTypes) {
    const size_t t = static_cast<size_t>(ty);
    if (wsum[t] <= 0) {
      continue;
    }
    out.mean[t] = static_cast<double>(sum[t] / wsum[t]);
    out.mean_id[t] = fmt::format("benchmark.{}.{}_mean_score", T(ty), what);
    tr->AddRate(out.mean_id[t],
                fmt::format("{}: mean risk score, {} (payment year {})", EnrollmentTypeLabel(ty),
                            what, payment_year),
                *out.mean[t],
                fmt::format("Σ score × member-months ÷ Σ member-months over {} members "
                            "({} member-months)",
                            inputs[t].size(), static_cast<int64_t>(wsum[t])),
                inputs[t], source);
    if (want_demographic) {
      out.demographic[t] = static_cast<double>(dsum[t] / wsum[t]);
      out.demographic_id[t] = fmt::format("benchmark.{}.{}_demographic_score", T(ty), what);
      tr->AddRate(out.demographic_id[t],
                  fmt::format("{}: mean demographic risk score, {} (payment year {})",
                              EnrollmentTypeLabel(ty), what, payment_year),
                  *out.demographic[t],
                  "the same members and weights scored without diagnoses (demographic terms only)",
                  inputs[t], source);
    }
  }
  return out;
}

PerformanceTypes ClassifyPerformanceYear(const Dataset& ds, const Contract& k,
                                         const HistoricalBenchmarkInputs& in, Trace* tr,
                                         HistoricalBenchmarkResult* r) {
  const uint32_t n = ds.member_count();
  const int py = k.benchmark.performance_year;
  PerformanceTypes pt;
  pt.type.resize(n);
  pt.months.resize(n);
  for (uint32_t m = 0; m < n; ++m) {
    pt.months[m] = in.performance_months->Count(m);
    pt.type[m] = ClassifyEnrollmentType(ds, m, py);
    r->type_member_months[static_cast<size_t>(pt.type[m])] += pt.months[m];
    pt.total_member_months += pt.months[m];
  }
  for (auto ty : kEnrollmentTypes) {
    const size_t t = static_cast<size_t>(ty);
    pt.needed[t] = r->type_member_months[t] > 0;
    pt.type_member_months[t] = r->type_member_months[t];
    tr->AddCount(fmt::format("benchmark.{}.member_months", T(ty)),
                 fmt::format("{}: member-months in the performance year", EnrollmentTypeLabel(ty)),
                 r->type_member_months[t], "member_months",
                 "member-months of the population's members of this enrollment type",
                 {in.member_months_id},
                 fmt::format("data: enrollment type in {} (ESRD: medicare_status_code 11/21/31 or "
                             "OREC 2/3; disabled: code 20 or age < 65 on 1 January; aged/dual: "
                             "dual_status_code not 00/NA; else aged/non-dual) — {}",
                             py, kRuleTypes));
  }
  return pt;
}

// What the risk ratios of the benchmark's types need.
struct RiskRatioInputs {
  const BenchmarkRiskTerms& ra;
  const std::array<bool, kEnrollmentTypeCount>& needed;
  const MeanScores& perf;
  const MeanScores& base;
  const std::array<Money, kEnrollmentTypeCount>& adjusted_pmpm;    // after the regional adjustment
  const std::array<int64_t, kEnrollmentTypeCount>& member_months;  // performance year
};

// The performance and baseline mean scores of a type: supplied by the contract (a node here) or
// computed (its node exists). Returns the node id.
Result<std::string> MeanNode(const RiskRatioInputs& in, EnrollmentType ty, bool performance,
                             Trace* tr, double* value) {
  const size_t t = static_cast<size_t>(ty);
  const PerTypeRate& supplied =
      performance ? in.ra.performance_mean_score : in.ra.baseline_mean_score;
  const MeanScores& computed = performance ? in.perf : in.base;
  const char* what = performance ? "performance" : "baseline";
  const std::string key = fmt::format("{}_mean_score", what);
  const std::string rclause =
      fmt::format("[benchmark.risk_adjustment] (contract line {})", in.ra.source_line);
  if (supplied[t]) {
    *value = *supplied[t];
    const std::string id = fmt::format("benchmark.{}.{}_mean_score", T(ty), what);
    tr->AddRate(id, fmt::format("{}: mean risk score, {}", EnrollmentTypeLabel(ty), what),
                *supplied[t], "contract term", {}, rclause + "." + key);
    return id;
  }
  if (!computed.mean[t]) {
    return InvalidInput(
        fmt::format("{}: no {} members of enrollment type {} have a risk score; supply {}", rclause,
                    what, T(ty), key));
  }
  *value = *computed.mean[t];
  return computed.mean_id[t];
}

// A type's demographic score growth: supplied, or performance ÷ baseline demographic means.
Result<double> DemographicGrowth(const RiskRatioInputs& in, EnrollmentType ty, Trace* tr) {
  const size_t t = static_cast<size_t>(ty);
  const std::string id = fmt::format("benchmark.{}.demographic_ratio", T(ty));
  const std::string label = EnrollmentTypeLabel(ty);
  const std::string rclause =
      fmt::format("[benchmark.risk_adjustment] (contract line {})", in.ra.source_line);
  if (in.ra.demographic_ratio[t]) {
    tr->AddRate(id, label + ": demographic risk score growth", *in.ra.demographic_ratio[t],
                "contract term", {}, rclause + ".demographic_ratio");
    return *in.ra.demographic_ratio[t];
  }
  if (!in.perf.demographic[t] || !in.base.demographic[t]) {
    return InvalidInput(
        fmt::format("{}: no demographic scores for enrollment type {}", rclause, T(ty)));
  }
  const double demo = *in.perf.demographic[t] / *in.base.demographic[t];
  tr->AddRate(id, label + ": demographic risk score growth", demo,
              fmt::format("{} / {}", FormatRate(*in.perf.demographic[t]),
                          FormatRate(*in.base.demographic[t])),
              {in.perf.demographic_id[t], in.base.demographic_id[t]}, kRuleRiskDemographic);
  return demo;
}

// Agreement periods from 2024 (42 CFR 425.605(a)(1)(ii), 425.610(a)(2)(ii)): the cap is the
// ACO's aggregate demographic growth + the points, applied to every type only when its aggregate
// HCC growth exceeds it; the weights are each type's historical benchmark (after the regional
// adjustment) × its performance-year member-months.
Status DemographicCappedRatios(const RiskRatioInputs& in,
                               const std::array<double, kEnrollmentTypeCount>& uncapped, Trace* tr,
                               std::array<double, kEnrollmentTypeCount>* ratios,
                               std::array<std::string, kEnrollmentTypeCount>* ids) {
  const double points = in.ra.cap.value_or(0.03);
  long double w_sum = 0, hcc = 0, demo = 0;
  std::vector<std::string> hcc_inputs, demo_inputs;
  for (auto ty : kEnrollmentTypes) {
    const size_t t = static_cast<size_t>(ty);
    if (!in.needed[t]) {
      continue;
    }
    auto g = DemographicGrowth(in, ty, tr);
    if (!g.ok()) {
      return g.status();
    }
    const long double w = in.adjusted_pmpm[t].as_units() * in.member_months[t];
    w_sum += w;
    hcc += w * uncapped[t];
    demo += w * *g;
    const std::string pre = fmt::format("benchmark.{}", T(ty));
    for (auto* v : {&hcc_inputs, &demo_inputs}) {
      v->push_back(pre + ".member_months");
    }
    hcc_inputs.push_back((*ids)[t] + ".uncapped");
    demo_inputs.push_back(pre + ".demographic_ratio");
  }
  if (w_sum <= 0) {
    return InvalidInput("the benchmark's aggregate risk growth has no weight");
  }
  const double g_hcc = static_cast<double>(hcc / w_sum);
  const double g_demo = static_cast<double>(demo / w_sum);
  const double cap = g_demo + points;
  const char* weights =
      "weights: each type's historical PMPM (after the regional adjustment) × its "
      "performance-year member-months";
  tr->AddRate("benchmark.risk_growth", "Aggregate growth in HCC risk scores", g_hcc,
              fmt::format("Σ weight × uncapped ratio ÷ Σ weight ({})", weights), hcc_inputs,
              kRuleRiskDemographic);
  tr->AddRate("benchmark.demographic_growth", "Aggregate growth in demographic risk scores", g_demo,
              fmt::format("Σ weight × demographic growth ÷ Σ weight ({})", weights), demo_inputs,
              kRuleRiskDemographic);
  tr->AddRate("benchmark.risk_ratio_cap", "Cap on the benchmark risk ratios", cap,
              fmt::format("aggregate demographic growth {} + {}; applied only when the aggregate "
                          "HCC growth {} exceeds it{}",
                          FormatRate(g_demo), FormatRate(points), FormatRate(g_hcc),
                          g_hcc > cap ? " (it does)" : " (it does not)"),
              {"benchmark.demographic_growth", "benchmark.risk_growth"}, in.ra.cap_source);
  for (auto ty : kEnrollmentTypes) {
    const size_t t = static_cast<size_t>(ty);
    if (!in.needed[t]) {
      continue;
    }
    (*ratios)[t] = g_hcc > cap ? std::min(uncapped[t], cap) : uncapped[t];
    tr->AddRate(
        (*ids)[t], std::string(EnrollmentTypeLabel(ty)) + ": benchmark risk ratio", (*ratios)[t],
        g_hcc > cap ? fmt::format("min(uncapped {}, cap {}){}", FormatRate(uncapped[t]),
                                  FormatRate(cap), (*ratios)[t] < uncapped[t] ? " (capped)" : "")
                    : fmt::format("uncapped {}: the aggregate growth is within the cap",
                                  FormatRate(uncapped[t])),
        {(*ids)[t] + ".uncapped", "benchmark.risk_ratio_cap"}, in.ra.cap_source);
  }
  return Status::Ok();
}

// The risk ratio of every type the benchmark needs, capped by the contract's rule.
Status ComputeRiskRatios(const RiskRatioInputs& in, Trace* tr,
                         std::array<double, kEnrollmentTypeCount>* ratios,
                         std::array<std::string, kEnrollmentTypeCount>* ids) {
  const auto& ra = in.ra;
  const std::string rclause =
      fmt::format("[benchmark.risk_adjustment] (contract line {})", ra.source_line);
  std::array<double, kEnrollmentTypeCount> uncapped{};
  for (auto ty : kEnrollmentTypes) {
    const size_t t = static_cast<size_t>(ty);
    if (!in.needed[t]) {
      continue;
    }
    const std::string label = EnrollmentTypeLabel(ty);
    double pm = 0, bm = 0;
    auto pid = MeanNode(in, ty, true, tr, &pm);
    if (!pid.ok()) {
      return pid.status();
    }
    auto bid = MeanNode(in, ty, false, tr, &bm);
    if (!bid.ok()) {
      return bid.status();
    }
    (*ids)[t] = fmt::format("benchmark.{}.risk_ratio", T(ty));
    if (ra.cap_rule == "demographic_plus_3") {
      auto rr = risk::ComputeRiskRatio(pm, bm, std::nullopt, risk::RiskCapRule::kSymmetric);
      if (!rr.ok()) {
        return InvalidInput(fmt::format("{}: {}", rclause, rr.status().message()));
      }
      uncapped[t] = rr->uncapped;
      tr->AddRate((*ids)[t] + ".uncapped", label + ": risk ratio before the cap", rr->uncapped,
                  fmt::format("{} / {}", FormatRate(pm), FormatRate(bm)), {*pid, *bid}, kRuleRisk);
      continue;
    }
    risk::RiskRatioTrace names;
    names.id = (*ids)[t];
    names.mean_performance_id = *pid;
    names.mean_baseline_id = *bid;
    const bool capped = ra.cap_rule == "upward_only" || ra.cap_rule == "symmetric";
    names.source = capped ? ra.cap_source : rclause + " — " + kRuleRisk;
    auto rr = risk::ComputeRiskRatio(
        pm, bm, capped ? ra.cap : std::nullopt,
        ra.cap_rule == "symmetric" ? risk::RiskCapRule::kSymmetric : risk::RiskCapRule::kUpwardOnly,
        tr, names);
    if (!rr.ok()) {
      return InvalidInput(fmt::format("{}: {}", rclause, rr.status().message()));
    }
    (*ratios)[t] = rr->ratio;
  }
  if (ra.cap_rule == "demographic_plus_3") {
    return DemographicCappedRatios(in, uncapped, tr, ratios, ids);
  }
  return Status::Ok();
}

}  // namespace benchmark_data

using namespace benchmark_data;

Result<HistoricalBenchmarkResult> ComputeHistoricalBenchmark(const Dataset& ds, const Contract& k,
                                                             const HistoricalBenchmarkInputs& in,
                                                             Trace* tr) {
  const BenchmarkTerms& b = k.benchmark;
  if (!b.cms_figures.empty()) {
    if (in.cms_figures == nullptr) {
      return InvalidInput(
          fmt::format("[benchmark] cms_figures = \"{}\" was not read", b.cms_figures));
    }
    return ComputeBenchmarkWithCmsFigures(ds, k, in, tr);
  }
  HistoricalBenchmarkResult r;
  const uint32_t n = ds.member_count();
  const int py = b.performance_year;
  const std::string clause = fmt::format("[benchmark] (contract line {})", b.source_line);
  auto baseline_clause = [&](size_t i) {
    return fmt::format("[[benchmark.baseline]] year = {} (contract line {})", b.baselines[i].year,
                       b.baselines[i].source_line);
  };
  const int last_year = b.baselines.back().year;

  // ---- performance-year member-months by type --------------------------------------------
  const PerformanceTypes pt = ClassifyPerformanceYear(ds, k, in, tr, &r);
  const std::vector<EnrollmentType>& py_type = pt.type;
  const std::vector<int>& py_months = pt.months;
  const int64_t total_mm = pt.total_member_months;
  const std::array<bool, kTypes>& needed = pt.needed;

  // ---- baseline years -----------------------------------------------------------------------
  bool any_computed = false;
  for (const auto& y : b.baselines) {
    for (auto ty : kEnrollmentTypes) {
      any_computed |=
          needed[static_cast<size_t>(ty)] && !y.expenditure_pmpm[static_cast<size_t>(ty)];
    }
  }
  std::map<int, YearData> years;
  auto year_data = [&](int year) -> const YearData& {
    auto it = years.find(year);
    if (it == years.end()) {
      it = years.emplace(year, LoadYear(ds, k, year)).first;
    }
    return it->second;
  };
  // trended[type][baseline]
  std::array<std::vector<Money>, kTypes> trended;
  std::array<std::vector<std::string>, kTypes> trended_ids;
  for (size_t i = 0; i < b.baselines.size(); ++i) {
    const auto& by = b.baselines[i];
    const std::string ypre = fmt::format("benchmark.baseline.{}", by.year);
    std::optional<Money> threshold;
    std::string threshold_id;
    bool year_computed = false;
    for (auto ty : kEnrollmentTypes) {
      year_computed |=
          needed[static_cast<size_t>(ty)] && !by.expenditure_pmpm[static_cast<size_t>(ty)];
    }
    if (year_computed && (b.truncation.amount || b.truncation.percentile)) {
      const YearData& yd = year_data(by.year);
      threshold_id = ypre + ".truncation_threshold";
      if (b.truncation.amount) {
        threshold = *b.truncation.amount;
        tr->AddMoney(threshold_id, fmt::format("Baseline {}: member truncation threshold", by.year),
                     *threshold, "contract term (per member per year)", {},
                     clause + ".truncation.amount — " + kRuleTruncation);
      } else {
        std::vector<Money> spends;
        for (uint32_t m = 0; m < n; ++m) {
          if (yd.months[m] > 0) {
            spends.push_back(yd.spend[m]);
          }
        }
        std::sort(spends.begin(), spends.end());
        if (!spends.empty()) {
          const size_t at = NearestRankIndex(spends.size(), *b.truncation.percentile);
          threshold = spends[at];
          tr->AddMoney(
              threshold_id,
              fmt::format("Baseline {}: member truncation at the {} percentile", by.year,
                          FormatRate(*b.truncation.percentile)),
              *threshold,
              fmt::format("nearest rank: the {}-th smallest of {} members' annual spending "
                          "(rank = ⌈{} × {}⌉)",
                          at + 1, spends.size(), FormatRate(*b.truncation.percentile),
                          spends.size()),
              {}, clause + ".truncation.percentile — " + kRuleTruncation);
        }
      }
    }
    for (auto ty : kEnrollmentTypes) {
      const size_t t = static_cast<size_t>(ty);
      if (!needed[t]) {
        continue;
      }
      const std::string pre = fmt::format("benchmark.{}.baseline.{}", T(ty), by.year);
      Money pmpm;
      if (by.expenditure_pmpm[t]) {
        pmpm = *by.expenditure_pmpm[t];
        tr->AddMoney(
            pre + ".pmpm",
            fmt::format("{}: expenditure PMPM, baseline {}", EnrollmentTypeLabel(ty), by.year),
            pmpm, "contract term", {}, baseline_clause(i) + ".expenditure_pmpm." + T(ty));
      } else {
        const YearData& yd = year_data(by.year);
        Money spend, truncated;
        int64_t mm = 0, members = 0, cut = 0;
        for (uint32_t m = 0; m < n; ++m) {
          if (yd.months[m] == 0 || yd.type[m] != ty) {
            continue;
          }
          ++members;
          mm += yd.months[m];
          spend += yd.spend[m];
          if (threshold && yd.spend[m] > *threshold) {
            truncated += *threshold;
            ++cut;
          } else {
            truncated += yd.spend[m];
          }
        }
        if (mm == 0) {
          return InvalidInput(fmt::format(
              "{}: enrollment type {} has {} member-months in the performance year but none in "
              "baseline year {}; supply expenditure_pmpm.{} for that year",
              baseline_clause(i), T(ty), r.type_member_months[t], by.year, T(ty)));
        }
        tr->AddCount(
            pre + ".member_months",
            fmt::format("{}: member-months, baseline {}", EnrollmentTypeLabel(ty), by.year), mm,
            "member_months",
            fmt::format("member-months in {} of the {} members of this type", by.year, members), {},
            fmt::format("data: eligibility spans in {} [contract.member_months, "
                        "contract.payers] — {}",
                        by.year, kRuleTypes));
        tr->AddMoney(pre + ".spend_before_truncation",
                     fmt::format("{}: spending, baseline {}", EnrollmentTypeLabel(ty), by.year),
                     spend, "Σ in-scope claim amounts of the type's members in the year", {},
                     fmt::format("data: claims of {} with a member-month [contract.basis, "
                                 "contract.services, contract.claim_month]",
                                 by.year));
        std::vector<std::string> spend_in = {pre + ".spend_before_truncation"};
        std::string formula = "no truncation term: spending as counted";
        if (threshold) {
          spend_in.push_back(threshold_id);
          formula = fmt::format("Σ min(member spending, threshold); {} member{} above it", cut,
                                cut == 1 ? "" : "s");
        }
        tr->AddMoney(
            pre + ".spend",
            fmt::format("{}: truncated spending, baseline {}", EnrollmentTypeLabel(ty), by.year),
            truncated, formula, spend_in,
            threshold ? clause + ".truncation — " + kRuleTruncation : clause);
        pmpm = RoundToCents(truncated.as_units() / static_cast<long double>(mm));
        tr->AddMoney(
            pre + ".pmpm",
            fmt::format("{}: expenditure PMPM, baseline {}", EnrollmentTypeLabel(ty), by.year),
            pmpm, "truncated spending ÷ member-months, rounded to the cent",
            {pre + ".spend", pre + ".member_months"}, "derived — " + std::string(kRuleTypes));
      }
      // Trend to the last baseline year.
      double factor = 1.0;
      std::string factor_formula = "last baseline year: no trend";
      std::string factor_source = kRuleTrend;
      if (by.trend_factor[t]) {
        factor = *by.trend_factor[t];
        factor_formula = "contract term";
        factor_source = baseline_clause(i) + ".trend_factor — " + kRuleTrend;
      } else if (b.annual_trend[t] && by.year != last_year) {
        factor = std::pow(1.0 + *b.annual_trend[t], last_year - by.year);
        factor_formula =
            fmt::format("(1 + {})^({} − {})", FormatRate(*b.annual_trend[t]), last_year, by.year);
        factor_source = clause + ".annual_trend — " + kRuleTrend;
      }
      tr->AddRate(
          pre + ".trend_factor",
          fmt::format("{}: trend factor {} → {}", EnrollmentTypeLabel(ty), by.year, last_year),
          factor, factor_formula, {}, factor_source);
      const Money tp = RoundToCents(pmpm.as_units() * static_cast<long double>(factor));
      tr->AddMoney(pre + ".trended_pmpm",
                   fmt::format("{}: baseline {} PMPM trended to {}", EnrollmentTypeLabel(ty),
                               by.year, last_year),
                   tp, "baseline PMPM × trend factor, rounded to the cent",
                   {pre + ".pmpm", pre + ".trend_factor"}, kRuleTrend);
      trended[t].push_back(tp);
      trended_ids[t].push_back(pre + ".trended_pmpm");
    }
  }
  (void)any_computed;
  std::vector<std::string> weight_ids;
  for (size_t i = 0; i < b.baselines.size(); ++i) {
    const std::string id = fmt::format("benchmark.baseline.{}.weight", b.baselines[i].year);
    tr->AddRate(id, fmt::format("Weight of baseline year {}", b.baselines[i].year),
                b.baseline_weights[i], "contract term (equal weights when not given)", {},
                clause + ".baseline_weights — " + kRuleWeights);
    weight_ids.push_back(id);
  }

  // ---- risk ratio inputs ----------------------------------------------------------------------
  const auto& ra = b.risk;
  MeanScores perf, base;
  if (ra.enabled) {
    bool need_perf = false, need_base = false, need_demo = false;
    for (auto ty : kEnrollmentTypes) {
      const size_t t = static_cast<size_t>(ty);
      if (!needed[t]) {
        continue;
      }
      need_perf |= !ra.performance_mean_score[t];
      need_base |= !ra.baseline_mean_score[t];
      need_demo |= ra.cap_rule == "demographic_plus_3" && !ra.demographic_ratio[t];
    }
    if (need_perf || need_base || need_demo) {
      if (in.refdata == nullptr) {
        return InvalidInput("benchmark risk scores need reference data");
      }
      const ReferenceData& dir = *in.refdata;
      const std::string src =
          fmt::format("[benchmark.risk_adjustment] model = \"{}\" (contract line {})", ra.model,
                      ra.source_line);
      if (need_perf || need_demo) {
        auto s = ComputeMeanScores(ds, dir, ra.model, py, py_months, py_type, need_demo,
                                   "performance", src, tr, &r.notes);
        if (!s.ok()) {
          return s.status();
        }
        perf = *s;
      }
      if (need_base || need_demo) {
        const YearData& yd = year_data(last_year);
        auto s = ComputeMeanScores(ds, dir, ra.model, last_year, yd.months, yd.type, need_demo,
                                   "baseline", src, tr, &r.notes);
        if (!s.ok()) {
          return s.status();
        }
        base = *s;
      }
    }
  }

  // ---- historical PMPM per type (the regional weight's sign rule needs every type's) ----------
  std::array<Money, kTypes> historical_pmpm{};
  for (auto ty : kEnrollmentTypes) {
    const size_t t = static_cast<size_t>(ty);
    long double hist = 0;
    for (size_t i = 0; i < trended[t].size(); ++i) {
      hist += static_cast<long double>(b.baseline_weights[i]) * trended[t][i].as_units();
    }
    historical_pmpm[t] = RoundToCents(hist);
  }
  double regional_weight = 0;
  if (b.regional) {
    auto w = ChooseRegionalWeight(
        *b.regional, historical_pmpm, needed,
        [&]() -> const YearData& { return year_data(last_year); }, last_year, tr);
    if (!w.ok()) {
      return w.status();
    }
    regional_weight = *w;
  }

  // ---- per type: historical PMPM and the regional adjustment --------------------------------
  std::vector<std::string> total_inputs;
  std::string share_text;
  std::array<Money, kTypes> adjusted_pmpm{};
  std::array<std::string, kTypes> adjusted_ids{};
  for (auto ty : kEnrollmentTypes) {
    const size_t t = static_cast<size_t>(ty);
    if (!needed[t]) {
      continue;
    }
    const std::string pre = fmt::format("benchmark.{}", T(ty));
    const std::string label = EnrollmentTypeLabel(ty);
    long double hist = 0;
    std::vector<std::string> hin;
    std::string hformula;
    for (size_t i = 0; i < trended[t].size(); ++i) {
      hist += static_cast<long double>(b.baseline_weights[i]) * trended[t][i].as_units();
      hin.push_back(weight_ids[i]);
      hin.push_back(trended_ids[t][i]);
      hformula += fmt::format("{}{} × {}", i == 0 ? "" : " + ", FormatRate(b.baseline_weights[i]),
                              trended[t][i].ToString());
    }
    const Money historical = historical_pmpm[t];
    tr->AddMoney(pre + ".historical_pmpm", label + ": historical benchmark PMPM", historical,
                 hformula + ", rounded to the cent", hin, kRuleWeights);
    Money adjusted = historical;
    std::string adjusted_id = pre + ".historical_pmpm";
    if (b.regional) {
      const RegionalTerms& g = *b.regional;
      const std::string rclause =
          fmt::format("[benchmark.regional] (contract line {})", g.source_line);
      if (g.offset || g.single_value) {
        return InvalidInput(fmt::format(
            "{}: the agreement period's regional adjustment has the dual/risk offset and the "
            "single-value rule ({}), which need CMS's figures: give [benchmark] cms_figures "
            "(docs/benchmark.md)",
            rclause, g.rules_source));
      }
      if (!g.pmpm[t]) {
        return InvalidInput(
            fmt::format("{}: no regional PMPM for enrollment type {} ({} "
                        "member-months in the performance year)",
                        rclause, T(ty), r.type_member_months[t]));
      }
      tr->AddMoney(pre + ".regional_pmpm", label + ": regional expenditure PMPM", *g.pmpm[t],
                   "contract term", {}, rclause + ".pmpm." + T(ty));
      const long double raw = static_cast<long double>(regional_weight) *
                              (g.pmpm[t]->as_units() - historical.as_units());
      long double adj = raw;
      std::string formula = fmt::format("{} × ({} − {})", FormatRate(regional_weight),
                                        g.pmpm[t]->ToString(), historical.ToString());
      std::vector<std::string> adj_inputs = {"benchmark.regional_weight", pre + ".regional_pmpm",
                                             pre + ".historical_pmpm"};
      std::string adj_source = rclause + " — " + kRuleRegional;
      if (g.cap) {
        if (!g.national_pmpm[t]) {
          return InvalidInput(
              fmt::format("{}: no national_pmpm for enrollment type {}: the cap is a share of it",
                          rclause, T(ty)));
        }
        tr->AddMoney(pre + ".national_pmpm",
                     label + ": national per capita FFS spending PMPM of the last baseline year",
                     *g.national_pmpm[t], "contract term", {}, rclause + ".national_pmpm." + T(ty));
        const long double nat = g.national_pmpm[t]->as_units();
        const long double upper = static_cast<long double>(*g.cap) * nat;
        const long double lower = -static_cast<long double>(g.negative_cap.value_or(*g.cap)) * nat;
        adj = std::clamp(raw, lower, upper);
        formula +=
            fmt::format(" held within [{}, {}] (−{} and {} × {}){}", RoundToCents(lower).ToString(),
                        RoundToCents(upper).ToString(), FormatRate(g.negative_cap.value_or(*g.cap)),
                        FormatRate(*g.cap), g.national_pmpm[t]->ToString(),
                        adj != raw ? " (capped)" : " (within the cap)");
        adj_inputs.push_back(pre + ".national_pmpm");
        adj_source = g.cap_source + " — " + kRuleRegional;
      }
      const Money adjustment = RoundToCents(adj);
      tr->AddMoney(pre + ".regional_adjustment", label + ": regional adjustment PMPM", adjustment,
                   formula + ", rounded to the cent", adj_inputs, adj_source);
      adjusted = historical + adjustment;
      adjusted_id = pre + ".adjusted_pmpm";
      tr->AddMoney(adjusted_id, label + ": historical PMPM after the regional adjustment", adjusted,
                   "historical PMPM + regional adjustment",
                   {pre + ".historical_pmpm", pre + ".regional_adjustment"}, kRuleRegional);
    }
    adjusted_pmpm[t] = adjusted;
    adjusted_ids[t] = adjusted_id;
  }

  // ---- risk ratios ----------------------------------------------------------------------------
  std::array<double, kTypes> ratios;
  ratios.fill(1.0);
  std::array<std::string, kTypes> ratio_ids{};
  if (ra.enabled) {
    RiskRatioInputs ri{ra, needed, perf, base, adjusted_pmpm, r.type_member_months};
    if (Status st = ComputeRiskRatios(ri, tr, &ratios, &ratio_ids); !st.ok()) {
      return st;
    }
  }

  // ---- per type: update, PMPM and the blend ---------------------------------------------------
  for (auto ty : kEnrollmentTypes) {
    const size_t t = static_cast<size_t>(ty);
    if (!needed[t]) {
      continue;
    }
    const std::string pre = fmt::format("benchmark.{}", T(ty));
    const std::string label = EnrollmentTypeLabel(ty);
    const Money adjusted = adjusted_pmpm[t];
    const std::string& adjusted_id = adjusted_ids[t];
    const double ratio = ratios[t];
    const std::string& ratio_id = ratio_ids[t];
    double update = 1.0;
    const std::string update_id = pre + ".update_factor";
    tr->AddRate(update_id, label + ": update factor to the performance year",
                b.update_factor[t].value_or(1.0),
                b.update_factor[t] ? "contract term" : "no update_factor term: 1", {},
                clause + ".update_factor — " + kRuleUpdate);
    update = b.update_factor[t].value_or(1.0);
    std::vector<std::string> pin = {adjusted_id};
    std::string pformula = adjusted.ToString();
    if (!ratio_id.empty()) {
      pin.push_back(ratio_id);
      pformula += " × risk ratio " + FormatRate(ratio);
    }
    pin.push_back(update_id);
    pformula += " × update factor " + FormatRate(update);
    const Money type_pmpm = RoundToCents(adjusted.as_units() * static_cast<long double>(ratio) *
                                         static_cast<long double>(update));
    r.type_pmpm[t] = type_pmpm;
    tr->AddMoney(pre + ".pmpm", label + ": benchmark PMPM", type_pmpm,
                 pformula + ", rounded to the cent", pin, kRuleUpdate);
    const double share =
        static_cast<double>(r.type_member_months[t]) / static_cast<double>(total_mm);
    tr->AddRate(pre + ".person_year_share", label + ": share of performance-year person-years",
                share, fmt::format("{} ÷ {} member-months", r.type_member_months[t], total_mm),
                {pre + ".member_months", in.member_months_id}, kRuleBlend);
    const Money type_total = type_pmpm * r.type_member_months[t];
    tr->AddMoney(pre + ".total", label + ": benchmark", type_total,
                 "type PMPM × the type's member-months (exact in cents)",
                 {pre + ".pmpm", pre + ".member_months", pre + ".person_year_share"}, kRuleBlend);
    r.total += type_total;
    total_inputs.push_back(pre + ".total");
    share_text += fmt::format("{}{} × {}", share_text.empty() ? "" : " + ", FormatRate(share),
                              type_pmpm.ToString());
  }
  if (total_mm > 0) {
    r.pmpm = RoundToCents(r.total.as_units() / static_cast<long double>(total_mm));
  }
  tr->AddMoney(std::string(figure::kBenchmarkTotal), "Benchmark", r.total,
               fmt::format("Σ over enrollment types of type PMPM × member-months = member-months × "
                           "Σ person-year share × type PMPM ({}) (exact in cents)",
                           share_text.empty() ? "no member-months" : share_text),
               total_inputs, clause + " method = \"historical\" — " + kRuleBlend);
  tr->AddMoney(std::string(figure::kBenchmarkPmpm), "Benchmark per member per month", r.pmpm,
               "benchmark ÷ member-months, rounded to the cent",
               {std::string(figure::kBenchmarkTotal), in.member_months_id}, "derived");
  return r;
}

}  // namespace valuepact
