#pragma once
// Applies a contract's `[population] eligible` definition to the member-months of a settlement:
// a member who does not meet the definition (evaluated at the period start over the member's
// history) has no member-months, so neither their enrollment nor their claims count.
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/member_months.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/population/value_set.h"

namespace valuepact {

// Adds the trace node "population.eligible" (members meeting the definition, with the
// expression as the formula) and returns the members it removed from the population.
Result<int64_t> ApplyEligibility(const Dataset& ds, const Contract& contract,
                                 const ProgramData* program,
                                 const population::ValueSetLibrary* value_sets,
                                 MemberMonths* member_months, Trace* trace);

}  // namespace valuepact
