// The run store in one SQLite file (run_store.h): WAL journal, a busy timeout so concurrent
// writers wait for each other, one immediate transaction per run, and migrations recorded in
// schema_version.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "store/backends.h"
#include "valuepact/store/run_store.h"

namespace valuepact::store {
namespace {

// Stores written before version 1 kept one row per run id in `runs`: their rows move once.
constexpr const char* kMigrateLegacy = R"sql(
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

bool Busy(const SQLite::Exception& e) {
  return e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED;
}

bool HasTable(SQLite::Database& db, const char* name) {
  SQLite::Statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, name);
  return q.executeStep();
}

int CurrentVersion(SQLite::Database& db) {
  if (HasTable(db, "schema_version")) {
    SQLite::Statement q(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    q.executeStep();
    return q.getColumn(0).getInt();
  }
  return HasTable(db, "run_records") ? 1 : 0;
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

// Brings the schema to kSchemaVersion, each step recorded (in the caller's transaction, so a
// second process migrating at the same time finds the work done).
void Migrate(SQLite::Database& db) {
  const int from = CurrentVersion(db);
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
      "applied_at TEXT NOT NULL)");
  if (from < 1) {
    db.exec(MigrationSql(1, Dialect::kSqlite));
    if (HasTable(db, "runs")) db.exec(kMigrateLegacy);
  }
  if (from < 2) db.exec(MigrationSql(2, Dialect::kSqlite));
  if (from < 3) db.exec(MigrationSql(3, Dialect::kSqlite));
  for (int v = 1; v <= kSchemaVersion; ++v) {
    SQLite::Statement q(db, "INSERT OR IGNORE INTO schema_version VALUES (?, ?)");
    q.bind(1, v);
    q.bind(2, UtcNow());
    q.exec();
  }
}

RunRecord ReadRecord(SQLite::Statement& q) {
  RunRecord r;
  r.record_id = q.getColumn(0).getInt64();
  r.run_id = q.getColumn(1).getString();
  r.command = q.getColumn(2).getString();
  r.contract_id = q.getColumn(3).getString();
  r.contract_version = q.getColumn(4).getString();
  r.contract_sha256 = q.getColumn(5).getString();
  r.data_sha256 = q.getColumn(6).getString();
  r.refdata_sha256 = q.getColumn(7).getString();
  r.engine_version = q.getColumn(8).getString();
  r.period_start = q.getColumn(9).getString();
  r.period_end = q.getColumn(10).getString();
  r.net_payer_to_provider = q.getColumn(11).getString();
  r.out_dir = q.getColumn(12).getString();
  r.user = q.getColumn(13).getString();
  r.recorded_at = q.getColumn(14).getString();
  r.summary = nlohmann::ordered_json::parse(q.getColumn(15).getString(), nullptr, false);
  return r;
}

class SqliteStore final : public RunStore {
 public:
  SqliteStore(const std::string& path, SQLite::Database db, bool writable)
      : RunStore(path), db_(std::move(db)), writable_(writable) {}

  int schema_version() const override { return version_; }

  // Opens the file, creating and migrating it when it may be written.
  // Throws SQLite::Exception (OpenSqlite retries a busy store).
  Status Init() {
    version_ = CurrentVersion(db_);
    if (version_ > kSchemaVersion) {
      return InvalidInput(fmt::format(
          "{}: run store schema version {} was written by a newer valuepact; this one reads up "
          "to version {}",
          location(), version_, kSchemaVersion));
    }
    if (version_ == kSchemaVersion) return Status::Ok();
    if (!writable_) {
      return InvalidInput(fmt::format(
          "{}: run store schema version {} needs migrating to {}, and the file cannot be "
          "written; open it once with write access",
          location(), version_, kSchemaVersion));
    }
    WriteTransaction(db_, [&] { Migrate(db_); });
    version_ = CurrentVersion(db_);
    return Status::Ok();
  }

  Status Record(RunRecord* r) override {
    return Guard([&]() -> Status {
      CompressContents(&r->files);  // before the write lock is taken
      r->recorded_at = UtcNow();
      WriteTransaction(db_, [&] { Insert(r); });
      return Status::Ok();
    });
  }

  Result<std::vector<RunRecord>> List(const RunFilter& f) override {
    std::vector<RunRecord> out;
    Status s = Guard([&]() -> Status {
      SQLite::Statement q(db_, fmt::format("SELECT {} FROM run_records WHERE (?1 = '' OR "
                                           "contract_id = ?1) AND (?2 = '' OR command = ?2) AND "
                                           "(?3 = '' OR substr(run_id, 1, length(?3)) = ?3) "
                                           "ORDER BY record_id",
                                           kRecordColumns));
      q.bind(1, f.contract_id);
      q.bind(2, f.command);
      q.bind(3, f.run_id);
      while (q.executeStep()) out.push_back(ReadRecord(q));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<RunRecord> Get(const std::string& id, bool with_contents) override {
    RunRecord out;
    Status s = Guard([&]() -> Status {
      auto rid = FindRecord(id);
      if (!rid.ok()) return rid.status();
      SQLite::Statement q(
          db_, fmt::format("SELECT {} FROM run_records WHERE record_id = ?", kRecordColumns));
      q.bind(1, *rid);
      if (!q.executeStep()) return NotFound(fmt::format("{}: no run '{}'", location(), id));
      out = ReadRecord(q);
      SQLite::Statement fq(db_,
                           "SELECT path, restricted, sha256, size, content FROM run_files WHERE "
                           "record_id = ? ORDER BY path");
      fq.bind(1, *rid);
      while (fq.executeStep()) {
        const SQLite::Column frame = fq.getColumn(4);
        Status added = AddStoredFile(
            {fq.getColumn(0).getString(),
             fq.getColumn(1).getInt() != 0,
             fq.getColumn(2).getString(),
             fq.getColumn(3).getInt64(),
             {static_cast<const char*>(frame.getBlob()), static_cast<size_t>(frame.getBytes())}},
            with_contents, &out.files);
        if (!added.ok()) return added;
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

 private:
  template <typename F>
  Status Guard(F&& f) {
    return Guarded(location(), std::forward<F>(f));
  }

  // The record id of "#N", or of the latest record of the one run id starting with `id`.
  Result<int64_t> FindRecord(const std::string& id) {
    return ChooseRecord(location(), id, [&] {
      SQLite::Statement q(db_,
                          "SELECT run_id, MAX(record_id) FROM run_records WHERE substr(run_id, 1, "
                          "length(?1)) = ?1 GROUP BY run_id");
      q.bind(1, id);
      RunMatches found;
      while (q.executeStep()) {
        found.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt64());
      }
      return found;
    });
  }

  void Insert(RunRecord* r) {
    SQLite::Statement ins(
        db_,
        "INSERT INTO run_records (run_id, command, contract_id, contract_version, "
        "contract_sha256, data_sha256, refdata_sha256, engine_version, period_start, period_end, "
        "net_payer_to_provider, out_dir, user_name, recorded_at, summary_json) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const std::string fields[] = {r->run_id,
                                  r->command,
                                  r->contract_id,
                                  r->contract_version,
                                  r->contract_sha256,
                                  r->data_sha256,
                                  r->refdata_sha256,
                                  r->engine_version,
                                  r->period_start,
                                  r->period_end,
                                  r->net_payer_to_provider,
                                  r->out_dir,
                                  r->user,
                                  r->recorded_at,
                                  r->summary.dump()};
    for (int i = 0; i < 15; ++i) ins.bind(i + 1, fields[i]);
    ins.exec();
    r->record_id = db_.getLastInsertRowid();
    InsertLayersAndInputs(*r);
    for (const RunFile& f : r->files) {
      SQLite::Statement fi(db_, "INSERT INTO run_files VALUES (?, ?, ?, ?, ?, ?)");
      fi.bind(1, r->record_id);
      fi.bind(2, f.path);
      fi.bind(3, f.restricted ? 1 : 0);
      fi.bind(4, f.sha256);
      fi.bind(5, f.size);
      fi.bind(6, f.stored.data(), static_cast<int>(f.stored.size()));
      fi.exec();
    }
  }

  void InsertLayersAndInputs(const RunRecord& r) {
    const auto& s = r.summary;
    int pos = 0;
    if (s.contains("layers") && s["layers"].is_array()) {
      for (const auto& l : s["layers"]) {
        SQLite::Statement li(db_, "INSERT INTO record_layers VALUES (?, ?, ?, ?, ?)");
        li.bind(1, r.record_id);
        li.bind(2, pos++);
        li.bind(3, l.value("id", ""));
        li.bind(4, l.value("kind", ""));
        li.bind(5, l.value("amount", ""));
        li.exec();
      }
    }
    if (!s.contains("inputs") || !s["inputs"].is_array()) return;
    for (const auto& in : s["inputs"]) {
      SQLite::Statement ii(db_, "INSERT INTO record_inputs VALUES (?, ?, ?, ?, ?, ?)");
      ii.bind(1, r.record_id);
      ii.bind(2, in.value("path", ""));
      ii.bind(3, in.value("table", ""));
      ii.bind(4, in.value("sha256", ""));
      ii.bind(5, in.value("rows_read", int64_t{0}));
      ii.bind(6, in.value("rows_rejected", int64_t{0}));
      ii.exec();
    }
  }

  SQLite::Database db_;
  bool writable_ = true;
  int version_ = 0;
};

// One attempt at opening: the connection, WAL, the schema.
Result<std::unique_ptr<RunStore>> OpenOnce(const std::string& path) {
  bool writable = true;
  std::unique_ptr<SQLite::Database> db;
  try {
    db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  } catch (const SQLite::Exception& e) {
    if (Busy(e)) throw;
    // A store this user may only read is opened read-only.
    db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY);
    writable = false;
  }
  db->setBusyTimeout(kBusyTimeoutMs);
  if (writable) {
    // A new store's pages are 64 KiB (a store's existing pages stay as they are): its rows are
    // mostly compressed files of megabytes, written in a sixteenth of the pages and system
    // calls of the default 4 KiB.
    db->exec("PRAGMA page_size = 65536");
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA foreign_keys = ON");
  }
  auto store = std::make_unique<SqliteStore>(path, std::move(*db), writable);
  if (Status s = store->Init(); !s.ok()) return s;
  return std::unique_ptr<RunStore>(std::move(store));
}

}  // namespace

Result<std::unique_ptr<RunStore>> OpenSqlite(const std::string& path) {
  if (std::error_code ec; std::filesystem::is_directory(path, ec)) {
    return InvalidInput(fmt::format(
        "{}: a folder, not a run store; --store names a SQLite file (such as {}/runs.sqlite) or "
        "a postgresql:// URL",
        path, path));
  }
  // Switching a new file to WAL needs it to itself for a moment, and SQLite may then answer
  // "busy" without waiting: processes opening a new store at once try again.
  for (int attempt = 1;; ++attempt) {
    try {
      return OpenOnce(path);
    } catch (const SQLite::Exception& e) {
      if (!Busy(e) || attempt >= kAttempts) {
        return IoError(fmt::format("{}: run store: {}", path, e.what()));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt));
    } catch (const std::exception& e) {
      return IoError(fmt::format("{}: run store: {}", path, e.what()));
    }
  }
}

}  // namespace valuepact::store
