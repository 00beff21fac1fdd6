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

}  // namespace valuepact
