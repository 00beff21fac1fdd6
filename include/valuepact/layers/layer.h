#pragma once
// A payment layer kind (ARCHITECTURE §1, "Layers are units"): one class per kind under
// src/layers/, registered in one list (layers/registry.cc). A kind computes its amount from a
// LayerContext; the context is filled from the run's Timeline and program data by `settle`, or
// from aggregate inputs by `check`, `scenarios` and `illustrate`, so the arithmetic is the same
// everywhere. One loop (settlement/layer_loop.h) orders the layers, applies offsets and sums the
// net.
//
// Kinds are stateless singletons, safe to use from any thread; a context is used by one thread.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"
#include "valuepact/layers/shared_savings.h"

namespace valuepact {

// A count or measured value a layer pays on, and the trace node that holds it.
struct LayerQuantity {
  bool known = false;
  int64_t count = 0;  // counts (member-months, assessments, members ...)
  double value = 0;   // measures (shares, scores)
  Money amount;       // amounts (an episode reconciliation)
  std::string trace_id;
  std::string missing;  // why it is unknown, when !known
};

// An [[episode]]'s reconciliation amount and the trace node that derives it.
struct EpisodeAmount {
  Money amount;
  std::string trace_id;
};

// Where a layer's quantities come from. Names (docs/contract-reference.md, "Payment layers"):
//   population.member_months, population.members
//   program.member_months, program.member_months.<setting>
//   program.initial_assessments, program.acp_members, program.acp_events
//   program.outlier_member_months   (uses the asking layer's threshold and measure)
//   measure.<name>                  (a quality or data-reporting measure)
// Implementations add the node they return (and the evidence behind it) to the trace once.
class LayerQuantities {
 public:
  virtual ~LayerQuantities() = default;
  virtual Result<LayerQuantity> Get(const std::string& name, const PaymentLayerTerms& layer,
                                    Trace* trace) = 0;
};

// What the data allows a spending-based layer to pay (ARCHITECTURE §3, "Data that cannot be
// trusted does not pay").
enum class DataGate {
  kOpen,        // pay as computed
  kWithhold,    // pay 0.00, outcome withheld_data
  kNoDownside,  // keep earned savings; a loss owed becomes 0.00, outcome loss_waived_data
};

// The spending side of a shared-savings layer.
struct SpendingInputs {
  Money benchmark_total;
  std::string benchmark_id;
  // Claims expenditure: before member truncation when `member_spend` is given (settle), else
  // already truncated (aggregate inputs).
  Money expenditure;
  std::string expenditure_id;
  // Per population member spending (settle), for member truncation and percentile truncation.
  const std::vector<Money>* member_spend = nullptr;
  std::string member_spend_source;
  SharedSavingsInputs facts;  // assigned beneficiaries, quality score, elections ...
};

// Member truncation of a shared-savings layer: a fixed threshold per member per period, or the
// nearest-rank percentile of the population members' spending. The one computation behind the
// layer, summary.json, members.csv and the statement.
struct MemberTruncation {
  std::optional<Money> threshold;
  bool from_percentile = false;
  Money excess;  // Σ max(0, spend − threshold)
  int64_t members_above = 0;
};
MemberTruncation ComputeMemberTruncation(const SharedSavingsTerms& terms,
                                         const std::vector<Money>& member_spend);

struct LayerOutcome {
  Money amount;  // > 0: the payer pays the provider
  std::string branch;
  std::string note;
  std::string amount_id;
  std::optional<SharedSavingsOutcome> shared;  // shared-savings layers
  MemberTruncation truncation;                 // shared-savings layers with member spending
};

struct LayerContext {
  const Contract* contract = nullptr;
  const PaymentLayerTerms* layer = nullptr;
  std::string prefix;  // "layer.<id>"
  std::string clause;  // "[[payment]] id = \"x\" (contract line 12)"
  LayerQuantities* quantities = nullptr;
  Trace* trace = nullptr;
  // Earlier layers, by id (offsets).
  const std::map<std::string, LayerOutcome>* done = nullptr;
  // Shared savings only.
  const SharedSavingsTerms* terms = nullptr;  // resolved for the year
  const SpendingInputs* spending = nullptr;
  SharedSavingsContext shared_context;
  DataGate gate = DataGate::kOpen;
  std::string gate_reason;
};

class LayerKind {
 public:
  virtual ~LayerKind() = default;
  virtual std::string_view name() const = 0;
  // Spending-based layers (shared savings and losses, corridors) are the ones data gates stop.
  virtual bool spending_based() const { return false; }
  virtual Result<LayerOutcome> Compute(const LayerContext& context) const = 0;
  // Plausible aggregate inputs for a worked example (`valuepact illustrate`), added to
  // `inputs` (AggregateInputKeys() names) where absent; each added key goes to `assumed`.
  // `member_months` is already there. Shared-savings inputs are the illustration's own.
  virtual void AddIllustrationInputs(const PaymentLayerTerms& layer,
                                     std::map<std::string, std::string>* inputs,
                                     std::vector<std::string>* assumed) const {}
  // The layer's amount on those inputs when it can count as spending (an offset); nullopt when
  // it depends on other layers.
  virtual std::optional<Money> IllustrationAmount(
      const PaymentLayerTerms& layer, const std::map<std::string, std::string>& inputs) const {
    return std::nullopt;
  }
};

// Adds `key` = `value` to `inputs` when absent, recording it in `assumed`.
void AssumeInput(const std::string& key, const std::string& value,
                 std::map<std::string, std::string>* inputs, std::vector<std::string>* assumed);

// The registered kinds, in registration order; nullptr for an unknown kind.
const std::vector<const LayerKind*>& LayerKinds();
const LayerKind* FindLayerKind(std::string_view kind);

// Shared by the count-based kinds: `amount` × units, capped, with the trace nodes.
LayerOutcome PayPerUnit(const LayerContext& ctx, const LayerQuantity& units,
                        const std::string& what);

}  // namespace valuepact
