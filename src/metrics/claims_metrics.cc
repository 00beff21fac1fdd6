// Claims-based metrics of the population (claims_metrics.h).
#include "valuepact/metrics/claims_metrics.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>

#include "metrics/accumulator.h"
#include "metrics/member_events.h"
#include "valuepact/core/csv.h"
#include "valuepact/dataset/member_months.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/metrics/catalogue.h"

namespace valuepact::metrics {
namespace {

struct Formula {
  int numerator;
  int denominator;  // -1: none
  bool money = false;
  int distribution = -1;  // a median, minimum or maximum of these values
  int category = -1;      // one row set per value of this category
};

// The engine's reading of each catalogue metric.
std::optional<Formula> FormulaOf(const std::string& id) {
  auto score = [](int type, int field) { return kScores + type * kScoreFieldCount + field; };
  static const std::map<std::string, Formula> kFixed = {
      {"member_months", {kMemberMonths, -1}},
      {"member_years", {kMemberMonths, -1}},
      {"pmpm_total", {kPaidTotal, kMemberMonths, true}},
      {"pmpm_total_allowed", {kAllowedTotal, kMemberMonths, true}},
      {"acute_admissions_per_1000", {kAcuteStays, kMemberMonths}},
      {"bed_days_per_1000", {kBedDays, kMemberMonths}},
      {"average_length_of_stay", {kBedDays, kAcuteStays}},
      {"ed_visits_per_1000", {kEdVisits, kMemberMonths}},
      {"readmission_rate_30d", {kReadmittedStays, kIndexStays}},
      {"snf_admissions_per_1000", {kSnfStays, kMemberMonths}},
      {"home_health_episodes_per_1000", {kHomeHealthEpisodes, kMemberMonths}},
      {"hospice_days_per_1000", {kHospiceDays, kMemberMonths}},
      {"icu_stays_per_1000", {kIcuStays, kMemberMonths}},
      {"icu_days_per_1000", {kIcuDays, kMemberMonths}},
      {"observation_stays_per_1000", {kObservationStays, kMemberMonths}},
      {"program_member_months", {kProgramMonths, -1}},
      {"referrals", {kReferrals, -1}},
      {"referral_source_share", {-1, kReferrals, false, -1, kReferralSource}},
      {"referral_reason_share", {-1, kReferrals, false, -1, kReferralReason}},
      {"referrals_scheduled_share", {kReferralsScheduled, kReferrals}},
      {"referrals_visited_share", {kReferralsVisited, kReferrals}},
      {"days_referral_to_first_visit", {kReferralDaysToVisit, kReferralsVisited}},
      {"days_referral_to_first_visit_median", {-1, -1, false, kDaysToFirstVisit}},
      {"days_referral_to_first_visit_min", {-1, -1, false, kDaysToFirstVisit}},
      {"days_referral_to_first_visit_max", {-1, -1, false, kDaysToFirstVisit}},
      {"referrals_seen_within_14_days_share", {kReferralsSeen14, kReferrals}},
      {"visits_per_program_member_month", {kVisits, kProgramMonths}},
      {"in_person_visit_share", {kInPersonVisits, kVisits}},
      {"video_visit_share", {kVideoVisits, kVisits}},
      {"phone_visit_share", {kPhoneVisits, kVisits}},
      {"days_between_visits", {kVisitGapDays, kVisitGaps}},
      {"days_between_visits_median", {-1, -1, false, kDaysBetweenVisits}},
      {"days_between_visits_min", {-1, -1, false, kDaysBetweenVisits}},
      {"days_between_visits_max", {-1, -1, false, kDaysBetweenVisits}},
      {"program_members_with_initial_assessment_share",
       {kMembersWithInitialAssessment, kProgramMembers}},
      {"program_members_with_functional_assessment_share",
       {kMembersWithFunctionalAssessment, kProgramMembers}},
      {"program_members_with_spiritual_assessment_share",
       {kMembersWithSpiritualAssessment, kProgramMembers}},
      {"symptom_score_first", {score(0, kFirstMilli), score(0, kScored)}},
      {"symptom_score_latest", {score(0, kLatestMilli), score(0, kScored)}},
      {"symptom_score_change", {score(0, kChangeMilli), score(0, kRescored)}},
      {"distress_score_first", {score(1, kFirstMilli), score(1, kScored)}},
      {"distress_score_latest", {score(1, kLatestMilli), score(1, kScored)}},
      {"distress_score_change", {score(1, kChangeMilli), score(1, kRescored)}},
      {"med_reconciliation_within_72h_share", {kDischargesWithMedRec, kDischargesToProgram}},
      {"program_members_with_acp_share", {kMembersWithAcp, kProgramMembers}},
      {"program_members_with_directive_share", {kMembersWithDirective, kProgramMembers}},
      {"program_member_deaths", {kDeaths, -1}},
      {"deaths_on_service_share", {kDeathsOnService, kDeaths}},
      {"program_enrollees_died_within_year_share", {kEnrolleesDiedWithinYear, kProgramEnrollees}},
      {"death_location_share", {-1, kDeaths, false, -1, kDeathLocation}},
      {"deaths_in_preferred_place_share", {kDeathsInPreferredPlace, kDeathsWithPreference}},
      {"deaths_with_hospice_share", {kDeathsWithHospice, kDeaths}},
      {"hospice_length_of_service", {kHospiceServiceDays, kDeathsWithHospice}},
      {"hospice_length_of_service_median", {-1, -1, false, kHospiceLengthOfService}},
      {"hospice_length_of_service_min", {-1, -1, false, kHospiceLengthOfService}},
      {"hospice_length_of_service_max", {-1, -1, false, kHospiceLengthOfService}},
      {"program_enrollees_without_acute_use_30d", {kEnrolleesWithoutAcuteUse, kProgramEnrollees}},
  };
  if (auto it = kFixed.find(id); it != kFixed.end()) {
    return it->second;
  }
  for (int d = 0; d < kDisciplineCount; ++d) {
    if (id == fmt::format("{}_visit_share", kDisciplineNames[static_cast<size_t>(d)])) {
      return Formula{kDisciplineVisits + d, kVisits};
    }
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
      case Attribute::kAttributedProvider:
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

}  // namespace

Accumulator::Accumulator(const Dataset& ds, const ProgramData* program, const Contract& k,
                         const Timeline& tl, const MetricsOptions& o)
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
    bookings_ = IndexByMember(program_->bookings.member, ds.member_count());
    program_events_ = IndexByMember(program_->events.member, ds.member_count());
  }
  const bool by_provider =
      std::find(o.by.begin(), o.by.end(), Attribute::kAttributedProvider) != o.by.end();
  if (by_provider && o.attribution != nullptr) {
    const auto& a = *o.attribution;
    attributed_.assign(a.periods.size(), std::vector<int32_t>(ds.member_count(), -1));
    for (size_t r = 0; r < a.rows.size(); ++r) {
      const auto& row = a.rows[r];
      if (row.attributed && row.member < ds.member_count()) {
        attributed_[static_cast<size_t>(row.period)][row.member] = static_cast<int32_t>(r);
      }
    }
  }
  StratumIndex("all");
}

std::string Accumulator::ProviderStratum(uint32_t m, int i) const {
  std::string provider = "none";
  if (o_.attribution != nullptr) {
    const Date day = tl_.MonthAt(i).first_day();
    const auto& periods = o_.attribution->periods;
    for (size_t p = 0; p < periods.size() && p < attributed_.size(); ++p) {
      if (periods[p].start <= day && day <= periods[p].end && attributed_[p][m] >= 0) {
        provider = o_.attribution->rows[static_cast<size_t>(attributed_[p][m])].provider;
      }
    }
  }
  return fmt::format("{}={}", AttributeName(Attribute::kAttributedProvider), provider);
}

size_t Accumulator::StratumIndex(const std::string& s) {
  auto [it, added] = index_.emplace(s, strata_.size());
  if (added) {
    strata_.push_back(s);
    members_.push_back(0);
    cells_.resize(strata_.size() * static_cast<size_t>(tl_.months()));
  }
  return it->second;
}

void Accumulator::Add(int i, int c, int64_t v) {
  if (i < 0 || !tl_.InPopulation(member_, i)) {
    return;
  }
  for (size_t s : month_strata_[static_cast<size_t>(i)]) {
    int64_t& slot = cells_[s * static_cast<size_t>(tl_.months()) + static_cast<size_t>(i)].sums[c];
    overflow_ |= __builtin_add_overflow(slot, v, &slot);
  }
}

void Accumulator::AddValue(int i, Distribution d, int64_t v) {
  if (i < 0 || !tl_.InPopulation(member_, i)) {
    return;
  }
  for (size_t s : month_strata_[static_cast<size_t>(i)]) {
    cells_[s * static_cast<size_t>(tl_.months()) + static_cast<size_t>(i)].values[d].push_back(v);
  }
}

// Free text is lower-cased by the program reader; a blank value is "unknown".
void Accumulator::AddCategory(int i, Category c, uint32_t text) {
  if (i < 0 || !tl_.InPopulation(member_, i)) {
    return;
  }
  const std::string value = text == kNoCode ? "unknown" : std::string(program_->text.Get(text));
  for (size_t s : month_strata_[static_cast<size_t>(i)]) {
    ++cells_[s * static_cast<size_t>(tl_.months()) + static_cast<size_t>(i)].categories[c][value];
  }
}

void Accumulator::MemberStrata(uint32_t m) {
  std::vector<size_t> fixed = {0};
  for (const auto& s : StaticStrata(ds_, elig_, m, k_.period, o_.by)) {
    fixed.push_back(StratumIndex(s));
  }
  const bool by_setting =
      std::find(o_.by.begin(), o_.by.end(), Attribute::kProgramSetting) != o_.by.end();
  const bool by_provider =
      std::find(o_.by.begin(), o_.by.end(), Attribute::kAttributedProvider) != o_.by.end();
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
    if (by_provider) {
      list.push_back(StratumIndex(ProviderStratum(m, i)));
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
  Program(m, ev, events);
  for (auto* list : {&ev.acute, &ev.snf, &ev.home_health, &ev.ed_visits, &ev.observation_stays}) {
    for (auto& s : *list) {
      events->push_back(std::move(s));
    }
  }
}

Status Accumulator::Run(std::vector<MetricEvent>* events) {
  events_ = events;
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

namespace {

std::string CsvField(std::string_view v) {
  std::string out;
  AppendCsvField(&out, v);
  return out;
}

// A numerator as written: cents as dollars, thousandths as a decimal, counts as they are.
std::string Amount(const MetricRow& r) {
  if (!r.has_numerator) {
    return "";
  }
  if (r.money) {
    return Money::FromCents(r.numerator).ToString();
  }
  if (r.thousandths) {
    const uint64_t a = r.numerator < 0 ? 0 - static_cast<uint64_t>(r.numerator)
                                       : static_cast<uint64_t>(r.numerator);
    return fmt::format("{}{}.{:03d}", r.numerator < 0 ? "-" : "", a / 1000, a % 1000);
  }
  return std::to_string(r.numerator);
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
  const std::string num = Amount(r), den = std::to_string(r.denominator);
  switch (d.scale) {
    case Scale::kMedian:
    case Scale::kMinimum:
    case Scale::kMaximum:
      return fmt::format("{} of {} values ({}); restricted/metric_events.csv lists them",
                         d.scale == Scale::kMedian    ? "median"
                         : d.scale == Scale::kMinimum ? "minimum"
                                                      : "maximum",
                         den, d.denominator);
    case Scale::kMeanOfThousandths:
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

// The values of a categorical metric seen in any stratum and month, sorted.
std::vector<std::string> CategoryValues(const Accumulator& acc, int months, int category) {
  std::set<std::string> seen;
  for (size_t s = 0; s < acc.strata().size(); ++s) {
    for (int i = 0; i < months; ++i) {
      for (const auto& [v, n] : acc.At(s, i).categories[static_cast<size_t>(category)]) {
        seen.insert(v);
      }
    }
  }
  return {seen.begin(), seen.end()};
}

// A distribution metric's statistic; none without values.
std::optional<double> Statistic(Scale scale, std::vector<int64_t> v) {
  if (v.empty()) {
    return std::nullopt;
  }
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  switch (scale) {
    case Scale::kMinimum:
      return static_cast<double>(v.front());
    case Scale::kMaximum:
      return static_cast<double>(v.back());
    default:
      return n % 2 == 1 ? static_cast<double>(v[n / 2])
                        : static_cast<double>(v[n / 2 - 1] + v[n / 2]) / 2.0;
  }
}

struct RowsOf {
  const MetricDefinition& d;
  const Formula& f;
  const std::string& category_value;  // "" unless the metric has categories
  const Accumulator& acc;
  size_t stratum;
  bool suppressed;
  const Timeline& tl;
  const Contract& k;
};

// One metric's rows for one stratum (and category value): each month, then the total.
void StratumRows(const RowsOf& x, Trace* tr, std::vector<MetricRow>* rows) {
  Sums total{};
  std::vector<int64_t> all_values;
  int64_t total_count = 0;
  for (int i = 0; i <= x.tl.months(); ++i) {
    const bool is_total = i == x.tl.months();
    static const Cell kEmpty;
    const Cell& cell = is_total ? kEmpty : x.acc.At(x.stratum, i);
    int64_t count = 0;
    if (x.f.category >= 0) {
      const auto& m = cell.categories[static_cast<size_t>(x.f.category)];
      const auto it = m.find(x.category_value);
      count = it == m.end() ? 0 : it->second;
      total_count += count;
    }
    if (!is_total) {
      for (int c = 0; c < kComponentCount; ++c) {
        total[c] += cell.sums[c];
      }
      if (x.f.distribution >= 0) {
        const auto& v = cell.values[static_cast<size_t>(x.f.distribution)];
        all_values.insert(all_values.end(), v.begin(), v.end());
      }
    }
    const Sums& sums = is_total ? total : cell.sums;
    MetricRow row;
    row.metric = x.category_value.empty() ? x.d.id : x.d.id + ":" + x.category_value;
    row.stratum = x.acc.strata()[x.stratum];
    row.period = is_total ? "total" : x.tl.MonthAt(i).ToString();
    row.money = x.f.money;
    row.thousandths = x.d.scale == Scale::kMeanOfThousandths;
    row.suppressed = x.suppressed;
    std::optional<double> statistic;
    if (x.f.distribution >= 0) {
      const auto& v = is_total ? all_values : cell.values[static_cast<size_t>(x.f.distribution)];
      row.has_numerator = false;
      row.denominator = static_cast<int64_t>(v.size());
      statistic = Statistic(x.d.scale, v);
    } else {
      row.numerator = x.f.category >= 0 ? (is_total ? total_count : count) : sums[x.f.numerator];
      row.has_denominator = x.f.denominator >= 0;
      row.denominator = x.f.denominator >= 0 ? sums[x.f.denominator] : 0;
    }
    if (!row.suppressed) {
      row.value =
          x.f.distribution >= 0 ? statistic : ValueFromSums(x.d, row.numerator, row.denominator);
      AddRowNode(x.d, x.k, &row, tr);
    }
    rows->push_back(std::move(row));
  }
}
}  // namespace

const char* AttributeName(Attribute a) {
  static constexpr const char* kNames[] = {
      "age_band",        "sex",  "dual_status", "medicare_status", "payer", "plan",
      "program_setting", "race", "ethnicity",   "state",           "zip3",  "attributed_provider"};
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
    case Scale::kMeanOfThousandths:
      return den == 0 ? std::nullopt
                      : std::optional(static_cast<double>(num) / static_cast<double>(den) / 1000.0);
    case Scale::kMedian:
    case Scale::kMinimum:
    case Scale::kMaximum:
      break;  // taken from the values, not from sums
  }
  return std::nullopt;
}

Result<MetricsResult> ComputeClaimsMetrics(const Dataset& ds, const ProgramData* program,
                                           const Contract& k, const Timeline& tl,
                                           const MetricsOptions& o, Trace* tr) {
  if (Status s = RequireLineDetails(ds, "claims metrics"); !s.ok()) return s;
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
    if (d.id == kFeedDaysLate) {
      FeedTimelinessRows(d, ds, k, tl, tr, &r.rows, &r.notes);
      continue;
    }
    const auto f = FormulaOf(d.id);
    if (!f) {
      return InvalidInput(fmt::format("metric {} has no formula in the engine", d.id));
    }
    const std::vector<std::string> values = f->category >= 0
                                                ? CategoryValues(acc, tl.months(), f->category)
                                                : std::vector<std::string>{""};
    for (const std::string& value : values) {
      for (size_t s : order) {
        const bool suppressed = s != 0 && acc.Members(s) < o.min_cell;
        StratumRows(RowsOf{d, *f, value, acc, s, suppressed, tl, k}, tr, &r.rows);
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
      out +=
          fmt::format("{},{},{},,,suppressed\n", CsvField(x.metric), CsvField(x.stratum), x.period);
      continue;
    }
    out += fmt::format("{},{},{},{},{},{}\n", CsvField(x.metric), CsvField(x.stratum), x.period,
                       Amount(x), x.has_denominator ? std::to_string(x.denominator) : "",
                       ValueText(x));
  }
  return out;
}

std::string EventsCsv(const MetricsResult& r, const Dataset& ds) {
  std::string out =
      "kind,person_id,start,end,days,disposition,counted,index_stay,readmitted,icu,"
      "acute_use_30d,claim_ids,detail\n";
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
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", e.kind,
                       CsvField(std::string(ds.members.Get(e.member))), e.start.ToString(),
                       e.end == kNoDate ? "" : e.end.ToString(), e.days, CsvField(e.disposition),
                       e.counted ? 1 : 0, e.index_stay ? 1 : 0, e.readmitted ? 1 : 0, e.icu ? 1 : 0,
                       e.acute_use_30d ? 1 : 0, CsvField(joined), CsvField(e.detail));
  }
  return out;
}

}  // namespace valuepact::metrics
