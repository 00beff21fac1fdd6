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
  // Only regular files are read: a folder, a device (/dev/zero) or a missing path is an error.
  Status RequireRegular(const std::string& path) const {
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
    return Status::Ok();
  }
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
    if (Status s = RequireRegular(path); !s.ok()) {
      return s;
    }
    return ReadWholeFile(path);
  }
  Result<FileBytes> Map(const std::string& path) const override {
    if (Status s = RequireRegular(path); !s.ok()) {
      return s;
    }
    auto m = MappedFile::Open(path);
    if (!m.ok()) return m.status();
    return FileBytes(std::move(*m));
  }
  Result<std::vector<std::string>> ListRecursive(const std::string& dir) const override {
    std::error_code ec;
    std::vector<std::string> out;
    fs::recursive_directory_iterator it(dir, ec);
    std::string at = dir;
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      at = it->path().string();
      std::error_code kind_ec;
      if (it->is_regular_file(kind_ec)) out.push_back(at);
      if (kind_ec) {
        return IoError(fmt::format("{}: cannot read: {}", at, kind_ec.message()));
      }
    }
    if (ec) {
      return IoError(
          fmt::format("{}: cannot read the folder (below {}): {}", at, dir, ec.message()));
    }
    std::sort(out.begin(), out.end());
    return out;
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

Result<FileBytes> MemoryFileSystem::Map(const std::string& path) const {
  auto bytes = Read(path);
  if (!bytes.ok()) return bytes.status();
  return FileBytes(std::move(*bytes));
}

Result<std::vector<std::string>> MemoryFileSystem::ListRecursive(const std::string& dir) const {
  if (Kind(dir) != FileKind::kDirectory) return NotFound(fmt::format("{}: no such folder", dir));
  std::vector<std::string> out;
  const std::string prefix = dir + "/";
  for (const auto& [path, bytes] : files_) {
    if (path.rfind(prefix, 0) == 0) out.push_back(path);
  }
  return out;
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
