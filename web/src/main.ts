// The joint-meeting dashboard (docs/dashboard.md): one partnership's settlement, outcomes,
// population, what-if, runs and record, from the partnership server's API. Every figure that
// came from a run opens its derivation.
import "./style.css";

import { Api, ApiError, Me, RunRecord, Summary, TraceNode } from "./api";
import { disposeCharts, resizeCharts } from "./charts";
import { Context, Partnership, latest } from "./context";
import { h, note, section } from "./dom";
import { date, period } from "./format";
import { moneyPage } from "./pages/money";
import { outcomesPage } from "./pages/outcomes";
import { overview } from "./pages/overview";
import { populationPage } from "./pages/population";
import { recordPage } from "./pages/record";
import { runsPage } from "./pages/runs";
import { whatIfPage } from "./pages/whatif";

const TOKEN_KEY = "valuepact.token";

const pages: { id: string; title: string; render: (ctx: Context) => Promise<HTMLElement> }[] = [
  { id: "overview", title: "Overview", render: overview },
  { id: "money", title: "Money", render: moneyPage },
  { id: "outcomes", title: "Outcomes", render: outcomesPage },
  { id: "population", title: "Population", render: populationPage },
  { id: "what-if", title: "What-if", render: whatIfPage },
  { id: "runs", title: "Runs", render: runsPage },
  { id: "record", title: "Partnership record", render: recordPage },
  { id: "pack", title: "Meeting pack", render: meetingPack },
];

const main = document.getElementById("main")!;
const top = document.getElementById("top")!;
const dialog = document.getElementById("explain") as HTMLDialogElement;

async function meetingPack(ctx: Context): Promise<HTMLElement> {
  const print = h("button", { type: "button", class: "no-print", id: "print" }, "Print or save as PDF");
  print.addEventListener("click", () => window.print());
  const s = ctx.summary;
  const parts = await Promise.all([overview(ctx), moneyPage(ctx), outcomesPage(ctx)]);
  return h(
    "div",
    { class: "pack" },
    h(
      "div",
      { class: "pack-title" },
      h("h1", {}, `Joint meeting: ${ctx.partnership.name}`),
      h("p", {}, s ? `Settlement period ${period(s.period.start, s.period.end)}; run ${s.run_id.slice(0, 12)}` : "", ` — printed ${date(new Date().toISOString())}`),
      print,
    ),
    h("h2", { class: "pack-part" }, "Overview"),
    parts[0],
    h("h2", { class: "pack-part" }, "Money"),
    parts[1],
    h("h2", { class: "pack-part" }, "Outcomes"),
    parts[2],
  );
}

function login(message = ""): void {
  disposeCharts();
  top.replaceChildren(h("h1", {}, "valuepact"));
  const input = h("input", { type: "password", id: "token", autocomplete: "off", required: true, "aria-describedby": "token-help" });
  const form = h(
    "form",
    { class: "card login" },
    h("h2", {}, "Sign in"),
    h("label", { for: "token" }, "API token"),
    input,
    h("p", { id: "token-help", class: "note" }, "An administrator issues tokens with `valuepact admin token-add USER`."),
    message ? h("p", { class: "bad", role: "alert" }, message) : null,
    h("button", { type: "submit" }, "Open the dashboard"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    void start();
  });
  main.replaceChildren(form);
  input.focus();
}

function route(): { page: string; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, "");
  const [page, query] = hash.split("?");
  return { page: pages.some((p) => p.id === page) ? page : "overview", params: new URLSearchParams(query ?? "") };
}

async function load(api: Api, me: Me, params: URLSearchParams): Promise<Context | undefined> {
  const partnerships = await api.get<{ id: string; name: string }[]>("/api/partnerships");
  if (!partnerships.length) return undefined;
  const chosen = partnerships.find((p) => p.id === params.get("partnership")) ?? partnerships[0];
  const partnership = await api.get<Partnership>(`/api/partnerships/${encodeURIComponent(chosen.id)}`);
  const contracts = new Set(partnership.contracts.map((c) => c.id));
  const all = await api.get<RunRecord[]>("/api/runs");
  const runs = all.filter((r) => contracts.has(r.contract_id));
  const wanted = params.get("run");
  const settle = runs.find((r) => r.run_id === wanted && r.command === "settle") ?? latest(runs, "settle");
  const summary = settle ? (await api.get<{ summary: Summary }>(`/api/runs/${settle.run_id}`)).summary : undefined;
  return { api, me, partnerships, partnership, runs, settle, summary, params };
}

