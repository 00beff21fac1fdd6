// outlier_supplement: `amount` × program member-months in which the member's visits dated in the
// month number more than `threshold` (`measure = "minutes"`: the sum of visit minutes).
#include <fmt/format.h>

#include "layers/kinds.h"

namespace valuepact {
namespace {

class OutlierSupplement final : public CountLayer {
 public:
  std::string_view name() const override { return "outlier_supplement"; }
  std::string QuantityName(const PaymentLayerTerms&) const override {
    return "program.outlier_member_months";
  }
  void AddIllustrationInputs(const PaymentLayerTerms&, std::map<std::string, std::string>* inputs,
                             std::vector<std::string>* assumed) const override {
    AssumeInput("outlier_member_months", "60", inputs, assumed);
  }
  std::string What(const PaymentLayerTerms& p) const override {
    return fmt::format("program member-months with more than {:g} {}",
                       p.program.threshold.value_or(0),
                       p.program.measure == "minutes" ? "visit minutes" : "visits");
  }
};

}  // namespace

const LayerKind& OutlierSupplementLayer() {
  static const OutlierSupplement k;
  return k;
}

}  // namespace valuepact
