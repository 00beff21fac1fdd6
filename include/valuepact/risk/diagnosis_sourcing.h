#pragma once
// Which claim diagnoses count for CMS-HCC risk adjustment, following CMS's filtering of
// encounter data and FFS claims for risk adjustment (docs/risk-adjustment.md, "Diagnosis
// sourcing"):
//
//  * Dates: claims whose through date falls in the data year (the calendar year before the
//    payment year).
//  * Institutional inpatient, bill types 11x and 41x: accepted without a procedure check.
//  * Institutional outpatient, bill types 12x, 13x, 43x, 71x, 73x, 76x, 77x, 85x: accepted when
//    at least one line carries a CPT/HCPCS code on CMS's risk-adjustment-eligible list for the
//    year of service. Other bill types (SNF 2xx, home health 3xx, hospice 81x/82x, swing beds
//    18x, ...) are not acceptable sources. Frequency code 8 (void) is excluded.
//  * Professional: accepted when at least one line carries an eligible CPT/HCPCS code.
//  * DME claims are not acceptable sources.
//  * Every diagnosis position of an accepted claim counts (CMS uses all header diagnoses).
//
// CMS also requires an acceptable physician specialty on professional claims; the Tuva input
// layer carries no specialty, so that check is not applied (documented).
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "valuepact/dataset/dataset.h"
#include "valuepact/risk/risk_scorer.h"

namespace valuepact::risk {

struct DiagnosisSourcingOptions {
  int data_year = 0;
  const std::set<std::string>* eligible_codes = nullptr;  // CPT/HCPCS, upper case
};

struct DiagnosisSourcingReport {
  uint64_t claims_in_year = 0;
  uint64_t claims_inpatient = 0;
  uint64_t claims_outpatient = 0;
  uint64_t claims_professional = 0;
  uint64_t claims_excluded_bill_type = 0;         // institutional, not an acceptable bill type
  uint64_t claims_excluded_void = 0;              // frequency code 8
  uint64_t claims_excluded_no_eligible_code = 0;  // no risk-adjustment-eligible CPT/HCPCS line
  uint64_t claims_excluded_dme = 0;
  uint64_t claims_excluded_unknown_type = 0;  // neither a bill type nor a procedure code
  uint64_t lines_outside_year = 0;
};

// Diagnoses per member: member m owns codes[offsets[m], offsets[m+1]), ids in Dataset::codes,
// distinct and in increasing id order.
struct MemberDiagnoses {
  std::vector<uint32_t> offsets;
  std::vector<uint32_t> codes;
};

// kInternal when the lines were read without their codes (RequireDiagnoses).
Result<MemberDiagnoses> SourceDiagnoses(const Dataset& ds, const DiagnosisSourcingOptions& options,
                                        DiagnosisSourcingReport* report);

// Classifies a bill type code ("0111", "111", "13"): 'I' inpatient, 'O' outpatient, 'V' void,
// 'X' not an acceptable source.
char ClassifyBillType(std::string_view bill_type);

struct DemographicsReport {
  uint64_t members = 0;
  uint64_t without_birth_date = 0;  // cannot be scored; listed in `skipped`
  uint64_t orec_from_medicare_status = 0;
  uint64_t orec_unknown = 0;
  uint64_t esrd = 0;  // ESRD status (Medicare status 11, 21, 31): scored with the ESRD model
  uint64_t new_enrollees = 0;
  std::vector<std::string> skipped;  // "person 123: no birth date"
};

// One MemberInput per member of the dataset (skipping members that cannot be scored):
// age on February 1 of the payment year from birth_date; sex; OREC (else derived from the
// Medicare status code: 20/21 disabled -> 1, 31 ESRD -> 2, else 0); dual status (02, 04, 08
// full-benefit; 01, 03, 05, 06 partial; others none); new enrollee when the member's first
// enrollment starts after January 1 of the data year.
std::vector<MemberInput> MembersFromDataset(const Dataset& ds, int payment_year,
                                            const MemberDiagnoses& dx, DemographicsReport* report);

}  // namespace valuepact::risk
