#pragma once
// Claims-based metrics of the contract's population (docs/metrics.md): member-months, PMPM paid
// and allowed (total and by service category), acute stays, bed days, length of stay, ED visits,
// 30-day readmissions, SNF stays, home health episodes, hospice days, ICU stays and days,
// observation stays — monthly and for the period, for the whole population and for strata of
// any member attribute the data has. Members and member-months are the Timeline's (the same
// population as settle). Numerators and denominators are integers (counts, days, cents); a
// denominator of 0 gives no value (not applicable), never 0.
//
// Pure computation over immutable inputs; safe to call from any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/attribution/attribution.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/dataset/timeline.h"
#include "valuepact/metrics/catalogue.h"

namespace valuepact::metrics {

// A member attribute metrics can be stratified by.
enum class Attribute : uint8_t {
  kAgeBand = 0,         // age at the period start: 0-17, 18-44, 45-64, 65-74, 75-84, 85+
  kSex,                 // F, M, U
  kDualStatus,          // the member's dual status code
  kMedicareStatus,      // the member's Medicare status code
  kPayer,               // the payer of the member's latest enrollment span in the period
  kPlan,                // the plan of that span
  kProgramSetting,      // per month: the program's care setting, or "none"
  kRace,                // eligibility `race` (Tuva CSV), lower-cased, or "unknown"
  kEthnicity,           // eligibility `ethnicity`
  kState,               // eligibility `state`
  kZip3,                // the first three digits of eligibility `zip_code`
  kAttributedProvider,  // per month: the provider the member is attributed to, or "none"
};
inline constexpr int kAttributeCount = 12;
const char* AttributeName(Attribute a);  // "age_band", ...
std::optional<Attribute> ParseAttribute(std::string_view name);

struct MetricsOptions {
  std::vector<Attribute> by;
  int min_cell = 11;  // strata with fewer distinct members are suppressed in shared outputs
  // The run's attribution, for the attributed_provider stratum; none: the contract has no
  // [attribution] and every member's provider is "none".
  const attribution::AttributionResult* attribution = nullptr;
};

struct MetricRow {
  std::string metric;         // catalogue id
  std::string stratum;        // "all" or "attribute=value"
  std::string period;         // "YYYY-MM" or "total"
  int64_t numerator = 0;      // count, days, member-months or cents (money)
  int64_t denominator = 0;    // 0 with has_denominator: not applicable
  bool money = false;         // the numerator is in cents
  bool thousandths = false;   // the numerator is in thousandths (scores)
  bool has_numerator = true;  // false for a median, minimum or maximum
  bool has_denominator = true;
  std::optional<double> value;  // none: not applicable, or suppressed
  bool suppressed = false;      // the stratum has fewer than min_cell members
  std::string id;               // trace node ("" when suppressed)
};

// One counted event, for the restricted event list: what was counted for whom, from which lines.
struct MetricEvent {
  // acute_stay | snf_stay | home_health_episode | ed_visit | observation_stay |
  // program_enrollment | referral | visit_gap | program_discharge | death
  std::string kind;
  uint32_t member = 0;
  Date start, end;
  int64_t days = 0;             // bed days of a stay
  std::string disposition;      // stays: the discharge disposition ("" when none)
  bool counted = false;         // it falls in a population month (and is counted)
  bool index_stay = false;      // acute: an index stay of the readmission measure
  bool readmitted = false;      // acute index stay followed by a stay within 1-30 days
  bool icu = false;             // acute: has a line of revenue code 020x or 021x
  bool acute_use_30d = false;   // program enrollment: ED visit or acute stay in days 0-30
  std::vector<uint32_t> lines;  // medical line rows
  std::string detail;           // program events: "scheduled=1", "on_service=1;hospice=1;..."
};

struct MetricsResult {
  std::vector<MetricRow> rows;  // catalogue order; strata "all" first; months, then "total"
  std::vector<MetricEvent> events;
  int64_t strata = 0;             // strata other than "all"
  int64_t suppressed_strata = 0;  // of those, under min_cell members
  std::vector<std::string> notes;
};

// Adds a node per unsuppressed row: metrics.<metric>.<stratum>.<period>.
// `program`: the run's program data (enrollments), or null.
Result<MetricsResult> ComputeClaimsMetrics(const Dataset& ds, const ProgramData* program,
                                           const Contract& contract, const Timeline& timeline,
                                           const MetricsOptions& options, Trace* trace);

// A metric's value from its numerator and denominator sums (cents per member-month for money),
// or none when the denominator is 0 or the metric is a median, minimum or maximum (taken from
// values, not sums).
std::optional<double> ValueFromSums(const MetricDefinition& d, int64_t numerator,
                                    int64_t denominator);

// metrics.csv: metric,stratum,period,numerator,denominator,value (value "n/a" for an empty
// denominator; a suppressed row has "suppressed" and no numerator or denominator).
std::string MetricsCsv(const MetricsResult& r);
// metric_events.csv (member-level): kind,person_id,start,end,days,disposition,counted,
// index_stay,readmitted,icu,acute_use_30d,claim_ids,detail.
std::string EventsCsv(const MetricsResult& r, const Dataset& ds);

}  // namespace valuepact::metrics
