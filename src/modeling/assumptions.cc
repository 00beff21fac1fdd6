#include "valuepact/modeling/assumptions.h"

#include <cmath>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "contract/toml_checker.h"
#include "valuepact/core/file_io.h"
#include "valuepact/dataset/program_data.h"

namespace valuepact::modeling {
namespace {

int LineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

// The [[name]] array of tables, or null (an error when the key holds something else).
const toml::array* TablesOf(const toml::table& root, std::string_view key, TomlChecker* c) {
  const toml::node* n = root.get(key);
  if (n == nullptr) return nullptr;
  const toml::array* a = n->as_array();
  if (a == nullptr || !a->is_array_of_tables()) {
    c->Error(n, "", key, fmt::format("expected [[{}]] tables", key));
    return nullptr;
  }
  return a;
}

void ParseDisciplines(const toml::table& root, TomlChecker* c, Assumptions* out) {
  const toml::array* a = TablesOf(root, "discipline", c);
  if (a == nullptr) return;
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::table& t = *a->get(i)->as_table();
    const std::string sec = fmt::format("discipline[{}]", i + 1);
    c->AllowOnly(t, sec, {"name", "hourly_cost", "description"});
    DisciplineCost d;
    d.name = c->String(t, sec, "name", true).value_or("");
    d.hourly_cost = c->Amount(t, sec, "hourly_cost", false, true).value_or(Money());
    d.line = LineOf(t);
    if (!d.name.empty() && out->FindDiscipline(d.name) != nullptr) {
      c->Error(t.get("name"), sec, "name", fmt::format("discipline '{}' is listed twice", d.name));
    }
    out->disciplines.push_back(std::move(d));
  }
}

void ParseEncounters(const toml::table& root, TomlChecker* c, Assumptions* out) {
  const toml::array* a = TablesOf(root, "encounter", c);
  if (a == nullptr) return;
  const std::vector<std::string> modalities(kModalityNames.begin(), kModalityNames.end());
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::table& t = *a->get(i)->as_table();
    const std::string sec = fmt::format("encounter[{}]", i + 1);
    c->AllowOnly(t, sec,
                 {"discipline", "modality", "per_member_month", "minutes", "travel_minutes",
                  "billable", "setting", "tier", "description"});
    Encounter e;
    e.discipline = c->String(t, sec, "discipline", true).value_or("");
    if (!e.discipline.empty() && out->FindDiscipline(e.discipline) == nullptr) {
      c->Error(t.get("discipline"), sec, "discipline",
               fmt::format("'{}' has no [[discipline]] with an hourly cost", e.discipline));
    }
    e.modality = c->Choice(t, sec, "modality", modalities, true).value_or("");
    e.per_member_month = c->Number(t, sec, "per_member_month", 0, 1000, true).value_or(0);
    e.minutes = c->Number(t, sec, "minutes", 0, 24 * 60, true).value_or(0);
    e.travel_minutes = c->Number(t, sec, "travel_minutes", 0, 24 * 60, false).value_or(0);
    e.billable = c->Bool(t, sec, "billable", false).value_or(true);
    e.setting = c->String(t, sec, "setting", false).value_or("");
    e.tier = c->String(t, sec, "tier", false).value_or("");
    e.line = LineOf(t);
    out->encounters.push_back(std::move(e));
  }
}

void ParseFixed(const toml::table& root, TomlChecker* c, Assumptions* out) {
  const toml::table* t = root.get_as<toml::table>("fixed");
  if (t == nullptr) return;
  c->AllowOnly(*t, "fixed", {"per_month", "startup_per_month", "startup_months"});
  if (const toml::table* items = t->get_as<toml::table>("per_month")) {
    for (const auto& [k, v] : *items) {
      const std::string name(k.str());
      if (auto amount = c->Amount(*items, "fixed.per_month", name, false, true)) {
        out->fixed.push_back({name, *amount});
      }
    }
  } else if (t->contains("per_month")) {
    if (auto amount = c->Amount(*t, "fixed", "per_month", false, true)) {
      out->fixed.push_back({"fixed", *amount});
    }
  }
  out->startup_per_month =
      c->Amount(*t, "fixed", "startup_per_month", false, false).value_or(Money());
  out->startup_months =
      static_cast<int>(c->Integer(*t, "fixed", "startup_months", 0, 600, false).value_or(0));
  if (out->startup_per_month.cents() > 0 && out->startup_months == 0) {
    c->Error(t->get("startup_per_month"), "fixed", "startup_months",
             "give the number of months the start-up cost lasts");
  }
}

