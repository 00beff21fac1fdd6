#pragma once
// The Timeline: one answer, for every member and every month of a contract period, to "who is
// in the population" (ARCHITECTURE §1). Each (member, month) cell holds four facts and a care
// setting:
//
//   plan_enrolled     the member has plan eligibility in the month under the contract's payers
//                     and member-month rule
//   attributed        the contract's [attribution] method assigns the member to the provider for
//                     the month (a contract without [attribution] attributes every enrolled
//                     member, so the bit equals plan_enrolled)
//   in_population     the member meets the [population] eligible definition for the month
//                     (always set when the contract has no definition)
//   program_enrolled  a program enrollment span covers at least one day of the month inside the
//                     period
//
// The contract's population in a month is plan_enrolled ∧ attributed ∧ in_population. A program
// member-month is plan_enrolled ∧ attributed ∧ program_enrolled; its setting is that of the span
// covering the most days of the month (the later-starting span on a tie).
//
// Built once per run by the run pipeline (run/timeline_builder.h); immutable afterwards and safe
// to read from any thread. Every command that speaks about a population reads this one object.
#include <cstdint>
#include <vector>

#include "valuepact/core/date.h"
#include "valuepact/dataset/member_months.h"

namespace valuepact {

class Timeline {
 public:
  enum Flag : uint8_t {
    kPlanEnrolled = 1,
    kAttributed = 2,
    kInPopulation = 4,
    kProgramEnrolled = 8,
  };
  static constexpr int8_t kNoSetting = -1;

  Timeline() = default;
  Timeline(const Period& period, uint32_t members);

  const Period& period() const { return period_; }
  YearMonth first_month() const { return first_; }
  int months() const { return months_; }
  uint32_t members() const { return members_; }
  // Month index inside the period, or -1.
  int IndexOf(YearMonth m) const {
    const int i = m - first_;
    return i >= 0 && i < months_ ? i : -1;
  }
  YearMonth MonthAt(int i) const { return first_ + i; }

  uint8_t flags(uint32_t member, int month) const { return flags_[Cell(member, month)]; }
  bool Has(uint32_t member, int month, Flag f) const { return (flags(member, month) & f) != 0; }
  void Set(uint32_t member, int month, Flag f) { flags_[Cell(member, month)] |= f; }
  void Clear(uint32_t member, int month, Flag f) {
    flags_[Cell(member, month)] &= static_cast<uint8_t>(~f);
  }

  // The contract's population: plan-enrolled, attributed and in the population.
  bool InPopulation(uint32_t member, int month) const {
    constexpr uint8_t kAll = kPlanEnrolled | kAttributed | kInPopulation;
    return (flags(member, month) & kAll) == kAll;
  }
  // A program member-month (the setting is defined for these only).
  bool ProgramMonth(uint32_t member, int month) const {
    constexpr uint8_t kAll = kPlanEnrolled | kAttributed | kProgramEnrolled;
    return (flags(member, month) & kAll) == kAll;
  }
  int8_t setting(uint32_t member, int month) const { return setting_[Cell(member, month)]; }
  void SetSetting(uint32_t member, int month, int8_t s) { setting_[Cell(member, month)] = s; }

  // Counts of (member, month) cells, and members with at least one, where `flags` are all set.
  int64_t CountMonths(uint8_t all_of) const;
  int64_t CountMembers(uint8_t all_of) const;
  int PopulationMonths(uint32_t member) const;

  // The population as member-month bits, for engines that take MemberMonths.
  MemberMonths PopulationMonths() const;

 private:
  size_t Cell(uint32_t member, int month) const {
    return static_cast<size_t>(member) * static_cast<size_t>(months_) + static_cast<size_t>(month);
  }
  Period period_{};
  YearMonth first_;
  int months_ = 0;
  uint32_t members_ = 0;
  std::vector<uint8_t> flags_;
  std::vector<int8_t> setting_;
};

}  // namespace valuepact
