// data_reporting_incentive: pays `amount` (once, per member or per member-month) when the share
// of required data submitted complete meets `threshold`.
#include <algorithm>

#include <fmt/format.h>

#include "layers/measure_incentive.h"

namespace valuepact {
namespace {

class DataReportingIncentive final : public LayerKind {
 public:
  std::string_view name() const override { return "data_reporting_incentive"; }
  Result<LayerOutcome> Compute(const LayerContext& ctx) const override {
    return ComputeMeasureIncentive(ctx);
  }
  // A share of complete data just above the threshold.
  void AddIllustrationInputs(const PaymentLayerTerms& p, std::map<std::string, std::string>* in,
                             std::vector<std::string>* assumed) const override {
    AssumeInput("data_reporting_rate",
                fmt::format("{:g}", std::min(1.0, p.program.threshold.value_or(0) + 0.02)), in,
                assumed);
  }
};

}  // namespace

const LayerKind& DataReportingIncentiveLayer() {
  static const DataReportingIncentive k;
  return k;
}

}  // namespace valuepact
