#pragma once
// Shared savings and losses on an aggregate benchmark and expenditure: the one engine behind
// `settle`, `scenarios`, `illustrate` and `check` (docs/contract-reference.md, "Methodology
// terms"). Every step adds a trace node whose source cites the contract clause or the rule.
#include <optional>
#include <string>

#include "valuepact/contract/payment_terms.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"
#include "valuepact/refdata/msr_bands.h"

namespace valuepact {

struct SharedSavingsInputs {
  Money benchmark;
  Money expenditure;  // after member truncation, including offset layers
  // Trace ids of the two inputs, so the layer's nodes link to them.
  std::string benchmark_id;
  std::string expenditure_id;

  // Aggregate facts that some terms need; absent ones fall back to the terms (or are errors
  // when a term needs them, e.g. a variable MSR without assigned beneficiaries).
  std::optional<int64_t> assigned_beneficiaries;
  std::optional<double> quality_score;                   // 0..1
  std::optional<bool> quality_standard_met;              // default: met
  std::optional<bool> alternative_quality_standard_met;  // sliding scale (PY2023+)
  std::optional<double> elected_msr;                     // an election given with the inputs
  bool elected_variable = false;                         //   ... or "variable"
  std::optional<Money> participant_revenue;              // ACO participants' Parts A+B FFS revenue
  std::optional<bool> low_revenue;
  std::optional<double> loss_reduction_fraction;  // extreme and uncontrollable circumstances
};

struct SharedSavingsContext {
  const MsrBandTable* msr_bands = nullptr;  // needed by variable MSRs only
};

struct SharedSavingsOutcome {
  Money savings;            // benchmark - expenditure
  double savings_rate = 0;  // savings / benchmark
  double minimum_savings_rate = 0;
  std::optional<double> minimum_loss_rate;  // two-sided only
  double final_sharing_rate = 0;            // effective provider share of savings
  std::optional<double> shared_loss_rate;   // two-sided only
  // shared_savings | shared_losses | within_corridor | no_benchmark | small_population
  // | half_rate_savings
  std::string branch;
  long double unrounded = 0;  // the amount before the single rounding step, in dollars
  bool capped = false;
  // "" | performance_payment_limit | loss_limit_benchmark | loss_limit_revenue
  std::string limit_applied;
  std::string note;       // why a rule zeroed the result, or what it changed
  Money amount;           // > 0: payer pays provider
  std::string amount_id;  // trace id of the amount
};

// Whether the terms can need the MSR band table (a variable MSR, a variable election, or
// small populations switched to the variable MSR).
bool NeedsMsrBands(const SharedSavingsTerms& terms);

// Adds its steps to `trace` under ids "<prefix>.<step>" and returns the outcome. Errors when a
// term needs an input that is missing (an elected MSR without an election, a variable MSR
// without assigned beneficiaries or the band table).
Result<SharedSavingsOutcome> ComputeSharedSavings(const SharedSavingsTerms& terms,
                                                  const SharedSavingsInputs& in,
                                                  const SharedSavingsContext& context,
                                                  const std::string& prefix,
                                                  const std::string& clause, Trace* trace);

}  // namespace valuepact
