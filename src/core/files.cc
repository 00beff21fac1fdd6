#include "valuepact/core/files.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "valuepact/core/mapped_file.h"

namespace valuepact {
namespace {

namespace fs = std::filesystem;

class RealFileSystem final : public FileSystem {
 public:
  FileKind Kind(const std::string& path) const override {
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      return FileKind::kMissing;
    }
    if (fs::is_directory(st)) {
      return FileKind::kDirectory;
    }
    return fs::is_regular_file(st) ? FileKind::kRegular : FileKind::kOther;
  }
  Result<std::string> Read(const std::string& path) const override {
    switch (Kind(path)) {
      case FileKind::kMissing:
        return NotFound(fmt::format("{}: no such file", path));
      case FileKind::kDirectory:
        return InvalidInput(fmt::format("{}: is a folder, not a file", path));
      case FileKind::kOther:
        return InvalidInput(fmt::format("{}: not a regular file", path));
      case FileKind::kRegular:
        break;
    }
    return ReadWholeFile(path);
  }
  Result<std::vector<std::string>> List(const std::string& dir) const override {
    std::error_code ec;
    std::vector<std::string> out;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code kind_ec;
      if (it->is_regular_file(kind_ec)) {
        out.push_back(it->path().string());
      }
    }
    if (ec) {
      return IoError(fmt::format("{}: cannot list the folder: {}", dir, ec.message()));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::string Parent(const std::string& path) { return fs::path(path).parent_path().string(); }

}  // namespace

const FileSystem& RealFiles() {
  static const RealFileSystem real;
  return real;
}

FileKind MemoryFileSystem::Kind(const std::string& path) const {
  if (files_.count(path)) {
    return FileKind::kRegular;
  }
  const std::string prefix = path + "/";
  const auto it = files_.lower_bound(prefix);
  return it != files_.end() && it->first.rfind(prefix, 0) == 0 ? FileKind::kDirectory
                                                               : FileKind::kMissing;
}

Result<std::string> MemoryFileSystem::Read(const std::string& path) const {
  const auto it = files_.find(path);
  if (it != files_.end()) {
    return it->second;
  }
  if (Kind(path) == FileKind::kDirectory) {
    return InvalidInput(fmt::format("{}: is a folder, not a file", path));
  }
  return NotFound(fmt::format("{}: no such file", path));
}

Result<std::vector<std::string>> MemoryFileSystem::List(const std::string& dir) const {
  if (Kind(dir) != FileKind::kDirectory) {
    return NotFound(fmt::format("{}: no such folder", dir));
  }
  std::vector<std::string> out;
  for (const auto& [path, bytes] : files_) {
    if (Parent(path) == dir) {
      out.push_back(path);
    }
  }
  return out;
}

}  // namespace valuepact
