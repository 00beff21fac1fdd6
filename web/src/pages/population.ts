// Population: the funnel (eligible → referred → assessed → enrolled → active), the population
// as settled, strict against loose definitions, and, for users with the PHI permission, the
// members.
import { optional } from "../api";
import { bars } from "../charts";
import { Context } from "../context";
import { figure, h, note, section, table } from "../dom";
import { count, money, rate } from "../format";

interface Funnel {
  eligible: string;
  stages: string[];
  total: Record<string, number>;
  by_month: Record<string, number | string>[];
  comparison?: { definition: string; total: Record<string, number> }[];
}

interface DefinitionSummary {
  definition: string;
  members: number;
  member_months: number;
  cost: string;
  pmpm: string;
  cost_cv: string;
  top5_share: string;
}

interface DefinitionComparison {
  a: DefinitionSummary;
  b: DefinitionSummary;
  overlap: { both: number; only_a: number; only_b: number; jaccard: string };
}

interface MemberChanges {
  available: boolean;
  note: string;
  entered?: string;
  left?: string;
  changed?: string;
  entered_count?: number;
  left_count?: number;
  changed_count?: number;
}

export async function populationPage(ctx: Context): Promise<HTMLElement> {
  const out = h("div", { class: "stack" });
  const s = ctx.summary;
  if (s && ctx.settle) {
    out.append(
      section(
        "Population as settled",
        table(
          ["", ""],
          [
            ["Members", figure(count(s.population.members), ctx.settle.run_id, "population.members")],
            ["Member-months", figure(count(s.population.member_months), ctx.settle.run_id, "population.member_months")],
          ],
        ),
        note("Every command counts the same members and member-months (the contract's population timeline)."),
      ),
    );
  }
  const cohort = [...ctx.runs].reverse().find((r) => r.command === "cohort");
  if (cohort) {
    const text = await ctx.api.get<Funnel>(`/api/runs/${cohort.run_id}/files/funnel.json`);
    const el = h("div", { class: "chart", id: "funnel" });
    out.append(
      section(
        "Funnel",
        h("p", {}, `Eligible: ${text.eligible}`),
        el,
        table(text.stages, [text.stages.map((st) => count(text.total[st] ?? 0))]),
        table(["Month", ...text.stages], text.by_month.map((m) => [String(m.month), ...text.stages.map((st) => count(Number(m[st] ?? 0)))]), "By month"),
      ),
    );
    requestAnimationFrame(() =>
      bars(
        el,
        [...text.stages].reverse(),
        [...text.stages].reverse().map((st) => text.total[st] ?? 0),
        "Referral funnel",
        true,
      ),
    );
    const cmp = await optional(ctx.api.get<DefinitionComparison>(`/api/runs/${cohort.run_id}/files/comparison.json`));
    if (cmp) {
      const row = (label: string, f: (d: DefinitionSummary) => string) => [label, f(cmp.a), f(cmp.b)];
      out.append(
        section(
          "Strict against loose definition",
          table(
            ["", cmp.a.definition, cmp.b.definition],
            [
              row("Members", (d) => count(d.members)),
              row("Member-months", (d) => count(d.member_months)),
              row("Cost (paid, period)", (d) => money(d.cost)),
              row("PMPM", (d) => money(Number(d.pmpm).toFixed(2))),
              row("Coefficient of variation of member cost", (d) => d.cost_cv),
              row("Share of cost in the costliest 5%", (d) => rate(Number(d.top5_share))),
            ],
          ),
          note(`Overlap: ${count(cmp.overlap.both)} in both, ${count(cmp.overlap.only_a)} only in ${cmp.a.definition}, ${count(cmp.overlap.only_b)} only in ${cmp.b.definition} (Jaccard ${cmp.overlap.jaccard}).`),
        ),
      );
    }
  } else {
    out.append(section("Funnel", note("No cohort run recorded: `valuepact cohort CONTRACT --data DIR --out OUT` gives the funnel and the strict-against-loose comparison.")));
  }
  if (!ctx.settle) return out;
  // Who entered and left the population since the previous settlement of the contract (an
  // attributed population changes as attribution does).
  const settles = ctx.runs.filter((r) => r.command === "settle" && r.contract_id === ctx.settle!.contract_id);
  const at = settles.findIndex((r) => r.run_id === ctx.settle!.run_id);
  if (at > 0) {
    const prev = settles[at - 1];
    const c = await ctx.api.get<{ members: MemberChanges }>(`/api/compare?a=${prev.run_id}&b=${ctx.settle.run_id}`);
    const m = c.members;
    out.append(
      section(
        "Changes since the previous settlement",
        m.available
          ? table(
              ["", "Members", "Spending"],
              [
                ["Entered", count(m.entered_count ?? 0), money(m.entered)],
                ["Left", count(m.left_count ?? 0), money(m.left)],
                ["Stayed, spending changed", count(m.changed_count ?? 0), money(m.changed)],
              ],
            )
          : note(m.note),
        note(`Against run ${prev.run_id.slice(0, 12)} of ${prev.recorded_at.slice(0, 10)}.`),
      ),
    );
  } else {
    out.append(section("Changes since the previous settlement", note("This is the first settlement of the contract recorded: there is nothing to compare with yet.")));
  }
  if (!ctx.me.phi) {
    out.append(section("Members", note("Member-level rows need the PHI permission; this view shows aggregates only.")));
    return out;
  }
  const rows = await optional(ctx.api.get<Record<string, string>[]>(`/api/runs/${ctx.settle.run_id}/members`));
  if (rows?.length) {
    const cols = Object.keys(rows[0]).slice(0, 8);
    out.append(
      section(
        "Members (PHI; this read is audited)",
        table(cols, rows.slice(0, 100).map((r) => cols.map((c) => (c.includes("spend") || c.includes("amount") ? money(r[c]) : r[c])))),
        rows.length > 100 ? note(`First 100 of ${count(rows.length)} members.`) : null,
      ),
    );
  }
  return out;
}
