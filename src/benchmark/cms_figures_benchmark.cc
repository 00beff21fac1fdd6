// `settle` with [benchmark] cms_figures: the benchmark as CMS computes it (aggregate_benchmark.h),
// from CMS's figures (national and regional per capita, national weights, and any figure the
// file gives) and, for the figures it does not give, the data: per capita expenditure of each
// benchmark year (annualized, truncated, completed), mean risk scores, BY3 assigned proportions.
// The performance year's proportions are always the population's member-months.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "benchmark/benchmark_data.h"
#include "valuepact/benchmark/aggregate_benchmark.h"
#include "valuepact/benchmark/historical_benchmark.h"
#include "valuepact/core/figure_ids.h"

namespace valuepact {
namespace {

using Q = AggregateQuantity;
using Y = BenchmarkYear;
using benchmark_data::YearData;

constexpr Y kBaselineYears[] = {Y::kBY1, Y::kBY2, Y::kBY3};
constexpr const char* kRulePerCapita =
    "42 CFR 425.601(a)(2)-(4); MSSP methodology specifications v11 §3.2-3.5: annualized by "
    "person years, truncated, completed, person-year weighted";

class FiguresBuilder {
 public:
  FiguresBuilder(const Dataset& ds, const Contract& k, const HistoricalBenchmarkInputs& in,
                 const benchmark_data::PerformanceTypes& pt, Trace* tr,
                 std::vector<std::string>* notes)
      : ds_(ds),
        k_(k),
        b_(k.benchmark),
        in_(in),
        pt_(pt),
        tr_(tr),
        notes_(notes),
        out_(in.cms_figures->name()) {}

  Result<AggregateBenchmarkInputs> Build();

 private:
  const YearData& Year(int year) {
    auto it = years_.find(year);
    if (it == years_.end()) {
      it = years_.emplace(year, benchmark_data::LoadYear(ds_, k_, year)).first;
    }
    return it->second;
  }
  int YearOf(Y y) const { return b_.baselines[static_cast<size_t>(y)].year; }
  Status PerCapita(EnrollmentType t, Y y);
  std::optional<double> Threshold(Y y, std::string* id);
  Status RiskScore(EnrollmentType t, Y y);
  void Proportions();

