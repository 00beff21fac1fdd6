#pragma once
// MetricsRun: the catalogue's metrics of the contract's population (metrics/claims_metrics.h),
// on the run's one Timeline, so member-months and spend equal settle's for the same contract and
// data. The CLI (`valuepact metrics`) and the server call it and write the result.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/core/trace.h"
#include "valuepact/metrics/before_after.h"
#include "valuepact/metrics/claims_metrics.h"
#include "valuepact/metrics/comparison.h"
#include "valuepact/metrics/monitoring.h"
#include "valuepact/run/loader.h"

namespace valuepact::run {

struct MetricsRequest {
  InputPaths inputs;
  std::vector<std::string> by;  // attribute names (metrics::AttributeName)
  int min_cell = 11;
};

struct MetricsRunResult {
  std::unique_ptr<RunInputs> inputs;
  metrics::MetricsResult metrics;
  metrics::MonitoringResult monitoring;     // [[target]], [[trigger]] and the balance view
  metrics::BeforeAfterResult before_after;  // program members, 6 and 12 months
  Trace trace;
  std::string run_id;
  nlohmann::ordered_json summary;  // population and the period's headline values
};

// The inputs of the contract's [comparison] (which must be present): who meets its population at
// the period start and, with risk_adjust, every member's CMS-HCC score (NaN when not scored).
// Every member's final CMS-HCC score for the payment year (diagnoses of the year before); NaN
// for members that cannot be scored. `model` "" : V28 from payment year 2024, else V24. Notes
// start with `what`.
Result<std::vector<double>> MemberRiskScores(const RunInputs& in, std::string model,
                                             int payment_year, const std::string& what,
                                             std::vector<std::string>* notes);

Result<metrics::ComparisonInputs> PrepareComparison(const RunInputs& inputs,
                                                    const Timeline& timeline,
                                                    std::vector<std::string>* notes);

// The contract's layers settled for the period on `timeline`, for the balance view, with a trace
// node per layer (monitoring.balance.payment.<id>) and for the net; `not_computed` says why
// when the contract cannot be settled on these inputs (never a plausible zero).
metrics::BalancePayments BalancePayments(const RunInputs& inputs, const Timeline& timeline,
                                         Trace* trace);

// Errors: an unknown attribute (the message lists the known ones), a min_cell below 1, and any
// load or Timeline error.
Result<MetricsRunResult> MetricsRun(const MetricsRequest& request,
                                    const FileSystem& files = RealFiles());

}  // namespace valuepact::run
