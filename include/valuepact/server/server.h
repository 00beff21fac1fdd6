#pragma once
// The partnership server (docs/server.md): a JSON API over the run store for the parties of a
// partnership — partnerships, runs, statements, any figure's derivation, stored files — where
// each organization sees only the partnerships it is a party to, member-level rows need the PHI
// permission, and every member-level read is written to the audit log.
#include <atomic>
#include <memory>
#include <string>

#include "valuepact/core/status.h"

namespace valuepact::server {

struct ServerOptions {
  std::string store;  // run store location ("" = DefaultStoreLocation())
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: any free port
  std::string tls_cert, tls_key;
  bool insecure_bind = false;      // allow a non-loopback address without TLS
  size_t max_body = 1 << 20;       // bytes; larger requests get 413
  int requests_per_minute = 6000;  // per token (or address without one); then 429
  int threads = 32;
  // The dashboard's built files (web/, docs/dashboard.md), served at "/"; "" serves none.
  std::string web_dir;
};

// The dashboard `serve` uses when --web is not given: web/ beside the executable (the build
// folder's, where the build puts it), or "" when there is none.
std::string DefaultWebDir();

class Server {
 public:
  ~Server();
  // Checks the options (a non-loopback address needs TLS or insecure_bind) and opens the store.
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options);
  // Binds the address; the port bound (options.port, or a free one for 0).
  Result<int> Bind();
  // Serves until Stop(). Bind() first.
  void Run();
  void Stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The OpenAPI 3 description of the API (served at /api/openapi.json).
std::string OpenApiJson();

}  // namespace valuepact::server
