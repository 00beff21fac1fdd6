// libFuzzer target for the CCLF reader: the input is split on "\n\x01" into up to six files; the
// first byte of each part picks its file type (CCLF0-9, A, B).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "valuepact/ingest/cclf/cclf_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  static const char kTypes[] = "0123456789AB";
  const auto parts = valuepact::fuzz::SplitParts(valuepact::fuzz::Bytes(data, size), 6);
  std::vector<valuepact::cclf::CclfInput> inputs;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    const char type = p.empty() ? '1' : kTypes[static_cast<unsigned char>(p[0]) % 12];
    if (!p.empty()) p.remove_prefix(1);
    // Two deliveries, so that cross-delivery rules (MBI map, redelivery) run too.
    inputs.push_back(
        {std::string("P.A1.ACO.ZC") + type + (i % 2 ? "Y24.D240301" : "Y24.D240201") + ".T0000000",
         p});
  }
  valuepact::Dataset ds;
  valuepact::IngestReport report;
  (void)valuepact::cclf::LoadCclfFiles(inputs, {}, &ds, &report);
  ds.FinalizeMembers();
  return 0;
}
