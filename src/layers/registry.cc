// The registered payment layer kinds: one line per kind.
#include "layers/kinds.h"

namespace valuepact {

const std::vector<const LayerKind*>& LayerKinds() {
  static const std::vector<const LayerKind*> kinds = {
      &CaseRateLayer(),          &SharedSavingsLayer(),    &AssessmentFeeLayer(),
      &OutlierSupplementLayer(), &QualityIncentiveLayer(), &DataReportingIncentiveLayer(),
      &AcpIncentiveLayer(),      &EpisodeReconciliationLayer(),
  };
  return kinds;
}

void AssumeInput(const std::string& key, const std::string& value,
                 std::map<std::string, std::string>* inputs, std::vector<std::string>* assumed) {
  if (inputs->count(key)) return;
  (*inputs)[key] = value;
  assumed->push_back(key);
}

const LayerKind* FindLayerKind(std::string_view kind) {
  for (const LayerKind* k : LayerKinds()) {
    if (k->name() == kind) {
      return k;
    }
  }
  return nullptr;
}

}  // namespace valuepact
