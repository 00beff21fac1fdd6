#pragma once
// Figures of the historical benchmark read from the data (historical_benchmark.cc), shared by
// the benchmark built from contract terms and the one built with CMS's figures
// (cms_figures_benchmark.cc).
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/benchmark/historical_benchmark.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/money.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/refdata/reference_data.h"

namespace valuepact::benchmark_data {

// One calendar year of the data: member-months, in-scope spending and enrollment type per member.
struct YearData {
  int year = 0;
  std::vector<int> months;  // per member
  std::vector<Money> spend;
  std::vector<EnrollmentType> type;
};

// The year's member-months (the contract's payers and member-month rule over 1 January to 31
// December) and spending under its basis, services and claim month.
YearData LoadYear(const Dataset& ds, const Contract& k, int year);

// Mean CMS-HCC scores per enrollment type for one payment year, weighted by member-months.
struct MeanScores {
  std::array<std::optional<double>, kEnrollmentTypeCount> mean, demographic;
  std::array<std::string, kEnrollmentTypeCount> mean_id, demographic_id;
};

// Scores the members with member-months (`months`, by member) for `payment_year` and adds the
// trace nodes benchmark.<type>.<what>_mean_score (member derivations are member-level nodes).
Result<MeanScores> ComputeMeanScores(
    const Dataset& ds, const ReferenceData& refdata, const std::string& model, int payment_year,
    const std::vector<int>& months, const std::vector<EnrollmentType>& types, bool want_demographic,
    const std::string& what, const std::string& source, Trace* tr, std::vector<std::string>* notes);

// The 0-based index of the nearest-rank `percentile` (0, 1] among n > 0 sorted values:
// rank = ⌈percentile × n⌉.
inline size_t NearestRankIndex(size_t n, double percentile) {
  const double rank = std::ceil(percentile * static_cast<double>(n) - 1e-9);
  return std::min(static_cast<size_t>(std::max(1.0, rank)) - 1, n - 1);
}

// The performance year's enrollment type and member-months per member, the member-months per
// type (into r->type_member_months, with the nodes benchmark.<type>.member_months), and which
// types the benchmark needs (those with member-months).
struct PerformanceTypes {
  std::vector<EnrollmentType> type;
  std::vector<int> months;
  int64_t total_member_months = 0;
  std::array<int64_t, kEnrollmentTypeCount> type_member_months{};
  std::array<bool, kEnrollmentTypeCount> needed{};
};
PerformanceTypes ClassifyPerformanceYear(const Dataset& ds, const Contract& k,
                                         const HistoricalBenchmarkInputs& in, Trace* tr,
                                         HistoricalBenchmarkResult* r);

}  // namespace valuepact::benchmark_data
