// Outcomes: targets with trends and status, short- and long-term measures on one time frame,
// strata with small cells suppressed, before/after and comparison group, and the balance of
// effort, payment and outcomes.
import { lines } from "../charts";
import { Context } from "../context";
import { h, note, section, table } from "../dom";
import { date, money, number, rate } from "../format";

interface Target {
  id: string;
  label: string;
  metric: string;
  direction: string;
  threshold: number;
  periods: { period: string; value: number | null; status: string; trend: string }[];
}

interface Monitoring {
  benchmark_pmpm?: number;
  targets?: Target[];
  balance?: { month: string; visits: number; program_member_months: number; pmpm_total: number; acute_admissions_per_1000: number }[];
  payments?: { layers: { id: string; label: string; amount: string }[] };
  before_after?: { months: number; members: number; before: Record<string, number>; after: Record<string, number> }[] | null;
  comparison?: {
    label: string;
    measures?: { metric: string; enrolled: { rate: number; adjusted_rate?: number }; comparison: { rate: number; adjusted_rate?: number }; difference: number; adjusted_difference?: number }[];
  } | null;
}

interface MetricRow {
  metric: string;
  stratum: string;
  period: string;
  numerator: string;
  denominator: string;
  value: string;
}

const shortTerm = new Set(["ed_visits_per_1000", "acute_admissions_per_1000", "pmpm_total", "days_referral_to_first_visit_median"]);

function shown(v: number | null | undefined, metric: string): string {
  if (v === null || v === undefined) return "suppressed";
  if (metric.endsWith("_share") || metric.includes("without")) return rate(v);
  if (metric.startsWith("pmpm")) return money(v.toFixed(2));
  return number(v);
}

export async function outcomesPage(ctx: Context): Promise<HTMLElement> {
  const run = [...ctx.runs].reverse().find((r) => r.command === "metrics");
  if (!run) return section("Outcomes", note("No metrics run recorded for this partnership: `valuepact metrics CONTRACT --data DIR --out OUT` records one."));
  const data = await ctx.api.get<{ metrics: MetricRow[]; monitoring: Monitoring | null }>(`/api/runs/${run.run_id}/metrics`);
  const m = data.monitoring ?? {};
  const out = h("div", { class: "stack" });
  const targets = m.targets ?? [];
  const short = targets.filter((t) => shortTerm.has(t.metric));
  const long = targets.filter((t) => !shortTerm.has(t.metric));
  const grid = h("div", { class: "grid two" });
  for (const [title, group] of [
    ["Short-term measures", short],
    ["Long-term measures", long],
  ] as const) {
    const card = section(title);
    for (const t of group) {
      const el = h("div", { class: "chart small" });
      card.append(
        h("h3", {}, t.label),
        el,
        table(["Period", "Value", "Status", "Trend"], t.periods.map((p) => [date(p.period), shown(p.value, t.metric), h("span", { class: `status ${p.status}` }, p.status.replace(/_/g, " ")), p.trend || "—"])),
      );
      requestAnimationFrame(() =>
        lines(el, t.periods.map((p) => p.period), [{ name: t.metric, values: t.periods.map((p) => p.value) }], t.label, {
          threshold: { value: t.threshold, label: `${t.direction === "at_most" ? "at most" : "at least"} ${shown(t.threshold, t.metric)}` },
        }),
      );
    }
    if (!group.length) card.append(note("No target of this kind in the contract's [monitoring]."));
    grid.append(card);
  }
  out.append(h("p", { class: "note" }, "Short- and long-term measures share one time frame: the contract period, by quarter."), grid);

  // Strata: every stratified row of the period, small cells suppressed by the engine.
  const strata = data.metrics.filter((r) => r.stratum !== "all" && !/^\d{4}-/.test(r.period));
  if (strata.length) {
    out.append(
      section(
        "By member attribute (equity)",
        table(["Metric", "Stratum", "Value"], strata.slice(0, 200).map((r) => [r.metric, r.stratum, r.value === "" ? "suppressed (small cell)" : r.value])),
      ),
    );
  }
  const ba = m.before_after ?? [];
  const cmp = m.comparison?.measures ?? [];
  if (ba.length || cmp.length) {
    const keys = ["pmpm_total", "acute_stays", "bed_days", "ed_visits"];
    out.append(
      section(
        "Before and after; against the comparison group",
        ...ba.map((w) =>
          table(
            ["Measure", "Before", "After"],
            keys.filter((k) => k in w.before).map((k) => [k.replace(/_/g, " "), shown(w.before[k], k), shown(w.after[k], k)]),
            `${w.members} members enrolled, ${w.months} months before and after enrollment`,
          ),
        ),
        cmp.length
          ? table(
              ["Measure", "Enrolled", "Comparison", "Difference", "Risk-adjusted difference"],
              cmp.map((x) => [x.metric, shown(x.enrolled.rate, x.metric), shown(x.comparison.rate, x.metric), shown(x.difference, x.metric), shown(x.adjusted_difference, x.metric)]),
              m.comparison?.label,
            )
          : null,
      ),
    );
  }
  const balance = (m.balance ?? []).filter((b) => /^\d{4}-\d{2}$/.test(b.month));
  if (balance.length) {
    const el = h("div", { class: "chart" });
    out.append(
      section(
        "Balance: effort, payment and outcomes",
        el,
        table(
          ["Layer", "Paid"],
          (m.payments?.layers ?? []).map((l) => [l.label || l.id, money(l.amount)]),
          "Payment for the period",
        ),
      ),
    );
    requestAnimationFrame(() =>
      lines(
        el,
        balance.map((b) => b.month),
        [
          { name: "Visits (effort)", values: balance.map((b) => b.visits) },
          { name: "Program member-months", values: balance.map((b) => b.program_member_months) },
          { name: "Admissions per 1,000 (outcome)", values: balance.map((b) => b.acute_admissions_per_1000) },
        ],
        "Effort and outcomes by month",
      ),
    );
  }
  return out;
}
