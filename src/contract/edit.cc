// Contract terms changed by key (edit.h).
#include "valuepact/contract/edit.h"

#include <sstream>

#include <fmt/format.h>

#include "contract/toml_checker.h"

namespace valuepact {
namespace {

std::vector<std::string> SplitKey(const std::string& key) {
  std::vector<std::string> parts;
  size_t at = 0;
  while (at <= key.size()) {
    const size_t dot = key.find('.', at);
    parts.push_back(key.substr(at, dot == std::string::npos ? std::string::npos : dot - at));
    if (dot == std::string::npos) break;
    at = dot + 1;
  }
  return parts;
}

// The value of "v = TEXT", or nullopt when TEXT is not one TOML value.
std::optional<toml::table> ParseValue(const std::string& text) {
  try {
    toml::table t = toml::parse("v = " + text + "\n");
    if (t.size() == 1 && t.contains("v")) return t;
  } catch (const toml::parse_error&) {
  }
  return std::nullopt;
}

// The table a key's last part is set in: "payment.<id>" picks that [[payment]] table; missing
// tables on the way are created (the contract's own validation refuses keys it does not know).
Result<toml::table*> TableFor(toml::table* root, const std::vector<std::string>& parts,
                              const std::string& key) {
  toml::table* t = root;
  size_t i = 0;
  if (parts[0] == "payment") {
    if (parts.size() < 3) {
      return InvalidInput(fmt::format("{}: name a layer and a term: payment.<id>.<term>", key));
    }
    toml::array* layers = root->get_as<toml::array>("payment");
    t = nullptr;
    for (size_t k = 0; layers != nullptr && k < layers->size(); ++k) {
      toml::table* layer = layers->get(k)->as_table();
      if (layer != nullptr && layer->get_as<std::string>("id") != nullptr &&
          layer->get_as<std::string>("id")->get() == parts[1]) {
        t = layer;
      }
    }
    if (t == nullptr) {
      return InvalidInput(
          fmt::format("{}: the contract has no [[payment]] with id = \"{}\"", key, parts[1]));
    }
    i = 2;
  }
  for (; i + 1 < parts.size(); ++i) {
    toml::node* next = t->get(parts[i]);
    if (next == nullptr) {
      t->insert(parts[i], toml::table{});
      next = t->get(parts[i]);
    }
    if (!next->is_table()) {
      return InvalidInput(fmt::format(
          "{}: '{}' is not a table{}", key, parts[i],
          next->is_array_of_tables() ? " (a list of tables: change it in the contract file)" : ""));
    }
    t = next->as_table();
  }
  return t;
}

Status Apply(toml::table* root, const TermEdit& c, AppliedChange* applied) {
  const std::vector<std::string> parts = SplitKey(c.key);
  for (const auto& p : parts) {
    if (p.empty()) return InvalidInput(fmt::format("'{}': not a contract key", c.key));
  }
  if (parts[0] == "payment" && parts.size() == 3 && parts[2] == "id") {
    return InvalidInput(fmt::format("{}: a layer's id cannot be changed", c.key));
  }
  auto value = ParseValue(c.value);
  if (!value) return InvalidInput(fmt::format("{}: '{}' is not a TOML value", c.key, c.value));
  auto table = TableFor(root, parts, c.key);
  if (!table.ok()) return table.status();
  applied->key = c.key;
  if (const toml::node* old = (*table)->get(parts.back())) applied->before = TomlValueText(*old);
  toml::node* v = value->get("v");
  applied->after = TomlValueText(*v);
  (*table)->insert_or_assign(parts.back(), std::move(*v));
  return Status::Ok();
}

std::string TomlString(const std::string& s) {
  std::ostringstream out;
  out << toml::toml_formatter(toml::value<std::string>(s), toml::format_flags::none);
  return out.str();
}

Result<std::string> JsonToToml(const nlohmann::ordered_json& v, const std::string& key) {
  if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
  if (v.is_number()) return v.dump();
  if (v.is_string()) return TomlString(v.get<std::string>());
  std::vector<std::string> items;
  if (v.is_array()) {
    for (const auto& x : v) {
      auto t = JsonToToml(x, key);
      if (!t.ok()) return t.status();
      items.push_back(*t);
    }
    return fmt::format("[{}]", fmt::join(items, ", "));
  }
  if (v.is_object()) {
    for (const auto& [k, x] : v.items()) {
      auto t = JsonToToml(x, key);
      if (!t.ok()) return t.status();
      items.push_back(fmt::format("{} = {}", TomlString(k), *t));
    }
    return fmt::format("{{ {} }}", fmt::join(items, ", "));
  }
  return InvalidInput(fmt::format("{}: null is not a contract value (give the value to use)", key));
}

}  // namespace

std::string TomlValueText(const toml::node& n) {
  std::ostringstream out;
  if (const auto* t = n.as_table()) {
    out << toml::toml_formatter(*t, toml::format_flags::none);
  } else if (const auto* a = n.as_array()) {
    out << toml::toml_formatter(*a, toml::format_flags::none);
  } else if (const auto* d = n.as_floating_point()) {
    return fmt::format("{}", d->get());  // the shortest text that reads back the same: 0.6
  } else {
    n.visit([&](const auto& v) { out << toml::toml_formatter(v, toml::format_flags::none); });
  }
  return out.str();
}

Result<EditedContract> ChangeContractTerms(std::string_view text, const std::string& path,
                                           const std::vector<TermEdit>& changes) {
  auto parsed = ParseTomlText(text, path);
  if (!parsed.ok()) return parsed.status();
  toml::table& root = *parsed;
  EditedContract out;
  std::vector<std::string> errors;
  for (const auto& c : changes) {
    AppliedChange applied;
    if (Status s = Apply(&root, c, &applied); !s.ok()) {
      errors.push_back(s.message());
    } else {
      out.changes.push_back(std::move(applied));
    }
  }
  if (!errors.empty()) return InvalidInput(fmt::format("{}", fmt::join(errors, "\n")));
  std::ostringstream o;
  o << toml::toml_formatter(root);
  out.text = o.str();
  return out;
}

Result<std::vector<TermEdit>> TermEditsFromArguments(const std::vector<std::string>& args) {
  std::vector<TermEdit> out;
  for (const auto& a : args) {
    const size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidInput(
          fmt::format("--set '{}': give KEY=VALUE, e.g. "
                      "payment.shared-savings.sharing_rate=0.6",
                      a));
    }
    TermEdit c{a.substr(0, eq), a.substr(eq + 1)};
    if (!ParseValue(c.value)) c.value = TomlString(c.value);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<TermEdit>> TermEditsFromJson(const nlohmann::ordered_json& body) {
  if (!body.is_object() || body.empty()) {
    return InvalidInput(
        "give an object of contract keys and values, e.g. "
        "{\"payment.shared-savings.sharing_rate\": 0.6}");
  }
  std::vector<TermEdit> out;
  for (const auto& [key, v] : body.items()) {
    auto t = JsonToToml(v, key);
    if (!t.ok()) return t.status();
    out.push_back({key, *t});
  }
  return out;
}

}  // namespace valuepact
