// What every page works from: the caller, the chosen partnership and its runs.
import { Api, Me, RunRecord, Summary } from "./api";

export interface ContractVersion {
  version: string;
  contract_sha256: string;
  runs: number;
  first_recorded: string;
  last_recorded: string;
  last_run: string;
}

export interface Partnership {
  id: string;
  name: string;
  parties: string[];
  contracts: { id: string; versions: ContractVersion[] }[];
  record: null | { run_id: string; recorded_at: string; summary: Record<string, unknown> };
}

export interface Context {
  api: Api;
  me: Me;
  partnerships: { id: string; name: string }[];
  partnership: Partnership;
  runs: RunRecord[]; // of the partnership's contracts, oldest first
  settle?: RunRecord; // the settlement shown
  summary?: Summary;
  params: URLSearchParams;
}

export function latest(runs: RunRecord[], command: string, contract?: string): RunRecord | undefined {
  const of = runs.filter((r) => r.command === command && (!contract || r.contract_id === contract));
  return of[of.length - 1];
}
