#pragma once
// The seed 002 payment layers ("Payment Mechanisms Used by the CHCF Payer-Provider Partnership
// Teams"): assessment fee, outlier supplement, quality, data-reporting and advance-care-planning
// incentives. Each pays its amount per unit of its basis when its condition holds.
#include <optional>
#include <string>

#include "valuepact/contract/payment_terms.h"
#include "valuepact/core/money.h"
#include "valuepact/core/trace.h"

namespace valuepact {

struct ProgramLayerInputs {
  // assessment_fee: completed assessments (eligible or not); outlier_supplement: member-months
  // whose services exceed the threshold; acp_incentive: documented ACP discussions.
  std::optional<int64_t> units;
  std::string units_source;  // where the count came from
  // quality_incentive: the measure's value; data_reporting_incentive: share of complete
  // submissions.
  std::optional<double> measure;
  std::string measure_source;
  int64_t member_months = 0;
  int64_t members = 0;
  std::string member_months_id;  // trace ids of the population counts, when in the trace
  std::string members_id;
};

struct ProgramLayerOutcome {
  Money amount;
  std::string branch;  // paid | condition_not_met | no_input
  std::string note;
  std::string amount_id;
};

// Adds "<prefix>.*" nodes to the trace.
ProgramLayerOutcome ComputeProgramLayer(const PaymentLayerTerms& layer,
                                        const ProgramLayerInputs& in, const std::string& prefix,
                                        const std::string& clause, Trace* trace);

}  // namespace valuepact
