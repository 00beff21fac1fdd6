// Money: the settlement waterfall by layer, PMPM against the benchmark by month with the MSR
// corridor, spending by service category.
import { ApiError, optional, TraceNode } from "../api";
import { bars, lines, waterfall, Step } from "../charts";
import { Context } from "../context";
import { figure, h, note, section, table } from "../dom";
import { dollars, money, rate } from "../format";

export async function moneyPage(ctx: Context): Promise<HTMLElement> {
  const s = ctx.summary;
  const run = ctx.settle;
  if (!s || !run) return section("Money", note("No settlement recorded for this partnership yet."));
  const out = h("div", { class: "stack" });

  // Benchmark → spending → savings, then each layer, then the net.
  const savings = dollars(s.benchmark.total) - dollars(s.expenditure.truncated_total);
  const steps: Step[] = [
    { label: "Benchmark", value: dollars(s.benchmark.total), total: true },
    { label: "Spending", value: -dollars(s.expenditure.truncated_total) },
    { label: "Savings", value: savings, total: true },
  ];
  const chart = h("div", { class: "chart", id: "waterfall" });
  const layerRows = s.layers.map((l) => [
    l.label || l.id,
    l.kind.replace(/_/g, " "),
    l.outcome.replace(/_/g, " "),
    figure(money(l.amount), run.run_id, l.trace_id),
  ]);
  out.append(
    section(
      "Settlement waterfall",
      h(
        "p",
        {},
        "Benchmark ",
        figure(money(s.benchmark.total), run.run_id, "benchmark.total"),
        " less spending after truncation ",
        figure(money(s.expenditure.truncated_total), run.run_id, "expenditure.truncated_total"),
        ". Each layer's amount is paid by the payer to the provider (negative: owed back).",
      ),
      chart,
      table(["Layer", "Kind", "Outcome", "Amount"], [
        ...layerRows,
        [h("strong", {}, "Net payer to provider"), "", "", figure(money(s.net_payer_to_provider), run.run_id, "net_payer_to_provider")],
      ]),
    ),
  );
  const layerSteps: Step[] = s.layers.map((l) => ({ label: l.id, value: dollars(l.amount) }));
  // The layers start again from zero: the net is their sum.
  const payStart: Step = { label: "", value: 0, reset: true };
  requestAnimationFrame(() =>
    waterfall(chart, [...steps, payStart, ...layerSteps, { label: "Net", value: dollars(s.net_payer_to_provider), total: true }], "Settlement waterfall by layer"),
  );

  // PMPM against the benchmark by month, from the latest metrics run of the contract.
  const metricsRun = [...ctx.runs].reverse().find((r) => r.command === "metrics" && r.contract_id === s.contract_id);
  const pmpm = h("div", { class: "chart", id: "pmpm" });
  if (metricsRun) {
    const m = await ctx.api.get<{ metrics: { metric: string; stratum: string; period: string; value: string }[] }>(`/api/runs/${metricsRun.run_id}/metrics`);
    const monthly = m.metrics.filter((r) => r.metric === "pmpm_total" && r.stratum === "all" && /^\d{4}-\d{2}$/.test(r.period));
    const shared = s.layers.find((l) => l.kind === "shared_savings");
    let msr: number | undefined;
    if (shared) {
      try {
        const node = await ctx.api.get<TraceNode>(`/api/runs/${run.run_id}/trace/layer.${shared.id}.minimum_savings_rate`);
        msr = Number(node.value);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
    }
    const bench = dollars(s.benchmark.pmpm);
    out.append(
      section(
        "PMPM against the benchmark, by month",
        pmpm,
        note(
          `Benchmark ${money(s.benchmark.pmpm)} PMPM${msr !== undefined ? `; the band is the minimum savings rate (${rate(msr)}) either side of it` : ""}. Monthly paid PMPM from metrics run ${metricsRun.run_id.slice(0, 12)}.`,
        ),
      ),
    );
    requestAnimationFrame(() =>
      lines(
        pmpm,
        monthly.map((r) => r.period),
        [
          { name: "Paid PMPM", values: monthly.map((r) => (r.value === "" ? null : Number(r.value))) },
          { name: "Benchmark PMPM", values: monthly.map(() => bench) },
        ],
        "Paid PMPM by month against the benchmark",
        { money: true, band: msr !== undefined ? { low: bench * (1 - msr), high: bench * (1 + msr), label: "MSR corridor" } : undefined },
      ),
    );
  } else {
    out.append(section("PMPM against the benchmark, by month", note("No metrics run of this contract: `valuepact metrics` gives the monthly PMPM.")));
  }

  // How the benchmark was built: its derivation, every input a figure of its own.
  const build = await ctx.api.get<TraceNode>(`/api/runs/${run.run_id}/trace/benchmark.total`);
  out.append(
    section(
      "Benchmark build-up",
      h("p", {}, build.formula ? `${build.label}: ${build.formula}.` : build.label),
      build.inputs.length ? h("p", {}, "Inputs: ", ...build.inputs.flatMap((id, i) => [i ? ", " : "", figure(id, run.run_id, id)])) : null,
      h("pre", { class: "derivation" }, build.derivation),
    ),
  );

  const cats = Object.entries(s.expenditure.by_category).filter(([, v]) => dollars(v) !== 0);
  const catChart = h("div", { class: "chart", id: "categories" });
  out.append(
    section(
      "Spending by service category",
      catChart,
      table(["Category", "Paid"], cats.map(([k, v]) => [k.replace(/_/g, " "), money(v)])),
      h("p", {}, "Expenditure PMPM ", figure(money(s.expenditure.pmpm), run.run_id, "expenditure.pmpm")),
    ),
  );
  requestAnimationFrame(() => bars(catChart, cats.map(([k]) => k.replace(/_/g, " ")), cats.map(([, v]) => dollars(v)), "Spending by service category"));
  const statement = await optional(ctx.api.get<string>(`/api/runs/${run.run_id}/statement`));
  if (statement) out.append(section("Statement", h("pre", { class: "statement" }, String(statement).slice(0, 4000))));
  return out;
}
