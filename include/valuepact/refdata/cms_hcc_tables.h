#pragma once
// CMS-HCC reference tables as published by CMS (model software and the annual ICD-10 mappings),
// read from the tidy CSV layout of `<refdata>/cms-hcc/` (one row per fact, a model column in
// every table). This header only loads and validates the tables; src/risk compiles them into
// dense scoring arrays.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "valuepact/core/status.h"

namespace valuepact {

// CMS-HCC community/institutional model versions. V24 (2020 model) and V28 (2024 model) are the
// payment models in use; V22 and V23 are kept for comparisons with older results.
enum class HccVersion : uint8_t { kV22 = 0, kV23, kV24, kV28 };
inline constexpr int kHccVersionCount = 4;

const char* HccVersionName(HccVersion v);  // "V24"
// Accepts "V24", "v24", "24", "CMS-HCC V24".
Result<HccVersion> ParseHccVersion(std::string_view text);

// Where a table came from, for the trace and the run id.
struct CmsHccTableSource {
  std::string file;  // name inside the cms-hcc directory, e.g. "ra_dx_to_cc_2026.csv"
  std::string sha256;
  int year = 0;      // the year in the file name; 0 for unversioned tables
  std::string note;  // why this year was used when it is not the payment year
};

// One age/sex edit of the CMS "I0ED" macro: when the member matches (sex, age range), the
// diagnosis either yields no CC (invalid) or a different CC (override).
struct CmsHccDxEdit {
  std::string icd10;
  char sex = 0;      // 'M', 'F' or 0 for any
  int age_min = -1;  // the edit applies when age >= age_min (when set)
  int age_max = -1;  // the edit applies when age <= age_max (when set)
  bool invalid = false;
  int cc_override = 0;  // CC to assign instead, when !invalid
  std::string description;
  std::string source;  // "ra_dx_edits.csv" or the CMS macro the rule comes from
};

struct CmsHccModelTables {
  HccVersion version = HccVersion::kV24;
  int payment_year = 0;
  std::vector<std::pair<std::string, int>> dx_to_cc;  // ICD-10 without dots -> CC, file order
  std::vector<std::pair<std::string, double>> coefficients;  // "CNA_HCC85" -> 0.331
  std::vector<std::pair<int, int>> hierarchy;  // (parent CC, child CC) of the payment model
  std::string hierarchy_table;                 // CMS table name, e.g. "V24H86H1"
  std::map<int, std::string> labels;           // CC -> CMS label
  std::set<int> chronic;                       // CCs flagged chronic for this version
  std::vector<CmsHccDxEdit> dx_edits;
  // Set when the ICD-10 map is borrowed from another version (V23 has no published map in the
  // reference layout; see docs/risk-adjustment.md).
  std::string dx_map_note;
  std::vector<CmsHccTableSource> sources;
};

// The cms-hcc directory: `<dir>/cms-hcc` when it exists, else `dir` itself.
std::string CmsHccDirectory(const std::string& refdata_dir);

// Loads every table `version` needs for `payment_year`. Year-versioned tables use the file of
// the payment year, else the nearest year present (recorded in `sources[].note`). A missing or
// malformed table is an error that names the file and the model that needed it.
Result<CmsHccModelTables> LoadCmsHccModelTables(const std::string& refdata_dir, HccVersion version,
                                                int payment_year);

// The payment year's adjustment_rates.csv row of one ESRD series ("ESRD ... dialysis" or
// "ESRD ... functioning graft"); empty when the file has none.
struct EsrdAdjustment {
  std::optional<double> normalization_factor, ma_coding_adjustment;
  std::string source;  // "adjustment_rates.csv:N (label, year)"; "" when none
};

// The ESRD model (CMS's 2023 ESRD model, coefficient model_version D24) for a payment year: its
// coefficients (ra_coefficients_<year>.csv, rows model_domain ESRD; the nearest year that has
// them) and the normalization factor and MA coding adjustment of its two series: dialysis (the
// dialysis and transplant segments) and functioning graft.
struct EsrdModelTables {
  std::string model_version = "D24";
  std::vector<std::pair<std::string, double>> coefficients;
  CmsHccTableSource coefficients_source;
  EsrdAdjustment dialysis, graft;
};
Result<EsrdModelTables> LoadEsrdModelTables(const std::string& refdata_dir, int payment_year);

// One row of adjustment_rates.csv for a CMS-HCC model (ESRD and RxHCC rows are not loaded).
struct CmsHccAdjustmentRate {
  std::string model_label;  // as written in the file
  HccVersion version = HccVersion::kV24;
  int payment_year = 0;
  std::optional<double> normalization_factor;
  std::optional<double> ma_coding_adjustment;  // 0.059 means scores are multiplied by 0.941
  double blend_weight = 1.0;
  bool pace_only = false;
  std::string source;  // the file's own citation text
  int line = 0;
};

Result<std::vector<CmsHccAdjustmentRate>> LoadCmsHccAdjustmentRates(
    const std::string& refdata_dir, CmsHccTableSource* source = nullptr);

// CMS's list of CPT/HCPCS codes acceptable for risk adjustment, for one year of service (the
// file of that year, else the nearest year present).
struct RaEligibleCodes {
  std::set<std::string> codes;
  CmsHccTableSource source;
};
Result<RaEligibleCodes> LoadRaEligibleCodes(const std::string& refdata_dir, int service_year);

}  // namespace valuepact
