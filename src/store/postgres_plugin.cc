// Loads the PostgreSQL plugin (backends.h, PostgresBackend) on first use and opens through it.
#include <string>

#include "store/backends.h"
#include "valuepact/core/plugin.h"

namespace valuepact::store {
namespace {

constexpr const char* kWhat = "PostgreSQL run store";

Result<const PostgresBackend*> Load() {
  auto fn = LoadPluginEntry(kWhat, kPostgresPlugin, kPostgresPluginEntry);
  if (!fn.ok()) return fn.status();
  using Entry = const PostgresBackend* (*)();
  const PostgresBackend* b = reinterpret_cast<Entry>(*fn)();
  if (b == nullptr || std::string(b->engine_version) != VALUEPACT_VERSION ||
      b->schema_version != kSchemaVersion || b->record_size != sizeof(RunRecord)) {
    return PluginError(kWhat, kPostgresPlugin, "it was built with another version of valuepact");
  }
  return b;
}

// Loaded once per process; the plugin stays loaded until the process ends.
Result<const PostgresBackend*> Backend() {
  static const Result<const PostgresBackend*> backend = Load();
  return backend;
}

}  // namespace

Result<std::unique_ptr<RunStore>> OpenPostgres(const std::string& url) {
  auto b = Backend();
  if (!b.ok()) return b.status();
  return (*b)->open_store(url);
}

Result<std::unique_ptr<SqlConnection>> OpenPostgresSql(const std::string& url) {
  auto b = Backend();
  if (!b.ok()) return b.status();
  return (*b)->open_sql(url);
}

}  // namespace valuepact::store
