#pragma once
// The PostgreSQL plugin's backends (store/backends.h, PostgresBackend): the run store and the
// SQL connection over libpqxx.
#include <memory>
#include <string>

#include "valuepact/core/status.h"
#include "valuepact/store/run_store.h"
#include "valuepact/store/sql.h"

namespace valuepact::store::postgres {

// Connects to `url`, creating or migrating the schema (postgres_store.cc).
Result<std::unique_ptr<RunStore>> OpenStore(const std::string& url);
// Connects to `url`, whose schema the run store has made (postgres_sql.cc).
Result<std::unique_ptr<SqlConnection>> OpenSql(const std::string& url);

}  // namespace valuepact::store::postgres
