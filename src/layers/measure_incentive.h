#pragma once
// Shared by quality_incentive and data_reporting_incentive: pay when a measured value meets the
// contract's threshold — once, per member or per member-month of the population.
#include "layers/kinds.h"

namespace valuepact {

Result<LayerOutcome> ComputeMeasureIncentive(const LayerContext& ctx);

}  // namespace valuepact
