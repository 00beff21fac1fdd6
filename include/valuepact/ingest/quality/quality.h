#pragma once
// Data-quality scorecard: what a data set is worth before anyone settles money on it. Per table
// and field: completeness and validity; duplicates; claims outside enrollment; overlapping
// eligibility; claim lag and the completion it implies; month-over-month volume and cost
// against the trailing average; counts per delivery. A contract's [data_requirements] section
// turns the scorecard into a pass/fail verdict.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/contract/data_requirements.h"
#include "valuepact/core/date.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/ingest/quality/line_tally.h"

namespace valuepact::quality {

struct FieldQuality {
  std::string table;  // medical_claim | pharmacy_claim | eligibility
  std::string field;
  // The engines need it (member, service dates, diagnoses, birth date, sex, enrollment dates,
  // and for pharmacy the fill date and NDC): empty on every row is a finding.
  bool required = false;
  uint64_t rows = 0;     // rows where the field applies
  uint64_t present = 0;  // non-empty
  uint64_t invalid = 0;  // present but failing its check (0 when the field has no check)
  std::string check;     // what "valid" means, e.g. "NPI check digit (Luhn, prefix 80840)"
  std::vector<std::string> examples;  // up to 5 invalid values, first seen first
  double completeness() const { return rows ? static_cast<double>(present) / rows : 1.0; }
  double invalid_share() const { return present ? static_cast<double>(invalid) / present : 0.0; }
};

struct MonthQuality {
  YearMonth month;
  uint64_t claims = 0;  // distinct claims with a line in the month (by line service date)
  uint64_t lines = 0;
  Money paid;
  double trailing_claims = 0;  // average of the previous three months (0 when none)
  Money trailing_paid;
  double volume_ratio = 0;  // claims / trailing average (0 when no trailing data)
  double cost_ratio = 0;
  double completion = 1.0;   // share of this month's claims expected to be in by now
  bool sudden_drop = false;  // volume or cost below (1 - max_volume_drop) of the trailing avg
};

struct LagQuality {
  uint64_t claims = 0;    // lines with both a paid date and a service date (0: lag and
                          // completion cannot be measured)
  uint64_t negative = 0;  // paid before the service
  int32_t p50 = 0, p90 = 0, p99 = 0, max = 0;
  // Lines by lag bucket: 0-30, 31-60, 61-90, 91-180, 181-365, >365 days.
  std::vector<uint64_t> buckets = std::vector<uint64_t>(6, 0);
  Date as_of = kNoDate;  // latest paid date in the data
};

struct DeliveryQuality {
  std::string name;
  std::string format;
  Date file_date = kNoDate;
  uint64_t members = 0;
  uint64_t claims = 0;
};

struct QualityScorecard {
  uint64_t members = 0, medical_lines = 0, medical_claims = 0, pharmacy_lines = 0,
           eligibility_rows = 0;
  bool pharmacy_required = false;  // the contract's services include pharmacy
  std::vector<FieldQuality> fields;
  // Claim lines the readers refused (ScorecardContext::report), per reason.
  std::vector<RejectTotal> rejected_lines;
  // Same claim id and line number as an earlier line: lines still in the dataset plus those the
  // readers rejected as duplicate_key (duplicate_*_lines_rejected).
  uint64_t duplicate_medical_lines = 0;
  uint64_t duplicate_pharmacy_lines = 0;
  uint64_t duplicate_medical_lines_rejected = 0;
  uint64_t duplicate_pharmacy_lines_rejected = 0;
  uint64_t medical_claims_without_paid_date = 0;  // no line of the claim has a paid date
  uint64_t pharmacy_claims_without_paid_date = 0;
  uint64_t duplicate_eligibility_rows = 0;  // same member, start and end
  uint64_t lines_with_service_month = 0;
  uint64_t lines_without_enrollment = 0;  // member not enrolled in the line's service month
  double enrollment_match = 1.0;
  uint64_t overlapping_spans = 0;  // spans starting before the member's previous ended
  uint64_t members_with_overlaps = 0;
  uint64_t negative_paid_lines = 0;
  uint64_t paid_above_allowed = 0;    // where allowed is present
  uint64_t allowed_above_charge = 0;  // where both are present
  uint64_t dates_out_of_order = 0;    // start after end (claim, line, span, birth/death)
  uint64_t dates_out_of_range = 0;    // before 1900 or after 2100
  uint64_t dx_codes = 0, invalid_dx_codes = 0;
  LagQuality lag;
  std::vector<MonthQuality> months;
  std::vector<DeliveryQuality> deliveries;
  std::vector<std::string> findings;  // plain-language flags, most serious first

