// Every golden case that settles, on its data imported into a dataset cache (`valuepact import
// --contract`): the files the run on the folder writes, byte for byte, with the same exit code.
// A contract that reads the claim lines only for spending reads a few of their columns from the
// cache, with the data-quality tally the cache stores (docs/input-formats.md, "The dataset
// cache"); the others read the cache whole.
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "golden_case.h"
#include "same_files.h"
#include "test_paths.h"

namespace valuepact::golden {
namespace {

namespace fs = std::filesystem;
using testing::CliPath;
using testing::RunCommand;
using testing::SourceDir;
using testing::TempDir;

class CacheCase : public ::testing::TestWithParam<std::string> {};

TEST_P(CacheCase, WritesWhatTheRunOnTheFolderWrites) {
  const std::string name = GetParam();
  GoldenCase c;
  const fs::path dir = CasesRoot() / name;
  ASSERT_TRUE(LoadCase(dir, "tests/cases/" + name, &c).empty());
  if (const std::string why = SkipReason(c); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir(fmt::format("cache_case_{}", name));
  const fs::path folder = work / "folder", cache = work / "cache", vpd = work / "data.vpd";
  std::string out;
  const int imported = RunCommand(
      fmt::format("cd '{}' && env VALUEPACT_VALUESETS='{}/valuesets' '{}' import --data '{}' "
                  "--contract '{}' --out '{}'",
                  dir.string(), SourceDir(), CliPath(), c.data, c.contract, vpd.string()),
      &out);
  if (imported != 0) GTEST_SKIP() << "import refuses the case's data: " << out;
  GoldenCase on_cache = c;
  on_cache.data = vpd.string();
  ExpectSameFiles(CommandLine(c, dir, folder), CommandLine(on_cache, dir, cache), folder, cache,
                  fmt::format("tests/cases/{} on its cache", name));
}

std::vector<std::string> SettleCases() {
  std::vector<std::string> out;
  for (const auto& name : CaseDirectories(CasesRoot())) {
    GoldenCase c;
    if (!LoadCase(CasesRoot() / name, name, &c).empty() || c.data.empty()) continue;
    if (c.command == "settle") out.push_back(name);
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(GoldenCache, CacheCase, ::testing::ValuesIn(SettleCases()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           return CaseTestName(i.param);
                         });

}  // namespace
}  // namespace valuepact::golden
