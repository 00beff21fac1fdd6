#include "test_paths.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

namespace valuepact::testing {

std::string SourceDir() { return VALUEPACT_SOURCE_DIR; }

std::string SharedDir() {
  const auto p = std::filesystem::path(VALUEPACT_SOURCE_DIR).parent_path() / "shared";
  return std::filesystem::is_directory(p) ? p.string() : std::string();
}

std::string CliPath() { return VALUEPACT_CLI; }

std::string TempDir(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string leaf = name;
  if (info != nullptr)
    leaf = std::string(info->test_suite_name()) + "." + info->name() + "." + name;
  const auto p = std::filesystem::temp_directory_path() /
                 ("valuepact-test-" + std::to_string(getpid())) / leaf;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

int RunCommand(const std::string& cmd, std::string* output) {
  std::string full = cmd + " 2>&1";
  FILE* f = popen(full.c_str(), "r");
  if (f == nullptr) return -1;
  std::array<char, 4096> buf{};
  std::string out;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) out.append(buf.data(), n);
  const int rc = pclose(f);
  if (output != nullptr) *output = out;
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace valuepact::testing
