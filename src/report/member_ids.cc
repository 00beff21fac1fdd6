#include "valuepact/report/member_ids.h"

#include <algorithm>
#include <cctype>

#include "valuepact/core/numbers.h"

namespace valuepact {

namespace {

bool TokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

// Calls f(begin, length) for every token of `text`, left to right.
template <typename F>
void ForEachToken(std::string_view text, F&& f) {
  size_t i = 0;
  while (i < text.size()) {
    if (!TokenChar(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && TokenChar(text[j])) ++j;
    if (!f(i, j - i)) return;
    i = j;
  }
}

}  // namespace

bool MemberIdGuard::Distinctive(std::string_view id) {
  const bool letters = std::all_of(
      id.begin(), id.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  const bool digits = std::all_of(
      id.begin(), id.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (letters) return id.size() >= 4;
  if (digits) return id.size() >= 6;
  return !id.empty();
}

bool MemberIdGuard::IsMember(std::string_view token) const {
  return Distinctive(token) && members_.Find(token) != StringInterner::kNone;
}

std::string_view MemberIdGuard::FindIn(std::string_view text) const {
  std::string_view found;
  ForEachToken(text, [&](size_t at, size_t n) {
    if (IsMember(text.substr(at, n))) found = text.substr(at, n);
    return found.empty();
  });
  return found;
}

size_t MemberIdGuard::Redact(std::string* text) const {
  std::string out;
  size_t copied = 0, count = 0;
  ForEachToken(*text, [&](size_t at, size_t n) {
    if (IsMember(std::string_view(*text).substr(at, n))) {
      out.append(*text, copied, at - copied);
      out += kWithheld;
      copied = at + n;
      ++count;
    }
    return true;
  });
  if (count > 0) {
    out.append(*text, copied, std::string::npos);
    *text = std::move(out);
  }
  return count;
}

size_t MemberIdGuard::Redact(nlohmann::ordered_json* j) const {
  size_t count = 0;
  if (j->is_string()) {
    auto& s = j->get_ref<std::string&>();
    if (!ParseDouble(s).has_value()) count += Redact(&s);
  } else if (j->is_structured()) {
    for (auto& v : *j) count += Redact(&v);
  }
  return count;
}

}  // namespace valuepact
