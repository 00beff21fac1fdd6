#pragma once
// An eligibility span added to a Dataset by hand, every column filled (the dataset tests).
#include <string_view>

#include "valuepact/dataset/dataset.h"

namespace valuepact::testing {

inline void AddSpan(Dataset* ds, std::string_view person, Date start, Date end, uint32_t payer,
                    char sex = 'U', uint32_t dual = kNoCode) {
  EligibilityTable& t = ds->eligibility;
  t.member.push_back(ds->members.Intern(person));
  t.start.push_back(start);
  t.end.push_back(end);
  t.payer.push_back(payer);
  t.plan.push_back(kNoCode);
  t.sex.push_back(sex);
  t.birth_date.push_back(kNoDate);
  t.death_date.push_back(kNoDate);
  t.dual_status.push_back(dual);
  t.medicare_status.push_back(kNoCode);
  t.orec.push_back(kNoCode);
  t.source.push_back({});
}

}  // namespace valuepact::testing
