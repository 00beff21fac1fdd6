#include "valuepact/core/folder_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <tbb/parallel_invoke.h>
#include <nlohmann/json.hpp>

#include "valuepact/core/file_io.h"
#include "valuepact/core/sha256.h"

namespace valuepact {
namespace {

namespace fs = std::filesystem;

Status Errno(const std::string& path, const char* what) {
  return IoError(fmt::format("{}: {}: {}", path, what, std::strerror(errno)));
}

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Errno(dir, "cannot open the folder to sync it");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Errno(dir, "cannot sync the folder");
  return Status::Ok();
}

// Writes the pieces, in order, to `path` (created with `mode`, never through a symbolic link).
// With `sync` the file is on disk when this returns; without, its write-back has started, and
// SyncFile waits for it later.
Status WriteFile(const std::string& path, const std::vector<std::string_view>& pieces,
                 unsigned mode, bool sync) {
  // O_NOFOLLOW: a symbolic link planted at the path is not followed.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                        static_cast<mode_t>(mode));
  if (fd < 0) return Errno(path, "cannot write");
  for (const std::string_view bytes : pieces) {
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        Status s = Errno(path, "write failed");
        ::close(fd);
        return s;
      }
      done += static_cast<size_t>(n);
    }
  }
  // The mode is exact whatever the umask (0600 must not become 0644, nor 0644 0600).
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) {
    Status s = Errno(path, "cannot set permissions");
    ::close(fd);
    return s;
  }
  // Without `sync`, the disk starts writing now (no wait) and SyncFile finds the work done or
  // under way: a folder's files are written out together instead of one wait after another.
  // A failure to start is no error; the later fsync reports any.
  const int rc = sync ? ::fsync(fd) : ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  if (sync && rc != 0) {
    Status s = Errno(path, "cannot sync");
    ::close(fd);
    return s;
  }
  if (::close(fd) != 0) return Errno(path, "close failed");
  return Status::Ok();
}

// Waits until a file written by WriteFile without `sync` is on disk; reports a write-back error.
Status SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Errno(path, "cannot open the file to sync it");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Errno(path, "cannot sync");
  return Status::Ok();
}

}  // namespace

Status WriteFileSynced(const std::string& path, std::string_view bytes, unsigned mode) {
  return WriteFile(path, {bytes}, mode, true);
}

Result<FolderWriter> FolderWriter::Begin(const std::string& out_dir) {
  FolderWriter w;
  w.out_ = fs::path(out_dir).lexically_normal().string();
  if (!w.out_.empty() && w.out_.back() == '/') w.out_.pop_back();
  const fs::path parent = fs::path(w.out_).parent_path();
  std::error_code ec;
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) {
      return IoError(
          fmt::format("{}: cannot create the folder: {}", parent.string(), ec.message()));
    }
  }
  w.temp_ = fmt::format("{}.tmp-{}", w.out_, ::getpid());
  fs::remove_all(w.temp_, ec);
  if (!fs::create_directory(w.temp_, ec) || ec) {
    return IoError(
        fmt::format("{}: cannot create the folder: {}", w.temp_, ec ? ec.message() : "it exists"));
  }
  return w;
}

FolderWriter::FolderWriter(FolderWriter&& o) noexcept
    : out_(std::move(o.out_)),
      temp_(std::move(o.temp_)),
      written_(std::move(o.written_)),
      committed_(o.committed_) {
  o.committed_ = true;  // the moved-from writer owns nothing
}

FolderWriter& FolderWriter::operator=(FolderWriter&& o) noexcept {
  out_ = std::move(o.out_);
  temp_ = std::move(o.temp_);
  written_ = std::move(o.written_);
  committed_ = o.committed_;
  o.committed_ = true;
  return *this;
}

FolderWriter::~FolderWriter() {
  if (committed_ || temp_.empty()) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
}

Status FolderWriter::Write(const std::string& name, std::string_view bytes, Access access) {
  return Write(name, std::vector<std::string_view>{bytes}, access);
}

Status FolderWriter::Write(const std::string& name, const std::vector<std::string>& pieces,
                           Access access) {
  return Write(name, std::vector<std::string_view>(pieces.begin(), pieces.end()), access);
}

Status FolderWriter::Write(const std::string& name, const std::vector<std::string_view>& pieces,
                           Access access) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    return InvalidInput(fmt::format("'{}' is not a file name", name));
  }
  std::string relative = name;
  unsigned mode = 0644;
  if (access == Access::kRestricted) {
    const std::string dir = (fs::path(temp_) / kRestrictedDir).string();
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return Errno(dir, "cannot create the folder");
    }
    if (::chmod(dir.c_str(), 0700) != 0) return Errno(dir, "cannot set permissions");
    relative = std::string(kRestrictedDir) + "/" + name;
    mode = 0600;
  }
  size_t size = 0;
  for (const std::string_view p : pieces) size += p.size();
  Status s;
  Sha256 hash;
  const auto write = [&] {
    s = WriteFile((fs::path(temp_) / relative).string(), pieces, mode, false);
  };
  const auto digest = [&] {
    for (const std::string_view p : pieces) hash.Update(p);
  };
  // A large file (a population's members.csv) is hashed on another thread while it is written.
  constexpr size_t kLarge = size_t{1} << 20;
  if (size >= kLarge) {
    tbb::parallel_invoke(write, digest);
  } else {
    write();
    digest();
  }
  if (!s.ok()) return s;
  written_.emplace_back(relative, fmt::format("{} {}", size, hash.FinishHex()));
  return Status::Ok();
}

