// End to end through the CLI: `valuepact risk-score` on the oracle file's own inputs (it has
// the profile columns) must reproduce hccpy's raw scores and HCCs; `valuepact risk` on the Tuva
// demo data writes scores and explanations that `valuepact explain` can show.
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../ingest_cclf/cclf_test_util.h"
#include "oracle_support.h"
#include "test_paths.h"
#include "valuepact/core/file_io.h"

namespace valuepact::risk {
namespace {

using valuepact::testing::CliPath;
using valuepact::testing::OracleRow;
using valuepact::testing::ReadOracleCsv;
using valuepact::testing::RunCommand;
using valuepact::testing::SharedDir;
using valuepact::testing::SplitPipes;

std::set<std::string> HccEntries(const std::string& pipes) {
  std::set<std::string> out;
  for (const auto& s : SplitPipes(pipes)) {
    if (s.rfind("HCC", 0) == 0) out.insert(s);
  }
  return out;
}

TEST(CliRisk, RiskScoreReproducesOracleRows) {
  VP_REQUIRE_SHARED();
  const std::string oracle = SharedDir() + "/oracles/cms_hcc_member_scores.csv";
  const std::string dir = valuepact::testing::TempDir("cli");
  for (const char* model : {"V24", "V28"}) {
    SCOPED_TRACE(model);
    const std::string out = fmt::format("{}/{}.csv", dir, model);
    std::string log;
    const int rc = RunCommand(fmt::format("{} risk-score --input {} --model {} --payment-year 2019 "
                                          "--out {} --refdata {}/refdata --trace-dir {}/{}",
                                          CliPath(), oracle, model, out, SharedDir(), dir, model),
                              &log);
    ASSERT_EQ(rc, 0) << log;
    // Output rows in input order; compare those of this model.
    const auto got = ReadOracleCsv(out);
    const auto want = ReadOracleCsv(oracle);
    ASSERT_EQ(got.size(), want.size());
    int compared = 0;
    for (size_t i = 0; i < want.size(); ++i) {
      if (want[i]["hcc_model"] != model || want[i]["esrd"] == "True") continue;
      EXPECT_EQ(got[i]["person_id"], want[i]["person_id"]);
      EXPECT_NEAR(std::stod(got[i]["raw_score"]), std::stod(want[i]["hccpy_risk_score"]), 1e-3)
          << "person " << want[i]["person_id"];
      EXPECT_EQ(HccEntries(got[i]["hccs"]), HccEntries(want[i]["hccpy_hccs"]))
          << "person " << want[i]["person_id"];
      ++compared;
    }
    EXPECT_GT(compared, 40);
    std::string explain;
    ASSERT_EQ(RunCommand(fmt::format("{} explain {}/{} risk.10145.score", CliPath(), dir, model),
                         &explain),
              0)
        << explain;
    EXPECT_NE(explain.find("raw risk score"), std::string::npos) << explain;
  }
}

TEST(CliRisk, RiskOnTuvaDemoData) {
  VP_REQUIRE_SHARED();
  const std::string dir = valuepact::testing::TempDir("risk");
  std::string log;
  const int rc = RunCommand(fmt::format("{} risk --data {}/data/tuva-claims-demo-100 "
                                        "--payment-year 2019 --model V24 --out {} --refdata "
                                        "{}/refdata --threads 2",
                                        CliPath(), SharedDir(), dir, SharedDir()),
                            &log);
  ASSERT_EQ(rc, 0) << log;
  const auto rows = ReadOracleCsv(dir + "/restricted/member_scores.csv");
  EXPECT_GE(rows.size(), 90u);
  for (const auto& r : rows) {
    EXPECT_EQ(r["model"], "V24");
    EXPECT_GT(std::stod(r["raw_score"]), 0.0);
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/restricted/explanations.txt"));
  // Scores name members: only the user who ran the command may read them.
  const auto mode = [](const std::string& p) {
    return static_cast<unsigned>(std::filesystem::status(p).permissions()) & 0777;
  };
  EXPECT_EQ(mode(dir + "/restricted"), 0700u);
  for (const char* f : {"member_scores.csv", "member_trace.json", "explanations.txt"}) {
    EXPECT_EQ(mode(dir + "/restricted/" + f), 0600u) << f;
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/member_scores.csv"));
  std::string listing;
  ASSERT_EQ(RunCommand(fmt::format("{} explain {} risk.{}.score", CliPath(), dir,
                                   rows.front()["person_id"]),
                       &listing),
            0)
      << listing;
  EXPECT_NE(listing.find("Risk score of member"), std::string::npos) << listing;
  // Same bytes with one thread.
  const std::string dir1 = valuepact::testing::TempDir("risk1");
  ASSERT_EQ(RunCommand(fmt::format("{} risk --data {}/data/tuva-claims-demo-100 --payment-year "
                                   "2019 --model V24 --out {} --refdata {}/refdata --threads 1",
                                   CliPath(), SharedDir(), dir1, SharedDir()),
                       &log),
            0)
      << log;
  for (const char* f : {"restricted/member_scores.csv", "restricted/member_trace.json"}) {
    EXPECT_EQ(*ReadWholeFile(dir + "/" + f), *ReadWholeFile(dir1 + "/" + f)) << f;
  }
}

// CCLF input: demographics come from CCLF8 whether or not its delivery gives an enrollment
// period (public samples are named without a year or date).
TEST(CliRisk, RiskOnCclfUsesBeneficiaryDemographics) {
  VP_REQUIRE_SHARED();
  using cclf::testing::Amount;
  using cclf::testing::Record;
  const std::string dir = valuepact::testing::TempDir("cclf");
  auto bene = [](const std::string& mbi, const std::string& dob, const std::string& sex) {
    return Record('8', {{"BENE_MBI_ID", mbi},
                        {"BENE_DOB", dob},
                        {"BENE_SEX_CD", sex},
                        {"BENE_MDCR_STUS_CD", "10"},
                        {"BENE_DUAL_STUS_CD", "NA"},
                        {"BENE_ORGNL_ENTLMT_RSN_CD", "0"}}) +
           "\n";
  };
  // An inpatient stay in 2018 with diabetes (E11.9: V24 HCC19) for the undated beneficiary.
  const std::string claim = Record('1', {{"CUR_CLM_UNIQ_ID", "1000000000001"},
                                         {"PRVDR_OSCAR_NUM", "654321"},
                                         {"BENE_MBI_ID", "2SG0A00AA02"},
                                         {"CLM_TYPE_CD", "60"},
                                         {"CLM_FROM_DT", "2018-03-01"},
                                         {"CLM_THRU_DT", "2018-03-04"},
                                         {"CLM_BILL_FAC_TYPE_CD", "1"},
                                         {"CLM_BILL_CLSFCTN_CD", "1"},
                                         {"CLM_BILL_FREQ_CD", "1"},
                                         {"PRNCPL_DGNS_CD", "E119"},
                                         {"CLM_PMT_AMT", Amount(1000000)},
                                         {"CLM_ADJSMT_TYPE_CD", " 0"},
                                         {"CLM_EFCTV_DT", "2018-04-01"}}) +
                            "\n";
  ASSERT_TRUE(WriteWholeFile(dir + "/P.A1234.ACO.ZC8Y18.D181201.T0100000",
                             bene("1SG0A00AA01", "1950-05-01", "2"))
                  .ok());
  ASSERT_TRUE(WriteWholeFile(dir + "/sample_ZC8", bene("2SG0A00AA02", "1945-07-01", "1")).ok());
  ASSERT_TRUE(WriteWholeFile(dir + "/sample_ZC1", claim).ok());
  const std::string out = dir + "/out";
  std::string log;
  ASSERT_EQ(RunCommand(fmt::format("{} risk --data {} --format cclf --payment-year 2019 --model "
                                   "V24 --out {} --refdata {}/refdata",
                                   CliPath(), dir, out, SharedDir()),
                       &log),
            0)
      << log;
  std::map<std::string, OracleRow> by_person;
  for (auto& r : ReadOracleCsv(out + "/restricted/member_scores.csv"))
    by_person[r["person_id"]] = r;
  ASSERT_EQ(by_person.size(), 2u) << log;
  EXPECT_EQ(by_person["1SG0A00AA01"]["hccs"], "");
  EXPECT_EQ(HccEntries(by_person["2SG0A00AA02"]["hccs"]), (std::set<std::string>{"HCC19"}));
  // Aged 68 (female) and 73 (male) on 1 February 2019: the community, non-dual, aged segment.
  EXPECT_EQ(by_person["1SG0A00AA01"]["segment"], "CNA");
  // The summary lists claim lines refused per reason, even when there are none.
  auto summary = ReadWholeFile(out + "/risk_summary.json");
  ASSERT_TRUE(summary.ok());
  EXPECT_NE(summary->find("\"rejected_lines\""), std::string::npos);
  EXPECT_NE(summary->find("\"duplicate_key\""), std::string::npos);
}

TEST(CliRisk, BadInputIsReportedNotFatal) {
  VP_REQUIRE_SHARED();
  const std::string dir = valuepact::testing::TempDir("bad");
  ASSERT_TRUE(WriteWholeFile(dir + "/p.csv",
                             "person_id,age,sex,orec,medicaid,elig,dx_codes\n"
                             "1,70,M,0,False,,E1169|NOT-A-CODE|I509\n"
                             "2,old,M,0,False,,E1169\n")
                  .ok());
  std::string log;
  const int rc = RunCommand(fmt::format("{} risk-score --input {}/p.csv --model V28 "
                                        "--payment-year 2026 --out {}/s.csv --refdata {}/refdata",
                                        CliPath(), dir, dir, SharedDir()),
                            &log);
  ASSERT_EQ(rc, 0) << log;
  EXPECT_NE(log.find("1 malformed"), std::string::npos) << log;
  EXPECT_NE(log.find("1 rows rejected"), std::string::npos) << log;
  EXPECT_EQ(ReadOracleCsv(dir + "/s.csv").size(), 1u);
  // A missing table is an error naming the file.
  const int rc2 = RunCommand(fmt::format("{} risk-score --input {}/p.csv --model V28 "
                                         "--payment-year 2026 --out {}/s.csv --refdata {}",
                                         CliPath(), dir, dir, dir),
                             &log);
  EXPECT_EQ(rc2, 2) << log;
  EXPECT_NE(log.find("adjustment_rates.csv"), std::string::npos) << log;
}

}  // namespace
}  // namespace valuepact::risk
