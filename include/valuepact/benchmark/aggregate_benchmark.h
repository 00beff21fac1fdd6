#pragma once
// The MSSP historical and updated benchmark from the aggregate figures CMS reports to an ACO
// (`valuepact benchmark CONTRACT --input INPUTS.csv`), so that an actuary can replay a settlement
// report line by line. Per Medicare enrollment type, each step a trace node (docs/benchmark.md):
//
//   benchmark.<type>.<BYk>.risk_restatement     BY3 risk score ÷ BYk risk score
//   benchmark.<type>.<BYk>.trend_factor         national weight × national growth BYk → BY3
//                                                + (1 − national weight) × regional growth
//   benchmark.<type>.<BYk>.trended_per_capita   expenditure × restatement × trend
//   benchmark.<type>.weighted_per_capita        Σ BY weight × trended per capita
//   benchmark.<type>.regional_adjustment        weight × (regional BY3 − weighted), capped at
//                                                ± cap × national per capita BY3
//   benchmark.<type>.historical_per_capita      weighted + regional adjustment
//   benchmark.<type>.risk_ratio                 PY ÷ BY3 risk score, capped by the period's rule
//   benchmark.<type>.update_factor              national weight × national growth BY3 → PY
//                                                + (1 − national weight) × regional growth
//   benchmark.<type>.updated_per_capita         historical × risk ratio × update factor
//   benchmark.historical_benchmark              Σ BY3 assigned proportion × historical
//   benchmark.updated_benchmark                 Σ PY assigned proportion × updated
//
// Figures are per capita (per person year) at full precision: CMS rounds only what it prints.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "valuepact/contract/benchmark_terms.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"

namespace valuepact {

enum class BenchmarkYear : uint8_t { kBY1 = 0, kBY2, kBY3, kPY };
inline constexpr int kBenchmarkYearCount = 4;
const char* BenchmarkYearName(BenchmarkYear y);  // "BY1", ..., "PY"

// The quantities of an inputs CSV, as an ACO reads them in its settlement report.
enum class AggregateQuantity : uint8_t {
  kPerCapitaExpenditure = 0,  // BY1-BY3: annualized, truncated, completed per capita spending
  kRiskScore,                 // BY1-BY3, PY: renormalized mean CMS-HCC risk score
  kDemographicRiskScore,      // BY3, PY: the same, demographic terms only (2024 risk cap)
  kAssignedProportion,        // BY3, PY: the type's share of assigned person years
  kNationalPerCapita,         // BY1-BY3, PY: national assignable FFS per capita
  kRegionalPerCapita,         // BY1-BY3, PY: risk-adjusted regional per capita
  kNationalWeight,            // BY (any of BY1-BY3), PY: national share of the blended growth
  // Agreement periods from 2024 (42 CFR 425.652, 425.655, 425.656, 425.658, 425.660, 425.662):
  kAcptGrowth,                     // PY: the ACPT as a factor BY3 → PY (1 + percent increase)
  kRegionalRiskGrowth,             // PY: regional HCC risk score PY ÷ BY3 (425.655(d)(1))
  kRegionalDemographicRiskGrowth,  // PY: regional demographic risk score PY ÷ BY3
  // Figures of the whole ACO (enrollment_type "aco"):
  kDualProportion,         // BY3: share of assigned beneficiaries dually eligible (offset)
  kPriorSavingsPerCapita,  // BY1-BY3: per capita savings (+) or losses (−) of that year's PY
  kPriorSavingsProration,  // BY: proration factor for growth of the assigned population
  kLisDualProportion,      // PY: share of assigned beneficiaries LIS-enrolled or dual (HEBA)
};
inline constexpr int kAggregateQuantityCount = 14;
// A figure of the whole ACO rather than of one enrollment type.
bool IsAcoQuantity(AggregateQuantity q);
const char* AggregateQuantityName(AggregateQuantity q);  // "per_capita_expenditure", ...

struct AggregateFigure {
  double value = 0;
  uint64_t line = 0;         // 0: not given; kComputedLine: computed (see source)
  std::string source;        // for a computed figure: where it came from
  std::string derived_from;  // for a computed figure: the trace node it is read from, if any
};
inline constexpr uint64_t kComputedLine = ~uint64_t{0};

// INPUTS.csv: columns enrollment_type,quantity,year,value (any order, other columns are an
// error). Every row is checked: a known type, quantity and year that goes with it, a finite
// number in the quantity's range, no repeated row; all problems are reported at once, each with
// its line and field. The national weight may be given for BY1, BY2 and BY3 alike (one value).
class AggregateBenchmarkInputs {
 public:
  static Result<AggregateBenchmarkInputs> Parse(std::string_view text, const std::string& name);

  // Inputs built in code (a settlement's figures computed from the data): an empty set named
  // `name`, then Set() per figure.
  explicit AggregateBenchmarkInputs(std::string name = "") : name_(std::move(name)) {}
  // Sets a figure computed elsewhere; it replaces any row given for it.
  void Set(EnrollmentType t, AggregateQuantity q, BenchmarkYear y, double value, std::string source,
           std::string derived_from = "");
  // Copies another set's figure, when it has one.
  bool CopyFrom(const AggregateBenchmarkInputs& other, EnrollmentType t, AggregateQuantity q,
                BenchmarkYear y);