function header(ctx: Context, current: string): void {
  const query = new URLSearchParams();
  query.set("partnership", ctx.partnership.id);
  if (ctx.settle) query.set("run", ctx.settle.run_id);
  const nav = h(
    "nav",
    { "aria-label": "Pages" },
    h(
      "ul",
      {},
      pages.map((p) => h("li", {}, h("a", { href: `#/${p.id}?${query}`, "aria-current": p.id === current ? "page" : false }, p.title))),
    ),
  );
  const choose = h(
    "select",
    { id: "partnership", "aria-label": "Partnership" },
    ctx.partnerships.map((p) => h("option", { value: p.id, selected: p.id === ctx.partnership.id }, p.name || p.id)),
  );
  choose.addEventListener("change", () => (location.hash = `#/${current}?partnership=${encodeURIComponent(choose.value)}`));
  // The settlement (and so the period) every page and the meeting pack show.
  const settles = ctx.runs.filter((r) => r.command === "settle").reverse();
  const pickRun = h(
    "select",
    { id: "settlement", "aria-label": "Settlement shown" },
    settles.map((r) =>
      h(
        "option",
        { value: r.run_id, selected: r.run_id === ctx.settle?.run_id },
        `${period(r.period.start, r.period.end)} — run ${r.run_id.slice(0, 8)}, ${date(r.recorded_at)}`,
      ),
    ),
  );
  pickRun.addEventListener("change", () => {
    location.hash = `#/${current}?partnership=${encodeURIComponent(ctx.partnership.id)}&run=${pickRun.value}`;
  });
  const out = h("button", { type: "button" }, "Sign out");
  out.addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    login();
  });
  top.replaceChildren(
    h(
      "div",
      { class: "bar" },
      h("h1", {}, "valuepact"),
      choose,
      settles.length ? pickRun : null,
      h("span", { class: "who" }, `${ctx.me.user} (${ctx.me.organization}, ${ctx.me.role}${ctx.me.phi ? ", PHI" : ""})`),
      out,
    ),
    nav,
  );
}

async function explain(run: string, figure: string): Promise<void> {
  const token = sessionStorage.getItem(TOKEN_KEY) ?? "";
  const api = new Api(token);
  dialog.replaceChildren(h("p", {}, "Loading…"));
  if (!dialog.open) dialog.showModal();
  try {
    const n = await api.get<TraceNode>(`/api/runs/${run}/trace/${encodeURIComponent(figure)}`);
    const close = h("button", { type: "button", class: "close" }, "Close");
    close.addEventListener("click", () => dialog.close());
    dialog.replaceChildren(
      ...[
      h("h2", { id: "explain-title" }, n.label || n.id),
      h("p", {}, h("code", {}, n.id), " = ", h("strong", { id: "explain-value" }, String(n.value)), n.unit ? ` ${n.unit}` : ""),
      n.formula ? h("p", {}, "Rule: ", n.formula) : null,
      n.source ? h("p", { class: "note" }, "Source: ", n.source) : null,
      h("h3", {}, "Derivation"),
      h("pre", { class: "derivation", id: "derivation" }, n.derivation),
      close,
      ].filter((x) => x !== null) as HTMLElement[],
    );
    close.focus();
  } catch (e) {
    const close = h("button", { type: "button" }, "Close");
    close.addEventListener("click", () => dialog.close());
    dialog.replaceChildren(h("p", { class: "bad", role: "alert" }, e instanceof Error ? e.message : String(e)), close);
  }
}

document.addEventListener("click", (e) => {
  const el = (e.target as HTMLElement).closest<HTMLElement>("[data-figure]");
  if (el?.dataset.run && el.dataset.figure) void explain(el.dataset.run, el.dataset.figure);
});
window.addEventListener("resize", resizeCharts);

async function start(): Promise<void> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return login();
  const api = new Api(token);
  let me: Me;
  try {
    me = await api.get<Me>("/api/me");
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    return login(e instanceof ApiError ? e.message : "The server could not be reached.");
  }
  const { page, params } = route();
  disposeCharts();
  main.replaceChildren(note("Loading…"));
  main.setAttribute("aria-busy", "true");
  try {
    const ctx = await load(api, me, params);
    if (!ctx) {
      top.replaceChildren(h("h1", {}, "valuepact"));
      main.replaceChildren(section("No partnership", note("Your organization is not a party to any partnership on this server.")));
      return;
    }
    header(ctx, page);
    const p = pages.find((x) => x.id === page)!;
    document.title = `${p.title} — ${ctx.partnership.name} — valuepact`;
    const content = await p.render(ctx);
    main.replaceChildren(h("h2", { class: "page-title" }, p.title), content);
    main.dataset.page = page;
  } catch (e) {
    main.replaceChildren(h("p", { class: "bad", role: "alert" }, e instanceof Error ? e.message : String(e)));
  } finally {
    main.removeAttribute("aria-busy");
    main.dataset.ready = "true";
  }
}

window.addEventListener("hashchange", () => {
  delete main.dataset.ready;
  void start();
});
void start();
