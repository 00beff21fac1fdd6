#include "valuepact/ingest/cclf/cclf_control.h"

#include <charconv>

#include <fmt/format.h>

namespace valuepact::cclf {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

template <typename T>
bool ParseUnsigned(std::string_view s, T* out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

std::vector<CclfControlEntry> ParseCclfControl(std::string_view bytes, const std::string& file_name,
                                               IngestReport* report) {
  std::vector<CclfControlEntry> out;
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos) nl = bytes.size();
    const std::string_view line = Trim(bytes.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (line.empty()) continue;
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
      const size_t bar = line.find('|', start);
      parts.push_back(
          Trim(line.substr(start, bar == std::string_view::npos ? line.npos : bar - start)));
      if (bar == std::string_view::npos) break;
      start = bar + 1;
    }
    if (parts.size() >= 1 && parts[0] == "File Number") continue;  // the header record
    if (parts.size() != 4) {
      report->AddReject(file_name, line_no, "", line,
                        fmt::format("CCLF0 detail record: expected 4 '|'-separated fields "
                                    "(type|description|count|length), found {}",
                                    parts.size()));
      continue;
    }
    CclfControlEntry e;
    e.line = line_no;
    const std::string_view type = parts[0];
    if (type.size() != 5 || type.substr(0, 4) != "CCLF" ||
        !((type[4] >= '1' && type[4] <= '9') || type[4] == 'A' || type[4] == 'B')) {
      report->AddReject(file_name, line_no, "File Type", type,
                        "expected CCLF1..CCLF9, CCLFA or CCLFB");
      continue;
    }
    e.file_type = type[4];
    e.description = std::string(parts[1]);
    if (!ParseUnsigned(parts[2], &e.record_count)) {
      report->AddReject(file_name, line_no, "Number of records", parts[2],
                        "expected a whole number of records");
      continue;
    }
    if (!ParseUnsigned(parts[3], &e.record_length) || e.record_length == 0 ||
        e.record_length > 100000) {
      report->AddReject(file_name, line_no, "Length of record", parts[3],
                        "expected a record length between 1 and 100000");
      continue;
    }
    bool dup = false;
    for (const auto& prev : out) dup = dup || prev.file_type == e.file_type;
    if (dup) {
      report->AddReject(file_name, line_no, "File Type", type,
                        "file type listed twice in CCLF0; the first entry is used");
      continue;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace valuepact::cclf
