#pragma once
// Episodes of care and bundles (docs/episodes.md): each [[episode]] of the contract is built
// from the claims — the anchor stay that triggers it, the post-discharge window, the lines that
// count and their amounts — then priced (a target per DRG family, given or from a baseline
// period) and reconciled (actual against target, with stop-gain, stop-loss and quality).
//
// An anchor is an acute inpatient stay (the stay rule of docs/metrics.md) with a triggering
// MS-DRG or procedure code on any of its lines. The window runs from the day after discharge
// through discharge + window_days. Post-discharge cost is the contract's in-scope spending
// (services, amount basis) with a claim start (pharmacy: dispensing) date in the window, the
// anchor's own lines excluded. A triggering stay admitted in an open window belongs to that
// episode (fold; `extend` also moves the window's end), never to a new one.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/dataset/timeline.h"
#include "valuepact/population/value_set.h"

namespace valuepact::episodes {

struct Episode {
  std::string id;          // "<episode>-<n>", numbered by person id, then admission
  std::string definition;  // the [[episode]] id
  uint32_t member = 0;
  Date admit, discharge, window_end;
  std::string drg;                     // the triggering DRG ("" when a procedure code triggered it)
  std::string family;                  // DRG family (the definition's id when it has none)
  std::string setting;                 // hospital | home
  std::vector<uint32_t> anchor_lines;  // medical rows of the anchor stay
  std::vector<uint32_t> post_medical;  // medical rows counted in the window
  std::vector<uint32_t> post_pharmacy;
  Money anchor_paid, post_paid, total_paid;  // in the contract's amount basis
  int readmissions = 0;                      // acute stays admitted in the window
  int ed_visits = 0;                         // ED visit dates in the window
  int folded_stays = 0;  // triggering stays admitted in the window (fold / extend)
  std::string excluded;  // why it is not counted; "" when counted
  std::optional<Money> target;
  std::optional<double> risk_factor;  // target.risk_adjust: the factor the target was scaled by
  bool counted() const { return excluded.empty(); }
};

// Counted episodes of one definition, DRG family and setting.
struct EpisodeGroup {
  std::string definition, family, setting;
  int64_t episodes = 0, members = 0;
  Money anchor_paid, post_paid, total_paid;
  Money mean_anchor, mean_total;  // ÷ episodes, rounded to the cent
  int64_t with_readmission = 0;
  int64_t ed_visits = 0;
};

// A target price: how it was set.
struct TargetPrice {
  std::string definition, family;
  Money price;
  std::string source;  // "contract" | "baseline"
  // Baseline: the episodes it came from and each step.
  int64_t baseline_episodes = 0;
  Money baseline_mean, winsorized_mean;
  std::optional<Money> floor, ceiling;  // the winsorizing bounds
  double trend_factor = 1.0;
  double discount = 0.0;
  // target.risk_adjust: each episode's target is the price × its risk factor.
  std::optional<double> mean_risk;  // cms_hcc: the scored baseline episodes' mean (a given
                                    // price: 1.0); the factor's CMS-HCC part is score ÷ this
  int64_t scored_baseline = 0;      // baseline episodes with a score
  // age/dual: cell → (baseline episodes, winsorized mean ÷ the family's); a cell with fewer than
  // min_cell episodes has ratio 1.
  std::map<std::string, std::pair<int64_t, double>> cells;
};

struct Reconciliation {
  std::string definition;
  int64_t episodes = 0;  // counted, with a target
  Money target_total, actual_total;
  Money raw;                   // target − actual (> 0: the provider earned it)
  Money after_quality;         // a gain × quality_adjustment
  Money amount;                // after stop-gain / stop-loss (> 0: payer pays provider)
  std::string limit_applied;   // "" | stop_gain | stop_loss
  int64_t without_target = 0;  // counted episodes with no target price
  std::string amount_id;       // trace node
};

// Episodes anchored at home against those in the hospital, one DRG family (seed 000: an
// admission at home "delivered for less than the cost of a hospital DRG").
struct SettingArm {
  std::string setting;
  int64_t episodes = 0, members = 0;
  Money mean_anchor, mean_total;
  double readmission_rate = 0;       // episodes with a readmission in the window ÷ episodes
  double ed_visits_per_episode = 0;  //
  int64_t scored = 0;                // episodes whose member has a risk score
  std::optional<double> observed_to_expected;
  std::optional<Money> adjusted_mean_total;
};

struct SettingComparison {
  std::string definition, family;
  SettingArm home, hospital;
  std::optional<Money> difference;           // mean total, home − hospital
  std::optional<Money> adjusted_difference;  // risk-adjusted, home − hospital
  std::optional<double> mean_risk;           // of the scored episodes
};

struct EpisodeResult {
  std::vector<Episode> episodes;  // every one found, excluded ones too
  std::vector<EpisodeGroup> groups;
  std::vector<TargetPrice> targets;
  std::vector<Reconciliation> reconciliations;  // one per definition with a target
  std::vector<SettingComparison> comparisons;   // families with an episode at home
  std::vector<std::string> notes;
};

struct EpisodeInputs {
  const Dataset* dataset = nullptr;
  const Contract* contract = nullptr;
  const Timeline* timeline = nullptr;  // the contract's population (population_only)
  // Each member's CMS-HCC score (NaN: not scored), for the risk-adjusted home-vs-hospital
  // comparison; null: observed figures only.
  const std::vector<double>* risk_scores = nullptr;
  const ProgramData* program = nullptr;  // for trigger.program
  // For triggers written in the definition language (trigger.definition, trigger.claims).
  const population::ValueSetLibrary* value_sets = nullptr;
  // Every member's CMS-HCC score for a payment year (NaN: not scored), for target.risk_adjust =
  // cms_hcc: the period's year for the episodes, the baseline's for the baseline episodes.
  std::function<Result<std::vector<double>>(int payment_year)> risk_scores_for_year;
};

// Builds, prices and reconciles every [[episode]] of the contract for its period. Adds trace
// nodes: episodes.<id>.count, .anchor_paid, .post_paid, .total_paid, per group
// episodes.<id>.<family>.<setting>.*, the target steps and the reconciliation; one member-level
// node per episode (episode.<episode id>).
Result<EpisodeResult> BuildEpisodes(const EpisodeInputs& in, Trace* trace);

// Per medical line (index = row): whether it meets the definition's trigger.definition (`stay`;
// a stay with such a line triggers) and its trigger.claims rule (`claims`; runs of such lines
// are program admissions). Empty when the definition has no such rule.
struct TriggerLines {
  std::vector<uint8_t> stay;
  std::vector<uint8_t> claims;
};

// Evaluates the definition's line rules over every medical line. `value_sets`: for rules in the
// definition language (an error when one is needed and null).
Result<TriggerLines> TriggerLineFlags(const Dataset& ds, const Contract& k, const EpisodeTerms& e,
                                      const population::ValueSetLibrary* value_sets,
                                      const ProgramData* program);

// The episodes of one definition over `period` (no pricing): what BuildEpisodes does first, and
// what a baseline is built from. `timeline` null: no population rule.
// `program`: the program data, for trigger.program (null: no program anchors). `flags`: the
// definition's TriggerLineFlags (null: its line rules match no line).
std::vector<Episode> ConstructEpisodes(const Dataset& ds, const Contract& k, const EpisodeTerms& e,
                                       const Period& period, const Timeline* timeline,
                                       const ProgramData* program = nullptr,
                                       const TriggerLines* flags = nullptr);

}  // namespace valuepact::episodes
