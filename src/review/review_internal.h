#pragma once
// Internal to src/review: the steps of a comparison (compare.h).
#include <string>
#include <vector>

#include "valuepact/review/compare.h"

namespace valuepact::review {

// Where a run record keeps the text of the contract it ran (RecordFromFolder).
inline constexpr const char* kContractFile = "input/contract.toml";

// Members who entered, left or changed, from both runs' restricted/members.csv.
void AttributeMembers(Comparison* c);

// Claim lines added, removed and restated between the two runs' data (when it can be read).
void AttributeLines(const CompareOptions& options, Comparison* c);


}  // namespace valuepact::review
