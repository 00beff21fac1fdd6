#pragma once
// Builds fixed-width CCLF records for tests from field values.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "valuepact/ingest/cclf/cclf_layout.h"

namespace valuepact::cclf::testing {

// A record of `type` with the given fields; text is left-justified in its field. `length`
// defaults to the IP v38 record length.
inline std::string Record(char type, const std::map<std::string, std::string>& values,
                          uint32_t length = 0) {
  const CclfLayout* l = CclfLayoutFor(type);
  if (l == nullptr) std::abort();
  std::string rec(length ? length : l->record_length, ' ');
  for (const auto& [name, value] : values) {
    const CclfField* f = l->Find(name);
    EXPECT_NE(f, nullptr) << name;
    if (f == nullptr) continue;
    EXPECT_LE(value.size(), f->length) << name;
    for (size_t i = 0; i < value.size() && i < f->length && f->start - 1 + i < rec.size(); ++i) {
      rec[f->start - 1 + i] = value[i];
    }
  }
  return rec;
}

// Signed decimal text as CMS writes it: sign position, zero-padded integer digits, 2 decimals.
inline std::string Amount(int64_t cents, size_t width = 17) {
  const bool neg = cents < 0;
  const uint64_t a = neg ? static_cast<uint64_t>(-cents) : static_cast<uint64_t>(cents);
  std::string digits = fmt::format("{}.{:02}", a / 100, a % 100);
  std::string out(1, neg ? '-' : ' ');
  out += std::string(width - 1 - digits.size(), '0');
  out += digits;
  return out;
}

inline std::string Join(const std::initializer_list<std::string>& records) {
  std::string out;
  for (const auto& r : records) out += r + "\n";
  return out;
}

}  // namespace valuepact::cclf::testing
