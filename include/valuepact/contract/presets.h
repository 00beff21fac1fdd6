#pragma once
// Methodology presets: the Medicare Shared Savings Program rules of each track or level for a
// performance year, as SharedSavingsTerms whose `sources` cite the rule behind each term
// (mssp-parameters.md; docs/contract-reference.md, "Presets").
#include <string>
#include <vector>

#include "valuepact/contract/payment_terms.h"
#include "valuepact/core/status.h"

namespace valuepact {

struct PresetInfo {
  std::string name;
  std::string title;
  int first_year = 0;
  int last_year = 0;
};

const std::vector<PresetInfo>& Presets();

// The terms of `name` in `performance_year`. `track_year` is the ACO's year in the track
// (Track 2's loss limit steps up 5% → 7.5% → 10%, 42 CFR 425.606(g)); 0 means unknown (the
// first year's limit applies, and the trace says so).
Result<SharedSavingsTerms> PresetTerms(const std::string& name, int performance_year,
                                       int track_year = 0);

}  // namespace valuepact
