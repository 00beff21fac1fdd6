#include "valuepact/core/folder_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_group.h>
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

// What KeepWrittenFiles asked for, and the committed folders' files not taken yet.
struct Keeper {
  std::mutex mu;
  StoredForm store;
  size_t keep_bytes_below = 0;
  std::map<std::string, WrittenFolder> folders;  // by FolderKey
};

Keeper& TheKeeper() {
  static Keeper keeper;
  return keeper;
}

// A copy of the keeper's form (a writer runs it without the lock); empty while keeping is off.
StoredForm KeepingForm(size_t* keep_bytes_below) {
  Keeper& k = TheKeeper();
  const std::lock_guard<std::mutex> lock(k.mu);
  *keep_bytes_below = k.keep_bytes_below;
  return k.store;
}

std::string FolderKey(const std::string& dir) {
  std::error_code ec;
  std::string key = fs::absolute(dir, ec).lexically_normal().string();
  if (ec) key = fs::path(dir).lexically_normal().string();
  while (key.size() > 1 && key.back() == '/') key.pop_back();
  return key;
}

// Whether what is at `out` may be replaced by a new output folder: nothing, an empty folder, or
// an output folder a command wrote (every file in it listed by its manifest.json). Anything
// else — a data folder given as --out by mistake, a file, a folder with other files — is
// refused, never moved aside and deleted.
Status CheckReplaceable(const std::string& out) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(out, ec);
  if (!fs::exists(st)) return Status::Ok();
  if (fs::is_symlink(st)) {
    return InvalidInput(fmt::format("{}: is a symbolic link; not writing through it", out));
  }
  if (!fs::is_directory(st)) {
    return InvalidInput(fmt::format(
        "{}: is a file, not an output folder; not replacing it: give --out a folder's name", out));
  }
  std::set<std::string> listed = {"manifest.json"};
  if (auto bytes = ReadWholeFile((fs::path(out) / "manifest.json").string()); bytes.ok()) {
    const auto m = nlohmann::json::parse(*bytes, nullptr, false);
    if (m.is_object() && m.contains("files") && m["files"].is_array()) {
      for (const auto& f : m["files"]) {
        if (f.is_object() && f.contains("file") && f["file"].is_string()) {
          listed.insert(fs::path(f["file"].get<std::string>()).lexically_normal().string());
        }
      }
    }
  }
  for (fs::recursive_directory_iterator it(out, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) continue;
    const std::string rel = it->path().lexically_relative(out).string();
    if (listed.count(rel) == 0) {
      return InvalidInput(fmt::format(
          "{}: holds {}, which is not one of the results a valuepact command wrote there (no "
          "manifest.json lists it); not replacing the folder: give --out a new folder, or move "
          "this one away",
          out, rel));
    }
  }
  if (ec) {
    return IoError(fmt::format("{}: cannot list the folder to replace: {}", out, ec.message()));
  }
  return Status::Ok();
}

}  // namespace

std::optional<FileIdentity> IdentityOf(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  const auto ns = [](const struct timespec& t) {
    return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
  };
  return FileIdentity{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                      static_cast<uint64_t>(st.st_size), ns(st.st_mtim), ns(st.st_ctim)};
}

void KeepWrittenFiles(StoredForm store, size_t keep_bytes_below) {
  Keeper& k = TheKeeper();
  const std::lock_guard<std::mutex> lock(k.mu);
  k.store = std::move(store);
  k.keep_bytes_below = keep_bytes_below;
}

void StopKeepingWrittenFiles() {
  Keeper& k = TheKeeper();
  const std::lock_guard<std::mutex> lock(k.mu);
  k.store = nullptr;
  k.folders.clear();
}

std::optional<WrittenFolder> TakeWrittenFolder(const std::string& dir) {
  Keeper& k = TheKeeper();
  const std::lock_guard<std::mutex> lock(k.mu);
  auto it = k.folders.find(FolderKey(dir));
  if (it == k.folders.end()) return std::nullopt;
  WrittenFolder files = std::move(it->second);
  k.folders.erase(it);
  return files;
}

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
  // Refused before any file is written, and again before the rename (Commit).
  if (Status s = CheckReplaceable(w.out_); !s.ok()) return s;
  w.temp_ = fmt::format("{}.tmp-{}", w.out_, ::getpid());
  fs::remove_all(w.temp_, ec);
  if (!fs::create_directory(w.temp_, ec) || ec) {
    return IoError(
        fmt::format("{}: cannot create the folder: {}", w.temp_, ec ? ec.message() : "it exists"));
  }
  return w;
}

// The files kept on another thread while the folder's next files are written.
struct FolderWriter::KeptLater {
  tbb::task_group group;
};

FolderWriter::FolderWriter(FolderWriter&& o) noexcept
    : out_(std::move(o.out_)),
      temp_(std::move(o.temp_)),
      written_(std::move(o.written_)),
      committed_(o.committed_),
      kept_(std::move(o.kept_)),
      later_(std::move(o.later_)) {
  o.committed_ = true;  // the moved-from writer owns nothing
}

FolderWriter& FolderWriter::operator=(FolderWriter&& o) noexcept {
  WaitForKept();  // its tasks write into kept_, replaced here
  out_ = std::move(o.out_);
  temp_ = std::move(o.temp_);
  written_ = std::move(o.written_);
  committed_ = o.committed_;
  kept_ = std::move(o.kept_);
  later_ = std::move(o.later_);
  o.committed_ = true;
  return *this;
}

