#pragma once
// CMS's ESRD model (the 2023 ESRD model, coefficient model_version D24), which scores a member in
// ESRD status instead of the CMS-HCC community or institutional model (docs/risk-adjustment.md,
// "ESRD members"). Diagnoses map to HCCs by the CMS-HCC V24 map and hierarchy (the caller's V24
// score gives them); renal HCCs 134-138 do not count. The month counted from a kidney transplant
// (Demographics::graft_months) picks the family: none = dialysis, 1-3 = transplant, 4 on =
// functioning graft, with duration DUR4_9 (months 4-9) or DUR10PL (month 10 on). Dual status,
// long-term institutional and new-enrollee status come from the member's flags, or from a segment
// given for the member (elig: CFA/CFD full-benefit dual, CPA/CPD partial, INS, NE).
//
//   dialysis, continuing enrollee (segment DI):
//     DI_<F|M><age band> + DI_HCC<n> per payment HCC, and DI_NONAGED_HCC<n> under 65
//     + interactions (params/cms_hcc/interactions.csv, model ESRD-D24; NONAGED = under 65)
//     + DI_OriginallyDisabled_<Female|Male>  (OREC 1, 65 or over)
//     + DI_Originally_ESRD_<Female|Male>     (OREC 2 or 3, 65 or over)
//     + DI_FBDual / DI_PBDual_<Female|Male>_<Aged|NonAged>  (full or partial dual)
//     + DI_LTI_<Aged|NonAged>                (long-term institutional)
//   dialysis, new enrollee (segment DNE): one cell
//     DNE_<FBD|ND_PBD>_<ORIGDIS|NORIGDIS>_NE<F|M><age band>  (ORIGDIS: OREC 1; a member of 64
//     with OREC 0 is priced in the 65-69 band)
//   transplant, months 1-3 (segment TRANSPLANT): TRANSPLANT_KIDNEY_ONLY_<1|2|3>M alone
//   functioning graft, community: segment GFA / GFN (full-benefit dual, 65 or over / under 65),
//   GNPA / GNPN (partial-benefit or non-dual, 65 or over / under 65):
//     <seg>_<F|M><age band> + <seg>_HCC<n> + interactions + <seg>_OriginallyDisabled_<sex>
//     + FGC_<GE65|LT65>_<duration>_<FBD|ND_PBD> + FGC_PBD_<GE65|LT65>_flag (partial dual)
//   functioning graft, long-term institutional (segment GI):
//     GI_<F|M><age band> + GI_HCC<n> + GI_NONAGED_HCC<n> + interactions + GI_ORIGDS
//     + FGI_<GE65|LT65>_<duration>_<FBD|ND_PBD> + FGI_PBD_<GE65|LT65>_flag + LTI_<GE65|LT65>
//   functioning graft, new enrollee (segment GNE):
//     (GNE_<FBD|ND_PBD>_<ORIGDIS|NORIGDIS>_G_NE<F|M><age band>
//      + FGC_<GE65|LT65>_<duration>_<FBD|ND_PBD>) / ActAdj_<duration>
//     (single-year bands 65-69; ORIGDIS: OREC 1 and 65 or over; a member of 64 with OREC 0 is
//     priced as 65 and aged)
//
// The functioning-graft segments are normalized with the payment year's functioning-graft
// factor, dialysis and transplant with the dialysis factor (EsrdScore::graft_normalization).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/refdata/cms_hcc_tables.h"
#include "valuepact/risk/cms_hcc_model.h"

namespace valuepact::risk {

// Whether the member is scored with the ESRD model: ESRD status, or a kidney transplant month.
inline bool InEsrdStatus(const Demographics& d) { return d.esrd || d.graft_months.has_value(); }

struct EsrdScore {
  // DI, DNE (dialysis); TRANSPLANT; GFA, GFN, GNPA, GNPN, GI, GNE (functioning graft).
  std::string segment;
  std::string segment_reason;
  bool graft_normalization = false;  // a functioning-graft segment: the graft series' factor
  double raw_score = 0;
  std::vector<ScoreTerm> terms;  // when explained
  // GNE: the sum of the terms is divided by this actuarial adjustment (ActAdj_<duration>).
  std::optional<ScoreTerm> divisor;
};

class EsrdModel {
 public:
  static Result<EsrdModel> Build(const EsrdModelTables& tables);

  // `hccs`: the member's payment HCCs under the CMS-HCC V24 map and hierarchy.
  EsrdScore Score(const Demographics& d, const CcSet& hccs, bool explain) const;

  const std::string& source() const { return source_; }  // "ra_coefficients_2026.csv (D24)"
  // Whether the table has the transplant and functioning-graft rows (else a member with
  // graft_months is scored as dialysis and the segment reason says so).
  bool has_graft() const { return graft_; }

 private:
  struct Flags;  // the member's dual, long-term institutional and new-enrollee status
  // The member's flags; a segment given for the member (elig) states the one it is about.
  static Flags FlagsOf(const Demographics& d);
  std::optional<double> Coef(const std::string& name) const;
  void Add(const std::string& name, const std::string& variable, ScoreTerm::Kind kind,
           std::string why, bool explain, EsrdScore* out) const;
  void AddContinuing(const std::string& seg, const Demographics& d, const CcSet& hccs, bool explain,
                     EsrdScore* out) const;
  void AddInteractions(const std::string& seg, bool aged, const CcSet& hccs, bool explain,
                       EsrdScore* out) const;
  void ScoreDialysis(const Demographics& d, const Flags& s, const CcSet& hccs, bool explain,
                     EsrdScore* out) const;
  void ScoreDialysisNewEnrollee(const Demographics& d, const Flags& s, bool explain,
                                EsrdScore* out) const;
  void ScoreTransplant(int month, bool explain, EsrdScore* out) const;
  void ScoreGraftCommunity(const Demographics& d, const Flags& s, const CcSet& hccs, bool explain,
                           EsrdScore* out) const;
  void ScoreGraftInstitutional(const Demographics& d, const Flags& s, const CcSet& hccs,
                               bool explain, EsrdScore* out) const;
  void ScoreGraftNewEnrollee(const Demographics& d, const Flags& s, bool explain,
                             EsrdScore* out) const;

  std::vector<std::pair<std::string, double>> coef_;  // sorted by name
  InteractionStructure structure_;
  std::string source_;
  bool graft_ = false;
};

}  // namespace valuepact::risk
