// Large runs on transparent huge pages.
//
// A run holds its input files and its columns in memory: gigabytes on a payer's feed. With 4 KiB
// pages the kernel takes one fault per page and zeroes each, and every column scan walks the
// TLB; on the virtual machines partners run on, that was close to half of a settlement's wall
// time (bench/results.md). Debian's kernels give huge pages only to memory that asks for them
// (transparent_hugepage = madvise), and glibc asks only when the tunable glibc.malloc.hugetlb=1
// is in the environment when the process starts. So valuepact starts itself once more with the
// tunable set. VALUEPACT_HUGE_PAGES=0 turns this off (for instance under valgrind, which does
// not follow the second start). Nothing a run computes depends on it.
#include "cli/command.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace valuepact::cli {
namespace {

constexpr const char* kTunable = "glibc.malloc.hugetlb=1";

// True when the kernel can give huge pages to memory that asks ("always" or "madvise").
bool KernelOffersHugePages() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  if (!std::getline(f, line)) return false;
  return line.find("[never]") == std::string::npos;
}

}  // namespace

void StartOnHugePages(char** argv) {
  const char* opt = std::getenv("VALUEPACT_HUGE_PAGES");
  if (opt != nullptr && std::strcmp(opt, "0") == 0) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const std::string current = tunables != nullptr ? tunables : "";
  if (current.find("glibc.malloc.hugetlb") != std::string::npos) return;  // already started so
  if (!KernelOffersHugePages()) return;
  const std::string next = current.empty() ? kTunable : current + ":" + kTunable;
  if (setenv("GLIBC_TUNABLES", next.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Still here: the second start failed (no /proc, say). Run as started, without the tunable
  // in the environment of anything this process starts.
  if (tunables != nullptr) {
    setenv("GLIBC_TUNABLES", tunables, 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
}

}  // namespace valuepact::cli
