// Scoring a whole dataset for one payment year (dataset_scoring.h).
#include "valuepact/risk/dataset_scoring.h"

#include "valuepact/refdata/cms_hcc_tables.h"

namespace valuepact::risk {

Result<DatasetScoring> PrepareDatasetScoring(const Dataset& ds, const ReferenceData& refdata,
                                             const std::string& model, int payment_year) {
  RiskRequest req;
  req.payment_year = payment_year;
  if (model == "blend") {
    req.blend = true;
  } else {
    auto v = ParseHccVersion(model);
    if (!v.ok()) {
      return v.status();
    }
    req.models = {*v};
  }
  auto scorer = RiskScorer::Load(refdata, req);
  if (!scorer.ok()) {
    return scorer.status();
  }
  auto eligible = refdata.EligibleCodes(payment_year - 1);
  if (!eligible.ok()) {
    return eligible.status();
  }
  DiagnosisSourcingOptions so;
  so.data_year = payment_year - 1;
  so.eligible_codes = &(*eligible)->codes;
  DiagnosisSourcingReport sourcing;
  const auto dx = SourceDiagnoses(ds, so, &sourcing);
  if (!dx.ok()) return dx.status();
  DatasetScoring out{std::move(*scorer), {}, {}};
  out.members = MembersFromDataset(ds, payment_year, *dx, &out.demographics);
  return out;
}

}  // namespace valuepact::risk
