#pragma once
// The columnar cache (`valuepact import`, docs/input-formats.md "The dataset cache"): a parsed
// dataset — claims, eligibility, demographics, deliveries, claim versions, program data and the
// ingest report with its rejects — written once as zstd-compressed columns, so later runs skip
// parsing. Every command's --data accepts the cache file in place of the folder.
//
// File layout (all integers little-endian):
//   "VPDCACHE" | u32 format version | u32 0 | u64 header length | header (JSON: engine version,
//   load options, where it came from, every input file's size, time and SHA-256)
//   | u64 section count | per section: u32 name length, name, u64 raw bytes, u64 stored bytes,
//   32-byte SHA-256 of the stored bytes | the sections' stored bytes (zstd frames), in order
//   | "VPDTRAIL" | 32-byte SHA-256 of everything before the sections' bytes.
//
// A cache (`valuepact import`, and each part of `valuepact partition`) also stores what the
// data-quality scorecard reads off its claim lines (section quality.tally,
// ingest/quality/line_tally.h): it depends on the data alone, and a run that reads the lines only
// for spending then reads a few of their columns (LinesApart), not all of them.
//
// A cache is rejected — never half used — when it is truncated, corrupt (a checksum, a size or
// a column that does not fit the others), written by another engine version or format, parsed
// with other load options than the run needs, or stale: a file under the folders it was imported
// from was added, removed or changed since (checked where those folders still exist).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/ingest/quality/line_tally.h"
#include "valuepact/ingest/tuva_reader.h"

