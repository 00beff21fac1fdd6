// [attribution]: which members the contract's provider is accountable for
// (docs/attribution.md). Keys and values are validated here; the files are read by the loader.
#include "valuepact/contract/attribution_terms.h"
#include "valuepact/contract/schema.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "contract/sections.h"
#include "contract/toml_checker.h"

namespace valuepact {

const char* AttributionMethodName(AttributionMethod m) {
  switch (m) {
    case AttributionMethod::kEnrolled:
      return "enrolled";
    case AttributionMethod::kAttributionFile:
      return "attribution_file";
    case AttributionMethod::kProgramEnrollment:
      return "program_enrollment";
    case AttributionMethod::kPlurality:
      return "plurality";
  }
  return "enrolled";
}

void ParseAttributionSection(const toml::table& t, TomlChecker* c, AttributionTerms* a) {
  const std::string section = "attribution";
  a->declared = true;
  a->line = static_cast<int>(t.source().begin.line);
  c->AllowOnly(t, section, KeysOf("attribution"));
  auto method =
      c->Choice(t, section, "method",
                {"enrolled", "attribution_file", "program_enrollment", "plurality"}, false);
  if (auto v = method) {
    a->method = *v == "enrolled"             ? AttributionMethod::kEnrolled
                : *v == "attribution_file"   ? AttributionMethod::kAttributionFile
                : *v == "program_enrollment" ? AttributionMethod::kProgramEnrollment
                                             : AttributionMethod::kPlurality;
  }
  if (auto v = c->Choice(t, section, "level", {"tin", "npi"}, false)) {
    a->level = *v == "tin" ? AttributionLevel::kTin : AttributionLevel::kNpi;
  }
  if (auto v = c->Choice(t, section, "timing", {"prospective", "retrospective"}, false)) {
    a->timing =
        *v == "prospective" ? AttributionTiming::kProspective : AttributionTiming::kRetrospective;
  }
  if (auto v = c->Integer(t, section, "window_months", 12, 24, false)) {
    if (*v != 12 && *v != 24) {
      c->Error(t.get("window_months"), section, "window_months", "expected 12 or 24");
    }
    a->window_months = static_cast<int>(*v);
  }
  if (auto v = c->Choice(t, section, "frequency", {"annual", "quarterly"}, false)) {
    a->frequency =
        *v == "annual" ? AttributionFrequency::kAnnual : AttributionFrequency::kQuarterly;
  }
  if (auto v = c->Choice(t, section, "new_members", {"exclude", "retrospective"}, false)) {
    a->new_members = *v == "exclude" ? NewMemberRule::kExclude : NewMemberRule::kRetrospective;
  }
  if (auto v = c->Choice(t, section, "amount", {"allowed", "paid"}, false)) {
    a->use_allowed = *v == "allowed";
  }
  if (auto v = c->String(t, section, "services", false)) {
    a->services = *v;
  }
  if (auto v = c->String(t, section, "provider", false)) {
    a->provider = *v;
  }
  if (auto v = c->String(t, section, "file", false)) {
    a->file = *v;
  }
  if (auto v = c->String(t, section, "providers", false)) {
    a->providers_file = *v;
  }
  if (auto v = c->StringList(t, section, "participants", false)) {
    a->participants = *v;
  }
  if (a->method == AttributionMethod::kAttributionFile && a->file.empty()) {
    c->Error(&t, section, "file", "required when method = \"attribution_file\"");
  }
  // With a method that did not parse, the keys it allows are unknown: no further errors.
  if (t.contains("method") && !method) {
    return;
  }
  const bool plurality = a->method == AttributionMethod::kPlurality;
  for (const char* key :
       {"level", "timing", "window_months", "new_members", "amount", "services", "providers"}) {
    if (!plurality && t.contains(key)) {
      c->Error(t.get(key), section, key,
               fmt::format("only the plurality method uses this key (method = \"{}\")",
                           AttributionMethodName(a->method)));
    }
  }
  if (a->method != AttributionMethod::kAttributionFile && t.contains("file")) {
    c->Error(t.get("file"), section, "file", "only method = \"attribution_file\" reads a file");
  }
}

}  // namespace valuepact
