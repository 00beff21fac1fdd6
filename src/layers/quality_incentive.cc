// quality_incentive: pays `amount` (once, per member or per member-month) when the named quality
// measure meets `threshold` (`higher_is_better = false`: at or below it).
#include <fmt/format.h>

#include "layers/measure_incentive.h"

namespace valuepact {
namespace {

class QualityIncentive final : public LayerKind {
 public:
  std::string_view name() const override { return "quality_incentive"; }
  Result<LayerOutcome> Compute(const LayerContext& ctx) const override {
    return ComputeMeasureIncentive(ctx);
  }
  // A measure that meets the threshold: 0.04 above it (or 10% under it when lower is better).
  void AddIllustrationInputs(const PaymentLayerTerms& p, std::map<std::string, std::string>* in,
                             std::vector<std::string>* assumed) const override {
    const double th = p.program.threshold.value_or(0);
    AssumeInput("quality_measure",
                fmt::format("{:g}", p.program.higher_is_better ? th + 0.04 : th * 0.9), in,
                assumed);
  }
};

}  // namespace

const LayerKind& QualityIncentiveLayer() {
  static const QualityIncentive k;
  return k;
}

}  // namespace valuepact
