#pragma once
// Assigns each medical claim line a service category from its claim type, bill type, revenue
// code, place of service and HCPCS code. The rules are in docs/service-categories.md.
#include <cstdint>
#include <string_view>
#include <vector>

#include "valuepact/dataset/dataset.h"

namespace valuepact {

struct MedicalLineCodes {
  ClaimType claim_type = ClaimType::kUnknown;
  std::string_view bill_type;
  std::string_view revenue_code;
  std::string_view place_of_service;
  std::string_view hcpcs;
  bool has_drg = false;
};

// The category of one line, looking at that line alone.
ServiceCategory ClassifyMedicalLine(const MedicalLineCodes& line);

// Classifies every line of the table, then applies the claim-level rule: every line of an
// outpatient institutional claim that carries an emergency-room revenue code (0450-0459, 0981)
// is emergency department. Lines must already be in the table with their code ids.
void ClassifyMedicalClaims(const StringInterner& codes, MedicalClaimTable* table);

// ClassifyMedicalClaims in its two steps, for a reader that classifies its lines batch by batch
// and keeps none of their codes: each line's category by its own codes, marking (by claim id,
// grown as needed) the claims that hold an emergency line by its own codes; then, once every
// line is in, the claim-level rule over the marked claims.
void ClassifyMedicalLines(const StringInterner& codes, MedicalClaimTable* table,
                          std::vector<uint8_t>* emergency_claims);
void ApplyEmergencyClaims(const std::vector<uint8_t>& emergency_claims, MedicalClaimTable* table);

}  // namespace valuepact
