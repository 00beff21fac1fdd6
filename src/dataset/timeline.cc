#include "valuepact/dataset/timeline.h"

namespace valuepact {

Timeline::Timeline(const Period& period, uint32_t members)
    : period_(period),
      first_(YearMonth::Of(period.start)),
      months_(YearMonth::Of(period.end) - YearMonth::Of(period.start) + 1),
      members_(members),
      flags_(static_cast<size_t>(members) * static_cast<size_t>(months_), 0),
      setting_(static_cast<size_t>(members) * static_cast<size_t>(months_), kNoSetting) {}

int64_t Timeline::CountMonths(uint8_t all_of) const {
  int64_t n = 0;
  for (uint8_t f : flags_) {
    n += (f & all_of) == all_of;
  }
  return n;
}

int64_t Timeline::CountMembers(uint8_t all_of) const {
  int64_t n = 0;
  for (uint32_t m = 0; m < members_; ++m) {
    for (int i = 0; i < months_; ++i) {
      if ((flags(m, i) & all_of) == all_of) {
        ++n;
        break;
      }
    }
  }
  return n;
}

int Timeline::PopulationMonths(uint32_t member) const {
  int n = 0;
  for (int i = 0; i < months_; ++i) {
    n += InPopulation(member, i);
  }
  return n;
}

MemberMonths Timeline::PopulationMonths() const {
  MemberMonths mm(first_, months_, members_);
  for (uint32_t m = 0; m < members_; ++m) {
    for (int i = 0; i < months_; ++i) {
      if (InPopulation(m, i)) {
        mm.Set(m, i);
      }
    }
  }
  return mm;
}

}  // namespace valuepact
