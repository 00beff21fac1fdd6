#pragma once
// Reads the oracle CSV files of ../shared/oracles into rows of named fields.
#include <map>
#include <string>
#include <vector>

namespace valuepact::testing {

struct OracleRow {
  unsigned long line = 0;
  std::map<std::string, std::string> f;
  const std::string& operator[](const std::string& k) const { return f.at(k); }
};

// Empty when the file cannot be read (the caller asserts on it).
std::vector<OracleRow> ReadOracleCsv(const std::string& path);

std::vector<std::string> SplitPipes(const std::string& s);

}  // namespace valuepact::testing
