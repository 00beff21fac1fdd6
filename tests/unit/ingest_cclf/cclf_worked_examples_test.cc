// The worked examples of the CCLF Information Packet v38 (section 5), as restated in
// ../shared/docs/formats/README.md section 9, plus the extra scenarios listed there.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cclf_test_util.h"
#include "valuepact/ingest/cclf/cclf_reader.h"
#include "valuepact/ingest/cclf/claim_versions.h"

namespace valuepact::cclf {
namespace {

using testing::Amount;
using testing::Record;

std::string PartA(const std::string& uniq, const std::string& mbi, const std::string& from,
                  const std::string& thru, int64_t paid_cents, int type, const std::string& eff,
                  const std::string& ccn = "654321") {
  return Record('1', {{"CUR_CLM_UNIQ_ID", uniq},
                      {"PRVDR_OSCAR_NUM", ccn},
                      {"CLM_BLG_PRVDR_OSCAR_NUM", ccn},
                      {"BENE_MBI_ID", mbi},
                      {"CLM_TYPE_CD", "60"},
                      {"CLM_FROM_DT", from},
                      {"CLM_THRU_DT", thru},
                      {"CLM_BILL_FAC_TYPE_CD", "1"},
                      {"CLM_BILL_CLSFCTN_CD", "1"},
                      {"CLM_BILL_FREQ_CD", "1"},
                      {"PRNCPL_DGNS_CD", "I10"},
                      {"CLM_PMT_AMT", Amount(paid_cents)},
                      {"CLM_ADJSMT_TYPE_CD", " " + std::to_string(type)},
                      {"CLM_EFCTV_DT", eff},
                      {"CLM_IDR_LD_DT", "1000-01-01"}});
}

std::string PartB(const std::string& uniq, int line, const std::string& mbi,
                  const std::string& control, int64_t paid_cents, int type, const std::string& eff,
                  const std::string& processing = "A", const std::string& denial = "1",
                  const std::string& hcpcs = "99213") {
  return Record('5', {{"CUR_CLM_UNIQ_ID", uniq},
                      {"CLM_LINE_NUM", fmt::format("{:010}", line)},
                      {"BENE_MBI_ID", mbi},
                      {"CLM_TYPE_CD", "71"},
                      {"CLM_FROM_DT", "2012-08-01"},
                      {"CLM_THRU_DT", "2012-08-01"},
                      {"CLM_POS_CD", "11"},
                      {"CLM_LINE_FROM_DT", "2012-08-01"},
                      {"CLM_LINE_THRU_DT", "2012-08-01"},
                      {"CLM_LINE_HCPCS_CD", hcpcs},
                      {"CLM_LINE_CVRD_PD_AMT", Amount(paid_cents, 15)},
                      {"CLM_CARR_PMT_DNL_CD", denial},
                      {"CLM_PRCSG_IND_CD", processing},
                      {"CLM_ADJSMT_TYPE_CD", " " + std::to_string(type)},
                      {"CLM_EFCTV_DT", eff},
                      {"CLM_CNTL_NUM", control},
                      {"CLM_DGNS_1_CD", "E119"}});
}

std::string Xref(const std::string& current, const std::string& previous) {
  return Record('9', {{"HICN_MBI_XREF_IND", "M"},
                      {"CRNT_NUM", current},
                      {"PRVS_NUM", previous},
                      {"PRVS_ID_EFCTV_DT", "2018-04-01"},
                      {"PRVS_ID_OBSLT_DT", "2019-04-30"}});
}

struct Loaded {
  Dataset ds;
  IngestReport report;
  Status status;
  std::vector<std::string> storage;

  Money MedicalPaid() const {
    Money t;
    for (Money m : ds.medical.paid) t += m;
    return t;
  }
  std::set<std::string> MedicalClaims() const {
    std::set<std::string> out;
    for (uint32_t c : ds.medical.claim) out.insert(std::string(ds.claim_ids.Get(c)));
    return out;
  }
  // Debit/credit total of the delivered versions of one part (IP 5.3.1).
  Money DebitCredit(char part) const {
    Money t;
    const auto& v = ds.claim_versions;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v.part[i] != part) continue;
      t += v.adjustment_type[i] == 1 ? -v.amount[i] : v.amount[i];
    }
    return t;
  }
};

