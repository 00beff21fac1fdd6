// SqlConnection over SQLite and PostgreSQL (sql.h; PostgreSQL's in src/postgres/, loaded on use).
#include "valuepact/store/sql.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <regex>

#include <fmt/format.h>

#include "store/backends.h"

namespace valuepact {
namespace {

class SqliteSql final : public SqlConnection {
 public:
  explicit SqliteSql(const std::string& path)
      : path_(path), db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    db_.setBusyTimeout(15000);
    db_.exec("PRAGMA foreign_keys = ON");
  }

  Result<std::vector<SqlRow>> Query(const std::string& sql,
                                    const std::vector<std::string>& params) override {
    std::vector<SqlRow> out;
    Status s = store::Guarded(path_, [&]() -> Status {
      // $n → ?n, SQLite's numbered parameters.
      SQLite::Statement q(db_, std::regex_replace(sql, std::regex(R"(\$(\d+))"), "?$1"));
      for (size_t i = 0; i < params.size(); ++i) q.bind(static_cast<int>(i + 1), params[i]);
      while (q.executeStep()) {
        SqlRow row;
        for (int c = 0; c < q.getColumnCount(); ++c) {
          row.push_back(q.getColumn(c).isNull() ? "" : q.getColumn(c).getString());
        }
        out.push_back(std::move(row));
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Status Transaction(const std::function<Status()>& body) override {
    return store::Guarded(path_, [&]() -> Status {
      db_.exec("BEGIN IMMEDIATE");
      Status s = Status::Ok();
      try {
        s = body();
      } catch (...) {
        db_.exec("ROLLBACK");
        throw;
      }
      db_.exec(s.ok() ? "COMMIT" : "ROLLBACK");
      return s;
    });
  }

 private:
  std::string path_;
  SQLite::Database db_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> SqlConnection::Open(const std::string& location) {
  // The schema first, created or migrated as the run store does it.
  auto store = RunStore::Open(location);
  if (!store.ok()) return store.status();
  try {
    if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
      return store::OpenPostgresSql(location);
    }
    const std::string path = location.rfind("sqlite:", 0) == 0 ? location.substr(7) : location;
    return std::unique_ptr<SqlConnection>(std::make_unique<SqliteSql>(path));
  } catch (const std::exception& e) {
    return IoError(fmt::format("{}: run store: {}", store::Redacted(location), e.what()));
  }
}

}  // namespace valuepact
