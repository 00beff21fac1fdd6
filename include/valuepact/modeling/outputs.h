#pragma once
// The files `valuepact model …` writes (docs/modeling.md, "Files"): amounts as decimal strings
// with two decimals, as in summary.json; the net settlement signed as there (positive: the payer
// pays the provider).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/modeling/cost_model.h"
#include "valuepact/modeling/ramp.h"
#include "valuepact/modeling/roi.h"
#include "valuepact/modeling/simulation.h"
#include "valuepact/modeling/variants.h"

namespace valuepact::modeling {

// cost.json: variable_per_member_month, fixed_per_month, by_discipline, groups, at_census, and
// with data the actual cost beside the assumptions.
nlohmann::ordered_json CostJson(const CostModel& m, const ActualCost* actual);
std::string CostMarkdown(const CostModel& m, const ActualCost* actual);

// ramp.csv (month, referrals, assessed, census, member_months, revenue, cost, margin,
// cumulative, then calendar_month, new_enrollees and revenue_<layer> per layer) and
// break_even.json (census, month, peak_cumulative_loss and the rates behind them).
std::string RampCsv(const RampResult& r);
nlohmann::ordered_json BreakEvenJson(const RampResult& r);
std::string RampMarkdown(const RampResult& r);

nlohmann::ordered_json RoiJson(const Roi& r);

// simulation.json: mean, p5, p50, p95, probability_savings, probability_losses, and the same per
// protective term removed (`without`).
nlohmann::ordered_json SimulationJson(const SimulationResult& r);
nlohmann::ordered_json DistributionJson(const OutcomeDistribution& d);

// One row per variant: its changes and outcomes.
struct VariantOutcome {
  const Variant* variant = nullptr;
  std::optional<OutcomeDistribution> simulated;
  std::optional<RampResult> ramp;
};
std::string VariantsCsv(const std::vector<VariantOutcome>& rows);
std::string VariantsMarkdown(const std::vector<VariantOutcome>& rows, const std::string& chart,
                             int64_t members, int years, uint64_t seed);

// A box chart of net settlement distributions, one row per label: P5–P95 box, min–max whiskers,
// P50 line, mean dot, and the zero line. Self-contained SVG.
struct ChartRow {
  std::string label;
  const OutcomeDistribution* distribution = nullptr;
};
std::string DistributionSvg(const std::string& title, const std::vector<ChartRow>& rows);

}  // namespace valuepact::modeling
