// Program activity metrics (seed 002's metrics table): referrals, visits, assessments, scores,
// medication reconciliation, advance care planning and the end of life. The rules are in
// docs/metrics.md ("Program activity"); the accumulator is in accumulator.h.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "metrics/accumulator.h"

namespace valuepact::metrics {

bool Accumulator::InProgramMonth(Date d) const {
  const int i = MonthOf(d);
  return i >= 0 && tl_.ProgramMonth(member_, i) && tl_.InPopulation(member_, i);
}

int Accumulator::EnrollmentSpanOf(uint32_t m, Date d) const {
  const ProgramEnrollmentTable& t = program_->enrollments;
  for (uint32_t p = enrollments_.offsets[m]; p < enrollments_.offsets[m + 1]; ++p) {
    const uint32_t r = enrollments_.order[p];
    if (t.start[r] <= d && (t.end[r] == kNoDate || t.end[r] >= d)) {
      return static_cast<int>(r);
    }
  }
  return -1;
}

Date Accumulator::DeathDate(uint32_t m) const {
  Date death = m < ds_.member_info.death_date.size() ? ds_.member_info.death_date[m] : kNoDate;
  const EventTable& e = program_->events;
  for (uint32_t p = program_events_.offsets[m]; p < program_events_.offsets[m + 1]; ++p) {
    const uint32_t r = program_events_.order[p];
    if (e.event[r] == ProgramEvent::kDeath && (death == kNoDate || e.date[r] < death)) {
      death = e.date[r];
    }
  }
  return death;
}

MetricEvent& Accumulator::Note(const char* kind, uint32_t m, Date start, Date end, bool counted) {
  MetricEvent e;
  e.kind = kind;
  e.member = m;
  e.start = start;
  e.end = end;
  e.counted = counted;
  events_->push_back(std::move(e));
  return events_->back();
}

void Accumulator::Program(uint32_t m, const MemberEvents& ev, std::vector<MetricEvent>* events) {
  if (program_ == nullptr || enrollments_.offsets.size() <= m + 1) {
    return;
  }
  ProgramEnrollment(m, ev, events);
  const std::vector<Date> visit_dates = Visits(m);
  Referrals(m, visit_dates);
  VisitGaps(m, visit_dates);
  MedicationReconciliation(m, ev);
  ProgramMembers(m);
  Deaths(m);
}

// The member's first program enrollment starting in the period, when it starts in a population
// month: an enrollee, without acute use when no ED visit and no acute stay falls on the start
// day or the 30 days after; dying within a year when a death is known 0-365 days after the start.
void Accumulator::ProgramEnrollment(uint32_t m, const MemberEvents& ev,
                                    std::vector<MetricEvent>* events) {
  Date start = kNoDate;
  for (uint32_t p = enrollments_.offsets[m]; p < enrollments_.offsets[m + 1]; ++p) {
    const Date s = program_->enrollments.start[enrollments_.order[p]];
    if (s >= k_.period.start && s <= k_.period.end && (start == kNoDate || s < start)) {
      start = s;
    }
  }
  if (start == kNoDate) {
    return;
  }
  const auto within = [&](Date d) { return d >= start && d - start <= 30; };
  bool acute_use = std::any_of(ev.ed_visits.begin(), ev.ed_visits.end(),
                               [&](const MetricEvent& v) { return within(v.start); });
  acute_use |= std::any_of(ev.acute.begin(), ev.acute.end(),
                           [&](const MetricEvent& s) { return within(s.start); });
  const Date death = DeathDate(m);
  const bool died_within_year = death != kNoDate && death >= start && death - start <= 365;
  const int i = MonthOf(start);
  MetricEvent e;
  e.kind = "program_enrollment";
  e.member = m;
  e.start = start;
  e.end = start + 30;
  e.counted = i >= 0 && tl_.InPopulation(m, i);
  e.acute_use_30d = acute_use;
  events->push_back(std::move(e));
  Add(i, kProgramEnrollees, 1);
  Add(i, kEnrolleesWithoutAcuteUse, acute_use ? 0 : 1);
  Add(i, kEnrolleesDiedWithinYear, died_within_year ? 1 : 0);
}

// The member's completed visits in program months (counted, by modality and discipline);
// returns every completed visit date of the member, sorted (for referrals and gaps).
std::vector<Date> Accumulator::Visits(uint32_t m) {
  const VisitTable& v = program_->visits;
  std::vector<Date> dates;
  for (uint32_t p = visits_.offsets[m]; p < visits_.offsets[m + 1]; ++p) {
    const uint32_t r = visits_.order[p];
    dates.push_back(v.date[r]);
    if (!InProgramMonth(v.date[r])) {
      continue;
    }
    const int i = MonthOf(v.date[r]);
    Add(i, kVisits, 1);
    Add(i, kInPersonVisits, v.modality[r] == Modality::kInPerson ? 1 : 0);
    Add(i, kVideoVisits, v.modality[r] == Modality::kVideo ? 1 : 0);
    Add(i, kPhoneVisits, v.modality[r] == Modality::kPhone ? 1 : 0);
    Add(i, kDisciplineVisits + static_cast<int>(v.discipline[r]), 1);
  }
  std::sort(dates.begin(), dates.end());
  return dates;
}

// Referrals dated in a population month: by source and reason; scheduled (any visit record,
// completed or not, on or after the referral date); visited (a completed visit on or after it),
// days to that first visit, seen within 14 days.
void Accumulator::Referrals(uint32_t m, const std::vector<Date>& visit_dates) {
  const ReferralTable& t = program_->referrals;
  for (uint32_t p = referrals_.offsets[m]; p < referrals_.offsets[m + 1]; ++p) {
    const uint32_t r = referrals_.order[p];
    const Date d = t.referral_date[r];
    const int i = MonthOf(d);
    Add(i, kReferrals, 1);
    AddCategory(i, kReferralSource, t.source_text[r]);
    AddCategory(i, kReferralReason, t.reason_text[r]);
    const auto first = std::lower_bound(visit_dates.begin(), visit_dates.end(), d);
    bool scheduled = first != visit_dates.end();
    for (uint32_t q = bookings_.offsets[m]; q < bookings_.offsets[m + 1] && !scheduled; ++q) {
      scheduled = program_->bookings.date[bookings_.order[q]] >= d;
    }
    Add(i, kReferralsScheduled, scheduled ? 1 : 0);
    MetricEvent& ev = Note("referral", m, d, first == visit_dates.end() ? kNoDate : *first,
                           i >= 0 && tl_.InPopulation(m, i));
    ev.detail = fmt::format("scheduled={}", scheduled ? 1 : 0);
    if (first == visit_dates.end()) {
      continue;
    }
    const int64_t days = *first - d;
    ev.days = days;
    Add(i, kReferralsVisited, 1);
    Add(i, kReferralDaysToVisit, days);
    AddValue(i, kDaysToFirstVisit, days);
    Add(i, kReferralsSeen14, days <= 14 ? 1 : 0);
  }
}

// Days between consecutive distinct visit dates inside one program enrollment span, counted in
// the later visit's month when that is a program month.
void Accumulator::VisitGaps(uint32_t m, const std::vector<Date>& visit_dates) {
  for (size_t v = 1; v < visit_dates.size(); ++v) {
    const Date a = visit_dates[v - 1], b = visit_dates[v];
    if (a == b || !InProgramMonth(b)) {
      continue;
    }
    const int span = EnrollmentSpanOf(m, b);
    if (span < 0 || span != EnrollmentSpanOf(m, a)) {
      continue;
    }
    const int i = MonthOf(b);
    Note("visit_gap", m, a, b, true).days = b - a;
    Add(i, kVisitGaps, 1);
    Add(i, kVisitGapDays, b - a);
    AddValue(i, kDaysBetweenVisits, b - a);
  }
}

// Acute stays discharged alive (disposition not 20) on a day a program enrollment span holds, in
// a population month: reconciled when a med_reconciliation event falls on the discharge day or
// the 3 days after (72 hours, by date).
void Accumulator::MedicationReconciliation(uint32_t m, const MemberEvents& ev) {
  const EventTable& e = program_->events;
  for (const MetricEvent& s : ev.acute) {
    if (s.disposition == "20" || !InProgramMonth(s.end) || EnrollmentSpanOf(m, s.end) < 0) {
      continue;
    }
    bool reconciled = false;
    for (uint32_t p = program_events_.offsets[m]; p < program_events_.offsets[m + 1]; ++p) {
      const uint32_t r = program_events_.order[p];
      reconciled |= e.event[r] == ProgramEvent::kMedReconciliation && e.date[r] >= s.end &&
                    e.date[r] - s.end <= 3;
    }
    Note("program_discharge", m, s.end, s.end, true).detail =
        fmt::format("med_reconciliation_72h={}", reconciled ? 1 : 0);
    Add(MonthOf(s.end), kDischargesToProgram, 1);
    Add(MonthOf(s.end), kDischargesWithMedRec, reconciled ? 1 : 0);
  }
}

// A program member (a population month in the program) counts in their first such month: with
// an advance care planning discussion, an advance directive or POLST, and each assessment on
// record by the period end; and with their symptom and distress scores.
void Accumulator::ProgramMembers(uint32_t m) {
  int first = -1;
  for (int i = 0; i < tl_.months() && first < 0; ++i) {
    first = tl_.ProgramMonth(m, i) && tl_.InPopulation(m, i) ? i : -1;
  }
  if (first < 0) {
    return;
  }
  const EventTable& e = program_->events;
  std::array<bool, kProgramEventNames.size()> seen{};
  for (uint32_t p = program_events_.offsets[m]; p < program_events_.offsets[m + 1]; ++p) {
    const uint32_t r = program_events_.order[p];
    if (e.date[r] <= k_.period.end) {
      seen[static_cast<size_t>(e.event[r])] = true;
    }
  }
  auto has = [&](ProgramEvent x) { return seen[static_cast<size_t>(x)] ? 1 : 0; };
  Add(first, kProgramMembers, 1);
  Add(first, kMembersWithAcp, has(ProgramEvent::kAcpDiscussion));
  Add(first, kMembersWithDirective,
      has(ProgramEvent::kAdvanceDirective) | has(ProgramEvent::kPolst));
  Add(first, kMembersWithInitialAssessment, has(ProgramEvent::kInitialAssessment));
  Add(first, kMembersWithFunctionalAssessment, has(ProgramEvent::kFunctionalAssessment));
  Add(first, kMembersWithSpiritualAssessment, has(ProgramEvent::kSpiritualAssessment));
  Scores(m, first);
}

// Symptom and distress scores with a value, dated by the period end: the first (earliest date;
// on a tie the first row) and the latest (latest date; on a tie the last row), in thousandths.
void Accumulator::Scores(uint32_t m, int first_month) {
  const EventTable& e = program_->events;
  for (int type = 0; type < kScoreTypeCount; ++type) {
    const ProgramEvent kind =
        type == 0 ? ProgramEvent::kSymptomScore : ProgramEvent::kDistressScore;
    int64_t count = 0, first = 0, latest = 0;
    Date first_date = kNoDate, latest_date = kNoDate;
    for (uint32_t p = program_events_.offsets[m]; p < program_events_.offsets[m + 1]; ++p) {
      const uint32_t r = program_events_.order[p];
      if (e.event[r] != kind || std::isnan(e.value[r]) || e.date[r] > k_.period.end) {
        continue;
      }
      const auto milli = static_cast<int64_t>(std::llround(e.value[r] * 1000.0));
      if (first_date == kNoDate || e.date[r] < first_date) {
        first_date = e.date[r];
        first = milli;
      }
      if (latest_date == kNoDate || e.date[r] >= latest_date) {
        latest_date = e.date[r];
        latest = milli;
      }
      ++count;
    }
    if (count == 0) {
      continue;
    }
    const int base = kScores + type * kScoreFieldCount;
    Add(first_month, base + kScored, 1);
    Add(first_month, base + kFirstMilli, first);
    Add(first_month, base + kLatestMilli, latest);
    Add(first_month, base + kRescored, count > 1 ? 1 : 0);
    Add(first_month, base + kChangeMilli, count > 1 ? latest - first : 0);
  }
}

// A program member's death (`death` event) counts in its month: on service when a program
// enrollment span holds the death date; by place; in the preferred place when stated; with
// hospice when a hospice election falls on or before it, with its length of service.
void Accumulator::Deaths(uint32_t m) {
  bool program_member = false;
  for (int i = 0; i < tl_.months() && !program_member; ++i) {
    program_member = tl_.ProgramMonth(m, i) && tl_.InPopulation(m, i);
  }
  if (!program_member) {
    return;
  }
  const EventTable& e = program_->events;
  Date hospice = kNoDate;
  for (uint32_t p = program_events_.offsets[m]; p < program_events_.offsets[m + 1]; ++p) {
    const uint32_t r = program_events_.order[p];
    if (e.event[r] == ProgramEvent::kHospiceElection &&
        (hospice == kNoDate || e.date[r] < hospice)) {
      hospice = e.date[r];
    }
  }
  for (uint32_t p = program_events_.offsets[m]; p < program_events_.offsets[m + 1]; ++p) {
    const uint32_t r = program_events_.order[p];
    if (e.event[r] != ProgramEvent::kDeath) {
      continue;
    }
    const Date d = e.date[r];
    const int i = MonthOf(d);
    const bool stated = e.preferred_location_text[r] != kNoCode;
    const bool with_hospice = hospice != kNoDate && hospice <= d;
    const bool on_service = EnrollmentSpanOf(m, d) >= 0;
    MetricEvent& ev =
        Note("death", m, with_hospice ? hospice : d, d, i >= 0 && tl_.InPopulation(m, i));
    ev.days = with_hospice ? d - hospice + 1 : 0;
    ev.detail = fmt::format(
        "on_service={};hospice={};place={}", on_service ? 1 : 0, with_hospice ? 1 : 0,
        e.location_text[r] == kNoCode ? "unknown" : program_->text.Get(e.location_text[r]));
    Add(i, kDeaths, 1);
    Add(i, kDeathsOnService, on_service ? 1 : 0);
    AddCategory(i, kDeathLocation, e.location_text[r]);
    Add(i, kDeathsWithPreference, stated ? 1 : 0);
    Add(i, kDeathsInPreferredPlace,
        stated && e.location_text[r] == e.preferred_location_text[r] ? 1 : 0);
    Add(i, kDeathsWithHospice, with_hospice ? 1 : 0);
    if (with_hospice) {
      Add(i, kHospiceServiceDays, d - hospice + 1);
      AddValue(i, kHospiceLengthOfService, d - hospice + 1);
    }
  }
}

}  // namespace valuepact::metrics
