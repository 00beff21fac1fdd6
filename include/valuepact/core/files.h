#pragma once
// File access for the run loader (ARCHITECTURE §1, "Load once"): one interface with a real and
// an in-memory implementation, so tests can feed a run any file, missing folder or read error
// without touching the disk. Engines never see it; they take typed tables.
//
// Implementations are safe to use from one thread at a time; MemoryFileSystem owns its bytes.
#include <map>
#include <string>
#include <vector>

#include "valuepact/core/mapped_file.h"
#include "valuepact/core/status.h"

namespace valuepact {

enum class FileKind { kMissing, kRegular, kDirectory, kOther };

// The bytes of one file: a memory map of a real file, or bytes held in memory. Movable.
class FileBytes {
 public:
  FileBytes() = default;
  explicit FileBytes(MappedFile mapped) : mapped_(std::move(mapped)), is_mapped_(true) {}
  explicit FileBytes(std::string owned) : owned_(std::move(owned)) {}
  std::string_view data() const { return is_mapped_ ? mapped_.data() : std::string_view(owned_); }

 private:
  MappedFile mapped_;
  std::string owned_;
  bool is_mapped_ = false;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual FileKind Kind(const std::string& path) const = 0;
  // The whole file; a folder, a missing or an unreadable path is an error naming it.
  virtual Result<std::string> Read(const std::string& path) const = 0;
  // The whole file without copying it where the system allows (large claims files).
  virtual Result<FileBytes> Map(const std::string& path) const = 0;
  // The regular files directly in `dir`, as full paths in name order.
  virtual Result<std::vector<std::string>> List(const std::string& dir) const = 0;
  // The regular files at any depth below `dir`, full paths in name order. A folder that cannot
  // be read is an error naming it, never a shorter list.
  virtual Result<std::vector<std::string>> ListRecursive(const std::string& dir) const = 0;
};

// The machine's file system.
const FileSystem& RealFiles();

// Files held in memory: path -> bytes. A folder exists when a file lies under it.
class MemoryFileSystem final : public FileSystem {
 public:
  void Put(const std::string& path, std::string bytes) { files_[path] = std::move(bytes); }
  FileKind Kind(const std::string& path) const override;
  Result<std::string> Read(const std::string& path) const override;
  Result<FileBytes> Map(const std::string& path) const override;
  Result<std::vector<std::string>> List(const std::string& dir) const override;
  Result<std::vector<std::string>> ListRecursive(const std::string& dir) const override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace valuepact
