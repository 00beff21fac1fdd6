// assessment_fee: `amount` × initial assessments dated in the period for persons plan-enrolled
// in the assessment's month, whether or not they were found eligible or enrolled (seed 002,
// "Payment Mechanisms Used": the fee is paid "in instances where the patient is found to not
// meet the contract's eligibility criteria").
#include "layers/kinds.h"

namespace valuepact {
namespace {

class AssessmentFee final : public CountLayer {
 public:
  std::string_view name() const override { return "assessment_fee"; }
  std::string QuantityName(const PaymentLayerTerms&) const override {
    return "program.initial_assessments";
  }
  void AddIllustrationInputs(const PaymentLayerTerms&, std::map<std::string, std::string>* inputs,
                             std::vector<std::string>* assumed) const override {
    AssumeInput("assessments_completed", "120", inputs, assumed);
  }
  std::string What(const PaymentLayerTerms&) const override { return "initial assessments"; }
};

}  // namespace

const LayerKind& AssessmentFeeLayer() {
  static const AssessmentFee k;
  return k;
}

}  // namespace valuepact
