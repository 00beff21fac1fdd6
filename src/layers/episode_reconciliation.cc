// episode_reconciliation: what an [[episode]]'s reconciliation owes, either way (docs/episodes.md,
// "Reconciliation"): aggregate target − actual over its episodes, quality applied to a gain,
// then stop-gain and stop-loss. The amount comes from the episodes the run built; aggregate
// inputs (check, scenarios) have none, and the layer says so.
#include <fmt/format.h>

#include "layers/kinds.h"

namespace valuepact {
namespace {

class EpisodeReconciliation final : public LayerKind {
 public:
  std::string_view name() const override { return "episode_reconciliation"; }

  Result<LayerOutcome> Compute(const LayerContext& ctx) const override {
    const PaymentLayerTerms& p = *ctx.layer;
    auto q = ctx.quantities->Get(fmt::format("episode.{}.reconciliation", p.episode), p, ctx.trace);
    if (!q.ok()) return q.status();
    if (!q->known) return NoInput(ctx, q->missing);
    LayerOutcome o;
    o.amount = q->amount;
    o.branch = q->amount.cents() > 0   ? "provider_earned"
               : q->amount.cents() < 0 ? "provider_owes"
                                       : "even";
    o.amount_id = ctx.prefix + ".amount";
    ctx.trace->AddMoney(o.amount_id, fmt::format("{}: payment", p.label), o.amount,
                        fmt::format("the reconciliation of [[episode]] {}", p.episode),
                        {q->trace_id}, ctx.clause);
    return o;
  }
};

}  // namespace

const LayerKind& EpisodeReconciliationLayer() {
  static const EpisodeReconciliation k;
  return k;
}

}  // namespace valuepact
