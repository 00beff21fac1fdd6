// The registered payment layer kinds: one line per kind.
#include "layers/kinds.h"

namespace valuepact {

const std::vector<const LayerKind*>& LayerKinds() {
  static const std::vector<const LayerKind*> kinds = {
      &CaseRateLayer(),          &SharedSavingsLayer(),    &AssessmentFeeLayer(),
      &OutlierSupplementLayer(), &QualityIncentiveLayer(), &DataReportingIncentiveLayer(),
      &AcpIncentiveLayer(),
  };
  return kinds;
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
