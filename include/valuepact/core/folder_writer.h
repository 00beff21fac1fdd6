#pragma once
// Writes an output folder so that a reader only ever sees a complete one (issue: a kill during a
// write left a new summary.json beside an old statement). Files go into a temporary sibling
// folder, each written, flushed and synced; manifest.json (every file with its size and sha256)
// is written last; then the folder is renamed into place, the previous one (if any) kept aside
// until the rename succeeded. Readers (`explain`, the run store) require manifest.json.
//
// One writer per output folder at a time; not thread-safe.
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

  // `name` is a plain file name inside the folder.
  Status Write(const std::string& name, std::string_view bytes);
  // manifest.json, then the rename.
  Status Commit();

  const std::string& temp_dir() const { return temp_; }

 private:
  FolderWriter() = default;
  std::string out_;
  std::string temp_;
  std::vector<std::pair<std::string, std::string>> written_;  // name, "size sha256"
  bool committed_ = false;
};

// A complete output folder has manifest.json and every file it lists, unchanged.
Status CheckManifest(const std::string& dir);

// Writes `bytes` to `path` and syncs it to disk; every error (open, write, flush, close) is
// reported with the path.
Status WriteFileSynced(const std::string& path, std::string_view bytes);

}  // namespace valuepact
