#pragma once
// The contract's key schema: every key of the sections below, with its values, default, meaning
// and the rule it comes from. The parser accepts exactly these keys in these sections (an
// unknown key is an error with the nearest valid one), `--set` and scenario columns accept the
// methodology keys, and the key tables of docs/contract-reference.md are generated from it
// (`valuepact keys --update-doc docs/contract-reference.md`; a test fails when they differ).
//
// Sections: "contract", "methodology" (also the keys of a shared-savings [[payment]] layer and of
// [[year]] tables), "benchmark" (keys of its sub-tables as "regional.weight", ...),
// "population", "attribution".
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/status.h"

namespace valuepact {

struct ContractKey {
  std::string_view section;
  std::string_view key;  // "weight", or "regional.weight" for a key of a sub-table
  std::string_view values;
  std::string_view default_value;
  std::string_view meaning;
  std::string_view rule;
  std::string_view doc_table;  // which generated table of the reference lists it
};

std::span<const ContractKey> ContractKeys();

// The keys a table accepts: section "benchmark" gives the top-level keys of [benchmark];
// "benchmark.regional" the keys of its regional table.
std::vector<std::string> KeysOf(std::string_view section);
const ContractKey* FindContractKey(std::string_view section, std::string_view key);

// The Markdown table of one doc_table ("contract", "methodology.sharing", "benchmark", ...).
std::string KeyTableMarkdown(std::string_view doc_table);
// `doc` with each block between "<!-- keys: TABLE -->" and "<!-- /keys -->" replaced by the
// generated table; an unknown table name or an unclosed block is an error.
Result<std::string> RegenerateKeyTables(std::string_view doc);

}  // namespace valuepact
