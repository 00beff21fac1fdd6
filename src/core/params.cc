#include "valuepact/core/params.h"

#include <algorithm>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/sha256.h"

namespace valuepact {

const std::string& ParamRow::Get(std::string_view column) const {
  static const std::string kEmpty;
  auto it = values.find(column);
  return it == values.end() ? kEmpty : it->second;
}

namespace {

// The byte offset and line number where the header starts, past the leading '#' lines.
std::pair<size_t, uint64_t> SkipComments(std::string_view text) {
  size_t pos = SkipBom(text);
  uint64_t line = 1;
  while (pos < text.size() && text[pos] == '#') {
    const size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) return {text.size(), line};
    pos = eol + 1;
    ++line;
  }
  return {pos, line};
}

Status RowError(std::string_view name, uint64_t line, const std::string& what) {
  return InvalidInput(fmt::format("params/{} line {}: {}", name, line, what));
}

Result<ParamRow> ParseRow(std::string_view name, const std::vector<std::string>& columns,
                          size_t key_columns, const std::vector<std::string_view>& f,
                          uint64_t line) {
  if (f.size() != columns.size()) {
    return RowError(name, line,
                    fmt::format("{} fields where the header has {}", f.size(), columns.size()));
  }
  ParamRow row;
  row.line = line;
  for (size_t i = 0; i < f.size(); ++i) {
    const std::string& col = columns[i];
    if (i < key_columns) {
      if (f[i].empty()) return RowError(name, line, fmt::format("{}: empty key", col));
      row.key.emplace_back(f[i]);
    } else if (col == "effective_from" || col == "effective_to") {
      if (col == "effective_to" && f[i].empty()) continue;
      auto d = ParseDate(f[i]);
      if (!d.ok()) return RowError(name, line, fmt::format("{}: {}", col, d.status().message()));
      (col == "effective_from" ? row.from : row.to.emplace()) = *d;
    } else if (col == "citation") {
      row.citation = std::string(f[i]);
    } else {
      row.values.emplace(col, std::string(f[i]));
    }
  }
  if (row.citation.empty()) return RowError(name, line, "no citation");
  if (row.to && *row.to < row.from) {
    return RowError(name, line, "effective_to is before effective_from");
  }
  return row;
}

}  // namespace

Result<ParamTable> ParamTable::Parse(std::string_view name, std::string_view text) {
  ParamTable t;
  t.name_ = std::string(name);
  const auto [begin, first_line] = SkipComments(text);
  CsvCursor cur(text, CsvChunk{begin, text.size(), first_line});
  std::vector<std::string_view> f;
  uint64_t line = 0;
  std::string err;
  if (cur.Next(&f, &line, &err) != CsvCursor::Outcome::kRecord) {
    return RowError(name, first_line, "no header");
  }
  t.columns_.assign(f.begin(), f.end());
  for (const char* need : {"effective_from", "effective_to", "citation"}) {
    if (std::find(t.columns_.begin(), t.columns_.end(), need) == t.columns_.end()) {
      return RowError(name, line, fmt::format("the header has no '{}' column", need));
    }
  }
  t.key_columns_ = static_cast<size_t>(
      std::find(t.columns_.begin(), t.columns_.end(), "effective_from") - t.columns_.begin());
  for (;;) {
    const auto outcome = cur.Next(&f, &line, &err);
    if (outcome == CsvCursor::Outcome::kEnd) break;
    if (outcome == CsvCursor::Outcome::kMalformed) return RowError(name, line, err);
    auto row = ParseRow(name, t.columns_, t.key_columns_, f, line);
    if (!row.ok()) return row.status();
    t.rows_.push_back(std::move(*row));
  }
  if (t.rows_.empty()) return RowError(name, line, "no rows");
  std::stable_sort(t.rows_.begin(), t.rows_.end(), [](const ParamRow& a, const ParamRow& b) {
    return a.key != b.key ? a.key < b.key : a.from < b.from;
  });
  for (size_t i = 1; i < t.rows_.size(); ++i) {
    const ParamRow& a = t.rows_[i - 1];
    if (a.key == t.rows_[i].key && (!a.to || !(*a.to < t.rows_[i].from))) {
      return RowError(name, t.rows_[i].line,
                      fmt::format("its dates overlap the row on line {}", a.line));
    }
  }
  return t;
}

const ParamRow* ParamTable::At(Date d, const std::vector<std::string_view>& key) const {
  for (const ParamRow& r : rows_) {
    if (!std::equal(r.key.begin(), r.key.end(), key.begin(), key.end())) continue;
    if (!(d < r.from) && (!r.to || !(*r.to < d))) return &r;
  }
  return nullptr;
}

std::string ParamTable::SourceOf(const ParamRow& row) const {
  return fmt::format("params/{} line {}: {}", name_, row.line, row.citation);
}

Result<const ParamTable*> Params(std::string_view name) {
  // Parsed once per process; the embedded text never changes.
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<Result<ParamTable>>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(name);
  if (it == cache.end()) {
    const auto& files = EmbeddedParamFiles();
    auto f = std::find_if(files.begin(), files.end(),
                          [&](const EmbeddedParamFile& e) { return name == e.name; });
    if (f == files.end()) {
      return NotFound(fmt::format("params/{}: no such parameter table in this build", name));
    }
    it = cache
             .emplace(std::string(name),
                      std::make_unique<Result<ParamTable>>(ParamTable::Parse(f->name, f->text)))
             .first;
  }
  if (!it->second->ok()) return it->second->status();
  return &**it->second;
}

const std::string& ParamsFingerprint() {
  static const std::string fp = [] {
    Sha256 h;
    for (const auto& f : EmbeddedParamFiles()) {
      h.Update(f.name);
      h.Update(std::string_view("\n", 1));
      h.Update(Sha256Hex(f.text));
      h.Update(std::string_view("\n", 1));
    }
    return h.FinishHex();
  }();
  return fp;
}

}  // namespace valuepact