  // nullptr when the row is not given. kNationalWeight with any BY year returns the BY weight.
  const AggregateFigure* Find(EnrollmentType t, AggregateQuantity q, BenchmarkYear y) const;
  // A figure of the whole ACO (IsAcoQuantity), row "aco,<quantity>,<year>".
  const AggregateFigure* FindAco(AggregateQuantity q, BenchmarkYear y) const;
  void SetAco(AggregateQuantity q, BenchmarkYear y, double value, std::string source);
  bool CopyAcoFrom(const AggregateBenchmarkInputs& other, AggregateQuantity q, BenchmarkYear y);
  std::string AcoSourceOf(AggregateQuantity q, BenchmarkYear y) const;
  // A type is in the inputs when any row names it.
  bool HasType(EnrollmentType t) const { return has_type_[static_cast<size_t>(t)]; }
  const std::string& name() const { return name_; }
  // "INPUTS.csv line 7 (aged_dual,risk_score,BY3)".
  std::string SourceOf(EnrollmentType t, AggregateQuantity q, BenchmarkYear y) const;

 private:
  // Columns: enrollment_type, quantity, year, value (their positions in the row).
  void ReadRow(const std::vector<std::string_view>& fields, uint64_t line,
               const std::array<int, 4>& columns, std::vector<std::string>* errors);

  std::string name_;
  // Slot kEnrollmentTypeCount holds the figures of the whole ACO.
  static constexpr size_t kAcoSlot = kEnrollmentTypeCount;
  AggregateFigure& Slot(size_t type_slot, AggregateQuantity q, BenchmarkYear y);
  const AggregateFigure* FindSlot(size_t type_slot, AggregateQuantity q, BenchmarkYear y) const;
  std::string SlotSource(size_t type_slot, AggregateQuantity q, BenchmarkYear y) const;

  std::array<std::array<std::array<AggregateFigure, kBenchmarkYearCount>, kAggregateQuantityCount>,
             kEnrollmentTypeCount + 1>
      figures_{};
  std::array<bool, kEnrollmentTypeCount> has_type_{};
};

struct AggregateTypeBenchmark {
  bool present = false;
  std::array<double, 3> trend_factor{}, risk_restatement{}, trended_per_capita{};
  double weighted_per_capita = 0;
  double regional_adjustment = 0;     // after the caps and (from 2024) the offset
  double benchmark_adjustment = 0;    // the adjustment applied: regional, prior savings, equity
  double historical_per_capita = 0;   // weighted per capita + the adjustment applied
  double risk_ratio = 1;              // capped
  double regional_growth_factor = 1;  // 42 CFR 425.655 (agreement periods from 2024)
  double two_way_update_factor = 1;   // the national-regional blend
  double update_factor = 1;           // with the ACPT where it applies
  double updated_per_capita = 0;
};

struct AggregateBenchmarkResult {
  std::array<AggregateTypeBenchmark, kEnrollmentTypeCount> types;
  double historical_benchmark = 0;  // Σ BY3 assigned proportion × historical per capita
  double updated_benchmark = 0;     // Σ PY assigned proportion × updated per capita
  double regional_weight = 0;       // 0 when the contract has no regional adjustment
  // Which adjustment the historical benchmark received: "regional", "prior_savings",
  // "health_equity" or "none" (42 CFR 425.652(a)(8)), and the single values compared.
  std::string adjustment_applied = "none";
  std::optional<double> regional_single_value, prior_savings_adjustment, health_equity_adjustment;
  double acpt_weight = 0;                     // weight of the ACPT in the update (0: two-way blend)
  bool regional_growth_cap_computed = false;  // 42 CFR 425.655 factors were computed
  std::vector<std::string> notes;
};

// Trace ids of the figures above: "benchmark.<type>.<figure>" and "benchmark.<figure>".
std::string AggregateFigureId(EnrollmentType t, std::string_view figure);

// The contract gives the terms (method = "historical", weights, regional weight and cap, risk
// cap rule, update factor); the inputs give the figures. Errors name the missing row or term.
Result<AggregateBenchmarkResult> ComputeAggregateBenchmark(const Contract& k,
                                                           const AggregateBenchmarkInputs& in,
                                                           Trace* trace);

// The national weight of the blended trend and update for one enrollment type (42 CFR
// 425.601(a)(5)(v), (b)(4); MSSP methodology specifications v11 §4.1.2 Step 2):
// Σ over counties of (ACO assigned ÷ assignable in the county) × (ACO assigned in the county ÷
// ACO assigned in all). Errors: no county, a count out of range.
struct CountyAssignment {
  double assignable = 0;
  double assigned = 0;  // the ACO's assigned beneficiaries residing in the county
};
Result<double> NationalTrendWeight(const std::vector<CountyAssignment>& counties);

// One beneficiary's benchmark-year expenditure (v11 §3.2-3.5): annualized by person years,
// truncated at the type's threshold, completed, then weighted by person years.
struct BeneficiaryYear {
  int eligible_months = 0;  // 1-12
  double expenditures = 0;  // paid in the months of eligibility
};
struct BeneficiaryExpenditure {
  double person_years = 0;
  double annualized = 0;
  double truncated = 0;
  double completed = 0;
  double weighted = 0;  // completed × person years: the beneficiary's share of the type's total
};
Result<BeneficiaryExpenditure> AnnualizeBeneficiary(const BeneficiaryYear& y,
                                                    double truncation_threshold,
                                                    double completion_factor);

}  // namespace valuepact
