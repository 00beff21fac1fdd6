#pragma once
// Locations tests use: the source tree, ../shared beside it, and the built CLI.
#include <string>

namespace valuepact::testing {

std::string SourceDir();
// ../shared next to the checkout, or "" when absent (tests then skip with a message).
std::string SharedDir();
std::string CliPath();
// A fresh, empty temporary directory unique to the calling test.
std::string TempDir(const std::string& name);
// Runs a shell command, returns its exit code; stdout+stderr go to *output when given.
int RunCommand(const std::string& cmd, std::string* output = nullptr);

}  // namespace valuepact::testing

#define VP_REQUIRE_SHARED()                                                        \
  do {                                                                             \
    if (::valuepact::testing::SharedDir().empty()) {                               \
      GTEST_SKIP() << "../shared is not beside the checkout; oracle test skipped"; \
    }                                                                              \
  } while (0)
