#pragma once
// Contract variants (`valuepact model variants`, docs/modeling.md): a CSV of changes to the
// contract's terms, one row per variant, each settled over the same simulated years and
// projected through the same ramp so the variants compare like for like.
//
// Columns: `id` (required), then any of
//   a methodology key (sharing_rate, minimum_savings_rate, savings_cap, loss_cap, ... as --set)
//   truncation           on | off (off removes the member truncation)
//   target_pmpm          the benchmark's target PMPM (a target_pmpm benchmark)
//   <layer>.pmpm         a case rate layer's rate (every setting's, when it is by setting)
//   <layer>.pmpm.<setting>  one setting's rate
//   <layer>.amount       a program layer's amount (assessment fee, supplement, incentive)
// A blank cell leaves the term as the contract has it.
#include <string>
#include <utility>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/status.h"
#include "valuepact/modeling/simulation.h"

namespace valuepact::modeling {

struct Variant {
  std::string id;
  std::vector<std::pair<std::string, std::string>> changes;  // column, value (as written)
  ContractChange change;
  std::string Describe() const;  // "sharing_rate=0.6; truncation=off", or "as written"
};

// Every problem is reported as "path:line: column: problem".
Result<std::vector<Variant>> ParseVariants(std::string_view csv, const std::string& path,
                                           const Contract& k);

}  // namespace valuepact::modeling
