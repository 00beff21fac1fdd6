// libFuzzer target for CSV input: the Tuva table reader on the bytes as each table (one
// Dataset, as a folder of tables loads), then the members finalized. Input whose header no
// table accepts is read record by record with the core CSV cursor instead, so the cursor sees
// every input while each input's records are parsed once.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "valuepact/core/csv.h"
#include "valuepact/ingest/tuva_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  const std::string_view bytes = valuepact::fuzz::Bytes(data, size);
  valuepact::Dataset ds;
  valuepact::IngestReport report;
  bool read = false;
  for (const char* table : {"eligibility", "medical_claim", "pharmacy_claim"}) {
    read |=
        valuepact::LoadTuvaTable(table, bytes, std::string(table) + ".csv", {}, &ds, &report).ok();
  }
  ds.FinalizeMembers();
  if (read) return 0;
  const size_t begin = valuepact::SkipBom(bytes);
  for (const auto& chunk : valuepact::SplitCsvChunks(bytes, begin, 1, 3)) {
    valuepact::CsvCursor cursor(bytes, chunk);
    std::vector<std::string_view> fields;
    uint64_t line = 0;
    std::string error;
    while (cursor.Next(&fields, &line, &error) != valuepact::CsvCursor::Outcome::kEnd) {
    }
  }
  return 0;
}
