// libFuzzer target for the claim-line tally a rank sends rank 0 in a distributed settlement
// (ingest/quality/line_tally.h): any bytes must either be refused with an error or give a tally
// that encodes to bytes that decode to the same tally, adds into another, and finishes into a
// data-quality scorecard.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "valuepact/ingest/quality/line_tally.h"
#include "valuepact/ingest/quality/quality.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  namespace q = valuepact::quality;
  auto tally = q::DecodeTally(valuepact::fuzz::Bytes(data, size), "fuzz");
  if (!tally.ok()) return 0;
  const std::string bytes = q::EncodeTally(*tally);
  auto again = q::DecodeTally(bytes, "again");
  if (!again.ok() || q::EncodeTally(*again) != bytes) __builtin_trap();
  q::ClaimLineTally sum = *again;
  q::MergeTally(&sum, std::move(*tally));
  const valuepact::Dataset empty;
  const auto card = q::ComputeQualityScorecard(empty, sum, {}, {});
  (void)q::QualityJson(card, nullptr);
  return 0;
}
