#pragma once
// A plain SQL connection to the run store, SQLite or PostgreSQL alike, for what is written once
// over both (the server's access control, store/access.h). Parameters are $1, $2, ... and every
// value is text; a row is its columns as text ("" for NULL).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "valuepact/core/status.h"

namespace valuepact {

using SqlRow = std::vector<std::string>;

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  // Opens `location` as RunStore::Open does (creating and migrating the schema first).
  static Result<std::unique_ptr<SqlConnection>> Open(const std::string& location);

  virtual Result<std::vector<SqlRow>> Query(const std::string& sql,
                                            const std::vector<std::string>& params = {}) = 0;
  // Runs `body` in one transaction: committed when it returns Ok, rolled back otherwise.
  virtual Status Transaction(const std::function<Status()>& body) = 0;
};

}  // namespace valuepact
