// Browser test of the dashboard (docs/dashboard.md), driving Debian's chromium through
// playwright-core against a running `valuepact serve` (scripts/web-test.sh starts it on example
// runs). It checks what a meeting relies on:
//   - the figures shown equal summary.json;
//   - a figure opens its derivation;
//   - a what-if slider's recomputed net equals a `settle` of the changed contract;
//   - a user without PHI sees no member id on any page; a PHI user sees members;
//   - the meeting pack prints to PDF;
// and saves screenshots and the PDF as artifacts. Exits non-zero on the first failure.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { chromium } from "playwright-core";

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set (scripts/web-test.sh sets it)`);
  return v;
};
const base = env("BASE");
const artifacts = env("ARTIFACTS");
const summary = JSON.parse(readFileSync(env("SUMMARY"), "utf8"));
mkdirSync(artifacts, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

// The dashboard's money format, written independently of the page's code.
function money(s) {
  const [whole, cents = "00"] = s.replace("-", "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${s.startsWith("-") ? "−" : ""}$${grouped}.${cents.padEnd(2, "0")}`;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

// Every request the page makes must go to the server.
const foreign = [];

async function open(token) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) foreign.push(r.url());
  });
  page.on("pageerror", (e) => check(false, `no script error (${e.message})`));
  await page.goto(base);
  await page.fill("#token", token);
  await page.click("form button[type=submit]");
  return page;
}

