#pragma once
// A dataset split by member into parts (`valuepact partition`, docs/scaling.md): each part is a
// dataset cache (ingest/dataset_cache.h) holding the eligibility spans and claim lines of the
// members a stable hash gives it, with each id's and row's place in the whole dataset, so that
// the parts put back together are the dataset they came from — the same ids, the same rows in
// the same order, and so the same results byte for byte. Each rank of a distributed run reads
// only its own part.
//
// A folder of parts holds part-K-of-N.vpd for K = 0 … N-1. Part 0 also holds what is not split
// by member: the ingest report and rejects, CCLF deliveries, claim versions and member id
// changes, member demographics and the program data.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/ingest/dataset_cache.h"

namespace valuepact::cache {

// The part of `count` a member id belongs to: the 64-bit FNV-1a hash of its bytes (offset basis
// 14695981039346656037, prime 1099511628211), modulo `count`. It depends on the id's text
// alone, so a member falls in the same part in every delivery.
uint32_t PartOfMember(std::string_view member_id, uint32_t count);

// "part-K-of-N.vpd".
std::string PartFileName(uint32_t index, uint32_t count);

// True for a folder that holds a part-0-of-N.vpd file.
bool IsPartitionFolder(const std::string& path);

// True for a dataset cache file or a folder of parts: what every command's --data reads as a
// cache.
bool IsCachePath(const std::string& path);

// What WritePartitions wrote, part by part.
struct PartSummary {
  std::string path;
  uint64_t members = 0;  // members the part's rows belong to
  uint64_t eligibility = 0, medical = 0, pharmacy = 0;
  CacheStats stats;
};

// Splits the dataset into `count` parts by PartOfMember and writes them into `dir` (created when
// absent; part files already there are replaced, and a folder holding anything else is
// refused). `origin`: where the dataset came from, as a cache's. `level`: zstd level.
Result<std::vector<PartSummary>> WritePartitions(const std::string& dir, uint32_t count,
                                                 const Dataset& dataset, const ProgramData& program,
                                                 const IngestReport& report,
                                                 const CacheOrigin& origin, int level);

// A part of a split dataset: its tables, with its place in the whole.
struct Part {
  Dataset dataset;
  ProgramData program;
  IngestReport report;
  PartInfo info;
  PartMaps maps;
  // The claim lines read apart from a cache or part (LinesApart, ingest/dataset_cache.h): the
  // scorecard tally it stores. The lines then hold only the columns the run asked for, and
  // `dataset` no id table and no other table (a part's `info` and `maps` are kept beside them).
  std::optional<quality::ClaimLineTally> tally;
};

// Puts the whole dataset back from the parts in `dir`: every part read by this process, or, on
// rank 0 of a distributed run with as many ranks as parts, its own part and the others' as
// their ranks send them (SendPartToRoot). Every part must come from the same split, and the
// parts together must hold each row and id of the whole exactly once. Member demographics are
// not finalized (Dataset::FinalizeMembers). The origin returned is the whole dataset's;
// `count`, when given, gets the number of parts.
//
// `lines`, on rank 0 of a distributed run: the claim lines stay on their ranks. `lines` gets
// rank 0's own part whole (its lines, id tables and eligibility, with its place) — or, with
// `line_columns` and a part that stores its scorecard tally, only those columns of its lines,
// the tally and its place (LinesApart) — and the dataset joined is the whole without a medical
// or pharmacy line, and without claim ids unless the claim versions name them (every rank then
// calls SendPartToRoot with `lines` and the same `line_columns` too).
Result<CacheOrigin> ReadPartitionFolder(const std::string& dir, Dataset* dataset,
                                        ProgramData* program, IngestReport* report,
                                        uint32_t* count = nullptr, Part* lines = nullptr,
                                        const std::vector<std::string>& line_columns = {});

// On a rank other than 0 of a distributed run: reads this rank's part of `dir` and sends it to
// rank 0 (which checks it as it reads it). With `lines` (the claim lines stay on the ranks,
// above), the part is read here: `lines` keeps it (whole, or `line_columns` of its lines as
// above), and rank 0 gets it without its lines.
Status SendPartToRoot(const std::string& dir, Part* lines = nullptr,
                      const std::vector<std::string>& line_columns = {});

// Splits `dataset` into part `index` of `count` (what WritePartitions writes) and puts the parts
// back together (what ReadPartitionFolder does once the parts are read), in memory: for tests.
std::vector<Part> SplitDataset(const Dataset& dataset, const ProgramData& program,
                               const IngestReport& report, uint32_t count);
// `name`: for messages. The parts are consumed.
Status JoinParts(std::vector<Part>* parts, const std::string& name, Dataset* dataset,
                 ProgramData* program, IngestReport* report);

}  // namespace valuepact::cache
