#pragma once
// Where reference tables live: --refdata, else $VALUEPACT_REFDATA, else ../shared/refdata
// relative to the working directory or to the executable's source tree when present.
#include <string>

#include "valuepact/core/status.h"

namespace valuepact {

// `explicit_dir` is the --refdata value ("" when not given).
Result<std::string> ResolveRefdataDir(const std::string& explicit_dir);

}  // namespace valuepact
