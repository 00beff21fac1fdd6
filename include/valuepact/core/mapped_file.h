#pragma once
// A read-only memory map of a whole file (empty files map to an empty view).
#include <string>
#include <string_view>

#include "valuepact/core/status.h"

namespace valuepact {

class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&& o) noexcept;
  ~MappedFile();

  static Result<MappedFile> Open(const std::string& path);
  std::string_view data() const { return {static_cast<const char*>(addr_), size_}; }
  const std::string& path() const { return path_; }

 private:
  void* addr_ = nullptr;
  size_t size_ = 0;
  std::string path_;
};

// A file fingerprint that hashes 4 MiB blocks in parallel, then hashes the block digests in
// order: deterministic for the bytes, independent of thread count.
std::string FingerprintBytes(std::string_view data);

Result<std::string> ReadWholeFile(const std::string& path);
Status WriteWholeFile(const std::string& path, std::string_view data);

}  // namespace valuepact