// Files named like one regular delivery of PY2012.
Loaded Load(const std::map<char, std::string>& files, CclfOptions options = {}) {
  Loaded out;
  std::vector<CclfInput> inputs;
  out.storage.reserve(files.size());
  for (const auto& [type, bytes] : files) {
    out.storage.push_back(bytes);
    inputs.push_back(
        {fmt::format("P.A1234.ACO.ZC{}Y12.D121001.T0100000", type), out.storage.back()});
  }
  out.status = LoadCclfFiles(inputs, options, &out.ds, &out.report);
  return out;
}

TEST(CclfWorkedExamples, E1NaturalKeyAcrossMbiChange) {
  const std::string old_mbi = "5F27TE6KM28", cur = "6U50TE7GG18";
  auto l = Load(
      {{'1',
        testing::Join(
            {PartA("2222222222222", old_mbi, "2012-07-01", "2012-07-04", 10000, 0, "2012-07-30"),
             PartA("3589734591235", old_mbi, "2012-07-01", "2012-07-04", 10000, 1, "2012-08-01"),
             PartA("1313274894021", old_mbi, "2012-07-01", "2012-07-04", 10000, 2, "2012-08-01"),
             PartA("1111111111111", cur, "2012-07-01", "2012-07-04", 10000, 1, "2012-08-07"),
             PartA("3333333333333", cur, "2012-07-01", "2012-07-04", 10000, 2, "2012-08-07")})},
       {'9', Xref(cur, old_mbi) + "\n"}});
  ASSERT_TRUE(l.status.ok()) << l.status.message();
  EXPECT_TRUE(l.report.rejects.empty()) << l.report.RejectsCsv();
  const auto& v = l.ds.claim_versions;
  ASSERT_EQ(v.size(), 5u);
  for (size_t i = 1; i < v.size(); ++i) EXPECT_EQ(v.natural_key[i], v.natural_key[0]);
  EXPECT_EQ(l.MedicalClaims(), (std::set<std::string>{"3333333333333"}));
  // All rows sit under the current MBI; the old one is not a member.
  EXPECT_NE(l.ds.members.Find(cur), StringInterner::kNone);
  EXPECT_EQ(l.ds.members.Find(old_mbi), StringInterner::kNone);
  for (uint32_t m : l.ds.medical.member) EXPECT_EQ(l.ds.members.Get(m), cur);
  // Row 2 cancels row 1, row 4 cancels row 3.
  auto row_of = [&](const std::string& id) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (l.ds.claim_ids.Get(v.version[i]) == id) return static_cast<int32_t>(i);
    }
    return -1;
  };
  EXPECT_EQ(v.paired_with[row_of("3589734591235")], row_of("2222222222222"));
  EXPECT_EQ(v.paired_with[row_of("1111111111111")], row_of("1313274894021"));
}

TEST(CclfWorkedExamples, E2PartAExpenditureIs260) {
  const std::string mbi = "6U50TE7GG18";
  auto l = Load({{'1', testing::Join({
                           PartA("1", mbi, "2012-07-01", "2012-07-08", 20000, 0, "2012-07-20"),
                           PartA("2", mbi, "2012-07-01", "2012-07-08", 0, 2, "2012-09-20"),
                           PartA("3", mbi, "2012-07-01", "2012-07-08", 20000, 1, "2012-08-07"),
                           PartA("4", mbi, "2012-07-01", "2012-07-08", 21000, 2, "2012-09-20"),
                           PartA("5", mbi, "2012-07-01", "2012-07-08", 0, 2, "2012-08-07"),
                           PartA("6", mbi, "2012-07-01", "2012-07-08", 0, 1, "2012-10-07"),
                           PartA("7", mbi, "2012-08-20", "2012-08-29", 5000, 0, "2012-09-20"),
                       })}});
  ASSERT_TRUE(l.status.ok());
  EXPECT_EQ(l.DebitCredit('A'), Money::FromUnits(260));
  EXPECT_EQ(l.MedicalPaid(), Money::FromUnits(260));
  const auto claims = l.MedicalClaims();
  EXPECT_EQ(claims.size(), 3u);
  EXPECT_TRUE(claims.count("4"));
  EXPECT_TRUE(claims.count("7"));
  EXPECT_EQ(claims.count("2") + claims.count("5"), 1u);
  // Claims 1-6 are one related set, claim 7 another.
  const auto& v = l.ds.claim_versions;
  std::set<uint32_t> keys(v.natural_key.begin(), v.natural_key.end());
  EXPECT_EQ(keys.size(), 2u);
}

