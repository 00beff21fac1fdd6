// Runs every golden case under tests/cases/<case>/ (contract.toml + case.json with the data
// folder and the expected figures, derived by hand in the case's README) through the CLI and
// compares each expected figure with summary.json.
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
    if (!e.is_directory() || !fs::exists(e.path() / "case.json")) continue;
    std::ifstream in(e.path() / "case.json");
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_object() && j.contains("expect") && j.contains("data")) {
      names.push_back(e.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

nlohmann::json ReadJson(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in, nullptr, false);
}

class GoldenCase : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenCase, SettlesToHandDerivedFigures) {
  const fs::path dir = fs::path(testing::SourceDir()) / "tests" / "cases" / GetParam();
  const auto spec = ReadJson(dir / "case.json");
  ASSERT_FALSE(spec.is_discarded());
  if (spec.value("needs_shared", false) && testing::SharedDir().empty()) {
    GTEST_SKIP() << GetParam() << " reads the CMS-HCC tables in ../shared/refdata, which is absent";
  }
  const fs::path data = dir / spec["data"].get<std::string>();
  const std::string out = testing::TempDir(GetParam());
  std::string log;
  const int rc =
      testing::RunCommand(testing::CliPath() + " settle " + (dir / "contract.toml").string() +
                              " --data " + data.string() + " --out " + out,
                          &log);
  ASSERT_EQ(rc, 0) << log;
  const auto summary = ReadJson(fs::path(out) / "summary.json");
  ASSERT_FALSE(summary.is_discarded());
  for (const auto& [pointer, expected] : spec["expect"].items()) {
    const nlohmann::json::json_pointer ptr(pointer);
    ASSERT_TRUE(summary.contains(ptr)) << GetParam() << ": summary.json has no " << pointer;
    EXPECT_EQ(summary[ptr], expected) << GetParam() << ": " << pointer;
  }
  // Every layer amount in the summary has a trace node with the same value.
  const auto trace = ReadJson(fs::path(out) / "trace.json");
  for (const auto& layer : summary["layers"]) {
    bool found = false;
    for (const auto& n : trace["nodes"]) {
      if (n["id"] == layer["trace_id"]) {
        found = true;
        EXPECT_EQ(n["value"], layer["amount"]);
      }
    }
    EXPECT_TRUE(found) << layer["trace_id"];
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenCase, ::testing::ValuesIn(CaseNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace valuepact
