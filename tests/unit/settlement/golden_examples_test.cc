// Golden cases for the methodology (tests/cases/mssp_*/ and tests/cases/commercial_*/): each
// contract carries [[example]] blocks whose expected figures were derived by hand in the case's
// README.md; `valuepact check` must agree with every one. A case with check.json expects a
// different exit code and messages (a contract whose example fails).
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_paths.h"

namespace valuepact {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  const fs::path root = fs::path(testing::SourceDir()) / "tests" / "cases";
  for (const auto& e : fs::directory_iterator(root)) {
    const std::string n = e.path().filename().string();
    if (!e.is_directory() || !fs::exists(e.path() / "contract.toml")) continue;
    if (n.starts_with("mssp_") || n.starts_with("commercial_")) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

class MethodologyCase : public ::testing::TestWithParam<std::string> {};

TEST_P(MethodologyCase, WorkedExamplesAgreeWithTheEngine) {
  VP_REQUIRE_SHARED();  // variable MSRs read ../shared/refdata
  const fs::path dir = fs::path(testing::SourceDir()) / "tests" / "cases" / GetParam();
  int want_exit = 0;
  std::vector<std::string> want_text;
  if (fs::exists(dir / "check.json")) {
    std::ifstream in(dir / "check.json");
    const auto j = nlohmann::json::parse(in);
    want_exit = j.value("exit", 0);
    for (const auto& s : j.value("output_contains", nlohmann::json::array())) {
      want_text.push_back(s.get<std::string>());
    }
  }
  std::string out;
  const int rc =
      testing::RunCommand(testing::CliPath() + " check " + (dir / "contract.toml").string() +
                              " --refdata " + (fs::path(testing::SharedDir()) / "refdata").string(),
                          &out);
  EXPECT_EQ(rc, want_exit) << out;
  for (const auto& t : want_text) EXPECT_NE(out.find(t), std::string::npos) << t << "\n" << out;
  if (want_exit == 0) EXPECT_EQ(out.find("FAIL"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Cases, MethodologyCase, ::testing::ValuesIn(CaseNames()),
                         [](const auto& info) { return info.param; });

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
