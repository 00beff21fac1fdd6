// Partnership overview: who, which contract, who owes whom, data quality, triggers, the next
// meeting and open actions.
import { optional } from "../api";
import { Context } from "../context";
import { h, figure, note, section, table } from "../dom";
import { date, money, period } from "../format";

interface Monitoring {
  triggers?: { label: string; fired: boolean; action?: string; evidence?: string[] }[];
}

export interface PartnershipRecord {
  as_of: string;
  parties: { id: string; name: string; kind: string }[];
  activities: string[];
  matrix: { activity: string; roles: { [party: string]: string } }[];
  findings: { activity: string; problem: string; responsible: string[]; accountable: string[] }[];
  readiness: { partner: string; score: number; rating: string }[];
  meetings: { held: number; last: string; next_due: string; overdue: boolean; list: { date: string; kind: string; agenda: string; decisions: string }[] };
  actions: {
    open: number;
    list: { id: string; action: string; owner: string; raised: string; due: string; status: string; overdue: boolean }[];
  };
  contract_versions: { version: string; effective: string; changes: string }[];
  triggers_fired: { date: string; trigger: string; decision: string }[];
}

export async function overview(ctx: Context): Promise<HTMLElement> {
  const out = h("div", { class: "grid" });
  const p = ctx.partnership;
  const contract = p.contracts[0];
  const version = contract?.versions[contract.versions.length - 1];
  out.append(
    section(
      "Partnership",
      h("p", { class: "lead" }, p.name),
      table(
        ["", ""],
        [
          ["Parties", p.parties.join(", ")],
          ["Contract", contract ? contract.id : "—"],
          ["Contract version", version ? `${version.version} (${version.runs} run${version.runs === 1 ? "" : "s"})` : "—"],
          ["Period", ctx.summary ? period(ctx.summary.period.start, ctx.summary.period.end) : "—"],
        ],
      ),
    ),
  );
  const s = ctx.summary;
  if (s && ctx.settle) {
    const ytd = ctx.runs.filter(
      (r) => r.command === "settle" && r.contract_id === s.contract_id && r.period.start.slice(0, 4) === s.period.start.slice(0, 4),
    );
    out.append(
      section(
        "Who owes whom",
        h("p", { class: "lead", id: "who-owes-whom" }, s.who_owes_whom),
        h("p", {}, "Net payer to provider this period: ", figure(money(s.net_payer_to_provider), ctx.settle.run_id, "net_payer_to_provider")),
        ytd.length > 1
          ? note(`${ytd.length} settlements of this contract cover ${s.period.start.slice(0, 4)}; this is the latest (${date(ctx.settle.recorded_at)}).`)
          : note(`Settled ${date(ctx.settle.recorded_at)} by ${ctx.settle.user}; one settlement this year, so the year to date is this period.`),
      ),
    );
    const quality = await optional(ctx.api.get<{ verdict?: { passed: boolean } }>(`/api/runs/${ctx.settle.run_id}/quality`));
    const gate = s.data_gate?.outcome ?? "open";
    out.append(
      section(
        "Data quality",
        h("p", { class: `verdict ${gate === "open" ? "ok" : "bad"}` }, gate === "open" ? "Data accepted: every layer paid as computed" : `Data gate: ${gate}`),
        s.data_gate?.reasons?.length ? h("ul", {}, s.data_gate.reasons.map((r) => h("li", {}, r))) : null,
        quality?.verdict ? note(`[data_requirements] ${quality.verdict.passed ? "met" : "not met"}`) : null,
      ),
    );
  } else {
    out.append(section("Who owes whom", note("No settlement of this partnership's contracts has been recorded yet.")));
  }
  const metricsRun = [...ctx.runs].reverse().find((r) => r.command === "metrics");
  const monitoring = metricsRun ? await optional(ctx.api.get<{ monitoring: Monitoring | null }>(`/api/runs/${metricsRun.run_id}/metrics`)) : undefined;
  const triggers = monitoring?.monitoring?.triggers ?? [];
  const fired = triggers.filter((t) => t.fired);
  out.append(
    section(
      "Reopen triggers",
      metricsRun
        ? fired.length
          ? h("ul", {}, fired.map((t) => h("li", { class: "bad" }, `${t.label} — ${t.action ?? "review"}`)))
          : h("p", { class: "verdict ok" }, `None of ${triggers.length} trigger${triggers.length === 1 ? "" : "s"} fired`)
        : note("No metrics run recorded: triggers are checked by `valuepact metrics`."),
    ),
  );
  const record = p.record ? await optional(ctx.api.get<PartnershipRecord>(`/api/partnerships/${p.id}/record`)) : undefined;
  const open = (record?.actions.list ?? []).filter((a) => a.status === "open");
  out.append(
    section(
      "Next meeting and open actions",
      record
        ? h(
            "p",
            { class: record.meetings.overdue ? "bad" : "" },
            `Next meeting due ${date(record.meetings.next_due)}${record.meetings.overdue ? ` (overdue as of ${date(record.as_of)})` : ""}`,
          )
        : note("No partnership record: `valuepact partnership check DIR --out OUT` records one."),
      open.length ? table(["Action", "Owner", "Due", "Status"], open.map((a) => [a.action, a.owner, date(a.due), a.overdue ? "open, overdue" : "open"])) : null,
    ),
  );
  return out;
}
