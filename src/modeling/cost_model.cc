#include "valuepact/modeling/cost_model.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace valuepact::modeling {
namespace {

// An encounter's cost per member-month in cents, unrounded: the product first, one division.
long double EncounterCents(const Encounter& e, Money hourly) {
  return static_cast<long double>(e.per_member_month) *
         (static_cast<long double>(e.minutes) + static_cast<long double>(e.travel_minutes)) *
         static_cast<long double>(hourly.cents()) / 60.0L;
}

// The groups the care model is split into: every (setting, tier) of the mixes, or one.
std::vector<CareGroupCost> Groups(const Assumptions& a) {
  const Mix one = {{"", 1.0}};
  const Mix& settings = a.setting_mix.empty() ? one : a.setting_mix;
  const Mix& tiers = a.tier_mix.empty() ? one : a.tier_mix;
  std::vector<CareGroupCost> out;
  for (const auto& [s, s_share] : settings) {
    for (const auto& [t, t_share] : tiers) {
      CareGroupCost g;
      g.setting = s;
      g.tier = t;
      g.share = s_share * t_share;
      out.push_back(std::move(g));
    }
  }
  return out;
}

bool Applies(const Encounter& e, const CareGroupCost& g) {
  return (e.setting.empty() || e.setting == g.setting) && (e.tier.empty() || e.tier == g.tier);
}

// Adds `weight` × the encounter to its discipline's line (in the assumptions' order).
void AddEncounter(const Encounter& e, const DisciplineCost& d, double weight,
                  std::vector<DisciplineCostLine>* lines,
                  std::map<std::string, long double>* unbillable) {
  auto it = std::find_if(lines->begin(), lines->end(),
                         [&](const auto& l) { return l.discipline == d.name; });
  if (it == lines->end()) {
    DisciplineCostLine l;
    l.discipline = d.name;
    l.hourly_cost = d.hourly_cost;
    lines->push_back(l);
    it = lines->end() - 1;
  }
  const long double cents = EncounterCents(e, d.hourly_cost) * weight;
  it->encounters += e.per_member_month * weight;
  it->hours += e.per_member_month * e.minutes / 60.0 * weight;
  it->travel_hours += e.per_member_month * e.travel_minutes / 60.0 * weight;
  it->exact += cents;
  if (!e.billable) (*unbillable)[d.name] += cents;
}

// Rounds each line, in the order of the assumptions' disciplines; returns the exact total.
long double Finish(const Assumptions& a, std::vector<DisciplineCostLine>* lines,
                   const std::map<std::string, long double>& unbillable) {
  std::vector<DisciplineCostLine> ordered;
  long double total = 0;
  for (const auto& d : a.disciplines) {
    for (auto& l : *lines) {
      if (l.discipline != d.name) continue;
      l.cost = RoundCentsHalfAway(l.exact);
      auto u = unbillable.find(l.discipline);
      l.unbillable_cost = u == unbillable.end() ? Money() : RoundCentsHalfAway(u->second);
      total += l.exact;
      l.exact /= 100.0L;
      ordered.push_back(l);
    }
  }
  *lines = std::move(ordered);
  return total;
}

}  // namespace

CensusCost CostAtCensus(const CostModel& m, int64_t census) {
  CensusCost c;
  c.census = census;
  const long double fixed = static_cast<long double>(m.fixed_per_month.cents());
  c.per_member_month =
      RoundCentsHalfAway(m.variable_exact * 100.0L + fixed / static_cast<long double>(census));
  c.total_per_month =
      RoundCentsHalfAway(m.variable_exact * 100.0L * static_cast<long double>(census) + fixed);
  return c;
}

Result<CostModel> ComputeCostModel(const Assumptions& a,
                                   const std::vector<int64_t>& census_points) {
  if (a.encounters.empty()) {
    return InvalidInput(fmt::format(
        "{}: no [[encounter]] and [[discipline]] tables: the cost model needs the care model",
        a.path));
  }
  CostModel m;
  m.groups = Groups(a);
  std::map<std::string, long double> blended_unbillable;
  for (auto& g : m.groups) {
    std::map<std::string, long double> unbillable;
    for (const Encounter& e : a.encounters) {
      if (!Applies(e, g)) continue;
      const DisciplineCost* d = a.FindDiscipline(e.discipline);
      AddEncounter(e, *d, 1.0, &g.by_discipline, &unbillable);
      AddEncounter(e, *d, g.share, &m.by_discipline, &blended_unbillable);
    }
    g.exact = Finish(a, &g.by_discipline, unbillable) / 100.0L;
    g.variable_per_member_month = RoundToCents(g.exact);
  }
  m.variable_exact = Finish(a, &m.by_discipline, blended_unbillable) / 100.0L;
  m.variable_per_member_month = RoundToCents(m.variable_exact);
  long double unbillable = 0;
  for (const auto& [name, cents] : blended_unbillable) unbillable += cents;
  m.unbillable_per_member_month = RoundCentsHalfAway(unbillable);
  m.fixed_items = a.fixed;
  m.fixed_per_month = a.fixed_per_month();
  for (int64_t n : census_points) {
    if (n <= 0) return InvalidInput(fmt::format("census {}: must be 1 or more members", n));
    m.at_census.push_back(CostAtCensus(m, n));
  }
  return m;
}

ActualCost PriceActualVisits(const Assumptions& a, const std::vector<VisitTotals>& visits,
                             int64_t program_member_months, int64_t visits_outside) {
  ActualCost out;
  out.program_member_months = program_member_months;
  out.visits_outside_program_months = visits_outside;
  const auto mm = static_cast<long double>(program_member_months);
  long double total_cents = 0;
  for (const VisitTotals& v : visits) {
    ActualDisciplineLine l;
    l.discipline = v.discipline;
    l.visits = v.visits;
    l.minutes = v.minutes;
    l.travel_minutes = v.travel_minutes;
    if (program_member_months > 0) {
      l.visits_per_member_month = static_cast<double>(v.visits / mm);
      l.hours_per_member_month = static_cast<double>((v.minutes + v.travel_minutes) / 60.0L / mm);
    }
    if (const DisciplineCost* d = a.FindDiscipline(v.discipline)) {
      l.priced = true;
      const long double cents = static_cast<long double>(v.minutes + v.travel_minutes) *
                                static_cast<long double>(d->hourly_cost.cents()) / 60.0L;
      l.cost = RoundCentsHalfAway(cents);
      if (program_member_months > 0) l.per_member_month = RoundCentsHalfAway(cents / mm);
      total_cents += cents;
    } else if (v.visits > 0) {
      out.notes.push_back(fmt::format(
          "{} {} visits ({} minutes, {} travel minutes) are not priced: the assumptions have no "
          "[[discipline]] named '{}'; the actual cost leaves them out",
          v.visits, v.discipline, v.minutes, v.travel_minutes, v.discipline));
    }
    out.by_discipline.push_back(l);
  }
  out.total = RoundCentsHalfAway(total_cents);
  if (program_member_months > 0) {
    out.variable_per_member_month = RoundCentsHalfAway(total_cents / mm);
  } else {
    out.notes.push_back("no program member-months in the data: no actual cost per member-month");
  }
  if (visits_outside > 0) {
    out.notes.push_back(fmt::format(
        "{} completed visits fall outside program member-months of the contract's population and "
        "period and are not counted",
        visits_outside));
  }
  return out;
}

}  // namespace valuepact::modeling
