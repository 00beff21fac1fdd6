#include "valuepact/run/quality_run.h"

#include "valuepact/contract/contract.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/run/loader.h"

namespace valuepact::run {

Result<QualityRunResult> QualityRun(const QualityRequest& req) {
  QualityRunResult out;
  auto format = ParseDataFormat(req.format);
  if (!format.ok()) {
    return format.status();
  }
  DataRequirements requirements;
  quality::ScorecardContext context;
  // Without a contract: the data as it is (a cache as it was imported). With one: the data as
  // the contract's runs read it (its amount basis, pharmacy, largest plausible line amount), so
  // the scorecard is the one `settle` computes.
  LoadOptions options;
  options.cache_as_imported = req.contract.empty();
  if (!req.contract.empty()) {
    ContractParseOptions po;
    po.allow_draft = true;
    auto k = LoadContract(req.contract, po);
    if (!k.ok()) {
      return k.status();
    }
    requirements = k->data_requirements;
    // The services decide whether pharmacy claims are required.
    context.pharmacy_required = k->pharmacy;
    options = DataLoadOptions(*k);
  }
  options.diagnoses = false;  // the scorecard reads only what MedicalClaimTable::dx_first keeps
  if (Status s = LoadDataDirectory(req.data, *format, options, &out.dataset, &out.report);
      !s.ok()) {
    return s;
  }
  context.report = &out.report;
  out.scorecard = quality::ComputeQualityScorecard(out.dataset, requirements, context);
  if (!req.contract.empty()) {
    out.verdict = quality::EvaluateRequirements(out.scorecard, requirements);
  }
  return out;
}

}  // namespace valuepact::run
