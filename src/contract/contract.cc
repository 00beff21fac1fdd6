#include "valuepact/contract/contract.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "valuepact/contract/toml_checker.h"
#include "valuepact/core/mapped_file.h"

namespace valuepact {
namespace {

// Top-level sections; those not parsed here belong to other modules, which validate them.
const std::vector<std::string>& TopLevelSections() {
  static const std::vector<std::string> s = {
      "contract", "definitions", "population", "attribution", "benchmark", "payment", "quality",
      "year", "data_requirements", "trigger", "example", "methodology"};
  return s;
}

void ParseContractSection(const toml::table& t, TomlChecker* c, Contract* k) {
  c->AllowOnly(t, "contract",
               {"id", "title", "payer", "provider", "period", "payers", "services", "basis",
                "member_months", "claim_month", "preset", "performance_year", "description",
                "parties", "product_lines"});
  if (auto v = c->String(t, "contract", "id", true)) {
    if (v->empty()) c->Error(t.get("id"), "contract", "id", "must not be empty");
    k->id = *v;
  }
  k->title = c->String(t, "contract", "title", false).value_or("");
  k->payer = c->String(t, "contract", "payer", false).value_or("");
  k->provider = c->String(t, "contract", "provider", false).value_or("");
  const bool preset = t.contains("preset");
  if (const toml::node* p = t.get("period")) {
    if (const toml::table* pt = p->as_table()) {
      c->AllowOnly(*pt, "contract.period", {"start", "end"});
      auto s = c->DateValue(*pt, "contract.period", "start", true);
      auto e = c->DateValue(*pt, "contract.period", "end", true);
      if (s && e) {
        if (*e < *s) c->Error(p, "contract", "period", "end is before start");
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
      std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) {
        return static_cast<char>(std::tolower(ch));
      });
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
    if (v->empty()) c->Error(t.get("services"), "contract", "services", "list is empty");
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
}

void ParsePopulation(const toml::table& t, TomlChecker* c, Contract* k) {
  c->AllowOnly(t, "population", {"source", "attribution_file", "eligible", "description"});
  if (auto v = c->Choice(t, "population", "source", {"enrolled", "attribution_file"}, false)) {
    k->population.source = *v;
  }
  k->population.attribution_file = c->String(t, "population", "attribution_file", false).value_or("");
  k->population.eligible = c->String(t, "population", "eligible", false).value_or("");
  if (k->population.source == "attribution_file" && k->population.attribution_file.empty()) {
    c->Error(&t, "population", "attribution_file",
             "required when source = \"attribution_file\" (a CSV of person_id[, start, end])");
  }
}

void ParseBenchmark(const toml::table& t, TomlChecker* c, Contract* k) {
  if (!k->preset_methodology) {
    c->AllowOnly(t, "benchmark", {"method", "target_pmpm", "description"});
  }
  if (auto v = c->Choice(t, "benchmark", "method", {"target_pmpm"}, true)) k->benchmark.method = *v;
  if (auto v = c->Amount(t, "benchmark", "target_pmpm", false, true)) k->benchmark.target_pmpm = *v;
}

void ParsePayment(const toml::table& t, int index, TomlChecker* c, Contract* k) {
  const std::string section = fmt::format("payment[{}]", index);
  PaymentLayerTerms p;
  p.source_line = static_cast<int>(t.source().begin.line);
  p.id = c->String(t, section, "id", true).value_or("");
  p.label = c->String(t, section, "label", false).value_or(p.id);
  auto kind = c->Choice(t, section, "kind", {"case_rate", "shared_savings"}, true);
  if (!kind) return;
  p.kind = *kind;
  if (p.kind == "case_rate") {
    c->AllowOnly(t, section, {"id", "kind", "label", "pmpm", "description"});
    if (auto v = c->Amount(t, section, "pmpm", false, true)) p.case_rate.pmpm = *v;
  } else {
    c->AllowOnly(t, section,
                 {"id", "kind", "label", "sharing_rate", "minimum_savings_rate",
                  "loss_sharing_rate", "minimum_loss_rate", "savings_cap", "loss_cap",
                  "member_truncation", "offset_layers", "quality_score", "description"});
    auto& s = p.shared_savings;
    s.sharing_rate = c->Number(t, section, "sharing_rate", 0, 1, true).value_or(0);
    s.minimum_savings_rate = c->Number(t, section, "minimum_savings_rate", 0, 1, false).value_or(0);
    s.loss_sharing_rate = c->Number(t, section, "loss_sharing_rate", 0, 1, false);
    s.minimum_loss_rate = c->Number(t, section, "minimum_loss_rate", 0, 1, false).value_or(0);
    s.savings_cap = c->Number(t, section, "savings_cap", 0, 1, false);
    s.loss_cap = c->Number(t, section, "loss_cap", 0, 1, false);
    s.member_truncation = c->Amount(t, section, "member_truncation", false, false);
    s.offset_layers = c->StringList(t, section, "offset_layers", false).value_or(std::vector<std::string>{});
    s.quality_score = c->Number(t, section, "quality_score", 0, 1, false).value_or(1.0);
    if (!s.loss_sharing_rate && (t.contains("loss_cap") || t.contains("minimum_loss_rate"))) {
      c->Error(t.get(t.contains("loss_cap") ? "loss_cap" : "minimum_loss_rate"), section,
               t.contains("loss_cap") ? "loss_cap" : "minimum_loss_rate",
               "has no effect without loss_sharing_rate (one-sided contract)");
    }
  }
  k->payments.push_back(std::move(p));
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
        if (k->payments[j].id != off) continue;
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
    if (p.id == id) return &p;
  }
  return nullptr;
}

Result<Contract> ParseContract(std::string_view text, const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return InvalidInput(fmt::format("{}:{}:{}: not valid TOML: {}", path,
                                    e.source().begin.line, e.source().begin.column,
                                    e.description()));
  }
  TomlChecker c(path);
  Contract k;
  k.path = path;
  k.bytes = std::string(text);
  c.AllowOnly(doc, "", TopLevelSections());

