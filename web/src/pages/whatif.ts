// What-if: sliders over the contract's payment terms; each change is settled again through the
// API from the run's aggregates (docs/what-if.md), with the change from the settled figure.
import { ApiError, WhatIfAnswer, WhatIfTerm } from "../api";
import { Context } from "../context";
import { h, note, section, table } from "../dom";
import { change, money, rate } from "../format";

function shownValue(t: WhatIfTerm, v: number): string {
  if (t.kind === "rate") return rate(v, 1);
  if (t.kind === "amount") return money(v.toFixed(2));
  return String(v);
}

export async function whatIfPage(ctx: Context): Promise<HTMLElement> {
  const run = ctx.settle;
  if (!run) return section("What-if", note("No settlement recorded for this partnership yet."));
  let terms: { terms: WhatIfTerm[]; net_payer_to_provider: string };
  try {
    terms = await ctx.api.get(`/api/runs/${run.run_id}/what-if`);
  } catch (e) {
    if (e instanceof ApiError) return section("What-if", note(e.message));
    throw e;
  }
  const changed = new Map<string, number>();
  const result = h("div", { id: "what-if-result", "aria-live": "polite" });
  const netOut = h("output", { id: "what-if-net" }, money(terms.net_payer_to_provider));
  const deltaOut = h("output", { id: "what-if-change" }, "$0.00");
  let pending = 0;

  async function recompute(): Promise<void> {
    const mine = ++pending;
    const body: Record<string, number> = {};
    for (const [k, v] of changed) body[k] = v;
    if (!changed.size) {
      netOut.textContent = money(terms.net_payer_to_provider);
      deltaOut.textContent = "$0.00";
      result.replaceChildren();
      result.dataset.state = "settled";
      return;
    }
    result.dataset.state = "computing";
    try {
      const a = await ctx.api.post<WhatIfAnswer>(`/api/runs/${run!.run_id}/what-if`, body);
      if (mine !== pending) return;
      netOut.textContent = money(a.net_payer_to_provider.what_if);
      deltaOut.textContent = change(a.net_payer_to_provider.change);
      result.replaceChildren(
        table(
          ["Layer", "Settled", "What-if", "Change", "Outcome"],
          a.layers.map((l) => [l.label || l.id, money(l.settled), money(l.what_if), change(l.change), l.branch.replace(/_/g, " ")]),
        ),
        ...a.notes.map((n) => note(n)),
      );
      result.dataset.state = "done";
    } catch (e) {
      if (mine !== pending) return;
      result.replaceChildren(h("p", { class: "bad", role: "alert" }, e instanceof Error ? e.message : String(e)));
      result.dataset.state = "error";
    }
  }

  const controls = terms.terms.map((t) => {
    const id = `term-${t.key.replace(/[^a-z0-9]+/gi, "-")}`;
    const valueOut = h("output", { for: id }, shownValue(t, t.value));
    const input = h("input", {
      type: "range",
      id,
      min: t.min,
      max: t.max,
      step: t.step,
      value: t.value,
      "data-key": t.key,
      "aria-describedby": `${id}-value`,
    });
    valueOut.id = `${id}-value`;
    input.addEventListener("input", () => {
      const v = Number(input.value);
      valueOut.textContent = shownValue(t, v);
      if (v === t.value) changed.delete(t.key);
      else changed.set(t.key, v);
      void recompute();
    });
    return h("div", { class: "term" }, h("label", { for: id }, t.label), input, valueOut);
  });
  const reset = h("button", { type: "button" }, "Back to the contract as settled");
  reset.addEventListener("click", () => {
    changed.clear();
    for (const c of controls) {
      const input = c.querySelector("input")!;
      const t = terms.terms.find((x) => x.key === input.dataset.key)!;
      input.value = String(t.value);
      c.querySelector("output")!.textContent = shownValue(t, t.value);
    }
    void recompute();
  });
  return h(
    "div",
    { class: "grid two" },
    section("Terms", ...controls, reset, note("Each change is settled again from the run's aggregates: the amount equals a settle of the changed contract.")),
    section(
      "Settlement under the changed terms",
      h("p", { class: "lead" }, "Net payer to provider ", netOut),
      h("p", {}, "Change from the settled figure ", deltaOut),
      result,
    ),
  );
}
