#pragma once
// Whole-file reads that notice a file changing under them, and whole-file writes.
//
// Files are read into memory. The size and modification time are taken before and after the
// read; if either changed, or the bytes read differ from the size, the read fails with "changed
// while reading" (a copy in progress, a file being appended), so a run never settles on part of a
// file.
//
// Large claims files may instead be memory-mapped (MapFileStable), in a process that allows it
// (SetMapDataFiles): their bytes are then the page cache's, with no fresh memory to zero and no
// copy. The same check runs when the reader is done with the bytes (FileBuffer::CheckUnchanged).
// A mapped file cut short by another program while it is read would make the process fault
// (SIGBUS); the process catches that, prints which file was cut short and exits with status 3 (an
// I/O error) — before any result is written, since a file is mapped only while it is parsed.
// A reader going through a mapped file in order may have it copied into huge pages just ahead of
// it (FileBuffer::CopyIn), at the same addresses.
#include <algorithm>
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

// The bytes of one whole file, owned (read into memory, or mapped). Movable.
class FileBuffer {
 public:
  FileBuffer();
  FileBuffer(std::unique_ptr<char[]> data, size_t size, FileStamp stamp);
  FileBuffer(FileBuffer&& o) noexcept;
  FileBuffer& operator=(FileBuffer&& o) noexcept;
  FileBuffer(const FileBuffer&) = delete;
  FileBuffer& operator=(const FileBuffer&) = delete;
  ~FileBuffer();
  std::string_view data() const { return {mapped_ != nullptr ? mapped_ : data_.get(), size_}; }
  const FileStamp& stamp() const { return stamp_; }
  bool mapped() const { return mapped_ != nullptr; }
  // Lets go of the whole pages inside [begin, end): a reader calls it on bytes it is done with,
  // so that a large file is not held whole beside what was parsed from it. Read into memory,
  // the pages go back to the system and read as zero; mapped, they leave this process's
  // resident memory (the kernel's page cache keeps them) and read as the file's current bytes.
  // Either way they must not be read again.
  void Release(size_t begin, size_t end);
  // For a mapped file, once the reader is about to read up to `end` (in order from the start):
  // the bytes up to there, in whole 2 MiB pages, copied from the file (pread) into memory in
  // place of the mapped page cache. The page cache is mapped a 4 KiB page at a time, and on a
  // virtual machine reading it costs a translation miss every few kilobytes: the reader's passes
  // over the bytes ran at a tenth of their speed on the same bytes in 2 MiB pages, which the
  // copy takes once. The bytes read the same either way; a page released (Release) is the mapped
  // file's again. Nothing happens for a file read into memory, a small file, or where
  // VALUEPACT_COPY_IN=0; a copy the file cuts short leaves the mapping as it was.
  void CopyIn(size_t end);
  // For a mapped file, once the reader is done with its bytes: "changed while reading" (naming
  // the file) when its size or modification time is not what it was when it was mapped. Always
  // Ok for a file read into memory (ReadFileStable checked it then).
  Status CheckUnchanged() const;

 private:
  friend Result<FileBuffer> MapFileStable(const std::string& path);
  void Unmap();
  struct Copied;  // what CopyIn copied and Release gave back since
  void MapFileAgain(size_t at, size_t len);
  void ReleaseCopied(size_t begin, size_t end);
  std::unique_ptr<Copied> copied_;
  std::unique_ptr<char[]> data_;
  char* mapped_ = nullptr;
  int fd_ = -1;      // a mapped file's descriptor, kept for CheckUnchanged
  int region_ = -1;  // its slot among the mappings the SIGBUS handler knows
  std::string path_;
  size_t size_ = 0;
  FileStamp stamp_;
};

// While one of these is alive, the 2 MiB pages copied-in files give back (FileBuffer::CopyIn)
// are kept, up to 64 MiB of them, for the copies of the files read after: a reader of a folder
// holds one while it reads the folder's files one after another, so that only its first file
// copies into pages the kernel zeroes first. A copied-in file holds one itself, so that its own
// pages are reused from its start to its end. The kept pages go back to the system when the
// last one ends.
class CopyInPages {
 public:
  CopyInPages();
  ~CopyInPages();
  CopyInPages(const CopyInPages&) = delete;
  CopyInPages& operator=(const CopyInPages&) = delete;
  // How many pages are kept now, for tests.
  static size_t Kept();
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

// Whether this process maps large data files (MapFileStable) instead of reading them. Off
// unless set: the command-line tool turns it on for its one-run commands (a SIGBUS on a file cut
// short ends the process, which a long-lived server must not risk). Turning it on installs the
// SIGBUS handler.
void SetMapDataFiles(bool on);
bool MapDataFiles();

// The regular file at `path` memory-mapped read-only (an empty file: an empty buffer). Errors as
// ReadFileStable's; the reader calls CheckUnchanged when it is done with the bytes.
Result<FileBuffer> MapFileStable(const std::string& path);

// ReadFileStable as a string, capped at kMaxSmallFileBytes unless told otherwise.
Result<std::string> ReadWholeFile(const std::string& path, uint64_t max_bytes = kMaxSmallFileBytes);

// The first `n` bytes of a regular file (format sniffing), without reading the rest.
Result<std::string> ReadFileHead(const std::string& path, size_t n);

// Asks the kernel to map the pages under `bytes` into this process now (MADV_POPULATE_READ), as
// a reader about to read them does: for a mapped file, one call instead of a page fault every
// few pages, taken on the caller's thread. Only a hint: where the kernel cannot (before Linux
// 5.14) or the pages are gone (a file cut short), nothing happens, and reading the bytes behaves
// as it would have.
void MapInAhead(std::string_view bytes);

// Writes `data` to `path` (created with `mode`, exactly; never through a symbolic link), checking
// every write and the close.
Status WriteWholeFile(const std::string& path, std::string_view data, unsigned mode = 0644);

// A file fingerprint that hashes 4 MiB blocks in parallel, then hashes the block digests in
// order: deterministic for the bytes, independent of thread count.
std::string FingerprintBytes(std::string_view data);

// FingerprintBytes in two steps, for processes that each hash some of the blocks: the digests
// (32 bytes each, one after another) of blocks [first, last) of `data`, then the fingerprint
// of data of `size` bytes from all its blocks' digests in order.
inline constexpr size_t kFingerprintBlock = size_t{4} << 20;
size_t FingerprintBlocks(size_t size);
std::string BlockDigests(std::string_view data, size_t first, size_t last);
std::string FingerprintFromDigests(size_t size, std::string_view digests);

// FingerprintBytes of data read from start to end a part at a time: HashTo(end) hashes the
// blocks wholly before `end` not hashed yet, in whole groups of kSha256Lanes, which are hashed
// together (all of them when `end` is the data's end), so that each block is hashed while its
// pages are in memory for the reader.
class Fingerprinter {
 public:
  explicit Fingerprinter(std::string_view data) : data_(data) {}
  void HashTo(size_t end);
  std::string Finish();  // hashes what is left and gives the fingerprint
  // The bytes hashed so far run from the start to here.
  size_t hashed_to() const { return std::min(hashed_ * kFingerprintBlock, data_.size()); }

 private:
  std::string_view data_;
  size_t hashed_ = 0;  // blocks
  std::string digests_;
};

}  // namespace valuepact
