// The peer for the ingest+settle benchmark: DuckDB reads the same Tuva-layout CSV files and
// computes the same figures (member-months under the any_day rule, in-scope claim lines and
// paid amount) with SQL. Prints one JSON line.
//
// usage: node peer_duckdb.mjs DATA_DIR PERIOD_START PERIOD_END PAYER THREADS
import { DuckDBInstance } from '@duckdb/node-api';

const [dir, start, end, payer, threads] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const db = await DuckDBInstance.create(':memory:', { threads: String(threads || 2) });
const c = await db.connect();
const csv = (name) => `read_csv('${dir}/${name}', header = true, all_varchar = true)`;
const sql = `
WITH elig AS (
  SELECT person_id, enrollment_start_date::DATE AS s, enrollment_end_date::DATE AS e
  FROM ${csv('eligibility.csv')} WHERE lower(payer) = lower('${payer}')),
months AS (
  SELECT range::DATE AS m FROM range(DATE '${start}', DATE '${end}' + INTERVAL 1 DAY, INTERVAL 1 MONTH)),
mm AS (
  SELECT DISTINCT person_id, m FROM elig JOIN months
  ON s <= least(last_day(m), DATE '${end}') AND e >= greatest(m, DATE '${start}')),
lines AS (
  SELECT person_id, coalesce(claim_start_date, claim_end_date)::DATE AS d,
         coalesce(paid_amount, '0')::DECIMAL(18, 2) AS amount
  FROM ${csv('medical_claim.csv')}
  UNION ALL
  SELECT person_id, dispensing_date::DATE, coalesce(paid_amount, '0')::DECIMAL(18, 2)
  FROM ${csv('pharmacy_claim.csv')})
SELECT (SELECT count(*) FROM mm) AS member_months,
       (SELECT count(*) FROM lines) AS lines_read,
       count(*) AS in_scope_lines, sum(amount)::VARCHAR AS in_scope_amount
FROM lines l JOIN mm ON l.person_id = mm.person_id AND date_trunc('month', l.d)::DATE = mm.m
WHERE l.d BETWEEN DATE '${start}' AND DATE '${end}'`;
const reader = await c.runAndReadAll(sql);
const [row] = reader.getRowObjectsJson();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ ...row, seconds }));
