#pragma once
// Numbers from text with std::from_chars: the whole text must be the number (no blanks, no
// trailing characters), independent of the locale, and a bad or out-of-range value is "no
// number", never an exception or a silent zero.
#include <cstdint>
#include <optional>
#include <string_view>

namespace valuepact {

// A finite decimal number ("0.85", "-3", "1e-3"); nullopt otherwise (also for "nan", "inf").
std::optional<double> ParseDouble(std::string_view text);
// A number or a fraction of two numbers ("0.1", "1/3"); nullopt otherwise or for a zero
// denominator. Parameter tables write weights like one third exactly this way.
std::optional<double> ParseFraction(std::string_view text);
// A base-10 integer in the int64 range; nullopt otherwise.
std::optional<int64_t> ParseInt(std::string_view text);

}  // namespace valuepact
