#pragma once
// From raw CMS-HCC scores to payment scores: normalization by payment year, the MA coding
// pattern adjustment, and the V24/V28 blend, all read from adjustment_rates.csv.
//
//   normalized = raw / normalization_factor(model, payment year)
//   payment    = normalized x (1 - MA coding pattern adjustment)
//   blend      = sum over models of weight x normalized, then x (1 - MA coding adjustment)
#include <string>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/refdata/cms_hcc_tables.h"

namespace valuepact::risk {

struct ModelAdjustment {
  HccVersion version = HccVersion::kV24;
  int payment_year = 0;
  double normalization_factor = 1.0;
  double ma_coding_adjustment = 0.0;
  double blend_weight = 1.0;
  std::string source;  // "adjustment_rates.csv:7 (CMS-HCC V24, 2024)"
};

// The non-PACE row of `version` for `payment_year`. NotFound (naming the file, model and
// year) when there is no row or the row has no normalization factor or MA adjustment.
Result<ModelAdjustment> FindAdjustment(const std::vector<CmsHccAdjustmentRate>& rates,
                                       HccVersion version, int payment_year);

// The models CMS blends for a payment year (non-PACE rows), with weights summing to 1.
struct BlendPlan {
  int payment_year = 0;
  std::vector<ModelAdjustment> parts;  // in version order
  double ma_coding_adjustment = 0.0;
};
Result<BlendPlan> PlanBlend(const std::vector<CmsHccAdjustmentRate>& rates, int payment_year);

}  // namespace valuepact::risk
