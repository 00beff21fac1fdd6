#pragma once
// Before and after program enrollment (docs/metrics.md, "Before and after enrollment"): for each
// member's first program enrollment starting in the contract period, the same claims measures in
// the W months before and the W months from the enrollment month (W = 6 and 12), pooled over the
// members enrolled in the plan (the contract's payers and member-month rule) in every month of
// both windows. Each pooled figure is a trace node.
//
// Pure computation; safe to call from any thread.
#include <cstdint>
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"

namespace valuepact::metrics {

struct BeforeAfterWindow {
  int months = 0;                // W
  int64_t members = 0;           // enrolled in the plan across both windows
  int64_t excluded_members = 0;  // program members whose windows are not fully enrolled
  // [0] before, [1] after: member-months (members × W), paid cents, acute stays and their bed
  // days (by admission month), ED visits.
  int64_t member_months[2] = {0, 0};
  int64_t paid_cents[2] = {0, 0};
  int64_t acute_stays[2] = {0, 0};
  int64_t bed_days[2] = {0, 0};
  int64_t ed_visits[2] = {0, 0};
};

struct BeforeAfterResult {
  std::vector<BeforeAfterWindow> windows;  // W = 6, then 12
  int64_t program_members = 0;             // with a first enrollment starting in the period
};

// Trace nodes: before_after.<W>m.<before|after>.<pmpm_total|acute_admissions_per_1000|
// bed_days_per_1000|ed_visits_per_1000> and before_after.<W>m.members.
Result<BeforeAfterResult> ComputeBeforeAfter(const Dataset& ds, const ProgramData& program,
                                             const Contract& contract, Trace* trace);

}  // namespace valuepact::metrics
