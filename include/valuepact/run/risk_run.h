#pragma once
// RiskRun (`valuepact risk`): CMS-HCC scores from claims in any supported format, with CMS's
// risk-adjustment claim filtering and a per-member explanation; RiskScoreRun (`risk-score`):
// scores for member profiles given directly. Typed requests in, typed results out; report/
// writes the files.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/refdata/reference_data.h"
#include "valuepact/risk/diagnosis_sourcing.h"
#include "valuepact/risk/member_profiles.h"
#include "valuepact/risk/risk_scorer.h"

namespace valuepact::run {

struct RiskRequest {
  std::string data;   // claims folder (RiskRun)
  std::string input;  // member profiles CSV (RiskScoreRun)
  std::string format = "auto";
  std::string refdata;
  std::string model = "auto";  // auto | V24 | V28 | blend (V22, V23 for comparisons)
  int payment_year = 0;
  std::string explain = "all";  // all | none | comma-separated person ids
  bool distributed = false;     // --distributed (CLI)
};

// The claims `risk` reads (medical only), through the format readers; what a rank other than 0
// does in a distributed run (core/distributed.h).
Status ReadRiskData(const RiskRequest& request, Dataset* dataset, IngestReport* report);

struct RiskRunResult {
  std::unique_ptr<ReferenceData> refdata;
  std::optional<risk::RiskScorer> scorer;
  int data_year = 0;
  Dataset dataset;  // RiskRun only
  IngestReport report;
  std::vector<risk::MemberInput> members;
  std::vector<risk::MemberResult> results;
  std::vector<uint8_t> explained;  // per member: explanation in the trace
  Trace trace;
  risk::RiskRunSummary summary;
  risk::DiagnosisSourcingReport sourcing;
  risk::DemographicsReport demographics;
  std::string eligible_codes_table;  // the CPT/HCPCS list used
  risk::ProfileReadResult profiles;  // RiskScoreRun only: ignored columns, rejects
};

Result<RiskRunResult> RiskRun(const RiskRequest& request);
Result<RiskRunResult> RiskScoreRun(const RiskRequest& request);

}  // namespace valuepact::run
