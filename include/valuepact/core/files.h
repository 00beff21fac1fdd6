#pragma once
// File access for the run loader (ARCHITECTURE §1, "Load once"): one interface with a real and
// an in-memory implementation, so tests can feed a run any file, missing folder or read error
// without touching the disk. Engines never see it; they take typed tables.
//
// Implementations are safe to use from one thread at a time; MemoryFileSystem owns its bytes.
#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "valuepact/core/file_io.h"
#include "valuepact/core/status.h"

namespace valuepact {

enum class FileKind { kMissing, kRegular, kDirectory, kOther };

// The bytes of one whole file, owned, with what the file looked like when it was read. Movable.
class FileBytes {
 public:
  FileBytes() = default;
  explicit FileBytes(FileBuffer read) : read_(std::move(read)), is_read_(true) {}
  explicit FileBytes(std::string owned) : owned_(std::move(owned)) {}
  std::string_view data() const { return is_read_ ? read_.data() : std::string_view(owned_); }
  // Size and modification time (in-memory files: the size, no time).
  FileStamp stamp() const { return is_read_ ? read_.stamp() : FileStamp{owned_.size(), 0}; }
  // FileBuffer::Release for bytes read from disk; bytes held in memory stay as they are.
  void Release(size_t begin, size_t end) {
    if (is_read_) read_.Release(begin, end);
  }
  // FileBuffer::CopyIn for bytes read from disk.
  void CopyIn(size_t end) {
    if (is_read_) read_.CopyIn(end);
  }
  // FileBuffer::CheckUnchanged for a mapped file; Ok otherwise.
  Status CheckUnchanged() const { return is_read_ ? read_.CheckUnchanged() : Status::Ok(); }
  bool mapped() const { return is_read_ && read_.mapped(); }

 private:
  FileBuffer read_;
  std::string owned_;
  bool is_read_ = false;
};

// Byte ranges of a file given back (`give`, e.g. FileBytes::Release) in runs of adjacent
// ranges of at least kRun bytes: a reader done with a chunk of about 1 MiB at a time would
// otherwise make the kernel flush every thread's cached page translations for each one. A
// range not next to the run held gives that run back first; what is held when it goes is
// given back then. Safe from any thread.
class ReleaseInRuns {
 public:
  static constexpr size_t kRun = size_t{16} << 20;
  explicit ReleaseInRuns(std::function<void(size_t, size_t)> give) : give_(std::move(give)) {}
  ReleaseInRuns(const ReleaseInRuns&) = delete;
  ReleaseInRuns& operator=(const ReleaseInRuns&) = delete;
  ~ReleaseInRuns() { Give(); }
  void Release(size_t begin, size_t end) {
    const std::lock_guard<std::mutex> lock(mu_);
    if (begin != end_) {
      Give();
      begin_ = begin;
    }
    end_ = end;
    if (end_ - begin_ >= kRun) Give();
  }

 private:
  void Give() {
    if (end_ > begin_) give_(begin_, end_);
    begin_ = end_;
  }
  std::function<void(size_t, size_t)> give_;
  std::mutex mu_;
  size_t begin_ = 0, end_ = 0;  // the run held
};

// Byte ranges given back (`give`) only once a second reader of the same bytes is past their end
// (the file's fingerprint, hashed beside the parse): a range that ends beyond what it has read
// is held until Reached passes it, then given back in file order. Safe from any thread.
class ReleaseBehind {
 public:
  explicit ReleaseBehind(std::function<void(size_t, size_t)> give) : give_(std::move(give)) {}
  void Release(size_t begin, size_t end) {
    const std::lock_guard<std::mutex> lock(mu_);
    if (end <= reached_) {
      give_(begin, end);
    } else {
      held_.emplace_back(begin, end);
    }
  }
  // The second reader is done with every byte before `at`.
  void Reached(size_t at) {
    const std::lock_guard<std::mutex> lock(mu_);
    reached_ = std::max(reached_, at);
    std::sort(held_.begin(), held_.end());
    auto kept = held_.begin();
    for (const auto& r : held_) {
      if (r.second <= reached_) {
        give_(r.first, r.second);
      } else {
        *kept++ = r;
      }
    }
    held_.erase(kept, held_.end());
  }

