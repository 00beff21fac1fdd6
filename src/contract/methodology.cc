#include "valuepact/contract/methodology.h"
#include "valuepact/contract/schema.h"

#include "contract/sections.h"

#include <algorithm>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "valuepact/contract/contract.h"
#include "valuepact/contract/presets.h"

namespace valuepact {
namespace {

std::vector<CorridorBand> ParseCorridor(const toml::table& t, std::string_view section,
                                        std::string_view key, TomlChecker* c) {
  std::vector<CorridorBand> out;
  const toml::node* n = t.get(key);
  const toml::array* a = n != nullptr ? n->as_array() : nullptr;
  if (a == nullptr) {
    c->Error(n, section, key,
             "expected a list of bands { from = 0.03, to = 0.06, provider_share = 0.5 }");
    return out;
  }
  const std::string sec = fmt::format("{}.{}", section, key);
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::table* b = a->get(i)->as_table();
    if (b == nullptr) {
      c->Error(a->get(i), sec, fmt::format("[{}]", i + 1), "expected a table");
      continue;
    }
    const std::string bs = fmt::format("{}[{}]", sec, i + 1);
    c->AllowOnly(*b, bs, {"from", "to", "provider_share", "description"});
    CorridorBand band;
    band.from = c->Number(*b, bs, "from", 0, 10, true).value_or(0);
    band.to = c->Number(*b, bs, "to", 0, 10, false);
    band.provider_share = c->Number(*b, bs, "provider_share", 0, 1, true).value_or(0);
    if (band.to && *band.to <= band.from) {
      c->Error(b->get("to"), bs, "to", "must be above `from`");
    }
    if (!out.empty()) {
      const CorridorBand& prev = out.back();
      if (!prev.to) {
        c->Error(b, bs, "from", "the previous band has no upper end, so no band can follow it");
      } else if (std::abs(*prev.to - band.from) > 1e-12) {
        c->Error(b->get("from"), bs, "from",
                 fmt::format("bands must be contiguous: the previous band ends at {}", *prev.to));
      }
    } else if (band.from != 0.0) {
      c->Error(b->get("from"), bs, "from",
               "the first band must start at 0 (write a band with provider_share = 0 for the "
               "part the payer keeps)");
    }
    out.push_back(band);
  }
  return out;
}

}  // namespace

const std::vector<std::string>& MethodologyKeys() {
  static const std::vector<std::string> k = KeysOf("methodology");
  return k;
}

