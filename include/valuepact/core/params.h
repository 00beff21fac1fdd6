#pragma once
// Program parameters as dated, cited data (docs/parameters.md). Each file under params/ is a
// CSV table whose rows hold for a date range: effective_from, effective_to (empty: open-ended),
// the values, and the citation (CFR paragraph, Federal Register page or specification section)
// that a trace node shows as its source. Columns before effective_from are the row's key (e.g.
// preset, term): rows of one key must not overlap in time. Lines starting with '#' before the
// header describe the table. The files are compiled into the engine; a loader validates them,
// code only evaluates.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/date.h"
#include "valuepact/core/status.h"

namespace valuepact {

struct EmbeddedParamFile {
  const char* name;  // path under params/, e.g. "mssp/benchmark_risk_ratio_cap.csv"
  const char* text;
};
// Every params/ file the engine was built with, in name order (generated at build time).
const std::vector<EmbeddedParamFile>& EmbeddedParamFiles();

struct ParamRow {
  Date from;
  std::optional<Date> to;        // inclusive; none: still in force
  std::vector<std::string> key;  // the values of the key columns, in order
  std::map<std::string, std::string, std::less<>> values;
  std::string citation;
  uint64_t line = 0;

  const std::string& Get(std::string_view column) const;  // "" when absent
};

class ParamTable {
 public:
  // Checks the table: the header has effective_from, effective_to and citation; every row has
  // a date range in order, a citation, and a value for every column; ranges do not overlap.
  static Result<ParamTable> Parse(std::string_view name, std::string_view text);

  // The row of `key` (one value per key column) in force on `d`, or nullptr when none is.
  const ParamRow* At(Date d, const std::vector<std::string_view>& key = {}) const;
  const std::string& name() const { return name_; }
  const std::vector<ParamRow>& rows() const { return rows_; }
  // "params/NAME line N: CITATION", for a trace node's source.
  std::string SourceOf(const ParamRow& row) const;

 private:
  std::string name_;
  std::vector<std::string> columns_;
  size_t key_columns_ = 0;      // the columns before effective_from
  std::vector<ParamRow> rows_;  // sorted by key, then `from`
};

// The embedded table `name`, parsed and checked once. An unknown name or a table that fails its
// checks is an error naming the file and line.
Result<const ParamTable*> Params(std::string_view name);
// SHA-256 over every embedded file's name and bytes (part of a run id).
const std::string& ParamsFingerprint();

}  // namespace valuepact
