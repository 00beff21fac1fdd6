#pragma once
// What a reader found: rejected rows with reasons, notes (e.g. ignored columns), counts. Nothing
// is dropped silently (ARCHITECTURE §3): every rejected row is here and ends up in rejects.csv.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/money.h"
#include "valuepact/core/status.h"

namespace valuepact {

// Reasons of the row-level checks on claim lines that were read but are not counted
// (claim_line_checks.h). Other rejects give their reason in words.
inline constexpr std::string_view kRejectDuplicateKey = "duplicate_key";
inline constexpr std::string_view kRejectImplausibleAmount = "implausible_amount";

struct Reject {
  std::string file;
  uint64_t line = 0;
  std::string field;  // column or JSON path; empty when the whole row is bad
  std::string value;  // the offending field text, cut to 200 bytes; empty for a whole-row reject
  std::string reason;
  // The line's amounts when it was read before being refused (duplicate_key,
  // implausible_amount); zero for a row that could not be read.
  Money paid, allowed;
};

// Claim lines refused for one reason, and what they would have added.
struct RejectTotal {
  std::string_view reason;  // kRejectDuplicateKey, kRejectImplausibleAmount
  uint64_t rows = 0;
  Money paid, allowed;
};
// "duplicate_key: 300 rows, $894,000.00 paid ($900,000.00 allowed)".
std::string DescribeRejectTotal(const RejectTotal& total);

struct IngestReport {
  std::vector<Reject> rejects;
  std::vector<std::string> notes;            // "medical_claim.csv: ignored column 'foo'"
  std::map<std::string, uint64_t> counters;  // "medical_claim.rows_read", ... (ordered)
  uint64_t rounded_amounts = 0;              // amounts with >2 decimals, rounded half away

  void AddReject(std::string file, uint64_t line, std::string field, std::string_view value,
                 std::string reason);
  // A pharmacy file present but not read, the run's services leaving out pharmacy: noted, so
  // that no file in the data folder is passed over without a word.
  void NotePharmacyNotRead(const std::string& file);
  void Merge(IngestReport&& other);
  // rejects.csv: file,line,field,value,reason — sorted by file then line for determinism.
  std::string RejectsCsv() const;
  // One entry per claim-line check, always in the same order (duplicate_key,
  // implausible_amount) and present even when nothing was refused, e.g. for
  // "duplicate_key: 300 rows, $894,000.00" in a run summary. Other rejects are rows that could
  // not be read; they carry no amounts and are counted by rejects.size().
  std::vector<RejectTotal> RejectTotals() const;
  // A note when `bytes` (a whole text file) does not end with a line end: its last row was
  // read only because it is complete (every field present and valid); a cut row is a reject.
  void NoteUnterminatedLastLine(std::string_view bytes, const std::string& file);
};

}  // namespace valuepact
