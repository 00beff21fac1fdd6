// The server's JSON API (docs/server.md), with the caller's bearer token.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Me {
  user: string;
  organization: string;
  role: string;
  phi: boolean;
}

export interface RunRecord {
  record: number;
  run_id: string;
  command: string;
  contract_id: string;
  contract_version: string;
  net_payer_to_provider: string;
  period: { start: string; end: string };
  user: string;
  recorded_at: string;
}

export interface Layer {
  id: string;
  kind: string;
  label: string;
  amount: string;
  outcome: string;
  trace_id: string;
  note?: string;
}

// The parts of a settle run's summary.json the dashboard shows.
export interface Summary {
  run_id: string;
  contract_id: string;
  contract_version: string;
  period: { start: string; end: string };
  population: { members: number; member_months: number };
  expenditure: { total: string; truncated_total: string; pmpm: string; by_category: Record<string, string> };
  benchmark: { total: string; pmpm: string };
  layers: Layer[];
  net_payer_to_provider: string;
  who_owes_whom: string;
  data_gate: { outcome: string; reasons: string[] };
}

export interface TraceNode {
  id: string;
  label: string;
  value: unknown;
  unit: string;
  formula: string;
  inputs: string[];
  source: string;
  derivation: string;
}

export interface WhatIfTerm {
  key: string;
  label: string;
  value: number;
  kind: "rate" | "amount" | "count";
  min: number;
  max: number;
  step: number;
}

export interface Amounts {
  settled: string;
  what_if: string;
  change: string;
}

export interface WhatIfAnswer {
  changes: { key: string; before: string; after: string }[];
  net_payer_to_provider: Amounts;
  benchmark_total: Amounts;
  layers: (Amounts & { id: string; label: string; branch: string; note?: string })[];
  notes: string[];
}

export class Api {
  constructor(private readonly token: string) {}

  private async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(path, {
      ...init,
      headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json" },
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // the statement is Markdown
    }
    if (!res.ok) {
      const message = (body as { error?: string })?.error ?? `${res.status} ${res.statusText}`;
      throw new ApiError(res.status, message);
    }
    return body as T;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>(path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>(path, { method: "POST", body: JSON.stringify(body) });
  }
}

/** The answer, or undefined when the server has none (404); other errors propagate. */
export async function optional<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}
