// valuepact-server.so: the partnership server, loaded by `valuepact serve` (serve_backend.h).
#include <csignal>

#include "serverplugin/serve_backend.h"

namespace valuepact::server {
namespace {

Server* g_server = nullptr;

void OnSignal(int /*signal*/) {
  if (g_server != nullptr) g_server->Stop();
}

Status Serve(ServerOptions o, void (*ready)(const ServerOptions& options, int port)) {
  if (o.web_dir.empty()) o.web_dir = DefaultWebDir();
  if (o.web_dir == "none") o.web_dir.clear();
  auto s = Server::Create(o);
  if (!s.ok()) return s.status();
  auto port = (*s)->Bind();
  if (!port.ok()) return port.status();
  g_server = s->get();
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  ready(o, *port);
  (*s)->Run();
  g_server = nullptr;
  return Status::Ok();
}

}  // namespace
}  // namespace valuepact::server

extern "C" __attribute__((visibility("default"))) const valuepact::server::ServeBackend*
valuepact_server_backend() {
  using namespace valuepact::server;
  static const ServeBackend backend{VALUEPACT_VERSION, sizeof(ServerOptions), &Serve};
  return &backend;
}
