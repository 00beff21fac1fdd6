#include "valuepact/dataset/member_months.h"

#include <algorithm>
#include <bit>
#include <utility>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace valuepact {

MemberMonths::MemberMonths(YearMonth first, int months, uint32_t members)
    : first_(first),
      months_(months),
      members_(members),
      words_(static_cast<uint32_t>(std::max(1, (months + 63) / 64))),
      bits_(static_cast<size_t>(members) * words_, 0) {}

int MemberMonths::Count(uint32_t member) const {
  int n = 0;
  for (uint32_t w = 0; w < words_; ++w) n += std::popcount(bits_[member * words_ + w]);
  return n;
}

int64_t MemberMonths::Total() const {
  int64_t n = 0;
  for (uint64_t w : bits_) n += std::popcount(w);
  return n;
}

uint32_t MemberMonths::MembersWithAny() const {
  uint32_t n = 0;
  for (uint32_t m = 0; m < members_; ++m) n += Count(m) > 0;
  return n;
}

MemberMonths ComputeMemberMonths(const Dataset& ds, const MemberMonthOptions& o) {
  const YearMonth first = o.period.first_month();
  const int months = o.period.last_month() - first + 1;
  MemberMonths mm(first, std::max(0, months), ds.member_count());
  if (months <= 0) return mm;
  const auto& e = ds.eligibility;
  const MemberIndex idx = IndexByMember(e.member, ds.member_count());
  const std::vector<Period> inside = MonthsInside(o.period);
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, ds.member_count()), [&](const auto& range) {
    std::vector<std::pair<Date, Date>> spans, merged;
    for (uint32_t m = range.begin(); m != range.end(); ++m) {
      // Merge the member's included spans (overlapping or touching) so that "every day of the
      // month" can be met by two back-to-back spans.
      spans.clear();
      for (uint32_t k = idx.offsets[m]; k < idx.offsets[m + 1]; ++k) {
        const uint32_t r = idx.order[k];
        if (!o.payers.empty() &&
            std::find(o.payers.begin(), o.payers.end(), e.payer[r]) == o.payers.end()) {
          continue;
        }
        spans.emplace_back(e.start[r], e.end[r]);
      }
      if (spans.empty()) continue;
      std::sort(spans.begin(), spans.end());
      merged.clear();
      for (const auto& s : spans) {
        if (!merged.empty() && s.first.days() <= merged.back().second.days() + 1) {
          merged.back().second = std::max(merged.back().second, s.second);
        } else {
          merged.push_back(s);
        }
      }
      for (int i = 0; i < months; ++i) {
        const Date lo = inside[static_cast<size_t>(i)].start;
        const Date hi = inside[static_cast<size_t>(i)].end;
        for (const auto& s : merged) {
          const bool hit = o.rule == MemberMonthRule::kAnyDay ? (s.first <= hi && s.second >= lo)
                                                              : (s.first <= lo && s.second >= hi);
          if (hit) {
            mm.Set(m, i);
            break;
          }
        }
      }
    }
  });
  return mm;
}

}  // namespace valuepact
