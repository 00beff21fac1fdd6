// Claims-based metrics of the population (claims_metrics.h).
#include "valuepact/metrics/claims_metrics.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>

#include <fmt/format.h>

#include "metrics/member_events.h"
#include "valuepact/core/csv.h"
#include "valuepact/dataset/member_months.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/metrics/catalogue.h"

namespace valuepact::metrics {
namespace {

// What is summed per stratum and month; a metric is a ratio of two of these.
enum Component : int {
  kMemberMonths = 0,
  kPaidTotal,
  kAllowedTotal,
  kPaidCategory,                                             // + category
  kAllowedCategory = kPaidCategory + kServiceCategoryCount,  // + category
  kAcuteStays = kAllowedCategory + kServiceCategoryCount,
  kBedDays,
  kEdVisits,
  kIndexStays,
  kReadmittedStays,
  kSnfStays,
  kHomeHealthEpisodes,
  kHospiceDays,
  kIcuStays,
  kIcuDays,
  kObservationStays,
  kProgramEnrollees,
  kEnrolleesWithoutAcuteUse,
  kProgramMonths,
  // Program activity (seed 002's metrics table).
  kReferrals,
  kReferralsVisited,
  kReferralDaysToVisit,
  kReferralsSeen14,
  kVisits,
  kVideoVisits,
  kPhoneVisits,
  kProgramMembers,
  kMembersWithAcp,
  kMembersWithDirective,
  kDeaths,
  kDeathsWithPreference,
  kDeathsInPreferredPlace,
  kDeathsWithHospice,
  kComponentCount
};
using Sums = std::array<int64_t, kComponentCount>;

struct Formula {
  int numerator;
  int denominator;  // -1: none
  bool money;
};

// The engine's reading of each catalogue metric.
std::optional<Formula> FormulaOf(const std::string& id) {
  static const std::map<std::string, Formula> kFixed = {
      {"member_months", {kMemberMonths, -1, false}},
      {"member_years", {kMemberMonths, -1, false}},
      {"pmpm_total", {kPaidTotal, kMemberMonths, true}},
      {"pmpm_total_allowed", {kAllowedTotal, kMemberMonths, true}},
      {"acute_admissions_per_1000", {kAcuteStays, kMemberMonths, false}},
      {"bed_days_per_1000", {kBedDays, kMemberMonths, false}},
      {"average_length_of_stay", {kBedDays, kAcuteStays, false}},
      {"ed_visits_per_1000", {kEdVisits, kMemberMonths, false}},
      {"readmission_rate_30d", {kReadmittedStays, kIndexStays, false}},
      {"snf_admissions_per_1000", {kSnfStays, kMemberMonths, false}},
      {"home_health_episodes_per_1000", {kHomeHealthEpisodes, kMemberMonths, false}},
      {"hospice_days_per_1000", {kHospiceDays, kMemberMonths, false}},
      {"icu_stays_per_1000", {kIcuStays, kMemberMonths, false}},
      {"icu_days_per_1000", {kIcuDays, kMemberMonths, false}},
      {"observation_stays_per_1000", {kObservationStays, kMemberMonths, false}},
      {"program_member_months", {kProgramMonths, -1, false}},
      {"referrals", {kReferrals, -1, false}},
      {"referrals_visited_share", {kReferralsVisited, kReferrals, false}},
      {"days_referral_to_first_visit", {kReferralDaysToVisit, kReferralsVisited, false}},
      {"referrals_seen_within_14_days_share", {kReferralsSeen14, kReferrals, false}},
      {"visits_per_program_member_month", {kVisits, kProgramMonths, false}},
      {"video_visit_share", {kVideoVisits, kVisits, false}},
      {"phone_visit_share", {kPhoneVisits, kVisits, false}},
      {"program_members_with_acp_share", {kMembersWithAcp, kProgramMembers, false}},
      {"program_members_with_directive_share", {kMembersWithDirective, kProgramMembers, false}},
      {"deaths_in_preferred_place_share", {kDeathsInPreferredPlace, kDeathsWithPreference, false}},
      {"deaths_with_hospice_share", {kDeathsWithHospice, kDeaths, false}},
      {"program_enrollees_without_acute_use_30d",
       {kEnrolleesWithoutAcuteUse, kProgramEnrollees, false}},
  };
  if (auto it = kFixed.find(id); it != kFixed.end()) {
    return it->second;
  }
  for (int c = 0; c < kServiceCategoryCount; ++c) {
    const std::string name = ServiceCategoryName(static_cast<ServiceCategory>(c));
    if (id == "pmpm_" + name) {
      return Formula{kPaidCategory + c, kMemberMonths, true};
    }
    if (id == "pmpm_" + name + "_allowed") {
      return Formula{kAllowedCategory + c, kMemberMonths, true};
    }
  }
  return std::nullopt;
}

std::string AgeBand(Date birth, Date on) {
  if (birth == kNoDate) {
    return "unknown";
  }
  // Completed years: one less when the birthday (MM-DD) is still to come on `on`.
  int age = on.year() - birth.year();
  if (on.ToString().substr(5) < birth.ToString().substr(5)) {
    --age;
  }
  static constexpr std::pair<int, const char*> kBands[] = {
      {18, "0-17"}, {45, "18-44"}, {65, "45-64"}, {75, "65-74"}, {85, "75-84"}};
  for (const auto& [below, name] : kBands) {
    if (age < below) {
      return name;
    }
  }
  return "85+";
}

std::string CodeOr(const Dataset& ds, uint32_t code, const char* none) {
  return code == kNoCode ? none : std::string(ds.codes.Get(code));
}

// The member's strata from attributes that do not change by month ("attribute=value").
std::vector<std::string> StaticStrata(const Dataset& ds, const MemberIndex& elig, uint32_t m,
                                      const Period& period, const std::vector<Attribute>& by) {
  std::vector<std::string> out;
  const MemberTable& mi = ds.member_info;
  // The latest-starting enrollment span that overlaps the period.
  int64_t span = -1;
  for (uint32_t p = elig.offsets[m]; p < elig.offsets[m + 1]; ++p) {
    const uint32_t r = elig.order[p];
    if (ds.eligibility.start[r] <= period.end && ds.eligibility.end[r] >= period.start &&
        (span < 0 || ds.eligibility.start[r] >= ds.eligibility.start[static_cast<size_t>(span)])) {
      span = r;
    }
  }
  for (Attribute a : by) {
    std::string v;
    switch (a) {
      case Attribute::kAgeBand:
        v = AgeBand(m < mi.birth_date.size() ? mi.birth_date[m] : kNoDate, period.start);
        break;
      case Attribute::kSex:
        v = std::string(1, m < mi.sex.size() ? mi.sex[m] : 'U');
        break;
      case Attribute::kDualStatus:
        v = CodeOr(ds, m < mi.dual_status.size() ? mi.dual_status[m] : kNoCode, "none");
        break;
      case Attribute::kMedicareStatus:
        v = CodeOr(ds, m < mi.medicare_status.size() ? mi.medicare_status[m] : kNoCode, "none");
        break;
      case Attribute::kPayer:
        v = span < 0 ? "none" : CodeOr(ds, ds.eligibility.payer[span], "none");
        break;
      case Attribute::kPlan:
        v = span < 0 ? "none" : CodeOr(ds, ds.eligibility.plan[span], "none");
        break;
      case Attribute::kRace:
      case Attribute::kEthnicity:
      case Attribute::kState:
      case Attribute::kZip3: {
        const std::vector<uint32_t>& col = a == Attribute::kRace        ? mi.race
                                           : a == Attribute::kEthnicity ? mi.ethnicity
                                           : a == Attribute::kState     ? mi.state
                                                                        : mi.zip3;
        v = CodeOr(ds, m < col.size() ? col[m] : kNoCode, "unknown");
        break;
      }
      case Attribute::kProgramSetting:
        continue;  // by month
    }
    out.push_back(fmt::format("{}={}", AttributeName(a), v));
  }
  return out;
}

std::string DispositionCode(const std::string& d) { return d.size() == 1 ? "0" + d : d; }

// 30-day readmissions: an index stay is discharged alive, not transferred or against advice
// (disposition not 02, 07, 20 where present); readmitted when another stay is admitted 1-30
// days after its discharge.
void MarkReadmissions(std::vector<MetricEvent>* stays) {
  for (auto& s : *stays) {
    const std::string d = DispositionCode(s.disposition);
    s.index_stay = d != "02" && d != "07" && d != "20";
    if (!s.index_stay) {
      continue;
    }
    for (const auto& next : *stays) {
      const int32_t gap = next.start - s.end;
      if (gap >= 1 && gap <= 30) {
        s.readmitted = true;
        break;
      }
    }
  }
}

class Accumulator {
 public:
  Accumulator(const Dataset& ds, const ProgramData* program, const Contract& k, const Timeline& tl,
              const MetricsOptions& o)
      : ds_(ds),
        program_(program),
        k_(k),
        tl_(tl),
        o_(o),
        elig_(IndexByMember(ds.eligibility.member, ds.member_count())),
        med_(IndexByMember(ds.medical.member, ds.member_count())),
        rx_(IndexByMember(ds.pharmacy.member, ds.member_count())) {
    if (program_ != nullptr) {
      enrollments_ = IndexByMember(program_->enrollments.member, ds.member_count());
      referrals_ = IndexByMember(program_->referrals.member, ds.member_count());
      visits_ = IndexByMember(program_->visits.member, ds.member_count());
      program_events_ = IndexByMember(program_->events.member, ds.member_count());
    }
    StratumIndex("all");
  }

