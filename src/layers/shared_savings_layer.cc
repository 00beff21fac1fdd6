// shared_savings: shared savings and losses (and risk corridors) of the layer's expenditure
// against the benchmark — member truncation, offsets, then the outcome ladder of
// layers/shared_savings.h. The spending-based layer kind: data gates stop it.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "layers/kinds.h"

namespace valuepact {

MemberTruncation ComputeMemberTruncation(const SharedSavingsTerms& s,
                                         const std::vector<Money>& spend) {
  MemberTruncation t;
  t.threshold = s.member_truncation;
  if (s.truncation_percentile && !spend.empty()) {
    // Nearest-rank percentile of the population members' spending.
    std::vector<Money> sorted = spend;
    std::sort(sorted.begin(), sorted.end());
    const double rank = std::ceil(*s.truncation_percentile * static_cast<double>(sorted.size()));
    const size_t at = static_cast<size_t>(std::max(1.0, rank)) - 1;
    t.threshold = sorted[std::min(at, sorted.size() - 1)];
    t.from_percentile = true;
  }
  if (t.threshold) {
    for (const Money& m : spend) {
      if (m > *t.threshold) {
        t.excess += m - *t.threshold;
        ++t.members_above;
      }
    }
  }
  return t;
}

namespace {

class SharedSavings final : public LayerKind {
 public:
  std::string_view name() const override { return "shared_savings"; }
  bool spending_based() const override { return true; }

  Result<LayerOutcome> Compute(const LayerContext& ctx) const override {
    const SpendingInputs& sp = *ctx.spending;
    const SharedSavingsTerms& s = *ctx.terms;
    Trace& tr = *ctx.trace;
    LayerOutcome out;
    std::vector<std::string> e_in = {sp.expenditure_id};
    Money expenditure = sp.expenditure;
    std::string formula =
        sp.member_spend != nullptr ? "expenditure before truncation" : "claims expenditure";
    if (sp.member_spend != nullptr) {
      out.truncation = ComputeMemberTruncation(s, *sp.member_spend);
      if (out.truncation.threshold) {
        AddTruncationNodes(ctx, out.truncation);
        expenditure -= out.truncation.excess;
        formula += " − spending above the member truncation";
        e_in.push_back(ctx.prefix + ".truncation_excess");
      }
    }
    const auto& offsets =
        s.offset_layers.empty() ? ctx.layer->shared_savings.offset_layers : s.offset_layers;
    if (offsets.empty() && sp.member_spend == nullptr) {
      formula += " (no payment layer is counted as spending)";
    }
    for (const auto& off : offsets) {
      const auto it = ctx.done->find(off);
      if (it == ctx.done->end()) {
        continue;  // validated at parse time
      }
      expenditure += it->second.amount;
      formula += fmt::format(" + layer '{}'", off);
      e_in.push_back(it->second.amount_id);
    }
    tr.AddMoney(ctx.prefix + ".expenditure", fmt::format("{}: expenditure", ctx.layer->label),
                expenditure, formula, e_in,
                offsets.empty() ? ctx.clause : ctx.clause + ".offset_layers");
    SharedSavingsInputs in = sp.facts;
    in.benchmark = sp.benchmark_total;
    in.expenditure = expenditure;
    in.benchmark_id = sp.benchmark_id;
    in.expenditure_id = ctx.prefix + ".expenditure";
    auto o = ComputeSharedSavings(s, in, ctx.shared_context, ctx.prefix, ctx.clause, &tr);
    if (!o.ok()) {
      return o.status();
    }
    out.amount = o->amount;
    out.branch = o->branch;
    out.note = o->note;
    out.amount_id = o->amount_id;
    out.shared = *o;
    ApplyGate(ctx, &out);
    return out;
  }

 private:
  static void AddTruncationNodes(const LayerContext& ctx, const MemberTruncation& t) {
    Trace& tr = *ctx.trace;
    const SharedSavingsTerms& s = *ctx.terms;
    std::vector<std::string> inputs = {ctx.spending->expenditure_id};
    if (t.from_percentile) {
      tr.AddMoney(ctx.prefix + ".truncation_threshold",
                  fmt::format("{}: member truncation at the {} percentile", ctx.layer->label,
                              FormatRate(*s.truncation_percentile)),
                  *t.threshold,
                  fmt::format("nearest-rank percentile of {} members' spending",
                              ctx.spending->member_spend->size()),
                  {ctx.spending->expenditure_id}, ctx.clause + ".truncation_percentile");
    } else {
      tr.AddMoney(ctx.prefix + ".truncation_threshold",
                  fmt::format("{}: member truncation threshold", ctx.layer->label), *t.threshold,
                  "contract term (per member per period)", {}, ctx.clause + ".member_truncation");
    }
    inputs.push_back(ctx.prefix + ".truncation_threshold");
    tr.AddMoney(
        ctx.prefix + ".truncation_excess",
        fmt::format("{}: spending above {} per member", ctx.layer->label, t.threshold->ToString()),
        t.excess,
        fmt::format("Σ over {} members of (spend − threshold) where spend > threshold",
                    t.members_above),
        inputs, "data: " + ctx.spending->member_spend_source + " (members.csv, spend column)");
  }

  // Data that cannot be trusted does not pay: the computed amount stays in the trace and the
  // payable amount says why it differs.
  static void ApplyGate(const LayerContext& ctx, LayerOutcome* out) {
    if (ctx.gate == DataGate::kOpen) {
      return;
    }
    const bool waive_loss = ctx.gate == DataGate::kNoDownside;
    if (waive_loss && out->amount.cents() >= 0) {
      return;
    }
    const std::string computed = out->amount_id;
    out->branch = waive_loss ? "loss_waived_data" : "withheld_data";
    out->note = ctx.gate_reason;
    out->amount = Money();
    out->amount_id = ctx.prefix + ".payable";
    ctx.trace->AddMoney(out->amount_id, fmt::format("{}: payable", ctx.layer->label), Money(),
                        fmt::format("{}: 0.00 instead of the computed amount ({})",
                                    waive_loss ? "loss waived" : "withheld", ctx.gate_reason),
                        {computed},
                        waive_loss ? "[data_requirements] on_fail = \"no_downside\""
                                   : "data gate (docs/contract-reference.md, \"Data that cannot "
                                     "be trusted does not pay\")");
  }
};

}  // namespace

const LayerKind& SharedSavingsLayer() {
  static const SharedSavings k;
  return k;
}

}  // namespace valuepact
