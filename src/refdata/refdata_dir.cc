#include "valuepact/refdata/refdata_dir.h"

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

namespace valuepact {

Result<std::string> ResolveRefdataDir(const std::string& explicit_dir) {
  namespace fs = std::filesystem;
  if (!explicit_dir.empty()) {
    if (!fs::is_directory(explicit_dir)) {
      return NotFound(fmt::format("--refdata {}: no such directory", explicit_dir));
    }
    return explicit_dir;
  }
  if (const char* env = std::getenv("VALUEPACT_REFDATA"); env != nullptr && *env != '\0') {
    if (!fs::is_directory(env)) {
      return NotFound(fmt::format("VALUEPACT_REFDATA={}: no such directory", env));
    }
    return std::string(env);
  }
  for (const char* candidate : {"../shared/refdata", "../../shared/refdata"}) {
    if (fs::is_directory(candidate)) return std::string(candidate);
  }
  return NotFound(
      "no reference tables: pass --refdata DIR or set VALUEPACT_REFDATA (see "
      "docs/reference-data.md for where to get the public CMS files)");
}

}  // namespace valuepact
