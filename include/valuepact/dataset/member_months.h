#pragma once
// Enrollment spans -> member-months, and claim lines -> months (docs/contract-reference.md).
#include <cstdint>
#include <vector>

#include "valuepact/core/date.h"
#include "valuepact/dataset/dataset.h"

namespace valuepact {

enum class MemberMonthRule { kAnyDay, kFullMonth };
enum class ClaimMonthRule { kClaimStart, kClaimEnd };

struct MemberMonthOptions {
  Period period;
  std::vector<uint32_t> payers;  // code ids of included payers; empty = every payer
  MemberMonthRule rule = MemberMonthRule::kAnyDay;
};

// One bit per (member, month of the period).
class MemberMonths {
 public:
  MemberMonths() = default;
  MemberMonths(YearMonth first, int months, uint32_t members);

  YearMonth first_month() const { return first_; }
  int months() const { return months_; }
  uint32_t members() const { return members_; }
  // Month index inside the period, or -1 when `m` falls outside it.
  int IndexOf(YearMonth m) const {
    const int i = m - first_;
    return i >= 0 && i < months_ ? i : -1;
  }
  bool Has(uint32_t member, int month) const {
    return (bits_[member * words_ + static_cast<uint32_t>(month) / 64] >> (month % 64)) & 1U;
  }
  void Set(uint32_t member, int month) {
    bits_[member * words_ + static_cast<uint32_t>(month) / 64] |= uint64_t{1} << (month % 64);
  }
  void Clear(uint32_t member, int month) {
    bits_[member * words_ + static_cast<uint32_t>(month) / 64] &= ~(uint64_t{1} << (month % 64));
  }
  int Count(uint32_t member) const;
  int64_t Total() const;
  // Number of members with at least one member-month.
  uint32_t MembersWithAny() const;

 private:
  YearMonth first_;
  int months_ = 0;
  uint32_t members_ = 0;
  uint32_t words_ = 1;
  std::vector<uint64_t> bits_;
};

MemberMonths ComputeMemberMonths(const Dataset& ds, const MemberMonthOptions& options);

// The day, and the month, a medical line belongs to: claim_start_date (or claim_end_date for
// kClaimEnd), falling back to the other date when empty (kNoDate when both are). A table read
// for a spending settlement alone may keep only the rule's column, holding this date already
// (LoadOptions::claim_month); the other column is then empty.
inline Date MedicalLineDate(const MedicalClaimTable& t, size_t i, ClaimMonthRule rule) {
  const bool start = rule == ClaimMonthRule::kClaimStart;
  const Date d = start ? t.claim_start[i] : t.claim_end[i];
  if (d != kNoDate) return d;
  const std::vector<Date>& other = start ? t.claim_end : t.claim_start;
  return i < other.size() ? other[i] : kNoDate;
}
inline YearMonth MedicalLineMonth(const MedicalClaimTable& t, size_t i, ClaimMonthRule rule) {
  return YearMonth::Of(MedicalLineDate(t, i, rule));
}

}  // namespace valuepact
