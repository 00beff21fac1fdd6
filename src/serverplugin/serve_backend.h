#pragma once
// The partnership server as a plugin (core/plugin.h): `valuepact-server.so`, built beside the
// engine from src/server/ with cpp-httplib and OpenSSL's TLS, which only `valuepact serve`
// loads. Linking cpp-httplib into the engine ran OpenSSL's TLS set-up at every command's start.

#include <cstddef>

#include "valuepact/core/status.h"
#include "valuepact/server/server.h"

namespace valuepact::server {

inline constexpr const char* kServerPlugin = "valuepact-server.so";
inline constexpr const char* kServerPluginEntry = "valuepact_server_backend";

struct ServeBackend {
  const char* engine_version;  // VALUEPACT_VERSION of the build that made the plugin
  size_t options_size;         // sizeof(ServerOptions) there
  // Serves until SIGINT or SIGTERM. `options.web_dir` "" takes DefaultWebDir() and "none" none;
  // `ready` is called once the address is bound, with the options served and the port.
  Status (*serve)(ServerOptions options, void (*ready)(const ServerOptions& options, int port));
};

}  // namespace valuepact::server