  const Dataset& ds_;
  const Contract& k_;
  const BenchmarkTerms& b_;
  const HistoricalBenchmarkInputs& in_;
  const benchmark_data::PerformanceTypes& pt_;
  Trace* tr_;
  std::vector<std::string>* notes_;
  AggregateBenchmarkInputs out_;
  std::map<int, YearData> years_;
  std::map<int, std::optional<double>> thresholds_;
  std::map<int, benchmark_data::MeanScores> mean_scores_;  // by payment year
};

// The per-member truncation threshold of a benchmark year's annualized expenditure: the
// contract's amount, or the nearest-rank percentile over the year's members.
std::optional<double> FiguresBuilder::Threshold(Y y, std::string* id) {
  const int year = YearOf(y);
  *id = fmt::format("benchmark.baseline.{}.truncation_threshold", year);
  if (auto it = thresholds_.find(year); it != thresholds_.end()) {
    return it->second;
  }
  std::optional<double> thr;
  const std::string clause = fmt::format("[benchmark] (contract line {})", b_.source_line);
  if (b_.truncation.amount) {
    thr = b_.truncation.amount->as_units();
    tr_->AddMoney(*id, fmt::format("Baseline {}: member truncation threshold", year),
                  *b_.truncation.amount, "contract term (annualized, per member)", {},
                  clause + ".truncation.amount — " + kRulePerCapita);
  } else if (b_.truncation.percentile) {
    const YearData& yd = Year(year);
    std::vector<double> annualized;
    for (size_t m = 0; m < yd.months.size(); ++m) {
      if (yd.months[m] > 0) {
        annualized.push_back(static_cast<double>(yd.spend[m].as_units()) * 12.0 / yd.months[m]);
      }
    }
    std::sort(annualized.begin(), annualized.end());
    if (!annualized.empty()) {
      const size_t at =
          benchmark_data::NearestRankIndex(annualized.size(), *b_.truncation.percentile);
      thr = annualized[at];
      tr_->Add({*id,
                fmt::format("Baseline {}: member truncation at the {} percentile", year,
                            FormatRate(*b_.truncation.percentile)),
                fmt::format("nearest rank: the {}-th smallest of {} members' annualized "
                            "expenditure",
                            at + 1, annualized.size()),
                fmt::format("{}", *thr),
                "USD per capita",
                {},
                clause + ".truncation.percentile — " + kRulePerCapita,
                ""});
    }
  }
  thresholds_[year] = thr;
  return thr;
}

// Per capita expenditure of one type and benchmark year from the data: each member's spending
// annualized by person years, truncated, completed, then weighted by person years.
Status FiguresBuilder::PerCapita(EnrollmentType t, Y y) {
  const size_t ti = static_cast<size_t>(t);
  const auto& base = b_.baselines[static_cast<size_t>(y)];
  if (base.expenditure_pmpm[ti]) {
    out_.Set(t, Q::kPerCapitaExpenditure, y, base.expenditure_pmpm[ti]->as_units() * 12.0,
             fmt::format("[[benchmark.baseline]] year = {} (contract line {}) expenditure_pmpm × "
                         "12",
                         base.year, base.source_line));
    return Status::Ok();
  }
  std::string thr_id;
  const std::optional<double> thr = Threshold(y, &thr_id);
  const YearData& yd = Year(base.year);
  double weighted = 0, person_years = 0;
  int64_t members = 0, months = 0, cut = 0;
  for (size_t m = 0; m < yd.months.size(); ++m) {
    if (yd.months[m] == 0 || yd.type[m] != t) {
      continue;
    }
    const double py = yd.months[m] / 12.0;
    double annualized = static_cast<double>(yd.spend[m].as_units()) / py;
    if (thr && annualized > *thr) {
      annualized = *thr;
      ++cut;
    }
    weighted += annualized * base.completion_factor * py;
    person_years += py;
    ++members;
    months += yd.months[m];
  }
  if (members == 0) {
    return InvalidInput(fmt::format(
        "[benchmark] cms_figures: enrollment type {} has member-months in the performance year "
        "but none in {} ({}); give its per_capita_expenditure in {} or expenditure_pmpm",
        EnrollmentTypeName(t), BenchmarkYearName(y), base.year, b_.cms_figures));
  }
  const std::string id =
      fmt::format("benchmark.{}.{}.data_per_capita", EnrollmentTypeName(t), BenchmarkYearName(y));
  std::vector<std::string> inputs;
  if (thr) {
    inputs.push_back(thr_id);
  }
  tr_->Add({id,
            fmt::format("{}: per capita expenditure of {} ({}) from the data",
                        EnrollmentTypeLabel(t), BenchmarkYearName(y), base.year),
            fmt::format("Σ min(spend ÷ person years{}) × completion {} × person years ÷ Σ person "
                        "years, over {} members ({} member-months, {} truncated)",
                        thr ? ", threshold" : "", FormatRate(base.completion_factor), members,
                        months, cut),
            fmt::format("{}", weighted / person_years), "USD per capita", inputs,
            fmt::format("data: claims and eligibility of {} — {}", base.year, kRulePerCapita), ""});
  out_.Set(t, Q::kPerCapitaExpenditure, y, weighted / person_years,
           fmt::format("data: {} members of {}", members, base.year), id);
  return Status::Ok();
}

// A mean risk score the figures do not give: the contract's, else computed from the data.
Status FiguresBuilder::RiskScore(EnrollmentType t, Y y) {
  const size_t ti = static_cast<size_t>(t);
  const auto& ra = b_.risk;
  const PerTypeRate* supplied = y == Y::kPY    ? &ra.performance_mean_score
                                : y == Y::kBY3 ? &ra.baseline_mean_score
                                               : nullptr;
  if (supplied != nullptr && (*supplied)[ti]) {
    out_.Set(t, Q::kRiskScore, y, *(*supplied)[ti],
             fmt::format("[benchmark.risk_adjustment] (contract line {})", ra.source_line));
    return Status::Ok();
  }
  if (ra.model.empty() || in_.refdata == nullptr) {
    return InvalidInput(
        fmt::format("[benchmark] cms_figures: no risk_score row for {},{} in {}; give it there, or "
                    "[benchmark.risk_adjustment] model to compute it from the data",
                    EnrollmentTypeName(t), BenchmarkYearName(y), b_.cms_figures));
  }
  const bool py = y == Y::kPY;
  const int year = py ? b_.performance_year : YearOf(y);
  const std::string what = py ? "performance" : BenchmarkYearName(y);
  const std::string src = fmt::format(
      "[benchmark.risk_adjustment] model = \"{}\" (contract line {})", ra.model, ra.source_line);
  // Scored once per year for every type: the members' nodes belong to the year, not the type.
  auto cached = mean_scores_.find(year);
  if (cached == mean_scores_.end()) {
    auto computed = benchmark_data::ComputeMeanScores(
        ds_, *in_.refdata, ra.model, year, py ? pt_.months : Year(year).months,
        py ? pt_.type : Year(year).type, false, what, src, tr_, notes_);
    if (!computed.ok()) {
      return computed.status();
    }
    cached = mean_scores_.emplace(year, std::move(*computed)).first;
  }
  const benchmark_data::MeanScores* scores = &cached->second;
  if (!scores->mean[ti]) {
    return InvalidInput(fmt::format("[benchmark] cms_figures: no {} member of {} has a risk score",
                                    EnrollmentTypeName(t), year));
  }
  out_.Set(t, Q::kRiskScore, y, *scores->mean[ti],
           fmt::format("data: mean CMS-HCC {} score, payment year {}", ra.model, year),
           scores->mean_id[ti]);
  return Status::Ok();
}

void FiguresBuilder::Proportions() {
  const YearData& by3 = Year(YearOf(Y::kBY3));
  std::array<int64_t, kEnrollmentTypeCount> months{};
  int64_t total = 0;
  for (size_t m = 0; m < by3.months.size(); ++m) {
    if (!pt_.needed[static_cast<size_t>(by3.type[m])]) {
      continue;
    }
    months[static_cast<size_t>(by3.type[m])] += by3.months[m];
    total += by3.months[m];
  }
  bool given_py = false;
  for (EnrollmentType t : kEnrollmentTypes) {
    const size_t ti = static_cast<size_t>(t);
    if (!pt_.needed[ti]) {
      continue;
    }
    if (!out_.CopyFrom(*in_.cms_figures, t, Q::kAssignedProportion, Y::kBY3) && total > 0) {
      out_.Set(
          t, Q::kAssignedProportion, Y::kBY3,
          static_cast<double>(months[ti]) / static_cast<double>(total),
          fmt::format("data: {} of {} member-months of {}", months[ti], total, YearOf(Y::kBY3)));
    }
    given_py |= in_.cms_figures->Find(t, Q::kAssignedProportion, Y::kPY) != nullptr;
    const int64_t mm = pt_.type_member_months[ti];
    out_.Set(t, Q::kAssignedProportion, Y::kPY,
             static_cast<double>(mm) / static_cast<double>(pt_.total_member_months),
             fmt::format("data: {} of the population's {} member-months in the performance year",
                         mm, pt_.total_member_months),
             AggregateFigureId(t, "member_months"));
  }
  if (given_py) {
    notes_->push_back(fmt::format(
        "{}: the PY assigned proportions are not used: a settlement blends the types by the "
        "population's member-months",
        b_.cms_figures));
  }
}

Result<AggregateBenchmarkInputs> FiguresBuilder::Build() {
  const AggregateBenchmarkInputs& cms = *in_.cms_figures;
  for (EnrollmentType t : kEnrollmentTypes) {
    const size_t ti = static_cast<size_t>(t);
    if (!pt_.needed[ti]) {
      if (cms.HasType(t)) {
        notes_->push_back(fmt::format(
            "{}: the rows for {} are not used: the population has no {} member-months in the "
            "performance year",
            b_.cms_figures, EnrollmentTypeName(t), EnrollmentTypeName(t)));
      }
      continue;
    }
    // CMS's own figures: national and regional, weights, growth, the ACPT.
    for (Q q : {Q::kNationalPerCapita, Q::kRegionalPerCapita, Q::kNationalWeight,
                Q::kDemographicRiskScore, Q::kAcptGrowth, Q::kRegionalRiskGrowth,
                Q::kRegionalDemographicRiskGrowth}) {
      for (Y y : {Y::kBY1, Y::kBY2, Y::kBY3, Y::kPY}) {
        out_.CopyFrom(cms, t, q, y);
      }
    }
    for (Y y : kBaselineYears) {
      if (!out_.CopyFrom(cms, t, Q::kPerCapitaExpenditure, y)) {
        if (Status s = PerCapita(t, y); !s.ok()) {
          return s;
        }
      }
    }
    for (Y y : {Y::kBY1, Y::kBY2, Y::kBY3, Y::kPY}) {
      if (!out_.CopyFrom(cms, t, Q::kRiskScore, y)) {
        if (Status s = RiskScore(t, y); !s.ok()) {
          return s;
        }
      }
    }
  }
  // Figures of the whole ACO (dual proportion, prior savings, LIS/dual proportion).
  for (int q = 0; q < kAggregateQuantityCount; ++q) {
    if (IsAcoQuantity(static_cast<Q>(q))) {
      for (Y y : {Y::kBY1, Y::kBY2, Y::kBY3, Y::kPY}) {
        out_.CopyAcoFrom(cms, static_cast<Q>(q), y);
      }
    }
  }
  Proportions();
  return std::move(out_);
}

}  // namespace

Result<HistoricalBenchmarkResult> ComputeBenchmarkWithCmsFigures(
    const Dataset& ds, const Contract& k, const HistoricalBenchmarkInputs& in, Trace* tr) {
  const BenchmarkTerms& b = k.benchmark;
  if (b.baselines.size() != 3) {
    return InvalidInput(
        fmt::format("[benchmark] (contract line {}): with cms_figures the benchmark has three "
                    "[[benchmark.baseline]] years, BY1, BY2 and BY3; {} given",
                    b.source_line, b.baselines.size()));
  }
  HistoricalBenchmarkResult r;
  const auto pt = benchmark_data::ClassifyPerformanceYear(ds, k, in, tr, &r);
  if (pt.total_member_months == 0) {
    return InvalidInput("the population has no member-months in the performance year");
  }
  auto figures = FiguresBuilder(ds, k, in, pt, tr, &r.notes).Build();
  if (!figures.ok()) {
    return figures.status();
  }
  auto agg = ComputeAggregateBenchmark(k, *figures, tr);
  if (!agg.ok()) {
    return agg.status();
  }
  for (auto& n : agg->notes) {
    r.notes.push_back(std::move(n));
  }
  std::vector<std::string> inputs;
  std::string formula;
  for (EnrollmentType t : kEnrollmentTypes) {
    const size_t ti = static_cast<size_t>(t);
    if (!pt.needed[ti]) {
      continue;
    }
    const std::string pre = AggregateFigureId(t, "");
    r.type_pmpm[ti] =
        RoundToCents(static_cast<long double>(agg->types[ti].updated_per_capita) / 12.0L);
    tr->AddMoney(pre + ".pmpm", std::string(EnrollmentTypeLabel(t)) + ": benchmark PMPM",
                 r.type_pmpm[ti], "updated per capita ÷ 12, rounded to the cent",
                 {pre + ".updated_per_capita"}, "per capita (person year) to per member-month");
    const Money total = r.type_pmpm[ti] * r.type_member_months[ti];
    tr->AddMoney(pre + ".total", std::string(EnrollmentTypeLabel(t)) + ": benchmark", total,
                 "type PMPM × the type's member-months (exact in cents)",
                 {pre + ".pmpm", pre + ".member_months"},
                 "42 CFR 425.601(a)(1)-(2): types blended by the performance year's person years");
    r.total += total;
    inputs.push_back(pre + ".total");
    formula += fmt::format("{}{} × {}", formula.empty() ? "" : " + ", r.type_pmpm[ti].ToString(),
                           r.type_member_months[ti]);
  }
  r.pmpm = RoundToCents(r.total.as_units() / static_cast<long double>(pt.total_member_months));
  tr->AddMoney(std::string(figure::kBenchmarkTotal), "Benchmark", r.total,
               formula + " (Σ type PMPM × member-months, exact in cents)", inputs,
               fmt::format("[benchmark] cms_figures = \"{}\" (contract line {}) — 42 CFR 425.601",
                           b.cms_figures, b.source_line));
  tr->AddMoney(std::string(figure::kBenchmarkPmpm), "Benchmark per member per month", r.pmpm,
               "benchmark ÷ member-months, rounded to the cent",
               {std::string(figure::kBenchmarkTotal), in.member_months_id}, "derived");
  return r;
}

}  // namespace valuepact