std::string E3Lines(const std::string& mbi) {
  return testing::Join({
      PartB("1", 3, mbi, "7", 0, 1, "2012-09-02"),
      PartB("1", 1, mbi, "7", 38000, 1, "2012-09-02"),
      PartB("1", 2, mbi, "7", 22700, 1, "2012-09-02"),
      PartB("2", 1, mbi, "7", 38000, 0, "2012-09-02"),
      PartB("2", 2, mbi, "7", 22700, 0, "2012-09-02"),
      PartB("2", 3, mbi, "7", 10000, 0, "2012-09-02"),
      PartB("3", 3, mbi, "7", 0, 0, "2012-08-15"),
      PartB("3", 1, mbi, "7", 38000, 0, "2012-08-15"),
      PartB("3", 2, mbi, "7", 22700, 0, "2012-08-15"),
  });
}

TEST(CclfWorkedExamples, E3PartBExpenditureIs707) {
  auto l = Load({{'5', E3Lines("6U50TE7GG18")}});
  ASSERT_TRUE(l.status.ok());
  EXPECT_TRUE(l.report.rejects.empty()) << l.report.RejectsCsv();
  EXPECT_EQ(l.DebitCredit('B'), Money::FromUnits(707));
  EXPECT_EQ(l.MedicalPaid(), Money::FromUnits(707));
  EXPECT_EQ(l.MedicalClaims(), (std::set<std::string>{"2"}));
  std::vector<int32_t> lines(l.ds.medical.line_number.begin(), l.ds.medical.line_number.end());
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<int32_t>{1, 2, 3}));
  for (ClaimType t : l.ds.medical.claim_type) EXPECT_EQ(t, ClaimType::kProfessional);
}

TEST(CclfWorkedExamples, E4BeneficiaryTotalIs967) {
  const std::string mbi = "6U50TE7GG18";
  auto l = Load({{'1', testing::Join({
                           PartA("1", mbi, "2012-07-01", "2012-07-08", 20000, 0, "2012-07-20"),
                           PartA("2", mbi, "2012-07-01", "2012-07-08", 0, 2, "2012-09-20"),
                           PartA("3", mbi, "2012-07-01", "2012-07-08", 20000, 1, "2012-08-07"),
                           PartA("4", mbi, "2012-07-01", "2012-07-08", 21000, 2, "2012-09-20"),
                           PartA("5", mbi, "2012-07-01", "2012-07-08", 0, 2, "2012-08-07"),
                           PartA("6", mbi, "2012-07-01", "2012-07-08", 0, 1, "2012-10-07"),
                           PartA("7", mbi, "2012-08-20", "2012-08-29", 5000, 0, "2012-09-20"),
                       })},
                 {'5', E3Lines(mbi)}});
  ASSERT_TRUE(l.status.ok());
  ASSERT_EQ(l.ds.member_count(), 1u);
  Money per_member;
  for (size_t i = 0; i < l.ds.medical.size(); ++i) {
    if (l.ds.medical.member[i] == 0) per_member += l.ds.medical.paid[i];
  }
  EXPECT_EQ(per_member, Money::FromUnits(967));
  EXPECT_EQ(l.DebitCredit('A') + l.DebitCredit('B'), Money::FromUnits(967));
}

