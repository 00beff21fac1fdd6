// Shared steps of the count-based layers: amount × units, an optional cap, and "no input".
#include <fmt/format.h>

#include "layers/kinds.h"

namespace valuepact {

LayerOutcome NoInput(const LayerContext& ctx, const std::string& why) {
  LayerOutcome o;
  o.amount_id = ctx.prefix + ".amount";
  o.branch = "no_input";
  o.note = why + ": the layer pays nothing";
  ctx.trace->AddMoney(o.amount_id, fmt::format("{}: payment", ctx.layer->label), Money(), o.note,
                      {}, ctx.clause);
  return o;
}

LayerOutcome PayPerUnit(const LayerContext& ctx, const LayerQuantity& units,
                        const std::string& what) {
  const ProgramLayerTerms& g = ctx.layer->program;
  Trace& tr = *ctx.trace;
  LayerOutcome o;
  o.amount_id = ctx.prefix + ".amount";
  tr.AddMoney(ctx.prefix + ".rate", fmt::format("{}: amount per unit", ctx.layer->label), g.amount,
              "contract term", {}, ctx.clause + ".amount");
  std::vector<std::string> inputs = {ctx.prefix + ".rate", units.trace_id};
  std::string formula = fmt::format("{} × {} {}", g.amount.ToString(), units.count, what);
  o.amount = g.amount * units.count;
  o.branch = units.count > 0 ? "paid" : "condition_not_met";
  if (g.cap && o.amount > *g.cap) {
    o.amount = *g.cap;
    o.branch = "capped";
    formula += fmt::format(", capped at {}", g.cap->ToString());
    tr.AddMoney(ctx.prefix + ".cap", fmt::format("{}: cap per period", ctx.layer->label), *g.cap,
                "contract term", {}, ctx.clause + ".cap");
    inputs.push_back(ctx.prefix + ".cap");
  }
  formula += " (exact in cents; no rounding needed)";
  tr.AddMoney(o.amount_id, fmt::format("{}: payment", ctx.layer->label), o.amount, formula, inputs,
              ctx.clause);
  return o;
}

Result<LayerOutcome> CountLayer::Compute(const LayerContext& ctx) const {
  auto q = ctx.quantities->Get(QuantityName(*ctx.layer), *ctx.layer, ctx.trace);
  if (!q.ok()) {
    return q.status();
  }
  if (!q->known) {
    return NoInput(ctx, q->missing);
  }
  return PayPerUnit(ctx, *q, What(*ctx.layer));
}

}  // namespace valuepact
