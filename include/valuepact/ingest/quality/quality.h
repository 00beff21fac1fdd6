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

namespace valuepact::quality {

struct FieldQuality {
  std::string table;  // medical_claim | pharmacy_claim | eligibility
  std::string field;
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
  uint64_t claims = 0;    // lines with both a paid date and a service date
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
  std::vector<FieldQuality> fields;
  uint64_t duplicate_medical_lines = 0;  // same claim id and line number as an earlier line
  uint64_t duplicate_pharmacy_lines = 0;
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
  double duplicate_share() const {
    return medical_lines ? static_cast<double>(duplicate_medical_lines) / medical_lines : 0.0;
  }
};

// Thresholds from a contract's [data_requirements] (typed by the contract module).
using DataRequirements = ::valuepact::DataRequirements;

struct RequirementCheck {
  std::string name;      // the [data_requirements] key
  std::string required;  // "≥ 0.98"
  std::string actual;    // "0.973"
  std::string status;    // pass | fail | not_evaluated
  std::string explanation;
};

struct QualityVerdict {
  bool passed = true;  // no check failed
  std::vector<RequirementCheck> checks;
};

// Computes the scorecard from a loaded dataset. Deterministic.
QualityScorecard ComputeQualityScorecard(const Dataset& dataset,
                                         const DataRequirements& requirements = {});

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
