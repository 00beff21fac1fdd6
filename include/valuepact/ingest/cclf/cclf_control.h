#pragma once
// CCLF0, the summary statistics file (IP v38 §5): a header record, then one detail record per
// companion file with its record count and record length. Pipe-delimited and fixed-width; it is
// split on '|' and trimmed because public samples drop the trailing filler byte.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/ingest/ingest_report.h"

namespace valuepact::cclf {

struct CclfControlEntry {
  char file_type = 0;  // '1'..'9', 'A', 'B'
  std::string description;
  uint64_t record_count = 0;
  uint32_t record_length = 0;
  uint64_t line = 0;  // physical line in the CCLF0 file
};

// Parses CCLF0 bytes. Malformed detail lines are rejected into `report` under `file_name`;
// the header line is optional.
std::vector<CclfControlEntry> ParseCclfControl(std::string_view bytes, const std::string& file_name,
                                               IngestReport* report);

}  // namespace valuepact::cclf
