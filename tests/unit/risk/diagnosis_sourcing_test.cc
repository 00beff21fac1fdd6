// Claims-based diagnosis sourcing on a Dataset built by hand: each claim is designed to hit one
// of CMS's risk-adjustment filtering rules.
#include "valuepact/risk/diagnosis_sourcing.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace valuepact::risk {
namespace {

class Builder {
 public:
  uint32_t Member(const std::string& pid, char sex, Date birth, const std::string& dual,
                  const std::string& orec, const std::string& status, Date start) {
    const uint32_t m = ds.members.Intern(pid);
    auto& e = ds.eligibility;
    e.member.push_back(m);
    e.start.push_back(start);
    e.end.push_back(Date::FromCivil(2019, 12, 31));
    e.payer.push_back(ds.codes.Intern("medicare"));
    e.plan.push_back(kNoCode);
    e.sex.push_back(sex);
    e.birth_date.push_back(birth);
    e.death_date.push_back(kNoDate);
    e.dual_status.push_back(Code(dual));
    e.medicare_status.push_back(Code(status));
    e.orec.push_back(Code(orec));
    e.source.push_back({});
    return m;
  }
  // One claim line.
  void Line(const std::string& claim, const std::string& pid, ClaimType type, Date through,
            const std::string& bill_type, const std::string& hcpcs,
            const std::vector<std::string>& dx) {
    auto& mc = ds.medical;
    mc.claim.push_back(ds.claim_ids.Intern(claim));
    mc.line_number.push_back(static_cast<int32_t>(mc.line_number.size() + 1));
    mc.member.push_back(ds.members.Intern(pid));
    mc.claim_type.push_back(type);
    mc.claim_start.push_back(through);
    mc.claim_end.push_back(through);
    mc.line_start.push_back(kNoDate);
    mc.line_end.push_back(kNoDate);
    mc.bill_type.push_back(Code(bill_type));
    mc.hcpcs.push_back(Code(hcpcs));
    for (const auto& d : dx) mc.dx_code.push_back(ds.codes.Intern(d));
    mc.dx_offset.push_back(static_cast<uint32_t>(mc.dx_code.size()));
  }
  uint32_t Code(const std::string& s) { return s.empty() ? kNoCode : ds.codes.Intern(s); }

