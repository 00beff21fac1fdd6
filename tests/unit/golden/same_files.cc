#include "same_files.h"

#include <cctype>
#include <set>

#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/core/file_io.h"

namespace valuepact::golden {

namespace fs = std::filesystem;

fs::path CasesRoot() { return fs::path(testing::SourceDir()) / "tests" / "cases"; }

std::string CaseTestName(std::string name) {
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

std::map<std::string, std::string> FilesUnder(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    auto bytes = ReadWholeFile(it->path().string());
    out[fs::relative(it->path(), dir).string()] = bytes.ok() ? *bytes : "(unreadable)";
  }
  return out;
}

void ExpectSameFiles(const std::string& first, const std::string& second, const fs::path& first_out,
                     const fs::path& second_out, const std::string& what) {
  std::string out1, out2;
  const int rc1 = testing::RunCommand(first, &out1);
  const int rc2 = testing::RunCommand(second, &out2);
  ASSERT_EQ(rc1, rc2) << what << "\nfirst:\n" << out1 << "\nsecond:\n" << out2;
  const auto a = FilesUnder(first_out), b = FilesUnder(second_out);
  std::set<std::string> names;
  for (const auto& [n, bytes] : a) names.insert(n);
  for (const auto& [n, bytes] : b) names.insert(n);
  for (const auto& n : names) {
    EXPECT_TRUE(a.count(n) && b.count(n)) << what << ": " << n << " written by one run only";
    if (a.count(n) && b.count(n)) {
      EXPECT_TRUE(a.at(n) == b.at(n)) << what << ": " << n << " differs";
    }
  }
}

}  // namespace valuepact::golden
