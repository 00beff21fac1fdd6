#include "valuepact/modeling/variants.h"

#include <algorithm>

#include <fmt/format.h>

#include "valuepact/contract/methodology.h"
#include "valuepact/core/csv.h"

namespace valuepact::modeling {
namespace {

// A column that changes a payment layer: "<layer>.pmpm", "<layer>.pmpm.<setting>",
// "<layer>.amount". Returns the change, or an error message.
std::string LayerColumn(const Contract& k, const std::string& column, const Money& value,
                        std::function<void(Contract*)>* out) {
  const size_t dot = column.find('.');
  const std::string id = column.substr(0, dot);
  const std::string rest = column.substr(dot + 1);
  const PaymentLayerTerms* layer = k.FindLayer(id);
  if (layer == nullptr) return fmt::format("the contract has no payment layer '{}'", id);
  if (rest == "amount") {
    if (layer->kind == "case_rate" || layer->kind == "shared_savings") {
      return fmt::format("layer '{}' ({}) has no amount; use {}.pmpm for a case rate", id,
                         layer->kind, id);
    }
    *out = [id, value](Contract* c) {
      for (auto& p : c->payments) {
        if (p.id == id) p.program.amount = value;
      }
    };
    return "";
  }
  if (rest.rfind("pmpm", 0) != 0 || layer->kind != "case_rate") {
    return fmt::format("expected {}.pmpm, {}.pmpm.<setting> (a case rate) or {}.amount", id, id,
                       id);
  }
  const std::string setting = rest == "pmpm" ? "" : rest.substr(5);
  if (!setting.empty()) {
    const auto& by = layer->case_rate.by_setting;
    if (std::none_of(by.begin(), by.end(), [&](const auto& kv) { return kv.first == setting; })) {
      return fmt::format("layer '{}' has no rate for setting '{}'", id, setting);
    }
  }
  *out = [id, setting, value](Contract* c) {
    for (auto& p : c->payments) {
      if (p.id != id) continue;
      if (!p.case_rate.has_settings()) p.case_rate.pmpm = value;
      for (auto& [s, rate] : p.case_rate.by_setting) {
        if (setting.empty() || s == setting) rate = value;
      }
    }
  };
  return "";
}

// Runs `f` after what `*to` already does.
void Chain(std::function<void(Contract*)>* to, const std::function<void(Contract*)>& f) {
  auto previous = *to;
  *to = [previous, f](Contract* c) {
    if (previous) previous(c);
    f(c);
  };
}

// Applies one cell to the variant; returns an error message or "".
std::string ApplyCell(const Contract& k, const std::string& column, const std::string& value,
                      Variant* v) {
  const auto& keys = MethodologyKeys();
  if (column == "truncation") {
    if (value != "on" && value != "off") return "expected on or off";
    if (value == "off") {
      v->change.adjust_terms = [](SharedSavingsTerms* t) {
        t->member_truncation.reset();
        t->truncation_percentile.reset();
      };
    }
    return "";
  }
  if (std::find(keys.begin(), keys.end(), column) != keys.end()) {
    v->change.set.emplace_back(column, value);
    return "";
  }
  if (column == "target_pmpm") {
    if (k.benchmark.method != "target_pmpm") {
      return fmt::format("the contract's benchmark is {}, not a target PMPM", k.benchmark.method);
    }
    auto money = ParseMoney(value);
    if (!money.ok() || money->value.cents() <= 0) return "expected a positive amount";
    const Money target = money->value;
    Chain(&v->change.adjust_contract, [target](Contract* c) { c->benchmark.target_pmpm = target; });
    return "";
  }
  if (column.find('.') == std::string::npos) {
    return "not a methodology key, truncation, target_pmpm, <layer>.pmpm or <layer>.amount";
  }
  auto money = ParseMoney(value);
  if (!money.ok() || money->value.cents() < 0) return "expected an amount, 0 or more";
  std::function<void(Contract*)> f;
  std::string err = LayerColumn(k, column, money->value, &f);
  if (!err.empty()) return err;
  Chain(&v->change.adjust_contract, f);
  return "";
}

}  // namespace

std::string Variant::Describe() const {
  if (changes.empty()) return "as written";
  std::string out;
  for (const auto& [column, value] : changes) {
    out += fmt::format("{}{}={}", out.empty() ? "" : "; ", column, value);
  }
  return out;
}

Result<std::vector<Variant>> ParseVariants(std::string_view csv, const std::string& path,
                                           const Contract& k) {
  CsvCursor cur(csv, CsvChunk{SkipBom(csv), csv.size(), 1});
  std::vector<std::string_view> f;
  uint64_t line = 0;
  std::string err;
  if (cur.Next(&f, &line, &err) != CsvCursor::Outcome::kRecord) {
    return InvalidInput(
        fmt::format("{}: empty file, expected a header row (id, then terms)", path));
  }
  const std::vector<std::string> header(f.begin(), f.end());
  if (header.empty() || header[0] != "id") {
    return InvalidInput(fmt::format("{}:{}: the first column must be id", path, line));
  }
  std::vector<std::string> errors;
  std::vector<Variant> out;
  while (true) {
    const auto o = cur.Next(&f, &line, &err);
    if (o == CsvCursor::Outcome::kEnd) break;
    if (o == CsvCursor::Outcome::kMalformed) {
      errors.push_back(fmt::format("{}:{}: {}", path, line, err));
      continue;
    }
    if (f.size() != header.size()) {
      errors.push_back(
          fmt::format("{}:{}: {} fields, the header has {}", path, line, f.size(), header.size()));
      continue;
    }
    Variant v;
    v.id = std::string(f[0]);
    if (v.id.empty()) errors.push_back(fmt::format("{}:{}: id: empty", path, line));
    for (const auto& other : out) {
      if (other.id == v.id) {
        errors.push_back(fmt::format("{}:{}: id: '{}' appears twice", path, line, v.id));
      }
    }
    for (size_t i = 1; i < header.size(); ++i) {
      const std::string value(f[i]);
      if (value.empty()) continue;
      const std::string problem = ApplyCell(k, header[i], value, &v);
      if (!problem.empty()) {
        errors.push_back(fmt::format("{}:{}: {}: {}", path, line, header[i], problem));
        continue;
      }
      v.changes.emplace_back(header[i], value);
    }
    v.change.label = v.id;
    if (!v.change.set.empty()) {
      for (const auto& p : k.payments) {
        if (p.kind != "shared_savings") continue;
        ResolveOptions ro;
        ro.set = v.change.set;
        auto terms = ResolveSharedSavingsTerms(k, p.id, ro);
        if (!terms.ok()) {
          errors.push_back(fmt::format("{}:{}: {}", path, line, terms.status().message()));
        }
      }
    }
    out.push_back(std::move(v));
  }
  if (!errors.empty()) return InvalidInput(fmt::format("{}", fmt::join(errors, "\n")));
  if (out.empty()) return InvalidInput(fmt::format("{}: no variant rows", path));
  return out;
}

}  // namespace valuepact::modeling
