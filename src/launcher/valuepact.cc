// `valuepact`: starts the engine, `valuepact-engine` beside it, on transparent huge pages.
//
// A run holds its input files and its columns in memory: gigabytes on a payer's feed. With 4 KiB
// pages the kernel takes one fault per page and zeroes each, and every column scan walks the
// TLB; on the virtual machines partners run on, that was close to half of a settlement's wall
// time (bench/results.md). Debian's kernels give huge pages only to memory that asks for them
// (transparent_hugepage = madvise), and glibc asks only when the tunable glibc.malloc.hugetlb=1
// is in the environment when the process starts. So this program sets the tunable and starts
// the engine with the same arguments. It links nothing but the C library, so it starts in about
// a millisecond, where the engine (linked against some fifty shared libraries) takes tens of
// milliseconds: the engine used to start itself a second time instead.
//
// VALUEPACT_HUGE_PAGES=0 leaves the tunable out. Nothing a run computes depends on it. Run
// `valuepact-engine` directly under valgrind (callgrind, massif), which follows no second start.
//
// Only the C library is used here (no exceptions, no C++ library), so that the program needs no
// other shared library at start-up.
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr const char* kTunable = "glibc.malloc.hugetlb=1";
constexpr const char* kEngine = "valuepact-engine";

// True when the kernel can give huge pages to memory that asks ("always" or "madvise").
bool KernelOffersHugePages() {
  std::FILE* f = std::fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  if (f == nullptr) return false;
  char line[256];
  const bool offers =
      std::fgets(line, sizeof line, f) != nullptr && std::strstr(line, "[never]") == nullptr;
  std::fclose(f);
  return offers;
}

// Adds the tunable to GLIBC_TUNABLES (keeping what is there) for the engine to start with.
void AskForHugePages() {
  const char* opt = std::getenv("VALUEPACT_HUGE_PAGES");
  if (opt != nullptr && std::strcmp(opt, "0") == 0) return;
  const char* current = std::getenv("GLIBC_TUNABLES");
  if (current != nullptr && std::strstr(current, "glibc.malloc.hugetlb") != nullptr) return;
  if (!KernelOffersHugePages()) return;
  char next[4096];
  const int n = current != nullptr && *current != '\0'
                    ? std::snprintf(next, sizeof next, "%s:%s", current, kTunable)
                    : std::snprintf(next, sizeof next, "%s", kTunable);
  if (n < 0 || static_cast<size_t>(n) >= sizeof next) return;  // left as it was
  setenv("GLIBC_TUNABLES", next, 1);
}

// The engine's path: the folder of this program's own file (or of argv[0]), then kEngine.
bool EnginePath(const char* argv0, char* out, size_t size) {
  char self[PATH_MAX];
  const ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
  const char* path = nullptr;
  if (len > 0) {
    self[len] = '\0';
    path = self;
  } else if (argv0 != nullptr && std::strchr(argv0, '/') != nullptr) {
    path = argv0;
  } else {
    return false;
  }
  const size_t folder = static_cast<size_t>(std::strrchr(path, '/') - path) + 1;
  if (folder + std::strlen(kEngine) + 1 > size) return false;
  std::memcpy(out, path, folder);
  std::strcpy(out + folder, kEngine);
  return true;
}

}  // namespace

int main(int /*argc*/, char** argv) {
  AskForHugePages();
  char engine[PATH_MAX];
  if (EnginePath(argv[0], engine, sizeof engine)) {
    execv(engine, argv);
    std::fprintf(stderr, "valuepact: cannot start %s: %s (it is built beside valuepact)\n", engine,
                 std::strerror(errno));
    return 127;
  }
  execvp(kEngine, argv);
  std::fprintf(stderr, "valuepact: cannot start %s from PATH: %s\n", kEngine, std::strerror(errno));
  return 127;
}
