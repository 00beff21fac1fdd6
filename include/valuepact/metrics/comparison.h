#pragma once
// Enrolled vs comparison (docs/metrics.md, "Enrolled vs comparison"): the program's enrolled
// members in their program months against a comparison population chosen by a definition, in
// their plan-enrolled months; paid PMPM, acute admissions, bed days and ED visits per 1,000 for
// each group, the difference and its standard error (members as clusters, the delta method for
// a ratio), and optionally the same adjusted for CMS-HCC risk: observed ÷ expected, expected at
// the pooled rate per unit of risk.
//
// Pure computation over immutable inputs; safe to call from any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/contract/contract.h"
#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/timeline.h"

namespace valuepact::metrics {

struct ComparisonInputs {
  const Dataset* dataset = nullptr;
  const Contract* contract = nullptr;
  const Timeline* timeline = nullptr;
  std::vector<uint8_t> in_definition;  // per member: meets [comparison] population
  // Per member: the CMS-HCC score, NaN when the member could not be scored; empty without
  // risk adjustment.
  std::vector<double> risk_scores;
};

// One group's figures for one measure.
struct GroupRate {
  int64_t members = 0;  // with a counted month
  int64_t member_months = 0;
  int64_t sum = 0;                 // cents, stays, bed days or visits
  std::optional<double> rate, se;  // observed, in the measure's unit; se needs 2+ members
  // Risk-adjusted, over members with a score.
  int64_t scored_members = 0;
  std::optional<double> observed_to_expected, adjusted_rate, adjusted_se;
};

struct ComparisonMeasure {
  std::string metric;  // pmpm_total | acute_admissions_per_1000 | bed_days_per_1000 | ...
  std::string unit;
  GroupRate enrolled, comparison;
  std::optional<double> difference, difference_se;  // enrolled − comparison
  std::optional<double> adjusted_difference, adjusted_difference_se;
};

// One row per member of either group (restricted: member level).
struct ComparisonMember {
  uint32_t member = 0;
  bool enrolled = false;
  int64_t member_months = 0, paid_cents = 0, stays = 0, bed_days = 0, ed_visits = 0;
  double risk_score = 0;  // NaN when not scored or not adjusted
};

struct ComparisonResult {
  std::string label;
  bool risk_adjusted = false;
  double mean_risk = 0;  // pooled, member-month weighted, over scored members
  std::vector<ComparisonMeasure> measures;
  std::vector<ComparisonMember> members;
  std::vector<std::string> notes;
  nlohmann::ordered_json ToJson() const;
  std::string ToMarkdown() const;
};

// Trace nodes comparison.<metric>.<enrolled|comparison>[.adjusted], comparison.<metric>.
// difference[.adjusted] and comparison.mean_risk.
Result<ComparisonResult> ComputeComparison(const ComparisonInputs& in, Trace* trace);

// comparison_members.csv: person_id,group,member_months,paid,acute_stays,bed_days,ed_visits,
// risk_score.
std::string ComparisonMembersCsv(const ComparisonResult& r, const Dataset& ds);

}  // namespace valuepact::metrics
