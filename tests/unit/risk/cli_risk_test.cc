// End to end through the CLI: `valuepact risk-score` on the oracle file's own inputs (it has
// the profile columns) must reproduce hccpy's raw scores and HCCs; `valuepact risk` on the Tuva
// demo data writes scores and explanations that `valuepact explain` can show.
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "oracle_support.h"
#include "test_paths.h"
#include "valuepact/core/mapped_file.h"

namespace valuepact::risk {
namespace {

using valuepact::testing::CliPath;
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
  const auto rows = ReadOracleCsv(dir + "/member_scores.csv");
  EXPECT_GE(rows.size(), 90u);
  for (const auto& r : rows) {
    EXPECT_EQ(r["model"], "V24");
    EXPECT_GT(std::stod(r["raw_score"]), 0.0);
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/explanations.txt"));
  // Same bytes with one thread.
  const std::string dir1 = valuepact::testing::TempDir("risk1");
  ASSERT_EQ(RunCommand(fmt::format("{} risk --data {}/data/tuva-claims-demo-100 --payment-year "
                                   "2019 --model V24 --out {} --refdata {}/refdata --threads 1",
                                   CliPath(), SharedDir(), dir1, SharedDir()),
                       &log),
            0)
      << log;
  for (const char* f : {"member_scores.csv", "trace.json"}) {
    EXPECT_EQ(*ReadWholeFile(dir + "/" + f), *ReadWholeFile(dir1 + "/" + f)) << f;
  }
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
