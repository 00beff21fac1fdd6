#include "valuepact/core/date.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace valuepact {
namespace {

// Days from civil and back: the proleptic Gregorian algorithms of H. Hinnant
// ("chrono-Compatible Low-Level Date Algorithms"), restated.
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

void CivilFromDays(int32_t z, int* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int>(yoe) + era * 400 + (*m <= 2);
}

bool ParseDigits(std::string_view s, int* out) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

int FullYears(Date birth, Date on) {
  int by = 0, oy = 0;
  unsigned bm = 0, bd = 0, om = 0, od = 0;
  birth.ToCivil(&by, &bm, &bd);
  on.ToCivil(&oy, &om, &od);
  int years = oy - by;
  if (om < bm || (om == bm && od < bd)) --years;
  return years;
}

unsigned DaysInMonth(int year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

bool IsValidCivil(int year, unsigned month, unsigned day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

Date Date::FromCivil(int year, unsigned month, unsigned day) {
  return Date(DaysFromCivil(year, month, day));
}

void Date::ToCivil(int* year, unsigned* month, unsigned* day) const {
  CivilFromDays(days_, year, month, day);
}
int Date::year() const {
  int y;
  unsigned m, d;
  ToCivil(&y, &m, &d);
  return y;
}
unsigned Date::month() const {
  int y;
  unsigned m, d;
  ToCivil(&y, &m, &d);
  return m;
}
unsigned Date::day() const {
  int y;
  unsigned m, d;
  ToCivil(&y, &m, &d);
  return d;
}

std::string Date::ToString() const {
  int y;
  unsigned m, d;
  ToCivil(&y, &m, &d);
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
}

Result<Date> ParseDate(std::string_view s) {
  int y = 0, m = 0, d = 0;
  bool shape = false;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    shape = ParseDigits(s.substr(0, 4), &y) && ParseDigits(s.substr(5, 2), &m) &&
            ParseDigits(s.substr(8, 2), &d);
  } else if (s.size() == 8) {
    shape = ParseDigits(s.substr(0, 4), &y) && ParseDigits(s.substr(4, 2), &m) &&
            ParseDigits(s.substr(6, 2), &d);
  }
  if (!shape) {
    return InvalidInput(fmt::format("'{}' is not a date (expected YYYY-MM-DD or YYYYMMDD)", s));
  }
  if (!IsValidCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))) {
    return InvalidInput(fmt::format("'{}' is not a calendar date", s));
  }
  return Date::FromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

namespace {

YearMonth CivilMonthOf(Date d) {
  int y;
  unsigned m, day;
  d.ToCivil(&y, &m, &day);
  return YearMonth::Of(y, m);
}

// The month of every day from 1900-01-01 through 2100-12-31 (claims and enrollment dates all
// fall there), read per claim line by the scorecard and the settlement: a table lookup instead
// of the civil-date arithmetic.
class MonthTable {
 public:
  MonthTable() : first_(Date::FromCivil(1900, 1, 1)) {
    const Date last = Date::FromCivil(2100, 12, 31);
    index_.reserve(static_cast<size_t>(last - first_) + 1);
    for (Date d = first_; d <= last; d = d + 1) index_.push_back(CivilMonthOf(d).index());
  }
  YearMonth Of(Date d) const {
    const int64_t k = int64_t{d.days()} - first_.days();
    return k >= 0 && k < static_cast<int64_t>(index_.size())
               ? YearMonth::FromIndex(index_[static_cast<size_t>(k)])
               : CivilMonthOf(d);
  }

 private:
  Date first_;
  std::vector<int32_t> index_;
};

}  // namespace

YearMonth YearMonth::Of(Date d) {
  static const MonthTable table;
  return table.Of(d);
}

Date YearMonth::first_day() const { return Date::FromCivil(year(), month(), 1); }
Date YearMonth::last_day() const {
  return Date::FromCivil(year(), month(), DaysInMonth(year(), month()));
}
std::vector<Period> MonthsInside(const Period& period) {
  std::vector<Period> out;
  for (YearMonth ym = period.first_month(); ym <= period.last_month(); ym = ym + 1) {
    out.push_back({std::max(ym.first_day(), period.start), std::min(ym.last_day(), period.end)});
  }
  return out;
}

std::string YearMonth::ToString() const { return fmt::format("{:04d}-{:02d}", year(), month()); }

}  // namespace valuepact
