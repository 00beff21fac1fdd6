#pragma once
// Contract terms changed by key, on the contract's TOML text (what-if, docs/what-if.md).
//
// A key names one value: "payment.<id>.<key>" (and deeper, "payment.case-rate.pmpm.home") for a
// key of the [[payment]] table with that id, "<table>.<key>" for any other table
// ("benchmark.target_pmpm"). The value is TOML text (0.6, 900.00, "variable", [0.5, 0.6],
// { home = 420.0 }). The edited text is parsed and validated like any contract, so a change the
// contract rules refuse is refused with the same message.
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "valuepact/core/status.h"

namespace valuepact {

struct TermEdit {
  std::string key;
  std::string value;  // TOML value text
};

struct AppliedChange {
  std::string key;
  std::string before;  // TOML text; "" when the contract did not have the key
  std::string after;
};

struct EditedContract {
  std::string text;  // the changed contract, as TOML
  std::vector<AppliedChange> changes;
};

// A TOML value as text: strings quoted, tables and arrays inline, numbers as the shortest text
// that reads back the same (0.6).
std::string TomlValueText(const toml::node& n);

// `path` names the contract in messages. A key that names no table of the contract (no
// [[payment]] with that id, a value where a table is needed) or a value that is not TOML is an
// error naming the key.
Result<EditedContract> ChangeContractTerms(std::string_view text, const std::string& path,
                                           const std::vector<TermEdit>& changes);

// "KEY=VALUE" arguments (--set); a VALUE that is not TOML is taken as a string.
Result<std::vector<TermEdit>> TermEditsFromArguments(const std::vector<std::string>& args);

// A JSON object of key -> value (numbers, strings, booleans, arrays, objects), in its order;
// objects become TOML inline tables.
Result<std::vector<TermEdit>> TermEditsFromJson(const nlohmann::ordered_json& body);

}  // namespace valuepact
