#pragma once
// Break-even and the start-up ramp (seed 002: "estimate the patient volume needed to achieve
// financial breakeven", start-up losses "before referral volumes catch up to staffing costs";
// docs/modeling.md).
//
//   census(t) = census(t−1) × (1 − 1/L) + referrals(t) × acceptance rate      (census(0) given)
//   assessed(t) = referrals(t) × (acceptance rate + ineligible share)
//   member-months(t) = census(t)
//   revenue(t) = Σ layers of the contract (below); cost(t) = variable × census(t) + fixed
//                + start-up (its first months)
//   break-even census = ⌈net fixed ÷ (revenue per member-month − variable cost per member-month)⌉
//
// Revenue per layer kind: a program case rate × member-months (by the setting mix); an
// assessment fee × every assessed referral, the ineligible included; supplements and incentives
// × the share expected to be earned ([ramp.expected]); layers paid on the plan's population need
// [ramp] population_members. Shared savings are not projected (`model simulate` does that).
#include <optional>
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/modeling/assumptions.h"
#include "valuepact/modeling/cost_model.h"

namespace valuepact::modeling {

// How one payment layer earns in the projection.
struct LayerRevenueTerm {
  std::string layer_id;
  std::string kind;
  std::string rule;  // the counting rule, in words
  // Cents per unit × expected share, for each unit the layer counts.
  long double per_member_month = 0;  // program member-months (census)
  long double per_assessed = 0;      // assessed referrals
  long double per_new_enrollee = 0;  // referrals × acceptance
  long double per_month = 0;         // every month, whatever the census
  long double per_year = 0;          // a year's amount, accrued by twelfths
  std::optional<Money> cap;          // per 12 months
  bool projected = true;             // false: not counted, `rule` says why
};

struct RampMonth {
  int month = 0;
  std::string calendar_month;  // YYYY-MM from the contract period's start
  double referrals = 0;
  double assessed = 0;
  double new_enrollees = 0;
  double census = 0;
  double member_months = 0;
  std::vector<Money> revenue_by_layer;  // in the order of RampResult::layers
  Money revenue;
  Money cost;
  Money margin;
  Money cumulative;
};

struct BreakEven {
  std::optional<int64_t> census;  // none: revenue per member-month does not exceed variable cost
  std::optional<int> month;       // the first month whose margin is ≥ 0 (within the projection)
  Money peak_cumulative_loss;     // the lowest cumulative position, as a positive loss (or 0)
  std::optional<int> peak_loss_month;
  Money revenue_per_member_month;        // steady state
  Money variable_cost_per_member_month;  //
  Money fixed_per_month;
  Money census_independent_revenue_per_month;
  Money net_fixed_per_month;  // fixed − census-independent revenue
};

struct RampResult {
  std::vector<LayerRevenueTerm> layers;
  std::vector<RampMonth> months;
  BreakEven break_even;
  Money total_revenue, total_cost;
  std::vector<std::string> notes;
};

// The revenue terms of each of the contract's layers under the assumptions.
std::vector<LayerRevenueTerm> RevenueTerms(const Assumptions& a, const Contract& k,
                                           std::vector<std::string>* notes);

Result<RampResult> ProjectRamp(const Assumptions& a, const CostModel& cost, const Contract& k);

}  // namespace valuepact::modeling