TEST(CclfWorkedExamples, E5MbiChangeMapsEarlierClaimsToCurrentMbi) {
  const std::string old_mbi = "1EG4TE5MK73", cur = "6U50TE7GG18";
  auto l = Load({{'5', testing::Join({PartB("10", 1, old_mbi, "C1", 5000, 0, "2019-03-04"),
                                      PartB("11", 1, cur, "C2", 7000, 0, "2019-06-03")})},
                 {'9', Xref(cur, old_mbi) + "\n"},
                 {'8', Record('8', {{"BENE_MBI_ID", cur},
                                    {"BENE_SEX_CD", "2"},
                                    {"BENE_DOB", "1950-02-03"},
                                    {"BENE_DEATH_DT", "1000-01-01"},
                                    {"BENE_MDCR_STUS_CD", "10"},
                                    {"BENE_DUAL_STUS_CD", "NA"},
                                    {"BENE_ORGNL_ENTLMT_RSN_CD", "0"}}) +
                           "\n"}});
  ASSERT_TRUE(l.status.ok());
  EXPECT_TRUE(l.report.rejects.empty()) << l.report.RejectsCsv();
  ASSERT_EQ(l.ds.member_count(), 1u);
  EXPECT_EQ(l.ds.members.Get(0), cur);
  EXPECT_EQ(l.ds.medical.size(), 2u);
  for (uint32_t m : l.ds.medical.member) EXPECT_EQ(m, 0u);
  ASSERT_EQ(l.ds.member_id_changes.size(), 1u);
  EXPECT_EQ(l.ds.codes.Get(l.ds.member_id_changes.previous[0]), old_mbi);
  EXPECT_EQ(l.ds.member_id_changes.current[0], 0u);
  // Demographics: sentinel death date is null; PY2012 delivery dated 2012-10-01.
  ASSERT_EQ(l.ds.eligibility.size(), 1u);
  EXPECT_EQ(l.ds.eligibility.sex[0], 'F');
  EXPECT_EQ(l.ds.eligibility.death_date[0], kNoDate);
  EXPECT_EQ(l.ds.eligibility.birth_date[0], Date::FromCivil(1950, 2, 3));
  EXPECT_EQ(l.ds.eligibility.start[0], Date::FromCivil(2012, 1, 1));
  EXPECT_EQ(l.ds.eligibility.end[0], Date::FromCivil(2012, 10, 31));
  EXPECT_EQ(l.ds.codes.Get(l.ds.eligibility.medicare_status[0]), "10");
}

