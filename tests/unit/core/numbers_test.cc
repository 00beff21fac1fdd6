// Numbers from text: the whole text or nothing, never an exception or a silent zero; long
// lists in notes end with a count.
#include "valuepact/core/numbers.h"

#include <gtest/gtest.h>

#include "valuepact/core/text.h"

namespace valuepact {
namespace {

TEST(Numbers, WholeTextOrNothing) {
  EXPECT_EQ(ParseDouble("0.85"), 0.85);
  EXPECT_EQ(ParseDouble("+3"), 3.0);
  EXPECT_EQ(ParseDouble("-1e-3"), -0.001);
  for (const char* bad : {"", "abc", "1.5x", " 1", "nan", "inf", "1e999", "+"}) {
    EXPECT_FALSE(ParseDouble(bad).has_value()) << bad;
  }
  EXPECT_EQ(ParseInt("42"), 42);
  EXPECT_EQ(ParseInt("-9223372036854775808"), INT64_MIN);
  for (const char* bad : {"", "abc", "12.5", "9223372036854775808", "1 "}) {
    EXPECT_FALSE(ParseInt(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace valuepact

namespace valuepact {
namespace {

TEST(JoinLimited, LongListsEndWithACount) {
  std::vector<std::string> items;
  for (int i = 0; i < 10000000; i += 1000) items.push_back(std::to_string(i));
  EXPECT_EQ(JoinLimited(items, 3), "0, 1000, 2000, … and 9,997 more");
  EXPECT_EQ(JoinLimited({"a", "b"}, 3), "a, b");
  EXPECT_EQ(JoinLimited({"a", "b"}, 0), "… and 2 more");
}

}  // namespace
}  // namespace valuepact
