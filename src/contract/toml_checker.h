#pragma once
// Typed access to TOML tables that collects positioned errors ("path:line:col: key: problem").
// Every contract section parser uses it so that all messages look the same.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "valuepact/core/date.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"

namespace valuepact {

// Parses TOML text; a syntax error is "path:line:col: not valid TOML: …".
Result<toml::table> ParseTomlText(std::string_view text, const std::string& path);

class TomlChecker {
 public:
  explicit TomlChecker(std::string path) : path_(std::move(path)) {}

  // Reports keys of `t` not in `allowed`, suggesting the nearest allowed name.
  void AllowOnly(const toml::table& t, std::string_view section,
                 const std::vector<std::string>& allowed);

  std::optional<std::string> String(const toml::table& t, std::string_view section,
                                    std::string_view key, bool required);
  // One of `choices`.
  std::optional<std::string> Choice(const toml::table& t, std::string_view section,
                                    std::string_view key, const std::vector<std::string>& choices,
                                    bool required);
  std::optional<double> Number(const toml::table& t, std::string_view section, std::string_view key,
                               double min, double max, bool required);
  std::optional<int64_t> Integer(const toml::table& t, std::string_view section,
                                 std::string_view key, int64_t min, int64_t max, bool required);
  std::optional<bool> Bool(const toml::table& t, std::string_view section, std::string_view key,
                           bool required);
  // Money from a number (at most two decimals) or a decimal string ("3000.00").
  std::optional<Money> Amount(const toml::table& t, std::string_view section, std::string_view key,
                              bool allow_negative, bool required);
  // A TOML local date (2018-01-01) or a string in ISO or YYYYMMDD form.
  std::optional<Date> DateValue(const toml::table& t, std::string_view section,
                                std::string_view key, bool required);
  std::optional<std::vector<std::string>> StringList(const toml::table& t, std::string_view section,
                                                     std::string_view key, bool required);

  // An error at a node's position (or at the table's when the node is null).
  void Error(const toml::node* at, std::string_view section, std::string_view key,
             std::string_view problem);
  void ErrorAt(int line, int column, std::string_view section, std::string_view key,
               std::string_view problem);

  bool ok() const { return errors_.empty(); }
  const std::vector<std::string>& errors() const { return errors_; }
  Status ToStatus() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> errors_;
};

}  // namespace valuepact
