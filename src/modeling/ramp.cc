#include "valuepact/modeling/ramp.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace valuepact::modeling {
namespace {

std::optional<double> ExpectedShare(const Assumptions& a, const std::string& id) {
  if (!a.ramp) return std::nullopt;
  for (const auto& [layer, share] : a.ramp->expected) {
    if (layer == id) return share;
  }
  return std::nullopt;
}

long double Cents(Money m) { return static_cast<long double>(m.cents()); }

// A program case rate: the setting mix's rates (one rate when the contract has no settings).
void CaseRateTerm(const Assumptions& a, const PaymentLayerTerms& p, LayerRevenueTerm* t,
                  std::vector<std::string>* notes) {
  const CaseRateTerms& r = p.case_rate;
  if (r.basis == CaseRateBasis::kPopulation) {
    const auto pop = a.ramp ? a.ramp->population_members : std::nullopt;
    if (!pop) {
      t->projected = false;
      t->rule =
          "paid on the plan's population, not the program census: give [ramp] "
          "population_members to project it";
      return;
    }
    t->per_month = Cents(r.pmpm) * static_cast<long double>(*pop);
    t->rule = fmt::format("{} × {} population members each month", r.pmpm.ToString(), *pop);
    return;
  }
  if (!r.has_settings()) {
    t->per_member_month = Cents(r.pmpm);
    t->rule = fmt::format("{} per program member-month", r.pmpm.ToString());
    return;
  }
  if (a.setting_mix.empty()) {
    t->projected = false;
    t->rule = "the rate depends on the care setting: give [ramp] setting_mix";
    notes->push_back(fmt::format("layer '{}': {}", p.id, t->rule));
    return;
  }
  std::string rule;
  for (const auto& [setting, share] : a.setting_mix) {
    Money rate;
    bool found = false;
    for (const auto& [s, m] : r.by_setting) {
      if (s == setting) rate = m, found = true;
    }
    if (!found && share > 0) {
      notes->push_back(fmt::format(
          "layer '{}': the contract pays no case rate in setting '{}' ({}% of member-months)", p.id,
          setting, share * 100));
    }
    t->per_member_month += Cents(rate) * static_cast<long double>(share);
    rule += fmt::format("{}{} × {}", rule.empty() ? "" : " + ", share, rate.ToString());
  }
  t->rule = "per program member-month: " + rule;
}

// Incentives measured on the plan's population (per member-month, per member, per period).
void MeasureIncentiveTerm(const Assumptions& a, const PaymentLayerTerms& p, double share,
                          LayerRevenueTerm* t) {
  const ProgramLayerTerms& g = p.program;
  const long double amount = Cents(g.amount) * static_cast<long double>(share);
  if (g.basis == "per_period") {
    t->per_year = amount;
    t->rule = fmt::format("{} × expected share {} a year, accrued by twelfths", g.amount.ToString(),
                          share);
    return;
  }
  const auto pop = a.ramp ? a.ramp->population_members : std::nullopt;
  if (!pop) {
    t->projected = false;
    t->rule = fmt::format("paid {} of the plan's population: give [ramp] population_members",
                          g.basis == "per_member" ? "per member" : "per member-month");
    return;
  }
  if (g.basis == "per_member_month") {
    t->per_month = amount * static_cast<long double>(*pop);
  } else {
    t->per_year = amount * static_cast<long double>(*pop);
  }
  t->rule =
      fmt::format("{} × expected share {} × {} population members {}", g.amount.ToString(), share,
                  *pop, g.basis == "per_member" ? "a year, accrued by twelfths" : "each month");
}

LayerRevenueTerm TermFor(const Assumptions& a, const PaymentLayerTerms& p,
                         std::vector<std::string>* notes) {
  LayerRevenueTerm t;
  t.layer_id = p.id;
  t.kind = p.kind;
  t.cap = p.program.cap;
  if (p.kind == "case_rate") {
    CaseRateTerm(a, p, &t, notes);
    return t;
  }
  if (p.kind == "shared_savings") {
    t.projected = false;
    t.rule = "shared savings are not projected here (see valuepact model simulate)";
    return t;
  }
  const Money amount = p.program.amount;
  if (p.kind == "assessment_fee") {
    t.per_assessed = Cents(amount);
    t.rule = fmt::format("{} per assessed referral, the ineligible included", amount.ToString());
    return t;
  }
  const std::optional<double> share = ExpectedShare(a, p.id);
  if (!share) {
    t.projected = false;
    t.rule = fmt::format("no expected share: give [ramp.expected] {} = <share earned>", p.id);
    notes->push_back(fmt::format("layer '{}' ({}) is projected at 0.00: {}", p.id, p.kind, t.rule));
    return t;
  }
  if (p.kind == "outlier_supplement") {
    t.per_member_month = Cents(amount) * static_cast<long double>(*share);
    t.rule = fmt::format("{} × {} of program member-months expected above the threshold",
                         amount.ToString(), *share);
  } else if (p.kind == "acp_incentive") {
    t.per_new_enrollee = Cents(amount) * static_cast<long double>(*share);
    t.rule = fmt::format("{} × {} per new enrollee ({})", amount.ToString(), *share,
                         p.program.unit == "event" ? "discussions" : "members with a discussion");
  } else {
    MeasureIncentiveTerm(a, p, *share, &t);
  }
  return t;
}

// The steady state's revenue per member-month (census-proportional terms) and per month.
void SteadyRevenue(const RampAssumptions& r, const std::vector<LayerRevenueTerm>& layers,
                   long double* per_mm, long double* per_month) {
  const long double L = r.length_of_service_months;
  const long double accept = r.acceptance_rate;
  const long double assessed_per_enrollee =
      accept > 0 ? (accept + static_cast<long double>(r.ineligible_share)) / accept : 0;
  *per_mm = 0;
  *per_month = 0;
  for (const auto& t : layers) {
    if (!t.projected) continue;
    // At a steady census N: N ÷ L new enrollees a month, each with its assessed referrals.
    *per_mm +=
        t.per_member_month + (t.per_assessed * assessed_per_enrollee + t.per_new_enrollee) / L;
    *per_month += t.per_month + t.per_year / 12.0L;
  }
}

// One month's revenue from one layer, with its cap over the 12-month year.
Money LayerMonth(const LayerRevenueTerm& t, const RampMonth& m, Money* earned_this_year) {
  if (!t.projected) return Money();
  const long double cents = t.per_member_month * m.member_months + t.per_assessed * m.assessed +
                            t.per_new_enrollee * m.new_enrollees + t.per_month + t.per_year / 12.0L;
  Money amount = RoundCentsHalfAway(cents);
  if (t.cap) amount = std::min(amount, std::max(Money(), *t.cap - *earned_this_year));
  *earned_this_year += amount;
  return amount;
}

void ComputeBreakEven(const Assumptions& a, const CostModel& cost, RampResult* out) {
  const RampAssumptions& r = *a.ramp;
  BreakEven& b = out->break_even;
  long double per_mm = 0, per_month = 0;
  SteadyRevenue(r, out->layers, &per_mm, &per_month);
  const long double variable = cost.variable_exact * 100.0L;
  b.revenue_per_member_month = RoundCentsHalfAway(per_mm);
  b.variable_cost_per_member_month = cost.variable_per_member_month;
  b.fixed_per_month = cost.fixed_per_month;
  b.census_independent_revenue_per_month = RoundCentsHalfAway(per_month);
  const long double net_fixed = Cents(cost.fixed_per_month) - per_month;
  b.net_fixed_per_month = RoundCentsHalfAway(net_fixed);
  if (net_fixed <= 0) {
    b.census = 0;
  } else if (per_mm > variable) {
    b.census = static_cast<int64_t>(std::ceil(net_fixed / (per_mm - variable) - 1e-9L));
  }
  Money low;
  for (const auto& m : out->months) {
    if (!b.month && m.margin.cents() >= 0) b.month = m.month;
    if (m.cumulative < low) {
      low = m.cumulative;
      b.peak_loss_month = m.month;
    }
  }
  b.peak_cumulative_loss = -low;
}

}  // namespace

