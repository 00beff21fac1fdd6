#include "cclf_fields.h"

#include <cstdlib>
#include "valuepact/dataset/dataset.h"

namespace valuepact::cclf {

Fld ResolveField(const CclfLayout& layout, const char* name) {
  const CclfField* f = layout.Find(name);
  if (f == nullptr) std::abort();  // a typo in this module, caught by the layout unit test
  return Fld{static_cast<uint16_t>(f->start - 1), f->length, f->name};
}

Result<Date> ParseCclfDate(std::string_view text) {
  text = TrimBlanks(text);
  if (text.empty() || text == "1000-01-01" || text == "9999-12-31" || text == "10000101" ||
      text == "99991231") {
    return kNoDate;
  }
  return ParseDate(text);
}

Result<ParsedMoney> ParseCclfAmount(std::string_view text) {
  text = TrimBlanks(text);
  if (text.empty()) return ParsedMoney{};
  bool negative = false;
  if (text.front() == '-') {
    negative = true;
    text = TrimBlanks(text.substr(1));
    if (text.empty() || text.front() == '-' || text.front() == '+') {
      return InvalidInput("expected a signed decimal amount");
    }
  }
  auto parsed = ParseMoney(text);
  if (!parsed.ok()) return parsed.status();
  ParsedMoney out = *parsed;
  if (negative) out.value = -out.value;
  return out;
}

}  // namespace valuepact::cclf
