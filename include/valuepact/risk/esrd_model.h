#pragma once
// CMS's ESRD dialysis model (the 2023 ESRD model, coefficient model_version D24), which scores a
// member in ESRD status instead of the CMS-HCC community or institutional model
// (docs/risk-adjustment.md, "ESRD members"). Diagnoses map to HCCs by the CMS-HCC V24 map and
// hierarchy (the caller's V24 score gives them); renal HCCs 134-138 do not count.
//
//   continuing enrollee (segment DI):  DI_<F|M><age band>
//     + DI_HCC<n> for each payment HCC, and DI_NONAGED_HCC<n> under 65
//     + interactions (params/cms_hcc/interactions.csv, model ESRD-D24; NONAGED = under 65)
//     + DI_OriginallyDisabled_<Female|Male>  (OREC 1, 65 or over)
//     + DI_Originally_ESRD_<Female|Male>     (OREC 2 or 3, 65 or over)
//     + DI_FBDual / DI_PBDual_<Female|Male>_<Aged|NonAged>  (full or partial dual)
//     + DI_LTI_<Aged|NonAged>                (long-term institutional)
//   new enrollee (segment DNE): one cell
//     DNE_<FBD|ND_PBD>_<ORIGDIS|NORIGDIS>_NE<F|M><age band>  (ORIGDIS: OREC 1; a member of 64
//     with OREC 0 is priced in the 65-69 band)
//
// The functioning-graft and transplant segments need the months since a kidney transplant,
// which claims and eligibility feeds do not carry: not implemented (a member is scored as
// dialysis and the explanation says so).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/refdata/cms_hcc_tables.h"
#include "valuepact/risk/cms_hcc_model.h"

namespace valuepact::risk {

struct EsrdScore {
  std::string segment;  // "DI" (dialysis, continuing enrollee) or "DNE" (new enrollee)
  std::string segment_reason;
  double raw_score = 0;
  std::vector<ScoreTerm> terms;  // when explained
};

class EsrdDialysisModel {
 public:
  static Result<EsrdDialysisModel> Build(const EsrdModelTables& tables);

  // `hccs`: the member's payment HCCs under the CMS-HCC V24 map and hierarchy.
  EsrdScore Score(const Demographics& d, const CcSet& hccs, bool explain) const;

  const std::string& source() const { return source_; }  // "ra_coefficients_2026.csv (D24)"

 private:
  std::optional<double> Coef(const std::string& name) const;
  void Add(const std::string& name, const std::string& variable, ScoreTerm::Kind kind,
           std::string why, bool explain, EsrdScore* out) const;

  std::vector<std::pair<std::string, double>> coef_;  // sorted by name
  InteractionStructure structure_;
  std::string source_;
};

}  // namespace valuepact::risk