  double invalid_dx_share() const {
    return dx_codes ? static_cast<double>(invalid_dx_codes) / dx_codes : 0.0;
  }
  // Duplicate medical lines / medical lines read (kept + rejected as duplicates).
  double duplicate_share() const {
    const uint64_t read = medical_lines + duplicate_medical_lines_rejected;
    return read ? static_cast<double>(duplicate_medical_lines) / read : 0.0;
  }
};

// Thresholds from a contract's [data_requirements] (typed by the contract module).
using DataRequirements = ::valuepact::DataRequirements;

struct RequirementCheck {
  // The [data_requirements] key, or for the checks that always run "medical_claim_rows",
  // "eligibility_rows" and (pharmacy in the services) "pharmacy_claim_rows".
  std::string name;
  std::string required;  // "≥ 0.98"
  std::string actual;    // "0.973"
  std::string status;    // pass | fail | not_evaluated
  std::string explanation;
};

struct QualityVerdict {
  bool passed = true;  // no check failed
  std::vector<RequirementCheck> checks;
};

// What the scorecard needs to know beyond the dataset.
struct ScorecardContext {
  // The readers' report: claim lines rejected as duplicate_key or implausible_amount are no
  // longer in the dataset; they are counted from here. Null: only the dataset is looked at.
  const IngestReport* report = nullptr;
  // The contract's services include pharmacy: an empty pharmacy_claim table is then a finding
  // and fails the requirements.
  bool pharmacy_required = false;
};

// Computes the scorecard from a loaded dataset. Deterministic. Findings always include, most
// serious first: a required table without rows (medical_claim, eligibility, and pharmacy_claim
// when required), a required field empty on every row, claims without paid dates, and claim
// lines the readers rejected.
QualityScorecard ComputeQualityScorecard(const Dataset& dataset,
                                         const DataRequirements& requirements = {},
                                         const ScorecardContext& context = {});
// The same from the claim lines' tally (line_tally.h: of the whole dataset, or the parts' merged)
// and the dataset's members, eligibility and deliveries; its claim line tables are not read.
QualityScorecard ComputeQualityScorecard(const Dataset& dataset, const ClaimLineTally& lines,
                                         const DataRequirements& requirements,
                                         const ScorecardContext& context);

// Checks the requirements that are set, then checks that always run: medical_claim and
// eligibility (and pharmacy_claim when the scorecard says pharmacy is required) have rows.
// A requested check the data cannot answer fails: max_lag_days_p90 or fail_on_volume_drop
// without a line carrying both a paid and a service date, min_completeness without any scored
// rows, min_enrollment_match without a line with a service date. Only delivery_day_of_month on
// data without delivery dates (CSV) is not_evaluated.
QualityVerdict EvaluateRequirements(const QualityScorecard& scorecard,
                                    const DataRequirements& requirements);

// quality.json (stable key order; amounts as decimal strings) and quality.md.
std::string QualityJson(const QualityScorecard& scorecard, const QualityVerdict* verdict);
std::string QualityMarkdown(const QualityScorecard& scorecard, const QualityVerdict* verdict);

// Field checks, exposed for tests.
bool IsIcd10CmShaped(std::string_view code);  // upper case, no dot
bool IsValidNpi(std::string_view npi);        // 10 digits, Luhn check digit with prefix 80840
bool IsHcpcsShaped(std::string_view code);
bool IsPlaceOfService(std::string_view code);
bool IsBillType(std::string_view code);
bool IsRevenueCode(std::string_view code);

}  // namespace valuepact::quality
