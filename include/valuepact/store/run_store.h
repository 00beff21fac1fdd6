#pragma once
// The run store (docs/run-store.md): every run of every command is kept, never overwritten — its
// run id, command, contract id, version and hash, the input and reference-table hashes, the
// engine version, who ran it and when, its summary, and every file it wrote (trace, statement,
// member-level files), compressed. SQLite by default (one file, WAL, one transaction per run);
// PostgreSQL with a postgresql:// location. Both keep a schema_version table and migrate an
// older store when they open it.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/core/status.h"

namespace valuepact {

// A file a run wrote, as its output folder's manifest lists it (path relative to the folder).
struct RunFile {
  std::string path;
  bool restricted = false;  // under restricted/: member-level
  std::string sha256;
  int64_t size = 0;
  std::string content;  // empty unless asked for
  // The content as the store keeps it (a zstd frame), when the caller compressed it already
  // (RecordFromFolder, while it checks the file); else the store compresses `content`.
  std::string stored;
};

// bugprone-exception-escape sees through nlohmann::json's noexcept move into its invariant
// check, which asserts and never throws.
struct RunRecord {        // NOLINT(bugprone-exception-escape)
  int64_t record_id = 0;  // assigned by the store, in recording order
  std::string run_id;
  std::string command;  // settle, metrics, episodes, ...
  std::string contract_id;
  std::string contract_version;  // [contract] version, else the first 12 hex of its hash
  std::string contract_sha256;   // of the contract file ("" when the command had none)
  std::string data_sha256;       // of the data inputs' hashes, in order
  std::string refdata_sha256;    // of the reference tables' and value sets' hashes
  std::string engine_version;
  std::string period_start, period_end;
  std::string net_payer_to_provider;  // "" for a command that pays nothing
  std::string out_dir;
  std::string user;         // who ran it
  std::string recorded_at;  // UTC, ISO 8601 with milliseconds
  nlohmann::ordered_json summary;
  std::vector<RunFile> files;
};

struct RunFilter {
  std::string contract_id;  // "" = every contract
  std::string command;      // "" = every command
  std::string run_id;       // "" = every run; else a prefix
};

class RunStore {
 public:
  virtual ~RunStore() = default;
  // A SQLite file path (or sqlite:PATH), or a postgresql:// (postgres://) connection URL.
  // Creates and migrates the schema as needed.
  static Result<std::unique_ptr<RunStore>> Open(const std::string& location);

  // Keeps the run (with its files) in one transaction: a run killed while it is written leaves
  // nothing. Sets record_id and recorded_at.
  virtual Status Record(RunRecord* run) = 0;
  // Matching records, oldest first, without their files' contents.
  virtual Result<std::vector<RunRecord>> List(const RunFilter& filter) = 0;
  // The latest record of a run id (or a unique prefix of one), or "#N" for record N; with the
  // files' contents when `with_contents`.
  virtual Result<RunRecord> Get(const std::string& id, bool with_contents) = 0;
  virtual int schema_version() const = 0;
  const std::string& location() const { return location_; }

 protected:
  explicit RunStore(std::string location) : location_(std::move(location)) {}

 private:
  std::string location_;
};

// For commands that only read a store (runs, compare): a SQLite store that does not exist yet is
// an error naming it, never a new empty store. A PostgreSQL location is left to the connection.
Status StoreMustExist(const std::string& location);

// The store a command uses when none is given: $VALUEPACT_STORE, else
// $XDG_DATA_HOME/valuepact/runs.sqlite, else ~/.local/share/valuepact/runs.sqlite.
std::string DefaultStoreLocation();

// The record of an output folder a command wrote: its manifest.json, summary.json and every file
// the manifest lists, each compressed as the store keeps it (`stored`), with its `content` too
// when it is under 1 MiB (a larger one, a population's members.csv, is not held twice).
// `command` names what wrote it.
// Files this process wrote and kept (KeepRunFilesForStore) are not read again when they are
// unchanged since (FileIdentity, core/folder_writer.h).
Result<RunRecord> RecordFromFolder(const std::string& command, const std::string& out_dir);

// From now on, output folders this process writes keep each file compressed as the store keeps
// it, made beside the file's write and hash: a command that records its folder next
// (RecordFolder) takes them instead of reading, hashing and compressing every file again.
void KeepRunFilesForStore();

// Opens `location` ("" = DefaultStoreLocation()) and records the folder; the record's id.
Result<RunRecord> RecordFolder(const std::string& location, const std::string& command,
                               const std::string& out_dir);

// The stored file of a record at `path`; null when it has none.
const RunFile* FindFile(const RunRecord& r, const std::string& path);

// A record's fields as JSON (no summary, no files): record, run_id, command, contract_id,
// contract_version, the hashes, engine_version, period, net_payer_to_provider, user,
// recorded_at, out_dir.
nlohmann::ordered_json RunRecordJson(const RunRecord& r);

// For tests and the PostgreSQL backend: zstd frames of the stored file contents.
std::string CompressContent(std::string_view bytes);
// The same, of a file given as pieces one after another (FolderWriter::Write's).
std::string CompressContent(const std::vector<std::string_view>& pieces);
// Sets each file's `stored` that is empty to CompressContent of its content, the files on every
// thread. Backends call it before their transaction: a write lock is not held while compressing.
void CompressContents(std::vector<RunFile>* files);
// A stored file's content from its frame, which must hold exactly the `size` bytes recorded
// with it (no cap but that: a population's files grow with it).
Result<std::string> DecompressContent(std::string_view frame, uint64_t size);

}  // namespace valuepact
