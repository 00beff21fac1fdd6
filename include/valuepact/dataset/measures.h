#pragma once
// Measured values a run's quality and data-reporting incentive layers read: given in a file
// (`--measures FILE`: CSV `measure,value[,source]`), or computed from the data when the layer's
// measure is a metric of the catalogue (docs/metrics.md) and the file does not give it.
#include <map>
#include <string>

namespace valuepact {

struct MeasureValue {
  double value = 0;
  std::string source;  // the file's source column, as written ("" when absent)
  std::string origin;  // "measures.csv:3"
  // For a computed metric: its trace node ("metrics.<id>.all.total"); "" for a given value.
  std::string computed_id;
};

struct MeasureTable {
  std::map<std::string, MeasureValue> by_name;
  std::string path;  // "" when no file was given
  // Catalogue metrics a layer names that cannot be computed, and why (an empty denominator).
  std::map<std::string, std::string> not_computable;
};

}  // namespace valuepact
