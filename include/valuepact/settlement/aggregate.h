#pragma once
// Settles a contract on aggregate inputs (no claims): totals, counts and rates given directly,
// as in a scenario row, a contract's [[example]] or a worked example. Every layer is computed
// by the same functions `settle` uses (ComputeSharedSavings, ComputeProgramLayer).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/contract/methodology.h"
#include "valuepact/core/trace.h"
#include "valuepact/layers/shared_savings.h"
#include "valuepact/settlement/layer_loop.h"

namespace valuepact {

struct AggregateResult {
  Trace trace;
  std::vector<LayerResult> layers;
  Money net_payer_to_provider;
  std::string shared_layer_id;  // the first shared-savings layer, "" when none
  std::optional<SharedSavingsOutcome> shared;
  SharedSavingsTerms terms;  // of that layer, as resolved for this year
  int performance_year = 0;
  int contract_year = 1;
  std::vector<std::string> notes;
};

// `inputs` maps AggregateInputKeys() (contract/examples.h) to their text. Unknown keys are
// errors here; callers that tolerate them (scenarios) drop them first. `adjust`, when given,
// changes each shared-savings layer's terms after they are resolved (the risk simulation removes
// a protective term with it).
Result<AggregateResult> EvaluateAggregate(
    const Contract& contract, const std::map<std::string, std::string>& inputs,
    const SetOverrides& set, const SharedSavingsContext& context,
    const std::function<void(SharedSavingsTerms*)>& adjust = nullptr);

}  // namespace valuepact
