#include "valuepact/core/allocator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "test_paths.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/mman.h>
#include <unistd.h>

#include <vector>

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

// Every value is zero at the start, small or large (a large one in pages the threads touch
// first), and the array moves and empties as it says.
TEST(ZeroedArray, StartsAtZeroMovesAndEmpties) {
  struct Pair {
    int64_t a;
    uint8_t b;
  };
  for (size_t n : {size_t{1}, size_t{1000}, size_t{16} << 20}) {
    ZeroedArray<uint32_t> a(n);
    ASSERT_EQ(a.size(), n);
    EXPECT_TRUE(std::all_of(a.begin(), a.end(), [](uint32_t v) { return v == 0; })) << n;
    a[n - 1] = 7;
    ZeroedArray<uint32_t> b(std::move(a));
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): a moved-from array is empty
    EXPECT_EQ(b[n - 1], 7u);
    b.clear();
    EXPECT_TRUE(b.empty());
    EXPECT_EQ(b.begin(), b.end());
  }
  ZeroedArray<Pair> p(3);
  EXPECT_EQ(p[2].a, 0);
  EXPECT_EQ(p[2].b, 0);
  EXPECT_TRUE(ZeroedArray<int>(0).empty());
}

// Fresh pages faulted in ahead of their first use are all resident afterwards and read as they
// did: zero where nothing was written, the bytes written elsewhere (the range's first and last
// pages shared with them) unchanged.
TEST(FaultInParallel, PagesAreResidentAndReadAsBefore) {
#ifdef MADV_POPULATE_WRITE
  const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  constexpr size_t kBytes = size_t{24} << 20;
  void* const block =
      mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(block, MAP_FAILED);
  auto* const bytes = static_cast<unsigned char*>(block);
  if (madvise(bytes, page, MADV_POPULATE_WRITE) != 0) {
    munmap(block, kBytes);
    GTEST_SKIP() << "this kernel cannot populate pages ahead (Linux 5.14 and later can)";
  }
  // Written before: a few bytes in the first and last pages the range starts and ends in.
  const size_t from = 3 * page + 17, to = kBytes - 2 * page - 5;
  bytes[from - 1] = 0xA5;
  bytes[to] = 0x5A;
  std::vector<unsigned char> resident((kBytes + page - 1) / page);
  ASSERT_EQ(mincore(block, kBytes, resident.data()), 0);
  const auto count = [&] {
    return std::count_if(resident.begin() + static_cast<std::ptrdiff_t>(from / page),
                         resident.begin() + static_cast<std::ptrdiff_t>((to - 1) / page + 1),
                         [](unsigned char r) { return (r & 1) != 0; });
  };
  const auto pages = static_cast<std::ptrdiff_t>((to - 1) / page - from / page + 1);
  EXPECT_LT(count(), pages);  // not all there before (the test would prove nothing)
  FaultInParallel(bytes + from, to - from);
  ASSERT_EQ(mincore(block, kBytes, resident.data()), 0);
  EXPECT_EQ(count(), pages);
  EXPECT_EQ(bytes[from - 1], 0xA5);
  EXPECT_EQ(bytes[to], 0x5A);
  EXPECT_TRUE(std::all_of(bytes + from, bytes + to, [](unsigned char b) { return b == 0; }));
  munmap(block, kBytes);
#else
  GTEST_SKIP() << "built where the kernel headers have no MADV_POPULATE_WRITE";
#endif
}

}  // namespace
}  // namespace valuepact