void ApplyMethodologyKeys(const toml::table& t, std::string_view section, const std::string& clause,
                          TomlChecker* c, SharedSavingsTerms* s) {
  auto has = [&](const char* key) { return t.contains(key); };
  auto mark = [&](const char* key) { s->sources[key] = clause + "." + key; };
  auto num = [&](const char* key, double lo, double hi, double* out) {
    if (!has(key)) return;
    if (auto v = c->Number(t, section, key, lo, hi, false)) {
      *out = *v;
      mark(key);
    }
  };
  auto opt = [&](const char* key, double lo, double hi, std::optional<double>* out) {
    if (!has(key)) return;
    if (auto v = c->Number(t, section, key, lo, hi, false)) {
      *out = *v;
      mark(key);
    }
  };
  auto flag = [&](const char* key, bool* out) {
    if (!has(key)) return;
    if (auto v = c->Bool(t, section, key, false)) {
      *out = *v;
      mark(key);
    }
  };
  num("sharing_rate", 0, 1, &s->sharing_rate);
  if (has("quality_method")) {
    if (auto v = c->Choice(t, section, "quality_method",
                           {"multiplier", "standard", "sliding_scale"}, false)) {
      s->quality_method = *v == "multiplier" ? QualityMethod::kMultiplier
                          : *v == "standard" ? QualityMethod::kStandard
                                             : QualityMethod::kSlidingScale;
      mark("quality_method");
    }
  }
  num("quality_score", 0, 1, &s->quality_score);
  opt("savings_cap", 0, 1, &s->savings_cap);
  num("sequestration", 0, 1, &s->sequestration);
  if (has("sequestration_order")) {
    if (auto v = c->Choice(t, section, "sequestration_order", {"before_cap", "after_cap"}, false)) {
      s->sequestration_before_cap = *v == "before_cap";
      mark("sequestration_order");
    }
  }
  flag("low_revenue_half_rate", &s->low_revenue_half_rate);
  num("minimum_savings_rate", 0, 1, &s->minimum_savings_rate);
  if (has("minimum_savings_rate") && !has("msr_method")) s->msr_method = MsrMethod::kFixed;
  num("minimum_loss_rate", 0, 1, &s->minimum_loss_rate);
  if (has("minimum_loss_rate") && !has("symmetric_mlr")) s->symmetric_mlr = false;
  flag("symmetric_mlr", &s->symmetric_mlr);
  if (has("elected_msr")) {
    const toml::node* n = t.get("elected_msr");
    if (n->is_string() && *n->value<std::string>() == "variable") {
      s->elected_variable = true;
      s->elected_msr.reset();
      mark("elected_msr");
    } else if (n->is_number()) {
      const double v = *n->value<double>();
      bool allowed = false;
      for (double e : {0.0, 0.005, 0.01, 0.015, 0.02}) allowed |= std::abs(v - e) < 1e-12;
      if (!allowed) {
        c->Error(n, section, "elected_msr",
                 fmt::format("{} is not an MSR election (0, 0.005, 0.01, 0.015, 0.02 or "
                             "\"variable\"; 42 CFR 425.606(b)(1)(ii))",
                             v));
      } else {
        s->elected_msr = v;
        s->elected_variable = false;
        mark("elected_msr");
      }
    } else {
      c->Error(n, section, "elected_msr", "expected 0, 0.005, 0.01, 0.015, 0.02 or \"variable\"");
    }
    if (!has("msr_method")) s->msr_method = MsrMethod::kElected;
  }
  if (has("msr_method")) {
    if (auto v = c->Choice(t, section, "msr_method", {"fixed", "variable", "elected"}, false)) {
      s->msr_method = *v == "fixed"      ? MsrMethod::kFixed
                      : *v == "variable" ? MsrMethod::kVariable
                                         : MsrMethod::kElected;
      mark("msr_method");
      s->sources["minimum_savings_rate"] = clause + ".msr_method";
    }
  }
  if (has("small_population")) {
    if (auto v =
            c->Choice(t, section, "small_population", {"bands", "variable", "no_sharing"}, false)) {
      s->small_population = *v;
      mark("small_population");
    }
  }
  if (has("small_population_threshold")) {
    if (auto v = c->Integer(t, section, "small_population_threshold", 0, 10'000'000, false)) {
      s->small_population_threshold = *v;
      mark("small_population_threshold");
    }
  }
  opt("loss_sharing_rate", 0, 1, &s->loss_sharing_rate);
  if (has("loss_sharing_rate")) {
    if (!has("loss_rate_method")) s->loss_rate_method = LossRateMethod::kFlat;
    if (!has("two_sided")) s->two_sided = true;
  }
  flag("two_sided", &s->two_sided);
  if (has("loss_rate_method")) {
    if (auto v = c->Choice(t, section, "loss_rate_method",
                           {"flat", "one_minus_final_sharing_rate", "one_minus_quality"}, false)) {
      s->loss_rate_method = *v == "flat" ? LossRateMethod::kFlat
                            : *v == "one_minus_final_sharing_rate"
                                ? LossRateMethod::kOneMinusFinalSharingRate
                                : LossRateMethod::kOneMinusQuality;
      mark("loss_rate_method");
      if (!has("two_sided")) s->two_sided = true;
    }
  }
  num("loss_quality_factor", 0, 1, &s->loss_quality_factor);
  opt("loss_rate_floor", 0, 1, &s->loss_rate_floor);
  opt("loss_rate_ceiling", 0, 1, &s->loss_rate_ceiling);
  opt("loss_rate_quality_failed", 0, 1, &s->loss_rate_quality_failed);
  opt("loss_cap", 0, 1, &s->loss_cap);
  opt("loss_cap_revenue", 0, 1, &s->loss_cap_revenue);
  if (has("loss_limit")) {
    if (auto v = c->Choice(t, section, "loss_limit", {"benchmark", "revenue", "lower"}, false)) {
      s->loss_limit_form = *v == "benchmark" ? LossLimitForm::kBenchmark
                           : *v == "revenue" ? LossLimitForm::kRevenue
                                             : LossLimitForm::kLower;
      mark("loss_limit");
    }
  } else if (has("loss_cap_revenue")) {
    s->loss_limit_form = s->loss_cap ? LossLimitForm::kLower : LossLimitForm::kRevenue;
  } else if (has("loss_cap") && !s->loss_cap_revenue) {
    s->loss_limit_form = LossLimitForm::kBenchmark;
  }
  flag("extreme_uncontrollable", &s->extreme_uncontrollable);
  num("loss_reduction_fraction", 0, 1, &s->loss_reduction_fraction);
  if (has("loss_reduction_fraction") && !has("extreme_uncontrollable")) {
    s->extreme_uncontrollable = true;
  }
  if (has("corridor")) {
    s->savings_corridor = ParseCorridor(t, section, "corridor", c);
    mark("corridor");
  }
  if (has("loss_corridor")) {
    s->loss_corridor = ParseCorridor(t, section, "loss_corridor", c);
    mark("loss_corridor");
    if (!has("two_sided")) s->two_sided = true;
  }
  flag("corridor_symmetric", &s->corridor_symmetric);
  if (has("corridor_symmetric") && s->corridor_symmetric && !has("two_sided")) {
    s->two_sided = true;
  }
  if (has("member_truncation")) {
    s->member_truncation = c->Amount(t, section, "member_truncation", false, false);
    mark("member_truncation");
  }
  opt("truncation_percentile", 0, 1, &s->truncation_percentile);
  if (s->member_truncation && s->truncation_percentile && has("truncation_percentile")) {
    s->member_truncation.reset();
  } else if (has("member_truncation")) {
    s->truncation_percentile.reset();
  }
  if (s->loss_rate_floor && s->loss_rate_ceiling && *s->loss_rate_floor > *s->loss_rate_ceiling) {
    c->Error(t.get(has("loss_rate_floor") ? "loss_rate_floor" : "loss_rate_ceiling"), section,
             has("loss_rate_floor") ? "loss_rate_floor" : "loss_rate_ceiling",
             "the floor is above the ceiling");
  }
}

