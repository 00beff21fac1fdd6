#pragma once
// Member profiles given directly (the `valuepact risk-score` input): one row per member with
// person_id, age, sex (M/F), orec, medicaid (True/False), elig (optional segment: CNA ... INS,
// NE), dx_codes (pipe-separated ICD-10, dots optional), esrd (optional, True/False) and
// graft_months (optional: the month counted from a kidney transplant, 1 = the transplant month;
// a member with it is in ESRD status). `age_feb1` is accepted for `age`. Other columns are
// ignored. A bad row is rejected with its line and reason, never fatal.
#include <cstdint>
#include <string>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/risk/risk_scorer.h"

namespace valuepact::risk {

struct ProfileReject {
  uint64_t line = 0;
  std::string field;
  std::string value;
  std::string reason;
};

struct ProfileReadResult {
  std::vector<MemberInput> members;
  std::vector<uint64_t> lines;  // physical line of each member's row
  std::vector<ProfileReject> rejects;
  std::vector<std::string> ignored_columns;
};

Result<ProfileReadResult> ParseMemberProfiles(std::string_view data, const std::string& name);

// rejects.csv: file,line,field,value,reason.
std::string ProfileRejectsCsv(const std::string& file, const std::vector<ProfileReject>& r);

}  // namespace valuepact::risk
