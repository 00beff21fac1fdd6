#pragma once
// The member attributes every reader normalises the same way, so a stratum means the same thing
// whatever the data's format (docs/metrics.md, "Strata"):
//
//  - state: the state's name, lower-cased ("kentucky"), from a name, a USPS abbreviation ("KY")
//    or a two-digit FIPS state code ("21", CCLF8 BENE_FIPS_STATE_CD);
//  - zip3: the first three digits of a ZIP code that starts with three digits;
//  - race from a CMS beneficiary race code (CCLF8 BENE_RACE_CD): 0 unknown, 1 white, 2 black,
//    3 other, 4 asian, 5 hispanic, 6 north american native (the labels of CMS's data
//    dictionary, lower-cased, as Tuva's CCLF mapping writes them).
//
// Each returns an empty string when it cannot normalise the value (the caller records "none").
#include <string>
#include <string_view>

namespace valuepact::ingest {

// A state's lower-case name from its name (any case), USPS code or FIPS code; other text is
// returned lower-cased as given (a territory or region the table does not hold); "" for blank.
std::string NormalizeState(std::string_view s);
std::string_view StateFromFips(std::string_view fips);  // "" when not a known FIPS state code
std::string_view Zip3(std::string_view zip);            // "" unless it starts with 3 digits
std::string_view CmsRaceLabel(std::string_view code);   // "" for a code outside 0-6

}  // namespace valuepact::ingest