Result<SetOverrides> ParseSetArguments(const std::vector<std::string>& args) {
  SetOverrides out;
  for (const auto& s : args) {
    const size_t eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidInput(fmt::format("--set {}: expected key=value", s));
    }
    out.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  return out;
}

Result<toml::table> OverridesTable(const SetOverrides& sets) {
  toml::table out;
  for (const auto& [key, value] : sets) {
    try {
      toml::table one = toml::parse(fmt::format("v = {}", value));
      out.insert_or_assign(key, *one.get("v"));
    } catch (const toml::parse_error&) {
      out.insert_or_assign(key, value);  // a bare word: "variable", "lower", ...
    }
  }
  return out;
}

void BuildSharedSavingsTerms(const toml::table& doc, const Contract& k, const std::string& layer_id,
                             const toml::table* layer_table, int layer_index, int performance_year,
                             int contract_year, const toml::table* overrides, TomlChecker* c,
                             SharedSavingsTerms* out) {
  SharedSavingsTerms s;
  if (!k.preset.empty()) {
    auto p = PresetTerms(k.preset, performance_year, k.track_year);
    if (!p.ok()) {
      const toml::table* ct = doc.get_as<toml::table>("contract");
      c->Error(ct != nullptr ? ct->get("preset") : nullptr, "contract", "preset",
               p.status().message());
      return;
    }
    s = std::move(*p);
  }
  if (const toml::table* m = doc.get_as<toml::table>("methodology")) {
    ApplyMethodologyKeys(*m, "methodology", "[methodology]", c, &s);
  }
  if (layer_table != nullptr) {
    const std::string sec = fmt::format("payment[{}]", layer_index);
    ApplyMethodologyKeys(*layer_table, sec,
                         fmt::format("[[payment]] id = \"{}\" (contract line {})", layer_id,
                                     layer_table->source().begin.line),
                         c, &s);
    // v1: a loss term without a loss rate is a mistake in a one-sided contract.
    const bool glide = doc.contains("year");
    if (k.preset.empty() && !glide && !s.two_sided &&
        (layer_table->contains("loss_cap") || layer_table->contains("minimum_loss_rate"))) {
      const char* key = layer_table->contains("loss_cap") ? "loss_cap" : "minimum_loss_rate";
      c->Error(layer_table->get(key), sec, key,
               "has no effect without loss_sharing_rate (one-sided contract)");
    }
  }
  if (const toml::array* years = doc.get_as<toml::array>("year")) {
    int i = 0;
    for (const auto& e : *years) {
      ++i;
      const toml::table* y = e.as_table();
      if (y == nullptr) continue;  // reported by the contract parser
      const auto yr = y->get("year") != nullptr ? y->get("year")->value<int64_t>() : std::nullopt;
      if (!yr || *yr != contract_year) continue;
      if (const toml::node* l = y->get("layer")) {
        if (l->value<std::string>().value_or("") != layer_id) continue;
      }
      ApplyMethodologyKeys(
          *y, fmt::format("year[{}]", i),
          fmt::format("[[year]] year = {} (contract line {})", *yr, y->source().begin.line), c, &s);
    }
  }
  if (overrides != nullptr) ApplyMethodologyKeys(*overrides, "--set", "--set", c, &s);
  *out = std::move(s);
}

