// libFuzzer target for the FHIR bulk reader: the input is read as NDJSON and as one JSON file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "valuepact/ingest/fhir/fhir_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  const std::string_view bytes = valuepact::fuzz::Bytes(data, size);
  valuepact::Dataset ds;
  valuepact::IngestReport report;
  (void)valuepact::fhir::LoadFhirFiles({{"fuzz.ndjson", bytes}, {"fuzz.json", bytes}}, &ds,
                                       &report);
  ds.FinalizeMembers();
  return 0;
}
