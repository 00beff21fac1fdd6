#pragma once
// The metric catalogue: every metric valuepact computes, declared once as data (id, definition,
// numerator, denominator, unit, direction, horizon, inputs, source). The metrics engine, the
// `metrics` command's checks and docs/metrics.md are generated from it, so what a partner reads
// is what the engine computes. Immutable; safe to read from any thread.
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/status.h"

namespace valuepact::metrics {

enum class Direction : uint8_t { kHigherIsBetter, kLowerIsBetter, kNeither };
enum class Horizon : uint8_t { kShortTerm, kLongTerm };

// How a metric's value follows from its numerator and denominator.
enum class Scale : uint8_t {
  kCount,              // the numerator itself (no denominator)
  kPerMember,          // numerator ÷ denominator (PMPM, average length of stay)
  kPer1000,            // numerator × 12,000 ÷ member-months
  kShare,              // numerator ÷ denominator, a rate in [0, 1]
  kMemberYears,        // member-months ÷ 12
  kMeanOfThousandths,  // numerator (thousandths) ÷ denominator ÷ 1,000 (mean scores)
  kMedian,             // of the values counted by the denominator
  kMinimum,
  kMaximum,
};

struct MetricDefinition {
  std::string id;           // "acute_admissions_per_1000"
  std::string label;        // "Acute inpatient admissions per 1,000 member-years"
  std::string definition;   // one line
  std::string numerator;    // what is counted or summed
  std::string denominator;  // "" when none
  std::string unit;         // "per 1,000 member-years", "USD PMPM", "days", "rate", ...
  Direction direction = Direction::kNeither;
  Horizon horizon = Horizon::kShortTerm;
  Scale scale = Scale::kCount;
  std::string inputs;  // the data it needs: "eligibility, medical claims"
  std::string source;  // where the definition comes from
  // Empty, or what the metric is reported per value of ("referral source"): its rows are named
  // "<id>:<value>", one set per value found in the data.
  std::string per;
};

// The one metric of the data feed rather than of members: computed for "all" only.
inline constexpr std::string_view kFeedDaysLate = "data_feed_days_late";

// Every metric, in catalogue order.
const std::vector<MetricDefinition>& Catalogue();
// nullptr when unknown. "<id>:<value>" finds a metric reported per value.
const MetricDefinition* FindMetric(std::string_view id);
const char* DirectionName(Direction d);  // "higher is better", ...
const char* HorizonName(Horizon h);      // "short term" | "long term"

// The catalogue as the Markdown table of docs/metrics.md.
std::string CatalogueMarkdown();
// Replaces the text between "<!-- catalogue -->" and "<!-- /catalogue -->" in `doc` with
// CatalogueMarkdown(); an error when the markers are missing.
Result<std::string> RegenerateCatalogue(const std::string& doc);

}  // namespace valuepact::metrics
