// libFuzzer target for CSV input: the Tuva table reader on the bytes as each table (one
// Dataset, as a folder of tables loads), then the members finalized. Input whose header no
// table accepts is read record by record with the core CSV cursor instead, so the cursor sees
// every input: twice, writing a record's field ends sixteen at a time (AVX-512, where the
// processor has it) and one by one, which must give the same records.
#include <array>
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
  // Read both ways of writing a record's field ends (AVX-512 where the processor has it, and one
  // by one): the records, their lines and fields must be the same.
  const size_t begin = valuepact::SkipBom(bytes);
  for (const auto& chunk : valuepact::SplitCsvChunks(bytes, begin, 1, 3)) {
    std::array<std::vector<std::string>, 2> seen;
    for (int wide = 0; wide < 2; ++wide) {
      const bool was = valuepact::UseWideCsvSplit(wide == 1);
      valuepact::CsvCursor cursor(bytes, chunk);
      valuepact::CsvFields fields;
      uint64_t line = 0;
      std::string error;
      for (;;) {
        const auto o = cursor.Next(&fields, &line, &error);
        if (o == valuepact::CsvCursor::Outcome::kEnd) break;
        std::string record =
            std::to_string(line) + (o == valuepact::CsvCursor::Outcome::kRecord ? "+" : "-");
        for (size_t k = 0; k < fields.size(); ++k) {
          record += std::to_string(fields[k].size()) + ':';
          record += fields[k];
        }
        seen[wide].push_back(std::move(record));
      }
      valuepact::UseWideCsvSplit(was);
    }
    if (seen[0] != seen[1]) __builtin_trap();
  }
  return 0;
}
