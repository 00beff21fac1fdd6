#pragma once
// Deterministic synthetic Tuva-layout data with a realistic shape: lognormal costs with a few
// very high-cost members, admissions, ED visits, churn, deaths. The same (members, months,
// seed) always gives the same bytes, on any thread count.
#include <cstdint>
#include <string>

#include "valuepact/core/date.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"

namespace valuepact {

struct SynthOptions {
  uint64_t members = 1000;
  int months = 12;
  uint64_t seed = 1;
  YearMonth start = YearMonth::Of(2018, 1);
  std::string payer = "medicare";
  // The share of heart-failure and pneumonia admissions (DRGs 291, 292, 194) delivered as
  // hospital at home: 30% less costly, with a daily physician visit at home (place of service 12)
  // and no skilled nursing stay after. 0 (the default) leaves the data as it always was.
  double hospital_at_home_share = 0.0;
};

struct SynthCounts {
  uint64_t eligibility_rows = 0;
  uint64_t medical_lines = 0;
  uint64_t pharmacy_lines = 0;
};

// Writes eligibility.csv, medical_claim.csv and pharmacy_claim.csv into `out_dir`.
Result<SynthCounts> WriteSyntheticData(const SynthOptions& options, const std::string& out_dir);

}  // namespace valuepact