std::vector<LayerRevenueTerm> RevenueTerms(const Assumptions& a, const Contract& k,
                                           std::vector<std::string>* notes) {
  std::vector<LayerRevenueTerm> out;
  for (const auto& p : k.payments) out.push_back(TermFor(a, p, notes));
  if (!a.ramp) return out;
  for (const auto& [id, share] : a.ramp->expected) {
    if (k.FindLayer(id) == nullptr) {
      notes->push_back(fmt::format(
          "[ramp.expected] {}: the contract has no payment layer with this id; ignored", id));
    }
  }
  return out;
}

Result<RampResult> ProjectRamp(const Assumptions& a, const CostModel& cost, const Contract& k) {
  if (!a.ramp) {
    return InvalidInput(
        fmt::format("{}: no [ramp] table: the projection needs months, "
                    "referrals_per_month, acceptance_rate and "
                    "length_of_service_months",
                    a.path));
  }
  const RampAssumptions& r = *a.ramp;
  RampResult out;
  out.layers = RevenueTerms(a, k, &out.notes);
  const long double variable = cost.variable_exact * 100.0L;
  const YearMonth first = k.period.first_month();
  std::vector<Money> earned(out.layers.size());
  double census = r.initial_census;
  Money cumulative;
  for (int t = 1; t <= r.months; ++t) {
    RampMonth m;
    m.month = t;
    m.calendar_month = (first + (t - 1)).ToString();
    m.referrals = r.referrals[static_cast<size_t>(t - 1)];
    m.assessed = m.referrals * (r.acceptance_rate + r.ineligible_share);
    m.new_enrollees = m.referrals * r.acceptance_rate;
    census = census * (1.0 - 1.0 / r.length_of_service_months) + m.new_enrollees;
    m.census = census;
    m.member_months = census;
    if ((t - 1) % 12 == 0) std::fill(earned.begin(), earned.end(), Money());
    for (size_t i = 0; i < out.layers.size(); ++i) {
      m.revenue_by_layer.push_back(LayerMonth(out.layers[i], m, &earned[i]));
      m.revenue += m.revenue_by_layer.back();
    }
    m.cost = RoundCentsHalfAway(variable * m.member_months) + cost.fixed_per_month;
    if (t <= a.startup_months) m.cost += a.startup_per_month;
    m.margin = m.revenue - m.cost;
    cumulative += m.margin;
    m.cumulative = cumulative;
    out.total_revenue += m.revenue;
    out.total_cost += m.cost;
    out.months.push_back(std::move(m));
  }
  ComputeBreakEven(a, cost, &out);
  return out;
}

}  // namespace valuepact::modeling
