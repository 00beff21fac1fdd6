#pragma once

// Plugins: parts of valuepact built as shared objects beside `valuepact-engine` and loaded only
// by the commands that use them, so that the libraries they bring (libpq for a PostgreSQL run
// store, cpp-httplib and OpenSSL's TLS for the server) are not loaded and set up at every start.
// A plugin uses the engine's own functions, which the engine exports.

#include <string>

#include "valuepact/core/status.h"

namespace valuepact {

// Loads `file` from beside this program's own file (the engine's, or a test's, in the build
// folder) and returns its function `entry`. An error says `what` could not be loaded, names the
// file and why (a symbol it needs and does not find is an error here, not a crash later). The
// plugin stays loaded until the process ends.
Result<void*> LoadPluginEntry(const std::string& what, const std::string& file, const char* entry);

// The error for a plugin that was loaded but does not fit this engine (`why`).
Status PluginError(const std::string& what, const std::string& file, const std::string& why);

}  // namespace valuepact