  const toml::table* contract = doc.get_as<toml::table>("contract");
  if (contract == nullptr) {
    c.ErrorAt(1, 1, "", "contract", "the [contract] section is missing");
    return c.ToStatus();
  }
  ParseContractSection(*contract, &c, &k);
  k.preset = contract->get("preset") != nullptr
                 ? contract->get("preset")->value<std::string>().value_or("")
                 : "";
  k.preset_methodology = !k.preset.empty();
  if (auto y = contract->get("performance_year")) k.performance_year = y->value<int64_t>().value_or(0);

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
  if (const toml::node* b = doc.get("benchmark")) {
    if (const toml::table* bt = b->as_table()) {
      ParseBenchmark(*bt, &c, &k);
    } else {
      c.Error(b, "", "benchmark", "expected a table");
    }
  } else if (!k.preset_methodology) {
    c.ErrorAt(1, 1, "", "benchmark", "the [benchmark] section is missing");
  }
  if (const toml::node* p = doc.get("payment")) {
    const toml::array* arr = p->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      c.Error(p, "", "payment", "expected [[payment]] tables");
    } else {
      int i = 0;
      for (const auto& e : *arr) ParsePayment(*e.as_table(), ++i, &c, &k);
    }
  } else if (!k.preset_methodology) {
    c.ErrorAt(1, 1, "", "payment", "no [[payment]] layer: a contract needs at least one");
  }
  CheckLayerReferences(doc, &c, &k);
  if (!c.ok()) return c.ToStatus();
  k.document = std::make_shared<const toml::table>(std::move(doc));
  return k;
}

Result<Contract> LoadContract(const std::string& path) {
  auto bytes = ReadWholeFile(path);
  if (!bytes.ok()) return bytes.status();
  return ParseContract(*bytes, path);
}

}  // namespace valuepact
