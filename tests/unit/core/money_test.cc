#include "valuepact/core/money.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace valuepact {
namespace {

Money P(std::string_view s) {
  auto r = ParseMoney(s);
  EXPECT_TRUE(r.ok()) << s << ": " << r.status().message();
  return r.ok() ? r->value : Money();
}

TEST(Money, ParsesExactDecimals) {
  EXPECT_EQ(P("-1234.5").cents(), -123450);
  EXPECT_EQ(P("0").cents(), 0);
  EXPECT_EQ(P("7").cents(), 700);
  EXPECT_EQ(P("+7.01").cents(), 701);
  EXPECT_EQ(P(".5").cents(), 50);
  EXPECT_EQ(P("5.").cents(), 500);
  EXPECT_EQ(P("163818.97").cents(), 16381897);
  // 0.1 + 0.2 has no float round trip: 30 cents exactly.
  EXPECT_EQ((P("0.1") + P("0.2")).cents(), 30);
}

TEST(Money, RoundsHalfAwayFromZeroAndReportsIt) {
  auto r = ParseMoney("12.345");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value.cents(), 1235);
  EXPECT_TRUE(r->rounded);
  r = ParseMoney("-12.345");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value.cents(), -1235);
  r = ParseMoney("12.344999");
  EXPECT_EQ(r->value.cents(), 1234);
  EXPECT_TRUE(r->rounded);
  r = ParseMoney("12.3400");
  EXPECT_EQ(r->value.cents(), 1234);
  EXPECT_FALSE(r->rounded);
}

TEST(Money, RejectsNonDecimals) {
  for (const char* bad : {"", "-", "+", ".", "1e3", "1,000.00", " 1", "1 ", "abc", "1.2.3", "$5",
                          "99999999999999999999"}) {
    EXPECT_FALSE(ParseMoney(bad).ok()) << bad;
  }
}

// Amounts of the usual shape (digits, a point, two digits) are read by a quick path; with a
// plus sign in front the same amount takes the general one. Both give the same cents, and an
// amount of that length with any byte that is not a digit is refused by both.
TEST(Money, UsualShapeReadsAsTheGeneralReadingDoes) {
  std::string whole;
  for (int digits = 1; digits <= 14; ++digits) {
    whole += static_cast<char>('0' + (digits * 7) % 10);
    for (const char* cents : {"00", "05", "50", "99"}) {
      const std::string s = whole + "." + cents;
      const auto quick = ParseMoney(s), general = ParseMoney("+" + s);
      ASSERT_TRUE(quick.ok()) << s;
      ASSERT_TRUE(general.ok()) << s;
      EXPECT_EQ(quick->value.cents(), general->value.cents()) << s;
      EXPECT_EQ(quick->value.cents(), std::stoll(whole) * 100 + std::stoll(cents)) << s;
      EXPECT_FALSE(quick->rounded) << s;
      for (size_t at = 0; at < s.size(); ++at) {
        if (s[at] == '.') continue;
        for (char c : {'/', ':', 'a', ' ', '.', '\x80', '\0'}) {
          std::string bad = s;
          bad[at] = c;
          EXPECT_FALSE(ParseMoney(bad).ok()) << bad;
        }
      }
    }
  }
}

TEST(Money, FormatsTwoPlaces) {
  EXPECT_EQ(Money::FromCents(-5).ToString(), "-0.05");
  EXPECT_EQ(Money::FromCents(123450).ToString(), "1234.50");
  EXPECT_EQ(Money::FromCents(0).ToString(), "0.00");
  EXPECT_EQ(Money::FromCents(INT64_MIN).ToString(), "-92233720368547758.08");
  EXPECT_EQ(Money::FromCents(INT64_MAX).ToString(), "92233720368547758.07");
  EXPECT_EQ(Money::FromCents(-100).ToString(), "-1.00");
  EXPECT_EQ(Money::FromCents(7).ToString(), "0.07");
  // Against the plain formula, over amounts of every length; AppendTo appends the same.
  std::string appended = "x";
  for (int64_t c = -123456789012345; c != 0; c /= 7) {
    for (int64_t v : {c, -c, c + 1, c - 99}) {
      const uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
      const std::string want = fmt::format("{}{}.{:02d}", v < 0 ? "-" : "", mag / 100, mag % 100);
      EXPECT_EQ(Money::FromCents(v).ToString(), want);
      Money::FromCents(v).AppendTo(&appended);
      EXPECT_EQ(appended, "x" + want);
      appended = "x";
    }
  }
  // WriteTo writes the same characters and says where they end, at most kMaxChars of them.
  for (int64_t v : {INT64_MIN, INT64_MAX, int64_t{0}, int64_t{-5}, int64_t{123456}}) {
    char buf[Money::kMaxChars + 1];
    buf[Money::kMaxChars] = '#';
    const char* end = Money::FromCents(v).WriteTo(buf);
    EXPECT_EQ(std::string(static_cast<const char*>(buf), end), Money::FromCents(v).ToString());
    EXPECT_LE(end - buf, static_cast<std::ptrdiff_t>(Money::kMaxChars));
    EXPECT_EQ(buf[Money::kMaxChars], '#');
  }
}

TEST(Money, RoundToCentsIsHalfAwayFromZero) {
  EXPECT_EQ(RoundToCents(0.125L).cents(), 13);
  EXPECT_EQ(RoundToCents(-0.125L).cents(), -13);
  EXPECT_EQ(RoundToCents(0.124L).cents(), 12);
  EXPECT_EQ(RoundToCents(1234.565L).cents(), 123457);
  EXPECT_EQ(RoundCentsHalfAway(2.5L).cents(), 3);
  EXPECT_EQ(RoundCentsHalfAway(-2.5L).cents(), -3);
}

}  // namespace
}  // namespace valuepact

namespace valuepact {
namespace {

TEST(MoneyChecked, EveryOperationThrowsInsteadOfWrapping) {
  const Money big = Money::FromCents(INT64_MAX - 5);
  EXPECT_THROW((void)(big + Money::FromCents(10)), MoneyOverflow);
  EXPECT_THROW((void)(-big - Money::FromCents(10)), MoneyOverflow);
  EXPECT_THROW((void)(big * 2), MoneyOverflow);
  EXPECT_THROW((void)(-Money::FromCents(INT64_MIN)), MoneyOverflow);
  EXPECT_THROW((void)Money::FromUnits(INT64_MAX / 10), MoneyOverflow);
  Money m = big;
  EXPECT_THROW(m += Money::FromCents(6), MoneyOverflow);
  EXPECT_EQ(m, big);  // unchanged
  EXPECT_THROW(RoundToCents(1e30L), MoneyOverflow);
  EXPECT_THROW(RoundToCents(std::numeric_limits<long double>::quiet_NaN()), MoneyOverflow);
  EXPECT_EQ((big + Money::FromCents(5)).cents(), INT64_MAX);
  try {
    (void)(big + big);
  } catch (const MoneyOverflow& e) {
    EXPECT_NE(std::string(e.what()).find("does not fit in cents"), std::string::npos);
  }
}

}  // namespace
}  // namespace valuepact
