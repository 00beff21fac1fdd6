// [data_requirements]: thresholds the data must meet and what a failure does to the money.
#include "valuepact/contract/data_requirements.h"

#include <cctype>
#include <cstdint>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "contract/sections.h"
#include "contract/toml_checker.h"

namespace valuepact {

const char* DataFailActionName(DataFailAction a) {
  switch (a) {
    case DataFailAction::kWarn:
      return "warn";
    case DataFailAction::kWithhold:
      return "withhold";
    case DataFailAction::kNoDownside:
      return "no_downside";
  }
  return "withhold";
}

namespace {

bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char ch : s) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}

// [[data_requirements.file]]: path = "...", rows = N and/or sha256 = "...".
void ParseExpectedFiles(const toml::table& t, TomlChecker* c, DataRequirements* r) {
  const toml::node* node = t.get("file");
  if (node == nullptr) return;
  const toml::array* arr = node->as_array();
  const std::string s = "data_requirements.file";
  if (arr == nullptr) {
    c->Error(node, "data_requirements", "file",
             "expected [[data_requirements.file]] tables (path, rows, sha256)");
    return;
  }
  for (const toml::node& n : *arr) {
    const toml::table* f = n.as_table();
    if (f == nullptr) {
      c->Error(&n, "data_requirements", "file", "each entry must be a table (path, rows, sha256)");
      continue;
    }
    c->AllowOnly(*f, s, {"path", "rows", "sha256"});
    ExpectedFile e;
    e.line = static_cast<int>(f->source().begin.line);
    if (auto v = c->String(*f, s, "path", true)) e.path = *v;
    if (auto v = c->Integer(*f, s, "rows", 0, INT64_MAX, false)) {
      e.rows = static_cast<uint64_t>(*v);
    }
    if (auto v = c->String(*f, s, "sha256", false)) {
      std::string lower;
      for (char ch : *v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (IsSha256Hex(lower)) {
        e.sha256 = lower;
      } else {
        c->Error(f->get("sha256"), s, "sha256", "expected 64 hexadecimal digits");
      }
    }
    if (!e.rows && e.sha256.empty()) {
      c->Error(f, s, "path", "give rows, sha256 or both for the file");
    }
    r->files.push_back(std::move(e));
  }
}

}  // namespace

void ParseDataRequirementsSection(const toml::table& t, TomlChecker* c, DataRequirements* r) {
  const std::string s = "data_requirements";
  r->declared = true;
  c->AllowOnly(
      t, s,
      {"min_enrollment_match", "max_invalid_dx_share", "delivery_day_of_month", "max_lag_days_p90",
       "max_duplicate_share", "min_completeness", "max_invalid_npi_share", "max_volume_drop",
       "max_overlapping_spans", "fail_on_volume_drop", "on_fail", "max_line_amount",
       "warn_reject_share", "max_reject_share", "file", "description"});
  auto share = [&](const char* key, std::optional<double>* out) {
    if (auto v = c->Number(t, s, key, 0, 1, false)) {
      *out = *v;
    }
  };
  auto whole = [&](const char* key, int64_t lo, int64_t hi, std::optional<int>* out) {
    if (auto v = c->Integer(t, s, key, lo, hi, false)) {
      *out = static_cast<int>(*v);
    }
  };
  share("min_enrollment_match", &r->min_enrollment_match);
  share("max_invalid_dx_share", &r->max_invalid_dx_share);
  share("max_duplicate_share", &r->max_duplicate_share);
  share("min_completeness", &r->min_completeness);
  share("max_invalid_npi_share", &r->max_invalid_npi_share);
  share("max_volume_drop", &r->max_volume_drop);
  if (auto v = c->Number(t, s, "warn_reject_share", 0, 1, false)) r->warn_reject_share = *v;
  if (auto v = c->Number(t, s, "max_reject_share", 0, 1, false)) r->max_reject_share = *v;
  if (r->warn_reject_share > r->max_reject_share) {
    c->Error(t.get("warn_reject_share"), s, "warn_reject_share",
             fmt::format("{} is above max_reject_share ({})", r->warn_reject_share,
                         r->max_reject_share));
  }
  ParseExpectedFiles(t, c, r);
  whole("delivery_day_of_month", 1, 31, &r->delivery_day_of_month);
  whole("max_lag_days_p90", 0, 3650, &r->max_lag_days_p90);
  whole("max_overlapping_spans", 0, 1000000000, &r->max_overlapping_spans);
  if (auto v = c->Bool(t, s, "fail_on_volume_drop", false)) {
    r->fail_on_volume_drop = *v;
  }
  if (auto v = c->Choice(t, s, "on_fail", {"warn", "withhold", "no_downside"}, false)) {
    r->on_fail = *v == "warn"       ? DataFailAction::kWarn
                 : *v == "withhold" ? DataFailAction::kWithhold
                                    : DataFailAction::kNoDownside;
  }
  if (auto v = c->Amount(t, s, "max_line_amount", false, false)) {
    if (v->cents() <= 0) {
      c->Error(t.get("max_line_amount"), s, "max_line_amount", "must be greater than 0");
    } else {
      r->max_line_amount = *v;
    }
  }
}

}  // namespace valuepact
