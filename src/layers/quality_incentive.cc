// quality_incentive: pays `amount` (once, per member or per member-month) when the named quality
// measure meets `threshold` (`higher_is_better = false`: at or below it).
#include "layers/measure_incentive.h"

namespace valuepact {
namespace {

class QualityIncentive final : public LayerKind {
 public:
  std::string_view name() const override { return "quality_incentive"; }
  Result<LayerOutcome> Compute(const LayerContext& ctx) const override {
    return ComputeMeasureIncentive(ctx);
  }
};

}  // namespace

const LayerKind& QualityIncentiveLayer() {
  static const QualityIncentive k;
  return k;
}

}  // namespace valuepact
