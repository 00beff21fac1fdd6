#pragma once
// Writes an output folder so that a reader only ever sees a complete one (issue: a kill during a
// write left a new summary.json beside an old statement). Files go into a temporary sibling
// folder, each written, flushed and synced; manifest.json (every file with its size and sha256)
// is written last; then the folder is renamed into place, the previous one (if any) kept aside
// until the rename succeeded. Readers (`explain`, the run store) require manifest.json.
//
// One writer per output folder at a time; not thread-safe.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "valuepact/core/status.h"

namespace valuepact {

class FolderWriter {
 public:
  // Creates the temporary sibling of `out_dir` (its parent folder is created when missing).
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
  // Waits until every file written is on disk, writes manifest.json, then the rename.
  Status Commit();

  const std::string& temp_dir() const { return temp_; }

 private:
  FolderWriter() = default;
  std::string out_;
  std::string temp_;
  std::vector<std::pair<std::string, std::string>> written_;  // name, "size sha256"
  bool committed_ = false;
};

// A complete output folder has manifest.json and every file it lists, unchanged. Files under
// restricted/ that the caller may not read are not checked (another user of a shared folder).
// `alongside`, when given, is called with each checked file's name and bytes while they are
// hashed, on another thread (one file at a time), so that a caller that needs the bytes (the
// run store, which compresses them) does not read and hash them again. What it made of a file
// that then fails its check is the caller's to discard.
using ManifestFileFn = std::function<void(const std::string& name, std::string_view bytes)>;
Status CheckManifest(const std::string& dir, const ManifestFileFn& alongside = {});

// The subfolder of an output folder that holds member-level files.
inline constexpr const char* kRestrictedDir = "restricted";

// Writes `bytes` to `path` (created with `mode`, never through a symbolic link) and syncs it to
// disk; every error (open, write, flush, close) is reported with the path.
Status WriteFileSynced(const std::string& path, std::string_view bytes, unsigned mode = 0644);

}  // namespace valuepact
