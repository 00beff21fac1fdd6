#include "valuepact/refdata/refdata_dir.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

namespace valuepact {

namespace fs = std::filesystem;

std::string ExecutableCheckoutDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return exe.parent_path().parent_path().string();
}

Result<std::string> ResolveRefdataDir(const std::string& explicit_dir,
                                      const std::string& contract_path) {
  std::error_code ec;
  if (!explicit_dir.empty()) {
    if (!fs::is_directory(explicit_dir, ec)) {
      return NotFound(fmt::format("--refdata {}: no such directory", explicit_dir));
    }
    return explicit_dir;
  }
  if (const char* env = std::getenv("VALUEPACT_REFDATA"); env != nullptr && *env != '\0') {
    if (!fs::is_directory(env, ec)) {
      return NotFound(fmt::format("VALUEPACT_REFDATA={}: no such directory", env));
    }
    return std::string(env);
  }
  std::vector<std::string> candidates;
  if (!contract_path.empty()) {
    candidates.push_back((fs::path(contract_path).parent_path() / "refdata").string());
  }
  if (const std::string checkout = ExecutableCheckoutDir(); !checkout.empty()) {
    candidates.push_back(
        (fs::path(checkout).parent_path() / "shared" / "refdata").lexically_normal().string());
  }
  for (const auto& c : candidates) {
    if (fs::is_directory(c, ec)) return c;
  }
  return NotFound(
      "no reference tables: pass --refdata DIR or set VALUEPACT_REFDATA (see "
      "docs/reference-data.md for where to get the public CMS files)");
}

}  // namespace valuepact
