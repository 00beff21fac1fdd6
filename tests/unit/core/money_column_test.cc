// A column of amounts gives back every Money it was given, four bytes a row for amounts within
// int32 cents and whole beside the column for the rest, through every change the dataset makes.
#include "valuepact/core/money_column.h"

#include <numeric>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace valuepact {
namespace {

constexpr int64_t kMark = -2'147'483'648;  // the four-byte value kept for a wide row's mark

Money C(int64_t cents) { return Money::FromCents(cents); }

std::vector<int64_t> Cents(const MoneyColumn& c) {
  std::vector<int64_t> out;
  for (Money m : c) out.push_back(m.cents());
  return out;
}

TEST(MoneyColumn, KeepsEveryAmountWhateverItsSize) {
  const std::vector<int64_t> values = {
      0, 1, -1, 2'147'483'647, 2'147'483'648, kMark, -2'147'483'649, INT64_MAX, INT64_MIN, 12'345};
  MoneyColumn c;
  for (int64_t v : values) c.push_back(C(v));
  EXPECT_EQ(c.size(), values.size());
  EXPECT_EQ(Cents(c), values);
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(c[i].cents(), values[i]) << i;
  EXPECT_EQ(c.back().cents(), 12'345);
  // Iterators walk it as a vector's do.
  EXPECT_EQ(c.end() - c.begin(), static_cast<std::ptrdiff_t>(values.size()));
  EXPECT_EQ((*(c.begin() + 4)).cents(), 2'147'483'648);
  EXPECT_EQ(std::accumulate(c.begin(), c.begin() + 4, Money()).cents(), 2'147'483'647);
}

TEST(MoneyColumn, SetTurnsRowsWideAndBack) {
  MoneyColumn c(5);
  c.Set(3, C(5'000'000'000));
  c.Set(1, C(kMark));
  c.Set(4, C(7));
  EXPECT_EQ(Cents(c), (std::vector<int64_t>{0, kMark, 0, 5'000'000'000, 7}));
  c.Set(3, C(-6'000'000'000));  // wide to wide
  c.Set(1, C(42));              // wide to narrow
  EXPECT_EQ(Cents(c), (std::vector<int64_t>{0, 42, 0, -6'000'000'000, 7}));
  MoneyColumn same(5);
  same.Set(1, C(42));
  same.Set(4, C(7));
  same.Set(3, C(-6'000'000'000));
  EXPECT_TRUE(c == same);  // the same rows, however they were written
}

TEST(MoneyColumn, KeepIfResizeAndInsertMoveTheWideRowsWithTheirRows) {
  MoneyColumn c{C(1), C(10'000'000'000), C(2), C(kMark), C(3), C(-9'000'000'000)};
  MoneyColumn kept = c;
  kept.KeepIf(0, [](size_t row) { return row != 0 && row != 3; });
  EXPECT_EQ(Cents(kept), (std::vector<int64_t>{10'000'000'000, 2, 3, -9'000'000'000}));
  // Rows before `first` stay whatever keep() would say of them; it is not asked.
  MoneyColumn tail = c;
  tail.KeepIf(2, [](size_t row) { return row == 5; });
  EXPECT_EQ(Cents(tail), (std::vector<int64_t>{1, 10'000'000'000, -9'000'000'000}));
  MoneyColumn shorter = c;
  shorter.resize(2);
  shorter.resize(3);
  EXPECT_EQ(Cents(shorter), (std::vector<int64_t>{1, 10'000'000'000, 0}));
  MoneyColumn joined{C(kMark)};
  joined.insert(joined.end(), c.begin() + 3, c.end());
  joined.insert(joined.end(), kept.begin(), kept.end());
  EXPECT_EQ(Cents(joined), (std::vector<int64_t>{kMark, kMark, 3, -9'000'000'000, 10'000'000'000, 2,
                                                 3, -9'000'000'000}));
  EXPECT_THROW(joined.insert(joined.begin(), c.begin(), c.end()), std::logic_error);
  EXPECT_THROW(joined.insert(joined.end(), joined.begin(), joined.end()), std::logic_error);
  joined.clear();
  EXPECT_TRUE(joined.empty());
  joined.push_back(C(5));
  EXPECT_EQ(Cents(joined), (std::vector<int64_t>{5}));
}

}  // namespace
}  // namespace valuepact
