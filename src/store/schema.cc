// The run store's tables, one text for both backends (backends.h).
#include <fmt/format.h>

#include "store/backends.h"

namespace valuepact::store {

namespace {

// Version 3: who may read what (docs/server.md) — organizations, users, hashed API tokens,
// partnerships with their parties and contracts, and the append-only audit log.
std::string AccessSql(Dialect d) {
  const bool pg = d == Dialect::kPostgres;
  std::string sql = fmt::format(R"sql(
CREATE TABLE organizations (
  org_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE users (
  user_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(org_id),
  role TEXT NOT NULL,
  phi INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE api_tokens (
  token_sha256 TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(user_id),
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked INTEGER NOT NULL
);
CREATE TABLE partnerships (
  partnership_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE partnership_parties (
  partnership_id TEXT NOT NULL REFERENCES partnerships(partnership_id),
  org_id TEXT NOT NULL REFERENCES organizations(org_id),
  PRIMARY KEY (partnership_id, org_id)
);
CREATE TABLE partnership_contracts (
  partnership_id TEXT NOT NULL REFERENCES partnerships(partnership_id),
  contract_id TEXT NOT NULL,
  PRIMARY KEY (partnership_id, contract_id)
);
CREATE TABLE audit_log (
  audit_id {0},
  at TEXT NOT NULL,
  user_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL
);
)sql",
                                pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  // Nothing may change or remove an audit row.
  if (pg) {
    sql += R"sql(
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
)sql";
  } else {
    sql += R"sql(
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";
  }
  return sql;
}

}  // namespace

std::string MigrationSql(int version, Dialect d) {
  const bool pg = d == Dialect::kPostgres;
  const char* id = pg ? "BIGINT" : "INTEGER";
  if (version == 1) {
    // Every recording a row of its own: re-settling a run id keeps the earlier answer.
    return fmt::format(R"sql(
CREATE TABLE IF NOT EXISTS run_records (
  record_id {0},
  run_id TEXT NOT NULL,
  contract_id TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  net_payer_to_provider TEXT NOT NULL,
  out_dir TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  summary_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS record_layers (
  record_id {1} NOT NULL REFERENCES run_records(record_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  layer_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount TEXT NOT NULL,
  PRIMARY KEY (record_id, position)
);
CREATE TABLE IF NOT EXISTS record_inputs (
  record_id {1} NOT NULL REFERENCES run_records(record_id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  table_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  rows_read {1} NOT NULL,
  rows_rejected {1} NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_run ON run_records(run_id, record_id);
CREATE INDEX IF NOT EXISTS records_by_contract ON run_records(contract_id, recorded_at);
)sql",
                       pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT", id);
  }
  if (version == 3) return AccessSql(d);
  // Version 2: the command, who ran it, the contract version and input hashes, and the files.
  return fmt::format(R"sql(
ALTER TABLE run_records ADD COLUMN command TEXT NOT NULL DEFAULT 'settle';
ALTER TABLE run_records ADD COLUMN contract_version TEXT NOT NULL DEFAULT '';
ALTER TABLE run_records ADD COLUMN contract_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE run_records ADD COLUMN data_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE run_records ADD COLUMN refdata_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE run_records ADD COLUMN user_name TEXT NOT NULL DEFAULT '';
CREATE TABLE run_files (
  record_id {0} NOT NULL REFERENCES run_records(record_id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  restricted {1} NOT NULL,
  sha256 TEXT NOT NULL,
  size {0} NOT NULL,
  content {2} NOT NULL,
  PRIMARY KEY (record_id, path)
);
CREATE INDEX records_by_command ON run_records(command, record_id);
)sql",
                     id, pg ? "BOOLEAN" : "INTEGER", pg ? "BYTEA" : "BLOB");
}

}  // namespace valuepact::store
