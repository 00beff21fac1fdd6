#pragma once
// [[example]] blocks: inputs and the results both parties agreed to, written into the contract
// ("add examples into the contract", seed 000) and checked by the engine.
//
//   [[example]]
//   name = "Savings above the MSR"
//   performance_year = 2024        # optional; presets only
//   contract_year = 2              # optional; glide path
//   [example.inputs]
//   benchmark_total = 10000000.00
//   expenditure_total = 9500000.00
//   assigned_beneficiaries = 12000
//   [example.expected]
//   earned_savings_losses = 245000.00
//   final_sharing_rate = 0.5
//   layers = { assessment-fee = 1200.00 }
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/core/money.h"

namespace valuepact {

struct ExampleValue {
  std::string key;
  std::string text;       // as written ("245000.00", "0.5", "true", "variable")
  bool is_money = false;  // expected amounts compare in cents
  int line = 0;
};

struct ContractExample {
  std::string name;
  int line = 0;                        // of the [[example]] table
  int performance_year = 0;            // 0: the contract's
  int contract_year = 0;               // 0: the contract's
  std::vector<ExampleValue> inputs;    // scenario input keys and program-layer counts
  std::vector<ExampleValue> expected;  // outcome keys, "layers.<id>", net_payer_to_provider
  double rate_tolerance = 1e-6;
  Money amount_tolerance = Money::FromCents(0);
};

// Keys an example (or a scenario row) may give as inputs.
const std::vector<std::string>& AggregateInputKeys();
// Keys an example may expect.
const std::vector<std::string>& ExpectedOutcomeKeys();

}  // namespace valuepact
