#pragma once
// Settlement risk simulation (seed 002: "just a few outliers" decide whether shared risk pays;
// docs/modeling.md). Each simulated year draws N members with replacement from the data's
// member-years (a member's months, spending and program months travel together), applies the
// whole contract to the drawn population — member truncation, then every payment layer through
// the engine `check` and `scenarios` use (MSR/MLR, sharing, corridors, caps, loss limits) — and
// records the net settlement. K years give its distribution; the same years are settled again
// with each protective term removed, to show what the term does.
//
// Deterministic for a seed whatever the thread count: year i draws from its own generator,
// seeded from (seed, i), and results are combined in year order.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/contract/methodology.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/layers/shared_savings.h"

namespace valuepact::modeling {

// One member's year in the data: what is drawn together.
struct MemberYear {
  int member_months = 0;                // in the contract's population
  Money spend;                          // in-scope spending in those months, before truncation
  std::array<int, 3> program_months{};  // program member-months by care setting (home, NF, AL)
};

// What the simulation draws from, and what it holds fixed.
struct SimulationBase {
  std::vector<MemberYear> members;
  // Aggregate input key -> count per population member-month in the data (assessments,
  // outlier member-months, ACP discussions): a drawn year gets rate × its member-months.
  std::map<std::string, double> per_member_month;
  // Aggregate input key -> value held at the data's (measures: quality, data reporting).
  std::map<std::string, std::string> held;
  std::optional<Money> benchmark_pmpm;  // when the benchmark is not the contract's target PMPM
  std::optional<Money> actual_net;      // the settlement of the data itself, for comparison
  std::vector<std::string> notes;
};

// How a variant or a removed term changes the contract before it is applied.
struct ContractChange {
  std::string label;
  SetOverrides set;                                       // methodology keys (as --set)
  std::function<void(SharedSavingsTerms*)> adjust_terms;  // applied after resolution
  std::function<void(Contract*)> adjust_contract;         // program layers' rates and amounts
};

struct SimulationOptions {
  int64_t members = 0;  // drawn per year; 0: as many as the data has
  int years = 1000;
  uint64_t seed = 1;
  bool protective_terms = true;  // also settle without each protective term
};

struct OutcomeDistribution {
  Money mean, p5, p50, p95, min, max;
  double probability_savings = 0;  // the shared-savings layer pays the provider
  double probability_losses = 0;   // the provider owes the payer
  double savings_rate_p5 = 0, savings_rate_p50 = 0, savings_rate_p95 = 0;
  std::vector<Money> net;  // every year's net settlement, in year order
  // What the engine said of the first simulated year (a layer that pays nothing and why): a
  // layer the simulation cannot pay says so instead of passing as 0.00.
  std::vector<std::string> notes;
};

struct TermEffect {
  std::string term;   // contract key
  std::string label;  // in words
  OutcomeDistribution without;
};

struct SimulationResult {
  int64_t members = 0;
  int years = 0;
  uint64_t seed = 0;
  std::string shared_layer_id;
  OutcomeDistribution net;
  std::vector<TermEffect> terms;
  std::vector<std::string> notes;
};

// The protective terms of the contract's first shared-savings layer that can be removed: member
// truncation (stop-loss), the MSR, the MLR, the savings cap and the loss limit. Corridors are the
// sharing rule itself and are not removed.
std::vector<std::pair<std::string, ContractChange>> ProtectiveTerms(const Contract& k,
                                                                    const SetOverrides& set = {});

// Settles the same drawn years under each change (common random numbers: every change sees the
// same members), one distribution per change, in order.
Result<std::vector<OutcomeDistribution>> SimulateChanges(
    const Contract& k, const SimulationBase& base, const SimulationOptions& options,
    const SharedSavingsContext& context, const std::vector<ContractChange>& changes);

// The contract as written (after `change`) and, with options.protective_terms, without each
// protective term.
Result<SimulationResult> Simulate(const Contract& k, const SimulationBase& base,
                                  const SimulationOptions& options,
                                  const SharedSavingsContext& context,
                                  const ContractChange& change = {});

// Nearest-rank percentile of sorted values (p in (0, 1]).
Money NearestRank(const std::vector<Money>& sorted, double p);

}  // namespace valuepact::modeling
