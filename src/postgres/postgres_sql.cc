// SqlConnection (sql.h) over PostgreSQL, through libpqxx; part of the PostgreSQL plugin
// (src/postgres/plugin.cc).
#include <pqxx/pqxx>

#include <fmt/format.h>

#include "postgres/postgres.h"
#include "store/backends.h"

namespace valuepact::store::postgres {
namespace {

class PostgresSql final : public SqlConnection {
 public:
  explicit PostgresSql(const std::string& url) : url_(url), c_(url) {}

  Result<std::vector<SqlRow>> Query(const std::string& sql,
                                    const std::vector<std::string>& params) override {
    std::vector<SqlRow> out;
    Status s = Guarded(Redacted(url_), [&]() -> Status {
      auto run = [&](pqxx::transaction_base& t) {
        for (const auto& row : t.exec_params(sql, pqxx::prepare::make_dynamic_params(params))) {
          SqlRow r;
          for (const auto& f : row) r.push_back(f.is_null() ? "" : f.as<std::string>());
          out.push_back(std::move(r));
        }
      };
      if (work_ != nullptr) {
        run(*work_);
      } else {
        pqxx::work w(c_);
        run(w);
        w.commit();
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Status Transaction(const std::function<Status()>& body) override {
    return Guarded(Redacted(url_), [&]() -> Status {
      pqxx::work w(c_);
      work_ = &w;
      Status s = Status::Ok();
      try {
        s = body();
      } catch (...) {
        work_ = nullptr;
        throw;
      }
      work_ = nullptr;
      if (s.ok()) w.commit();
      return s;
    });
  }

 private:
  std::string url_;
  pqxx::connection c_;
  pqxx::work* work_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> OpenSql(const std::string& url) {
  try {
    return std::unique_ptr<SqlConnection>(std::make_unique<PostgresSql>(url));
  } catch (const std::exception& e) {
    return IoError(fmt::format("{}: run store: {}", Redacted(url), e.what()));
  }
}

}  // namespace valuepact::store::postgres
