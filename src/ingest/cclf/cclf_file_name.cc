#include "valuepact/ingest/cclf/cclf_file_name.h"

#include <cctype>

namespace valuepact::cclf {
namespace {

bool IsTypeChar(char c) {
  return (c >= '0' && c <= '9') || c == 'A' || c == 'B' || c == 'a' || c == 'b';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<CclfFileName> ParseCclfFileName(std::string_view path) {
  const size_t slash = path.find_last_of("/\\");
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  // The last "ZC<t>" wins: program ids never contain it, and the zip name (ZCY24) has no <t>.
  size_t pos = std::string_view::npos;
  for (size_t i = 0; i + 2 < name.size(); ++i) {
    if ((name[i] == 'Z' || name[i] == 'z') && (name[i + 1] == 'C' || name[i + 1] == 'c') &&
        IsTypeChar(name[i + 2])) {
      // "ZC1Y24" or a bare trailing "ZC8": the type must end the token.
      const size_t after = i + 3;
      if (after == name.size() || !std::isalnum(static_cast<unsigned char>(name[after])) ||
          name[after] == 'Y' || name[after] == 'R' || name[after] == 'W') {
        pos = i;
      }
    }
  }
  if (pos == std::string_view::npos) return std::nullopt;
  CclfFileName out;
  out.file_type = static_cast<char>(std::toupper(static_cast<unsigned char>(name[pos + 2])));
  size_t k = pos + 3;
  if (k < name.size() && name[k] == 'W') {
    out.weekly = true;
    ++k;
  }
  if (k + 3 <= name.size() && (name[k] == 'Y' || name[k] == 'R') && IsDigit(name[k + 1]) &&
      IsDigit(name[k + 2])) {
    out.run_out = name[k] == 'R';
    out.performance_year = 2000 + (name[k + 1] - '0') * 10 + (name[k + 2] - '0');
  }
  const size_t d = name.find(".D", pos);
  if (d != std::string_view::npos && d + 8 <= name.size()) {
    bool digits = true;
    for (size_t i = d + 2; i < d + 8; ++i) digits = digits && IsDigit(name[i]);
    if (digits) {
      const int yy = (name[d + 2] - '0') * 10 + (name[d + 3] - '0');
      const unsigned mm = static_cast<unsigned>((name[d + 4] - '0') * 10 + (name[d + 5] - '0'));
      const unsigned dd = static_cast<unsigned>((name[d + 6] - '0') * 10 + (name[d + 7] - '0'));
      if (IsValidCivil(2000 + yy, mm, dd)) {
        out.file_date = Date::FromCivil(2000 + yy, mm, dd);
        out.has_file_date = true;
      }
    }
  }
  if (name.size() > 2 && (name[0] == 'P' || name[0] == 'T') && name[1] == '.') {
    const size_t dot = name.find('.', 2);
    if (dot != std::string_view::npos) out.program_id = std::string(name.substr(2, dot - 2));
  }
  out.delivery_key = std::string(name.substr(0, pos + 2));
  out.delivery_key += name.substr(pos + 3);
  return out;
}

}  // namespace valuepact::cclf
