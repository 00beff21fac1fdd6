// The peer for the ingest+settle benchmark: DuckDB computes the same figures as valuepact
// (member-months under the any_day rule, in-scope claim lines and paid amount) with SQL, on the
// same files in the same run. Prints one JSON line.
//
// usage: node peer_duckdb.mjs csv DATA_DIR PERIOD_START PERIOD_END PAYER THREADS
//          reads the Tuva-layout CSV files directly
//        node peer_duckdb.mjs import DATA_DIR DB_FILE THREADS
//          imports them into typed tables of a DuckDB database file (DuckDB's own cache)
//        node peer_duckdb.mjs db DB_FILE PERIOD_START PERIOD_END PAYER THREADS
//          the same figures from the imported tables
//        node peer_duckdb.mjs admissions DATA_DIR PERIOD_START PERIOD_END PAYER THREADS
//          acute admissions per 1,000 by month (docs/metrics.md, Stays): member-months and stays
//          admitted in a population month, per month
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, ...args] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const seconds = () => Number(process.hrtime.bigint() - t0) / 1e9;

async function connect(path, threads) {
  const db = await DuckDBInstance.create(path, { threads: String(threads || 2) });
  return db.connect();
}

const csv = (dir, name) => `read_csv('${dir}/${name}', header = true, all_varchar = true)`;

// The eligibility spans and the claim lines (medical and pharmacy), typed.
const sources = (dir) => ({
  elig: `SELECT person_id, lower(payer) AS payer, enrollment_start_date::DATE AS s,
                enrollment_end_date::DATE AS e FROM ${csv(dir, 'eligibility.csv')}`,
  lines: `SELECT person_id, coalesce(claim_start_date, claim_end_date)::DATE AS d,
                 coalesce(paid_amount, '0')::DECIMAL(18, 2) AS amount
          FROM ${csv(dir, 'medical_claim.csv')}
          UNION ALL
          SELECT person_id, dispensing_date::DATE, coalesce(paid_amount, '0')::DECIMAL(18, 2)
          FROM ${csv(dir, 'pharmacy_claim.csv')}`,
});

// Member-months under the any_day rule: (person_id, m) for each month of the period.
function memberMonths(elig, start, end, payer) {
  return `
elig AS (SELECT person_id, s, e FROM (${elig}) WHERE payer = lower('${payer}')),
months AS (
  SELECT range::DATE AS m FROM range(DATE '${start}', DATE '${end}' + INTERVAL 1 DAY, INTERVAL 1 MONTH)),
mm AS (
  SELECT DISTINCT person_id, m FROM elig JOIN months
  ON s <= least(last_day(m), DATE '${end}') AND e >= greatest(m, DATE '${start}'))`;
}

function figures(elig, lines, start, end, payer) {
  return `
WITH ${memberMonths(elig, start, end, payer)},
lines AS (${lines})
SELECT (SELECT count(*) FROM mm) AS member_months,
       (SELECT count(*) FROM lines) AS lines_read,
       count(*) AS in_scope_lines, sum(amount)::VARCHAR AS in_scope_amount
FROM lines l JOIN mm ON l.person_id = mm.person_id AND date_trunc('month', l.d)::DATE = mm.m
WHERE l.d BETWEEN DATE '${start}' AND DATE '${end}'`;
}

async function query(c, sql) {
  const reader = await c.runAndReadAll(sql);
  return reader.getRowObjectsJson()[0];
}

if (mode === 'csv') {
  const [dir, start, end, payer, threads] = args;
  const c = await connect(':memory:', threads);
  const s = sources(dir);
  const row = await query(c, figures(s.elig, s.lines, start, end, payer));
  console.log(JSON.stringify({ ...row, seconds: seconds() }));
} else if (mode === 'import') {
  const [dir, file, threads] = args;
  const c = await connect(file, threads);
  const s = sources(dir);
  await c.run(`CREATE OR REPLACE TABLE elig AS ${s.elig}`);
  await c.run(`CREATE OR REPLACE TABLE lines AS ${s.lines}`);
  await c.run('CHECKPOINT');
  console.log(JSON.stringify({ seconds: seconds() }));
} else if (mode === 'db') {
  const [file, start, end, payer, threads] = args;
  const c = await connect(file, threads);
  const row = await query(c, figures('SELECT * FROM elig', 'SELECT * FROM lines', start, end, payer));
  console.log(JSON.stringify({ ...row, seconds: seconds() }));
} else if (mode === 'admissions') {
  const [dir, start, end, payer, threads] = args;
  const c = await connect(':memory:', threads);
  // Acute inpatient lines (institutional, bill type 11x) as [admission, discharge] intervals;
  // a line starting after every earlier line's end opens a new stay.
  const sql = `
WITH ${memberMonths(sources(dir).elig, start, end, payer)},
acute AS (
  SELECT person_id, coalesce(admission_date, claim_start_date)::DATE AS s,
         greatest(coalesce(discharge_date, claim_end_date)::DATE,
                  coalesce(admission_date, claim_start_date)::DATE) AS e
  FROM ${csv(dir, 'medical_claim.csv')}
  WHERE claim_type = 'institutional' AND left(bill_type_code, 2) = '11'),
ordered AS (
  SELECT person_id, s, max(e) OVER (PARTITION BY person_id ORDER BY s, e
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
  FROM acute),
stays AS (SELECT person_id, date_trunc('month', s)::DATE AS m FROM ordered
          WHERE before IS NULL OR s > before),
counted AS (SELECT st.m, count(*) AS stays FROM stays st JOIN mm USING (person_id, m) GROUP BY st.m)
SELECT strftime(mm.m, '%Y-%m') AS month, count(*) AS member_months,
       coalesce(any_value(counted.stays), 0) AS stays
FROM mm LEFT JOIN counted USING (m) GROUP BY mm.m ORDER BY mm.m`;
  const reader = await c.runAndReadAll(sql);
  console.log(JSON.stringify({ months: reader.getRowObjectsJson(), seconds: seconds() }));
} else {
  console.error('usage: node peer_duckdb.mjs csv|import|db ...');
  process.exit(2);
}