FolderWriter::~FolderWriter() {
  WaitForKept();
  if (committed_ || temp_.empty()) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
}

void FolderWriter::WaitForKept() noexcept {
  // The tasks catch what they throw (a file they could not keep is left unkept).
  if (later_) later_->group.wait();
}

Status FolderWriter::Write(const std::string& name, std::string_view bytes, Access access) {
  return Write(name, std::vector<std::string_view>{bytes}, access);
}

Status FolderWriter::Write(const std::string& name, const std::vector<std::string>& pieces,
                           Access access) {
  return Write(name, std::vector<std::string_view>(pieces.begin(), pieces.end()), access);
}

Status FolderWriter::Write(const std::string& name, std::vector<std::string>&& pieces,
                           Access access) {
  auto owned = std::make_shared<const std::vector<std::string>>(std::move(pieces));
  return WritePieces(name, std::vector<std::string_view>(owned->begin(), owned->end()), access,
                     owned);
}

Status FolderWriter::Write(const std::string& name, const std::vector<std::string_view>& pieces,
                           Access access) {
  return WritePieces(name, pieces, access, nullptr);
}

Result<std::string> FolderWriter::Place(const std::string& name, Access access, unsigned* mode) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    return InvalidInput(fmt::format("'{}' is not a file name", name));
  }
  *mode = 0644;
  if (access == Access::kShared) return name;
  const std::string dir = (fs::path(temp_) / kRestrictedDir).string();
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Errno(dir, "cannot create the folder");
  }
  if (::chmod(dir.c_str(), 0700) != 0) return Errno(dir, "cannot set permissions");
  *mode = 0600;
  return std::string(kRestrictedDir) + "/" + name;
}

namespace {

// `file`'s stored form (and bytes, when small) from its pieces; left without one when `store`
// fails.
void KeepFile(const StoredForm& store, size_t keep_bytes_below,
              const std::vector<std::string_view>& pieces, WrittenFile* file) {
  try {
    file->stored = store(pieces);
    if (file->size < keep_bytes_below) {
      for (const std::string_view p : pieces) file->content.append(p);
    }
  } catch (...) {
    file->stored.clear();
    file->content.clear();
  }
}

}  // namespace

Status FolderWriter::WritePieces(const std::string& name,
                                 const std::vector<std::string_view>& pieces, Access access,
                                 const std::shared_ptr<const std::vector<std::string>>& owned) {
  unsigned mode = 0644;
  auto relative = Place(name, access, &mode);
  if (!relative.ok()) return relative.status();
  if (auto again = kept_.find(*relative); again != kept_.end()) {
    WaitForKept();  // a file written again is kept again, or not at all
    kept_.erase(again);
  }
  size_t size = 0;
  for (const std::string_view p : pieces) size += p.size();
  const std::string path = (fs::path(temp_) / *relative).string();
  Status s;
  Sha256 hash;
  size_t keep_bytes_below = 0;
  const StoredForm store = KeepingForm(&keep_bytes_below);
  constexpr size_t kLarge = size_t{1} << 20;
  // A large file whose pieces this writer owns is kept on another thread while the folder's next
  // files are written (Commit waits for it); any other, here.
  const bool later = store && owned != nullptr && size >= kLarge;
  WrittenFile kept;
  kept.size = size;
  const auto write = [&] { s = WriteFile(path, pieces, mode, false); };
  const auto digest = [&] {
    for (const std::string_view p : pieces) hash.Update(p);
  };
  const auto keep = [&] {
    if (store && !later) KeepFile(store, keep_bytes_below, pieces, &kept);
  };
  // A large file (a population's members.csv) is hashed (and kept) on other threads while it is
  // written.
  if (size >= kLarge) {
    tbb::parallel_invoke(write, digest, keep);
  } else {
    write();
    digest();
    keep();
  }
  if (!s.ok()) return s;
  const std::string sha = hash.FinishHex();
  written_.emplace_back(*relative, fmt::format("{} {}", size, sha));
  if (!store || (!later && kept.stored.empty())) return Status::Ok();
  const auto identity = IdentityOf(path);
  if (!identity) return Status::Ok();
  kept.sha256 = sha;
  kept.identity = *identity;
  WrittenFile& slot = kept_.emplace(*relative, std::move(kept)).first->second;
  if (later) {
    if (!later_) later_ = std::make_unique<KeptLater>();
    later_->group.run([&slot, store, keep_bytes_below, pieces, owned] {
      KeepFile(store, keep_bytes_below, pieces, &slot);
    });
  }
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
  if (s = CheckReplaceable(out_); !s.ok()) return s;
  const bool had_old = fs::exists(fs::symlink_status(out_, ec));
  if (had_old) {
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
  WaitForKept();
  std::erase_if(kept_, [](const auto& file) { return file.second.stored.empty(); });
  if (!kept_.empty()) {
    Keeper& k = TheKeeper();
    const std::lock_guard<std::mutex> lock(k.mu);
    if (k.store) k.folders[FolderKey(out_)] = std::move(kept_);
    kept_.clear();
  }
  return Status::Ok();
}

Status CheckManifest(const std::string& dir, const ManifestFileFn& alongside,
                     WrittenFolder* written) {
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
    if (written != nullptr) {
      if (auto k = written->find(name); k != written->end()) {
        if (k->second.sha256 == f["sha256"] && IdentityOf(file_path) == k->second.identity) {
          continue;  // as this process wrote it
        }
        written->erase(k);
      }
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
