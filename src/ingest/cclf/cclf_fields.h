#pragma once
// Field access on one fixed-width CCLF record (internal to the CCLF reader).
#include <cstdint>
#include <string_view>

#include "valuepact/core/date.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/ingest/cclf/cclf_layout.h"

namespace valuepact::cclf {

struct Fld {
  uint16_t start0 = 0;  // 0-based
  uint16_t len = 0;
  const char* name = "";
};

// The named field of `layout`; the names are compile-time constants of this module, so a
// missing one is a programming error caught by the layout unit test.
Fld ResolveField(const CclfLayout& layout, const char* name);

inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One record. Bytes past the end of the line are blanks (IP §2: samples drop trailing blanks);
// bytes past `record_length` (the CCLF0 length) do not exist in that delivery's layout.
class RecordView {
 public:
  RecordView(std::string_view raw, uint32_t record_length) : raw_(raw), len_(record_length) {}
  std::string_view Get(const Fld& f) const {
    if (f.start0 >= len_ || f.start0 >= raw_.size()) return {};
    size_t end = static_cast<size_t>(f.start0) + f.len;
    if (end > len_) end = len_;
    if (end > raw_.size()) end = raw_.size();
    return TrimBlanks(raw_.substr(f.start0, end - f.start0));
  }
  std::string_view raw() const { return raw_; }

 private:
  std::string_view raw_;
  uint32_t len_;
};

// "YYYY-MM-DD" (or YYYYMMDD); blank, 1000-01-01 and 9999-12-31 are "no date" (IP §3).
Result<Date> ParseCclfDate(std::string_view text);
// Signed decimal text: "-" in the first position for negatives, blanks otherwise, then digits,
// '.', decimals (IP §3). Blank is zero. More than two decimals are rounded and reported.
Result<ParsedMoney> ParseCclfAmount(std::string_view text);

}  // namespace valuepact::cclf
