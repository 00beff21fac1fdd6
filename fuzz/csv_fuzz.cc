// libFuzzer target for CSV input: the core CSV cursor over parallel chunks, then the Tuva
// table reader on the same bytes as each table.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/csv.h"
#include "valuepact/ingest/tuva_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const size_t begin = valuepact::SkipBom(bytes);
  for (const auto& chunk : valuepact::SplitCsvChunks(bytes, begin, 1, 3)) {
    valuepact::CsvCursor cursor(bytes, chunk);
    std::vector<std::string_view> fields;
    uint64_t line = 0;
    std::string error;
    while (cursor.Next(&fields, &line, &error) != valuepact::CsvCursor::Outcome::kEnd) {
    }
  }
  for (const char* table : {"eligibility", "medical_claim", "pharmacy_claim"}) {
    valuepact::Dataset ds;
    valuepact::IngestReport report;
    (void)valuepact::LoadTuvaTable(table, bytes, std::string(table) + ".csv", {}, &ds, &report);
  }
  return 0;
}
