// RowsInBlocks: the blocks one after another are the rows' text in row order, on any number of
// threads and at any block size.
#include "valuepact/core/text_blocks.h"

#include <string>

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

namespace valuepact {
namespace {

TEST(RowsInBlocks, TheBlocksAreTheRowsInOrder) {
  const auto row = [](size_t i, std::string* out) { *out += std::to_string(i * 7) + "\n"; };
  for (const size_t n : {size_t{0}, size_t{1}, size_t{5}, size_t{100}, size_t{100001}}) {
    std::string want;
    for (size_t i = 0; i < n; ++i) row(i, &want);
    for (const size_t per_block : {size_t{1}, size_t{7}, size_t{4096}}) {
      for (const int threads : {1, 2, 5}) {
        std::string got;
        tbb::task_arena(threads).execute([&] {
          const auto blocks = RowsInBlocks(n, per_block, 8, row);
          EXPECT_EQ(blocks.size(), (n + per_block - 1) / per_block);
          for (const auto& b : blocks) got += b;
        });
        EXPECT_TRUE(got == want) << n << " rows, " << per_block << " a block, " << threads;
      }
    }
  }
}

}  // namespace
}  // namespace valuepact
