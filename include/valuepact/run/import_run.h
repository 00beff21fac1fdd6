#pragma once
// `valuepact import`: reads a data folder (and program folder) once, as a run would, and writes
// the dataset cache (ingest/dataset_cache.h) that every command's --data then accepts.
#include <cstdint>
#include <string>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/ingest/dataset_cache.h"
#include "valuepact/ingest/dataset_partition.h"
#include "valuepact/run/loader.h"

namespace valuepact::run {

struct ImportRequest {
  InputPaths inputs;  // data, program, format; contract: where the load options come from
  std::string basis;  // "" : the contract's, else paid
  bool no_pharmacy = false;
  std::string out;  // the cache file to write
  int level = 3;    // zstd level
};

struct ImportSummary {
  size_t files = 0;          // input files read
  uint64_t input_bytes = 0;  // their size
  uint64_t members = 0, eligibility_rows = 0, medical_lines = 0, pharmacy_lines = 0;
  uint64_t program_rows = 0, rejects = 0;
  LoadOptions options;
  cache::CacheStats stats;
  std::vector<std::string> notes;
};

Result<ImportSummary> ImportData(const ImportRequest& request);

// `valuepact partition`: the same read (or a dataset cache, or a split dataset, as imported),
// split by member into `ranks` parts written into the folder `out`
// (ingest/dataset_partition.h).
struct PartitionRequest : ImportRequest {
  uint32_t ranks = 0;
};

struct PartitionSummary {
  ImportSummary whole;
  std::vector<cache::PartSummary> parts;
};

Result<PartitionSummary> PartitionData(const PartitionRequest& request);

}  // namespace valuepact::run
