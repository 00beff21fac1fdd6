#include "layers/measure_incentive.h"
#include "valuepact/core/figure_ids.h"

#include <fmt/format.h>

namespace valuepact {

Result<LayerOutcome> ComputeMeasureIncentive(const LayerContext& ctx) {
  const PaymentLayerTerms& p = *ctx.layer;
  const ProgramLayerTerms& g = p.program;
  auto m = ctx.quantities->Get("measure." + g.measure, p, ctx.trace);
  if (!m.ok()) {
    return m.status();
  }
  if (!m->known) {
    return NoInput(ctx, m->missing);
  }
  Trace& tr = *ctx.trace;
  LayerOutcome o;
  o.amount_id = ctx.prefix + ".amount";
  const double th = g.threshold.value_or(0);
  tr.AddMoney(ctx.prefix + ".rate", fmt::format("{}: amount", p.label), g.amount, "contract term",
              {}, ctx.clause + ".amount");
  tr.AddRate(ctx.prefix + ".threshold", fmt::format("{}: threshold", p.label), th, "contract term",
             {}, ctx.clause + ".threshold");
  std::vector<std::string> inputs = {ctx.prefix + ".rate", m->trace_id, ctx.prefix + ".threshold"};
  const bool met = g.higher_is_better ? m->value >= th : m->value <= th;
  std::string formula =
      fmt::format("{} {} {}: {}; ", FormatRate(m->value), g.higher_is_better ? "≥" : "≤",
                  FormatRate(th), met ? "condition met" : "condition not met");
  if (!met) {
    o.branch = "condition_not_met";
    tr.AddMoney(o.amount_id, fmt::format("{}: payment", p.label), Money(), formula + "0.00", inputs,
                ctx.clause);
    return o;
  }
  o.branch = "paid";
  int64_t units = 1;
  if (g.basis == "per_member_month" || g.basis == "per_member") {
    const bool mm = g.basis == "per_member_month";
    auto q = ctx.quantities->Get(
        mm ? std::string(figure::kMemberMonths) : std::string(figure::kMembers), p, ctx.trace);
    if (!q.ok()) {
      return q.status();
    }
    if (!q->known) {
      return NoInput(ctx, q->missing);
    }
    units = q->count;
    inputs.push_back(q->trace_id);
    formula +=
        fmt::format("{} × {} {}", g.amount.ToString(), units, mm ? "member-months" : "members");
  } else {
    formula += fmt::format("{} once for the period", g.amount.ToString());
  }
  o.amount = g.amount * units;
  if (g.cap && o.amount > *g.cap) {
    o.amount = *g.cap;
    o.branch = "capped";
    formula += fmt::format(", capped at {}", g.cap->ToString());
    tr.AddMoney(ctx.prefix + ".cap", fmt::format("{}: cap per period", p.label), *g.cap,
                "contract term", {}, ctx.clause + ".cap");
    inputs.push_back(ctx.prefix + ".cap");
  }
  tr.AddMoney(o.amount_id, fmt::format("{}: payment", p.label), o.amount,
              formula + " (exact in cents; no rounding needed)", inputs, ctx.clause);
  return o;
}

}  // namespace valuepact