// BENE_RACE_CD, BENE_FIPS_STATE_CD and BENE_ZIP_CD become the race, state and ZIP3 strata, named
// as the Tuva CSV reader names them; a code outside the data dictionary is kept out and noted.
TEST(CclfBeneficiaries, RaceStateAndZip3) {
  const auto bene = [](const std::string& mbi, const std::string& race, const std::string& state,
                       const std::string& zip) {
    return Record('8', {{"BENE_MBI_ID", mbi},
                        {"BENE_SEX_CD", "1"},
                        {"BENE_DOB", "1940-01-01"},
                        {"BENE_RACE_CD", race},
                        {"BENE_FIPS_STATE_CD", state},
                        {"BENE_ZIP_CD", zip}});
  };
  auto l = Load({{'8', testing::Join({bene("1EG4TE5MK71", "2", "21", "40202"),
                                      bene("1EG4TE5MK72", "6", "72", "009"),
                                      bene("1EG4TE5MK73", "9", "99", "")})}});
  ASSERT_TRUE(l.status.ok());
  ASSERT_EQ(l.ds.eligibility.size(), 3u);
  const auto text = [&](uint32_t code) {
    return code == kNoCode ? std::string("-") : std::string(l.ds.codes.Get(code));
  };
  const auto& e = l.ds.eligibility;
  EXPECT_EQ(text(e.race[0]), "black");
  EXPECT_EQ(text(e.state[0]), "kentucky");
  EXPECT_EQ(text(e.zip3[0]), "402");
  EXPECT_EQ(text(e.race[1]), "north american native");
  EXPECT_EQ(text(e.state[1]), "puerto rico");
  EXPECT_EQ(text(e.zip3[1]), "009");
  EXPECT_EQ(text(e.race[2]), "-");
  EXPECT_EQ(text(e.state[2]), "-");
  EXPECT_EQ(text(e.zip3[2]), "-");
  EXPECT_EQ(text(e.ethnicity[0]), "-");
  // The two unknown codes are noted (row kept), with their field.
  const std::string rejects = l.report.RejectsCsv();
  EXPECT_NE(rejects.find("BENE_RACE_CD"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("BENE_FIPS_STATE_CD"), std::string::npos) << rejects;
}

TEST(CclfMbiCrossReference, ChainsFollowedAndLatestDeliveryWins) {
  // Delivery 1 maps A -> B; delivery 2 maps B -> C and re-maps D -> E (was D -> F).
  std::vector<std::string> bytes = {
      testing::Join({Xref("BBBBBBBBBBB", "AAAAAAAAAAA"), Xref("FFFFFFFFFFF", "DDDDDDDDDDD")}),
      testing::Join({Xref("CCCCCCCCCCC", "BBBBBBBBBBB"), Xref("EEEEEEEEEEE", "DDDDDDDDDDD"),
                     Xref("GGGGGGGGGGG", "GGGGGGGGGGG")}),
      testing::Join({PartB("1", 1, "AAAAAAAAAAA", "X1", 100, 0, "2024-01-08"),
                     PartB("2", 1, "DDDDDDDDDDD", "X2", 100, 0, "2024-01-08"),
                     PartB("3", 1, "GGGGGGGGGGG", "X3", 100, 0, "2024-01-08")})};
  std::vector<CclfInput> in = {{"P.A1.ACO.ZC9Y24.D240108.T0000000", bytes[0]},
                               {"P.A1.ACO.ZC9Y24.D240208.T0000000", bytes[1]},
                               {"P.A1.ACO.ZC5Y24.D240208.T0000000", bytes[2]}};
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadCclfFiles(in, {}, &ds, &report).ok());
  std::set<std::string> members;
  for (uint32_t m : ds.medical.member) members.insert(std::string(ds.members.Get(m)));
  EXPECT_EQ(members, (std::set<std::string>{"CCCCCCCCCCC", "EEEEEEEEEEE", "GGGGGGGGGGG"}));
  ASSERT_EQ(ds.deliveries.size(), 2u);
  EXPECT_EQ(ds.deliveries.file_date[0], Date::FromCivil(2024, 1, 8));
}

// Scenarios from the README's extra table (tuva's fixtures).
TEST(CclfClaimVersions, ExtraScenarios) {
  auto resolve = [](std::vector<VersionInput> v) {
    std::vector<std::string> finals;
    const auto out = ResolveFinalAction(v);
    for (size_t i = 0; i < v.size(); ++i) {
      if (out[i].final_action) finals.push_back(std::string(v[i].unique_id));
    }
    return finals;
  };
  const auto d = [](int m, int day) { return Date::FromCivil(2025, m, day); };
  using T = AdjustmentType;
  // S03: the cancel has the higher id, same date as the adjustment.
  EXPECT_EQ(resolve({{0, T::kOriginal, d(6, 24), "10", Money::FromUnits(210)},
                     {0, T::kAdjustment, d(8, 5), "11", Money::FromUnits(190)},
                     {0, T::kCancellation, d(8, 5), "12", Money::FromUnits(210)}}),
            (std::vector<std::string>{"11"}));
  // S05: two originals.
  EXPECT_EQ(resolve({{0, T::kOriginal, d(1, 1), "1", Money::FromUnits(5)},
                     {0, T::kOriginal, d(1, 2), "2", Money::FromUnits(6)}})
                .size(),
            2u);
  // S06: the cancel matches by amount, not recency.
  EXPECT_EQ(resolve({{0, T::kOriginal, d(9, 12), "1", Money::FromUnits(150)},
                     {0, T::kOriginal, d(9, 15), "2", Money::FromUnits(95)},
                     {0, T::kCancellation, d(10, 30), "3", Money::FromUnits(150)}}),
            (std::vector<std::string>{"2"}));
  // S07: original + cancel leaves nothing; S09: a lone adjustment is final.
  EXPECT_TRUE(resolve({{0, T::kOriginal, d(1, 1), "1", Money::FromUnits(5)},
                       {0, T::kCancellation, d(2, 1), "2", Money::FromUnits(5)}})
                  .empty());
  EXPECT_EQ(resolve({{0, T::kAdjustment, d(1, 1), "1", Money::FromUnits(5)}}),
            (std::vector<std::string>{"1"}));
  // S10: a corrected through date breaks the key: the old key nets to zero.
  EXPECT_EQ(resolve({{0, T::kOriginal, d(1, 1), "1", Money::FromUnits(5)},
                     {0, T::kCancellation, d(2, 1), "2", Money::FromUnits(5)},
                     {1, T::kAdjustment, d(2, 1), "3", Money::FromUnits(5)}}),
            (std::vector<std::string>{"3"}));
  // S11: chain 0 $500 -> (1 $500, 2 $480) -> (1 $480, 2 $505); net $505.
  std::vector<VersionInput> s11 = {{0, T::kOriginal, d(1, 6), "1", Money::FromUnits(500)},
                                   {0, T::kCancellation, d(2, 3), "2", Money::FromUnits(500)},
                                   {0, T::kAdjustment, d(2, 3), "3", Money::FromUnits(480)},
                                   {0, T::kCancellation, d(3, 3), "4", Money::FromUnits(480)},
                                   {0, T::kAdjustment, d(3, 3), "5", Money::FromUnits(505)}};
  EXPECT_EQ(resolve(s11), (std::vector<std::string>{"5"}));
  EXPECT_EQ(DebitCreditTotal(s11), Money::FromUnits(505));
  // The input order never changes the answer.
  std::reverse(s11.begin(), s11.end());
  EXPECT_EQ(resolve(s11), (std::vector<std::string>{"5"}));
}

