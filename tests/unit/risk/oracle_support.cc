#include "oracle_support.h"

#include "valuepact/core/csv.h"
#include "valuepact/core/file_io.h"

namespace valuepact::testing {

std::vector<OracleRow> ReadOracleCsv(const std::string& path) {
  std::vector<OracleRow> out;
  auto file = ReadWholeFile(path, kNoSizeCap);
  if (!file.ok()) return out;
  const std::string_view data = *file;
  // Leading lines starting with '#' describe the file (provenance, notes).
  size_t begin = SkipBom(data);
  uint64_t first_line = 1;
  while (begin < data.size() && data[begin] == '#') {
    const size_t eol = data.find('\n', begin);
    begin = eol == std::string_view::npos ? data.size() : eol + 1;
    ++first_line;
  }
  CsvCursor cur(data, CsvChunk{begin, data.size(), first_line});
  std::vector<std::string_view> fields;
  std::vector<std::string> header;
  uint64_t line = 0;
  std::string error;
  while (cur.Next(&fields, &line, &error) == CsvCursor::Outcome::kRecord) {
    if (header.empty()) {
      for (auto f : fields) header.emplace_back(f);
      continue;
    }
    OracleRow r;
    r.line = line;
    for (size_t i = 0; i < header.size(); ++i) {
      r.f[header[i]] = i < fields.size() ? std::string(fields[i]) : std::string();
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> SplitPipes(const std::string& s) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b <= s.size()) {
    size_t e = s.find('|', b);
    if (e == std::string::npos) e = s.size();
    if (e > b) out.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

}  // namespace valuepact::testing
