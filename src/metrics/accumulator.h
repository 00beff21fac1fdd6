#pragma once
// The metrics engine's accumulator (internal to src/metrics): per stratum and month, the integer
// sums every ratio metric is built from, the values distribution metrics (median, minimum,
// maximum) are taken from, and the counts of categorical metrics (referral source, place of
// death). Claims-based accumulation is in claims_metrics.cc, program activity in
// program_metrics.cc; docs/metrics.md states every rule.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "metrics/member_events.h"
#include "valuepact/contract/contract.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/dataset/service_category.h"
#include "valuepact/dataset/timeline.h"
#include "valuepact/metrics/claims_metrics.h"

namespace valuepact::metrics {

// The fields kept per member and score type (symptom, distress).
enum ScoreField : int {
  kScored = 0,   // members with a score
  kFirstMilli,   // sum of first scores, in thousandths
  kLatestMilli,  // sum of latest scores, in thousandths
  kRescored,     // members with two or more scores
  kChangeMilli,  // sum of (latest − first) of those, in thousandths
  kScoreFieldCount
};
inline constexpr int kScoreTypeCount = 2;  // symptom_score, distress_score
inline constexpr int kDisciplineCount = static_cast<int>(kDisciplineNames.size());

// What is summed per stratum and month; a ratio metric is a ratio of two of these.
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
  kEnrolleesDiedWithinYear,
  kProgramMonths,
  // Program activity (seed 002's metrics table).
  kReferrals,
  kReferralsScheduled,
  kReferralsVisited,
  kReferralDaysToVisit,
  kReferralsSeen14,
  kVisits,
  kInPersonVisits,
  kVideoVisits,
  kPhoneVisits,
  kDisciplineVisits,                                  // + discipline
  kVisitGaps = kDisciplineVisits + kDisciplineCount,  // consecutive visit dates
  kVisitGapDays,                                      // days between them
  kDischargesToProgram,                               // acute discharges in program months
  kDischargesWithMedRec,                              // ... reconciled within 72 hours
  kProgramMembers,
  kMembersWithAcp,
  kMembersWithDirective,
  kMembersWithInitialAssessment,
  kMembersWithFunctionalAssessment,
  kMembersWithSpiritualAssessment,
  kScores,  // + type × kScoreFieldCount + field
  kDeaths = kScores + kScoreTypeCount * kScoreFieldCount,
  kDeathsOnService,
  kDeathsWithPreference,
  kDeathsInPreferredPlace,
  kDeathsWithHospice,
  kHospiceServiceDays,
  kComponentCount
};
using Sums = std::array<int64_t, kComponentCount>;

// Values a median, minimum and maximum are taken from.
enum Distribution : int {
  kDaysToFirstVisit = 0,
  kDaysBetweenVisits,
  kHospiceLengthOfService,
  kDistributionCount
};

// Free-text categories a share is reported for, value by value.
enum Category : int { kReferralSource = 0, kReferralReason, kDeathLocation, kCategoryCount };

// One stratum in one month.
struct Cell {
  Sums sums{};
  std::array<std::vector<int64_t>, kDistributionCount> values;
  std::array<std::map<std::string, int64_t>, kCategoryCount> categories;
};

class Accumulator {
 public:
  Accumulator(const Dataset& ds, const ProgramData* program, const Contract& k, const Timeline& tl,
              const MetricsOptions& o);

  Status Run(std::vector<MetricEvent>* events);

  const std::vector<std::string>& strata() const { return strata_; }
  const Cell& At(size_t stratum, int month) const {
    return cells_[stratum * static_cast<size_t>(tl_.months()) + static_cast<size_t>(month)];
  }
  int64_t Members(size_t stratum) const { return members_[stratum]; }

 private:
  size_t StratumIndex(const std::string& s);
  // Adds `v` to component `c` in month `i` of every stratum the member is in that month (nothing
  // when `i` is not one of the member's population months).
  void Add(int i, int c, int64_t v);
  void AddValue(int i, Distribution d, int64_t v);
  void AddCategory(int i, Category c, uint32_t text);
  int MonthOf(Date d) const { return d == kNoDate ? -1 : tl_.IndexOf(YearMonth::Of(d)); }
  bool InProgramMonth(Date d) const;
  void MemberStrata(uint32_t m);
  // "attributed_provider=<provider>" in month `i` (the attribution period holding its first day).
  std::string ProviderStratum(uint32_t m, int i) const;
  void AddAmounts(int i, int category, Money paid, Money allowed);
  void Spending(uint32_t m);
  void Utilization(uint32_t m, std::vector<MetricEvent>* events);

  // Program activity (program_metrics.cc).
  void Program(uint32_t m, const MemberEvents& ev, std::vector<MetricEvent>* events);
  void ProgramEnrollment(uint32_t m, const MemberEvents& ev, std::vector<MetricEvent>* events);
  void Referrals(uint32_t m, const std::vector<Date>& visit_dates);
  std::vector<Date> Visits(uint32_t m);
  void VisitGaps(uint32_t m, const std::vector<Date>& visit_dates);
  void MedicationReconciliation(uint32_t m, const MemberEvents& ev);
  void ProgramMembers(uint32_t m);
  void Scores(uint32_t m, int first_month);
  void Deaths(uint32_t m);
  // Adds a program event to the member-level list (restricted/metric_events.csv).
  MetricEvent& Note(const char* kind, uint32_t m, Date start, Date end, bool counted);
  int EnrollmentSpanOf(uint32_t m, Date d) const;  // the program span holding `d`, or -1
  Date DeathDate(uint32_t m) const;                // the earliest known death, or kNoDate

  const Dataset& ds_;
  const ProgramData* program_;  // may be null
  MemberIndex enrollments_, referrals_, visits_, bookings_, program_events_;
  const Contract& k_;
  const Timeline& tl_;
  const MetricsOptions& o_;
  MemberIndex elig_, med_, rx_;
  std::map<std::string, size_t> index_;
  std::vector<std::string> strata_;
  std::vector<int64_t> members_;  // distinct members with a population month, per stratum
  std::vector<Cell> cells_;       // [stratum][month]
  uint32_t member_ = 0;
  std::vector<MetricEvent>* events_ = nullptr;     // the run's event list
  std::vector<std::vector<size_t>> month_strata_;  // the current member's strata per month
  // With --by attributed_provider: the attribution row of [period][member], or -1.
  std::vector<std::vector<int32_t>> attributed_;
  bool overflow_ = false;
};

// data_feed_days_late for the whole population, monthly and for the period (feed_timeliness.cc);
// a note says why when it cannot be measured.
void FeedTimelinessRows(const MetricDefinition& d, const Dataset& ds, const Contract& k,
                        const Timeline& tl, Trace* tr, std::vector<MetricRow>* rows,
                        std::vector<std::string>* notes);

}  // namespace valuepact::metrics
