#pragma once
// The [attribution] table of a contract (docs/attribution.md lists every key).
#include <string>

#include "valuepact/attribution/attribution.h"
#include "valuepact/core/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace valuepact::attribution {

// Reads [attribution] from the whole contract document; files it names (attribution list,
// provider directory) are read relative to the directory of `contract_path`. A contract without
// [attribution] attributes every enrolled member to `default_provider`. Errors are
// "path:line:column: attribution.key: problem", one per line.
Result<AttributionSpec> ParseAttributionSpec(const toml::table& document,
                                             const std::string& contract_path,
                                             const std::string& default_provider);

}  // namespace valuepact::attribution
