// [[episode]] (episode_terms.h).
#include "valuepact/contract/episode_terms.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "contract/sections.h"
#include "valuepact/contract/schema.h"

namespace valuepact {
namespace {

// The service category names (docs/service-categories.md), in the dataset's order.
const std::vector<std::string>& CategoryNames() {
  static const std::vector<std::string> n = {"acute_inpatient",
                                             "outpatient",
                                             "emergency_department",
                                             "professional",
                                             "skilled_nursing",
                                             "home_health",
                                             "hospice",
                                             "dme",
                                             "pharmacy",
                                             "other"};
  return n;
}

std::vector<std::string> CodeList(const toml::table& t, std::string_view section,
                                  std::string_view key, TomlChecker* c) {
  auto v = c->StringList(t, section, key, false);
  if (!v) return {};
  for (auto& code : *v) {
    std::string upper;
    for (char ch : code) {
      if (ch != '.' && ch != ' ') {
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      }
    }
    code = upper;
  }
  return *v;
}

// Revenue codes as four digits ("161" is "0161"); a prefix ("016*") is kept as written.
std::vector<std::string> RevenueCodes(const toml::table& t, std::string_view section,
                                      std::string_view key, TomlChecker* c) {
  std::vector<std::string> v = CodeList(t, section, key, c);
  for (auto& code : v) {
    if (!code.empty() && code.find_first_not_of("0123456789") == std::string::npos) {
      while (code.size() < 4) code.insert(code.begin(), '0');
    }
  }
  return v;
}

// trigger.claims = { place_of_service = [...], revenue_code = [...], definition = "...",
// gap_days = N }: program admissions built from claim lines.
void ParseClaimsRule(const toml::table& trig, const std::string& ts, TomlChecker* c,
                     EpisodeClaimsRule* out) {
  const toml::node* n = trig.get("claims");
  if (n == nullptr) return;
  const toml::table* t = n->as_table();
  if (t == nullptr) {
    c->Error(n, ts, "claims", "expected a table, e.g. { place_of_service = [\"12\"] }");
    return;
  }
  const std::string cs = ts + ".claims";
  c->AllowOnly(*t, cs, KeysOf("episode.trigger.claims"));
  out->declared = true;
  out->place_of_service = CodeList(*t, cs, "place_of_service", c);
  out->revenue_code = RevenueCodes(*t, cs, "revenue_code", c);
  out->definition = c->String(*t, cs, "definition", false).value_or("");
  out->gap_days = static_cast<int>(c->Integer(*t, cs, "gap_days", 0, 30, false).value_or(1));
  if (out->empty() && c->ok()) {
    c->Error(t, ts, "claims", "give place_of_service, revenue_code or definition");
  }
}

void ParseTrigger(const toml::table& t, const std::string& sec, TomlChecker* c, EpisodeTerms* out) {
  const toml::node* n = t.get("trigger");
  const toml::table* trig = n != nullptr ? n->as_table() : nullptr;
  if (trig == nullptr) {
    c->Error(n != nullptr ? n : &t, sec, "trigger",
             n == nullptr ? "required key is missing"
                          : "expected a table, e.g. { drg = [\"291\", \"292\", \"293\"] }");
    return;
  }
  const std::string ts = sec + ".trigger";
  c->AllowOnly(*trig, ts, KeysOf("episode.trigger"));
  EpisodeTrigger& g = out->trigger;
  g.definition = c->String(*trig, ts, "definition", false).value_or("");
  g.program = c->String(*trig, ts, "program", false).value_or("");
  // DRGs are compared as three digits: "65", "065" and "0065" are the same code.
  if (auto drg = c->StringList(*trig, ts, "drg", false)) {
    for (const auto& code : *drg) g.drg.push_back(CanonicalDrg(code));
  }
  g.hcpcs = CodeList(*trig, ts, "hcpcs", c);
  ParseClaimsRule(*trig, ts, c, &g.claims);
  if (g.claims.declared && g.program.empty()) {
    c->Error(trig->get("claims"), ts, "claims",
             "a program admission from the claims needs program = \"name\" beside it");
  }
  if (!g.stays() && g.program.empty() && c->ok()) {
    c->Error(trig, sec, "trigger",
             "give drg = [...], hcpcs = [...] (a non-empty list) or definition = \"...\", or "
             "program = \"name\"");
  }
}

void ParseServices(const toml::table& t, const std::string& sec, TomlChecker* c,
                   EpisodeTerms* out) {
  const toml::node* n = t.get("services");
  if (n == nullptr || (n->is_string() && *n->value<std::string>() == "all")) return;
  auto list = c->StringList(t, sec, "services", false);
  if (!list) return;
  for (const auto& name : *list) {
    const auto& names = CategoryNames();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      c->Error(n, sec, "services",
               fmt::format("'{}' is not a service category ({})", name, fmt::join(names, ", ")));
    }
  }
  out->services = *list;
}

void ParseFamilies(const toml::table& t, const std::string& sec, TomlChecker* c,
                   EpisodeTerms* out) {
  const toml::node* n = t.get("drg_families");
  if (n == nullptr) return;
  const toml::table* fam = n->as_table();
  if (fam == nullptr) {
    c->Error(n, sec, "drg_families",
             "expected a table, e.g. { heart_failure = [\"291\", \"292\", \"293\"] }");
    return;
  }
  std::set<std::string> seen;
  for (const auto& [k, v] : *fam) {
    const std::string name(k.str());
    auto codes = c->StringList(*fam, sec + ".drg_families", name, true);
    if (!codes) continue;
    for (auto& code : *codes) {
      code = CanonicalDrg(code);
      if (!seen.insert(code).second) {
        c->Error(&v, sec + ".drg_families", name, fmt::format("DRG {} is in two families", code));
      }
    }
    out->drg_families.emplace_back(name, *codes);
  }
}

// target.risk_adjust = "cms_hcc" or a list of "cms_hcc", "age", "dual"; target.min_cell.
void ParseRiskAdjust(const toml::table& tt, const std::string& ts, TomlChecker* c,
                     EpisodeTargetTerms* g) {
  const toml::node* n = tt.get("risk_adjust");
  if (n != nullptr) {
    std::vector<std::string> list;
    if (auto one = n->value<std::string>()) {
      list.push_back(*one);
    } else if (auto many = c->StringList(tt, ts, "risk_adjust", false)) {
      list = *many;
    }
    for (const auto& x : list) {
      if (x != "cms_hcc" && x != "age" && x != "dual") {
        c->Error(n, ts, "risk_adjust", fmt::format("'{}': use cms_hcc, age or dual", x));
      } else if (std::find(g->risk_adjust.begin(), g->risk_adjust.end(), x) ==
                 g->risk_adjust.end()) {
        g->risk_adjust.push_back(x);
      }
    }
  }
  g->min_cell = static_cast<int>(c->Integer(tt, ts, "min_cell", 1, 100000, false).value_or(11));
}

void ParseTarget(const toml::table& t, const std::string& sec, TomlChecker* c, EpisodeTerms* out) {
  const toml::node* n = t.get("target");
  if (n == nullptr) return;
  const toml::table* tt = n->as_table();
  const std::string ts = sec + ".target";
  if (tt == nullptr) {
    c->Error(n, sec, "target", "expected a table: { price = 25000.00 } or { baseline = ... }");
    return;
  }
  c->AllowOnly(*tt, ts, KeysOf("episode.target"));
  EpisodeTargetTerms& g = out->target;
  g.declared = true;
  g.price = c->Amount(*tt, ts, "price", false, false);
  if (const toml::table* by = tt->get_as<toml::table>("by_family")) {
    for (const auto& [k, v] : *by) {
      if (auto m = c->Amount(*by, ts + ".by_family", k.str(), false, true)) {
        g.by_family.emplace_back(std::string(k.str()), *m);
      }
    }
  }
  if (const toml::table* b = tt->get_as<toml::table>("baseline")) {
    c->AllowOnly(*b, ts + ".baseline", {"start", "end"});
    auto start = c->DateValue(*b, ts + ".baseline", "start", true);
    auto end = c->DateValue(*b, ts + ".baseline", "end", true);
    if (start && end) {
      if (*end < *start) c->Error(b, ts, "baseline", "ends before it starts");
      g.baseline = Period{*start, *end};
    }
  } else if (tt->contains("baseline")) {
    c->Error(tt->get("baseline"), ts, "baseline",
             "expected { start = YYYY-MM-DD, end = YYYY-MM-DD }");
  }
  if (auto w = c->Number(*tt, ts, "winsorize_low", 0, 0.5, false)) g.winsorize_low = *w;
  if (auto w = c->Number(*tt, ts, "winsorize_high", 0.5, 1, false)) g.winsorize_high = *w;
  g.trend = c->Number(*tt, ts, "trend", -0.5, 1, false).value_or(0);
  g.discount = c->Number(*tt, ts, "discount", 0, 1, false).value_or(0);
  ParseRiskAdjust(*tt, ts, c, &g);
  const int ways = (g.price ? 1 : 0) + (g.by_family.empty() ? 0 : 1) + (g.baseline ? 1 : 0);
  if (ways != 1) {
    c->Error(tt, sec, "target", "give exactly one of price, by_family or baseline");
  }
  if (!g.baseline &&
      (tt->contains("winsorize_low") || tt->contains("winsorize_high") || tt->contains("trend"))) {
    c->Error(tt, sec, "target", "winsorize_low, winsorize_high and trend apply to a baseline");
  }
  const bool cells =
      std::find(g.risk_adjust.begin(), g.risk_adjust.end(), "age") != g.risk_adjust.end() ||
      std::find(g.risk_adjust.begin(), g.risk_adjust.end(), "dual") != g.risk_adjust.end();
  if (cells && !g.baseline) {
    c->Error(tt->get("risk_adjust"), ts, "risk_adjust",
             "age and dual adjust against a baseline's cells: give baseline = { ... }");
  }
}

void ParseReconciliation(const toml::table& t, const std::string& sec, TomlChecker* c,
                         EpisodeTerms* out) {
  const toml::table* r = t.get_as<toml::table>("reconciliation");
  if (r == nullptr) {
    if (t.contains("reconciliation")) {
      c->Error(t.get("reconciliation"), sec, "reconciliation", "expected a table");
    }
    return;
  }
  const std::string rs = sec + ".reconciliation";
  c->AllowOnly(*r, rs, KeysOf("episode.reconciliation"));
  out->reconciliation.stop_gain = c->Number(*r, rs, "stop_gain", 0, 1, false);
  out->reconciliation.stop_loss = c->Number(*r, rs, "stop_loss", 0, 1, false);
  out->reconciliation.quality_adjustment =
      c->Number(*r, rs, "quality_adjustment", 0, 1, false).value_or(1.0);
}

void ParseExclusions(const toml::table& t, const std::string& sec, TomlChecker* c,
                     EpisodeTerms* out) {
  out->exclude_diagnoses = CodeList(t, sec, "exclude_diagnoses", c);
  out->exclude_members =
      c->StringList(t, sec, "exclude_members", false).value_or(std::vector<std::string>{});
  out->exclude_death_in_anchor = c->Bool(t, sec, "exclude_death_in_anchor", false).value_or(true);
  out->exclude_transfers = c->Bool(t, sec, "exclude_transfers", false).value_or(true);
  out->in_population_only = c->Bool(t, sec, "population_only", false).value_or(true);
  if (const toml::table* h = t.get_as<toml::table>("home")) {
    c->AllowOnly(*h, sec + ".home", {"place_of_service", "revenue_code"});
    out->home.place_of_service = c->StringList(*h, sec + ".home", "place_of_service", false)
                                     .value_or(std::vector<std::string>{});
    out->home.revenue_code = RevenueCodes(*h, sec + ".home", "revenue_code", c);
  }
}

void ParseEpisode(const toml::table& t, int index, TomlChecker* c, std::set<std::string>* ids,
                  EpisodeTerms* out) {
  const std::string sec = fmt::format("episode[{}]", index);
  c->AllowOnly(t, sec, KeysOf("episode"));
  out->source_line = static_cast<int>(t.source().begin.line);
  out->id = c->String(t, sec, "id", true).value_or("");
  if (out->id.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
      std::string::npos) {
    c->Error(t.get("id"), sec, "id",
             fmt::format("'{}': use letters, digits, '-' and '_' only", out->id));
  }
  if (!out->id.empty() && !ids->insert(out->id).second) {
    c->Error(t.get("id"), sec, "id", fmt::format("'{}' is used twice", out->id));
  }
  out->label = c->String(t, sec, "label", false).value_or(out->id);
  ParseTrigger(t, sec, c, out);
  out->window_days = static_cast<int>(c->Integer(t, sec, "window_days", 0, 3650, true).value_or(0));
  ParseServices(t, sec, c, out);
  ParseFamilies(t, sec, c, out);
  ParseExclusions(t, sec, c, out);
  out->extend_on_overlap =
      c->Choice(t, sec, "overlap", {"fold", "extend"}, false).value_or("fold") == "extend";
  ParseTarget(t, sec, c, out);
  ParseReconciliation(t, sec, c, out);
}

}  // namespace

void ParseEpisodes(const toml::table& doc, TomlChecker* c, std::vector<EpisodeTerms>* out) {
  const toml::node* e = doc.get("episode");
  if (e == nullptr) return;
  const toml::array* arr = e->as_array();
  if (arr == nullptr || !arr->is_array_of_tables()) {
    c->Error(e, "", "episode", "expected [[episode]] tables");
    return;
  }
  std::set<std::string> ids;
  int i = 0;
  for (const auto& x : *arr) {
    EpisodeTerms ep;
    ParseEpisode(*x.as_table(), ++i, c, &ids, &ep);
    out->push_back(std::move(ep));
  }
}

}  // namespace valuepact
