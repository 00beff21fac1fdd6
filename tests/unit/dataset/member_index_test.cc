// IndexByMember: each member's rows in row order, the same on one thread as on several (the rows
// are counted and placed in parts, one per thread up to four).
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include "valuepact/dataset/dataset.h"

namespace valuepact {
namespace {

struct PlainIndex {
  std::vector<uint32_t> offsets, order;
};

// The index as a plain stable counting sort on one pass gives it.
PlainIndex Expected(const std::vector<uint32_t>& member_of_row, uint32_t members) {
  PlainIndex idx;
  idx.offsets.assign(members + 1, 0);
  for (uint32_t m : member_of_row) ++idx.offsets[m + 1];
  for (uint32_t m = 0; m < members; ++m) idx.offsets[m + 1] += idx.offsets[m];
  std::vector<uint32_t> at(idx.offsets.begin(), idx.offsets.end() - 1);
  idx.order.resize(member_of_row.size());
  for (uint32_t r = 0; r < member_of_row.size(); ++r) idx.order[at[member_of_row[r]]++] = r;
  return idx;
}

std::vector<uint32_t> Values(const ZeroedArray<uint32_t>& a) { return {a.begin(), a.end()}; }

TEST(IndexByMember, EachMembersRowsInRowOrderOnAnyNumberOfThreads) {
  std::mt19937 rng(7);
  for (const auto& [rows, members] : {std::pair<uint32_t, uint32_t>{0, 0},
                                      {0, 5},
                                      {1, 1},
                                      {10, 3},
                                      {300000, 1000},
                                      {500000, 200000}}) {
    std::vector<uint32_t> member_of_row(rows);
    for (auto& m : member_of_row) m = members == 0 ? 0 : rng() % members;
    const PlainIndex want = Expected(member_of_row, members);
    for (int threads : {1, 2, 3, 8}) {
      tbb::task_arena arena(threads);
      MemberIndex got;
      arena.execute([&] { got = IndexByMember(member_of_row, members); });
      EXPECT_EQ(Values(got.offsets), want.offsets) << rows << " rows, " << threads << " threads";
      EXPECT_TRUE(Values(got.order) == want.order) << rows << " rows, " << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace valuepact
