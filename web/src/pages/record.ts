// The partnership record: who does what (gaps and overlaps highlighted), readiness, governance.
import { optional } from "../api";
import { Context } from "../context";
import { h, note, section, table } from "../dom";
import { date } from "../format";
import { PartnershipRecord } from "./overview";

const ROLE = { R: "responsible", A: "accountable", C: "consulted", I: "informed" } as const;

export async function recordPage(ctx: Context): Promise<HTMLElement> {
  const p = ctx.partnership;
  const r = p.record ? await optional(ctx.api.get<PartnershipRecord>(`/api/partnerships/${p.id}/record`)) : undefined;
  if (!r) return section("Partnership record", note("No partnership record: `valuepact partnership check DIR --out OUT` records one."));
  const problem = new Map(r.findings.map((f) => [f.activity, f.problem]));
  const parties = r.parties.map((x) => x.id);
  const matrix = h(
    "table",
    { class: "matrix" },
    h("caption", {}, "R responsible, A accountable, C consulted, I informed"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Activity"), parties.map((x) => h("th", { scope: "col" }, x)), h("th", { scope: "col" }, "Finding"))),
    h(
      "tbody",
      {},
      r.matrix.map((row) => {
        const f = problem.get(row.activity);
        return h(
          "tr",
          { class: f ? `finding ${f.replace(/[^a-z]+/g, "-")}` : "" },
          h("th", { scope: "row" }, row.activity),
          parties.map((x) => {
            const roles = row.roles[x] ?? "";
            return h("td", { title: [...roles].map((c) => ROLE[c as keyof typeof ROLE] ?? c).join(", ") }, roles || "·");
          }),
          h("td", {}, f ?? ""),
        );
      }),
    ),
  );
  return h(
    "div",
    { class: "stack" },
    section("Who does what", matrix, note(`Judged as of ${date(r.as_of)}. ${r.findings.length} finding${r.findings.length === 1 ? "" : "s"}.`)),
    section("Readiness", table(["Partner", "Score (1–5)", "Rating"], r.readiness.map((x) => [x.partner, x.score.toFixed(2), x.rating]))),
    section(
      "Governance",
      h("p", { class: r.meetings.overdue ? "bad" : "" }, `${r.meetings.held} meetings held, the last ${date(r.meetings.last)}; the next due ${date(r.meetings.next_due)}${r.meetings.overdue ? " (overdue)" : ""}.`),
      table(["Date", "Meeting", "Agenda", "Decisions"], r.meetings.list.map((m) => [date(m.date), m.kind, m.agenda, m.decisions]), "Meetings"),
      table(["Action", "Owner", "Raised", "Due", "Status"], r.actions.list.map((a) => [a.action, a.owner, date(a.raised), date(a.due), a.overdue ? "open, overdue" : a.status]), "Action items"),
      table(["Version", "Effective", "What changed"], r.contract_versions.map((v) => [v.version, date(v.effective), v.changes]), "Contract versions"),
      table(["Date", "Trigger", "Decision"], r.triggers_fired.map((t) => [date(t.date), t.trigger, t.decision]), "Reopen triggers that fired"),
    ),
  );
}
