#include "valuepact/core/allocator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace valuepact {
namespace {

#if defined(__GLIBC__)
// Bytes of free memory the allocator holds after an 8 MiB block is allocated, written and freed.
size_t HeldAfterFreeingABlock() {
  constexpr size_t kBlock = 8u << 20;
  void* p = std::malloc(kBlock);
  if (p == nullptr) return 0;
  std::memset(p, 1, kBlock);
  std::free(p);
  return mallinfo2().fordblks;
}

TEST(AllocatorTest, KeepsAFreedColumnForTheNextOnlyWhenAsked) {
  KeepFreedMemory(true);
  EXPECT_GE(HeldAfterFreeingABlock(), size_t{8} << 20);  // from the heap, kept there
  KeepFreedMemory(false);
  malloc_trim(0);
  EXPECT_LT(HeldAfterFreeingABlock(), size_t{8} << 20);  // its own mapping, given back
}
#else
TEST(AllocatorTest, KeepsAFreedColumnForTheNextOnlyWhenAsked) {
  GTEST_SKIP() << "the allocator settings are glibc's";
}
#endif

}  // namespace
}  // namespace valuepact
