// settle and the contract's own worked examples: a contract whose [[example]] disagrees with the
// engine is refused unless --ignore-examples, and the statement then says so. (`valuepact check`
// on the mssp_* and commercial_* golden cases runs in the golden-case runner, tests/unit/golden.)
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "test_paths.h"

namespace valuepact {
namespace {

namespace fs = std::filesystem;

TEST(ExamplesInSettle, SettleRefusesAContractWhoseExampleFailsUnlessIgnored) {
  const fs::path src = fs::path(testing::SourceDir()) / "tests" / "cases";
  const std::string contract = (src / "commercial_failing_example" / "contract.toml").string();
  const std::string data = (src / "_data" / "small").string();
  const std::string out = testing::TempDir("run");
  std::string log;
  int rc = testing::RunCommand(testing::CliPath() + " settle " + contract + " --data " + data +
                                   " --no-store --out " + out + "/refused",
                               &log);
  EXPECT_EQ(rc, 1) << log;
  EXPECT_NE(log.find("not settling"), std::string::npos) << log;
  EXPECT_FALSE(fs::exists(fs::path(out) / "refused" / "summary.json"));
  rc = testing::RunCommand(testing::CliPath() + " settle " + contract + " --data " + data +
                               " --no-store --ignore-examples --out " + out + "/ignored",
                           &log);
  ASSERT_EQ(rc, 0) << log;
  std::ifstream md(fs::path(out) / "ignored" / "statement.md");
  const std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("--ignore-examples"), std::string::npos) << text;
  EXPECT_NE(text.find("expected 250000.00, the engine gives 245000.00"), std::string::npos) << text;
}

}  // namespace
}  // namespace valuepact