  std::vector<std::string> DxOf(const MemberDiagnoses& d, const std::string& pid) {
    const uint32_t m = ds.members.Find(pid);
    std::vector<std::string> out;
    for (uint32_t k = d.offsets[m]; k < d.offsets[m + 1]; ++k) {
      out.emplace_back(ds.codes.Get(d.codes[k]));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  Dataset ds;
};

TEST(DiagnosisSourcing, AppliesCmsFilteringRules) {
  Builder b;
  const Date jan2018 = Date::FromCivil(2018, 1, 1);
  b.Member("A", 'M', Date::FromCivil(1950, 2, 1), "02", "", "10", jan2018);
  b.Member("B", 'F', Date::FromCivil(1960, 6, 30), "", "1", "20", jan2018);
  b.ds.FinalizeMembers();
  const Date in_year = Date::FromCivil(2018, 5, 1);
  using CT = ClaimType;
  // Inpatient hospital: accepted whatever its procedure codes.
  b.Line("c1", "A", CT::kInstitutional, in_year, "0111", "", {"E1169", "I10"});
  // Hospital outpatient with an eligible CPT on its second line: every line's dx counts.
  b.Line("c2", "A", CT::kInstitutional, in_year, "131", "80053", {"I509"});
  b.Line("c2", "A", CT::kInstitutional, in_year, "131", "99213", {"I509", "N183"});
  // Hospital outpatient with only a non-eligible code (lab): excluded.
  b.Line("c3", "A", CT::kInstitutional, in_year, "131", "80053", {"C3490"});
  // Skilled nursing facility bill type: not an acceptable source.
  b.Line("c4", "A", CT::kInstitutional, in_year, "211", "", {"F0391"});
  // Void (frequency 8): excluded.
  b.Line("c5", "A", CT::kInstitutional, in_year, "118", "", {"G20"});
  // Professional with an eligible visit code: accepted.
  b.Line("c6", "B", CT::kProfessional, in_year, "", "99214", {"J449"});
  // Professional with only a non-eligible code: excluded.
  b.Line("c7", "B", CT::kProfessional, in_year, "", "80053", {"E119"});
  // DME: excluded.
  b.Line("c8", "B", CT::kDme, in_year, "", "E0601", {"G4733"});
  // Outside the data year: excluded.
  b.Line("c9", "B", CT::kInstitutional, Date::FromCivil(2019, 1, 3), "111", "", {"I214"});
  // Unknown claim type but a bill type: treated as institutional.
  b.Line("c10", "B", CT::kUnknown, in_year, "111", "", {"F200"});

  const std::set<std::string> eligible = {"99213", "99214"};
  DiagnosisSourcingOptions o;
  o.data_year = 2018;
  o.eligible_codes = &eligible;
  DiagnosisSourcingReport rep;
  auto sourced = SourceDiagnoses(b.ds, o, &rep);
  ASSERT_TRUE(sourced.ok());
  const MemberDiagnoses& d = *sourced;
  // Lines read without their codes (LoadOptions::diagnoses false) are never scored as if they
  // had none.
  Dataset lean;
  lean.medical.dx_first = {kNoCode};
  lean.medical.dx_listed = {0};
  lean.medical.dx_misshapen = {0};
  DiagnosisSourcingReport unused;
  EXPECT_EQ(SourceDiagnoses(lean, o, &unused).status().code(), StatusCode::kInternal);

  EXPECT_EQ(b.DxOf(d, "A"), (std::vector<std::string>{"E1169", "I10", "I509", "N183"}));
  EXPECT_EQ(b.DxOf(d, "B"), (std::vector<std::string>{"F200", "J449"}));
  EXPECT_EQ(rep.claims_in_year, 9u);
  EXPECT_EQ(rep.claims_inpatient, 2u);
  EXPECT_EQ(rep.claims_outpatient, 1u);
  EXPECT_EQ(rep.claims_professional, 1u);
  EXPECT_EQ(rep.claims_excluded_no_eligible_code, 2u);
  EXPECT_EQ(rep.claims_excluded_bill_type, 1u);
  EXPECT_EQ(rep.claims_excluded_void, 1u);
  EXPECT_EQ(rep.claims_excluded_dme, 1u);
  EXPECT_EQ(rep.lines_outside_year, 1u);

  DemographicsReport drep;
  const auto members = MembersFromDataset(b.ds, 2019, d, &drep);
  ASSERT_EQ(members.size(), 2u);
  // Born 1950-02-01: 69 on 2019-02-01 (birthday counts); full-benefit dual (02); status 10.
  EXPECT_EQ(members[0].demo.age, 69);
  EXPECT_EQ(members[0].demo.dual, DualStatus::kFull);
  EXPECT_EQ(members[0].demo.orec, 0);
  EXPECT_EQ(ChooseSegment(members[0].demo).segment, Segment::kCFA);
  // Born 1960-06-30: 58 on 2019-02-01; OREC 1 given; non-dual -> CND.
  EXPECT_EQ(members[1].demo.age, 58);
  EXPECT_EQ(members[1].demo.orec, 1);
  EXPECT_EQ(ChooseSegment(members[1].demo).segment, Segment::kCND);
  auto dx_b = members[1].dx;
  std::sort(dx_b.begin(), dx_b.end());
  EXPECT_EQ(dx_b, (std::vector<std::string>{"F200", "J449"}));
  EXPECT_EQ(drep.new_enrollees, 0u);
}

TEST(DiagnosisSourcing, NewEnrolleeAndOrecFromMedicareStatus) {
  Builder b;
  // Enrolled from March of the data year: fewer than 12 months, new enrollee.
  b.Member("N", 'F', Date::FromCivil(1953, 3, 10), "03", "", "20", Date::FromCivil(2018, 3, 1));
  b.ds.FinalizeMembers();
  MemberDiagnoses d;
  d.offsets = {0, 0};
  DemographicsReport rep;
  const auto m = MembersFromDataset(b.ds, 2019, d, &rep);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_TRUE(m[0].demo.new_enrollee);
  EXPECT_EQ(m[0].demo.orec, 1);  // Medicare status 20 (disabled)
  EXPECT_EQ(m[0].demo.dual, DualStatus::kPartial);
  EXPECT_EQ(rep.orec_from_medicare_status, 1u);
  EXPECT_EQ(ChooseSegment(m[0].demo).segment, Segment::kNE);
}

TEST(DiagnosisSourcing, ClassifiesBillTypes) {
  EXPECT_EQ(ClassifyBillType("0111"), 'I');
  EXPECT_EQ(ClassifyBillType("417"), 'I');
  EXPECT_EQ(ClassifyBillType("131"), 'O');
  EXPECT_EQ(ClassifyBillType("0851"), 'O');
  EXPECT_EQ(ClassifyBillType("771"), 'O');
  EXPECT_EQ(ClassifyBillType("118"), 'V');
  EXPECT_EQ(ClassifyBillType("211"), 'X');  // SNF
  EXPECT_EQ(ClassifyBillType("322"), 'X');  // home health
  EXPECT_EQ(ClassifyBillType("811"), 'X');  // hospice
  EXPECT_EQ(ClassifyBillType("181"), 'X');  // swing bed
  EXPECT_EQ(ClassifyBillType(""), 'X');
}

}  // namespace
}  // namespace valuepact::risk
