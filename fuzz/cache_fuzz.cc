// libFuzzer target for the dataset cache reader: any bytes, with the SHA-256 checks skipped so
// that mutations reach the framing, the zstd frames and the column checks behind them.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "valuepact/ingest/dataset_cache.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  valuepact::Dataset ds;
  valuepact::ProgramData program;
  valuepact::IngestReport report;
  auto origin = valuepact::cache::ReadCache(valuepact::fuzz::Bytes(data, size), "fuzz.vpd", &ds,
                                            &program, &report, /*verify_checksums=*/false);
  if (origin.ok()) ds.FinalizeMembers();
  return 0;
}