Result<SharedSavingsTerms> ResolveSharedSavingsTerms(const Contract& k, const std::string& layer_id,
                                                     const ResolveOptions& o) {
  if (!k.document) return InvalidInput("contract has no parsed document");
  const toml::table& doc = k.document->table;
  const toml::table* layer_table = nullptr;
  int index = 0;
  if (const toml::array* arr = doc.get_as<toml::array>("payment")) {
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::table* t = arr->get(i)->as_table();
      if (t != nullptr && t->get("id") != nullptr &&
          t->get("id")->value<std::string>().value_or("") == layer_id) {
        layer_table = t;
        index = static_cast<int>(i) + 1;
      }
    }
  }
  toml::table overrides;
  if (!o.set.empty()) {
    auto t = OverridesTable(o.set);
    if (!t.ok()) return t.status();
    overrides = std::move(*t);
    for (const auto& [key, v] : overrides) {
      const auto& keys = MethodologyKeys();
      if (std::find(keys.begin(), keys.end(), std::string(key.str())) == keys.end()) {
        return InvalidInput(fmt::format("--set {}: not a methodology term", key.str()));
      }
    }
  }
  TomlChecker c(k.path);
  SharedSavingsTerms out;
  BuildSharedSavingsTerms(
      doc, k, layer_id, layer_table, index,
      o.performance_year > 0 ? o.performance_year : static_cast<int>(k.performance_year),
      o.contract_year > 0 ? o.contract_year : k.contract_year, o.set.empty() ? nullptr : &overrides,
      &c, &out);
  if (!c.ok()) return c.ToStatus();
  return out;
}

}  // namespace valuepact