TEST(CclfClaimVersions, DeniedClaimsAndLinesAreExcluded) {
  // S13: Part A with a non-payment reason; Part B lines with processing indicator C or N, or a
  // claim denial code 0.
  std::string a = PartA("1", "MBI00000001", "2024-01-02", "2024-01-04", 50000, 0, "2024-01-15");
  const auto* npmt = CclfLayoutFor('1')->Find("CLM_MDCR_NPMT_RSN_CD");
  a[npmt->start - 1] = 'N';
  auto l =
      Load({{'1', a + "\n"},
            {'5', testing::Join({PartB("2", 1, "MBI00000001", "K1", 100, 0, "2024-01-15", "C"),
                                 PartB("2", 2, "MBI00000001", "K1", 100, 0, "2024-01-15", "N"),
                                 PartB("3", 1, "MBI00000001", "K2", 100, 0, "2024-01-15", "A", "0"),
                                 PartB("4", 1, "MBI00000001", "K3", 700, 0, "2024-01-15")})}});
  ASSERT_TRUE(l.status.ok());
  EXPECT_EQ(l.MedicalClaims(), (std::set<std::string>{"4"}));
  EXPECT_EQ(l.report.counters["cclf1.denied_claims_excluded"], 1u);
  EXPECT_EQ(l.report.counters["cclf5.denied_lines_excluded"], 3u);
  size_t denied = 0;
  for (char s : l.ds.claim_versions.status) denied += s == 'D';
  EXPECT_EQ(denied, 4u);
}

