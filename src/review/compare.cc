// Comparing two recorded runs (compare.h): causes, contract terms key by key, inputs, figures
// and members.
#include "valuepact/review/compare.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "review/review_internal.h"
#include "valuepact/contract/edit.h"

namespace valuepact::review {
namespace {

// Every leaf of a contract as "section.key" (arrays of tables as "payment[2].key") → text.
void Flatten(const toml::node& n, const std::string& prefix,
             std::map<std::string, std::string>* out) {
  if (const auto* t = n.as_table()) {
    for (const auto& [k, v] : *t) {
      Flatten(v, prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str()), out);
    }
    return;
  }
  if (const auto* a = n.as_array(); a != nullptr && a->is_array_of_tables()) {
    for (size_t i = 0; i < a->size(); ++i) {
      Flatten(*a->get(i), fmt::format("{}[{}]", prefix, i + 1), out);
    }
    return;
  }
  (*out)[prefix] = TomlValueText(n);
}

Result<std::map<std::string, std::string>> ContractTerms(const RunRecord& r) {
  const RunFile* f = FindFile(r, kContractFile);
  if (f == nullptr) return NotFound("no contract text stored");
  try {
    const toml::table t = toml::parse(f->content);
    std::map<std::string, std::string> out;
    Flatten(t, "", &out);
    return out;
  } catch (const toml::parse_error& e) {
    return InvalidInput(fmt::format("stored contract does not parse: {}", e.description()));
  }
}

void CompareTerms(Comparison* c) {
  auto ta = ContractTerms(c->a), tb = ContractTerms(c->b);
  if (!ta.ok() || !tb.ok()) {
    c->terms_known = false;
    return;
  }
  std::set<std::string> keys;
  for (const auto& [k, v] : *ta) keys.insert(k);
  for (const auto& [k, v] : *tb) keys.insert(k);
  for (const auto& k : keys) {
    auto ia = ta->find(k), ib = tb->find(k);
    const std::string va = ia == ta->end() ? "" : ia->second;
    const std::string vb = ib == tb->end() ? "" : ib->second;
    if (va != vb) c->terms.push_back({k, va, vb});
  }
}

std::string FileName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The inputs of a run, by (table, file name) → SHA-256.
std::map<std::pair<std::string, std::string>, std::string> Inputs(const RunRecord& r) {
  std::map<std::pair<std::string, std::string>, std::string> out;
  if (!r.summary.contains("inputs") || !r.summary["inputs"].is_array()) return out;
  for (const auto& in : r.summary["inputs"]) {
    out[{in.value("table", ""), FileName(in.value("path", ""))}] = in.value("sha256", "");
  }
  return out;
}

void CompareInputs(Comparison* c) {
  const auto ia = Inputs(c->a), ib = Inputs(c->b);
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& [k, v] : ia) keys.insert(k);
  for (const auto& [k, v] : ib) keys.insert(k);
  for (const auto& k : keys) {
    auto a = ia.find(k), b = ib.find(k);
    InputChange ch{k.first, k.second, a == ia.end() ? "" : a->second,
                   b == ib.end() ? "" : b->second};
    if (ch.sha_a == ch.sha_b || k.first == "contract") continue;
    (k.first == "refdata" || k.first == "value_set" ? c->reference : c->data).push_back(ch);
  }
}

bool IsNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end != nullptr && *end == '\0';
}

std::string Delta(const TraceNode& a, const TraceNode& b) {
  if (a.unit == "USD" || a.unit == "money") {
    auto ma = ParseMoney(a.value), mb = ParseMoney(b.value);
    if (ma.ok() && mb.ok()) return (mb->value - ma->value).ToString();
  }
  if (IsNumber(a.value) && IsNumber(b.value)) {
    const double d = std::strtod(b.value.c_str(), nullptr) - std::strtod(a.value.c_str(), nullptr);
    return fmt::format("{:g}", d);
  }
  return "";
}

Result<Trace> TraceOf(const RunRecord& r) {
  const RunFile* f = FindFile(r, "trace.json");
  if (f == nullptr) return Trace();
  return Trace::Parse(f->content);
}

Status CompareFigures(Comparison* c) {
  auto ta = TraceOf(c->a), tb = TraceOf(c->b);
  if (!ta.ok()) return ta.status();
  if (!tb.ok()) return tb.status();
  for (const TraceNode& nb : tb->nodes()) {
    const TraceNode* na = ta->Find(nb.id);
    if (na == nullptr) {
      c->figures.push_back({nb.id, nb.label, nb.unit, "", nb.value, ""});
    } else if (na->value != nb.value) {
      c->figures.push_back({nb.id, nb.label, nb.unit, na->value, nb.value, Delta(*na, nb)});
    }
  }
  for (const TraceNode& na : ta->nodes()) {
    if (tb->Find(na.id) == nullptr) {
      c->figures.push_back({na.id, na.label, na.unit, na.value, "", ""});
    }
  }
  return Status::Ok();
}

void NameCauses(Comparison* c) {
  const bool terms = c->a.contract_sha256 != c->b.contract_sha256;
  if (terms) c->causes.push_back("contract terms");
  if (!c->reference.empty()) c->causes.push_back("reference tables");
  if (c->a.engine_version != c->b.engine_version) c->causes.push_back("engine");
  if (!c->data.empty()) c->causes.push_back("data");
}

}  // namespace

Result<Comparison> Compare(const RunRecord& a, const RunRecord& b, const CompareOptions& o) {
  Comparison c;
  c.a = a;
  c.b = b;
  CompareTerms(&c);
  CompareInputs(&c);
  NameCauses(&c);
  if (Status s = CompareFigures(&c); !s.ok()) return s;
  AttributeMembers(&c);
  if (!c.data.empty()) {
    CompareOptions lo = o;
    if (lo.basis.empty()) {
      auto tb = ContractTerms(b);
      const bool allowed =
          tb.ok() && tb->count("contract.basis") != 0 && tb->at("contract.basis") == "\"allowed\"";
      lo.basis = allowed ? "allowed" : "paid";
    }
    AttributeLines(lo, &c);
  }
  for (auto* r : {&c.a, &c.b}) {
    for (auto& f : r->files) f.content.clear();  // keep the comparison small
  }
  return c;
}

}  // namespace valuepact::review
