#pragma once
// Text for people: grouped digits, dollar amounts, HTML escaping (statements, worked examples).
#include <cstdint>
#include <string>
#include <string_view>

#include "valuepact/core/money.h"

namespace valuepact {

// 1234567 -> "1,234,567".
std::string GroupDigits(uint64_t n);
// -123456 cents -> "−$1,234.56" (with a real minus sign).
std::string FormatDollars(Money m);
std::string HtmlEscape(std::string_view s);

}  // namespace valuepact
