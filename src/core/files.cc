#include "valuepact/core/files.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "valuepact/core/money.h"
#include "valuepact/core/sha256.h"

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
  Result<FileBytes> Load(const std::string& path, uint64_t max_bytes) const override {
    auto b = ReadFileStable(path, max_bytes);
    if (!b.ok()) return b.status();
    return FileBytes(std::move(*b));
  }
  Result<FileBytes> MapInPlace(const std::string& path) const override {
    if (!MapDataFiles()) return Map(path);
    auto b = MapFileStable(path);
    if (!b.ok()) return b.status();
    return FileBytes(std::move(*b));
  }
  Result<std::string> Head(const std::string& path, size_t n) const override {
    return ReadFileHead(path, n);
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

Result<std::string> FileSystem::Read(const std::string& path) const {
  auto b = Load(path, kMaxSmallFileBytes);
  if (!b.ok()) return b.status();
  return std::string(b->data());
}

Result<FileBytes> MemoryFileSystem::Load(const std::string& path, uint64_t max_bytes) const {
  const auto it = files_.find(path);
  if (it == files_.end()) {
    if (Kind(path) == FileKind::kDirectory) {
      return InvalidInput(fmt::format("{}: is a folder, not a file", path));
    }
    return NotFound(fmt::format("{}: no such file", path));
  }
  if (it->second.size() > max_bytes) {
    return InvalidInput(fmt::format("{}: {} bytes is more than the {} bytes allowed for this file",
                                    path, it->second.size(), max_bytes));
  }
  return FileBytes(it->second);
}

Result<std::string> MemoryFileSystem::Head(const std::string& path, size_t n) const {
  auto b = Load(path, kNoSizeCap);
  if (!b.ok()) return b.status();
  return std::string(b->data().substr(0, n));
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

Status ParseUnchanged(const std::vector<const FileBytes*>& files,
                      const std::function<Status()>& parse) {
  const auto unchanged = [&] {
    for (const FileBytes* f : files) {
      if (Status s = f->CheckUnchanged(); !s.ok()) return s;
    }
    return Status::Ok();
  };
  Status s;
  try {
    s = parse();
  } catch (const MoneyOverflow&) {
    if (Status changed = unchanged(); !changed.ok()) return changed;
    throw;
  }
  if (Status changed = unchanged(); !changed.ok()) return changed;
  return s;
}

void StampingFileSystem::Record(const std::string& path, const FileBytes& b) const {
  const std::string normal = fs::path(path).lexically_normal().string();
  std::string digest;
  if (hash_wanted_.count(normal)) digest = Sha256Hex(b.data());
  const std::lock_guard<std::mutex> lock(mu_);
  stamps_[path] = b.stamp();
  if (!digest.empty()) hashes_[normal] = std::move(digest);
}

Result<FileBytes> StampingFileSystem::Load(const std::string& path, uint64_t max_bytes) const {
  auto b = inner_.Load(path, max_bytes);
  if (b.ok()) Record(path, *b);
  return b;
}

Result<FileBytes> StampingFileSystem::MapInPlace(const std::string& path) const {
  auto b = inner_.MapInPlace(path);
  if (b.ok()) Record(path, *b);
  return b;
}

void StampingFileSystem::HashFully(const std::vector<std::string>& paths) {
  for (const auto& p : paths) hash_wanted_[fs::path(p).lexically_normal().string()] = "";
}

const std::string* StampingFileSystem::Sha256Of(const std::string& path) const {
  const std::lock_guard<std::mutex> lock(mu_);
  const auto it = hashes_.find(fs::path(path).lexically_normal().string());
  return it == hashes_.end() ? nullptr : &it->second;
}

const FileStamp* StampingFileSystem::StampOf(const std::string& path) const {
  const std::lock_guard<std::mutex> lock(mu_);
  const auto it = stamps_.find(path);
  return it == stamps_.end() ? nullptr : &it->second;
}

}  // namespace valuepact
