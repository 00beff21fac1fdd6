#pragma once
// Scoring a whole dataset for one payment year: the scorer of the requested model and one
// MemberInput per scoreable member, with diagnoses sourced from the claims of the year before
// by CMS's risk-adjustment filtering. The benchmark's mean scores and the metrics comparison
// both start here; each then scores and weights members its own way.
#include <string>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/refdata/reference_data.h"
#include "valuepact/risk/diagnosis_sourcing.h"
#include "valuepact/risk/risk_scorer.h"

namespace valuepact::risk {

struct DatasetScoring {
  RiskScorer scorer;
  std::vector<MemberInput> members;  // members without a birth date are left out
  DemographicsReport demographics;
};

// `model`: V22, V23, V24, V28 or blend. Errors: an unknown model, missing tables.
Result<DatasetScoring> PrepareDatasetScoring(const Dataset& ds, const ReferenceData& refdata,
                                             const std::string& model, int payment_year);

}  // namespace valuepact::risk
