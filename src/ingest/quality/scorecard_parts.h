#pragma once
// What the scorecard's two halves share (quality.cc finishes it; line_tally.cc tallies the claim
// lines): the date range a date must fall in, a line's service date, and the scored claim
// fields, in the order the scorecard lists them.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/quality/line_tally.h"

namespace valuepact::quality {

inline const Date kLowestDate = Date::FromCivil(1900, 1, 1);
inline const Date kHighestDate = Date::FromCivil(2100, 12, 31);

inline bool InRange(Date d) { return d == kNoDate || (d >= kLowestDate && d <= kHighestDate); }

// Both dates given, and the first after the second (a start after its end).
inline bool OutOfOrder(Date a, Date b) { return a != kNoDate && b != kNoDate && a > b; }

// A line's service date: its own start, or its claim's.
inline Date ServiceDate(const MedicalClaimTable& m, size_t i) {
  return m.line_start[i] != kNoDate ? m.line_start[i] : m.claim_start[i];
}

struct FieldSpec {
  const char* table;
  const char* field;
  const char* check;
  bool required;
};

// One field's completeness and validity over the rows it applies to.
class FieldTallier {
 public:
  explicit FieldTallier(const Dataset& d) : d_(&d) {}
  // The id tables the next codes are read against (a reader's batch, then the next: the same
  // tables, grown).
  void Rebind(const Dataset& d) {
    if (&d.codes != &d_->codes) verdicts_.clear();
    d_ = &d;
  }
  // A code column: present when not kNoCode; `valid` may be null (completeness only).
  void Code(uint32_t id, bool (*valid)(std::string_view), uint64_t row) {
    ++t_.rows;
    if (id == kNoCode) return;
    ++t_.present;
    if (valid == nullptr) return;
    if (!Passes(id, valid)) Invalid(d_->codes.Get(id), row);
  }
  void Date_(Date d, uint64_t row) {
    ++t_.rows;
    if (d == kNoDate) return;
    ++t_.present;
    if (!InRange(d)) Invalid(d.ToString(), row);
  }
  void Present(bool present) {
    ++t_.rows;
    t_.present += present;
  }
  FieldTally Take() { return std::move(t_); }

 private:
  void Invalid(std::string_view v, uint64_t row) {
    ++t_.invalid;
    auto& ex = t_.examples;
    if (ex.size() < 5 &&
        std::none_of(ex.begin(), ex.end(), [&](const auto& e) { return e.second == v; })) {
      ex.emplace_back(row, std::string(v));
    }
  }
  // Whether code `id` passes `valid`, tested once a code: a column's codes repeat line after
  // line, and a table's ids keep their values as it grows.
  bool Passes(uint32_t id, bool (*valid)(std::string_view)) {
    if (valid == test_ && id < verdicts_.size() && verdicts_[id] != 0) return verdicts_[id] == 1;
    return Test(id, valid);
  }
  // Passes for a code not tested yet (or a test other than the last one's): out of line.
  [[gnu::noinline]] bool Test(uint32_t id, bool (*valid)(std::string_view)) {
    if (valid != test_) {
      verdicts_.clear();
      test_ = valid;
    }
    if (id >= verdicts_.size()) verdicts_.resize(std::max<size_t>(d_->codes.size(), id + 1), 0);
    verdicts_[id] = valid(d_->codes.Get(id)) ? 1 : 2;
    return verdicts_[id] == 1;
  }
  const Dataset* d_;
  FieldTally t_;
  bool (*test_)(std::string_view) = nullptr;  // what verdicts_ answer
  std::vector<uint8_t> verdicts_;             // by code id: 0 not tested, 1 passes, 2 fails
};

// Every tallier's tally, in order.
inline std::vector<FieldTally> TakeAll(std::vector<FieldTallier>* talliers) {
  std::vector<FieldTally> out;
  out.reserve(talliers->size());
  for (auto& t : *talliers) out.push_back(t.Take());
  return out;
}

inline constexpr const char* kNpiCheck = "NPI check digit (Luhn, prefix 80840)";
inline constexpr const char* kDateCheck = "date 1900-2100";

// The medical fields, in the order TallyClaimLines scores them.
inline constexpr FieldSpec kMedicalFields[] = {
    {"medical_claim", "person_id", "", true},
    {"medical_claim", "claim_start_date", kDateCheck, true},
    {"medical_claim", "claim_end_date", kDateCheck, true},
    {"medical_claim", "paid_date", kDateCheck, false},
    {"medical_claim", "diagnosis_code_1", "ICD-10-CM shape", true},
    {"medical_claim", "rendering_npi", kNpiCheck, false},
    {"medical_claim", "billing_npi", kNpiCheck, false},
    {"medical_claim", "hcpcs_code (professional, DME)", "CPT/HCPCS shape (5 characters)", false},
    {"medical_claim", "place_of_service_code (professional)", "two digits 01-99", false},
    {"medical_claim", "bill_type_code (institutional)",
     "type of bill: facility 1-8, classification, frequency", false},
    {"medical_claim", "revenue_center_code (institutional)", "four digits", false},
};
inline constexpr FieldSpec kPharmacyFields[] = {
    {"pharmacy_claim", "ndc_code", "11 digits", true},
    {"pharmacy_claim", "dispensing_date", kDateCheck, true},
    {"pharmacy_claim", "paid_date", kDateCheck, false},
    {"pharmacy_claim", "prescribing_provider_npi", kNpiCheck, false},
};
inline constexpr FieldSpec kEligibilityFields[] = {
    {"eligibility", "birth_date", kDateCheck, true},
    {"eligibility", "gender", "", true},
    {"eligibility", "enrollment_start_date", kDateCheck, true},
    {"eligibility", "enrollment_end_date", kDateCheck, true},
};

}  // namespace valuepact::quality
