#pragma once
// The computation behind ComputeAggregateBenchmark (aggregate_benchmark.h), shared by the files
// of its steps: aggregate_benchmark.cc (trend, benchmark-year weights, risk ratio, blend),
// aggregate_adjustments.cc (regional, prior savings and health equity adjustments) and
// aggregate_update.cc (the blended update). Internal to src/benchmark.
#include <array>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "valuepact/benchmark/aggregate_benchmark.h"
#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"

namespace valuepact::aggregate_internal {

using Q = AggregateQuantity;
using Y = BenchmarkYear;

// A rule's citation for agreement periods starting before 2024 (42 CFR 425.601) and from 2024
// (425.652 and the sections it points to).
struct Rule {
  const char* before_2024;
  const char* from_2024;
};
inline constexpr Rule kRuleRestate = {
    "42 CFR 425.601(a)(3); MSSP methodology specifications v11 §4.1.2 Step 3: BY1 and BY2 "
    "expenditures restated at BY3 risk",
    "42 CFR 425.652(a)(3): BY1 and BY2 expenditures restated at BY3 risk"};
inline constexpr Rule kRuleTrend = {
    "42 CFR 425.601(a)(5); v11 §4.1.2 Step 2: national-regional blended trend to BY3",
    "42 CFR 425.652(a)(5): national-regional blended trend to BY3"};
inline constexpr Rule kRuleWeights = {"42 CFR 425.601(a)(7), (e)(2)(i); v11 §4.1.2 Step 4",
                                      "42 CFR 425.652(a)(7), (c)(2)"};
inline constexpr Rule kRuleRegional = {
    "42 CFR 425.601(a)(8), (f); v11 §4.1.2 Step 5: regional adjustment",
    "42 CFR 425.652(a)(8), 425.656: regional adjustment"};
inline constexpr Rule kRuleRisk = {
    "42 CFR 425.605(a)(1), 425.610(a)(2); v11 §3.6.2: performance year to BY3 risk ratio",
    "42 CFR 425.605(a)(1)(ii), 425.610(a)(2)(ii): performance year to BY3 risk ratio"};
inline constexpr Rule kRuleUpdate = {
    "42 CFR 425.601(b); v11 §4.1.4 Step 2: national-regional blended update BY3 to PY",
    "42 CFR 425.652(b)(2): national-regional (two-way) blended update BY3 to PY"};
inline constexpr Rule kRuleBlend = {
    "42 CFR 425.601(a)(6); v11 §4.1.2 Step 6, §4.1.4 Step 3: types blended by assigned "
    "proportions",
    "42 CFR 425.652(a)(6): types blended by assigned proportions"};

inline constexpr const char* kUnit = "USD per capita";
std::string Num(double v);

class Computation {
 public:
  Computation(const Contract& k, const AggregateBenchmarkInputs& in, Trace* tr,
              AggregateBenchmarkResult* r)
      : k_(k), b_(k.benchmark), in_(in), tr_(tr), r_(r) {}

  Status Run();

 private:
  // The figure, with its trace node; records an error when the row is missing.
  std::optional<double> Need(EnrollmentType t, Q q, Y y, const char* why);
  std::optional<double> NeedAco(Q q, Y y, const char* why);
  std::string InputId(EnrollmentType t, Q q, Y y) const;
  static std::string AcoInputId(Q q, Y y);
  // The citation of `rule` for the contract's agreement period.
  std::string Cite(const Rule& rule) const;
  void Add(const std::string& id, const std::string& label, double v, const std::string& unit,
           const std::string& formula, std::vector<std::string> inputs, const std::string& src);

  bool TrendOf(EnrollmentType t, Y y);
  void HistoricalOf(EnrollmentType t);

  // aggregate_adjustments.cc
  Status ChooseRegionalWeight();
  void RegionalOf(EnrollmentType t);
  std::optional<double> OffsetFactor();
  Status ApplyAdjustments();
  std::optional<double> By3Weighted(
      const std::string& id, const std::string& label, const std::string& source,
      const std::function<std::optional<std::pair<double, std::string>>(EnrollmentType)>& value);
  std::optional<double> RegionalSingleValue();
  std::optional<double> NationalSingleValue();
  Result<std::optional<double>> PriorSavingsAdjustment();
  Result<std::optional<double>> HealthEquityAdjustment(double regional, double prior_savings);
  void ApplyOf(EnrollmentType t, const std::string& kind, double flat, const std::string& flat_id);

  Status RiskRatios();
  Result<std::optional<double>> DemographicCap(double points, const std::string& source);
  void RiskRatioOf(EnrollmentType t, const std::string& rule, double points,
                   const std::string& source, std::optional<double> aggregate_cap);

  // aggregate_update.cc
  Status RegionalRiskGrowthCap();
  void UpdateOf(EnrollmentType t);

  void Blend();
  Status CheckProportions(Y y);
  Status Errors() const;

  AggregateTypeBenchmark& R(EnrollmentType t) { return r_->types[static_cast<size_t>(t)]; }
  static std::string Pre(EnrollmentType t) { return AggregateFigureId(t, ""); }

  const Contract& k_;
  const BenchmarkTerms& b_;
  const AggregateBenchmarkInputs& in_;
  Trace* tr_;
  AggregateBenchmarkResult* r_;
  std::vector<EnrollmentType> types_;
  std::vector<std::string> errors_;
  std::set<std::string> added_;
  bool choice_ = false;  // the 2024 choice among adjustments applies (425.652(a)(8))
  bool offset_done_ = false;
  bool national_single_done_ = false;
  std::optional<double> national_single_;
  std::optional<double> offset_factor_;
  // 42 CFR 425.655: per type, the factor on the regional growth (1 when the cap does not bind).
  std::array<double, kEnrollmentTypeCount> regional_growth_factor_{1, 1, 1, 1};
};

}  // namespace valuepact::aggregate_internal
