#pragma once
// The [data_requirements] section of a contract: thresholds the data must meet before a
// settlement stands, and what happens to the money when they are not met
// (docs/contract-reference.md, "Data requirements"). Typed here; the data-quality scorecard
// (ingest/quality) evaluates them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/core/money.h"

namespace valuepact {

// What a failed requirement does to the spending-based layers (shared savings and losses,
// corridors). A failed requirement always makes `settle` exit 1.
enum class DataFailAction {
  kWarn,        // pay as computed, with a warning at the top of the statement
  kWithhold,    // every spending-based layer pays 0.00 (outcome withheld_data)
  kNoDownside,  // earned savings stand; any loss owed is set to 0.00 (loss_waived_data)
};
const char* DataFailActionName(DataFailAction a);  // "warn" | "withhold" | "no_downside"

// A file the parties agreed on ([[data_requirements.file]]): the run stops when the file is not
// read, or its row count or SHA-256 differs.
struct ExpectedFile {
  std::string path;              // relative to the --data folder (or --program folder)
  std::optional<uint64_t> rows;  // data rows (header excluded; CCLF: records)
  std::string sha256;            // of the file's bytes, lower-case hex ("" : not checked)
  int line = 0;                  // in the contract, for messages
};

// Unset thresholds are not checked.
struct DataRequirements {
  std::optional<double> min_enrollment_match;   // share of claim lines with enrollment, 0..1
  std::optional<double> max_invalid_dx_share;   // share of diagnosis codes not ICD-10-CM shaped
  std::optional<int> delivery_day_of_month;     // every delivery dated on or before this day
  std::optional<int> max_lag_days_p90;          // 90th percentile of paid - service days
  std::optional<double> max_duplicate_share;    // duplicate medical lines / lines
  std::optional<double> min_completeness;       // every scored field's completeness
  std::optional<double> max_invalid_npi_share;  // per NPI field
  std::optional<double> max_volume_drop = 0.5;  // month volume/cost vs trailing avg (flag only)
  std::optional<int> max_overlapping_spans;
  bool fail_on_volume_drop = false;  // a sudden drop fails the data, not only flags
  DataFailAction on_fail = DataFailAction::kWithhold;
  // A claim line whose paid or allowed amount exceeds this in absolute value is rejected
  // (reason implausible_amount) instead of counted.
  Money max_line_amount = Money::FromCents(1'000'000'000);
  // Rejected claim rows / claim rows read: above warn_reject_share the statement warns; above
  // max_reject_share every spending-based layer is withheld, whatever on_fail says. Both apply
  // even without a [data_requirements] section.
  double warn_reject_share = 0.01;
  double max_reject_share = 0.10;
  std::vector<ExpectedFile> files;
  bool declared = false;  // the contract has a [data_requirements] section
};

}  // namespace valuepact