TEST(CclfPartA, LinePaymentsUsedOnlyWhenTheyAddUpToTheHeader) {
  const std::string mbi = "MBI00000002";
  auto rev = [&](const std::string& uniq, int line, const std::string& code, int64_t paid) {
    return Record('2', {{"CUR_CLM_UNIQ_ID", uniq},
                        {"CLM_LINE_NUM", fmt::format("{:010}", line)},
                        {"BENE_MBI_ID", mbi},
                        {"CLM_TYPE_CD", "40"},
                        {"CLM_LINE_FROM_DT", "2024-02-01"},
                        {"CLM_LINE_THRU_DT", "2024-02-01"},
                        {"CLM_LINE_PROD_REV_CTR_CD", code},
                        {"CLM_LINE_CVRD_PD_AMT", Amount(paid)}});
  };
  auto l = Load(
      {{'1', testing::Join({PartA("100", mbi, "2024-02-01", "2024-02-01", 30000, 0, "2024-02-10"),
                            PartA("200", mbi, "2024-03-01", "2024-03-01", 50000, 0, "2024-03-10",
                                  "111111")})},
       {'2', testing::Join({rev("100", 1, "0450", 10000), rev("100", 2, "0300", 20000),
                            rev("200", 1, "0450", 1000), rev("200", 2, "0300", 1000)})},
       {'4', Record('4', {{"CUR_CLM_UNIQ_ID", "100"},
                          {"BENE_MBI_ID", mbi},
                          {"CLM_VAL_SQNC_NUM", "01"},
                          {"CLM_DGNS_CD", "E11.9"}}) +
                 "\n"}});
  ASSERT_TRUE(l.status.ok());
  EXPECT_TRUE(l.report.rejects.empty()) << l.report.RejectsCsv();
  const auto& m = l.ds.medical;
  ASSERT_EQ(m.size(), 4u);
  std::map<std::pair<std::string, int>, Money> paid;
  for (size_t i = 0; i < m.size(); ++i) {
    paid[{std::string(l.ds.claim_ids.Get(m.claim[i])), m.line_number[i]}] = m.paid[i];
  }
  EXPECT_EQ((paid[{"100", 1}]), Money::FromUnits(100));
  EXPECT_EQ((paid[{"100", 2}]), Money::FromUnits(200));
  // Lines add to $20 against a $500 header: the header amount stands, on the first line.
  EXPECT_EQ((paid[{"200", 1}]), Money::FromUnits(500));
  EXPECT_EQ((paid[{"200", 2}]), Money());
  // Claim 100: principal I10 then E119 (dots removed).
  std::vector<std::string> dx;
  for (uint32_t k = m.dx_offset[0]; k < m.dx_offset[1]; ++k) {
    dx.emplace_back(l.ds.codes.Get(m.dx_code[k]));
  }
  EXPECT_EQ(dx, (std::vector<std::string>{"I10", "E119"}));
  EXPECT_EQ(l.ds.codes.Get(m.bill_type[0]), "111");
}

// A Part D event (CCLF7) of member MBI00000003.
std::string PartDEvent(const std::string& uniq, int type, const std::string& rx,
                       const std::string& ndc) {
  return Record('7', {{"CUR_CLM_UNIQ_ID", uniq},
                      {"BENE_MBI_ID", "MBI00000003"},
                      {"CLM_LINE_NDC_CD", ndc},
                      {"CLM_TYPE_CD", "01"},
                      {"CLM_LINE_FROM_DT", "2024-04-01"},
                      {"PRVDR_SRVC_ID_QLFYR_CD", "01"},
                      {"CLM_SRVC_PRVDR_GNRC_ID_NUM", "1234567893"},
                      {"CLM_DSPNSNG_STUS_CD", "C"},
                      {"CLM_ADJSMT_TYPE_CD", " " + std::to_string(type)},
                      {"CLM_EFCTV_DT", "1000-01-01"},
                      {"CLM_LINE_RX_SRVC_RFRNC_NUM", rx},
                      {"CLM_LINE_RX_FILL_NUM", "1"}});
}

// Without Part D (a contract whose services leave out pharmacy) a CCLF7 file is not read, and a
// note names it.
TEST(CclfPartD, NotReadWithoutPharmacyAndNoted) {
  const std::map<char, std::string> files{{'7', PartDEvent("1", 0, "000000000001", "00002000001")}};
  CclfOptions without_part_d;
  without_part_d.read_part_d = false;
  auto l = Load(files, without_part_d);
  ASSERT_TRUE(l.status.ok()) << l.status.message();
  EXPECT_EQ(l.ds.pharmacy.size(), 0u);
  size_t noted = 0;
  for (const std::string& n : l.report.notes) {
    noted += n == "P.A1234.ACO.ZC7Y12.D121001.T0100000: not read (the contract's services do not "
                  "include pharmacy claims)"
                 ? 1
                 : 0;
  }
  EXPECT_EQ(noted, 1u);
  EXPECT_EQ(Load(files).ds.pharmacy.size(), 1u);  // read with Part D
}

