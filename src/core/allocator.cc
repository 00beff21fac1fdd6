#include "valuepact/core/allocator.h"

#include <cstdlib>  // defines __GLIBC__ where the C library is glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

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

}  // namespace valuepact