  Status Run(std::vector<MetricEvent>* events);

  const std::vector<std::string>& strata() const { return strata_; }
  const Sums& At(size_t stratum, int month) const {
    return sums_[stratum * static_cast<size_t>(tl_.months()) + static_cast<size_t>(month)];
  }
  int64_t Members(size_t stratum) const { return members_[stratum]; }

 private:
  size_t StratumIndex(const std::string& s) {
    auto [it, added] = index_.emplace(s, strata_.size());
    if (added) {
      strata_.push_back(s);
      members_.push_back(0);
      sums_.resize(strata_.size() * static_cast<size_t>(tl_.months()), Sums{});
    }
    return it->second;
  }
  // Adds `v` to component `c` in month `i` of every stratum the member is in that month.
  void Add(int i, int c, int64_t v) {
    if (i < 0 || !tl_.InPopulation(member_, i)) {
      return;
    }
    for (size_t s : month_strata_[static_cast<size_t>(i)]) {
      int64_t& slot = sums_[s * static_cast<size_t>(tl_.months()) + static_cast<size_t>(i)][c];
      overflow_ |= __builtin_add_overflow(slot, v, &slot);
    }
  }
  int MonthOf(Date d) const { return d == kNoDate ? -1 : tl_.IndexOf(YearMonth::Of(d)); }
  void MemberStrata(uint32_t m);
  void AddAmounts(int i, int category, Money paid, Money allowed);
  void Spending(uint32_t m);
  void Utilization(uint32_t m, std::vector<MetricEvent>* events);

