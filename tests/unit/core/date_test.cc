#include "valuepact/core/date.h"

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
