#include "valuepact/core/date.h"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

namespace valuepact {
namespace {

// Days from civil and back: the proleptic Gregorian algorithms of H. Hinnant
// ("chrono-Compatible Low-Level Date Algorithms"), restated.
constexpr int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
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

namespace {

// The day number of the first of every month from January 1900 through December 2155, and of
// January 2156 after them: a date read from a file there is a look-up, not the arithmetic.
constexpr int kFirstTableYear = 1900, kTableYears = 256;
constexpr auto kMonthStarts = [] {
  std::array<int32_t, kTableYears * 12 + 1> starts{};
  for (int k = 0; k <= kTableYears * 12; ++k) {
    starts[static_cast<size_t>(k)] =
        DaysFromCivil(kFirstTableYear + k / 12, static_cast<unsigned>(k % 12) + 1, 1);
  }
  return starts;
}();

// The two ASCII digits at p as a number, or -1.
int TwoDigits(const char* p) {
  const auto a = static_cast<unsigned>(p[0] - '0'), b = static_cast<unsigned>(p[1] - '0');
  return a < 10 && b < 10 ? static_cast<int>(a * 10 + b) : -1;
}

}  // namespace

bool ParseDateTo(std::string_view s, Date* out) {
  const char* p = s.data();
  int parts[4];  // century, year of the century, month, day
  if (s.size() == 10 && p[4] == '-' && p[7] == '-') {
    parts[2] = TwoDigits(p + 5);
    parts[3] = TwoDigits(p + 8);
  } else if (s.size() == 8) {
    parts[2] = TwoDigits(p + 4);
    parts[3] = TwoDigits(p + 6);
  } else {
    return false;
  }
  parts[0] = TwoDigits(p);
  parts[1] = TwoDigits(p + 2);
  if ((parts[0] | parts[1] | parts[2] | parts[3]) < 0) return false;
  const int y = parts[0] * 100 + parts[1];
  const auto m = static_cast<unsigned>(parts[2]), d = static_cast<unsigned>(parts[3]);
  if (y >= kFirstTableYear && y < kFirstTableYear + kTableYears && m >= 1 && m <= 12) {
    const auto k = static_cast<size_t>((y - kFirstTableYear) * 12) + m - 1;
    const int32_t first = kMonthStarts[k];
    if (d < 1 || static_cast<int32_t>(d) > kMonthStarts[k + 1] - first) return false;
    *out = Date::FromDays(first + static_cast<int32_t>(d) - 1);
    return true;
  }
  if (!IsValidCivil(y, m, d)) return false;
  *out = Date::FromCivil(y, m, d);
  return true;
}

Result<Date> ParseDate(std::string_view s) {
  Date date;
  if (ParseDateTo(s, &date)) return date;
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
  return InvalidInput(fmt::format("'{}' is not a calendar date", s));
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
