#pragma once
// Monitoring (docs/metrics.md, "Targets and triggers"): each [[target]] judged per period (on
// track, at risk, off track) with its trend; each [[trigger]] fired or not, with the periods that
// fired it; and the balance view per month — provider effort (visits, minutes, travel minutes),
// program member-months, and outcomes (paid PMPM against the benchmark, acute admissions). Reads
// the metrics of the whole population ("all" rows) of a MetricsResult.
//
// Pure computation; safe to call from any thread.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/contract/contract.h"
#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/dataset/timeline.h"
#include "valuepact/metrics/before_after.h"
#include "valuepact/metrics/claims_metrics.h"
#include "valuepact/metrics/comparison.h"

namespace valuepact::metrics {

// A metric's value for one period of a granularity ("2018-03", "2018-Q1", "total"), in the
// metric's display unit (dollars for PMPM).
struct PeriodValue {
  std::string period;
  int64_t numerator = 0, denominator = 0;
  std::optional<double> value;  // none: not applicable
  std::string id;               // its trace node
};

struct TargetResult {
  const TargetTerms* terms = nullptr;
  std::vector<PeriodValue> periods;
  std::vector<std::string> status;  // on_track | at_risk | off_track | not_applicable
  std::vector<std::string> trend;   // improving | worsening | unchanged | "" (first, or n/a)
};

struct TriggerResult {
  const TriggerTerms* terms = nullptr;
  double threshold = 0;
  std::vector<PeriodValue> periods;
  std::vector<bool> holds;
  bool fired = false;
  std::vector<std::string> evidence;  // the periods of the first run that fired it
};

struct BalanceMonth {
  std::string month;
  int64_t visits = 0, visit_minutes = 0, travel_minutes = 0, program_member_months = 0;
  std::optional<double> pmpm_total;  // dollars
  std::optional<double> acute_per_1000;
};

// One payment layer's amount for the period, as `settle` computes it.
struct LayerPayment {
  std::string id, label, kind;
  std::string branch;    // the layer's outcome (case_rate, shared_savings, withheld_data, ...)
  int64_t cents = 0;     // > 0: the payer pays the provider
  std::string trace_id;  // monitoring.balance.payment.<id>
};

// The balance view's payments: the contract's layers settled for the period (set by the run).
struct BalancePayments {
  std::vector<LayerPayment> layers;
  int64_t net_cents = 0;
  std::string not_computed;  // why the layers could not be settled; "" when they were
};

struct MonitoringResult {
  std::vector<TargetResult> targets;
  std::vector<TriggerResult> triggers;
  std::vector<BalanceMonth> balance;  // each month, then "total" (the period)
  BalancePayments payments;
  std::optional<double> benchmark_pmpm;        // the contract's target PMPM, when it has one
  BeforeAfterResult before_after;              // shown in the report (set by the run)
  std::optional<ComparisonResult> comparison;  // [comparison] (set by the run)
  std::vector<std::string> notes;
};

// Errors: a target or trigger naming a metric not in the catalogue (with its contract line), a
// threshold "benchmark" without a target_pmpm benchmark.
Result<MonitoringResult> EvaluateMonitoring(const Contract& k, const MetricsResult& metrics,
                                            const ProgramData& program, const Timeline& timeline,
                                            Trace* trace);

nlohmann::ordered_json MonitoringJson(const MonitoringResult& m);
std::string MonitoringMarkdown(const Contract& k, const MonitoringResult& m);

}  // namespace valuepact::metrics
