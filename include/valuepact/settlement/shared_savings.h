#pragma once
// Shared savings and losses on an aggregate benchmark and expenditure
// (docs/contract-reference.md, "Shared savings and losses").
#include <string>

#include "valuepact/contract/payment_terms.h"
#include "valuepact/core/money.h"
#include "valuepact/core/trace.h"

namespace valuepact {

struct SharedSavingsInputs {
  Money benchmark;
  Money expenditure;  // after member truncation, including offset layers
  // Trace ids of the two inputs, so the layer's nodes link to them.
  std::string benchmark_id;
  std::string expenditure_id;
};

struct SharedSavingsOutcome {
  Money savings;             // benchmark - expenditure
  double savings_rate = 0;   // savings / benchmark
  std::string branch;        // shared_savings | shared_losses | within_corridor | no_benchmark
  long double unrounded = 0; // the amount before the single rounding step, in dollars
  bool capped = false;
  Money amount;              // > 0: payer pays provider
  std::string amount_id;     // trace id of the amount
};

// Adds its steps to `trace` under ids "<prefix>.<step>" and returns the outcome.
SharedSavingsOutcome ComputeSharedSavings(const SharedSavingsTerms& terms,
                                          const SharedSavingsInputs& in,
                                          const std::string& prefix,
                                          const std::string& clause, Trace* trace);

}  // namespace valuepact
