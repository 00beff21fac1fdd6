#pragma once
// Builds a run's Timeline (dataset/timeline.h) from the loaded inputs and the contract: plan
// enrollment, attribution, the population definition, and program enrollment with its setting.
// Adds the population figures to the trace.
#include <optional>
#include <string>
#include <vector>

#include "valuepact/attribution/attribution.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/dataset/timeline.h"
#include "valuepact/population/value_set.h"

namespace valuepact::run {

struct TimelineInputs {
  const Dataset* dataset = nullptr;
  const ProgramData* program = nullptr;  // may be empty, never null
  const Contract* contract = nullptr;
  const attribution::AttributionSpec* attribution = nullptr;  // with its files read
  const population::ValueSetLibrary* value_sets = nullptr;
  // The attribution already computed (the claim lines on their ranks, run/line_tallies.h), or
  // null: computed from `dataset`.
  const attribution::AttributionResult* attributed = nullptr;
};

struct TimelineBuild {
  Timeline timeline;
  // Present when the contract declares [attribution]: every member's rationale.
  std::optional<attribution::AttributionResult> attribution;
  std::vector<std::string> notes;
};

// Trace nodes: population.plan_member_months, population.attributed_member_months (with
// [attribution]), population.eligible_member_months (with [population] eligible),
// population.member_months and population.members.
Result<TimelineBuild> BuildTimeline(const TimelineInputs& in, Trace* trace);

// "Enrollment spans with payer in [...] overlapping any day of a month of 2018-01-01 to ..."
std::string PlanEnrollmentRule(const Contract& k);

}  // namespace valuepact::run
