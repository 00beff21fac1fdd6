#pragma once
// One accessor per layer kind, each defined in its own file.
#include "valuepact/layers/layer.h"

namespace valuepact {

const LayerKind& CaseRateLayer();
const LayerKind& SharedSavingsLayer();
const LayerKind& AssessmentFeeLayer();
const LayerKind& OutlierSupplementLayer();
const LayerKind& QualityIncentiveLayer();
const LayerKind& DataReportingIncentiveLayer();
const LayerKind& AcpIncentiveLayer();
const LayerKind& EpisodeReconciliationLayer();

// Pays `amount` per unit of one quantity (assessment fee, ACP incentive, outlier supplement).
class CountLayer : public LayerKind {
 public:
  Result<LayerOutcome> Compute(const LayerContext& ctx) const override;

 protected:
  virtual std::string QuantityName(const PaymentLayerTerms& layer) const = 0;
  virtual std::string What(const PaymentLayerTerms& layer) const = 0;
};

// No count was available: the layer pays 0.00 with outcome no_input and says why.
LayerOutcome NoInput(const LayerContext& ctx, const std::string& why);

}  // namespace valuepact
