#pragma once
// Dates are days since 1970-01-01 in an int32; months are YearMonth (ARCHITECTURE §3).
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/status.h"

namespace valuepact {

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date FromDays(int32_t days) { return Date(days); }
  static Date FromCivil(int year, unsigned month, unsigned day);

  constexpr int32_t days() const { return days_; }
  int year() const;
  unsigned month() const;
  unsigned day() const;
  void ToCivil(int* year, unsigned* month, unsigned* day) const;

  constexpr Date operator+(int32_t d) const { return Date(days_ + d); }
  constexpr Date operator-(int32_t d) const { return Date(days_ - d); }
  constexpr int32_t operator-(Date o) const { return days_ - o.days_; }
  constexpr auto operator<=>(const Date&) const = default;

  std::string ToString() const;  // YYYY-MM-DD

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

bool IsValidCivil(int year, unsigned month, unsigned day);
unsigned DaysInMonth(int year, unsigned month);

// Full years from a birth date to `on` (the age on that day).
int FullYears(Date birth, Date on);

// Parses ISO "YYYY-MM-DD" or CMS compact "YYYYMMDD". Anything else is an error.
Result<Date> ParseDate(std::string_view text);
// The same dates without building a result: true and `out` set for a date ParseDate reads,
// false (and `out` untouched) for anything else. For readers that parse a date a field.
bool ParseDateTo(std::string_view text, Date* out);

class YearMonth {
 public:
  constexpr YearMonth() = default;
  static constexpr YearMonth FromIndex(int32_t index) { return YearMonth(index); }
  static constexpr YearMonth Of(int year, unsigned month) {
    return YearMonth(year * 12 + static_cast<int32_t>(month) - 1);
  }
  static YearMonth Of(Date d);

  constexpr int32_t index() const { return index_; }
  constexpr int year() const { return index_ >= 0 ? index_ / 12 : (index_ - 11) / 12; }
  constexpr unsigned month() const { return static_cast<unsigned>(index_ - year() * 12) + 1; }
  Date first_day() const;
  Date last_day() const;

  constexpr YearMonth operator+(int32_t n) const { return YearMonth(index_ + n); }
  constexpr int32_t operator-(YearMonth o) const { return index_ - o.index_; }
  constexpr auto operator<=>(const YearMonth&) const = default;
  std::string ToString() const;  // YYYY-MM

 private:
  constexpr explicit YearMonth(int32_t index) : index_(index) {}
  int32_t index_ = 0;
};

// An inclusive range of days.
struct Period {
  Date start;
  Date end;
  bool Contains(Date d) const { return d >= start && d <= end; }
  YearMonth first_month() const { return YearMonth::Of(start); }
  YearMonth last_month() const { return YearMonth::Of(end); }
};

// Each month the period touches, from first_month() to last_month(), as the days of it inside
// the period (the first and last months clipped to it).
std::vector<Period> MonthsInside(const Period& period);

}  // namespace valuepact
