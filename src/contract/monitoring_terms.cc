// [[target]] and [[trigger]] (monitoring_terms.h).
#include "valuepact/contract/monitoring_terms.h"

#include <set>

#include <fmt/format.h>

#include "contract/sections.h"
#include "valuepact/contract/schema.h"

namespace valuepact {
namespace {

const std::vector<std::string> kGranularities = {"month", "quarter", "period"};

MonitoringGranularity Granularity(const toml::table& t, std::string_view section, TomlChecker* c) {
  const auto g = c->Choice(t, section, "period", kGranularities, false).value_or("month");
  return g == "quarter"  ? MonitoringGranularity::kQuarter
         : g == "period" ? MonitoringGranularity::kPeriod
                         : MonitoringGranularity::kMonth;
}

// id, label and metric, common to both; ids are unique within their kind.
template <typename T>
void ParseCommon(const toml::table& t, const std::string& section, int index, TomlChecker* c,
                 std::set<std::string>* ids, T* out) {
  out->source_line = static_cast<int>(t.source().begin.line);
  out->id = c->String(t, section, "id", false).value_or(fmt::format("{}-{}", section, index));
  if (!ids->insert(out->id).second) {
    c->Error(t.get("id"), section, "id", fmt::format("'{}' is used twice", out->id));
  }
  out->label = c->String(t, section, "label", false).value_or(out->id);
  out->metric = c->String(t, section, "metric", true).value_or("");
  out->granularity = Granularity(t, section, c);
}

void ParseTarget(const toml::table& t, int index, TomlChecker* c, std::set<std::string>* ids,
                 TargetTerms* out) {
  const std::string section = "target";
  c->AllowOnly(t, section, KeysOf(section));
  ParseCommon(t, section, index, c, ids, out);
  out->threshold = c->Number(t, section, "threshold", -1e15, 1e15, true).value_or(0);
  out->at_most =
      c->Choice(t, section, "direction", {"at_most", "at_least"}, true).value_or("at_most") ==
      "at_most";
  out->at_risk_margin = c->Number(t, section, "at_risk_margin", 0.0, 1.0, false).value_or(0.10);
}

void ParseTrigger(const toml::table& t, int index, TomlChecker* c, std::set<std::string>* ids,
                  TriggerTerms* out) {
  const std::string section = "trigger";
  c->AllowOnly(t, section, KeysOf(section));
  ParseCommon(t, section, index, c, ids, out);
  out->above =
      c->Choice(t, section, "condition", {"above", "below"}, true).value_or("above") == "above";
  if (const toml::node* th = t.get("threshold"); th != nullptr && th->is_string()) {
    out->relative_to_benchmark =
        c->Choice(t, section, "threshold", {"benchmark"}, true).has_value();
  } else {
    out->threshold = c->Number(t, section, "threshold", -1e15, 1e15, true);
  }
  out->factor = c->Number(t, section, "factor", 0.0, 100.0, false).value_or(1.0);
  if (t.contains("factor") && !out->relative_to_benchmark) {
    c->Error(t.get("factor"), section, "factor", "only with threshold = \"benchmark\"");
  }
  out->consecutive =
      static_cast<int>(c->Integer(t, section, "consecutive", 1, 120, false).value_or(1));
  out->action = c->String(t, section, "action", true).value_or("");
}

template <typename T, typename F>
void ParseList(const toml::node* n, const char* name, F parse, TomlChecker* c,
               std::vector<T>* out) {
  const toml::array* arr = n->as_array();
  if (arr == nullptr || !arr->is_array_of_tables()) {
    c->Error(n, "", name, fmt::format("expected [[{}]] tables", name));
    return;
  }
  std::set<std::string> ids;
  int i = 0;
  for (const auto& e : *arr) {
    T terms;
    parse(*e.as_table(), ++i, c, &ids, &terms);
    out->push_back(std::move(terms));
  }
}

}  // namespace

const char* GranularityName(MonitoringGranularity g) {
  switch (g) {
    case MonitoringGranularity::kQuarter:
      return "quarter";
    case MonitoringGranularity::kPeriod:
      return "period";
    case MonitoringGranularity::kMonth:
      break;
  }
  return "month";
}

void ParseComparison(const toml::table& doc, TomlChecker* c, std::optional<ComparisonTerms>* out) {
  const toml::node* n = doc.get("comparison");
  if (n == nullptr) {
    return;
  }
  const std::string section = "comparison";
  const toml::table* t = n->as_table();
  if (t == nullptr) {
    c->Error(n, "", section, "expected a [comparison] table");
    return;
  }
  c->AllowOnly(*t, section, KeysOf(section));
  ComparisonTerms k;
  k.source_line = static_cast<int>(t->source().begin.line);
  k.label = c->String(*t, section, "label", false).value_or(k.label);
  k.population = c->String(*t, section, "population", true).value_or("");
  k.risk_adjust = c->Bool(*t, section, "risk_adjust", false).value_or(false);
  k.model = c->Choice(*t, section, "model", {"V24", "V28", "blend"}, false).value_or("");
  k.payment_year =
      static_cast<int>(c->Integer(*t, section, "payment_year", 2000, 2100, false).value_or(0));
  if (!k.risk_adjust && (t->contains("model") || t->contains("payment_year"))) {
    c->Error(t->get(t->contains("model") ? "model" : "payment_year"), section,
             t->contains("model") ? "model" : "payment_year", "only with risk_adjust = true");
  }
  *out = std::move(k);
}

void ParseMonitoringSections(const toml::table& doc, TomlChecker* c,
                             std::vector<TargetTerms>* targets,
                             std::vector<TriggerTerms>* triggers) {
  if (const toml::node* n = doc.get("target")) {
    ParseList(n, "target", ParseTarget, c, targets);
  }
  if (const toml::node* n = doc.get("trigger")) {
    ParseList(n, "trigger", ParseTrigger, c, triggers);
  }
}

}  // namespace valuepact
