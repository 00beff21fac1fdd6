#pragma once
// A member's Medicare enrollment type for a year (42 CFR 425.601(a)(1)-(2) computes benchmark
// expenditure separately for ESRD, disabled, aged/dual and aged/non-dual beneficiaries).
//
// Rule, first match wins (docs/contract-reference.md, "Enrollment types"):
//   ESRD      medicare_status_code 11, 21 or 31, or an OREC of 2 or 3 (ESRD)
//   disabled  medicare_status_code 20, or age under 65 on January 1 of the year
//   aged/dual dual_status_code present and not "00" or "NA"
//   aged/non-dual  everyone else
// Status codes are the member's latest eligibility values (Dataset::member_info).
#include <string>
#include <vector>

#include "valuepact/contract/benchmark_terms.h"
#include "valuepact/dataset/dataset.h"

namespace valuepact {

EnrollmentType ClassifyEnrollmentType(const Dataset& ds, uint32_t member, int year,
                                      std::string* why = nullptr);

}  // namespace valuepact