  void ProgramEnrollment(uint32_t m, const MemberEvents& ev, std::vector<MetricEvent>* events);
  void Referrals(uint32_t m, const std::vector<Date>& visit_dates);
  std::vector<Date> Visits(uint32_t m);
  void ProgramMembersAndDeaths(uint32_t m);

  const Dataset& ds_;
  const ProgramData* program_;  // may be null
  MemberIndex enrollments_, referrals_, visits_, program_events_;
  const Contract& k_;
  const Timeline& tl_;
  const MetricsOptions& o_;
  MemberIndex elig_, med_, rx_;
  std::map<std::string, size_t> index_;
  std::vector<std::string> strata_;
  std::vector<int64_t> members_;  // distinct members with a population month, per stratum
  std::vector<Sums> sums_;        // [stratum][month]
  uint32_t member_ = 0;
  std::vector<std::vector<size_t>> month_strata_;  // the current member's strata per month
  bool overflow_ = false;
};

void Accumulator::MemberStrata(uint32_t m) {
  std::vector<size_t> fixed = {0};
  for (const auto& s : StaticStrata(ds_, elig_, m, k_.period, o_.by)) {
    fixed.push_back(StratumIndex(s));
  }
  const bool by_setting =
      std::find(o_.by.begin(), o_.by.end(), Attribute::kProgramSetting) != o_.by.end();
  month_strata_.assign(static_cast<size_t>(tl_.months()), {});
  std::vector<size_t> seen;
  for (int i = 0; i < tl_.months(); ++i) {
    if (!tl_.InPopulation(m, i)) {
      continue;
    }
    auto& list = month_strata_[static_cast<size_t>(i)];
    list = fixed;
    if (by_setting) {
      const int8_t st = tl_.ProgramMonth(m, i) ? tl_.setting(m, i) : Timeline::kNoSetting;
      list.push_back(StratumIndex(
          fmt::format("program_setting={}", st < 0 ? std::string_view("none")
                                                   : kCareSettingNames[static_cast<uint8_t>(st)])));
    }
    for (size_t s : list) {
      if (std::find(seen.begin(), seen.end(), s) == seen.end()) {
        seen.push_back(s);
        ++members_[s];
      }
    }
    Add(i, kMemberMonths, 1);
    Add(i, kProgramMonths, tl_.ProgramMonth(m, i) ? 1 : 0);
  }
}

void Accumulator::AddAmounts(int i, int category, Money paid, Money allowed) {
  Add(i, kPaidTotal, paid.cents());
  Add(i, kAllowedTotal, allowed.cents());
  Add(i, kPaidCategory + category, paid.cents());
  Add(i, kAllowedCategory + category, allowed.cents());
}

// Paid and allowed amounts of in-scope lines (the contract's services, its claim-month rule).
void Accumulator::Spending(uint32_t m) {
  if (k_.medical) {
    const auto& t = ds_.medical;
    for (uint32_t p = med_.offsets[m]; p < med_.offsets[m + 1]; ++p) {
      const uint32_t l = med_.order[p];
      AddAmounts(tl_.IndexOf(MedicalLineMonth(t, l, k_.claim_month)),
                 static_cast<int>(t.category[l]), t.paid[l], t.allowed[l]);
    }
  }
  if (k_.pharmacy) {
    const auto& t = ds_.pharmacy;
    for (uint32_t p = rx_.offsets[m]; p < rx_.offsets[m + 1]; ++p) {
      const uint32_t l = rx_.order[p];
      AddAmounts(MonthOf(t.dispensing_date[l]), static_cast<int>(ServiceCategory::kPharmacy),
                 t.paid[l], t.allowed[l]);
    }
  }
}

void Accumulator::Utilization(uint32_t m, std::vector<MetricEvent>* events) {
  std::vector<uint32_t> lines(med_.order.begin() + med_.offsets[m],
                              med_.order.begin() + med_.offsets[m + 1]);
  MemberEvents ev = BuildMemberEvents(ds_, lines, k_.period);
  MarkReadmissions(&ev.acute);
  auto in_population = [&](Date d) {
    const int i = MonthOf(d);
    return i >= 0 && tl_.InPopulation(m, i);
  };
  for (auto& s : ev.acute) {
    s.counted = in_population(s.start);
    Add(MonthOf(s.start), kAcuteStays, 1);
    Add(MonthOf(s.start), kBedDays, s.days);
    Add(MonthOf(s.start), kIcuStays, s.icu ? 1 : 0);
    // The readmission measure counts index stays by their discharge month.
    s.index_stay = s.index_stay && in_population(s.end);
    s.readmitted = s.readmitted && s.index_stay;
    Add(MonthOf(s.end), kIndexStays, s.index_stay ? 1 : 0);
    Add(MonthOf(s.end), kReadmittedStays, s.readmitted ? 1 : 0);
  }
  for (auto* list : {&ev.snf, &ev.home_health}) {
    for (auto& s : *list) {
      s.counted = in_population(s.start);
      Add(MonthOf(s.start), list == &ev.snf ? kSnfStays : kHomeHealthEpisodes, 1);
    }
  }
  for (auto [visits, comp] :
       {std::pair{&ev.ed_visits, kEdVisits}, std::pair{&ev.observation_stays, kObservationStays}}) {
    for (auto& v : *visits) {
      v.counted = in_population(v.start);
      Add(MonthOf(v.start), comp, 1);
    }
  }
  for (Date d : ev.hospice_days) {
    Add(MonthOf(d), kHospiceDays, 1);
  }
  for (Date d : ev.icu_days) {
    Add(MonthOf(d), kIcuDays, 1);
  }
  ProgramEnrollment(m, ev, events);
  if (program_ != nullptr && referrals_.offsets.size() > m + 1) {
    Referrals(m, Visits(m));
    ProgramMembersAndDeaths(m);
  }
  for (auto* list : {&ev.acute, &ev.snf, &ev.home_health, &ev.ed_visits, &ev.observation_stays}) {
    for (auto& s : *list) {
      events->push_back(std::move(s));
    }
  }
}

// The member's first program enrollment starting in the period, when it starts in a population
// month: an enrollee, without acute use when no ED visit and no acute stay falls on the start
// day or the 30 days after.
void Accumulator::ProgramEnrollment(uint32_t m, const MemberEvents& ev,
                                    std::vector<MetricEvent>* events) {
  if (program_ == nullptr || enrollments_.offsets.size() <= m + 1) {
    return;
  }
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
}

// The member's program visits in population months where the member is in the program (counted,
// by modality); returns every visit date of the member, sorted (for time to first visit).
std::vector<Date> Accumulator::Visits(uint32_t m) {
  const VisitTable& v = program_->visits;
  std::vector<Date> dates;
  for (uint32_t p = visits_.offsets[m]; p < visits_.offsets[m + 1]; ++p) {
    const uint32_t r = visits_.order[p];
    dates.push_back(v.date[r]);
    const int i = MonthOf(v.date[r]);
    if (i < 0 || !tl_.ProgramMonth(m, i)) {
      continue;
    }
    Add(i, kVisits, 1);
    Add(i, kVideoVisits, v.modality[r] == Modality::kVideo ? 1 : 0);
    Add(i, kPhoneVisits, v.modality[r] == Modality::kPhone ? 1 : 0);
  }
  std::sort(dates.begin(), dates.end());
  return dates;
}

// Referrals dated in a population month: visited (a program visit on or after the referral
// date), days to that first visit, seen within 14 days.
void Accumulator::Referrals(uint32_t m, const std::vector<Date>& visit_dates) {
  for (uint32_t p = referrals_.offsets[m]; p < referrals_.offsets[m + 1]; ++p) {
    const Date d = program_->referrals.referral_date[referrals_.order[p]];
    const int i = MonthOf(d);
    Add(i, kReferrals, 1);
    const auto first = std::lower_bound(visit_dates.begin(), visit_dates.end(), d);
    if (first == visit_dates.end()) {
      continue;
    }
    const int64_t days = *first - d;
    Add(i, kReferralsVisited, 1);
    Add(i, kReferralDaysToVisit, days);
    Add(i, kReferralsSeen14, days <= 14 ? 1 : 0);
  }
}

// A program member (a population month in the program) counts in their first such month: with
// an advance care planning discussion, with an advance directive or POLST on record by the period
// end. A program member's death counts in its month: with a stated preferred place, dying there,
// and with a hospice election on or before the death.
void Accumulator::ProgramMembersAndDeaths(uint32_t m) {
  int first = -1;
  for (int i = 0; i < tl_.months() && first < 0; ++i) {
    first = tl_.ProgramMonth(m, i) && tl_.InPopulation(m, i) ? i : -1;
  }
  if (first < 0) {
    return;
  }
  const EventTable& e = program_->events;
  bool acp = false, directive = false;
  Date hospice = kNoDate;
  for (uint32_t p = program_events_.offsets[m]; p < program_events_.offsets[m + 1]; ++p) {
    const uint32_t r = program_events_.order[p];
    if (e.date[r] > k_.period.end) {
      continue;
    }
    acp |= e.event[r] == ProgramEvent::kAcpDiscussion;
    directive |=
        e.event[r] == ProgramEvent::kAdvanceDirective || e.event[r] == ProgramEvent::kPolst;
    if (e.event[r] == ProgramEvent::kHospiceElection &&
        (hospice == kNoDate || e.date[r] < hospice)) {
      hospice = e.date[r];
    }
  }
  Add(first, kProgramMembers, 1);
  Add(first, kMembersWithAcp, acp ? 1 : 0);
  Add(first, kMembersWithDirective, directive ? 1 : 0);
  for (uint32_t p = program_events_.offsets[m]; p < program_events_.offsets[m + 1]; ++p) {
    const uint32_t r = program_events_.order[p];
    if (e.event[r] != ProgramEvent::kDeath) {
      continue;
    }
    const int i = MonthOf(e.date[r]);
    const bool stated = e.preferred_location_text[r] != kNoCode;
    Add(i, kDeaths, 1);
    Add(i, kDeathsWithPreference, stated ? 1 : 0);
    Add(i, kDeathsInPreferredPlace,
        stated && e.location_text[r] == e.preferred_location_text[r] ? 1 : 0);
    Add(i, kDeathsWithHospice, hospice != kNoDate && hospice <= e.date[r] ? 1 : 0);
  }
}

Status Accumulator::Run(std::vector<MetricEvent>* events) {
  for (uint32_t m = 0; m < ds_.member_count(); ++m) {
    if (tl_.PopulationMonths(m) == 0) {
      continue;  // nothing of this member is counted
    }
    member_ = m;
    MemberStrata(m);
    Spending(m);
    Utilization(m, events);
  }
  if (overflow_) {
    return InvalidInput("a metric's sum left the range of 64-bit integers (implausible amounts)");
  }
  return Status::Ok();
}

std::string CsvField(std::string_view v) {
  std::string out;
  AppendCsvField(&out, v);
  return out;
}

std::string Amount(int64_t v, bool money) {
  return money ? Money::FromCents(v).ToString() : std::to_string(v);
}

std::string ValueText(const MetricRow& r) {
  if (r.suppressed) {
    return "suppressed";
  }
  if (!r.value) {
    return "n/a";
  }
  return r.money ? Money::FromCents(static_cast<int64_t>(std::llround(*r.value))).ToString()
                 : FormatRate(*r.value);
}

std::string FormulaText(const MetricDefinition& d, const MetricRow& r) {
  const std::string num = Amount(r.numerator, r.money), den = std::to_string(r.denominator);
  switch (d.scale) {
    case Scale::kCount:
      return fmt::format("{} ({})", num, d.numerator);
    case Scale::kMemberYears:
      return fmt::format("{} {} ÷ 12", num, d.numerator);
    case Scale::kPer1000:
      return fmt::format("{} {} × 12,000 ÷ {} {}", num, d.numerator, den, d.denominator);
    case Scale::kPerMember:
    case Scale::kShare:
      break;
  }
  return fmt::format("{} {} ÷ {} {}{}", num, d.numerator, den, d.denominator,
                     r.money ? ", in cents, rounded to the cent" : "");
}

void AddRowNode(const MetricDefinition& d, const Contract& k, MetricRow* r, Trace* tr) {
  r->id = fmt::format("metrics.{}.{}.{}", r->metric, r->stratum, r->period);
  std::vector<std::string> inputs;
  if (r->stratum == "all" && r->period == "total" && d.denominator == "population member-months") {
    inputs.push_back("population.member_months");
  }
  tr->Add(
      {r->id, fmt::format("{} ({}, {})", d.label, r->stratum, r->period),
       r->value ? FormulaText(d, *r)
                : FormulaText(d, *r) + ": the denominator is 0, not applicable",
       ValueText(*r), d.unit, inputs,
       fmt::format("data: {} over the population of {} ({} to {}); `valuepact metrics` lists the "
                   "counted events in restricted/metric_events.csv",
                   d.numerator, k.id, k.period.start.ToString(), k.period.end.ToString()),
       ""});
}

}  // namespace

const char* AttributeName(Attribute a) {
  static constexpr const char* kNames[] = {
      "age_band",        "sex",  "dual_status", "medicare_status", "payer", "plan",
      "program_setting", "race", "ethnicity",   "state",           "zip3"};
  static_assert(std::size(kNames) == kAttributeCount);
  return kNames[static_cast<size_t>(a)];
}

std::optional<Attribute> ParseAttribute(std::string_view name) {
  for (int i = 0; i < kAttributeCount; ++i) {
    if (name == AttributeName(static_cast<Attribute>(i))) {
      return static_cast<Attribute>(i);
    }
  }
  return std::nullopt;
}

}  // namespace valuepact::metrics

