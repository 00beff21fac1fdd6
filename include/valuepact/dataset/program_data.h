#pragma once
// Program data: what the provider records that claims do not carry (ARCHITECTURE §4) —
// referrals, program enrollments, visits and events. Columnar like the rest of the dataset;
// person ids are interned into the same Dataset::members interner so ids are shared with claims
// and eligibility. docs/input-formats.md ("Program data") documents the files.
#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "valuepact/core/date.h"
#include "valuepact/core/interner.h"
#include "valuepact/dataset/dataset.h"

namespace valuepact {

enum class ReferralOutcome : uint8_t {
  kPending = 0,
  kEnrolled,
  kDeclined,
  kIneligible,
  kUnableToReach
};
inline constexpr std::array<std::string_view, 5> kReferralOutcomeNames = {
    "pending", "enrolled", "declined", "ineligible", "unable_to_reach"};

enum class CareSetting : uint8_t { kHome = 0, kNursingFacility, kAssistedLiving };
inline constexpr std::array<std::string_view, 3> kCareSettingNames = {"home", "nursing_facility",
                                                                      "assisted_living"};

enum class Discipline : uint8_t {
  kPhysician = 0,
  kNp,
  kRn,
  kSocialWorker,
  kChaplain,
  kChw,
  kOther
};
inline constexpr std::array<std::string_view, 7> kDisciplineNames = {
    "physician", "np", "rn", "social_worker", "chaplain", "chw", "other"};

enum class Modality : uint8_t { kInPerson = 0, kVideo, kPhone };
inline constexpr std::array<std::string_view, 3> kModalityNames = {"in_person", "video", "phone"};

// A visit record's status (visits.csv `status`; blank = completed). Only completed visits are
// visits; the others show that a visit was scheduled.
enum class VisitStatus : uint8_t { kCompleted = 0, kScheduled, kCancelled, kNoShow };
inline constexpr std::array<std::string_view, 4> kVisitStatusNames = {"completed", "scheduled",
                                                                      "cancelled", "no_show"};

enum class ProgramEvent : uint8_t {
  kInitialAssessment = 0,
  kFunctionalAssessment,
  kSpiritualAssessment,
  kSymptomScore,
  kDistressScore,
  kAcpDiscussion,
  kAdvanceDirective,
  kPolst,
  kMedReconciliation,
  kHospiceElection,
  kDeath,
};
inline constexpr std::array<std::string_view, 11> kProgramEventNames = {"initial_assessment",
                                                                        "functional_assessment",
                                                                        "spiritual_assessment",
                                                                        "symptom_score",
                                                                        "distress_score",
                                                                        "acp_discussion",
                                                                        "advance_directive",
                                                                        "polst",
                                                                        "med_reconciliation",
                                                                        "hospice_election",
                                                                        "death"};

// Index of `text` in `names`, or -1.
template <size_t N>
constexpr int ProgramEnumIndex(const std::array<std::string_view, N>& names,
                               std::string_view text) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<int>(i);
  }
  return -1;
}

struct ReferralTable {
  std::vector<uint32_t> member;
  std::vector<Date> referral_date;
  std::vector<uint32_t> source_text;  // id in ProgramData::text, or kNoCode
  std::vector<uint32_t> reason_text;  // id in ProgramData::text, or kNoCode
  std::vector<ReferralOutcome> outcome;
  std::vector<Date> decision_date;  // kNoDate while pending
  std::vector<SourceRef> source;
  size_t size() const { return member.size(); }
};

// Spans in the provider's program (not health-plan eligibility).
struct ProgramEnrollmentTable {
  std::vector<uint32_t> member;
  std::vector<Date> start;
  std::vector<Date> end;  // kNoDate while open
  std::vector<CareSetting> setting;
  std::vector<uint32_t> end_reason_text;  // id in ProgramData::text, or kNoCode
  std::vector<SourceRef> source;
  size_t size() const { return member.size(); }
};

struct VisitTable {
  std::vector<uint32_t> member;
  std::vector<Date> date;
  std::vector<Discipline> discipline;
  std::vector<Modality> modality;
  std::vector<int32_t> minutes;
  std::vector<int32_t> travel_minutes;
  std::vector<SourceRef> source;
  size_t size() const { return member.size(); }
};

// Visit records that are not completed visits (scheduled, cancelled, no-show): the visits
// planned for a member, whether or not they took place.
struct BookingTable {
  std::vector<uint32_t> member;
  std::vector<Date> date;
  std::vector<VisitStatus> status;
  std::vector<SourceRef> source;
  size_t size() const { return member.size(); }
};

struct EventTable {
  std::vector<uint32_t> member;
  std::vector<Date> date;
  std::vector<ProgramEvent> event;
  std::vector<double> value;                      // NaN when blank (scores, counts)
  std::vector<uint32_t> location_text;            // id in ProgramData::text, or kNoCode
  std::vector<uint32_t> preferred_location_text;  // id in ProgramData::text, or kNoCode
  std::vector<SourceRef> source;
  size_t size() const { return member.size(); }
};

struct ProgramData {
  StringInterner text;  // free-text columns (source, reason, end_reason, locations), lower-cased
  ReferralTable referrals;
  ProgramEnrollmentTable enrollments;
  VisitTable visits;      // completed visits
  BookingTable bookings;  // visit records not completed
  EventTable events;
  bool empty() const {
    return referrals.size() == 0 && enrollments.size() == 0 && visits.size() == 0 &&
           bookings.size() == 0 && events.size() == 0;
  }
};

}  // namespace valuepact
