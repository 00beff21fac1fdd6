// The `valuepact` launcher (src/launcher/valuepact.cc): starts valuepact-engine beside it with
// the same arguments, glibc's huge-page tunable added where the kernel offers huge pages.
// Each test copies the launcher next to a stand-in engine that prints what it was given.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "test_paths.h"

namespace valuepact {
namespace {

namespace fs = std::filesystem;
using testing::CliPath;
using testing::RunCommand;
using testing::TempDir;

// True when the kernel gives huge pages to memory that asks (the launcher's own test).
bool KernelOffersHugePages() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  return std::getline(f, line) && line.find("[never]") == std::string::npos;
}

// A folder holding a copy of the launcher and, unless `with_engine` is false, a stand-in
// engine that prints GLIBC_TUNABLES, then each argument in brackets, and exits with 7.
fs::path LauncherBeside(const std::string& tag, bool with_engine = true) {
  fs::path dir = TempDir(tag);
  fs::copy_file(CliPath(), dir / "valuepact");
  if (with_engine) {
    std::ofstream(dir / "valuepact-engine")
        << "#!/bin/sh\n"
           "printf 'tunables=%s\\n' \"${GLIBC_TUNABLES-unset}\"\n"
           "for a in \"$@\"; do printf '[%s]' \"$a\"; done\n"
           "exit 7\n";
    fs::permissions(dir / "valuepact-engine", fs::perms::owner_all, fs::perm_options::add);
  }
  return dir;
}

std::string Expected(const std::string& before) {
  if (!KernelOffersHugePages()) return before.empty() ? "unset" : before;
  return before.empty() ? "glibc.malloc.hugetlb=1" : before + ":glibc.malloc.hugetlb=1";
}

TEST(Launcher, StartsTheEngineBesideItWithTheSameArguments) {
  const fs::path dir = LauncherBeside("args");
  std::string out;
  EXPECT_EQ(RunCommand("env -u GLIBC_TUNABLES -u VALUEPACT_HUGE_PAGES " +
                           (dir / "valuepact").string() + " settle 'a b' --out ''",
                       &out),
            7)
      << out;
  EXPECT_NE(out.find("tunables=" + Expected("") + "\n"), std::string::npos) << out;
  // Every argument arrives unchanged, the empty one too.
  EXPECT_NE(out.find("\n[settle][a b][--out][]"), std::string::npos) << out;
}

TEST(Launcher, KeepsTunablesAlreadySet) {
  const fs::path dir = LauncherBeside("keep");
  std::string out;
  RunCommand("GLIBC_TUNABLES=glibc.malloc.check=0 " + (dir / "valuepact").string(), &out);
  EXPECT_NE(out.find("tunables=" + Expected("glibc.malloc.check=0") + "\n"), std::string::npos)
      << out;
  // A huge-page setting of the user's own is left as it is.
  RunCommand("GLIBC_TUNABLES=glibc.malloc.hugetlb=0 " + (dir / "valuepact").string(), &out);
  EXPECT_NE(out.find("tunables=glibc.malloc.hugetlb=0\n"), std::string::npos) << out;
}

TEST(Launcher, HugePagesCanBeTurnedOff) {
  const fs::path dir = LauncherBeside("off");
  std::string out;
  RunCommand("env -u GLIBC_TUNABLES VALUEPACT_HUGE_PAGES=0 " + (dir / "valuepact").string(), &out);
  EXPECT_NE(out.find("tunables=unset\n"), std::string::npos) << out;
}

TEST(Launcher, MissingEngineIsAnErrorThatNamesIt) {
  const fs::path dir = LauncherBeside("missing", false);
  std::string out;
  EXPECT_EQ(RunCommand((dir / "valuepact").string() + " --version", &out), 127) << out;
  EXPECT_NE(out.find("valuepact: cannot start " + (dir / "valuepact-engine").string()),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace valuepact