namespace valuepact::cache {

struct Part;  // ingest/dataset_partition.h

inline constexpr std::string_view kMagic = "VPDCACHE";
inline constexpr uint32_t kFormatVersion = 4;

struct ListedFile {
  std::string path;  // absolute, lexically normal
  uint64_t bytes = 0;
  int64_t modified_ns = 0;
};

// One part of a dataset split by member (`valuepact partition`, ingest/dataset_partition.h):
// which part it is, and the sizes of the whole dataset the parts are put back into.
struct PartInfo {
  uint32_t index = 0, count = 0;                        // count 0: a whole dataset, not a part
  std::string set;                                      // the same in every part written together
  uint64_t members = 0, claim_ids = 0, codes = 0;       // the whole dataset's id tables
  uint64_t eligibility = 0, medical = 0, pharmacy = 0;  // and its tables' rows
};

// A part's place in the whole dataset: the whole dataset's id of each of the part's ids (in
// increasing order) and row of each of its rows (in increasing order), table by table.
struct PartMaps {
  std::vector<uint32_t> members, claim_ids, codes;
  std::vector<uint32_t> eligibility, medical, pharmacy;
};

// Where a cache came from and how it was parsed.
struct CacheOrigin {
  std::string engine_version;
  std::string data_dir, program_dir;  // as given to `valuepact import`
  std::string data_dir_absolute, program_dir_absolute;
  std::string format;  // requested format: auto | tuva_csv | cclf | fhir
  LoadOptions options;
  std::vector<ListedFile> listing;            // every regular file under both folders
  std::map<std::string, std::string> sha256;  // full SHA-256 of each file read, by path
  PartInfo part;                              // count 0 but in a part of a split dataset
};

struct CacheStats {
  uint64_t raw_bytes = 0, stored_bytes = 0;
  size_t sections = 0;
};

// True for a regular file that starts with the cache's magic bytes.
bool IsCacheFile(const std::string& path);
// The error for `--data PATH` that is neither a folder nor a cache (IsCacheFile false): a file
// named *.vpd is called a damaged cache.
Status NotDataError(const std::string& path);

// Every regular file under `dir` (recursively), sorted by path; for CacheOrigin::listing.
std::vector<ListedFile> ListFolder(const std::string& dir);

// The cache's bytes (also how the ranks of a distributed run send parsed parts to rank 0).
// `maps`: required when `origin.part` says the dataset is one part of a split one. `tally`, when
// given: the claim lines' scorecard tally, stored (section quality.tally).
Result<std::string> EncodeCache(const Dataset& dataset, const ProgramData& program,
                                const IngestReport& report, const CacheOrigin& origin,
                                int level = 3, CacheStats* stats = nullptr,
                                const PartMaps* maps = nullptr,
                                const quality::ClaimLineTally* tally = nullptr);

// Writes the cache to `path` (through a temporary file renamed into place). `level`: zstd level.
// The cache stores `tally`, its claim lines' scorecard tally; a whole dataset's, when not given,
// is TallyClaimLines of it (a part's is given by WritePartitions, with the part's place).
Status WriteCache(const std::string& path, const Dataset& dataset, const ProgramData& program,
                  const IngestReport& report, const CacheOrigin& origin, int level = 3,
                  CacheStats* stats = nullptr, const PartMaps* maps = nullptr,
                  const quality::ClaimLineTally* tally = nullptr);

// A run that reads the claim lines only for each member's spending (run/line_tallies.h) reads
// them apart from the dataset: only `columns` of them (section names, "medical.paid"), into
// `part->dataset`'s medical and pharmacy tables, with the scorecard tally the cache stores
// (`part->tally`). The dataset read beside them then has no claim line, and no claim ids unless
// claim versions name them. A cache without a stored tally is read whole (`part->tally` empty).
// A part of a split dataset is read so too (its maps stay with the dataset read beside the lines).
struct LinesApart {
  std::vector<std::string> columns;
  Part* part = nullptr;
  bool claim_ids = false;  // read the claim ids even when no claim version names them
};

// Reads a cache's bytes (`name` for messages) into empty tables; checks every checksum and that
// every column fits its table and its ids. Member demographics are not finalized (call
// Dataset::FinalizeMembers). `verify_checksums` false skips the SHA-256 checks only (the fuzz
// target, so mutated bytes reach the column checks); every other check still runs.
// `decompressed`, when given, is called once `bytes` are no longer read (every section
// decompressed), so that the caller can free them before the id tables are built. A part of a
// split dataset is read only with `maps` (its place in the whole); without, it is refused.
// The member, claim and code id tables are stored without an index (StringInterner::
// InternAllDistinct) for a part, and with `index_ids` false: for bytes whose ids are only read
// by id before they are merged into indexed tables (a rank's parsed chunks). `apart`: the claim
// lines are read apart (LinesApart); the sections left out are neither checked nor decompressed.
Result<CacheOrigin> ReadCache(std::string_view bytes, const std::string& name, Dataset* dataset,
                              ProgramData* program, IngestReport* report,
                              bool verify_checksums = true,
                              const std::function<void()>& decompressed = {},
                              PartMaps* maps = nullptr, bool index_ids = true,
                              const LinesApart* apart = nullptr);

// The header of a cache's bytes, checked as far as the header goes (for a rank that sends its
// part unread).
Result<CacheOrigin> ReadCacheHeader(std::string_view bytes, const std::string& name);

// `valuepact import --verify`: the cache at `path` against the folders it was imported from, by
// content rather than by size and modification time (the check every run makes): every file
// it read hashed again in full (SHA-256) against the digest import recorded, and the folders'
// files listed against the import's listing. An error when `path` is no cache, or when the
// folders are not here.
struct CacheVerification {
  CacheOrigin origin;
  size_t files_hashed = 0;
  uint64_t bytes_hashed = 0;
  std::vector<std::string> differences;  // empty: the folders hold what was imported
};
Result<CacheVerification> VerifyCacheAgainstFolders(const std::string& path);

// Reads the cache file at `path` into empty tables as ReadCache does (`maps` for a part),
// freeing its bytes once they are decompressed. (It is read, not mapped: mapping it made no
// difference that could be measured, bench/results.md.)
Result<CacheOrigin> ReadCacheFile(const std::string& path, const std::string& name,
                                  Dataset* dataset, ProgramData* program, IngestReport* report,
                                  PartMaps* maps = nullptr, const LinesApart* apart = nullptr);

// ReadCache on a file (or on every part in a folder written by `valuepact partition`,
// ingest/dataset_partition.h), then the checks a run needs: the engine version, the load options
// (`wanted`: the contract's), and freshness against the folders it came from. `notes` get a line
// when those folders are absent (the cache is then used as written). `drop_pharmacy_ok`: a
// caller that wants no pharmacy claims may use a cache that has them (they are cleared).
// `wanted.cache_as_imported` skips the load-option checks (not the version or freshness ones).
// `lines`: for a folder of parts on rank 0 of a distributed run, the claim lines stay on their
// ranks (ReadPartitionFolder, ingest/dataset_partition.h; its own part's read apart with
// `line_columns`, when given); for a cache file, they are read apart, only `line_columns` of them
// (LinesApart; not with `drop_pharmacy_ok`).
Result<CacheOrigin> LoadCacheFile(const std::string& path, const LoadOptions& wanted,
                                  Dataset* dataset, ProgramData* program, IngestReport* report,
                                  std::vector<std::string>* notes, bool drop_pharmacy_ok = false,
                                  Part* lines = nullptr,
                                  const std::vector<std::string>& line_columns = {});

}  // namespace valuepact::cache
