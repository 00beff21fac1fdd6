#pragma once
// What the data-quality scorecard (quality.h) reads off the claim lines, as figures that add up
// over the parts of a dataset split by member (ingest/dataset_partition.h). Each rank of a
// distributed settlement tallies its own part's lines; rank 0 merges the tallies and finishes
// the scorecard with the whole eligibility. One process tallies the whole dataset the same way,
// so both give the same scorecard, byte for byte.
//
// A claim id can sit in two parts (lines of one claim under two members). Counting its claims,
// repeated keys and claims per month in each part would count it twice, so the lines of such
// "shared" claims are not counted in the part: their keys travel, with whole ids, to the merge.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "valuepact/core/date.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/claim_line_checks.h"

namespace valuepact::quality {

// Where a part's rows and ids sit in the whole dataset. A null map: the part is the whole.
struct LinePlace {
  const std::vector<uint32_t>* medical_rows = nullptr;   // whole row of each medical line
  const std::vector<uint32_t>* pharmacy_rows = nullptr;  // whole row of each pharmacy line
  const std::vector<uint32_t>* claim_ids = nullptr;      // whole id of each claim id
  // Whole claim ids (sorted) that another part's lines carry too.
  const std::vector<uint32_t>* shared_claims = nullptr;
};

struct FieldTally {
  uint64_t rows = 0, present = 0, invalid = 0;
  // Up to 5 distinct invalid values, each with the whole row it is first seen on, in that order.
  std::vector<std::pair<uint64_t, std::string>> examples;
};

struct MonthLines {
  uint64_t lines = 0;
  __int128 paid = 0;    // exact: a month beyond the range of money is told at the end
  uint64_t claims = 0;  // distinct claims of the part, shared ones left out
};

struct ClaimLineTally {
  uint64_t medical_lines = 0, pharmacy_lines = 0;
  std::vector<FieldTally> medical_fields, pharmacy_fields;  // in the scorecard's order
  uint64_t dx_codes = 0, invalid_dx_codes = 0;
  // Medical lines' dates and amounts.
  uint64_t dates_out_of_order = 0, dates_out_of_range = 0, negative_paid_lines = 0;
  uint64_t paid_above_allowed = 0, allowed_above_charge = 0;
  uint64_t lines_with_service_month = 0, lines_without_enrollment = 0;
  // Over claims not shared.
  uint64_t medical_claims = 0, medical_claims_without_paid_date = 0;
  uint64_t pharmacy_claims_without_paid_date = 0;
  uint64_t medical_repeats = 0, pharmacy_repeats = 0;  // lines repeating a (claim, line) key
  // Claim lag: lines by lag in days (index = days), and the lag summary's counts.
  std::vector<uint64_t> lag_days;
  uint64_t lag_claims = 0, lag_negative = 0;
  std::array<uint64_t, 6> lag_buckets{};
  Date as_of = kNoDate;
  std::map<int32_t, MonthLines> months;  // by YearMonth::index() of the line's service date
  // Shared claims' lines: (whole claim << 8) | flags (1 a line, 2 a line with a paid date);
  // (whole claim << 32) | line number; (month index << 32) | whole claim.
  std::vector<uint64_t> shared_medical_claims, shared_pharmacy_claims;
  std::vector<uint64_t> shared_medical_keys, shared_pharmacy_keys, shared_month_claims;
};

// Tallies the claim lines of `part` (its own eligibility spans for the enrollment match).
ClaimLineTally TallyClaimLines(const Dataset& part, const LinePlace& place = {});

struct LineTallyState;

// The same tally taken batch by batch while the lines are read, for a reader that does not keep
// the columns it reads (LoadOptions::tally_lines): each batch of lines, once final (no later
// check removes a line of it), is added in row order with the id tables and eligibility of the
// dataset it joins. Finish gives what TallyClaimLines gives on the dataset the batches make.
class LineTallier {
 public:
  LineTallier();
  ~LineTallier();
  LineTallier(LineTallier&&) noexcept;
  LineTallier& operator=(LineTallier&&) noexcept;

  // `lines` (ids of `ids`, eligibility read) are the whole's rows from `first_row` on.
  void AddMedical(const Dataset& ids, const MedicalClaimTable& lines, uint64_t first_row);
  void AddPharmacy(const Dataset& ids, const PharmacyClaimTable& lines, uint64_t first_row);
  // Once every medical line is added: counts what needs the medical lines whole (their
  // distinct claims, those without a paid date, their repeated keys: `keys`, every medical
  // line's claim key in row order). No medical line is added afterwards.
  void FinishMedical(const Dataset& whole, const ClaimKeys& keys);
  // The tally of every line added (`pharmacy_keys`: every pharmacy line's claim key in row
  // order, for their repeated keys; FinishMedical took the medical lines'). The tallier starts
  // over afterwards.
  ClaimLineTally Finish(const Dataset& whole, const ClaimKeys& pharmacy_keys);

 private:
  std::unique_ptr<LineTallyState> state_;
};

// Adds `from` into `into`.
void MergeTally(ClaimLineTally* into, ClaimLineTally from);

// The tally as bytes, and back (`name` for messages: a damaged message is an error).
std::string EncodeTally(const ClaimLineTally& t);
Result<ClaimLineTally> DecodeTally(std::string_view bytes, const std::string& name);

}  // namespace valuepact::quality
