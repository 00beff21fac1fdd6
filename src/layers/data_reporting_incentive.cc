// data_reporting_incentive: pays `amount` (once, per member or per member-month) when the share
// of required data submitted complete meets `threshold`.
#include "layers/measure_incentive.h"

namespace valuepact {
namespace {

class DataReportingIncentive final : public LayerKind {
 public:
  std::string_view name() const override { return "data_reporting_incentive"; }
  Result<LayerOutcome> Compute(const LayerContext& ctx) const override {
    return ComputeMeasureIncentive(ctx);
  }
};

}  // namespace

const LayerKind& DataReportingIncentiveLayer() {
  static const DataReportingIncentive k;
  return k;
}

}  // namespace valuepact
