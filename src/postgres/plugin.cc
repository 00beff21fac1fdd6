// valuepact-postgres.so: the PostgreSQL run store and SQL connection, loaded by the engine on
// the first postgresql:// location (store/backends.h, PostgresBackend).
#include "postgres/postgres.h"
#include "store/backends.h"

extern "C" __attribute__((visibility("default"))) const valuepact::store::PostgresBackend*
valuepact_postgres_backend() {
  using namespace valuepact::store;
  static const PostgresBackend backend{VALUEPACT_VERSION, kSchemaVersion,
                                       sizeof(valuepact::RunRecord), &postgres::OpenStore,
                                       &postgres::OpenSql};
  return &backend;
}