// A table of shares by name that sum to 1.
Mix ParseMix(const toml::table& t, std::string_view section, std::string_view key, TomlChecker* c) {
  Mix out;
  const toml::node* n = t.get(key);
  if (n == nullptr) return out;
  const toml::table* m = n->as_table();
  if (m == nullptr) {
    c->Error(n, section, key,
             "expected a table of shares, e.g. { home = 0.8, nursing_facility = 0.2 }");
    return out;
  }
  const std::string sec = fmt::format("{}.{}", section, key);
  double sum = 0;
  for (const auto& [k, v] : *m) {
    const std::string name(k.str());
    if (auto share = c->Number(*m, sec, name, 0, 1, true)) {
      out.emplace_back(name, *share);
      sum += *share;
    }
  }
  if (!out.empty() && std::abs(sum - 1.0) > 1e-9) {
    c->Error(n, section, key, fmt::format("the shares add up to {}, not 1", sum));
  }
  return out;
}

std::vector<double> ParseReferrals(const toml::table& t, int months, TomlChecker* c) {
  const toml::node* n = t.get("referrals_per_month");
  if (n == nullptr) {
    c->Error(&t, "ramp", "referrals_per_month", "required key is missing");
    return {};
  }
  if (n->is_number()) {
    const double v = c->Number(t, "ramp", "referrals_per_month", 0, 1e7, true).value_or(0);
    return std::vector<double>(static_cast<size_t>(std::max(months, 0)), v);
  }
  const toml::array* a = n->as_array();
  if (a == nullptr) {
    c->Error(n, "ramp", "referrals_per_month", "expected a number or one number per month");
    return {};
  }
  std::vector<double> out;
  bool bad = false;
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node* v = a->get(i);
    if (!v->is_number() || *v->value<double>() < 0) {
      bad = true;
      c->Error(v, "ramp", fmt::format("referrals_per_month[{}]", i + 1),
               "expected a number of referrals, 0 or more");
      continue;
    }
    out.push_back(*v->value<double>());
  }
  if (static_cast<int>(out.size()) != months && !bad) {
    c->Error(n, "ramp", "referrals_per_month",
             fmt::format("{} values for {} months: give one per month (or a single number)",
                         out.size(), months));
  }
  return out;
}

void ParseExpected(const toml::table& t, TomlChecker* c, RampAssumptions* r) {
  const toml::node* n = t.get("expected");
  if (n == nullptr) return;
  const toml::table* m = n->as_table();
  if (m == nullptr) {
    c->Error(n, "ramp", "expected", "expected a table: layer id = expected share earned (0-1)");
    return;
  }
  for (const auto& [k, v] : *m) {
    const std::string id(k.str());
    if (auto share = c->Number(*m, "ramp.expected", id, 0, 1000, true)) {
      r->expected.emplace_back(id, *share);
    }
  }
}

void ParseRamp(const toml::table& root, TomlChecker* c, Assumptions* out) {
  const toml::table* t = root.get_as<toml::table>("ramp");
  if (t == nullptr) return;
  c->AllowOnly(*t, "ramp",
               {"months", "referrals_per_month", "acceptance_rate", "ineligible_share",
                "length_of_service_months", "initial_census", "population_members", "setting_mix",
                "tier_mix", "expected"});
  RampAssumptions r;
  r.months = static_cast<int>(c->Integer(*t, "ramp", "months", 1, 600, true).value_or(0));
  r.referrals = ParseReferrals(*t, r.months, c);
  r.acceptance_rate = c->Number(*t, "ramp", "acceptance_rate", 0, 1, true).value_or(0);
  r.ineligible_share = c->Number(*t, "ramp", "ineligible_share", 0, 1, false).value_or(0);
  if (r.acceptance_rate + r.ineligible_share > 1 + 1e-12) {
    c->Error(t->get("ineligible_share"), "ramp", "ineligible_share",
             "acceptance rate + ineligible share is more than 1");
  }
  r.length_of_service_months =
      c->Number(*t, "ramp", "length_of_service_months", 1, 1200, true).value_or(1);
  r.initial_census = c->Number(*t, "ramp", "initial_census", 0, 1e8, false).value_or(0);
  r.population_members = c->Number(*t, "ramp", "population_members", 0, 1e9, false);
  ParseExpected(*t, c, &r);
  out->ramp = std::move(r);
}

