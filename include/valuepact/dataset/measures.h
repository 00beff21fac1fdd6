#pragma once
// Measured values given to a run (`--measures FILE`: CSV `measure,value[,source]`), read by the
// quality and data-reporting incentive layers until the metric catalogue computes them from the
// data.
#include <map>
#include <string>

namespace valuepact {

struct MeasureValue {
  double value = 0;
  std::string source;  // the file's source column, as written ("" when absent)
  std::string origin;  // "measures.csv:3"
};

struct MeasureTable {
  std::map<std::string, MeasureValue> by_name;
  std::string path;  // "" when no file was given
};

}  // namespace valuepact
