#pragma once
// The run store's backends (run_store.h): what both share, and how each opens.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "valuepact/store/run_store.h"
#include "valuepact/store/sql.h"

namespace valuepact::store {

// The schema version this build writes. 1: run_records, record_layers, record_inputs; 2: who
// ran it, the command, the contract version and the input hashes, and run_files; 3:
// organizations, users, API tokens, partnerships and the audit log (the server's access).
inline constexpr int kSchemaVersion = 3;

enum class Dialect { kSqlite, kPostgres };

// The SQL that brings a store from version − 1 to `version` (1 to 3), in the dialect's types.
std::string MigrationSql(int version, Dialect dialect);

// The columns of run_records a RunRecord is read from, in order.
inline constexpr const char* kRecordColumns =
    "record_id, run_id, command, contract_id, contract_version, contract_sha256, data_sha256, "
    "refdata_sha256, engine_version, period_start, period_end, net_payer_to_provider, out_dir, "
    "user_name, recorded_at, summary_json";

Result<std::unique_ptr<RunStore>> OpenSqlite(const std::string& path);

// PostgreSQL is a plugin (core/plugin.h): libpqxx and libpq, with the twenty-odd shared
// libraries they bring (Kerberos, LDAP, GnuTLS, ...), took 2 to 11 ms to load at every start of
// the engine on the machines measured (bench/results.md), which a run on a SQLite store never
// uses. The plugin, valuepact-postgres.so beside the engine (src/postgres/), is loaded on the
// first postgresql:// location (postgres_plugin.cc); its valuepact functions are the engine's
// own, which the engine exports for it.
struct PostgresBackend {
  // What the plugin was built with; a plugin of another build is refused, not called.
  const char* engine_version;
  int schema_version;
  size_t record_size;
  Result<std::unique_ptr<RunStore>> (*open_store)(const std::string& url);
  Result<std::unique_ptr<SqlConnection>> (*open_sql)(const std::string& url);
};
// The plugin's file, and the function in it that returns its PostgresBackend.
inline constexpr const char* kPostgresPlugin = "valuepact-postgres.so";
inline constexpr const char* kPostgresPluginEntry = "valuepact_postgres_backend";

// Through the plugin; an error naming the plugin's file when it cannot be loaded.
Result<std::unique_ptr<RunStore>> OpenPostgres(const std::string& url);
Result<std::unique_ptr<SqlConnection>> OpenPostgresSql(const std::string& url);

// Runs a store operation: the libraries' exceptions stop here and become an I/O error naming
// the store (`where`, password removed).
template <typename F>
Status Guarded(const std::string& where, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return IoError(fmt::format("{}: run store: {}", where, e.what()));
  }
}

// Now as the store records it: UTC, ISO 8601 with milliseconds.
std::string UtcNow();

// `location` with any password removed, for messages.
std::string Redacted(const std::string& location);

// A stored file's row: what the file is and, `with_contents`, its content from `frame`
// (DecompressContent).
struct StoredFileRow {
  std::string path;
  bool restricted = false;
  std::string sha256;
  int64_t size = 0;
  std::string_view frame;
};
Status AddStoredFile(StoredFileRow row, bool with_contents, std::vector<RunFile>* files);

// The record `id` names in a store (`where`, shown in errors): "#N" is record N; otherwise the
// latest record of the one run whose id starts with `id`. `matching_runs` lists, for each run
// id starting with `id`, the run id and its latest record.
using RunMatches = std::vector<std::pair<std::string, int64_t>>;
Result<int64_t> ChooseRecord(const std::string& where, const std::string& id,
                             const std::function<RunMatches()>& matching_runs);

}  // namespace valuepact::store
