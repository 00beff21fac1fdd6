// The golden-case runner: every folder under tests/cases/ (except _data and other names starting
// with '_') is one case, described by its case.toml and derived by hand in its README.md. Each
// case runs the CLI into a temporary folder and must match every expectation; a malformed case
// fails here too. docs/testing.md describes the format.
#include <filesystem>

#include <gtest/gtest.h>

#include "golden_case.h"
#include "test_paths.h"

namespace valuepact::golden {
namespace {

namespace fs = std::filesystem;

fs::path CasesRoot() { return fs::path(testing::SourceDir()) / "tests" / "cases"; }

class GoldenCaseTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenCaseTest, MatchesItsExpectations) {
  const std::string name = GetParam();
  const std::string display = "tests/cases/" + name;
  GoldenCase c;
  const auto problems = LoadCase(CasesRoot() / name, display, &c);
  for (const auto& p : problems) ADD_FAILURE() << p;
  if (!problems.empty()) return;
  if (const std::string why = SkipReason(c); !why.empty()) {
    GTEST_SKIP() << display << " skipped: " << why;
  }
  for (const auto& m : RunCase(c, CasesRoot() / name, testing::TempDir(name))) {
    ADD_FAILURE() << display << ": " << m;
  }
}

// gtest names allow letters, digits and '_' only; the failure messages carry the real name.
std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (char& ch : n) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenCaseTest, ::testing::ValuesIn(CaseDirectories(CasesRoot())),
                         TestName);

TEST(GoldenCases, TheCasesFolderHoldsCases) {
  EXPECT_FALSE(CaseDirectories(CasesRoot()).empty()) << CasesRoot();
}

}  // namespace
}  // namespace valuepact::golden
