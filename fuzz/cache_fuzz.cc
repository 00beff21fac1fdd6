// libFuzzer target for the dataset cache reader: any bytes, with the SHA-256 checks skipped so
// that mutations reach the framing, the zstd frames and the column checks behind them. A part
// of a split dataset (`valuepact partition`) is read with its maps and, when it is a split into
// one part, put back together as a run on its folder would.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_support.h"
#include "valuepact/ingest/dataset_cache.h"
#include "valuepact/ingest/dataset_partition.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  std::vector<valuepact::cache::Part> parts(1);
  valuepact::cache::Part& part = parts[0];
  auto origin = valuepact::cache::ReadCache(valuepact::fuzz::Bytes(data, size), "fuzz.vpd",
                                            &part.dataset, &part.program, &part.report,
                                            /*verify_checksums=*/false, {}, &part.maps);
  if (!origin.ok()) return 0;
  if (origin->part.count == 0) {
    part.dataset.FinalizeMembers();
    return 0;
  }
  part.info = origin->part;
  valuepact::Dataset whole;
  valuepact::ProgramData program;
  valuepact::IngestReport report;
  if (valuepact::cache::JoinParts(&parts, "fuzz", &whole, &program, &report).ok()) {
    whole.FinalizeMembers();
  }
  return 0;
}
