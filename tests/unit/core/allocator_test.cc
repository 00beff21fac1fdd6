#include "valuepact/core/allocator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "test_paths.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace valuepact {
namespace {

#if defined(__GLIBC__)
constexpr const char* kChild = "VALUEPACT_ALLOCATOR_TEST_CHILD";

// Bytes of free memory the allocator holds after an 8 MiB block is allocated, written and freed.
size_t HeldAfterFreeingABlock() {
  constexpr size_t kBlock = 8u << 20;
  void* p = std::malloc(kBlock);
  if (p == nullptr) return 0;
  std::memset(p, 1, kBlock);
  std::free(p);
  return mallinfo2().fordblks;
}

// glibc's threshold for blocks of their own rises with the blocks a process has freed, so the
// tests run before this one could make a setting that does nothing look as if it held. The
// check runs in a fresh process of this test program, where the threshold is still 128 KiB.
TEST(AllocatorTest, KeepsAFreedColumnForTheNextOnlyWhenAsked) {
  if (std::getenv(kChild) == nullptr) {
    std::error_code ec;
    const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    ASSERT_FALSE(ec) << ec.message();
    std::string out;
    EXPECT_EQ(testing::RunCommand(
                  std::string(kChild) + "=1 '" + self +
                      "' --gtest_filter=AllocatorTest.KeepsAFreedColumnForTheNextOnlyWhenAsked",
                  &out),
              0)
        << out;
    return;
  }
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
