#pragma once
// Scores a population with one or more CMS-HCC models for a payment year, in parallel, and
// writes member_scores.csv and the per-member explanation as trace nodes:
//
//   risk.<person_id>.<model>.segment | .dx.<code> | .dropped.<HCC> | .term.<variable>
//   risk.<person_id>.<model>.raw_score -> .normalized_score -> .payment_score
//   risk.<person_id>.blend.payment_score (with --model blend)
//   risk.<person_id>.score   the member's final score (the requested model, or the blend)
//
// Results and trace are identical for any thread count: members are scored independently and
// their nodes are appended in input order.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"
#include "valuepact/refdata/reference_data.h"
#include "valuepact/risk/cms_hcc_model.h"
#include "valuepact/risk/esrd_model.h"
#include "valuepact/risk/risk_adjustment.h"

namespace valuepact::risk {

struct MemberInput {
  std::string person_id;
  Demographics demo;
  std::vector<std::string> dx;    // ICD-10 codes as given (dots allowed)
  std::string demographics_note;  // where the demographics came from, for the trace
};

struct RiskRequest {
  int payment_year = 0;
  std::vector<HccVersion> models;  // e.g. {V24}, or {V24, V28} for a blend
  bool blend = false;              // combine the models with the payment year's weights
};

struct ModelResult {
  HccVersion version = HccVersion::kV24;
  MemberScore score;
  std::optional<double> normalized;  // empty when the payment year has no rates for the model
  std::optional<double> payment;
};

// A member in ESRD status: the ESRD model's score, which is the member's final score.
struct EsrdResult {
  EsrdScore score;
  std::optional<double> normalized, payment;
};

struct MemberResult {
  std::vector<ModelResult> models;  // in RiskRequest::models order
  std::optional<double> blend_raw, blend_normalized, blend_payment;
  std::optional<EsrdResult> esrd;
  // The member's final score: the ESRD model's for a member in ESRD status, else the blend's (or
  // the single model's) payment score when rates exist, else the raw score.
  double final_score = 0;
};

struct RiskRunSummary {
  uint64_t members = 0;
  uint64_t dx_given = 0, dx_mapped = 0, dx_unmapped = 0, dx_malformed = 0, dx_edited = 0;
};

class RiskScorer {
 public:
  // Loads the tables of every requested model. For a blend, the models are the payment year's
  // blend components from adjustment_rates.csv and `request.models` is ignored.
  static Result<RiskScorer> Load(const ReferenceData& refdata, RiskRequest request);

  const RiskRequest& request() const { return request_; }
  const std::vector<CmsHccModel>& models() const { return models_; }
  // Notes for the run summary: substituted table years, missing rates.
  const std::vector<std::string>& notes() const { return notes_; }
  // Whether members in ESRD status are scored with the ESRD model.
  bool has_esrd_model() const { return esrd_.has_value(); }

  // Scores every member (in parallel). When `trace` is given, members whose index has
  // `explain[i] != 0` (all when `explain` is empty) get their explanation appended.
  std::vector<MemberResult> ScoreAll(const std::vector<MemberInput>& members, Trace* trace,
                                     const std::vector<uint8_t>& explain = {},
                                     RiskRunSummary* summary = nullptr) const;

  // member_scores.csv: person_id, model, payment_year, segment, raw_score, normalized_score,
  // payment_score, hccs — one row per member and model, plus a "blend" row when blending.
  std::string MemberScoresCsv(const std::vector<MemberInput>& members,
                              const std::vector<MemberResult>& results) const;

  // The trace node id of a member's final score.
  static std::string ScoreNodeId(const std::string& person_id);

 private:
  void AppendTrace(const MemberInput& in, const std::vector<MemberExplanation>& ex,
                   const MemberResult& r, std::vector<TraceNode>* out) const;
  // The ESRD model, when the reference tables have it (else ESRD members are scored with the
  // requested CMS-HCC models and a note says so).
  void LoadEsrd(const ReferenceData& refdata);
  std::optional<EsrdResult> ScoreEsrd(const MemberInput& in,
                                      std::span<const std::string_view> codes,
                                      const MemberResult& res) const;
  // Appends the ESRD nodes; returns the id of the ESRD score node.
  std::string AppendEsrdTrace(const MemberInput& in, const EsrdResult& e,
                              std::vector<TraceNode>* out) const;
  // Appends the normalized and payment score nodes; returns the id of the payment score node.
  std::string AppendEsrdAdjustmentTrace(const std::string& prefix, const std::string& pid,
                                        const EsrdResult& e, const std::string& raw_id,
                                        std::vector<TraceNode>* out) const;

  RiskRequest request_;
  std::vector<CmsHccModel> models_;
  std::vector<std::optional<ModelAdjustment>> adjustments_;  // per model
  std::optional<BlendPlan> blend_;
  std::vector<std::string> notes_;
  std::optional<EsrdModel> esrd_;
  // The payment year's normalization and MA coding adjustment of the ESRD dialysis series
  // (dialysis and transplant segments) and functioning-graft series.
  EsrdAdjustment esrd_dialysis_adj_, esrd_graft_adj_;
  const EsrdAdjustment& EsrdAdjustmentOf(const EsrdScore& s) const {
    return s.graft_normalization ? esrd_graft_adj_ : esrd_dialysis_adj_;
  }
  int esrd_v24_index_ = -1;                // the requested V24 model that maps diagnoses, or
  std::vector<CmsHccModel> esrd_v24_map_;  // a V24 model loaded for it
};

// A score as written in files: at least six significant digits, float noise removed.
std::string FormatScore(double v);

}  // namespace valuepact::risk
