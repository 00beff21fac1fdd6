// How the dashboard writes money, rates and dates. Amounts arrive as the engine's decimal
// strings ("1755635.00") and are formatted from the string, never through a float, so the
// dashboard shows the cents the statement shows.

const MINUS = "−";

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "$1,755,635.00" from "1755635.00"; "−$700.00" from "-700.00". Anything else is shown as is. */
export function money(amount: string | number | null | undefined): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  const text = typeof amount === "number" ? amount.toFixed(2) : amount.trim();
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return text;
  const cents = (m[3] ?? "").padEnd(2, "0");
  const negative = m[1] === "-" && !/^0+$/.test(m[2] + cents);
  return `${negative ? MINUS : ""}$${groupThousands(m[2].replace(/^0+(?=\d)/, ""))}.${cents}`;
}

/** A change: "+$15,860.00", "−$700.00", "$0.00". */
export function change(amount: string): string {
  const m = money(amount);
  if (m.startsWith(MINUS) || m === "$0.00" || m === "—") return m;
  return `+${m}`;
}

/** "$1.76M", "$950K", "$420" for chart axes. */
export function moneyShort(value: number): string {
  const sign = value < 0 ? MINUS : "";
  const v = Math.abs(value);
  if (v >= 1e9) return `${sign}$${(v / 1e9).toFixed(2)}B`;
  if (v >= 1e6) return `${sign}$${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${sign}$${Math.round(v / 1e3)}K`;
  return `${sign}$${Math.round(v)}`;
}

/** 0.4 → "40.0%"; 0.025 → "2.5%". */
export function rate(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const s = (value * 100).toFixed(digits);
  return `${s.startsWith("-") ? MINUS + s.slice(1) : s}%`;
}

/** A measure to four significant digits, with a true minus sign: -67.17 → "−67.17". */
export function number(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const s = Number(value.toPrecision(4)).toString();
  return s.startsWith("-") ? MINUS + s.slice(1) : s;
}

/** A count with thousands separators: 22105 → "22,105". */
export function count(value: number | string): string {
  const n = typeof value === "string" ? Number(value) : value;
  if (!Number.isFinite(n)) return String(value);
  const s = Math.round(Math.abs(n)).toString();
  return `${n < 0 ? MINUS : ""}${groupThousands(s)}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2018-01-31" → "Jan 31, 2018"; "2018-01" → "Jan 2018"; "2018-Q1" → "Q1 2018". */
export function date(text: string | null | undefined): string {
  if (!text) return "—";
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (m) return `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}, ${m[1]}`;
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) return `${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  m = /^(\d{4})-Q([1-4])$/.exec(text);
  if (m) return `Q${m[2]} ${m[1]}`;
  return text;
}

/** "2018-01-01".."2018-12-31" → "Jan 1, 2018 – Dec 31, 2018". */
export function period(start: string, end: string): string {
  return `${date(start)} – ${date(end)}`;
}

/** An amount string as a number of dollars, for charts only (never for shown figures). */
export function dollars(amount: string): number {
  return Number(amount);
}
