#include "valuepact/core/plugin.h"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace valuepact {

namespace fs = std::filesystem;

Status PluginError(const std::string& what, const std::string& file, const std::string& why) {
  return IoError(fmt::format(
      "{}: {} (the plugin {} is built with valuepact, beside valuepact-engine; `make build` "
      "makes it again)",
      what, why, file));
}

Result<void*> LoadPluginEntry(const std::string& what, const std::string& file, const char* entry) {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const std::string path = ((ec ? fs::path(".") : exe.parent_path()) / file).string();
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) return PluginError(what, file, ::dlerror());  // names the file and why
  void* fn = ::dlsym(handle, entry);
  if (fn == nullptr) return PluginError(what, file, fmt::format("{}: no {} in it", path, entry));
  return fn;
}

}  // namespace valuepact