void ParseMixes(const toml::table& root, TomlChecker* c, Assumptions* out) {
  const toml::table* t = root.get_as<toml::table>("ramp");
  if (t == nullptr) return;
  out->setting_mix = ParseMix(*t, "ramp", "setting_mix", c);
  out->tier_mix = ParseMix(*t, "ramp", "tier_mix", c);
  const std::vector<std::string> settings(kCareSettingNames.begin(), kCareSettingNames.end());
  for (const auto& [name, share] : out->setting_mix) {
    if (std::find(settings.begin(), settings.end(), name) == settings.end()) {
      c->Error(t->get("setting_mix"), "ramp.setting_mix", name,
               "not a care setting (home, nursing_facility, assisted_living)");
    }
  }
}

void ParseRoi(const toml::table& root, TomlChecker* c, Assumptions* out) {
  const toml::table* t = root.get_as<toml::table>("roi");
  if (t == nullptr) return;
  c->AllowOnly(*t, "roi", {"savings", "payments", "description"});
  out->roi.savings = c->Amount(*t, "roi", "savings", true, false);
  out->roi.payments = c->Amount(*t, "roi", "payments", false, false);
}

// Encounters for a setting or tier the mix does not name would never be counted.
void CheckGroups(TomlChecker* c, const Assumptions& a) {
  auto named = [](const Mix& mix, const std::string& name) {
    return std::any_of(mix.begin(), mix.end(), [&](const auto& kv) { return kv.first == name; });
  };
  for (const Encounter& e : a.encounters) {
    const bool bad_setting = !e.setting.empty() && !named(a.setting_mix, e.setting);
    const bool bad_tier = !e.tier.empty() && !named(a.tier_mix, e.tier);
    if (bad_setting || bad_tier) {
      c->ErrorAt(
          e.line, 1, "encounter", bad_setting ? "setting" : "tier",
          fmt::format("'{}' is not in [ramp] {}: give the share of member-months in each "
                      "{} so the care model can be blended",
                      bad_setting ? e.setting : e.tier, bad_setting ? "setting_mix" : "tier_mix",
                      bad_setting ? "setting" : "tier"));
    }
  }
}

}  // namespace

Money Assumptions::fixed_per_month() const {
  Money sum;
  for (const auto& f : fixed) sum += f.amount;
  return sum;
}

const DisciplineCost* Assumptions::FindDiscipline(const std::string& name) const {
  for (const auto& d : disciplines) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

Result<Assumptions> ParseAssumptions(std::string_view text, const std::string& path) {
  auto parsed = ParseTomlText(text, path);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  TomlChecker c(path);
  c.AllowOnly(root, "", {"discipline", "encounter", "fixed", "ramp", "roi", "description"});
  Assumptions a;
  a.path = path;
  ParseDisciplines(root, &c, &a);
  ParseEncounters(root, &c, &a);
  ParseFixed(root, &c, &a);
  ParseMixes(root, &c, &a);
  ParseRamp(root, &c, &a);
  ParseRoi(root, &c, &a);
  if (c.ok()) CheckGroups(&c, a);
  if (a.encounters.empty() && c.ok() && root.contains("discipline")) {
    c.Error(&root, "", "encounter", "no [[encounter]]: the care model needs at least one");
  }
  if (!c.ok()) return c.ToStatus();
  return a;
}

Result<Assumptions> LoadAssumptions(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ParseAssumptions(*text, path);
}

}  // namespace valuepact::modeling
