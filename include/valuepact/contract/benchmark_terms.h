#pragma once
// The terms of a contract's [benchmark] section (docs/contract-reference.md, "Benchmark
// methodology"). `method = "target_pmpm"` is a fixed rate per member-month; `method =
// "historical"` builds the benchmark the way 42 CFR 425.601 does for MSSP: per Medicare
// enrollment type, from up to three weighted baseline years trended to the last one, optionally
// blended with a regional rate, risk-adjusted and updated, then blended by the performance
// year's person-year shares.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/core/money.h"

namespace valuepact {

// Medicare enrollment types of 42 CFR 425.601(a)(1)-(2), in the order CMS lists them.
enum class EnrollmentType : uint8_t { kEsrd = 0, kDisabled, kAgedDual, kAgedNonDual };
inline constexpr int kEnrollmentTypeCount = 4;
inline constexpr std::array<EnrollmentType, kEnrollmentTypeCount> kEnrollmentTypes = {
    EnrollmentType::kEsrd, EnrollmentType::kDisabled, EnrollmentType::kAgedDual,
    EnrollmentType::kAgedNonDual};
const char* EnrollmentTypeName(EnrollmentType t);   // "esrd", "disabled", "aged_dual", ...
const char* EnrollmentTypeLabel(EnrollmentType t);  // "ESRD", "Disabled", "Aged/dual", ...

// A rate or an amount per enrollment type; a contract writes one number for every type or a
// table { esrd = ..., disabled = ..., aged_dual = ..., aged_non_dual = ... }.
using PerTypeRate = std::array<std::optional<double>, kEnrollmentTypeCount>;
using PerTypeMoney = std::array<std::optional<Money>, kEnrollmentTypeCount>;

struct BaselineYearTerms {
  int year = 0;
  PerTypeMoney expenditure_pmpm;  // a type left out is computed from the data's claims
  PerTypeRate trend_factor;       // to the last baseline year; absent: from annual_trend
  double completion_factor = 1;   // with cms_figures: computed expenditure × this factor
  int source_line = 0;
};

// Risk adjustment of the benchmark by the ratio of mean CMS-HCC scores (42 CFR 425.601(a)(10)
// for agreement periods from 1 July 2019; 425.605(a)(1)(ii) and 425.610(a)(2)(ii) for those from
// 2024).
struct BenchmarkRiskTerms {
  bool enabled = false;
  std::string model;  // V24 | V28 | blend; needed when a mean is computed
  // How the ratio is capped, resolved when the contract is read: the contract's cap_rule, else
  // the rule in force for [contract] agreement_start (params/mssp/benchmark_risk_ratio_cap.csv),
  // else "none". upward_only: at most 1 + cap; symmetric: within [1 − cap, 1 + cap];
  // demographic_plus_3: at most the aggregate demographic growth + cap, when the aggregate HCC
  // growth exceeds that.
  std::optional<double> cap;
  std::string cap_rule;  // upward_only | symmetric | demographic_plus_3 | none
  std::string cap_source;
  std::string rules_source;  // the parameter row of the offset and single-value rules // the
                             // contract line or the parameter row and its citation
  PerTypeRate performance_mean_score;  // supplied; absent types are computed
  PerTypeRate baseline_mean_score;
  PerTypeRate demographic_ratio;  // for demographic_plus_3; absent types are computed
  int source_line = 0;
};

// Regional adjustment (42 CFR 425.601(a)(8), (f)): each type's historical PMPM moves toward the
// regional PMPM by a weight, the move held within ± cap × the national PMPM of the last baseline
// year. The weight is one number, or a pair chosen by the sign of the person-year weighted sum of
// (regional − historical) over the types: positive (the ACO spends less than its region) takes
// `lower_spending`, otherwise `higher_spending`. Terms the contract leaves out come from
// params/mssp/regional_adjustment.csv for [contract] agreement_start and `times_adjusted`.
struct RegionalTerms {
  std::optional<double> weight;  // one weight for every case
  std::optional<double> lower_spending_weight, higher_spending_weight;
  PerTypeMoney pmpm;          // regional per capita, risk-adjusted to the ACO's population
  std::optional<double> cap;  // positive adjustments: at most cap × national per capita BY3
  std::optional<double> negative_cap;  // negative ones: at least −negative_cap × national
  // Agreement periods from 2024 (42 CFR 425.656(c)(4)-(5), (d); 425.652(a)(8)): a negative
  // per-type adjustment is reduced by the dual/risk offset factor, and the per-type adjustments
  // are summarized as one person-year weighted value that must be positive to apply.
  bool offset = false;
  bool single_value = false;
  PerTypeMoney national_pmpm;  // national per capita FFS spending of the last baseline year
  int times_adjusted = 0;      // the n-th time the ACO's benchmark is regionally adjusted
  std::string weight_source;   // the contract line, or the parameter row and its citation
  std::string cap_source;
  std::string rules_source;  // the parameter row of the offset and single-value rules
  int source_line = 0;
};

// Per-member annual expenditure truncation of the baseline years' computed expenditure
// (42 CFR 425.601(a)(4): at the 99th percentile of national FFS expenditure).
struct BaselineTruncationTerms {
  std::optional<Money> amount;
  std::optional<double> percentile;  // nearest rank over the year's members, in (0, 1]
};

struct BenchmarkTerms {
  std::string method = "target_pmpm";  // target_pmpm | historical
  Money target_pmpm;

  // -- historical -----------------------------------------------------------------------------
  int performance_year = 0;                  // 0: the year the contract period starts
  std::vector<BaselineYearTerms> baselines;  // in year order, oldest first
  std::vector<double> baseline_weights;      // one per baseline; sum to 1
  std::string baseline_weights_source;       // the contract line, or the parameter row
  PerTypeRate annual_trend;                  // compounding yearly trend to the last baseline year
  PerTypeRate update_factor;                 // to the performance year (absent: 1)
  // The weight of the Accountable Care Prospective Trend in the three-way blended update (42 CFR
  // 425.652(b)(4)); 0: the two-way national-regional blend alone. From the contract, else from
  // params/mssp/benchmark_update.csv for the agreement start.
  std::optional<double> acpt_weight;
  // 42 CFR 425.655: the regional risk growth cap's points (applies to the regional growth).
  std::optional<double> regional_risk_growth_cap_points;
  std::string update_source;  // the contract line, or the parameter row
  BenchmarkRiskTerms risk;
  std::optional<RegionalTerms> regional;
  BaselineTruncationTerms truncation;
  // A CSV of CMS's figures (docs/benchmark.md layout), path relative to the contract: with it,
  // `settle` computes the benchmark as CMS does (blended trend and update, BY risk restatement),
  // taking the member-level figures the CSV does not give from the data.
  std::string cms_figures;
  int source_line = 0;
};

}  // namespace valuepact
