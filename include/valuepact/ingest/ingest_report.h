#pragma once
// What a reader found: rejected rows with reasons, notes (e.g. ignored columns), counts. Nothing
// is dropped silently (ARCHITECTURE §3): every rejected row is here and ends up in rejects.csv.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "valuepact/core/status.h"

namespace valuepact {

struct Reject {
  std::string file;
  uint64_t line = 0;
  std::string field;  // column or JSON path; empty when the whole row is bad
  std::string value;  // the offending text, truncated to 200 bytes
  std::string reason;
};

struct IngestReport {
  std::vector<Reject> rejects;
  std::vector<std::string> notes;            // "medical_claim.csv: ignored column 'foo'"
  std::map<std::string, uint64_t> counters;  // "medical_claim.rows_read", ... (ordered)
  uint64_t rounded_amounts = 0;              // amounts with >2 decimals, rounded half away

  void AddReject(std::string file, uint64_t line, std::string field, std::string_view value,
                 std::string reason);
  void Merge(IngestReport&& other);
  // rejects.csv: file,line,field,value,reason — sorted by file then line for determinism.
  std::string RejectsCsv() const;
};

}  // namespace valuepact
