// Numbers from text: the whole text or nothing, never an exception or a silent zero.
#include "valuepact/core/numbers.h"

#include <gtest/gtest.h>

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
