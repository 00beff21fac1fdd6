// libFuzzer target for the dataset cache reader: any bytes, with the SHA-256 checks skipped so
// that mutations reach the framing, the zstd frames and the column checks behind them. A part
// of a split dataset (`valuepact partition`) is read with its maps and, when it is a split into
// one part, put back together as a run on its folder would.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "valuepact/ingest/dataset_cache.h"
#include "valuepact/ingest/dataset_partition.h"

namespace {

void ReadLinesApart(std::string_view bytes) {
  valuepact::cache::Part lines;
  const valuepact::cache::LinesApart apart{
      {"medical.member", "medical.claim_start", "medical.claim_end", "medical.category",
       "medical.paid", "pharmacy.member", "pharmacy.dispensing_date", "pharmacy.paid"},
      &lines};
  valuepact::Dataset d;
  valuepact::ProgramData p;
  valuepact::IngestReport r;
  valuepact::cache::PartMaps maps;
  auto origin = valuepact::cache::ReadCache(bytes, "fuzz.vpd", &d, &p, &r,
                                            /*verify_checksums=*/false, {}, &maps, true, &apart);
  if (origin.ok()) d.FinalizeMembers();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  ReadLinesApart(valuepact::fuzz::Bytes(data, size));
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
