// [data_requirements]: thresholds the data must meet and what a failure does to the money.
#include "valuepact/contract/data_requirements.h"

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

void ParseDataRequirementsSection(const toml::table& t, TomlChecker* c, DataRequirements* r) {
  const std::string s = "data_requirements";
  r->declared = true;
  c->AllowOnly(t, s,
               {"min_enrollment_match", "max_invalid_dx_share", "delivery_day_of_month",
                "max_lag_days_p90", "max_duplicate_share", "min_completeness",
                "max_invalid_npi_share", "max_volume_drop", "max_overlapping_spans",
                "fail_on_volume_drop", "on_fail", "max_line_amount", "description"});
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
