#pragma once
// Cost of care delivery (seed 002, "cost of care delivery"; docs/modeling.md): what one enrolled
// member-month costs under the care model, and what it costs at a given census once the fixed
// monthly costs are spread over the members.
//
//   variable cost per member-month = Σ encounters × (minutes + travel minutes) ÷ 60 × hourly cost
//   cost per member-month at census N = variable + fixed per month ÷ N
//
// Each encounter's cost is exact; amounts are rounded to the cent once, at the figure shown
// (half away from zero), so a discipline's line and the total are each the exact sum rounded.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/modeling/assumptions.h"

namespace valuepact::modeling {

// One discipline's share of a member-month.
struct DisciplineCostLine {
  std::string discipline;
  Money hourly_cost;
  double encounters = 0;    // per member-month
  double hours = 0;         // contact time per member-month
  double travel_hours = 0;  // travel time per member-month
  Money cost;               // per member-month
  Money unbillable_cost;    // the part spent on encounters that are not billable
  long double exact = 0;    // cost in dollars, unrounded
};

// The care model of one setting and tier (encounters for "every" setting or tier included).
struct CareGroupCost {
  std::string setting;  // "" : the care model names no settings
  std::string tier;     // "" : no tiers
  double share = 1;     // of member-months (setting share × tier share)
  std::vector<DisciplineCostLine> by_discipline;
  Money variable_per_member_month;
  long double exact = 0;
};

struct CensusCost {
  int64_t census = 0;
  Money per_member_month;  // variable + fixed ÷ census
  Money total_per_month;   // variable × census + fixed
};

struct CostModel {
  std::vector<CareGroupCost> groups;  // one when the model names no settings or tiers
  // Blended over the groups by their shares.
  std::vector<DisciplineCostLine> by_discipline;
  Money variable_per_member_month;
  long double variable_exact = 0;
  Money unbillable_per_member_month;
  std::vector<NamedAmount> fixed_items;
  Money fixed_per_month;
  std::vector<CensusCost> at_census;
};

// The cost model; `census_points` adds one CensusCost each (a census must be positive).
Result<CostModel> ComputeCostModel(const Assumptions& a, const std::vector<int64_t>& census_points);

// Cost per member-month at census N from the exact variable cost and the fixed cost.
CensusCost CostAtCensus(const CostModel& m, int64_t census);

// The cost of the care actually delivered: visits (minutes and travel minutes by discipline)
// over program member-months, priced at the assumptions' hourly costs.
struct ActualDisciplineLine {
  std::string discipline;
  int64_t visits = 0;
  int64_t minutes = 0;
  int64_t travel_minutes = 0;
  bool priced = false;  // the assumptions give an hourly cost for the discipline
  Money cost;           // total over the period (priced only)
  Money per_member_month;
  double visits_per_member_month = 0;
  double hours_per_member_month = 0;  // contact + travel
};

struct ActualCost {
  int64_t program_member_months = 0;
  int64_t visits_outside_program_months = 0;  // completed visits not in a program member-month
  std::vector<ActualDisciplineLine> by_discipline;
  Money variable_per_member_month;  // priced disciplines only
  Money total;                      // priced disciplines only
  std::vector<std::string> notes;
};

// Visit totals by discipline in program member-months, priced with `a`.
struct VisitTotals {
  std::string discipline;
  int64_t visits = 0;
  int64_t minutes = 0;
  int64_t travel_minutes = 0;
};
ActualCost PriceActualVisits(const Assumptions& a, const std::vector<VisitTotals>& visits,
                             int64_t program_member_months, int64_t visits_outside);

}  // namespace valuepact::modeling
