// Enrollment type rule (docs/contract-reference.md, "Enrollment types"): ESRD, then disabled,
// then aged/dual, else aged/non-dual.
#include "valuepact/benchmark/enrollment_type.h"

#include <gtest/gtest.h>

namespace valuepact {
namespace {

struct Member {
  const char* status;  // "" : none
  const char* orec;
  const char* dual;
  Date birth;
};

Dataset Make(const std::vector<Member>& ms) {
  Dataset ds;
  for (size_t i = 0; i < ms.size(); ++i) {
    ds.members.Intern("m" + std::to_string(i));
    auto code = [&](const char* s) { return *s == '\0' ? kNoCode : ds.codes.Intern(s); };
    ds.member_info.medicare_status.push_back(code(ms[i].status));
    ds.member_info.orec.push_back(code(ms[i].orec));
    ds.member_info.dual_status.push_back(code(ms[i].dual));
    ds.member_info.birth_date.push_back(ms[i].birth);
    ds.member_info.sex.push_back('F');
    ds.member_info.death_date.push_back(kNoDate);
  }
  return ds;
}

TEST(EnrollmentType, FirstMatchingRuleWins) {
  const Date aged = Date::FromCivil(1940, 6, 1);
  const Date young = Date::FromCivil(1970, 6, 1);
  const Dataset ds = Make({
      {"21", "", "02", young},  // ESRD beats disabled and dual
      {"", "2", "", aged},      // ESRD by OREC
      {"20", "", "02", aged},   // disabled by status beats dual
      {"10", "", "", young},    // disabled by age
      {"10", "", "04", aged},   // aged/dual
      {"10", "", "na", aged},   // "NA" is not dual (case-insensitive)
      {"10", "", "00", aged},   // "00" is not dual
      {"", "", "", kNoDate},    // nothing known
  });
  const std::vector<EnrollmentType> want = {
      EnrollmentType::kEsrd,        EnrollmentType::kEsrd,       EnrollmentType::kDisabled,
      EnrollmentType::kDisabled,    EnrollmentType::kAgedDual,   EnrollmentType::kAgedNonDual,
      EnrollmentType::kAgedNonDual, EnrollmentType::kAgedNonDual};
  for (uint32_t m = 0; m < want.size(); ++m) {
    std::string why;
    EXPECT_EQ(ClassifyEnrollmentType(ds, m, 2018, &why), want[m]) << "member " << m << ": " << why;
    EXPECT_FALSE(why.empty());
  }
}

TEST(EnrollmentType, AgeIsTakenOnFirstOfJanuary) {
  // Born 1953-01-02: 64 on 2018-01-01 (disabled for 2018), 65 on 2019-01-01 (aged).
  const Dataset ds = Make({{"10", "", "", Date::FromCivil(1953, 1, 2)}});
  EXPECT_EQ(ClassifyEnrollmentType(ds, 0, 2018), EnrollmentType::kDisabled);
  EXPECT_EQ(ClassifyEnrollmentType(ds, 0, 2019), EnrollmentType::kAgedNonDual);
}

}  // namespace
}  // namespace valuepact
