#include "valuepact/store/run_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <map>

#include <fmt/format.h>

namespace valuepact {
namespace {

// Every recording is a row of its own, so re-settling a run id keeps the history both parties
// may need to see (the earlier answer is never deleted).
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS run_records (
  record_id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  contract_id TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  net_payer_to_provider TEXT NOT NULL,
  out_dir TEXT NOT NULL,
  recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  summary_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS record_layers (
  record_id INTEGER NOT NULL REFERENCES run_records(record_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  layer_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount TEXT NOT NULL,
  PRIMARY KEY (record_id, position)
);
CREATE TABLE IF NOT EXISTS record_inputs (
  record_id INTEGER NOT NULL REFERENCES run_records(record_id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  table_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_run ON run_records(run_id, record_id);
CREATE INDEX IF NOT EXISTS records_by_contract ON run_records(contract_id, recorded_at);
)sql";

// Stores written by earlier versions kept one row per run id in `runs`: their rows move to
// run_records once.
constexpr const char* kMigrateV1 = R"sql(
INSERT INTO run_records (run_id, contract_id, engine_version, period_start, period_end,
                         net_payer_to_provider, out_dir, recorded_at, summary_json)
  SELECT run_id, contract_id, engine_version, period_start, period_end, net_payer_to_provider,
         out_dir, recorded_at, summary_json FROM runs ORDER BY recorded_at, run_id;
DROP TABLE IF EXISTS run_layers;
DROP TABLE IF EXISTS run_inputs;
DROP TABLE runs;
)sql";

constexpr int kBusyTimeoutMs = 15000;
constexpr int kAttempts = 8;

// SQLiteCpp reports errors with exceptions; they stop here and become Status values.
template <typename F>
Status Guard(const std::string& db_path, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return IoError(fmt::format("{}: run store: {}", db_path, e.what()));
  }
}

bool Busy(const SQLite::Exception& e) {
  return e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED;
}

// A connection that waits for other writers (WAL journal, busy timeout).
SQLite::Database OpenForWriting(const std::string& db_path) {
  SQLite::Database db(db_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.setBusyTimeout(kBusyTimeoutMs);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA foreign_keys = ON");
  return db;
}

// Readers open read-write when they may, so that SQLite can recover a journal a crashed writer
// left; a store they may only read is opened read-only.
SQLite::Database OpenForReading(const std::string& db_path) {
  try {
    SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
    db.setBusyTimeout(kBusyTimeoutMs);
    return db;
  } catch (const SQLite::Exception& e) {
    if (Busy(e)) throw;
  }
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  db.setBusyTimeout(kBusyTimeoutMs);
  return db;
}

bool HasTable(SQLite::Database& db, const char* name) {
  SQLite::Statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, name);
  return q.executeStep();
}

void InsertRecord(SQLite::Database& db, const nlohmann::ordered_json& s,
                  const std::string& out_dir) {
  SQLite::Statement ins(db,
                        "INSERT INTO run_records (run_id, contract_id, engine_version, "
                        "period_start, period_end, net_payer_to_provider, out_dir, summary_json) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, s.value("run_id", ""));
  ins.bind(2, s.value("contract_id", ""));
  ins.bind(3, s.value("engine_version", ""));
  ins.bind(4, s["period"].value("start", ""));
  ins.bind(5, s["period"].value("end", ""));
  ins.bind(6, s.value("net_payer_to_provider", ""));
  ins.bind(7, out_dir);
  ins.bind(8, s.dump());
  ins.exec();
  const int64_t record = db.getLastInsertRowid();
  int pos = 0;
  for (const auto& l : s["layers"]) {
    SQLite::Statement li(db, "INSERT INTO record_layers VALUES (?, ?, ?, ?, ?)");
    li.bind(1, record);
    li.bind(2, pos++);
    li.bind(3, l.value("id", ""));
    li.bind(4, l.value("kind", ""));
    li.bind(5, l.value("amount", ""));
    li.exec();
  }
  if (!s.contains("inputs")) return;
  for (const auto& in : s["inputs"]) {
    SQLite::Statement ii(db, "INSERT INTO record_inputs VALUES (?, ?, ?, ?, ?, ?)");
    ii.bind(1, record);
    ii.bind(2, in.value("path", ""));
    ii.bind(3, in.value("table", ""));
    ii.bind(4, in.value("sha256", ""));
    ii.bind(5, in.value("rows_read", int64_t{0}));
    ii.bind(6, in.value("rows_rejected", int64_t{0}));
    ii.exec();
  }
}

// One write transaction, taken up front (BEGIN IMMEDIATE) so two writers never deadlock on an
// upgrade, retried while another writer holds the store past the busy timeout.
template <typename F>
void WriteTransaction(SQLite::Database& db, F&& body) {
  for (int attempt = 1;; ++attempt) {
    try {
      db.exec("BEGIN IMMEDIATE");
    } catch (const SQLite::Exception& e) {
      if (!Busy(e) || attempt >= kAttempts) throw;
      continue;
    }
    try {
      body();
      db.exec("COMMIT");
      return;
    } catch (...) {
      try {
        db.exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  }
}

}  // namespace

Status RecordRun(const std::string& db_path, const nlohmann::ordered_json& s,
                 const std::string& out_dir) {
  return Guard(db_path, [&]() -> Status {
    SQLite::Database db = OpenForWriting(db_path);
    WriteTransaction(db, [&] {
      db.exec(kSchema);
      if (HasTable(db, "runs")) db.exec(kMigrateV1);
      InsertRecord(db, s, out_dir);
    });
    return Status::Ok();
  });
}

Result<std::vector<StoredRun>> ListRuns(const std::string& db_path,
                                        const std::string& contract_id) {
  std::vector<StoredRun> out;
  Status st = Guard(db_path, [&]() -> Status {
    SQLite::Database db = OpenForReading(db_path);
    const char* table = HasTable(db, "run_records") ? "run_records" : "runs";
    // A store created by a writer that stopped before its first record holds no runs.
    if (!HasTable(db, table)) return Status::Ok();
    SQLite::Statement q(
        db, fmt::format("SELECT run_id, contract_id, engine_version, period_start, period_end, "
                        "net_payer_to_provider, out_dir, recorded_at FROM {} "
                        "WHERE ? = '' OR contract_id = ? ORDER BY recorded_at, rowid",
                        table));
    q.bind(1, contract_id);
    q.bind(2, contract_id);
    while (q.executeStep()) {
      StoredRun r;
      r.run_id = q.getColumn(0).getString();
      r.contract_id = q.getColumn(1).getString();
      r.engine_version = q.getColumn(2).getString();
      r.period_start = q.getColumn(3).getString();
      r.period_end = q.getColumn(4).getString();
      r.net_payer_to_provider = q.getColumn(5).getString();
      r.out_dir = q.getColumn(6).getString();
      r.recorded_at = q.getColumn(7).getString();
      out.push_back(std::move(r));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<nlohmann::json> GetRunSummary(const std::string& db_path, const std::string& run_id) {
  nlohmann::json out;
  Status st = Guard(db_path, [&]() -> Status {
    SQLite::Database db = OpenForReading(db_path);
    const char* table = HasTable(db, "run_records") ? "run_records" : "runs";
    if (!HasTable(db, table)) return NotFound(fmt::format("{}: no run '{}'", db_path, run_id));
    // The latest recording of each matching run id.
    SQLite::Statement q(db, fmt::format("SELECT run_id, summary_json FROM {} WHERE run_id LIKE ? "
                                        "|| '%' ORDER BY rowid",
                                        table));
    q.bind(1, run_id);
    std::map<std::string, std::string> latest;
    while (q.executeStep()) latest[q.getColumn(0).getString()] = q.getColumn(1).getString();
    std::vector<std::string> found;
    for (auto& [id, json] : latest) found.push_back(std::move(json));
    if (found.empty()) return NotFound(fmt::format("{}: no run '{}'", db_path, run_id));
    if (found.size() > 1) {
      return InvalidInput(fmt::format("{}: '{}' matches {} runs; give more of the run id", db_path,
                                      run_id, found.size()));
    }
    out = nlohmann::json::parse(found[0]);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace valuepact
