#include "valuepact/store/run_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <fmt/format.h>

namespace valuepact {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  contract_id TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  net_payer_to_provider TEXT NOT NULL,
  out_dir TEXT NOT NULL,
  recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  summary_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS run_layers (
  run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  layer_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
);
CREATE TABLE IF NOT EXISTS run_inputs (
  run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  table_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_contract ON runs(contract_id, recorded_at);
)sql";

// SQLiteCpp reports errors with exceptions; they stop here and become Status values.
template <typename F>
Status Guard(const std::string& db_path, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return IoError(fmt::format("{}: run store: {}", db_path, e.what()));
  }
}

}  // namespace

Status RecordRun(const std::string& db_path, const nlohmann::ordered_json& s,
                 const std::string& out_dir) {
  return Guard(db_path, [&]() -> Status {
    SQLite::Database db(db_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA foreign_keys = ON");
    db.exec(kSchema);
    SQLite::Transaction tx(db);
    const std::string run_id = s.value("run_id", "");
    SQLite::Statement del(db, "DELETE FROM runs WHERE run_id = ?");
    del.bind(1, run_id);
    del.exec();
    SQLite::Statement ins(db,
                          "INSERT INTO runs (run_id, contract_id, engine_version, period_start, "
                          "period_end, net_payer_to_provider, out_dir, summary_json) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, run_id);
    ins.bind(2, s.value("contract_id", ""));
    ins.bind(3, s.value("engine_version", ""));
    ins.bind(4, s["period"].value("start", ""));
    ins.bind(5, s["period"].value("end", ""));
    ins.bind(6, s.value("net_payer_to_provider", ""));
    ins.bind(7, out_dir);
    ins.bind(8, s.dump());
    ins.exec();
    int pos = 0;
    for (const auto& l : s["layers"]) {
      SQLite::Statement li(db, "INSERT INTO run_layers VALUES (?, ?, ?, ?, ?)");
      li.bind(1, run_id);
      li.bind(2, pos++);
      li.bind(3, l.value("id", ""));
      li.bind(4, l.value("kind", ""));
      li.bind(5, l.value("amount", ""));
      li.exec();
    }
    if (s.contains("inputs")) {
      for (const auto& in : s["inputs"]) {
        SQLite::Statement ii(db, "INSERT INTO run_inputs VALUES (?, ?, ?, ?, ?, ?)");
        ii.bind(1, run_id);
        ii.bind(2, in.value("path", ""));
        ii.bind(3, in.value("table", ""));
        ii.bind(4, in.value("sha256", ""));
        ii.bind(5, in.value("rows_read", int64_t{0}));
        ii.bind(6, in.value("rows_rejected", int64_t{0}));
        ii.exec();
      }
    }
    tx.commit();
    return Status::Ok();
  });
}

Result<std::vector<StoredRun>> ListRuns(const std::string& db_path,
                                        const std::string& contract_id) {
  std::vector<StoredRun> out;
  Status st = Guard(db_path, [&]() -> Status {
    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db,
                        "SELECT run_id, contract_id, engine_version, period_start, period_end, "
                        "net_payer_to_provider, out_dir, recorded_at FROM runs "
                        "WHERE ? = '' OR contract_id = ? ORDER BY recorded_at, run_id");
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
    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT summary_json FROM runs WHERE run_id LIKE ? || '%'");
    q.bind(1, run_id);
    std::vector<std::string> found;
    while (q.executeStep()) found.push_back(q.getColumn(0).getString());
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
