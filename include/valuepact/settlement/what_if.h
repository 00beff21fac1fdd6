#pragma once
// What-if (docs/what-if.md): a settled run's payment layers computed again under changed terms,
// from the aggregates the settlement used, through the same layer loop `settle` runs.
//
// `Settle` keeps what its layer loop read (WhatIfBase): each population member's in-scope
// spending (no member ids), the population counts, the benchmark, the data gate, every layer
// quantity it counted with the terms that quantity depends on, and the MSR band table. A changed
// contract is then settled on those aggregates: a changed sharing rate, MSR/MLR, cap, loss limit,
// truncation, target PMPM, case rate or incentive amount gives the amount a `settle` of the
// changed contract pays. A change that needs something the settlement did not count (another
// measure, another outlier threshold, another population or benchmark method) is refused with
// the reason; it needs a `settle` of the changed contract.
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/trace.h"
#include "valuepact/layers/layer.h"
#include "valuepact/refdata/msr_bands.h"
#include "valuepact/settlement/layer_loop.h"

namespace valuepact {

// A layer quantity as the settlement counted it.
struct RecordedQuantity {
  std::string name;        // program.member_months, measure.x, ... (layers/layer.h)
  std::string layer;       // the asking layer, for a count that depends on its terms; else ""
  std::string definition;  // those terms, as text ("" when none)
  LayerQuantity value;
};

struct WhatIfBase {
  static constexpr int kVersion = 1;
  std::string contract_id;
  int64_t members = 0;
  int64_t member_months = 0;
  std::vector<Money> member_spend;  // per population member, before truncation; no ids
  std::string benchmark_method;     // the contract's: a target_pmpm benchmark follows the target
  Money benchmark_total;
  std::string benchmark_id;
  Money expenditure;
  std::string expenditure_id;
  std::string member_spend_source;
  SharedSavingsInputs facts;
  DataGate gate = DataGate::kOpen;
  std::string gate_reason;
  std::vector<RecordedQuantity> quantities;
  std::optional<std::vector<MsrBand>> msr_bands;
  std::string msr_bands_path;
  // The settlement as computed, to check that the aggregates reproduce it.
  std::vector<LayerResult> layers;
  Money net;
};

// Layer quantities of a settlement, recorded as the layer loop asks for them.
class RecordingQuantities final : public LayerQuantities {
 public:
  RecordingQuantities(LayerQuantities* inner, std::vector<RecordedQuantity>* out)
      : inner_(inner), out_(out) {}
  Result<LayerQuantity> Get(const std::string& name, const PaymentLayerTerms& layer,
                            Trace* trace) override;

 private:
  LayerQuantities* inner_;
  std::vector<RecordedQuantity>* out_;
};

// The base as JSON text (restricted/what_if_base.json of a settle run), and back.
std::string WhatIfBaseJson(const WhatIfBase& base);
Result<WhatIfBase> ParseWhatIfBase(std::string_view text, const std::string& path);

struct WhatIfOutcome {
  std::vector<LayerResult> layers;  // in contract order
  std::map<std::string, LayerOutcome> outcomes;
  Money net_payer_to_provider;
  Money benchmark_total;
  Trace trace;  // the layers' nodes
  std::vector<std::string> notes;
};

// `contract` settled on the base. The contract must be the settled one with changed payment
// terms or target PMPM (the caller refuses other changes); a quantity the settlement did not
// count is an error naming it.
Result<WhatIfOutcome> SettleOnBase(const Contract& contract, const WhatIfBase& base);

// The settled contract on its own base must give the settlement's layers and net to the cent;
// otherwise the base cannot stand for the run, and the difference is the error.
Status CheckBaseReproduces(const Contract& contract, const WhatIfBase& base);

}  // namespace valuepact
