// acp_incentive: `amount` × members with at least one advance-care-planning discussion dated in
// the period on a day inside one of their program enrollment spans, in a program member-month
// (`unit = "event"`: × such discussions).
#include "layers/kinds.h"

namespace valuepact {
namespace {

class AcpIncentive final : public CountLayer {
 public:
  std::string_view name() const override { return "acp_incentive"; }
  std::string QuantityName(const PaymentLayerTerms& p) const override {
    return p.program.unit == "event" ? "program.acp_events" : "program.acp_members";
  }
  void AddIllustrationInputs(const PaymentLayerTerms&, std::map<std::string, std::string>* inputs,
                             std::vector<std::string>* assumed) const override {
    AssumeInput("acp_discussions", "40", inputs, assumed);
  }
  std::string What(const PaymentLayerTerms& p) const override {
    return p.program.unit == "event" ? "advance-care-planning discussions"
                                     : "members with an advance-care-planning discussion";
  }
};

}  // namespace

const LayerKind& AcpIncentiveLayer() {
  static const AcpIncentive k;
  return k;
}

}  // namespace valuepact
