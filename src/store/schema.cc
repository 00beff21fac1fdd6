// The run store's tables, one text for both backends (backends.h).
#include <fmt/format.h>

#include "store/backends.h"

namespace valuepact::store {

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
