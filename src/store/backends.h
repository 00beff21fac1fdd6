#pragma once
// The run store's backends (run_store.h): what both share, and how each opens.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "valuepact/store/run_store.h"

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
Result<std::unique_ptr<RunStore>> OpenPostgres(const std::string& url);

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

}  // namespace valuepact::store
