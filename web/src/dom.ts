// Small DOM helpers: elements, tables, and figures that open their derivation.

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | number> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return el;
}

/**
 * A figure of a run: its value as shown, a button that opens how it was derived (the trace node
 * `figure` of run `run`).
 */
export function figure(shown: string, run: string, traceId: string): HTMLElement {
  return h(
    "button",
    {
      class: "figure",
      type: "button",
      "data-run": run,
      "data-figure": traceId,
      title: "How this figure was derived",
    },
    shown,
  );
}

// Money, counts, rates and changes are set right-aligned on one line.
function isNumeric(c: Child | Child[]): boolean {
  if (typeof c === "string") return /^[−+-]?\$?[\d,.]+%?$/.test(c.trim());
  return c instanceof HTMLElement && c.classList.contains("figure");
}

export function table(head: string[], rows: (Child | Child[])[][], caption?: string): HTMLTableElement {
  return h(
    "table",
    {},
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      rows.map((r) => h("tr", {}, r.map((c) => h("td", isNumeric(c) ? { class: "num" } : {}, c)))),
    ),
  );
}

export function section(title: string, ...children: (Child | Child[])[]): HTMLElement {
  return h("section", { class: "card" }, h("h2", {}, title), ...children);
}

export function note(text: string): HTMLElement {
  return h("p", { class: "note" }, text);
}
