#include "valuepact/settlement/layer_loop.h"
#include "valuepact/core/figure_ids.h"

#include <fmt/format.h>

namespace valuepact {

std::string LayerClause(const PaymentLayerTerms& p) {
  return p.source_line > 0
             ? fmt::format("[[payment]] id = \"{}\" (contract line {})", p.id, p.source_line)
             : fmt::format("[[payment]] id = \"{}\"", p.id);
}

Result<LayerLoopResult> RunLayers(const LayerLoopInputs& in, Trace* trace) {
  const Contract& k = *in.contract;
  LayerLoopResult r;
  auto compute = [&](const PaymentLayerTerms& p, const LayerKind& kind) -> Status {
    LayerContext ctx;
    ctx.contract = &k;
    ctx.layer = &p;
    ctx.prefix = fmt::format("layer.{}", p.id);
    ctx.clause = LayerClause(p);
    ctx.quantities = in.quantities;
    ctx.trace = trace;
    ctx.done = &r.outcomes;
    SharedSavingsTerms terms;
    if (kind.spending_based()) {
      if (in.spending == nullptr) {
        return InvalidInput(fmt::format("layer '{}': no benchmark and expenditure to share", p.id));
      }
      auto t = in.resolve_terms(p);
      if (!t.ok()) {
        return t.status();
      }
      terms = std::move(*t);
      ctx.terms = &terms;
      ctx.spending = in.spending;
      ctx.shared_context = in.shared_context;
      ctx.gate = in.gate;
      ctx.gate_reason = in.gate_reason;
      if (r.first_shared_id.empty()) {
        r.first_shared_id = p.id;
      }
    }
    auto o = kind.Compute(ctx);
    if (!o.ok()) {
      return o.status();
    }
    if (!o->note.empty()) {
      r.notes.push_back(fmt::format("layer '{}': {}", p.id, o->note));
    }
    r.outcomes[p.id] = std::move(*o);
    return Status::Ok();
  };
  for (const bool spending_pass : {false, true}) {
    for (const auto& p : k.payments) {
      const LayerKind* kind = FindLayerKind(p.kind);
      if (kind == nullptr) {
        return InvalidInput(fmt::format("layer '{}': unknown kind '{}'", p.id, p.kind));
      }
      if (kind->spending_based() != spending_pass) {
        continue;
      }
      if (Status s = compute(p, *kind); !s.ok()) {
        return s;
      }
    }
  }
  std::vector<std::string> ids;
  for (const auto& p : k.payments) {
    const LayerOutcome& o = r.outcomes.at(p.id);
    r.layers.push_back(LayerResult{p.id, p.kind, p.label, o.amount, o.amount_id, o.branch, o.note});
    r.net_payer_to_provider += o.amount;
    ids.push_back(o.amount_id);
  }
  trace->AddMoney(std::string(figure::kNet), "Net amount the payer owes the provider",
                  r.net_payer_to_provider,
                  "Σ of every payment layer's amount (negative: provider owes)", ids,
                  "contract [[payment]] layers");
  return r;
}

}  // namespace valuepact
