// `valuepact scenarios` on a preset-only contract: ignored columns, notes, bad rows.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "test_paths.h"

namespace valuepact {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ScenariosCli, PresetOnlyContractSettlesRowsAndExplainsZeroes) {
  VP_REQUIRE_SHARED();
  const fs::path dir = testing::TempDir("scen");
  std::ofstream(dir / "c.toml")
      << "[contract]\nid = \"t1\"\npreset = \"mssp-track-1\"\nperformance_year = 2017\n";
  // Hand derivation (Track 1, PY2017): n = 20,000 → MSR 2.5%.
  //  a: savings 5,000,000 (5%) → 0.5 × 0.9 × 5,000,000 × 0.98 = 2,205,000.00
  //  b: losses on a one-sided track → 0.00 with a note
  //  c: savings 1% < 2.5% → 0.00 with a note
  //  d: quality standard not met → 0.00 with a note
  //  e: expenditure is not a number → error row
  std::ofstream(dir / "in.csv")
      << "id,assigned_beneficiaries,benchmark_total,expenditure_total,quality_score,"
         "quality_standard_met,region\n"
         "a,20000,100000000,95000000,0.9,1,north\n"
         "b,20000,100000000,104000000,0.9,1,north\n"
         "c,20000,100000000,99000000,0.9,1,south\n"
         "d,20000,100000000,95000000,0.3,0,south\n"
         "e,20000,100000000,lots,0.9,1,south\n";
  std::string log;
  const int rc = testing::RunCommand(
      testing::CliPath() + " scenarios " + (dir / "c.toml").string() + " --input " +
          (dir / "in.csv").string() + " --out " + (dir / "out.csv").string() + " --refdata " +
          testing::SharedDir() + "/refdata",
      &log);
  EXPECT_EQ(rc, 2) << log;  // row e
  EXPECT_NE(log.find("ignored column not used by scenarios: region"), std::string::npos) << log;
  const std::string out = Slurp(dir / "out.csv");
  EXPECT_NE(out.find("id,savings_rate,minimum_savings_rate,minimum_loss_rate,final_sharing_rate,"
                     "shared_loss_rate,earned_savings_losses,limit_applied,note\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("a,0.05,0.025,,0.45,,2205000.00,,\n"), std::string::npos) << out;
  EXPECT_NE(out.find("b,-0.04,0.025,,0.45,,0.00,,\"losses, but the arrangement is one-sided\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("c,0.01,0.025,,0.45,,0.00,,savings below the MSR"), std::string::npos) << out;
  EXPECT_NE(out.find("d,0.05,0.025,,0,,0.00,,quality standard not met: no shared savings"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("e,,,,,,,,error: "), std::string::npos) << out;
  EXPECT_NE(out.find("in.csv:6: expenditure_total: 'lots' is not a decimal amount"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace valuepact
