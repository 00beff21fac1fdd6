#include "valuepact/core/date.h"

#include <string>

#include <gtest/gtest.h>

namespace valuepact {
namespace {

TEST(Date, ParsesIsoAndCompact) {
  auto a = ParseDate("2018-03-01");
  auto b = ParseDate("20180301");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->ToString(), "2018-03-01");
  EXPECT_EQ(ParseDate("1970-01-01")->days(), 0);
  EXPECT_EQ(ParseDate("2000-02-29")->days(), 11016);
}

TEST(Date, RejectsOtherShapesAndImpossibleDates) {
  for (const char* bad :
       {"2018-3-1", "03/01/2018", "2018-02-29", "2018-13-01", "20181301", "2018-00-10", "",
        "2018-01-01T00:00", "9999-99-99", "0000-01-01", "2018-01-0a"}) {
    EXPECT_FALSE(ParseDate(bad).ok()) << bad;
  }
  EXPECT_NE(ParseDate("2018-02-29").status().message().find("not a calendar date"),
            std::string::npos);
}

TEST(Date, RoundTripsEveryDayOverCenturies) {
  for (int32_t d = -200000; d < 200000; d += 7) {
    const Date x = Date::FromDays(d);
    EXPECT_EQ(ParseDate(x.ToString())->days(), d);
  }
}

// The quick parse (a table over 1900-2155, the arithmetic elsewhere) reads every day the
// arithmetic gives, in both shapes, on both sides of the table's edges; and refuses the same
// impossible dates, in and out of the table's years.
TEST(Date, QuickParseAgreesWithTheCalendarEverywhere) {
  for (int32_t d = -30000; d < 80000; ++d) {
    const Date x = Date::FromDays(d);
    const std::string iso = x.ToString();
    const std::string compact = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
    Date a, b;
    ASSERT_TRUE(ParseDateTo(iso, &a)) << iso;
    ASSERT_TRUE(ParseDateTo(compact, &b)) << compact;
    ASSERT_EQ(a, x) << iso;
    ASSERT_EQ(b, x) << compact;
  }
  for (const char* bad :
       {"1900-02-29", "2100-02-29", "2155-02-29", "2157-02-29", "1899-02-29", "2018-04-31",
        "2018-12-32", "2018-00-01", "2018-13-01", "2018-06-00", "18990229", "21000229",
        "0000-01-01", "2018-1a-01", "201a-01-01", "2018/01/01", "2018-01-1", " 2018-01-01"}) {
    Date d = Date::FromDays(42);
    EXPECT_FALSE(ParseDateTo(bad, &d)) << bad;
    EXPECT_EQ(d.days(), 42) << bad;
    EXPECT_FALSE(ParseDate(bad).ok()) << bad;
  }
  Date leap;
  ASSERT_TRUE(ParseDateTo("2000-02-29", &leap));
  EXPECT_EQ(leap.days(), 11016);
  ASSERT_TRUE(ParseDateTo("2156-02-29", &leap));  // past the table: the arithmetic
  EXPECT_EQ(leap, Date::FromCivil(2156, 2, 29));
}

TEST(YearMonth, ArithmeticAndBounds) {
  const YearMonth m = YearMonth::Of(2018, 12);
  EXPECT_EQ((m + 1).ToString(), "2019-01");
  EXPECT_EQ((m + 1) - m, 1);
  EXPECT_EQ(YearMonth::Of(2020, 2).last_day().ToString(), "2020-02-29");
  EXPECT_EQ(YearMonth::Of(Date::FromCivil(2018, 7, 31)), YearMonth::Of(2018, 7));
  EXPECT_EQ(YearMonth::Of(1969, 12).year(), 1969);
  EXPECT_EQ(YearMonth::Of(1969, 12).month(), 12u);
}

// The month of a day is that of its civil date, inside the years the lookup table covers
// (1900-2100), at its edges and far outside.
TEST(YearMonth, OfADayIsItsCivilMonthEverywhere) {
  for (int32_t d = -120000; d < 120000; ++d) {
    const Date x = Date::FromDays(d);
    int y = 0;
    unsigned m = 0, day = 0;
    x.ToCivil(&y, &m, &day);
    ASSERT_EQ(YearMonth::Of(x), YearMonth::Of(y, m)) << x.ToString();
  }
  EXPECT_EQ(YearMonth::Of(Date::FromCivil(1899, 12, 31)), YearMonth::Of(1899, 12));
  EXPECT_EQ(YearMonth::Of(Date::FromCivil(1900, 1, 1)), YearMonth::Of(1900, 1));
  EXPECT_EQ(YearMonth::Of(Date::FromCivil(2100, 12, 31)), YearMonth::Of(2100, 12));
  EXPECT_EQ(YearMonth::Of(Date::FromCivil(2101, 1, 1)), YearMonth::Of(2101, 1));
}

}  // namespace
}  // namespace valuepact