namespace valuepact::metrics {

// The value of a row from its sums, or none when its denominator is 0.
std::optional<double> ValueFromSums(const MetricDefinition& d, int64_t num, int64_t den) {
  switch (d.scale) {
    case Scale::kCount:
      return static_cast<double>(num);
    case Scale::kMemberYears:
      return static_cast<double>(num) / 12.0;
    case Scale::kPer1000:
      return den == 0
                 ? std::nullopt
                 : std::optional(static_cast<double>(num) * 12000.0 / static_cast<double>(den));
    case Scale::kPerMember:
    case Scale::kShare:
      return den == 0 ? std::nullopt
                      : std::optional(static_cast<double>(num) / static_cast<double>(den));
  }
  return std::nullopt;
}

Result<MetricsResult> ComputeClaimsMetrics(const Dataset& ds, const ProgramData* program,
                                           const Contract& k, const Timeline& tl,
                                           const MetricsOptions& o, Trace* tr) {
  MetricsResult r;
  Accumulator acc(ds, program, k, tl, o);
  if (Status s = acc.Run(&r.events); !s.ok()) {
    return s;
  }
  // Strata: "all", then the others in name order.
  std::vector<size_t> order(acc.strata().size());
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::sort(order.begin() + 1, order.end(),
            [&](size_t a, size_t b) { return acc.strata()[a] < acc.strata()[b]; });
  r.strata = static_cast<int64_t>(order.size()) - 1;
  for (size_t s = 1; s < order.size(); ++s) {
    r.suppressed_strata += acc.Members(order[s]) < o.min_cell ? 1 : 0;
  }
  for (const MetricDefinition& d : Catalogue()) {
    const auto f = FormulaOf(d.id);
    if (!f) {
      return InvalidInput(fmt::format("metric {} has no formula in the engine", d.id));
    }
    for (size_t s : order) {
      const bool suppressed = s != 0 && acc.Members(s) < o.min_cell;
      Sums total{};
      for (int i = 0; i <= tl.months(); ++i) {
        const bool is_total = i == tl.months();
        const Sums& x = is_total ? total : acc.At(s, i);
        if (!is_total) {
          for (int c = 0; c < kComponentCount; ++c) {
            total[c] += x[c];
          }
        }
        MetricRow row;
        row.metric = d.id;
        row.stratum = acc.strata()[s];
        row.period = is_total ? "total" : tl.MonthAt(i).ToString();
        row.money = f->money;
        row.has_denominator = f->denominator >= 0;
        row.numerator = x[f->numerator];
        row.denominator = f->denominator >= 0 ? x[f->denominator] : 0;
        row.suppressed = suppressed;
        if (!suppressed) {
          row.value = ValueFromSums(d, row.numerator, row.denominator);
          AddRowNode(d, k, &row, tr);
        }
        r.rows.push_back(std::move(row));
      }
    }
  }
  if (r.suppressed_strata > 0) {
    r.notes.push_back(
        fmt::format("{} of {} strata have fewer than {} members and are suppressed (min_cell)",
                    r.suppressed_strata, r.strata, o.min_cell));
  }
  std::stable_sort(
      r.events.begin(), r.events.end(), [](const MetricEvent& a, const MetricEvent& b) {
        return std::tie(a.member, a.start, a.kind) < std::tie(b.member, b.start, b.kind);
      });
  return r;
}

std::string MetricsCsv(const MetricsResult& r) {
  std::string out = "metric,stratum,period,numerator,denominator,value\n";
  for (const MetricRow& x : r.rows) {
    if (x.suppressed) {
      out += fmt::format("{},{},{},,,suppressed\n", x.metric, CsvField(x.stratum), x.period);
      continue;
    }
    out += fmt::format("{},{},{},{},{},{}\n", x.metric, CsvField(x.stratum), x.period,
                       Amount(x.numerator, x.money),
                       x.has_denominator ? std::to_string(x.denominator) : "", ValueText(x));
  }
  return out;
}

std::string EventsCsv(const MetricsResult& r, const Dataset& ds) {
  std::string out =
      "kind,person_id,start,end,days,disposition,counted,index_stay,readmitted,icu,"
      "acute_use_30d,claim_ids\n";
  for (const MetricEvent& e : r.events) {
    std::vector<std::string> claims;
    for (uint32_t l : e.lines) {
      std::string c(ds.claim_ids.Get(ds.medical.claim[l]));
      if (std::find(claims.begin(), claims.end(), c) == claims.end()) {
        claims.push_back(std::move(c));
      }
    }
    std::string joined;
    for (const auto& c : claims) {
      joined += (joined.empty() ? "" : "|") + c;
    }
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", e.kind,
                       CsvField(std::string(ds.members.Get(e.member))), e.start.ToString(),
                       e.end.ToString(), e.days, CsvField(e.disposition), e.counted ? 1 : 0,
                       e.index_stay ? 1 : 0, e.readmitted ? 1 : 0, e.icu ? 1 : 0,
                       e.acute_use_30d ? 1 : 0, CsvField(joined));
  }
  return out;
}

}  // namespace valuepact::metrics
