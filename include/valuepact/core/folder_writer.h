#pragma once
// Writes an output folder so that a reader only ever sees a complete one (issue: a kill during a
// write left a new summary.json beside an old statement). Files go into a temporary sibling
// folder, each written, flushed and synced; manifest.json (every file with its size and sha256)
// is written last; then the folder is renamed into place, the previous one (if any) kept aside
// until the rename succeeded. Readers (`explain`, the run store) require manifest.json.
//
// One writer per output folder at a time; not thread-safe.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "valuepact/core/status.h"

namespace valuepact {

// A file on disk as it is now: its device, inode, size, and modification and status-change
// times. Writing, truncating or replacing the file (a rename over it) changes it; the
// status-change time is the kernel's own, which no program can set back.
struct FileIdentity {
  uint64_t device = 0, inode = 0, size = 0;
  int64_t modified_ns = 0, changed_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};
// The identity of `path` (not followed when a symbolic link); nullopt when it cannot be read.
std::optional<FileIdentity> IdentityOf(const std::string& path);

// What a writer kept of a file it wrote, while KeepWrittenFiles is on.
struct WrittenFile {
  uint64_t size = 0;
  std::string sha256;     // hex, as in the manifest
  std::string stored;     // the bytes as KeepWrittenFiles' `store` gives them
  std::string content;    // the bytes themselves, when fewer than its `keep_bytes_below`
  FileIdentity identity;  // just after the write
};
// A committed folder's files, by their paths inside it (restricted/members.csv).
using WrittenFolder = std::map<std::string, WrittenFile>;

class FolderWriter {
 public:
  // Creates the temporary sibling of `out_dir` (its parent folder is created when missing).
  // An `out_dir` that exists is replaced at Commit only when it is an empty folder or an
  // output folder a command wrote (every file in it listed by its manifest.json); a file, a
  // symbolic link or a folder holding anything else (a data folder given as --out) is refused
  // here and again at Commit, and never deleted.
  static Result<FolderWriter> Begin(const std::string& out_dir);
  FolderWriter(FolderWriter&&) noexcept;
  FolderWriter& operator=(FolderWriter&&) noexcept;
  FolderWriter(const FolderWriter&) = delete;
  FolderWriter& operator=(const FolderWriter&) = delete;
  // Removes the temporary folder unless Commit() succeeded.
  ~FolderWriter();

  // Who may read a file: anyone who may read the folder, or only the owner. Restricted files
  // (member-level: members.csv, rejects.csv, member trace nodes) go to the folder's
  // `restricted/` subfolder, created 0700, each file 0600.
  enum class Access { kShared, kRestricted };
  // `name` is a plain file name inside the folder (or inside restricted/). The file's write to
  // disk starts here; Commit waits for it.
  Status Write(const std::string& name, std::string_view bytes, Access access = Access::kShared);
  // The same, the file being the pieces one after another (a large file made in parts in
  // parallel is written without joining them first).
  Status Write(const std::string& name, const std::vector<std::string>& pieces,
               Access access = Access::kShared);
  Status Write(const std::string& name, const std::vector<std::string_view>& pieces,
               Access access = Access::kShared);
  // The same, the writer owning the pieces: while the run store keeps files (KeepWrittenFiles),
  // a large file is kept on another thread as the folder's next files are written.
  Status Write(const std::string& name, std::vector<std::string>&& pieces,
               Access access = Access::kShared);
  // Waits until every file written is on disk, writes manifest.json, then the rename; then
  // leaves the kept files for TakeWrittenFolder.
  Status Commit();

  const std::string& temp_dir() const { return temp_; }

 private:
  struct KeptLater;
  FolderWriter() = default;
  // The file's path inside the folder (creating restricted/ for a restricted one) and its mode.
  Result<std::string> Place(const std::string& name, Access access, unsigned* mode);
  Status WritePieces(const std::string& name, const std::vector<std::string_view>& pieces,
                     Access access, const std::shared_ptr<const std::vector<std::string>>& owned);
  void WaitForKept() noexcept;
  std::string out_;
  std::string temp_;
  std::vector<std::pair<std::string, std::string>> written_;  // name, "size sha256"
  bool committed_ = false;
  WrittenFolder kept_;                // while KeepWrittenFiles is on
  std::unique_ptr<KeptLater> later_;  // kept on another thread
};

// From now on, every FolderWriter of this process keeps each file it writes as `store` gives it
// (run beside the write and the hash, on other threads), and once it commits, leaves the
// folder's files for TakeWrittenFolder: so that the run store, recording the folder right after
// the command wrote it, does not read, hash and compress every file again (a million members'
// members.csv took a quarter of a second). Off by default; StopKeepingWrittenFiles turns it off
// and forgets what was kept.
// `store` gets the file as the pieces it was written in, one after another.
using StoredForm = std::function<std::string(const std::vector<std::string_view>& pieces)>;
void KeepWrittenFiles(StoredForm store, size_t keep_bytes_below);
void StopKeepingWrittenFiles();
// The files this process wrote into `dir` and committed, taken (asked again: nullopt); nullopt
// when none were kept.
std::optional<WrittenFolder> TakeWrittenFolder(const std::string& dir);

// A complete output folder has manifest.json and every file it lists, unchanged. Files under
// restricted/ that the caller may not read are not checked (another user of a shared folder).
// `alongside`, when given, is called with each checked file's name and bytes while they are
// hashed, on another thread (one file at a time), so that a caller that needs the bytes (the
// run store, which compresses them) does not read and hash them again. What it made of a file
// that then fails its check is the caller's to discard.
// `written`, when given (TakeWrittenFolder): a file in it whose identity is still the one taken
// after its write, and whose hash there is the manifest's, passes without being read (nor given
// to `alongside`); any other entry is removed from `written`, and its file checked as any other.
using ManifestFileFn = std::function<void(const std::string& name, std::string_view bytes)>;
Status CheckManifest(const std::string& dir, const ManifestFileFn& alongside = {},
                     WrittenFolder* written = nullptr);

// The subfolder of an output folder that holds member-level files.
inline constexpr const char* kRestrictedDir = "restricted";

// Writes `bytes` to `path` (created with `mode`, never through a symbolic link) and syncs it to
// disk; every error (open, write, flush, close) is reported with the path.
Status WriteFileSynced(const std::string& path, std::string_view bytes, unsigned mode = 0644);

}  // namespace valuepact
