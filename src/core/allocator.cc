#include "valuepact/core/allocator.h"

#include <cstdlib>  // defines __GLIBC__ where the C library is glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

#include <tbb/parallel_for.h>

namespace valuepact {

void KeepFreedMemory(bool on) {
#if defined(__GLIBC__)
  // glibc's defaults: a 128 KiB threshold that rises with freed blocks (setting any of these
  // fixes it), trimming past 128 KiB, no extra padding.
  constexpr int kMiB = 1 << 20;
  mallopt(M_MMAP_THRESHOLD, on ? 32 * kMiB : 128 * 1024);
  mallopt(M_TRIM_THRESHOLD, on ? 1 << 30 : 128 * 1024);
  mallopt(M_TOP_PAD, on ? 64 * kMiB : 0);
#else
  (void)on;
#endif
}

void FaultInParallel(void* p, size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  constexpr size_t kPiece = size_t{2} << 20;
  if (p == nullptr || bytes < 4 * kPiece) return;
  static const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  // Whole pages (the first and last may hold other bytes, which a fault leaves as they are), in
  // pieces that each lie within one 2 MiB page, so that no huge page is faulted from two threads.
  const uintptr_t from = reinterpret_cast<uintptr_t>(p) & ~(page - 1);
  const uintptr_t to = reinterpret_cast<uintptr_t>(p) + bytes;
  const uintptr_t base = from & ~(uintptr_t{kPiece} - 1);
  const size_t pieces = (to - base + kPiece - 1) / kPiece;
  tbb::parallel_for(size_t{0}, pieces, [&](size_t i) {
    const uintptr_t at = std::max(from, base + i * kPiece);
    const uintptr_t end = std::min(to, base + (i + 1) * kPiece);
    // NOLINTNEXTLINE(performance-no-int-to-ptr): the pages of the caller's own block
    (void)madvise(reinterpret_cast<void*>(at), end - at, MADV_POPULATE_WRITE);
  });
#else
  (void)p;
  (void)bytes;
#endif
}

}  // namespace valuepact
