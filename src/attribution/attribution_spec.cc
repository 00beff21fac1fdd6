#include "valuepact/attribution/attribution_spec.h"

#include <filesystem>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "valuepact/contract/toml_checker.h"
#include "valuepact/core/mapped_file.h"

namespace valuepact::attribution {

Result<AttributionSpec> ParseAttributionSpec(const toml::table& doc,
                                             const std::string& contract_path,
                                             const std::string& default_provider) {
  AttributionSpec spec;
  spec.contract_provider = default_provider;
  const toml::node* node = doc.get("attribution");
  if (node == nullptr) return spec;
  TomlChecker c(contract_path);
  const toml::table* t = node->as_table();
  if (t == nullptr) {
    c.Error(node, "", "attribution", "expected a table");
    return c.ToStatus();
  }
  const std::string section = "attribution";
  c.AllowOnly(*t, section,
              {"method", "level", "timing", "window_months", "frequency", "new_members", "amount",
               "services", "providers", "file", "provider", "description"});
  if (auto v =
          c.Choice(*t, section, "method",
                   {"enrolled", "attribution_file", "program_enrollment", "plurality"}, false)) {
    spec.method = *v == "enrolled"             ? Method::kEnrolled
                  : *v == "attribution_file"   ? Method::kAttributionFile
                  : *v == "program_enrollment" ? Method::kProgramEnrollment
                                               : Method::kPlurality;
  }
  if (auto v = c.Choice(*t, section, "level", {"tin", "npi"}, false)) {
    spec.level = *v == "tin" ? ProviderLevel::kTin : ProviderLevel::kNpi;
  }
  if (auto v = c.Choice(*t, section, "timing", {"prospective", "retrospective"}, false)) {
    spec.timing = *v == "prospective" ? Timing::kProspective : Timing::kRetrospective;
  }
  if (auto v = c.Integer(*t, section, "window_months", 12, 24, false)) {
    if (*v != 12 && *v != 24) {
      c.Error(t->get("window_months"), section, "window_months", "expected 12 or 24");
    }
    spec.window_months = static_cast<int>(*v);
  }
  if (auto v = c.Choice(*t, section, "frequency", {"annual", "quarterly"}, false)) {
    spec.frequency = *v == "annual" ? Frequency::kAnnual : Frequency::kQuarterly;
  }
  if (auto v = c.Choice(*t, section, "new_members", {"exclude", "retrospective"}, false)) {
    spec.new_members = *v == "exclude" ? NewMembers::kExclude : NewMembers::kRetrospective;
  }
  if (auto v = c.Choice(*t, section, "amount", {"allowed", "paid"}, false)) {
    spec.use_allowed = *v == "allowed";
  }
  if (auto v = c.String(*t, section, "services", false)) spec.services = *v;
  if (auto v = c.String(*t, section, "provider", false)) spec.contract_provider = *v;
  const auto dir = std::filesystem::path(contract_path).parent_path();
  auto read = [&](const char* key) -> std::optional<std::pair<std::string, std::string>> {
    auto v = c.String(*t, section, key, false);
    if (!v) return std::nullopt;
    const std::string path = (dir / *v).string();
    auto bytes = ReadWholeFile(path);
    if (!bytes.ok()) {
      c.Error(t->get(key), section, key, fmt::format("cannot read '{}'", path));
      return std::nullopt;
    }
    return std::pair{path, std::move(*bytes)};
  };
  if (auto f = read("providers")) {
    auto d = ParseProviderDirectory(f->second, f->first);
    if (!d.ok()) {
      c.Error(t->get("providers"), section, "providers", d.status().message());
    } else {
      spec.providers = std::move(*d);
    }
  }
  if (auto f = read("file")) {
    auto rows = ParseAttributionFile(f->second, f->first);
    if (!rows.ok()) {
      c.Error(t->get("file"), section, "file", rows.status().message());
    } else {
      spec.file_rows = std::move(*rows);
    }
  }
  if (spec.method == Method::kAttributionFile && t->get("file") == nullptr) {
    c.Error(t, section, "file", "required when method = \"attribution_file\"");
  }
  if (!c.ok()) return c.ToStatus();
  return spec;
}

}  // namespace valuepact::attribution
