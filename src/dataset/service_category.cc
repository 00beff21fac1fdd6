#include "valuepact/dataset/service_category.h"

#include <algorithm>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace valuepact {
namespace {

// Bill type: the three significant digits (facility type, care type, frequency) after dropping
// the leading zero of the four-character form ("0111" -> "111").
std::string_view SignificantBillType(std::string_view bt) {
  if (bt.size() == 4 && bt[0] == '0') bt.remove_prefix(1);
  return bt;
}

bool IsEmergencyRevenueCode(std::string_view rc) {
  if (rc.size() == 3) {
    // Some feeds drop the leading zero of the four-digit revenue code.
    return (rc[0] == '4' && rc[1] == '5') || rc == "981";
  }
  if (rc.size() != 4) return false;
  return (rc.substr(0, 3) == "045") || rc == "0981";
}

bool IsEmergencyVisitHcpcs(std::string_view h) {
  // CPT 99281-99285: emergency department evaluation and management.
  return h.size() == 5 && h.substr(0, 4) == "9928" && h[4] >= '1' && h[4] <= '5';
}

ServiceCategory FromBillType(std::string_view bt) {
  const std::string_view two = bt.substr(0, 2);
  if (two == "11") return ServiceCategory::kAcuteInpatient;  // hospital inpatient (Part A)
  if (two == "18" || two == "21" || two == "22") return ServiceCategory::kSnf;  // incl. swing bed
  if (two == "32" || two == "33" || two == "34") return ServiceCategory::kHomeHealth;
  if (two == "81" || two == "82") return ServiceCategory::kHospice;
  if (two == "12" || two == "13" || two == "14" || two == "23" || two == "71" || two == "72" ||
      two == "73" || two == "74" || two == "75" || two == "76" || two == "77" || two == "79" ||
      two == "83" || two == "85") {
    return ServiceCategory::kOutpatient;
  }
  return ServiceCategory::kOther;
}

}  // namespace

ServiceCategory ClassifyMedicalLine(const MedicalLineCodes& l) {
  const std::string_view bt = SignificantBillType(l.bill_type);
  const bool institutional = l.claim_type == ClaimType::kInstitutional ||
                             (l.claim_type == ClaimType::kUnknown && !bt.empty());
  if (institutional) {
    if (!bt.empty()) {
      const ServiceCategory c = FromBillType(bt);
      if (c == ServiceCategory::kOutpatient && IsEmergencyRevenueCode(l.revenue_code)) {
        return ServiceCategory::kEmergency;
      }
      return c;
    }
    return l.has_drg ? ServiceCategory::kAcuteInpatient : ServiceCategory::kOther;
  }
  if (l.claim_type == ClaimType::kDme) return ServiceCategory::kDme;
  // Professional (and unknown without a bill type).
  if (!l.hcpcs.empty() && (l.hcpcs[0] == 'E' || l.hcpcs[0] == 'K' || l.hcpcs[0] == 'L')) {
    return ServiceCategory::kDme;  // HCPCS level II E/K/L: equipment, supplies, orthotics
  }
  if (l.place_of_service == "23" || IsEmergencyVisitHcpcs(l.hcpcs)) {
    return ServiceCategory::kEmergency;
  }
  if (l.place_of_service == "34") return ServiceCategory::kHospice;
  return ServiceCategory::kProfessional;
}

void ClassifyMedicalLines(const StringInterner& codes, MedicalClaimTable* t,
                          std::vector<uint8_t>* emergency_claims) {
  auto code = [&](uint32_t id) { return id == kNoCode ? std::string_view() : codes.Get(id); };
  const size_t n = t->size();
  t->category.resize(n);
  for (size_t i = 0; i < n; ++i) {
    MedicalLineCodes l{t->claim_type[i],         code(t->bill_type[i]),
                       code(t->revenue_code[i]), code(t->place_of_service[i]),
                       code(t->hcpcs[i]),        t->drg[i] != kNoCode};
    t->category[i] = ClassifyMedicalLine(l);
    if (t->category[i] == ServiceCategory::kEmergency && !l.bill_type.empty()) {
      const uint32_t c = t->claim[i];
      if (emergency_claims->size() <= c) emergency_claims->resize(size_t{c} + 1, 0);
      (*emergency_claims)[c] = 1;
    }
  }
}

void ApplyEmergencyClaims(const std::vector<uint8_t>& emergency_claims, MedicalClaimTable* t) {
  if (emergency_claims.empty()) return;
  // Each line on its own: the run's threads take a range of lines each.
  tbb::parallel_for(tbb::blocked_range<size_t>(0, t->size(), size_t{1} << 16),
                    [&](const tbb::blocked_range<size_t>& r) {
                      for (size_t i = r.begin(); i != r.end(); ++i) {
                        const uint32_t c = t->claim[i];
                        if (t->category[i] == ServiceCategory::kOutpatient &&
                            c < emergency_claims.size() && emergency_claims[c] != 0) {
                          t->category[i] = ServiceCategory::kEmergency;
                        }
                      }
                    });
}

void ClassifyMedicalClaims(const StringInterner& codes, MedicalClaimTable* t) {
  std::vector<uint8_t> emergency_claims;  // claim ids are dense: one flag per claim
  ClassifyMedicalLines(codes, t, &emergency_claims);
  ApplyEmergencyClaims(emergency_claims, t);
}

}  // namespace valuepact
