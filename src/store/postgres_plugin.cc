// Loads the PostgreSQL plugin (backends.h, PostgresBackend) on first use and opens through it.
#include <dlfcn.h>

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "store/backends.h"

namespace valuepact::store {
namespace {

namespace fs = std::filesystem;

// The plugin beside this program's own file (the engine's, or a test's, in the build folder).
std::string PluginPath() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ((ec ? fs::path(".") : exe.parent_path()) / kPostgresPlugin).string();
}

Result<const PostgresBackend*> Load() {
  const std::string path = PluginPath();
  const auto cannot = [](const std::string& why) {
    return IoError(
        fmt::format("PostgreSQL run store: {} (the plugin {} is built with valuepact, beside "
                    "valuepact-engine; `make build` makes it again)",
                    why, kPostgresPlugin));
  };
  // RTLD_NOW: a symbol the plugin needs and does not find is an error here, not a crash later.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) return cannot(::dlerror());  // names the file and why
  using Entry = const PostgresBackend* (*)();
  auto* entry = reinterpret_cast<Entry>(::dlsym(handle, kPostgresPluginEntry));
  if (entry == nullptr) return cannot(fmt::format("{}: no {} in it", path, kPostgresPluginEntry));
  const PostgresBackend* b = entry();
  if (b == nullptr || std::string(b->engine_version) != VALUEPACT_VERSION ||
      b->schema_version != kSchemaVersion || b->record_size != sizeof(RunRecord)) {
    return cannot(path + ": it was built with another version of valuepact");
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
