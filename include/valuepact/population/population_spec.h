#pragma once
// The [definitions] and [population] tables of a contract, read on their own so the definition
// language can be used before (or without) the full contract model.
#include <map>
#include <string>

#include "valuepact/core/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace valuepact::population {

struct PopulationSpec {
  std::map<std::string, std::string> definitions;  // [definitions] name = "expression"
  std::string source = "enrolled";                 // [population] source
  std::string eligible;                            // [population] eligible (may be empty)
};

// Errors are "path:line:column: section.key: problem", one per line.
Result<PopulationSpec> ParsePopulationSpec(const toml::table& document, const std::string& path);

}  // namespace valuepact::population
