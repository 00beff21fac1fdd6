#pragma once
// Methodology terms: the keys that set SharedSavingsTerms wherever a contract writes them —
// [methodology], a shared-savings [[payment]] layer, a [[year]] table of the glide path, and
// `--set key=value` on the command line (docs/contract-reference.md, "Methodology terms").
//
// A layer's terms resolve in this order, later ones overriding earlier ones:
//   preset (contract.preset, performance year) → [methodology] → the [[payment]] layer's keys
//   → [[year]] tables for the contract year → --set overrides.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "valuepact/contract/payment_terms.h"
#include "valuepact/core/status.h"

namespace valuepact {

struct Contract;

const std::vector<std::string>& MethodologyKeys();

// "key=value" pairs; the value is TOML (0.02, true, "variable", [..]) or else a bare string.
using SetOverrides = std::vector<std::pair<std::string, std::string>>;
// Splits command-line "key=value" arguments.
Result<SetOverrides> ParseSetArguments(const std::vector<std::string>& args);

struct ResolveOptions {
  int performance_year = 0;  // 0: the contract's
  int contract_year = 0;     // 0: the contract's
  SetOverrides set;          // methodology keys only
};

// The terms of shared-savings layer `layer_id` for a performance year and contract year.
Result<SharedSavingsTerms> ResolveSharedSavingsTerms(const Contract& k, const std::string& layer_id,
                                                     const ResolveOptions& options);

}  // namespace valuepact
