#include "valuepact/core/money.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace valuepact {

std::string Money::ToString() const {
  std::string out;
  AppendTo(&out);
  return out;
}

char* Money::WriteTo(char* out) const {
  const bool neg = cents_ < 0;
  // Unsigned magnitude avoids overflow on INT64_MIN.
  uint64_t mag = neg ? 0 - static_cast<uint64_t>(cents_) : static_cast<uint64_t>(cents_);
  // The length first (the sign, at least one digit of dollars, the point, two of cents), then
  // the digits from the right, in place.
  size_t len = (neg ? 1 : 0) + 4;
  for (uint64_t dollars = mag / 100; dollars >= 10; dollars /= 10) ++len;
  char* p = out + len;
  *--p = static_cast<char>('0' + mag % 10);
  mag /= 10;
  *--p = static_cast<char>('0' + mag % 10);
  mag /= 10;
  *--p = '.';
  do {
    *--p = static_cast<char>('0' + mag % 10);
    mag /= 10;
  } while (mag != 0);
  if (neg) *--p = '-';
  return out + len;
}

void Money::AppendTo(std::string* out) const {
  char buf[kMaxChars];
  out->append(buf, static_cast<size_t>(WriteTo(buf) - buf));
}

void Money::ThrowMoneyOverflow(int64_t a, int64_t b, char op) {
  if (op == '*') {
    throw MoneyOverflow(
        fmt::format("amount out of range: {} × {} does not fit in cents", Money(a).ToString(), b));
  }
  throw MoneyOverflow(fmt::format("amount out of range: {} {} {} does not fit in cents",
                                  Money(a).ToString(), op, Money(b).ToString()));
}

Money RoundCentsHalfAway(long double cents) {
  const long double r = cents < 0 ? -std::floor(-cents + 0.5L) : std::floor(cents + 0.5L);
  // 2^63 is exact in long double; int64 holds [-2^63, 2^63).
  constexpr long double kLimit = 9223372036854775808.0L;
  if (!(r >= -kLimit && r < kLimit)) {
    throw MoneyOverflow(fmt::format("amount out of range: {} cents does not fit", cents));
  }
  return Money::FromCents(static_cast<int64_t>(r));
}

Money RoundToCents(long double units) {
  // Multiplying by 100 in long double is exact for every amount below 2^64 / 100 cents with
  // at most a few decimals of binary noise; the nudge keeps 0.125 * 100 = 12.4999.. from
  // rounding the wrong way when the input came from a decimal rate.
  const long double cents = units * 100.0L;
  const long double nudged = cents + (cents < 0 ? -1e-9L : 1e-9L);
  return RoundCentsHalfAway(nudged);
}

bool ParseUsualMoney(std::string_view s, Money* out) {
  const size_t n = s.size();
  if (n < 4 || n > 15 || s[n - 3] != '.') return false;
  const auto digit = [](char c) {
    return static_cast<unsigned>(static_cast<unsigned char>(c)) - '0';
  };
  uint64_t v = 0;
  unsigned bad = 0;
  for (size_t k = 0; k + 3 < n; ++k) {
    const unsigned d = digit(s[k]);
    bad |= d > 9 ? 1u : 0u;
    v = v * 10 + d;
  }
  const uint64_t tens = digit(s[n - 2]), units = digit(s[n - 1]);
  if ((bad | (tens > 9 ? 1u : 0u) | (units > 9 ? 1u : 0u)) != 0) return false;
  *out = Money::FromCents(static_cast<int64_t>(v * 100 + tens * 10 + units));
  return true;
}

Result<ParsedMoney> ParseMoney(std::string_view s) {
  if (Money m; ParseUsualMoney(s, &m)) return ParsedMoney{m, false};
  if (s.empty()) return InvalidInput("empty amount");
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
  }
  uint64_t whole = 0;
  int whole_digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (whole > (std::numeric_limits<int64_t>::max() / 100 - 9) / 10) {
      return InvalidInput(fmt::format("amount '{}' is too large", s));
    }
    whole = whole * 10 + static_cast<uint64_t>(s[i] - '0');
    ++whole_digits;
  }
  uint64_t frac = 0;
  int frac_digits = 0;
  bool rounded = false;
  bool round_up = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (frac_digits < 2) {
        frac = frac * 10 + static_cast<uint64_t>(s[i] - '0');
      } else {
        if (frac_digits == 2) round_up = s[i] >= '5';  // half away from zero on the magnitude
        if (s[i] != '0') rounded = true;
      }
      ++frac_digits;
    }
  }
  if (i != s.size()) return InvalidInput(fmt::format("'{}' is not a decimal amount", s));
  if (whole_digits == 0 && frac_digits == 0) {
    return InvalidInput(fmt::format("'{}' is not a decimal amount", s));
  }
  if (frac_digits == 1) frac *= 10;
  uint64_t cents = whole * 100 + frac + (round_up ? 1 : 0);
  int64_t signed_cents = neg ? -static_cast<int64_t>(cents) : static_cast<int64_t>(cents);
  return ParsedMoney{Money::FromCents(signed_cents), rounded};
}

}  // namespace valuepact
