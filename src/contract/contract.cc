#include "valuepact/contract/contract.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "contract/sections.h"
#include "contract/toml_checker.h"
#include "valuepact/contract/methodology.h"
#include "valuepact/contract/presets.h"
#include "valuepact/contract/schema.h"
#include "valuepact/core/file_io.h"
#include "valuepact/dataset/program_data.h"

namespace valuepact {
namespace {

// Top-level sections, every one parsed here into typed terms.
const std::vector<std::string>& TopLevelSections() {
  static const std::vector<std::string> s = {
      "contract",   "definitions", "population",        "attribution", "benchmark", "payment",
      "year",       "methodology", "data_requirements", "example",     "target",    "trigger",
      "comparison", "episode"};
  return s;
}

// Sections the contract language names but no engine applies yet: rejected with a clear word,
// never accepted and ignored.
struct PlannedSection {
  const char* name;
  const char* what;
};
constexpr PlannedSection kPlannedSections[] = {
    {"quality",
     "no engine reads it; a quality_incentive [[payment]] layer names its measure and "
     "settle reads the value from --measures"},
};

void ParseContractSection(const toml::table& t, TomlChecker* c, Contract* k) {
  c->AllowOnly(t, "contract", KeysOf("contract"));
  k->agreement_start = c->DateValue(t, "contract", "agreement_start", false);
  if (auto v = c->Integer(t, "contract", "agreement_period", 1, 20, false)) {
    k->agreement_period = static_cast<int>(*v);
  }
  if (auto v = c->String(t, "contract", "id", true)) {
    if (v->empty()) {
      c->Error(t.get("id"), "contract", "id", "must not be empty");
    }
    k->id = *v;
  }
  k->title = c->String(t, "contract", "title", false).value_or("");
  k->version = c->String(t, "contract", "version", false).value_or("");
  k->payer = c->String(t, "contract", "payer", false).value_or("");
  k->provider = c->String(t, "contract", "provider", false).value_or("");
  const bool preset = t.contains("preset");
  if (const toml::node* p = t.get("period")) {
    if (const toml::table* pt = p->as_table()) {
      c->AllowOnly(*pt, "contract.period", {"start", "end"});
      auto s = c->DateValue(*pt, "contract.period", "start", true);
      auto e = c->DateValue(*pt, "contract.period", "end", true);
      if (s && e) {
        if (*e < *s) {
          c->Error(p, "contract", "period", "end is before start");
        }
        k->period = {*s, *e};
      }
    } else {
      c->Error(p, "contract", "period", "expected a table { start = ..., end = ... }");
    }
  } else if (!preset) {
    c->Error(&t, "contract", "period", "required key is missing");
  }
  if (auto v = c->StringList(t, "contract", "payers", false)) {
    k->payers.clear();
    for (auto s : *v) {
      std::transform(s.begin(), s.end(), s.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      k->payers.push_back(s);
    }
  }
  if (auto v = c->StringList(t, "contract", "services", false)) {
    k->medical = k->pharmacy = false;
    for (const auto& s : *v) {
      if (s == "medical") {
        k->medical = true;
      } else if (s == "pharmacy") {
        k->pharmacy = true;
      } else {
        c->Error(t.get("services"), "contract", "services",
                 fmt::format("'{}' is not a service (medical | pharmacy)", s));
      }
    }
    if (v->empty()) {
      c->Error(t.get("services"), "contract", "services", "list is empty");
    }
  }
  if (auto v = c->Choice(t, "contract", "basis", {"paid", "allowed"}, false)) {
    k->basis = *v == "paid" ? AmountBasis::kPaid : AmountBasis::kAllowed;
  }
  if (auto v = c->Choice(t, "contract", "member_months", {"any_day", "full_month"}, false)) {
    k->member_months = *v == "any_day" ? MemberMonthRule::kAnyDay : MemberMonthRule::kFullMonth;
  }
  if (auto v = c->Choice(t, "contract", "claim_month", {"claim_start", "claim_end"}, false)) {
    k->claim_month = *v == "claim_start" ? ClaimMonthRule::kClaimStart : ClaimMonthRule::kClaimEnd;
  }
  if (preset) {
    std::vector<std::string> names;
    for (const auto& p : Presets()) {
      names.push_back(p.name);
    }
    if (auto v = c->Choice(t, "contract", "preset", names, true)) {
      k->preset = *v;
    }
    if (auto y = c->Integer(t, "contract", "performance_year", 2012, 2100, true)) {
      k->performance_year = *y;
    }
  } else if (t.contains("performance_year")) {
    k->performance_year =
        c->Integer(t, "contract", "performance_year", 1990, 2100, false).value_or(0);
  }
  k->track_year =
      static_cast<int>(c->Integer(t, "contract", "track_year", 1, 50, false).value_or(0));
  k->contract_year =
      static_cast<int>(c->Integer(t, "contract", "contract_year", 1, 100, false).value_or(1));
}

void ParsePopulation(const toml::table& t, TomlChecker* c, Contract* k) {
  c->AllowOnly(t, "population", KeysOf("population"));
  k->population.eligible = c->String(t, "population", "eligible", false).value_or("");
  if (auto v =
          c->Choice(t, "population", "evaluate", {"period_start", "monthly", "sticky"}, false)) {
    k->population.evaluate = *v == "period_start" ? PopulationEvaluation::kPeriodStart
                             : *v == "monthly"    ? PopulationEvaluation::kMonthly
                                                  : PopulationEvaluation::kSticky;
  }
  // `source = "attribution_file"` is the first form of [attribution] method = "attribution_file"
  // and means exactly that.
  const auto source = c->Choice(t, "population", "source", {"enrolled", "attribution_file"}, false);
  const auto file = c->String(t, "population", "attribution_file", false);
  if (source && *source == "attribution_file") {
    if (!file || file->empty()) {
      c->Error(&t, "population", "attribution_file",
               "required when source = \"attribution_file\" (a CSV of person_id[, start, end])");
    }
    k->attribution.declared = true;
    k->attribution.method = AttributionMethod::kAttributionFile;
    k->attribution.file = file.value_or("");
    k->attribution.line = static_cast<int>(t.source().begin.line);
  } else if (file) {
    c->Error(t.get("attribution_file"), "population", "attribution_file",
             "only read with source = \"attribution_file\"");
  }
}

void ParseBenchmark(const toml::table& t, bool from_aggregates, TomlChecker* c, Contract* k) {
  BenchmarkParseContext ctx;
  ctx.period_start_year = k->period.start.year() > 1970 ? k->period.start.year()
                                                        : static_cast<int>(k->performance_year);
  ctx.agreement = {k->agreement_start, k->agreement_period};
  ctx.from_aggregates = from_aggregates;
  ParseBenchmarkTerms(t, ctx, c, &k->benchmark);
}

// An episode_reconciliation layer names an [[episode]] that has a target.
void CheckEpisodeLayers(const toml::table& doc, TomlChecker* c, const Contract& k) {
  const toml::array* arr = doc.get_as<toml::array>("payment");
  for (size_t i = 0; i < k.payments.size(); ++i) {
    const auto& p = k.payments[i];
    if (p.kind != "episode_reconciliation" || p.episode.empty()) continue;
    const toml::node* node = arr != nullptr && i < arr->size() ? arr->get(i) : nullptr;
    const toml::node* at =
        node != nullptr && node->as_table() != nullptr ? node->as_table()->get("episode") : node;
    const auto it = std::find_if(k.episodes.begin(), k.episodes.end(),
                                 [&](const EpisodeTerms& e) { return e.id == p.episode; });
    if (it == k.episodes.end()) {
      c->Error(at, fmt::format("payment[{}]", i + 1), "episode",
               fmt::format("no [[episode]] with id '{}'", p.episode));
    } else if (!it->target.declared) {
      c->Error(at, fmt::format("payment[{}]", i + 1), "episode",
               fmt::format("[[episode]] {} has no target: it cannot be reconciled", p.episode));
    }
  }
}

const std::vector<std::string>& LayerKinds() {
  static const std::vector<std::string> k = {
      "case_rate",         "shared_savings",           "assessment_fee", "outlier_supplement",
      "quality_incentive", "data_reporting_incentive", "acp_incentive",  "episode_reconciliation"};
  return k;
}

// A case rate: one PMPM or one per care setting, on population or program member-months.
void ParseCaseRate(const toml::table& t, const std::string& section, TomlChecker* c,
                   CaseRateTerms* r) {
  if (auto v = c->Choice(t, section, "basis", {"population", "program"}, false)) {
    r->basis = *v == "population" ? CaseRateBasis::kPopulation : CaseRateBasis::kProgram;
  }
  const toml::node* pmpm = t.get("pmpm");
  if (const toml::table* by = pmpm != nullptr ? pmpm->as_table() : nullptr) {
    std::vector<std::string> settings(kCareSettingNames.begin(), kCareSettingNames.end());
    c->AllowOnly(*by, section + ".pmpm", settings);
    for (const auto& name : settings) {
      if (auto v = c->Amount(*by, section + ".pmpm", name, false, false)) {
        r->by_setting.emplace_back(name, *v);
      }
    }
    if (r->by_setting.empty()) {
      c->Error(pmpm, section, "pmpm", "a rate by setting needs at least one setting");
    }
    if (r->basis != CaseRateBasis::kProgram) {
      c->Error(pmpm, section, "pmpm",
               "a rate by care setting needs basis = \"program\": only program member-months "
               "have a setting");
    }
  } else if (auto v = c->Amount(t, section, "pmpm", false, true)) {
    r->pmpm = *v;
  }
}

// Seed 002 layers ("Payment Mechanisms Used").
void ParseProgramLayer(const toml::table& t, const std::string& section, const std::string& kind,
                       TomlChecker* c, ProgramLayerTerms* out) {
  std::vector<std::string> allowed = {"id", "kind", "label", "description", "amount", "cap"};
  if (kind == "outlier_supplement") {
    allowed.insert(allowed.end(), {"threshold", "measure", "basis"});
  } else if (kind == "acp_incentive") {
    allowed.insert(allowed.end(), {"unit", "basis"});
  } else if (kind == "assessment_fee") {
    allowed.insert(allowed.end(), {"basis"});
  } else {
    allowed.insert(allowed.end(), {"threshold", "measure", "basis", "higher_is_better"});
  }
  c->AllowOnly(t, section, allowed);
  auto& g = *out;
  if (auto v = c->Amount(t, section, "amount", false, true)) {
    g.amount = *v;
  }
  g.cap = c->Amount(t, section, "cap", false, false);
  g.higher_is_better = c->Bool(t, section, "higher_is_better", false).value_or(true);
  if (kind == "outlier_supplement") {
    g.measure = c->Choice(t, section, "measure", {"visits", "minutes"}, false).value_or("visits");
  } else if (kind == "quality_incentive") {
    g.measure = c->String(t, section, "measure", true).value_or("");
  } else if (kind == "data_reporting_incentive") {
    g.measure = c->String(t, section, "measure", false).value_or("data_reporting_rate");
  }
  if (kind == "acp_incentive") {
    g.unit = c->Choice(t, section, "unit", {"member", "event"}, false).value_or("member");
  }
  std::vector<std::string> bases;
  if (kind == "assessment_fee") {
    bases = {"per_assessment"};
  } else if (kind == "outlier_supplement") {
    bases = {"per_member_month"};
  } else if (kind == "acp_incentive") {
    bases = {"per_event"};
  } else {
    bases = {"per_period", "per_member", "per_member_month"};
  }
  g.basis = c->Choice(t, section, "basis", bases, false).value_or(bases.front());
  if (kind != "assessment_fee" && kind != "acp_incentive") {
    g.threshold = c->Number(t, section, "threshold", 0, 1e9, true);
  }
}

void ParsePayment(const toml::table& t, int index, TomlChecker* c, Contract* k) {
  const std::string section = fmt::format("payment[{}]", index);
  PaymentLayerTerms p;
  p.source_line = static_cast<int>(t.source().begin.line);
  p.id = c->String(t, section, "id", true).value_or("");
  // Layer ids name figures ("layer.<id>.amount"): letters, digits, '-' and '_' only.
  if (p.id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
      std::string::npos) {
    c->Error(t.get("id"), section, "id",
             fmt::format("'{}': use letters, digits, '-' and '_' only", p.id));
  }
  p.label = c->String(t, section, "label", false).value_or(p.id);
  auto kind = c->Choice(t, section, "kind", LayerKinds(), true);
  if (!kind) {
    return;
  }
  p.kind = *kind;
  if (p.kind == "case_rate") {
    c->AllowOnly(t, section, {"id", "kind", "label", "pmpm", "basis", "description"});
    ParseCaseRate(t, section, c, &p.case_rate);
  } else if (p.kind == "shared_savings") {
    std::vector<std::string> allowed = {"id", "kind", "label", "description", "offset_layers"};
    for (const auto& key : MethodologyKeys()) {
      allowed.push_back(key);
    }
    c->AllowOnly(t, section, allowed);
    p.shared_savings.offset_layers =
        c->StringList(t, section, "offset_layers", false).value_or(std::vector<std::string>{});
  } else if (p.kind == "episode_reconciliation") {
    // The reconciliation of an [[episode]] (docs/episodes.md).
    c->AllowOnly(t, section, {"id", "kind", "label", "episode", "description"});
    p.episode = c->String(t, section, "episode", true).value_or("");
  } else {
    // Seed 002 layers ("Payment Mechanisms Used").
    ParseProgramLayer(t, section, p.kind, c, &p.program);
  }
  k->payments.push_back(std::move(p));
}

void ParseYears(const toml::array& arr, TomlChecker* c, Contract* k) {
  std::set<std::pair<int64_t, std::string>> seen;
  int i = 0;
  for (const auto& e : arr) {
    ++i;
    const std::string sec = fmt::format("year[{}]", i);
    const toml::table* y = e.as_table();
    if (y == nullptr) {
      c->Error(&e, "", sec, "expected a [[year]] table");
      continue;
    }
    static const std::vector<std::string> allowed = [] {
      std::vector<std::string> keys = {"year", "layer", "description"};
      for (const auto& key : MethodologyKeys()) {
        keys.push_back(key);
      }
      return keys;
    }();
    c->AllowOnly(*y, sec, allowed);
    auto yr = c->Integer(*y, sec, "year", 1, 100, true);
    std::string layer = c->String(*y, sec, "layer", false).value_or("");
    if (!layer.empty()) {
      const PaymentLayerTerms* l = k->FindLayer(layer);
      if (l == nullptr || l->kind != "shared_savings") {
        c->Error(y->get("layer"), sec, "layer",
                 fmt::format("no shared-savings layer with id '{}'", layer));
      }
    }
    if (yr && !seen.insert({*yr, layer}).second) {
      c->Error(y->get("year"), sec, "year",
               fmt::format("a second [[year]] table for year {}{}", *yr,
                           layer.empty() ? "" : " and layer " + layer));
    }
  }
}

void CheckLayerReferences(const toml::table& doc, TomlChecker* c, Contract* k) {
  std::set<std::string> seen;
  const toml::array* arr = doc.get_as<toml::array>("payment");
  for (size_t i = 0; i < k->payments.size(); ++i) {
    const auto& p = k->payments[i];
    const toml::node* node = arr != nullptr && i < arr->size() ? arr->get(i) : nullptr;
    const std::string section = fmt::format("payment[{}]", i + 1);
    if (!p.id.empty() && !seen.insert(p.id).second) {
      c->Error(node, section, "id", fmt::format("layer id '{}' is used twice", p.id));
    }
    for (const auto& off : p.shared_savings.offset_layers) {
      if (off == p.id) {
        c->Error(node, section, "offset_layers", "a layer cannot offset itself");
        continue;
      }
      // Offsets must be computed first: only earlier, non-shared-savings layers qualify.
      bool found = false;
      for (size_t j = 0; j < k->payments.size(); ++j) {
        if (k->payments[j].id != off) {
          continue;
        }
        found = true;
        if (k->payments[j].kind == "shared_savings") {
          c->Error(node, section, "offset_layers",
                   fmt::format("'{}' is a shared-savings layer and cannot be an offset", off));
        }
      }
      if (!found) {
        c->Error(node, section, "offset_layers", fmt::format("no layer with id '{}'", off));
      }
    }
  }
}

}  // namespace

const PaymentLayerTerms* Contract::FindLayer(const std::string& id) const {
  for (const auto& p : payments) {
    if (p.id == id) {
      return &p;
    }
  }
  return nullptr;
}

const char* PopulationEvaluationName(PopulationEvaluation e) {
  switch (e) {
    case PopulationEvaluation::kPeriodStart:
      return "period_start";
    case PopulationEvaluation::kMonthly:
      return "monthly";
    case PopulationEvaluation::kSticky:
      return "sticky";
  }
  return "period_start";
}

namespace {

// Limits checked before the TOML parser sees the text: a contract is a page of terms, not a
// data file, and a header of thousands of dotted parts must not exhaust the parser's stack.
constexpr size_t kMaxContractBytes = 1 << 20;
constexpr size_t kMaxLineBytes = size_t{64} * 1024;
constexpr int kMaxKeyDepth = 16;

Status CheckContractLimits(std::string_view text, const std::string& path) {
  if (text.size() > kMaxContractBytes) {
    return InvalidInput(fmt::format("{}: {} bytes; a contract may have at most {} bytes", path,
                                    text.size(), kMaxContractBytes));
  }
  int line = 1;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view l = text.substr(start, end - start);
    if (l.size() > kMaxLineBytes) {
      return InvalidInput(fmt::format("{}:{}: the line has {} bytes; at most {} are allowed", path,
                                      line, l.size(), kMaxLineBytes));
    }
    // Dots in a key or header (before any '=' and outside quotes) nest tables.
    int dots = 0;
    bool quoted = false;
    for (char ch : l) {
      if (ch == '"' || ch == '\'') {
        quoted = !quoted;
      }
      if (!quoted && (ch == '=' || ch == '#')) {
        break;
      }
      dots += !quoted && ch == '.';
    }
    if (dots >= kMaxKeyDepth) {
      return InvalidInput(fmt::format("{}:{}: a key nested {} levels deep; at most {} are allowed",
                                      path, line, dots + 1, kMaxKeyDepth));
    }
    start = end + 1;
    ++line;
  }
  return Status::Ok();
}

}  // namespace

Result<Contract> ParseContract(std::string_view text, const std::string& path,
                               const ContractParseOptions& options) {
  if (Status s = CheckContractLimits(text, path); !s.ok()) {
    return s;
  }
  auto parsed = ParseTomlText(text, path);
  if (!parsed.ok()) return parsed.status();
  toml::table& doc = *parsed;
  TomlChecker c(path);
  Contract k;
  k.path = path;
  k.bytes = std::string(text);
  for (const auto& planned : kPlannedSections) {
    if (const toml::node* n = doc.get(planned.name)) {
      c.Error(n, "", planned.name,
              fmt::format("not supported yet: {}; remove the section so nobody relies on it",
                          planned.what));
    }
  }
  std::vector<std::string> sections = TopLevelSections();
  for (const auto& planned : kPlannedSections) {
    sections.push_back(planned.name);
  }
  c.AllowOnly(doc, "", sections);

  const toml::table* contract = doc.get_as<toml::table>("contract");
  if (contract == nullptr) {
    c.ErrorAt(1, 1, "", "contract", "the [contract] section is missing");
    return c.ToStatus();
  }
  ParseContractSection(*contract, &c, &k);
  k.preset_methodology = contract->contains("preset");

  if (const toml::node* d = doc.get("definitions")) {
    if (const toml::table* dt = d->as_table()) {
      for (const auto& [name, v] : *dt) {
        if (!v.is_string()) {
          c.Error(&v, "definitions", name.str(), "a definition is a string expression");
          continue;
        }
        k.definitions[std::string(name.str())] = *v.value<std::string>();
      }
    } else {
      c.Error(d, "", "definitions", "expected a table of name = \"expression\"");
    }
  }
  if (const toml::node* p = doc.get("population")) {
    if (const toml::table* pt = p->as_table()) {
      ParsePopulation(*pt, &c, &k);
    } else {
      c.Error(p, "", "population", "expected a table");
    }
  }
  if (const toml::node* a = doc.get("attribution")) {
    if (k.attribution.declared) {
      c.Error(a, "", "attribution",
              "[population] source = \"attribution_file\" already says how members are "
              "attributed; keep one of the two");
    } else if (const toml::table* at = a->as_table()) {
      ParseAttributionSection(*at, &c, &k.attribution);
    } else {
      c.Error(a, "", "attribution", "expected a table");
    }
  }
  if (const toml::node* d = doc.get("data_requirements")) {
    if (const toml::table* dt = d->as_table()) {
      ParseDataRequirementsSection(*dt, &c, &k.data_requirements);
    } else {
      c.Error(d, "", "data_requirements", "expected a table");
    }
  }
  if (const toml::node* b = doc.get("benchmark")) {
    if (const toml::table* bt = b->as_table()) {
      ParseBenchmark(*bt, options.benchmark_from_aggregates, &c, &k);
    } else {
      c.Error(b, "", "benchmark", "expected a table");
    }
  } else if (!k.preset_methodology && !options.allow_draft) {
    c.ErrorAt(1, 1, "", "benchmark", "the [benchmark] section is missing");
  }
  if (const toml::node* p = doc.get("payment")) {
    const toml::array* arr = p->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      c.Error(p, "", "payment", "expected [[payment]] tables");
    } else {
      int i = 0;
      for (const auto& e : *arr) {
        ParsePayment(*e.as_table(), ++i, &c, &k);
      }
    }
  } else if (!k.preset_methodology && !options.allow_draft && !options.benchmark_from_aggregates) {
    c.ErrorAt(1, 1, "", "payment", "no [[payment]] layer: a contract needs at least one");
  }
  if (const toml::node* m = doc.get("methodology")) {
    if (const toml::table* mt = m->as_table()) {
      std::vector<std::string> allowed = {"description"};
      for (const auto& key : MethodologyKeys()) {
        allowed.push_back(key);
      }
      c.AllowOnly(*mt, "methodology", allowed);
    } else {
      c.Error(m, "", "methodology", "expected a table");
    }
  }
  // A preset alone describes a shared-savings arrangement: give it its layer.
  const bool has_ss = std::any_of(k.payments.begin(), k.payments.end(),
                                  [](const auto& p) { return p.kind == "shared_savings"; });
  if (k.preset_methodology && !has_ss) {
    PaymentLayerTerms p;
    p.id = "shared_savings";
    p.kind = "shared_savings";
    p.label = "Shared savings and losses";
    p.source_line = static_cast<int>(contract->source().begin.line);
    k.payments.push_back(std::move(p));
  }
  if (const toml::node* y = doc.get("year")) {
    const toml::array* arr = y->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      c.Error(y, "", "year", "expected [[year]] tables");
    } else {
      ParseYears(*arr, &c, &k);
    }
  }
  CheckLayerReferences(doc, &c, &k);
  {
    // Resolve each shared-savings layer's terms for the contract's own year. Errors in the
    // sections every layer shares ([methodology], [[year]], the preset) are reported once,
    // with the first layer; later layers report only their own keys.
    const toml::array* parr = doc.get_as<toml::array>("payment");
    bool first = true;
    for (size_t i = 0; i < k.payments.size(); ++i) {
      auto& p = k.payments[i];
      if (p.kind != "shared_savings") {
        continue;
      }
      const toml::table* lt =
          parr != nullptr && i < parr->size() ? parr->get(i)->as_table() : nullptr;
      auto offsets = p.shared_savings.offset_layers;
      TomlChecker scratch(path);
      BuildSharedSavingsTerms(doc, k, p.id, lt, static_cast<int>(i) + 1,
                              static_cast<int>(k.performance_year), k.contract_year, nullptr,
                              first ? &c : &scratch, &p.shared_savings);
      if (!first && lt != nullptr) {
        SharedSavingsTerms ignored;
        ApplyMethodologyKeys(*lt, fmt::format("payment[{}]", i + 1), "", &c, &ignored);
      }
      p.shared_savings.offset_layers = offsets;
      first = false;
    }
  }
  ParseMonitoringSections(doc, &c, &k.targets, &k.triggers);
  ParseComparison(doc, &c, &k.comparison);
  ParseEpisodes(doc, &c, &k.episodes);
  CheckEpisodeLayers(doc, &c, k);
  if (const toml::node* e = doc.get("example")) {
    const toml::array* arr = e->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      c.Error(e, "", "example", "expected [[example]] tables");
    } else {
      int i = 0;
      for (const auto& x : *arr) {
        ContractExample ex;
        ParseExample(*x.as_table(), ++i, &c, &ex);
        k.examples.push_back(std::move(ex));
      }
    }
  }
  if (!c.ok()) {
    return c.ToStatus();
  }
  k.document = std::make_shared<const ContractDocument>(ContractDocument{std::move(doc)});
  return k;
}

Result<Contract> LoadContract(const std::string& path, const ContractParseOptions& options) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) {
    return InvalidInput(fmt::format("{}: no such contract file", path));
  }
  if (std::filesystem::is_directory(st)) {
    return InvalidInput(fmt::format(
        "{}: is a folder; give the contract's TOML file (e.g. {}/contract.toml)", path, path));
  }
  if (!std::filesystem::is_regular_file(st)) {
    return InvalidInput(fmt::format("{}: not a regular file", path));
  }
  auto bytes = ReadWholeFile(path);
  if (!bytes.ok()) {
    return InvalidInput(bytes.status().message());
  }
  return ParseContract(*bytes, path, options);
}

}  // namespace valuepact
