#pragma once
// [[target]] and [[trigger]]: what the partners agreed to watch (docs/metrics.md, "Targets and
// triggers"). A target is a level a catalogue metric should reach, judged per period; a trigger
// is a condition over a metric that, holding for N consecutive periods, calls for the action the
// partners agreed (a joint review, reopening terms). The metric ids are checked against the
// catalogue when a run evaluates them.
#include <optional>
#include <string>
#include <vector>

namespace valuepact {

enum class MonitoringGranularity : uint8_t { kMonth, kQuarter, kPeriod };

struct TargetTerms {
  std::string id;
  std::string label;
  std::string metric;  // catalogue id
  double threshold = 0;
  bool at_most = true;           // the metric should be at most (else at least) the threshold
  double at_risk_margin = 0.10;  // within this share of the threshold on the wrong side: at risk
  MonitoringGranularity granularity = MonitoringGranularity::kMonth;
  int source_line = 0;
};

struct TriggerTerms {
  std::string id;
  std::string label;
  std::string metric;
  bool above = true;  // fires when the metric is above (else below) the threshold
  // The threshold: a number, or the benchmark PMPM ("benchmark") × factor.
  std::optional<double> threshold;
  bool relative_to_benchmark = false;
  double factor = 1.0;
  int consecutive = 1;  // periods in a row the condition must hold
  MonitoringGranularity granularity = MonitoringGranularity::kMonth;
  std::string action;  // what the partners agreed to do
  int source_line = 0;
};

// [comparison]: the program's enrolled members against a comparison population chosen by a
// definition (seed 002: "enrolled patients versus comparison population"), optionally adjusted
// for CMS-HCC risk (observed ÷ expected); docs/metrics.md, "Enrolled vs comparison".
struct ComparisonTerms {
  std::string label = "Enrolled vs comparison";
  std::string population;  // a definition expression (docs/definitions.md), at the period start
  bool risk_adjust = false;
  std::string model;     // V24 | V28 | blend; "" = V28 from payment year 2024, else V24
  int payment_year = 0;  // 0 = the period's first year (diagnoses of the year before)
  int source_line = 0;
};

const char* GranularityName(MonitoringGranularity g);  // "month" | "quarter" | "period"

}  // namespace valuepact