async function goto(page, id) {
  await page.evaluate((h) => {
    location.hash = h;
  }, `#/${id}`);
  await page.waitForSelector(`main[data-page="${id}"][data-ready="true"]`, { timeout: 30000 });
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

try {
  // A viewer of the provider, without PHI.
  const viewer = await open(env("TOKEN_VIEWER"));
  await goto(viewer, "overview");
  const whoOwes = await viewer.textContent("#who-owes-whom");
  check(whoOwes === summary.who_owes_whom, `who owes whom as summary.json says ("${whoOwes}")`);
  const net = await viewer.textContent('[data-figure="net_payer_to_provider"]');
  check(net === money(summary.net_payer_to_provider), `net ${net} = summary.json ${summary.net_payer_to_provider}`);
  await shot(viewer, "overview");

  await goto(viewer, "money");
  for (const layer of summary.layers) {
    const shown = await viewer.textContent(`[data-figure="${layer.trace_id}"]`);
    check(shown === money(layer.amount), `layer ${layer.id} ${shown} = summary.json ${layer.amount}`);
  }
  const benchmark = await viewer.textContent('[data-figure="benchmark.total"]');
  check(benchmark === money(summary.benchmark.total), `benchmark ${benchmark}`);
  await shot(viewer, "money");
  // A figure opens its derivation.
  await viewer.click('[data-figure="net_payer_to_provider"]');
  await viewer.waitForSelector("#derivation");
  const derivation = await viewer.textContent("#derivation");
  check(derivation.includes(summary.layers[0].trace_id), "the net's derivation names the layers it adds");
  check((await viewer.textContent("#explain-value")) === summary.net_payer_to_provider, "the derivation's value is the net");
  await shot(viewer, "explain");
  await viewer.keyboard.press("Escape");

  // The same from the keyboard: tab to the figure, Enter opens it, Escape closes it.
  await viewer.focus('[data-figure="benchmark.total"]');
  await viewer.keyboard.press("Enter");
  await viewer.waitForSelector("#derivation");
  check((await viewer.textContent("#explain-title")).length > 0, "a figure opens from the keyboard");
  await viewer.keyboard.press("Escape");
  check(!(await viewer.$eval("#explain", (d) => d.open)), "Escape closes the derivation");

  await goto(viewer, "outcomes");
  await shot(viewer, "outcomes");
  await goto(viewer, "record");
  check((await viewer.$$("tr.finding")).length >= 2, "the responsibility matrix highlights its gap and overlap");
  await shot(viewer, "record");
  await goto(viewer, "runs");
  await shot(viewer, "runs");

  // The population page shows who entered since the earlier settlement.
  await goto(viewer, "population");
  const changes = await viewer.evaluate(() => document.body.innerText);
  check(/Changes since the previous settlement[\s\S]*Entered\s+[1-9]/.test(changes), "the population page counts the members who entered");
  await shot(viewer, "population");

  // No member id on any page for a user without PHI.
  const ids = readFileSync(env("MEMBER_IDS"), "utf8").split("\n").filter((x) => x.length >= 4);
  for (const id of ["overview", "money", "outcomes", "population", "what-if", "runs", "record", "pack"]) {
    await goto(viewer, id);
    const text = await viewer.evaluate(() => document.body.innerText);
    const seen = ids.filter((m) => text.includes(m));
    check(seen.length === 0, `no member id on ${id} for a user without PHI${seen.length ? ` (saw ${seen.slice(0, 3)})` : ""}`);
  }

  // The API itself: a derivation that reaches members shows them to a PHI user only.
  const api = async (token, path) => {
    const r = await fetch(new URL(path, base), { headers: { Authorization: `Bearer ${token}` } });
    return { status: r.status, text: await r.text() };
  };
  const figurePath = `/api/runs/${summary.run_id}/trace/program.member_months.home`;
  const hidden = await api(env("TOKEN_VIEWER"), figurePath);
  check(hidden.status === 200 && !ids.some((m) => hidden.text.includes(m)), "a derivation over members names none of them without PHI");
  check(!hidden.text.includes("program.member."), "the member-level inputs are withheld");
  const sharedTrace = await api(env("TOKEN_VIEWER"), `/api/runs/${summary.run_id}/files/trace.json`);
  check(sharedTrace.status === 200 && !ids.some((m) => sharedTrace.text.includes(m)), "trace.json names no member without PHI");
  const shown = await api(env("TOKEN_PHI"), figurePath);
  check(shown.status === 200 && ids.some((m) => shown.text.includes(m)), "with PHI the derivation goes down to the members");

  // What-if: move the sharing-rate slider and compare with a settle of the changed contract.
  await goto(viewer, "what-if");
  const key = env("WHAT_IF_KEY");
  const value = env("WHAT_IF_VALUE");
  const slider = `input[data-key="${key}"]`;
  await viewer.$eval(
    slider,
    (el, v) => {
      el.value = v;
      el.dispatchEvent(new Event("input", { bubbles: true }));
    },
    value,
  );
  await viewer.waitForSelector('#what-if-result[data-state="done"]', { timeout: 30000 });
  await shot(viewer, "what-if");
  const whatIfNet = await viewer.textContent("#what-if-net");
  const changed = JSON.parse(readFileSync(env("CHANGED_SUMMARY"), "utf8"));
  check(whatIfNet === money(changed.net_payer_to_provider), `what-if net ${whatIfNet} = settle of the changed contract ${changed.net_payer_to_provider}`);
  check(whatIfNet !== net, "the what-if moved the net");

  // The meeting pack prints.
  await goto(viewer, "pack");
  await viewer.emulateMedia({ media: "print" });
  const pdf = await viewer.pdf({ path: join(artifacts, "meeting-pack.pdf"), format: "Letter", printBackground: true });
  check(pdf.length > 10000 && pdf.subarray(0, 5).toString() === "%PDF-", `meeting pack printed (${pdf.length} bytes)`);
  await viewer.emulateMedia({ media: "screen" });

  // The header picks the settlement (the period) every page and the pack show.
  const earlier = JSON.parse(readFileSync(env("EARLIER_SUMMARY"), "utf8"));
  await goto(viewer, "overview");
  await viewer.selectOption("#settlement", earlier.run_id);
  await viewer.waitForFunction(
    (id) => document.querySelector('[data-figure="net_payer_to_provider"]')?.getAttribute("data-run") === id,
    earlier.run_id,
    { timeout: 30000 },
  );
  const earlierNet = await viewer.textContent('[data-figure="net_payer_to_provider"]');
  check(earlierNet === money(earlier.net_payer_to_provider), `the earlier settlement chosen in the header shows its net ${earlierNet}`);

  // A PHI user sees the members.
  const analyst = await open(env("TOKEN_PHI"));
  await goto(analyst, "population");
  const text = await analyst.evaluate(() => document.body.innerText);
  check(ids.some((m) => text.includes(m)), "a PHI user sees member ids on the population page");
  await shot(analyst, "population-phi");

  check(foreign.length === 0, `no request left the server${foreign.length ? `: ${foreign.slice(0, 3)}` : ""}`);
} catch (e) {
  check(false, `the browser test ran to its end (${e.message})`);
} finally {
  await browser.close();
}
writeFileSync(join(artifacts, "result.txt"), failures ? `${failures} failures\n` : "passed\n");
console.log(failures ? `${failures} check(s) failed; screenshots in ${artifacts}` : `all checks passed; screenshots in ${artifacts}`);
process.exit(failures ? 1 : 0);
