#pragma once
// Where reference tables live, never taken from the working directory: --refdata, else
// $VALUEPACT_REFDATA, else a refdata/ folder beside the contract, else the shared/refdata folder
// beside the source checkout the executable was built in (<checkout>/../shared/refdata, the
// documented default of a development checkout).
#include <string>

#include "valuepact/core/status.h"

namespace valuepact {

// `explicit_dir` is the --refdata value ("" when not given); `contract_path` the contract file
// ("" when the command has none).
Result<std::string> ResolveRefdataDir(const std::string& explicit_dir,
                                      const std::string& contract_path = "");

// The folder holding the running executable's checkout (the executable's folder's parent), or
// "" when it cannot be told.
std::string ExecutableCheckoutDir();

}  // namespace valuepact
