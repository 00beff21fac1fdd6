// The metric catalogue (catalogue.h).
#include "valuepact/metrics/catalogue.h"

#include <fmt/format.h>

#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"

namespace valuepact::metrics {
namespace {

using D = Direction;
using H = Horizon;
using S = Scale;

constexpr const char* kClaims = "eligibility, medical claims";
constexpr const char* kStayRule =
    "acute_inpatient lines of a person whose [admission (else claim start), discharge (else "
    "claim end)] intervals overlap or touch form one stay";

constexpr const char* kProgram = "program data (referrals, visits, events)";
constexpr const char* kSeed = "seed 002, sample metrics table; docs/metrics.md";

// Median, minimum and maximum of the values a mean metric averages.
void AddDistribution(std::vector<MetricDefinition>* c, const std::string& id,
                     const std::string& label, const std::string& values, const char* source) {
  const std::pair<const char*, Scale> stats[] = {
      {"median", S::kMedian}, {"min", S::kMinimum}, {"max", S::kMaximum}};
  for (const auto& [name, scale] : stats) {
    const std::string word = scale == S::kMedian    ? "median"
                             : scale == S::kMinimum ? "minimum"
                                                    : "maximum";
    c->push_back({fmt::format("{}_{}", id, name), fmt::format("{} ({})", label, word),
                  fmt::format("the {} of the {}", word, values), "none (a statistic of the values)",
                  values, "days", D::kNeither, H::kShortTerm, scale, kProgram, source});
  }
}

std::vector<MetricDefinition> ReferralMetrics() {
  std::vector<MetricDefinition> c = {
      {"referrals", "Referrals", "referrals dated in a population month of the referred member",
       "referrals", "", "referrals", D::kNeither, H::kShortTerm, S::kCount, kProgram, kSeed},
      {"referral_source_share", "Referrals by source",
       "referrals with the source ÷ referrals (a blank source is `unknown`)",
       "referrals with the source", "referrals", "rate", D::kNeither, H::kShortTerm, S::kShare,
       kProgram, kSeed, "referral source"},
      {"referral_reason_share", "Referrals by reason",
       "referrals with the reason ÷ referrals (a blank reason is `unknown`)",
       "referrals with the reason", "referrals", "rate", D::kNeither, H::kShortTerm, S::kShare,
       kProgram, kSeed, "referral reason"},
      {"referrals_scheduled_share", "Referrals with a scheduled visit",
       "referrals with a visit record of any status (completed, scheduled, cancelled, no-show) "
       "on or after the referral date ÷ referrals",
       "referrals with a scheduled visit", "referrals", "rate", D::kHigherIsBetter, H::kShortTerm,
       S::kShare, kProgram, kSeed},
      {"referrals_visited_share", "Referrals followed by a visit",
       "referrals with a completed program visit on or after the referral date ÷ referrals",
       "referrals with a visit", "referrals", "rate", D::kHigherIsBetter, H::kShortTerm, S::kShare,
       kProgram, kSeed},
      {"days_referral_to_first_visit", "Days from referral to first visit (mean)",
       "days from each visited referral to the first completed visit on or after it, averaged",
       "days to the first visit", "referrals with a visit", "days", D::kLowerIsBetter,
       H::kShortTerm, S::kPerMember, kProgram, kSeed},
  };
  AddDistribution(&c, "days_referral_to_first_visit", "Days from referral to first visit",
                  "days to the first visit of visited referrals", kSeed);
  c.push_back({"referrals_seen_within_14_days_share", "Referrals seen within 14 days",
               "referrals with a completed visit within 14 days ÷ referrals",
               "referrals seen in 14 days", "referrals", "rate", D::kHigherIsBetter, H::kShortTerm,
               S::kShare, kProgram, kSeed});
  return c;
}

std::vector<MetricDefinition> VisitMetrics() {
  std::vector<MetricDefinition> c = {
      {"visits_per_program_member_month", "Visits per program member-month",
       "completed program visits in program member-months ÷ program member-months", "visits",
       "program member-months", "visits", D::kNeither, H::kShortTerm, S::kPerMember, kProgram,
       kSeed},
  };
  for (const char* modality : {"in_person", "video", "phone"}) {
    c.push_back({fmt::format("{}_visit_share", modality),
                 fmt::format("Share of visits: {}", modality),
                 fmt::format("{} visits ÷ visits", modality), fmt::format("{} visits", modality),
                 "visits", "rate", D::kNeither, H::kShortTerm, S::kShare, kProgram, kSeed});
  }
  for (std::string_view discipline : kDisciplineNames) {
    c.push_back({fmt::format("{}_visit_share", discipline),
                 fmt::format("Share of visits by discipline: {}", discipline),
                 fmt::format("visits by discipline {} ÷ visits", discipline),
                 fmt::format("{} visits", discipline), "visits", "rate", D::kNeither, H::kShortTerm,
                 S::kShare, kProgram, kSeed});
  }
  c.push_back({"days_between_visits", "Days between visits (mean)",
               "days between consecutive distinct visit dates of a member within one program "
               "enrollment span, counted in the later visit's month",
               "days between visits", "intervals between visits", "days", D::kNeither,
               H::kShortTerm, S::kPerMember, kProgram, kSeed});
  AddDistribution(&c, "days_between_visits", "Days between visits",
                  "intervals between visits (days)", kSeed);
  return c;
}

std::vector<MetricDefinition> CareMetrics() {
  std::vector<MetricDefinition> c;
  for (const char* a : {"initial", "functional", "spiritual"}) {
    c.push_back({fmt::format("program_members_with_{}_assessment_share", a),
                 fmt::format("Program members with a {} assessment", a),
                 fmt::format("program members with a {}_assessment event by the period end ÷ "
                             "program members (counted in their first program month)",
                             a),
                 fmt::format("members with a {} assessment", a), "program members", "rate",
                 D::kHigherIsBetter, H::kShortTerm, S::kShare, kProgram, kSeed});
  }
  for (const char* score : {"symptom", "distress"}) {
    c.push_back(
        {fmt::format("{}_score_first", score),
         fmt::format("{} score at the first measurement (mean)", score),
         fmt::format("mean of program members' first {}_score value by the period end", score),
         "sum of first scores", "program members with a score", "score", D::kNeither, H::kShortTerm,
         S::kMeanOfThousandths, kProgram, kSeed});
    c.push_back(
        {fmt::format("{}_score_latest", score),
         fmt::format("{} score at the latest measurement (mean)", score),
         fmt::format("mean of program members' latest {}_score value by the period end", score),
         "sum of latest scores", "program members with a score", "score", D::kLowerIsBetter,
         H::kLongTerm, S::kMeanOfThousandths, kProgram, kSeed});
    c.push_back({fmt::format("{}_score_change", score),
                 fmt::format("{} score change, first to latest (mean)", score),
                 "mean of (latest − first) over program members with two or more scores",
                 "sum of changes", "program members with two or more scores", "score",
                 D::kLowerIsBetter, H::kLongTerm, S::kMeanOfThousandths, kProgram, kSeed});
  }
  c.push_back({"med_reconciliation_within_72h_share",
               "Medication reconciliation within 72 hours of discharge",
               "acute stays discharged alive in a program month with a med_reconciliation event "
               "on the discharge day or the 3 days after ÷ those stays",
               "discharges reconciled in 72 hours", "acute discharges in program months", "rate",
               D::kHigherIsBetter, H::kShortTerm, S::kShare,
               "eligibility, medical claims, program data", kSeed});
  c.push_back({"program_members_with_acp_share", "Program members with advance care planning",
               "program members with an advance care planning discussion by the period end ÷ "
               "program members (counted in their first program month)",
               "members with a discussion", "program members", "rate", D::kHigherIsBetter,
               H::kLongTerm, S::kShare, kProgram, kSeed});
  c.push_back({"program_members_with_directive_share",
               "Program members with an advance directive or POLST",
               "program members with an advance directive or POLST on record by the period end "
               "÷ program members",
               "members with a directive", "program members", "rate", D::kHigherIsBetter,
               H::kLongTerm, S::kShare, kProgram, kSeed});
  return c;
}

std::vector<MetricDefinition> EndOfLifeMetrics() {
  std::vector<MetricDefinition> c = {
      {"program_member_deaths", "Program members' deaths",
       "death events of program members, in the month of death", "deaths", "", "deaths",
       D::kNeither, H::kLongTerm, S::kCount, kProgram, kSeed},
      {"deaths_on_service_share", "Remaining on service through death",
       "deaths on a date a program enrollment span holds ÷ deaths", "deaths on service", "deaths",
       "rate", D::kHigherIsBetter, H::kLongTerm, S::kShare, kProgram, kSeed},
      {"program_enrollees_died_within_year_share", "Enrollees dying within a year",
       "enrollees (as in program_enrollees_without_acute_use_30d) with a death (program death "
       "event, else eligibility death date) 0-365 days after the enrollment start ÷ enrollees",
       "enrollees dying within 365 days", "program enrollees", "rate", D::kNeither, H::kLongTerm,
       S::kShare, "eligibility, program data", kSeed},
      {"death_location_share", "Place of death",
       "deaths at the place ÷ deaths (the death event's location; blank is `unknown`)",
       "deaths at the place", "deaths", "rate", D::kNeither, H::kLongTerm, S::kShare, kProgram,
       kSeed, "place of death"},
      {"deaths_in_preferred_place_share", "Deaths in the preferred place",
       "program members' deaths where the place equals the stated preferred place ÷ deaths with "
       "a stated preference",
       "deaths in the preferred place", "deaths with a stated preference", "rate",
       D::kHigherIsBetter, H::kLongTerm, S::kShare, kProgram, kSeed},
      {"deaths_with_hospice_share", "Deaths enrolled in hospice",
       "program members' deaths with a hospice election on or before the death ÷ deaths",
       "deaths with hospice", "deaths", "rate", D::kHigherIsBetter, H::kLongTerm, S::kShare,
       kProgram, kSeed},
      {"hospice_length_of_service", "Hospice length of service (mean)",
       "days from the first hospice election to death, counting both days, over deaths with "
       "hospice",
       "hospice days of service", "deaths with hospice", "days", D::kNeither, H::kLongTerm,
       S::kPerMember, kProgram, kSeed},
  };
  AddDistribution(&c, "hospice_length_of_service", "Hospice length of service",
                  "hospice lengths of service of deaths with hospice (days)", kSeed);
  return c;
}

std::vector<MetricDefinition> ProgramMetrics() {
  std::vector<MetricDefinition> c;
  for (auto part : {ReferralMetrics(), VisitMetrics(), CareMetrics(), EndOfLifeMetrics()}) {
    c.insert(c.end(), part.begin(), part.end());
  }
  return c;
}

std::vector<MetricDefinition> Build() {
  std::vector<MetricDefinition> c = {
      {"member_months", "Population member-months",
       "member-months in the contract's population (the Timeline settle uses)",
       "population member-months", "", "member-months", D::kNeither, H::kShortTerm, S::kCount,
       "eligibility", "docs/contract-reference.md §11 (the Timeline)"},
      {"member_years", "Population member-years", "population member-months ÷ 12",
       "population member-months", "", "member-years", D::kNeither, H::kShortTerm, S::kMemberYears,
       "eligibility", "Tuva financial_pmpm (member months)"},
      {"pmpm_total", "Total paid PMPM",
       "paid amount of in-scope lines (the contract's services, dated by its claim-month rule) "
       "in population months ÷ population member-months",
       "paid amount", "population member-months", "USD PMPM", D::kLowerIsBetter, H::kLongTerm,
       S::kPerMember, "eligibility, medical and pharmacy claims",
       "settle's expenditure (docs/contract-reference.md §11)"},
      {"pmpm_total_allowed", "Total allowed PMPM", "the same with allowed amounts",
       "allowed amount", "population member-months", "USD PMPM", D::kLowerIsBetter, H::kLongTerm,
       S::kPerMember, "eligibility, medical and pharmacy claims",
       "settle's expenditure (docs/contract-reference.md §11)"},
  };
  for (int i = 0; i < kServiceCategoryCount; ++i) {
    const auto cat = static_cast<ServiceCategory>(i);
    const std::string name = ServiceCategoryName(cat);
    for (const bool allowed : {false, true}) {
      c.push_back(
          {fmt::format("pmpm_{}{}", name, allowed ? "_allowed" : ""),
           fmt::format("{} {} PMPM", ServiceCategoryLabel(cat), allowed ? "allowed" : "paid"),
           fmt::format("{} amount of in-scope {} lines ÷ population member-months",
                       allowed ? "allowed" : "paid", name),
           allowed ? "allowed amount" : "paid amount", "population member-months", "USD PMPM",
           D::kNeither, H::kLongTerm, S::kPerMember,
           i == static_cast<int>(ServiceCategory::kPharmacy) ? "eligibility, pharmacy claims"
                                                             : kClaims,
           "docs/service-categories.md"});
    }
  }
  const std::vector<MetricDefinition> utilization = {
      {"acute_admissions_per_1000", "Acute inpatient admissions per 1,000",
       std::string(kStayRule) + "; a stay counts in the month of its admission",
       "acute stays admitted in a population month", "population member-months",
       "per 1,000 member-years", D::kLowerIsBetter, H::kShortTerm, S::kPer1000, kClaims,
       "issue rule (docs/metrics.md, Stays); Tuva acute_inpatient encounters"},
      {"bed_days_per_1000", "Acute bed days per 1,000",
       "bed days (discharge − admit, at least 1) of acute stays admitted in a population month",
       "bed days", "population member-months", "per 1,000 member-years", D::kLowerIsBetter,
       H::kShortTerm, S::kPer1000, kClaims, "docs/metrics.md, Stays"},
      {"average_length_of_stay", "Average length of stay", "bed days ÷ acute stays",
       "bed days of acute stays admitted in a population month", "acute stays", "days",
       D::kLowerIsBetter, H::kShortTerm, S::kPerMember, kClaims, "docs/metrics.md, Stays"},
      {"ed_visits_per_1000", "Emergency department visits per 1,000",
       "distinct person and date of service (line start, else claim start) among "
       "emergency_department lines, in a population month",
       "ED visits", "population member-months", "per 1,000 member-years", D::kLowerIsBetter,
       H::kShortTerm, S::kPer1000, kClaims, "docs/metrics.md, ED visits"},
      {"readmission_rate_30d", "30-day all-cause readmission rate",
       "index stays (discharged in a population month, alive, not transferred or against "
       "advice: disposition not 02, 07, 20) followed by a stay admitted 1–30 days after "
       "discharge ÷ index stays",
       "index stays with a readmission", "index stays", "rate", D::kLowerIsBetter, H::kShortTerm,
       S::kShare, kClaims, "docs/metrics.md, Readmissions; Tuva readmissions (all-cause)"},
      {"snf_admissions_per_1000", "Skilled nursing facility admissions per 1,000",
       "skilled_nursing lines grouped into stays by the acute rule; counted in the month of "
       "admission",
       "SNF stays admitted in a population month", "population member-months",
       "per 1,000 member-years", D::kLowerIsBetter, H::kShortTerm, S::kPer1000, kClaims,
       "docs/metrics.md, Stays"},
      {"home_health_episodes_per_1000", "Home health episodes per 1,000",
       "home_health lines grouped by the stay rule (overlapping or touching service intervals); "
       "counted in the month the episode starts",
       "home health episodes starting in a population month", "population member-months",
       "per 1,000 member-years", D::kNeither, H::kShortTerm, S::kPer1000, kClaims,
       "docs/metrics.md, Stays"},
      {"hospice_days_per_1000", "Hospice days per 1,000",
       "distinct days covered by hospice lines' service intervals, on days of population months",
       "hospice days", "population member-months", "per 1,000 member-years", D::kNeither,
       H::kLongTerm, S::kPer1000, kClaims, "docs/metrics.md, Hospice days"},
      {"icu_stays_per_1000", "Acute stays with intensive care per 1,000",
       "acute stays with a line of revenue code 020x or 021x (intensive or coronary care)",
       "acute stays with ICU revenue, admitted in a population month", "population member-months",
       "per 1,000 member-years", D::kLowerIsBetter, H::kShortTerm, S::kPer1000, kClaims,
       "docs/metrics.md, Stays; NUBC revenue codes 020x, 021x"},
      {"icu_days_per_1000", "Intensive care days per 1,000",
       "distinct days covered by lines of revenue code 020x or 021x (line dates, else claim "
       "dates), on days of population months",
       "ICU days", "population member-months", "per 1,000 member-years", D::kLowerIsBetter,
       H::kShortTerm, S::kPer1000, kClaims, "docs/metrics.md, Stays"},
      {"observation_stays_per_1000", "Observation stays per 1,000",
       "distinct person and date of service among lines of revenue code 0762, in a population "
       "month",
       "observation stays", "population member-months", "per 1,000 member-years", D::kNeither,
       H::kShortTerm, S::kPer1000, kClaims, "docs/metrics.md; NUBC revenue code 0762"},
  };
  c.insert(c.end(), utilization.begin(), utilization.end());
  c.push_back({"program_member_months", "Program member-months",
               "population member-months in which the member is enrolled in the provider's "
               "program (the Timeline's program months)",
               "program member-months", "", "member-months", D::kHigherIsBetter, H::kShortTerm,
               S::kCount, "eligibility, program enrollments",
               "docs/contract-reference.md §11 (the Timeline)"});
  const auto program = ProgramMetrics();
  c.insert(c.end(), program.begin(), program.end());
  c.push_back({"program_enrollees_without_acute_use_30d",
               "Program enrollees without an ED visit or acute admission within 30 days",
               "program members whose first enrollment in the period starts in a population "
               "month, with no ED visit and no acute stay admitted on the enrollment day or the "
               "30 days after ÷ those members; counted in the month of enrollment",
               "enrollees without an ED visit or acute admission in days 0-30",
               "program enrollees (first enrollment start in a population month)", "rate",
               D::kHigherIsBetter, H::kShortTerm, S::kShare,
               "eligibility, medical claims, program enrollments",
               "seed 002 payment mechanisms table (quality incentive); docs/metrics.md"});
  c.push_back({std::string(kFeedDaysLate), "Data feed days late",
               "per month: days between the due day (data_requirements.delivery_day_of_month) "
               "and the file date of the first delivery dated on or after the month's first "
               "day, 0 when on time; the period's value is the mean over the months measured. "
               "For the whole population only (not stratified)",
               "days late", "months measured", "days", D::kLowerIsBetter, H::kShortTerm,
               S::kPerMember,
               "CCLF deliveries dated by their file names; the contract's data_requirements."
               "delivery_day_of_month",
               "seed 002 lesson 7 (monitoring data feeds); docs/contract-reference.md §12"});
  return c;
}

std::string Cell(const std::string& s) {
  std::string o;
  for (char ch : s) {
    if (ch == '|') {
      o += "\\|";
    } else {
      o += ch;
    }
  }
  return o.empty() ? "—" : o;
}

}  // namespace

const std::vector<MetricDefinition>& Catalogue() {
  static const std::vector<MetricDefinition> kCatalogue = Build();
  return kCatalogue;
}

const MetricDefinition* FindMetric(std::string_view id) {
  const size_t colon = id.find(':');
  const std::string_view base = id.substr(0, colon);
  for (const auto& m : Catalogue()) {
    if (m.id == base && (colon == std::string_view::npos) == m.per.empty()) {
      return colon == std::string_view::npos || colon + 1 < id.size() ? &m : nullptr;
    }
  }
  return nullptr;
}

const char* DirectionName(Direction d) {
  switch (d) {
    case Direction::kHigherIsBetter:
      return "higher is better";
    case Direction::kLowerIsBetter:
      return "lower is better";
    case Direction::kNeither:
      break;
  }
  return "neither";
}

const char* HorizonName(Horizon h) { return h == Horizon::kShortTerm ? "short term" : "long term"; }

std::string CatalogueMarkdown() {
  std::string md =
      "| id | definition | numerator | denominator | unit | direction | horizon | inputs | "
      "source |\n|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& m : Catalogue()) {
    md += fmt::format("| `{}{}` | {} | {} | {} | {} | {} | {} | {} | {} |\n", m.id,
                      m.per.empty() ? "" : fmt::format(":<{}>", m.per), Cell(m.definition),
                      Cell(m.numerator), Cell(m.denominator), Cell(m.unit),
                      DirectionName(m.direction), HorizonName(m.horizon), Cell(m.inputs),
                      Cell(m.source));
  }
  return md;
}

Result<std::string> RegenerateCatalogue(const std::string& doc) {
  const std::string open = "<!-- catalogue -->\n", close = "<!-- /catalogue -->";
  const size_t a = doc.find(open);
  const size_t b = a == std::string::npos ? a : doc.find(close, a);
  if (b == std::string::npos) {
    return InvalidInput("no <!-- catalogue --> … <!-- /catalogue --> markers");
  }
  return doc.substr(0, a + open.size()) + CatalogueMarkdown() + doc.substr(b);
}

}  // namespace valuepact::metrics