Status FolderWriter::Commit() {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& [name, size_hash] : written_) {
    const size_t space = size_hash.find(' ');
    files.push_back({{"file", name},
                     {"bytes", std::stoull(size_hash.substr(0, space))},
                     {"sha256", size_hash.substr(space + 1)}});
  }
  nlohmann::ordered_json manifest;
  manifest["files"] = files;
  // Every file on disk before the manifest that lists them, and the manifest before the rename.
  for (const auto& [name, size_hash] : written_) {
    if (Status s = SyncFile((fs::path(temp_) / name).string()); !s.ok()) return s;
  }
  Status s = WriteFileSynced((fs::path(temp_) / "manifest.json").string(), manifest.dump(2) + "\n");
  if (!s.ok()) return s;
  if (std::error_code restricted_ec; fs::exists(fs::path(temp_) / kRestrictedDir, restricted_ec)) {
    if (s = SyncDirectory((fs::path(temp_) / kRestrictedDir).string()); !s.ok()) return s;
  }
  if (s = SyncDirectory(temp_); !s.ok()) return s;
  std::error_code ec;
  // The previous folder stays until the new one is in place.
  const std::string aside = fmt::format("{}.old-{}", out_, ::getpid());
  const bool had_old = fs::exists(fs::symlink_status(out_, ec));
  if (had_old) {
    if (fs::is_symlink(fs::symlink_status(out_, ec))) {
      return InvalidInput(fmt::format("{}: is a symbolic link; not writing through it", out_));
    }
    fs::rename(out_, aside, ec);
    if (ec) {
      return IoError(
          fmt::format("{}: cannot move the previous results aside: {}", out_, ec.message()));
    }
  }
  fs::rename(temp_, out_, ec);
  if (ec) {
    std::error_code back;
    if (had_old) fs::rename(aside, out_, back);
    return IoError(fmt::format("{}: cannot put the results in place: {}", out_, ec.message()));
  }
  committed_ = true;
  const fs::path parent = fs::path(out_).parent_path();
  if (s = SyncDirectory(parent.empty() ? "." : parent.string()); !s.ok()) return s;
  if (had_old) fs::remove_all(aside, ec);
  return Status::Ok();
}

Status CheckManifest(const std::string& dir, const ManifestFileFn& alongside) {
  const std::string path = (fs::path(dir) / "manifest.json").string();
  if (std::error_code ec; !fs::is_directory(dir, ec)) {
    return NotFound(fmt::format("{}: no such folder (an output folder a command wrote)", dir));
  }
  auto bytes = ReadWholeFile(path);
  if (!bytes.ok()) {
    return InvalidInput(fmt::format(
        "{}: no manifest.json: not a complete output folder (written by an older version, or "
        "the run was interrupted)",
        dir));
  }
  const auto m = nlohmann::json::parse(*bytes, nullptr, false);
  if (!m.is_object() || !m.contains("files") || !m["files"].is_array()) {
    return InvalidInput(fmt::format("{}: manifest.json is not valid", dir));
  }
  for (const auto& f : m["files"]) {
    if (!f.is_object() || !f.contains("file") || !f["file"].is_string() || !f.contains("sha256")) {
      return InvalidInput(fmt::format("{}: manifest.json is not valid", dir));
    }
    const std::string name = f["file"].get<std::string>();
    const fs::path rel = fs::path(name).lexically_normal();
    if (rel.empty() || rel.is_absolute() || *rel.begin() == "..") {
      return InvalidInput(fmt::format("{}: manifest.json names a file outside the folder", dir));
    }
    const std::string file_path = (fs::path(dir) / rel).string();
    std::error_code exists_ec;
    if (name.rfind(std::string(kRestrictedDir) + "/", 0) == 0 && fs::exists(file_path, exists_ec) &&
        ::access(file_path.c_str(), R_OK) != 0) {
      continue;  // restricted to the run's owner
    }
    // Mapped where the process maps data files (the command-line tool): a million members'
    // members.csv is then hashed and handed on from the page cache, not copied twice first.
    // No size cap: the files are the run's own, and the hash finds any other.
    auto read = MapDataFiles() ? MapFileStable(file_path) : ReadFileStable(file_path, kNoSizeCap);
    if (!read.ok()) {
      return InvalidInput(
          fmt::format("{}: {} is missing ({})", dir, name, read.status().message()));
    }
    const std::string_view content = read->data();
    std::string digest;
    if (alongside) {
      tbb::parallel_invoke([&] { digest = Sha256Hex(content); }, [&] { alongside(name, content); });
    } else {
      digest = Sha256Hex(content);
    }
    if (digest != f["sha256"] || !read->CheckUnchanged().ok()) {
      return InvalidInput(fmt::format("{}: {} was changed after the run wrote it", dir, name));
    }
  }
  return Status::Ok();
}

}  // namespace valuepact
