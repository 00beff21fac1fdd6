// The cohort and candidates commands on a golden case: exit codes, files written, and a
// positioned error for a malformed definition.
#include <filesystem>

#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/core/file_io.h"

namespace valuepact::population {
namespace {

TEST(CohortCli, WritesCohortFunnelAttributionAndComparison) {
  const std::string src = testing::SourceDir();
  const std::string out = testing::TempDir("cohort");
  const std::string cmd = testing::CliPath() + " cohort " + src +
                          "/tests/cases/population_serious_illness/contract.toml --data " + src +
                          "/tests/cases/population_serious_illness/data --value-sets " + src +
                          "/valuesets --out " + out + " --compare serious_illness high_risk";
  std::string output;
  ASSERT_EQ(testing::RunCommand(cmd, &output), 0) << output;
  // No [attribution] in this contract: every enrolled member is attributed, and no
  // attribution.csv is written.
  for (const char* f : {"restricted/cohort.csv", "funnel.json", "summary.json", "comparison.json",
                        "trace.json", "restricted/rejects.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
  }
  // Same cohort as the golden case's hand-derived expectation.
  EXPECT_EQ(*ReadWholeFile(out + "/restricted/cohort.csv"),
            *ReadWholeFile(src + "/tests/cases/population_serious_illness/expected/cohort.csv"));
  // serious_illness: P1, P3, P5; high_risk: all six.
  EXPECT_NE(output.find("overlap: 3 in both, 0 only in serious_illness, 3 only in high_risk"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("Eligible 2 -> referred 2 -> assessed 1 -> enrolled 1 -> active 1"),
            std::string::npos)
      << output;
}

TEST(CohortCli, CandidatesAndErrors) {
  const std::string src = testing::SourceDir();
  const std::string base = src + "/tests/cases/population_serious_illness";
  std::string output;
  // P1 and P5 are eligible; both were referred only after the period start, so both are
  // candidates as of 2018-01-01. P5: 0 admissions, 2 ED visits, cost 180 + 900 + 200 + 150 =
  // 1430 -> 4.143; P1: 1 admission, cost 120 + 9000 = 9120 -> 3.912.
  ASSERT_EQ(
      testing::RunCommand(testing::CliPath() + " candidates " + base + "/contract.toml --data " +
                              base + "/data --value-sets " + src + "/valuesets",
                          &output),
      0)
      << output;
  EXPECT_NE(output.find("1,P5,4.1430,0,2,1430.00,\n2,P1,3.9120,1,0,9120.00,"), std::string::npos)
      << output;
  // As of 2018-03-02 both have a referral: nobody is left.
  ASSERT_EQ(
      testing::RunCommand(testing::CliPath() + " candidates " + base + "/contract.toml --data " +
                              base + "/data --value-sets " + src + "/valuesets --as-of 2018-03-02",
                          &output),
      0);
  EXPECT_EQ(output.find("P1"), std::string::npos) << output;
  // A malformed --definition is a usage error with a position.
  EXPECT_EQ(testing::RunCommand(testing::CliPath() + " candidates " + base +
                                    "/contract.toml --data " + base + "/data --value-sets " + src +
                                    "/valuesets --definition 'serious_ilness and dual'",
                                &output),
            2);
  EXPECT_NE(output.find("line 1, column 1: unknown name 'serious_ilness' (did you mean "
                        "'serious_illness'?)"),
            std::string::npos)
      << output;
}

}  // namespace
}  // namespace valuepact::population
