#pragma once
// Settles a contract on a dataset: population and member-months, in-scope spending, the
// benchmark, and each payment layer, with a trace node for every figure.
#include <array>
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/member_months.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/population/value_set.h"

namespace valuepact {

struct LayerResult {
  std::string id;
  std::string kind;
  std::string label;
  Money amount;  // > 0: the payer pays the provider
  std::string trace_id;
  std::string branch;  // for shared savings: shared_savings | shared_losses | within_corridor
};

struct MemberResult {
  uint32_t member = 0;
  int member_months = 0;
  int64_t lines = 0;
  Money medical;
  Money pharmacy;
  Money spend;            // medical + pharmacy in scope
  Money truncated_spend;  // min(spend, member_truncation) of the truncating layer
  std::array<Money, kServiceCategoryCount> by_category{};
};

struct ClaimScopeCounts {
  int64_t lines = 0;
  Money amount;
};

struct SettlementResult {
  std::string contract_id;
  Period period;
  int64_t members = 0;
  int64_t member_months = 0;
  Money expenditure_total;  // in-scope claims, before truncation, without offsets
  Money truncated_total;    // after member truncation (of the first shared-savings layer)
  Money expenditure_pmpm;   // truncated_total / member_months, rounded to the cent
  Money benchmark_total;
  Money benchmark_pmpm;
  std::vector<LayerResult> layers;
  Money net_payer_to_provider;
  ClaimScopeCounts in_scope;
  ClaimScopeCounts without_enrollment;  // in the period, but no member-month that month
  ClaimScopeCounts out_of_period;
  std::array<Money, kServiceCategoryCount> by_category{};
  std::vector<MemberResult> member_rows;  // population members, in member id order
  Trace trace;
  std::vector<std::string> notes;
};

struct SettleOptions {
  std::string contract_dir;  // base for relative paths in the contract (attribution file)
  std::string refdata_dir;   // --refdata ("" : $VALUEPACT_REFDATA, then ../shared/refdata)
  // For `[population] eligible`: program data (referrals, enrollments, events) and value sets.
  const ProgramData* program = nullptr;
  const population::ValueSetLibrary* value_sets = nullptr;
};

Result<SettlementResult> Settle(const Dataset& ds, const Contract& contract,
                                const SettleOptions& options);

}  // namespace valuepact
