// The run store on PostgreSQL (run_store.h), through libpqxx: the same tables and migrations as
// the SQLite store, one transaction per run, migrations serialized by an advisory lock. Part of
// the PostgreSQL plugin (src/postgres/plugin.cc).
#include <pqxx/pqxx>

#include <fmt/format.h>

#include "postgres/postgres.h"
#include "store/backends.h"
#include "valuepact/store/run_store.h"

namespace valuepact::store::postgres {
namespace {

// Any advisory lock number, the same in every valuepact process.
constexpr int64_t kMigrationLock = 7301202612;

int CurrentVersion(pqxx::work& w) {
  const auto t = w.exec(
      "SELECT to_regclass('schema_version') IS NOT NULL, to_regclass('run_records') IS NOT NULL");
  const bool versioned = t[0][0].as<bool>();
  if (versioned) {
    return w.exec("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0].as<int>();
  }
  return t[0][1].as<bool>() ? 1 : 0;
}

RunRecord ReadRecord(const pqxx::row& row) {
  RunRecord r;
  r.record_id = row[0].as<int64_t>();
  std::string* fields[] = {&r.run_id,
                           &r.command,
                           &r.contract_id,
                           &r.contract_version,
                           &r.contract_sha256,
                           &r.data_sha256,
                           &r.refdata_sha256,
                           &r.engine_version,
                           &r.period_start,
                           &r.period_end,
                           &r.net_payer_to_provider,
                           &r.out_dir,
                           &r.user,
                           &r.recorded_at};
  for (int i = 0; i < 14; ++i) *fields[i] = row[i + 1].as<std::string>();
  r.summary = nlohmann::ordered_json::parse(row[15].as<std::string>(), nullptr, false);
  return r;
}

class PostgresStore final : public RunStore {
 public:
  PostgresStore(const std::string& url, std::unique_ptr<pqxx::connection> c)
      : RunStore(url), c_(std::move(c)) {}

  int schema_version() const override { return version_; }

  Status Init() {
    return Guard([&]() -> Status {
      pqxx::work w(*c_);
      w.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
      const int from = CurrentVersion(w);
      if (from > kSchemaVersion) {
        return InvalidInput(fmt::format(
            "{}: run store schema version {} was written by a newer valuepact; this one reads "
            "up to version {}",
            Redacted(location()), from, kSchemaVersion));
      }
      w.exec(
          "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at "
          "TEXT NOT NULL)");
      if (from < 1) w.exec(MigrationSql(1, Dialect::kPostgres));
      if (from < 2) w.exec(MigrationSql(2, Dialect::kPostgres));
      if (from < 3) w.exec(MigrationSql(3, Dialect::kPostgres));
      for (int v = 1; v <= kSchemaVersion; ++v) {
        w.exec_params("INSERT INTO schema_version VALUES ($1, $2) ON CONFLICT (version) DO NOTHING",
                      v, UtcNow());
      }
      w.commit();
      version_ = kSchemaVersion;
      return Status::Ok();
    });
  }

  Status Record(RunRecord* r) override {
    return Guard([&]() -> Status {
      CompressContents(&r->files);  // before the transaction
      r->recorded_at = UtcNow();
      pqxx::work w(*c_);
      const auto id = w.exec_params(
          "INSERT INTO run_records (run_id, command, contract_id, contract_version, "
          "contract_sha256, data_sha256, refdata_sha256, engine_version, period_start, "
          "period_end, net_payer_to_provider, out_dir, user_name, recorded_at, summary_json) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
          "RETURNING record_id",
          r->run_id, r->command, r->contract_id, r->contract_version, r->contract_sha256,
          r->data_sha256, r->refdata_sha256, r->engine_version, r->period_start, r->period_end,
          r->net_payer_to_provider, r->out_dir, r->user, r->recorded_at, r->summary.dump());
      r->record_id = id[0][0].as<int64_t>();
      InsertLayersAndInputs(w, *r);
      for (const RunFile& f : r->files) {
        w.exec_params("INSERT INTO run_files VALUES ($1, $2, $3, $4, $5, $6)", r->record_id, f.path,
                      f.restricted, f.sha256, f.size, pqxx::binarystring(f.stored));
      }
      w.commit();
      return Status::Ok();
    });
  }

  Result<std::vector<RunRecord>> List(const RunFilter& f) override {
    std::vector<RunRecord> out;
    Status s = Guard([&]() -> Status {
      pqxx::read_transaction t(*c_);
      const auto rows = t.exec_params(
          fmt::format("SELECT {} FROM run_records WHERE ($1 = '' OR contract_id = $1) AND "
                      "($2 = '' OR command = $2) AND ($3 = '' OR left(run_id, length($3)) = $3) "
                      "ORDER BY record_id",
                      kRecordColumns),
          f.contract_id, f.command, f.run_id);
      for (const auto& row : rows) out.push_back(ReadRecord(row));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<RunRecord> Get(const std::string& id, bool with_contents) override {
    RunRecord out;
    Status s = Guard([&]() -> Status {
      pqxx::read_transaction t(*c_);
      auto rid = FindRecord(t, id);
      if (!rid.ok()) return rid.status();
      const auto rows = t.exec_params(
          fmt::format("SELECT {} FROM run_records WHERE record_id = $1", kRecordColumns), *rid);
      if (rows.empty()) return NotFound(fmt::format("no run '{}'", id));
      out = ReadRecord(rows[0]);
      const auto files = t.exec_params(
          "SELECT path, restricted, sha256, size, content FROM run_files WHERE record_id = $1 "
          "ORDER BY path",
          *rid);
      for (const auto& row : files) {
        const pqxx::binarystring frame(row[4]);
        Status added = AddStoredFile({row[0].as<std::string>(),
                                      row[1].as<bool>(),
                                      row[2].as<std::string>(),
                                      row[3].as<int64_t>(),
                                      {reinterpret_cast<const char*>(frame.data()), frame.size()}},
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
    return Guarded(Redacted(location()), std::forward<F>(f));
  }

  Result<int64_t> FindRecord(pqxx::transaction_base& t, const std::string& id) {
    return ChooseRecord(Redacted(location()), id, [&] {
      RunMatches found;
      for (const auto& row : t.exec_params(
               "SELECT run_id, MAX(record_id) FROM run_records WHERE left(run_id, length($1)) = "
               "$1 GROUP BY run_id",
               id)) {
        found.emplace_back(row[0].as<std::string>(), row[1].as<int64_t>());
      }
      return found;
    });
  }

  static void InsertLayersAndInputs(pqxx::work& w, const RunRecord& r) {
    const auto& s = r.summary;
    int pos = 0;
    if (s.contains("layers") && s["layers"].is_array()) {
      for (const auto& l : s["layers"]) {
        w.exec_params("INSERT INTO record_layers VALUES ($1, $2, $3, $4, $5)", r.record_id, pos++,
                      l.value("id", ""), l.value("kind", ""), l.value("amount", ""));
      }
    }
    if (!s.contains("inputs") || !s["inputs"].is_array()) return;
    for (const auto& in : s["inputs"]) {
      w.exec_params("INSERT INTO record_inputs VALUES ($1, $2, $3, $4, $5, $6)", r.record_id,
                    in.value("path", ""), in.value("table", ""), in.value("sha256", ""),
                    in.value("rows_read", int64_t{0}), in.value("rows_rejected", int64_t{0}));
    }
  }

  std::unique_ptr<pqxx::connection> c_;
  int version_ = 0;
};

}  // namespace

Result<std::unique_ptr<RunStore>> OpenStore(const std::string& url) {
  try {
    auto c = std::make_unique<pqxx::connection>(url);
    auto store = std::make_unique<PostgresStore>(url, std::move(c));
    if (Status s = store->Init(); !s.ok()) return s;
    return std::unique_ptr<RunStore>(std::move(store));
  } catch (const std::exception& e) {
    return IoError(fmt::format("{}: run store: cannot connect: {}", Redacted(url), e.what()));
  }
}

}  // namespace valuepact::store::postgres
