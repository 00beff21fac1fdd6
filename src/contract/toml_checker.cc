#include "contract/toml_checker.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "valuepact/core/suggest.h"

namespace valuepact {

Result<toml::table> ParseTomlText(std::string_view text, const std::string& path) {
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return InvalidInput(fmt::format("{}:{}:{}: not valid TOML: {}", path, e.source().begin.line,
                                    e.source().begin.column, e.description()));
  }
}
namespace {

std::string Dotted(std::string_view section, std::string_view key) {
  if (section.empty()) return std::string(key);
  return fmt::format("{}.{}", section, key);
}

const char* TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "true/false";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::array:
      return "a list";
    case toml::node_type::table:
      return "a table";
    default:
      return "nothing";
  }
}

}  // namespace

void TomlChecker::ErrorAt(int line, int column, std::string_view section, std::string_view key,
                          std::string_view problem) {
  errors_.push_back(
      fmt::format("{}:{}:{}: {}: {}", path_, line, column, Dotted(section, key), problem));
}

void TomlChecker::Error(const toml::node* at, std::string_view section, std::string_view key,
                        std::string_view problem) {
  const int line = at != nullptr ? static_cast<int>(at->source().begin.line) : 0;
  const int col = at != nullptr ? static_cast<int>(at->source().begin.column) : 0;
  ErrorAt(line, col, section, key, problem);
}

void TomlChecker::AllowOnly(const toml::table& t, std::string_view section,
                            const std::vector<std::string>& allowed) {
  for (const auto& [k, v] : t) {
    const std::string key(k.str());
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const std::string near = NearestName(key, allowed);
    Error(&v, section, key,
          near.empty() ? "unknown key" : fmt::format("unknown key (did you mean '{}'?)", near));
  }
}

std::optional<std::string> TomlChecker::String(const toml::table& t, std::string_view section,
                                               std::string_view key, bool required) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) Error(&t, section, key, "required key is missing");
    return std::nullopt;
  }
  if (auto s = n->value<std::string>(); s && n->is_string()) return *s;
  Error(n, section, key, fmt::format("expected a string, found {}", TypeName(*n)));
  return std::nullopt;
}

std::optional<std::string> TomlChecker::Choice(const toml::table& t, std::string_view section,
                                               std::string_view key,
                                               const std::vector<std::string>& choices,
                                               bool required) {
  auto s = String(t, section, key, required);
  if (!s) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *s) != choices.end()) return s;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : " | ") + c;
  const std::string near = NearestName(*s, choices);
  Error(t.get(key), section, key,
        fmt::format("'{}' is not one of {}{}", *s, list,
                    near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near)));
  return std::nullopt;
}

std::optional<double> TomlChecker::Number(const toml::table& t, std::string_view section,
                                          std::string_view key, double min, double max,
                                          bool required) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) Error(&t, section, key, "required key is missing");
    return std::nullopt;
  }
  if (!n->is_number()) {
    Error(n, section, key, fmt::format("expected a number, found {}", TypeName(*n)));
    return std::nullopt;
  }
  const double v = *n->value<double>();
  if (!std::isfinite(v) || v < min || v > max) {
    Error(n, section, key, fmt::format("{} is out of range (expected {} to {})", v, min, max));
    return std::nullopt;
  }
  return v;
}

std::optional<int64_t> TomlChecker::Integer(const toml::table& t, std::string_view section,
                                            std::string_view key, int64_t min, int64_t max,
                                            bool required) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) Error(&t, section, key, "required key is missing");
    return std::nullopt;
  }
  if (!n->is_integer()) {
    Error(n, section, key, fmt::format("expected a whole number, found {}", TypeName(*n)));
    return std::nullopt;
  }
  const int64_t v = *n->value<int64_t>();
  if (v < min || v > max) {
    Error(n, section, key, fmt::format("{} is out of range (expected {} to {})", v, min, max));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> TomlChecker::Bool(const toml::table& t, std::string_view section,
                                      std::string_view key, bool required) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) Error(&t, section, key, "required key is missing");
    return std::nullopt;
  }
  if (!n->is_boolean()) {
    Error(n, section, key, fmt::format("expected true or false, found {}", TypeName(*n)));
    return std::nullopt;
  }
  return *n->value<bool>();
}

std::optional<Money> TomlChecker::Amount(const toml::table& t, std::string_view section,
                                         std::string_view key, bool allow_negative, bool required) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) Error(&t, section, key, "required key is missing");
    return std::nullopt;
  }
  std::optional<Money> m;
  if (n->is_string()) {
    auto r = ParseMoney(*n->value<std::string>());
    if (!r.ok()) {
      Error(n, section, key, r.status().message());
      return std::nullopt;
    }
    if (r->rounded) {
      Error(n, section, key, "amounts in a contract have at most two decimals");
      return std::nullopt;
    }
    m = r->value;
  } else if (n->is_number()) {
    const double v = *n->value<double>();
    const double cents = v * 100.0;
    if (!std::isfinite(v) || std::fabs(cents) > 9e15) {
      Error(n, section, key, "amount is out of range");
      return std::nullopt;
    }
    if (std::fabs(cents - std::round(cents)) > 1e-6) {
      Error(n, section, key, fmt::format("{} has more than two decimals", v));
      return std::nullopt;
    }
    m = Money::FromCents(static_cast<int64_t>(std::llround(cents)));
  } else {
    Error(n, section, key, fmt::format("expected an amount, found {}", TypeName(*n)));
    return std::nullopt;
  }
  if (!allow_negative && m->cents() < 0) {
    Error(n, section, key, "amount must not be negative");
    return std::nullopt;
  }
  return m;
}

std::optional<Date> TomlChecker::DateValue(const toml::table& t, std::string_view section,
                                           std::string_view key, bool required) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) Error(&t, section, key, "required key is missing");
    return std::nullopt;
  }
  if (n->is_date()) {
    const toml::date d = *n->value<toml::date>();
    if (!IsValidCivil(d.year, d.month, d.day)) {
      Error(n, section, key, "not a calendar date");
      return std::nullopt;
    }
    return Date::FromCivil(d.year, d.month, d.day);
  }
  if (n->is_string()) {
    auto r = ParseDate(*n->value<std::string>());
    if (!r.ok()) {
      Error(n, section, key, r.status().message());
      return std::nullopt;
    }
    return *r;
  }
  Error(n, section, key, fmt::format("expected a date (YYYY-MM-DD), found {}", TypeName(*n)));
  return std::nullopt;
}

std::optional<std::vector<std::string>> TomlChecker::StringList(const toml::table& t,
                                                                std::string_view section,
                                                                std::string_view key,
                                                                bool required) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) Error(&t, section, key, "required key is missing");
    return std::nullopt;
  }
  const toml::array* a = n->as_array();
  if (a == nullptr) {
    Error(n, section, key, fmt::format("expected a list of strings, found {}", TypeName(*n)));
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& e : *a) {
    if (!e.is_string()) {
      Error(&e, section, key, fmt::format("list entries must be strings, found {}", TypeName(e)));
      return std::nullopt;
    }
    out.push_back(*e.value<std::string>());
  }
  return out;
}

Status TomlChecker::ToStatus() const {
  if (errors_.empty()) return Status::Ok();
  std::string msg =
      fmt::format("{} has {} error{}:", path_, errors_.size(), errors_.size() == 1 ? "" : "s");
  for (const auto& e : errors_) msg += "\n  " + e;
  return InvalidInput(msg);
}

}  // namespace valuepact
