#pragma once
// Row-level checks every claims reader applies to the lines it has just added to the dataset,
// after its own parsing (and, for CCLF, after claim-version resolution):
//
//  - implausible_amount: a line whose paid or allowed amount is larger in absolute value than
//    the maximum (LoadOptions::max_line_amount);
//  - duplicate_key: a medical line whose (claim_id, claim_line_number) equals that of an
//    earlier accepted line, and the same for pharmacy lines. "Earlier" is the row order of the
//    table: file order, then line order, whatever the thread count.
//
// A rejected line is removed from the table and recorded in the IngestReport (file, line,
// field, value, reason = the check's name, and its paid and allowed amounts), counted under
// "<table>.<reason>" and in its source file's rows_rejected. Single-threaded; call it from one
// thread with exclusive access to the dataset and report.
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "valuepact/core/money.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/ingest_report.h"

namespace valuepact {

// The default of LoadOptions::max_line_amount: $10,000,000.00.
inline constexpr Money kDefaultMaxLineAmount = Money::FromUnits(10'000'000);

// How a reader names the fields of its format in rejects.
struct ClaimLineFieldNames {
  const char* line_number = "claim_line_number";
  const char* paid = "paid_amount";
  const char* allowed = "allowed_amount";
};

// Checks medical rows [first_medical, size) and pharmacy rows [first_pharmacy, size) against
// every row before them (rows before `first_*` were checked when they were added and are kept).
void CheckNewClaimLines(Dataset* dataset, size_t first_medical, size_t first_pharmacy,
                        Money max_line_amount, const ClaimLineFieldNames& names,
                        IngestReport* report);

// The file a batch of fresh lines comes from (not yet among the dataset's sources).
struct FreshFile {
  uint32_t index = 0;  // its index in Dataset::sources once added
  std::string path;
  uint64_t* rows_rejected = nullptr;  // counts the lines the checks reject
};

// Where each row of a table was read, as runs of rows read from one line after another of one
// file: rows appended in order, a row's place costs nothing where it follows the row before it
// in the file (a rejected row, a record over several lines or the next file starts a run).
class SourceRuns {
 public:
  void Append(const std::vector<SourceRef>& rows);
  SourceRef At(size_t row) const;  // row < size()
  size_t size() const { return rows_; }
  size_t runs() const { return runs_.size(); }

 private:
  struct Run {
    size_t first_row;
    SourceRef first;
  };
  std::vector<Run> runs_;
  size_t rows_ = 0;
};

// The claim key (claim id, line number) of each line of a table, in row order, about a byte a
// line: a line of the claim of the line before, or of the claim one above the highest so far
// (a claim's first line, in a table whose claims are numbered as they come), with a line
// number from 0 to 62, takes one byte; another claim or line number adds its varint.
class ClaimKeys {
 public:
  void Append(uint32_t claim, int32_t line);
  size_t size() const { return rows_; }
  // f(row, claim, line) for every row, in order.
  template <class F>
  void ForEach(const F& f) const;
  // One above the highest claim id appended (0 when none is).
  uint64_t claim_bound() const { return next_claim_; }

  // The keys in row order, a batch at a time, for a reader that needs them once and not laid
  // out as columns (eight bytes a line).
  class Reader {
   public:
    explicit Reader(const ClaimKeys& keys) : keys_(keys), p_(keys.bytes_.data()) {}
    // The next keys, at most `max`, into claim[0, n) and line[0, n); returns n (0: no more).
    size_t Next(uint32_t* claim, int32_t* line, size_t max);

   private:
    const ClaimKeys& keys_;
    const uint8_t* p_;
    size_t row_ = 0;
    uint32_t last_ = 0;
    uint64_t next_ = 0;
  };

 private:
  std::vector<uint8_t> bytes_;
  size_t rows_ = 0;
  uint32_t last_claim_ = 0;
  uint64_t next_claim_ = 0;  // one above the highest claim id so far
};

// The same checks for a reader that adds the lines of a table batch by batch and keeps of them
// only some columns (LoadOptions::tally_lines): each batch is checked before it joins its
// table, against every line accepted before it. The checker keeps, of the lines accepted, the
// last line number of each claim while its numbers rise, their claim keys (ClaimKeys) and
// where each was read (SourceRuns), and every line number (with where it was read) of a claim
// whose numbers did not rise, gathered once from those keys. The table's rows are the lines
// this checker accepted, in order; its claim, line_number and source columns are not read (a
// reader need not keep them: TakeKeys gives the first two back). The verdicts, rejects and
// messages are those CheckNewClaimLines gives on the table the batches make. One checker per
// table and load.
class FreshLineChecker {
 public:
  // Checks `fresh` (the next lines of ds.medical or ds.pharmacy, in row order, every column
  // the checks read filled) and removes the rejected lines from it.
  void Check(const Dataset& ds, MedicalClaimTable* fresh, const FreshFile& file, Money max,
             const ClaimLineFieldNames& names, IngestReport* report);
  void Check(const Dataset& ds, PharmacyClaimTable* fresh, const FreshFile& file, Money max,
             const ClaimLineFieldNames& names, IngestReport* report);
  // The claim keys of every line accepted, in order; the checker keeps them no longer and
  // checks no more lines.
  ClaimKeys TakeKeys() { return std::exchange(keys_, ClaimKeys()); }

 private:
  template <typename Table>
  void CheckLines(const char* name, const Dataset& ds, Table* fresh, const FreshFile& file,
                  Money max, const ClaimLineFieldNames& names, IngestReport* report);
  // The last line number of each claim (by claim id), a byte each: 0 when the claim has no
  // line yet, the number itself from 1 to 254, and kWide for any other, kept in wide_ (most
  // claims number their lines from 1 and have a few).
  static constexpr uint8_t kWide = 255;
  int32_t Last(uint32_t claim) const;  // once the claim has a line (last_[claim] != 0)
  void SetLast(uint32_t claim, int32_t line);
  std::vector<uint8_t> last_;
  std::unordered_map<uint32_t, int32_t> wide_;
  ClaimKeys keys_;       // the table's rows' claim keys
  SourceRuns accepted_;  // where the table's rows were read
  std::unordered_map<uint32_t, std::vector<std::pair<int32_t, SourceRef>>> exact_;
};

}  // namespace valuepact
