#pragma once
// Text for people: grouped digits, dollar amounts, HTML escaping (statements, worked examples).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/money.h"

namespace valuepact {

// 1234567 -> "1,234,567".
std::string GroupDigits(uint64_t n);
// -123456 cents -> "−$1,234.56" (with a real minus sign).
std::string FormatDollars(Money m);
std::string HtmlEscape(std::string_view s);
// The first `max` items joined by `sep`, then "… and 9,999,990 more": a note or warning stays
// readable however many items a hostile or broken input produces.
std::string JoinLimited(const std::vector<std::string>& items, size_t max,
                        std::string_view sep = ", ");

}  // namespace valuepact
