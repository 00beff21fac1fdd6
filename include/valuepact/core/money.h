#pragma once
// Money is an exact integer count of cents (ARCHITECTURE §3). Arithmetic between amounts is
// exact; a rate applied to money gives a long double that becomes money again only through a
// named rounding step (RoundToCents), which callers record in the trace.
#include <compare>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "valuepact/core/status.h"

namespace valuepact {

class Money {
 public:
  constexpr Money() = default;
  constexpr Money(const Money&) = default;
  // Only a variable is assigned to: an assignment to a temporary (a row of a MoneyColumn, read
  // by value) would be lost, so it does not compile.
  constexpr Money& operator=(const Money&) & = default;
  static constexpr Money FromCents(int64_t cents) { return Money(cents); }
  // Whole units, for literals in tests and contracts: Money::FromUnits(3000) is $3,000.00.
  static constexpr Money FromUnits(int64_t units) { return Money(Checked(units, 100, '*')); }

  constexpr int64_t cents() const { return cents_; }
  // For ratios only; never turn the result back into money without RoundToCents.
  constexpr long double as_units() const { return static_cast<long double>(cents_) / 100.0L; }

  // Every operation is checked: a result outside the int64 range of cents throws
  // MoneyOverflow (the run turns it into an input error) instead of wrapping.
  constexpr Money operator+(Money o) const { return Money(Checked(cents_, o.cents_, '+')); }
  constexpr Money operator-(Money o) const { return Money(Checked(cents_, o.cents_, '-')); }
  constexpr Money operator-() const { return Money(Checked(0, cents_, '-')); }
  constexpr Money& operator+=(Money o) & {
    cents_ = Checked(cents_, o.cents_, '+');
    return *this;
  }
  constexpr Money& operator-=(Money o) & {
    cents_ = Checked(cents_, o.cents_, '-');
    return *this;
  }
  constexpr Money operator*(int64_t n) const { return Money(Checked(cents_, n, '*')); }
  // Adds `o` unless the sum would leave the int64 range of cents; false (and unchanged) then.
  // Sums over input data use this, so an overflow is an input error, never a wrapped figure.
  bool AddChecked(Money o) & {
    int64_t sum = 0;
    if (__builtin_add_overflow(cents_, o.cents_, &sum)) return false;
    cents_ = sum;
    return true;
  }
  constexpr auto operator<=>(const Money&) const = default;

  // "1234.50", "-0.05": two decimal places, no grouping.
  std::string ToString() const;
  void AppendTo(std::string* out) const;  // ToString's characters, appended
  // ToString's characters written at `out` (room for kMaxChars), and the end of what it wrote:
  // for a caller that builds a row in a buffer of its own and appends it once.
  static constexpr size_t kMaxChars = 21;  // "-92233720368547758.08"
  char* WriteTo(char* out) const;

 private:
  constexpr explicit Money(int64_t cents) : cents_(cents) {}
  static constexpr int64_t Checked(int64_t a, int64_t b, char op) {
    int64_t r = 0;
    const bool over = op == '+'   ? __builtin_add_overflow(a, b, &r)
                      : op == '-' ? __builtin_sub_overflow(a, b, &r)
                                  : __builtin_mul_overflow(a, b, &r);
    if (over) ThrowMoneyOverflow(a, b, op);
    return r;
  }
  [[noreturn]] static void ThrowMoneyOverflow(int64_t a, int64_t b, char op);
  int64_t cents_ = 0;
};

// An amount outside the range of int64 cents (±$92,233,720,368,547,758.07): thrown by Money's
// operators and rounding, caught where a run starts and reported as an input error.
class MoneyOverflow : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

// Rounds an amount in units (dollars) to cents, half away from zero; MoneyOverflow outside the
// range (and for NaN).
Money RoundToCents(long double units);
// Rounds an amount in cents to whole cents, half away from zero.
Money RoundCentsHalfAway(long double cents);

struct ParsedMoney {
  Money value;
  bool rounded = false;  // the text had more than two decimals and was rounded half away from 0
};

// Parses a decimal string exactly: "-1234.5", "12.345" (rounded, reported), "+7", ".5",
// "1e3" is rejected. Leading/trailing blanks are an error for the caller to trim.
Result<ParsedMoney> ParseMoney(std::string_view text);

// The usual shape of an amount in claims files, with no sign: 1 to 12 digits, a point and two
// digits ("126.94"). True and `*out` the amount (as ParseMoney gives it); false for any other
// text, which ParseMoney reads or refuses. A reader tries it first: it builds no Result.
bool ParseUsualMoney(std::string_view text, Money* out);

}  // namespace valuepact
