#pragma once
// The program-economics assumptions file (`valuepact model …`, docs/modeling.md): what a care
// model costs to deliver and how a program is expected to ramp up. One TOML file both partners
// can exchange; unknown keys are errors, as in contracts.
//
//   [[discipline]]  name, hourly_cost                      loaded cost of an hour of staff time
//   [[encounter]]   discipline, modality, per_member_month, minutes, travel_minutes, billable,
//                   setting (optional), tier (optional)    the care model
//   [fixed]         per_month (an amount or a table of named amounts), startup_per_month,
//                   startup_months
//   [ramp]          months, referrals_per_month (a number or one per month), acceptance_rate,
//                   ineligible_share, length_of_service_months, initial_census,
//                   population_members, setting_mix, tier_mix, [ramp.expected] (layer id ->
//                   expected share earned)
//   [roi]           savings (assumed gross savings to the payer), payments (optional)
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "valuepact/core/money.h"
#include "valuepact/core/status.h"

namespace valuepact::modeling {

struct DisciplineCost {
  std::string name;
  Money hourly_cost;  // loaded: salary, benefits, overhead
  int line = 0;
};

// One kind of encounter in the care model, counted per enrolled member-month.
struct Encounter {
  std::string discipline;
  std::string modality;  // in_person | video | phone
  double per_member_month = 0;
  double minutes = 0;
  double travel_minutes = 0;
  bool billable = true;
  std::string setting;  // "" : every setting
  std::string tier;     // "" : every acuity tier
  int line = 0;
};

struct NamedAmount {
  std::string name;
  Money amount;
};

// A share by name (setting or tier), summing to 1.
using Mix = std::vector<std::pair<std::string, double>>;

struct RampAssumptions {
  int months = 0;
  std::vector<double> referrals;  // one per month (a single number is repeated)
  double acceptance_rate = 0;     // share of referrals that enroll
  double ineligible_share = 0;    // share of referrals assessed and found ineligible
  double length_of_service_months = 0;
  double initial_census = 0;
  // Members in the contract's population each month, for layers paid on the plan's population
  // (a population case rate, incentives per member or member-month); absent: not projected.
  std::optional<double> population_members;
  // Layer id -> the share of the layer's full amount expected to be earned (incentives,
  // supplements). Layers without one are projected at 0, with a note.
  std::vector<std::pair<std::string, double>> expected;
};

struct RoiAssumptions {
  std::optional<Money> savings;   // gross savings to the payer over the period
  std::optional<Money> payments;  // program payments over the period
};

struct Assumptions {
  std::string path;
  std::vector<DisciplineCost> disciplines;
  std::vector<Encounter> encounters;
  std::vector<NamedAmount> fixed;  // per month, by item
  Money startup_per_month;
  int startup_months = 0;
  Mix setting_mix;  // [ramp] setting_mix, also used to blend the cost model
  Mix tier_mix;
  std::optional<RampAssumptions> ramp;
  RoiAssumptions roi;

  Money fixed_per_month() const;
  const DisciplineCost* FindDiscipline(const std::string& name) const;
};

// Parses the file's text; every problem is reported as "path:line:col: key: problem".
Result<Assumptions> ParseAssumptions(std::string_view text, const std::string& path);
Result<Assumptions> LoadAssumptions(const std::string& path);

}  // namespace valuepact::modeling
