#pragma once
// The historical benchmark (`[benchmark] method = "historical"`), built per Medicare enrollment
// type as 42 CFR 425.601 builds the MSSP benchmark, with a trace node for every step:
//
//   benchmark.<type>.baseline.<year>.pmpm           supplied, or Σ truncated spend ÷ member-months
//   benchmark.<type>.baseline.<year>.trend_factor   to the last baseline year
//   benchmark.<type>.baseline.<year>.trended_pmpm   round(pmpm × trend factor)
//   benchmark.<type>.historical_pmpm                round(Σ weight × trended PMPM)
//   benchmark.<type>.regional_adjustment            round(weight × (regional − historical)), capped
//   benchmark.<type>.risk_ratio                     mean score ratio, capped
//   benchmark.<type>.update_factor
//   benchmark.<type>.pmpm                           round(adjusted × risk ratio × update factor)
//   benchmark.<type>.member_months, .person_year_share
//   benchmark.<type>.total                          PMPM × member-months (exact)
//   benchmark.total = Σ types;  benchmark.pmpm = round(total ÷ member-months)
#include <array>
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/member_months.h"
#include "valuepact/refdata/reference_data.h"

namespace valuepact {

class AggregateBenchmarkInputs;

struct HistoricalBenchmarkInputs {
  // The population's member-months in the performance period (after any attribution file).
  const MemberMonths* performance_months = nullptr;
  std::string member_months_id = "population.member_months";
  const ReferenceData* refdata = nullptr;  // CMS-HCC tables, for computed risk scores
  // [benchmark] cms_figures, read by the loader: the benchmark is then CMS's computation
  // (ComputeBenchmarkWithCmsFigures).
  const AggregateBenchmarkInputs* cms_figures = nullptr;
};

struct HistoricalBenchmarkResult {
  Money total;
  Money pmpm;
  std::array<Money, kEnrollmentTypeCount> type_pmpm{};
  std::array<int64_t, kEnrollmentTypeCount> type_member_months{};
  std::vector<std::string> notes;
};

// With [benchmark] cms_figures: the benchmark as CMS computes it (docs/benchmark.md, "In a
// settlement"): CMS's figures, and from the data the per capita expenditure, risk scores and BY3
// proportions the figures do not give; type PMPM = updated per capita ÷ 12, rounded to the cent.
Result<HistoricalBenchmarkResult> ComputeBenchmarkWithCmsFigures(
    const Dataset& ds, const Contract& contract, const HistoricalBenchmarkInputs& in, Trace* trace);

Result<HistoricalBenchmarkResult> ComputeHistoricalBenchmark(const Dataset& ds,
                                                             const Contract& contract,
                                                             const HistoricalBenchmarkInputs& in,
                                                             Trace* trace);

}  // namespace valuepact