TEST(CclfPartD, MostRecentEventPerKeyWins) {
  const auto& event = PartDEvent;
  // S26 (0, 2): the adjustment; S27 (0, 1): nothing; S28 a lone 2: kept.
  auto l = Load({{'7', testing::Join({event("1", 0, "000000000001", "00002000001"),
                                      event("2", 2, "000000000001", "00002000002"),
                                      event("3", 0, "000000000002", "00002000003"),
                                      event("4", 1, "000000000002", ""),
                                      event("5", 2, "000000000003", "00002000005")})}});
  ASSERT_TRUE(l.status.ok());
  std::set<std::string> claims;
  for (uint32_t c : l.ds.pharmacy.claim) claims.insert(std::string(l.ds.claim_ids.Get(c)));
  EXPECT_EQ(claims, (std::set<std::string>{"2", "5"}));
}

TEST(CclfLineChecks, FinalActionLinesRepeatingAKeyAreRejectedVersionsAreNot) {
  // Claim 4444444444444: an original, its cancellation and the adjustment (history,
  // resolved to one final-action line with the same CLM_LINE_NUM). Claim 5555555555555: a Part A
  // claim (one line, number 1) and a Part B line carrying the same CUR_CLM_UNIQ_ID and line number
  // 1: the Part B line repeats the key. Claim 6666666666666: a Part B line paying $99,999,999.99.
  auto l = Load(
      {{'1', testing::Join({PartA("5555555555555", "MBI00000001", "2012-07-01", "2012-07-04", 10000,
                                  0, "2012-07-30")})},
       {'5', testing::Join({PartB("4444444444444", 1, "MBI00000002", "CTL1", 5000, 0, "2012-08-10"),
                            PartB("4444444444446", 1, "MBI00000002", "CTL1", 5000, 1, "2012-08-20"),
                            PartB("4444444444445", 1, "MBI00000002", "CTL1", 6000, 2, "2012-08-20"),
                            PartB("5555555555555", 1, "MBI00000003", "CTL2", 700, 0, "2012-08-10"),
                            PartB("6666666666666", 1, "MBI00000003", "CTL3", 9999999999, 0,
                                  "2012-08-10")})}});
  ASSERT_TRUE(l.status.ok()) << l.status.message();
  ASSERT_EQ(l.report.rejects.size(), 2u) << l.report.RejectsCsv();
  std::map<std::string, Reject> by_reason;
  for (const auto& r : l.report.rejects) by_reason[r.reason] = r;
  const Reject& dup = by_reason["duplicate_key"];
  EXPECT_NE(dup.file.find("ZC5"), std::string::npos) << dup.file;
  EXPECT_EQ(dup.line, 4u);
  EXPECT_EQ(dup.field, "CLM_LINE_NUM");
  EXPECT_NE(dup.value.find("claim 5555555555555 line 1 (first at "), std::string::npos)
      << dup.value;
  EXPECT_NE(dup.value.find("ZC1"), std::string::npos) << dup.value;
  EXPECT_EQ(dup.paid, Money::FromCents(700));
  const Reject& big = by_reason["implausible_amount"];
  EXPECT_EQ(big.line, 5u);
  EXPECT_EQ(big.field, "CLM_LINE_CVRD_PD_AMT");
  EXPECT_EQ(big.value, "99999999.99");
  // Final action: the Part A claim and the adjustment; the versions stay in the history.
  EXPECT_EQ(l.MedicalClaims(), (std::set<std::string>{"5555555555555", "4444444444445"}));
  EXPECT_EQ(l.MedicalPaid(), Money::FromCents(10000 + 6000));
  EXPECT_EQ(l.ds.claim_versions.size(), 6u);
  EXPECT_EQ(l.report.counters["medical_claim.duplicate_key"], 1u);
  const auto totals = l.report.RejectTotals();
  EXPECT_EQ(totals[0].rows, 1u);
  EXPECT_EQ(totals[1].paid, Money::FromCents(9999999999));
}

}  // namespace
}  // namespace valuepact::cclf
