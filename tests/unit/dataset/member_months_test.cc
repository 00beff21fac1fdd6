#include "valuepact/dataset/member_months.h"

#include <gtest/gtest.h>

#include "spans.h"
#include "valuepact/dataset/service_category.h"

namespace valuepact {
namespace {

Date D(const char* s) { return *ParseDate(s); }

Dataset TwoMembers() {
  Dataset ds;
  auto add = [&](const char* who, const char* s, const char* e, const char* payer) {
    testing::AddSpan(&ds, who, D(s), D(e), ds.codes.Intern(payer));
  };
  add("A", "2018-01-15", "2018-02-10", "medicare");  // partial months
  add("B", "2018-01-01", "2018-01-31", "medicare");  // back-to-back spans cover Feb fully
  add("B", "2018-02-01", "2018-02-14", "medicare");
  add("B", "2018-02-15", "2018-03-31", "medicare");
  add("B", "2018-04-01", "2018-04-30", "commercial");
  return ds;
}

TEST(MemberMonths, AnyDayAndFullMonthRules) {
  Dataset ds = TwoMembers();
  MemberMonthOptions o;
  o.period = {D("2018-01-01"), D("2018-12-31")};
  MemberMonths any = ComputeMemberMonths(ds, o);
  EXPECT_EQ(any.Count(0), 2);  // A: Jan, Feb
  EXPECT_EQ(any.Count(1), 4);  // B: Jan-Apr with the commercial span
  o.rule = MemberMonthRule::kFullMonth;
  MemberMonths full = ComputeMemberMonths(ds, o);
  EXPECT_EQ(full.Count(0), 0);
  EXPECT_EQ(full.Count(1), 4);
  o.payers = {ds.codes.Find("medicare")};
  EXPECT_EQ(ComputeMemberMonths(ds, o).Count(1), 3);
  EXPECT_EQ(ComputeMemberMonths(ds, o).Total(), 3);
}

TEST(MemberMonths, PeriodStartingMidMonthUsesThePartInsideThePeriod) {
  Dataset ds = TwoMembers();
  MemberMonthOptions o;
  o.period = {D("2018-01-15"), D("2018-02-10")};
  o.rule = MemberMonthRule::kFullMonth;
  MemberMonths mm = ComputeMemberMonths(ds, o);
  EXPECT_EQ(mm.months(), 2);
  EXPECT_EQ(mm.Count(0), 2);  // A covers 15 Jan - 10 Feb: every day of both partial months
  EXPECT_EQ(mm.IndexOf(YearMonth::Of(2018, 3)), -1);
}

TEST(ServiceCategory, RulesFromBillTypeRevenuePosAndHcpcs) {
  auto c = [](ClaimType t, const char* bt, const char* rc, const char* pos, const char* h,
              bool drg = false) {
    return ClassifyMedicalLine({t, bt, rc, pos, h, drg});
  };
  using S = ServiceCategory;
  const auto I = ClaimType::kInstitutional, P = ClaimType::kProfessional;
  EXPECT_EQ(c(I, "111", "0120", "", ""), S::kAcuteInpatient);
  EXPECT_EQ(c(I, "0111", "", "", ""), S::kAcuteInpatient);
  EXPECT_EQ(c(I, "131", "0450", "", ""), S::kEmergency);
  EXPECT_EQ(c(I, "131", "0300", "", ""), S::kOutpatient);
  EXPECT_EQ(c(I, "211", "", "", ""), S::kSnf);
  EXPECT_EQ(c(I, "321", "", "", ""), S::kHomeHealth);
  EXPECT_EQ(c(I, "811", "", "", ""), S::kHospice);
  EXPECT_EQ(c(I, "", "", "", "", true), S::kAcuteInpatient);
  EXPECT_EQ(c(P, "", "", "11", "99214"), S::kProfessional);
  EXPECT_EQ(c(P, "", "", "23", "99284"), S::kEmergency);
  EXPECT_EQ(c(P, "", "", "12", "E0601"), S::kDme);
  EXPECT_EQ(c(ClaimType::kDme, "", "", "", "A4253"), S::kDme);
  EXPECT_EQ(c(P, "", "", "34", "99347"), S::kHospice);
}

TEST(ServiceCategory, EmergencyRevenueCodeMarksTheWholeOutpatientClaim) {
  Dataset ds;
  auto& t = ds.medical;
  for (const char* rc : {"0300", "0450"}) {
    t.claim.push_back(ds.claim_ids.Intern("c1"));
    t.member.push_back(ds.members.Intern("A"));
    t.claim_type.push_back(ClaimType::kInstitutional);
    t.bill_type.push_back(ds.codes.Intern("131"));
    t.revenue_code.push_back(ds.codes.Intern(rc));
    t.place_of_service.push_back(kNoCode);
    t.hcpcs.push_back(kNoCode);
    t.drg.push_back(kNoCode);
  }
  ClassifyMedicalClaims(ds.codes, &t);
  EXPECT_EQ(t.category[0], ServiceCategory::kEmergency);
  EXPECT_EQ(t.category[1], ServiceCategory::kEmergency);
}

}  // namespace
}  // namespace valuepact
