// Runs: every recorded run of the partnership, two runs compared, true-ups.
import { Context } from "../context";
import { h, note, section, table } from "../dom";
import { change, date, money } from "../format";

interface Comparison {
  causes: string[];
  terms: { key: string; a: string; b: string }[];
  figures: { id: string; label: string; unit: string; a: string; b: string; change: string }[];
  members: { available: boolean; note: string; entered?: string; left?: string; changed?: string; count?: number; explains_every_cent?: boolean };
  claim_lines: { available: boolean; note: string; added?: number; removed?: number; restated?: number; net?: string };
}

function runLabel(r: { record: number; command: string; run_id: string; recorded_at: string }): string {
  return `#${r.record} ${r.command} ${r.run_id.slice(0, 12)} (${date(r.recorded_at)})`;
}

export async function runsPage(ctx: Context): Promise<HTMLElement> {
  const runs = ctx.runs;
  if (!runs.length) return section("Runs", note("No runs recorded for this partnership yet."));
  const list = table(
    ["Record", "Command", "Run", "Contract", "Version", "Net", "By", "Recorded"],
    [...runs].reverse().map((r) => [
      `#${r.record}`,
      r.command,
      h("a", { href: `#/overview?run=${r.run_id}` }, r.run_id.slice(0, 12)),
      r.contract_id,
      r.contract_version,
      r.net_payer_to_provider ? money(r.net_payer_to_provider) : "—",
      r.user,
      date(r.recorded_at),
    ]),
  );
  const settles = runs.filter((r) => r.command === "settle" || r.command === "true-up");
  const pick = (id: string, chosen: number) =>
    h(
      "select",
      { id, "aria-label": id === "run-a" ? "Earlier run" : "Later run" },
      settles.map((r, i) => h("option", { value: r.run_id, selected: i === chosen }, runLabel(r))),
    );
  const a = pick("run-a", Math.max(0, settles.length - 2));
  const b = pick("run-b", settles.length - 1);
  const go = h("button", { type: "button" }, "Compare");
  const result = h("div", { "aria-live": "polite" });
  go.addEventListener("click", async () => {
    result.replaceChildren(note("Comparing…"));
    try {
      const c = await ctx.api.get<Comparison>(`/api/compare?a=${a.value}&b=${b.value}`);
      result.replaceChildren(
        ...[
        h("p", { class: "lead" }, c.causes.length ? `Causes: ${c.causes.join(", ")}` : "The two runs agree on every figure."),
        c.terms.length ? table(["Contract term", "Earlier", "Later"], c.terms.map((t) => [t.key, t.a || "(absent)", t.b || "(absent)"])) : null,
        c.figures.length ? table(["Figure", "Earlier", "Later", "Change"], c.figures.map((f) => [f.label || f.id, f.a, f.b, f.unit === "USD" ? change(f.change) : f.change])) : null,
        c.members.available
          ? note(`Members: ${c.members.count} entered, left or changed; spending of those who entered ${money(c.members.entered)}, left ${money(c.members.left)}, changed ${change(c.members.changed ?? "0")}${c.members.explains_every_cent ? " — explains every cent" : ""}.`)
          : note(`Members: ${c.members.note}`),
        c.claim_lines.available
          ? note(`Claim lines: ${c.claim_lines.added} added, ${c.claim_lines.removed} removed, ${c.claim_lines.restated} restated; net ${change(c.claim_lines.net ?? "0")}.`)
          : note(`Claim lines: ${c.claim_lines.note}`),
        ].filter((x) => x !== null) as HTMLElement[],
      );
    } catch (e) {
      result.replaceChildren(h("p", { class: "bad", role: "alert" }, e instanceof Error ? e.message : String(e)));
    }
  });
  const trueUps = runs.filter((r) => r.command === "true-up");
  return h(
    "div",
    { class: "stack" },
    section("History", list),
    settles.length >= 2
      ? section("Compare two runs", h("div", { class: "row" }, a, b, go), result)
      : section("Compare two runs", note("Two settlements are needed to compare.")),
    section(
      "True-ups",
      trueUps.length
        ? table(["Run", "Adjustment", "Recorded"], trueUps.map((r) => [r.run_id.slice(0, 12), money(r.net_payer_to_provider), date(r.recorded_at)]))
        : note("No true-up recorded: `valuepact true-up ORIGINAL RESTATED --out DIR` writes one."),
    ),
  );
}
