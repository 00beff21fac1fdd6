#include "valuepact/core/text.h"

#include <algorithm>

#include <fmt/format.h>

namespace valuepact {

std::string GroupDigits(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string FormatDollars(Money m) {
  const int64_t c = m.cents();
  const uint64_t mag = c < 0 ? 0 - static_cast<uint64_t>(c) : static_cast<uint64_t>(c);
  return fmt::format("{}${}.{:02d}", c < 0 ? "−" : "", GroupDigits(mag / 100), mag % 100);
}

std::string HtmlEscape(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o.push_back(c);
    }
  }
  return o;
}

std::string JoinLimited(const std::vector<std::string>& items, size_t max, std::string_view sep) {
  std::string out;
  const size_t shown = std::min(items.size(), max);
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  if (items.size() > shown) {
    out += fmt::format("{}… and {} more", shown > 0 ? std::string(sep) : "",
                       GroupDigits(items.size() - shown));
  }
  return out;
}

}  // namespace valuepact
