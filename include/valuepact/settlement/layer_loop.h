#pragma once
// The one loop over a contract's payment layers (ARCHITECTURE §1): every layer that is not
// spending-based first (so it can be an offset), then the spending-based layers in contract
// order; each computed by its registered kind (layers/layer.h) from the same quantities and
// spending inputs; then the net. Used by `settle` (quantities from the Timeline) and by check,
// scenarios and illustrate (quantities from aggregate inputs).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/trace.h"
#include "valuepact/layers/layer.h"

namespace valuepact {

struct LayerResult {
  std::string id;
  std::string kind;
  std::string label;
  Money amount;  // > 0: the payer pays the provider
  std::string trace_id;
  std::string branch;  // the outcome: case_rate | paid | shared_savings | withheld_data | ...
  std::string note;
};

struct LayerLoopInputs {
  const Contract* contract = nullptr;
  LayerQuantities* quantities = nullptr;
  // Spending for the spending-based layers; null when the contract has none.
  const SpendingInputs* spending = nullptr;
  // A shared-savings layer's terms for the year being settled.
  std::function<Result<SharedSavingsTerms>(const PaymentLayerTerms&)> resolve_terms;
  SharedSavingsContext shared_context;
  DataGate gate = DataGate::kOpen;
  std::string gate_reason;
};

struct LayerLoopResult {
  std::vector<LayerResult> layers;  // in contract order
  std::map<std::string, LayerOutcome> outcomes;
  Money net_payer_to_provider;
  std::string first_shared_id;  // "" without a shared-savings layer
  std::vector<std::string> notes;
};

// "[[payment]] id = \"x\" (contract line 12)": the clause a layer's trace nodes cite.
std::string LayerClause(const PaymentLayerTerms& layer);

// Adds every layer's nodes and "net_payer_to_provider" to `trace`.
Result<LayerLoopResult> RunLayers(const LayerLoopInputs& in, Trace* trace);

}  // namespace valuepact
