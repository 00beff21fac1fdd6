#pragma once
// Whole-file reads that notice a file changing under them, and whole-file writes.
//
// Files are read into memory, never memory-mapped: a file that shrinks while it is read gives an
// error, not SIGBUS. The size and modification time are taken before and after the read; if
// either changed, or the bytes read differ from the size, the read fails with "changed while
// reading" (a copy in progress, a file being appended), so a run never settles on part of a file.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "valuepact/core/status.h"

namespace valuepact {

// What a file looked like when it was read.
struct FileStamp {
  uint64_t size = 0;
  int64_t modified_ns = 0;  // modification time, ns since 1970-01-01 UTC; 0 when unknown
};

// "2026-11-30T21:04:14.123456789Z", or "" when the time is unknown.
std::string FormatModified(int64_t modified_ns);

// The bytes of one whole file, owned. Movable.
class FileBuffer {
 public:
  FileBuffer() = default;
  FileBuffer(std::unique_ptr<char[]> data, size_t size, FileStamp stamp)
      : data_(std::move(data)), size_(size), stamp_(stamp) {}
  std::string_view data() const { return {data_.get(), size_}; }
  const FileStamp& stamp() const { return stamp_; }
  // Gives the memory of the whole pages inside [begin, end) back to the system: a reader calls
  // it on bytes it is done with, so that a large file is not held whole beside what was parsed
  // from it. Those bytes must not be read again (they read as zero).
  void Release(size_t begin, size_t end);

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  FileStamp stamp_;
};

// The cap on files read whole that are not claims data (contracts, value sets, attribution
// lists, reference tables, trace.json): a device or a runaway file is an error, not an
// out-of-memory kill.
inline constexpr uint64_t kMaxSmallFileBytes = uint64_t{1} << 30;  // 1 GiB
// No cap beyond the memory the machine has (claims files).
inline constexpr uint64_t kNoSizeCap = UINT64_MAX;

// Reads the regular file at `path` whole. Errors (each naming the path): not a regular file
// (folder, device, pipe), larger than `max_bytes`, unreadable, or changed while reading.
// `after_read` runs between the last read and the final check (a test hook; may be empty).
Result<FileBuffer> ReadFileStable(const std::string& path, uint64_t max_bytes,
                                  const std::function<void()>& after_read = {});

// ReadFileStable as a string, capped at kMaxSmallFileBytes unless told otherwise.
Result<std::string> ReadWholeFile(const std::string& path, uint64_t max_bytes = kMaxSmallFileBytes);

// The first `n` bytes of a regular file (format sniffing), without reading the rest.
Result<std::string> ReadFileHead(const std::string& path, size_t n);

// Writes `data` to `path` (created with `mode`, exactly; never through a symbolic link), checking
// every write and the close.
Status WriteWholeFile(const std::string& path, std::string_view data, unsigned mode = 0644);

// A file fingerprint that hashes 4 MiB blocks in parallel, then hashes the block digests in
// order: deterministic for the bytes, independent of thread count.
std::string FingerprintBytes(std::string_view data);

}  // namespace valuepact