 private:
  std::function<void(size_t, size_t)> give_;
  std::mutex mu_;
  size_t reached_ = 0;
  std::vector<std::pair<size_t, size_t>> held_;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual FileKind Kind(const std::string& path) const = 0;
  // The whole file, at most `max_bytes`. A folder, a device, a missing or unreadable path, a
  // larger file or one that changes while it is read is an error naming it.
  virtual Result<FileBytes> Load(const std::string& path, uint64_t max_bytes) const = 0;
  // The first `n` bytes of a file (format sniffing).
  virtual Result<std::string> Head(const std::string& path, size_t n) const = 0;
  // The regular files directly in `dir`, as full paths in name order.
  virtual Result<std::vector<std::string>> List(const std::string& dir) const = 0;
  // The regular files at any depth below `dir`, full paths in name order. A folder that cannot
  // be read is an error naming it, never a shorter list.
  virtual Result<std::vector<std::string>> ListRecursive(const std::string& dir) const = 0;

  // A small file whole (contract, value sets, lists), capped at kMaxSmallFileBytes.
  Result<std::string> Read(const std::string& path) const;
  // A data file whole (claims, program data), without a size cap.
  Result<FileBytes> Map(const std::string& path) const { return Load(path, kNoSizeCap); }
  // Map, but memory-mapped where the file system and the process allow it (SetMapDataFiles):
  // the caller calls FileBytes::CheckUnchanged once it is done with the bytes, and keeps no
  // view into them past that.
  virtual Result<FileBytes> MapInPlace(const std::string& path) const { return Map(path); }
};

// Runs `parse` over bytes taken with MapInPlace, then checks that none of `files` changed
// meanwhile. A change is reported ("changed while reading", naming the file) before whatever
// the mixed bytes made `parse` say, an amount overflow included.
Status ParseUnchanged(const std::vector<const FileBytes*>& files,
                      const std::function<Status()>& parse);

// The machine's file system.
const FileSystem& RealFiles();

// Files held in memory: path -> bytes. A folder exists when a file lies under it.
class MemoryFileSystem final : public FileSystem {
 public:
  void Put(const std::string& path, std::string bytes) { files_[path] = std::move(bytes); }
  FileKind Kind(const std::string& path) const override;
  Result<FileBytes> Load(const std::string& path, uint64_t max_bytes) const override;
  Result<std::string> Head(const std::string& path, size_t n) const override;
  Result<std::vector<std::string>> List(const std::string& dir) const override;
  Result<std::vector<std::string>> ListRecursive(const std::string& dir) const override;

 private:
  std::map<std::string, std::string> files_;
};

// Passes every call to another FileSystem and remembers the stamp (size, modification time) of
// each file loaded, so a run can report what it read. Safe from several threads.
class StampingFileSystem final : public FileSystem {
 public:
  explicit StampingFileSystem(const FileSystem& inner) : inner_(inner) {}
  FileKind Kind(const std::string& path) const override { return inner_.Kind(path); }
  Result<FileBytes> Load(const std::string& path, uint64_t max_bytes) const override;
  Result<FileBytes> MapInPlace(const std::string& path) const override;
  Result<std::string> Head(const std::string& path, size_t n) const override {
    return inner_.Head(path, n);
  }
  Result<std::vector<std::string>> List(const std::string& dir) const override {
    return inner_.List(dir);
  }
  Result<std::vector<std::string>> ListRecursive(const std::string& dir) const override {
    return inner_.ListRecursive(dir);
  }
  // The stamp of the last load of `path`; null when it was not loaded.
  const FileStamp* StampOf(const std::string& path) const;
  // Also take the plain SHA-256 of these files (compared lexically normalised) when loaded.
  void HashFully(const std::vector<std::string>& paths);
  // The SHA-256 (lower-case hex) of a file named to HashFully and loaded; null otherwise.
  const std::string* Sha256Of(const std::string& path) const;

 private:
  // Remembers the stamp (and the digest, when wanted) of a file just loaded.
  void Record(const std::string& path, const FileBytes& b) const;
  const FileSystem& inner_;
  mutable std::mutex mu_;
  mutable std::map<std::string, FileStamp> stamps_;
  std::map<std::string, std::string> hash_wanted_;     // normalised path -> ""
  mutable std::map<std::string, std::string> hashes_;  // normalised path -> sha256
};

}  // namespace valuepact
