#pragma once
// The terms of each payment layer as written in a contract's [[payment]] tables, and the
// shared savings / shared losses methodology (docs/contract-reference.md, "Methodology terms").
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/core/money.h"

namespace valuepact {

// kind = "case_rate": a fixed amount per member-month, of the contract's population
// (basis = "population") or of program member-months (basis = "program"); one amount, or one
// per care setting of the month (pmpm = { home = 400.00, nursing_facility = 300.00 }).
enum class CaseRateBasis { kPopulation, kProgram };
struct CaseRateTerms {
  CaseRateBasis basis = CaseRateBasis::kPopulation;
  Money pmpm;                                             // when not by setting
  std::vector<std::pair<std::string, Money>> by_setting;  // setting name -> rate, as written
  bool has_settings() const { return !by_setting.empty(); }
};

// How the minimum savings rate (MSR) is set (mssp-parameters.md §2).
enum class MsrMethod {
  kFixed,     // a rate written in the contract
  kVariable,  // by assigned beneficiaries, from the MSR band table (42 CFR 425.604(b))
  kElected,   // the provider's election: 0, 0.5, 1, 1.5, 2% or "variable" (425.606(b)(1)(ii))
};

// How quality changes the sharing rate (mssp-parameters.md §5).
enum class QualityMethod {
  kMultiplier,    // final sharing rate = sharing rate × quality score, if the standard is met
  kStandard,      // pass: the full sharing rate; fail: nothing (42 CFR 425.512, PY2021-2022)
  kSlidingScale,  // pass: full rate; alternative standard only: rate × score; else nothing
};

// How the shared loss rate is set.
enum class LossRateMethod {
  kFlat,                      // loss_sharing_rate
  kOneMinusFinalSharingRate,  // 1 − final sharing rate (Tracks 2, 3; ENHANCED 2019-2020)
  kOneMinusQuality,           // 1 − k × quality score (ENHANCED 2021+)
};

enum class LossLimitForm {
  kBenchmark,  // share of the benchmark
  kRevenue,    // share of ACO participants' revenue
  kLower,      // the lower of the two (42 CFR 425.605(d)(1)(iii)(D))
};

// One band of a risk corridor: savings (or losses) between `from` and `to` as a share of the
// benchmark; the provider's share of the dollars that fall inside the band.
struct CorridorBand {
  double from = 0.0;
  std::optional<double> to;  // absent: no upper end
  double provider_share = 0.0;
};

// kind = "shared_savings": the full methodology. A preset fills these from the MSSP rules of a
// track and performance year; contract keys override any of them.
struct SharedSavingsTerms {
  // -- sharing ---------------------------------------------------------------------------------
  double sharing_rate = 0.0;  // maximum sharing rate, on first dollar once the MSR is met
  QualityMethod quality_method = QualityMethod::kMultiplier;
  double quality_score = 1.0;         // used when the inputs do not supply one
  std::optional<double> savings_cap;  // performance payment limit, share of benchmark
  double sequestration = 0.0;         // reduction of payments to the provider
  bool sequestration_before_cap = true;
  bool low_revenue_half_rate = false;  // 42 CFR 425.605(h)(2), agreement periods from 2024

  // -- thresholds ------------------------------------------------------------------------------
  MsrMethod msr_method = MsrMethod::kFixed;
  double minimum_savings_rate = 0.0;
  double minimum_loss_rate = 0.0;
  bool symmetric_mlr = false;         // the MLR equals the MSR (variable or elected)
  std::optional<double> elected_msr;  // an election as a rate (kElected)
  bool elected_variable = false;      // the election is "variable"
  // Below this many assigned beneficiaries (42 CFR 425.110): "bands" uses the size bands below
  // 5,000; "variable" switches a fixed or elected MSR/MLR to the variable one; "no_sharing"
  // shares nothing.
  std::string small_population = "bands";
  int64_t small_population_threshold = 5000;

  // -- losses ----------------------------------------------------------------------------------
  bool two_sided = false;
  LossRateMethod loss_rate_method = LossRateMethod::kFlat;
  std::optional<double> loss_sharing_rate;  // flat rate (v1 key); presence makes it two-sided
  double loss_quality_factor = 0.75;        // k in 1 − k × quality
  std::optional<double> loss_rate_floor;
  std::optional<double> loss_rate_ceiling;
  std::optional<double> loss_rate_quality_failed;  // rate when the quality standard is failed
  std::optional<double> loss_cap;                  // loss limit, share of benchmark
  std::optional<double> loss_cap_revenue;          // loss limit, share of participant revenue
  LossLimitForm loss_limit_form = LossLimitForm::kBenchmark;
  bool extreme_uncontrollable = false;  // losses reduced by loss_reduction_fraction
  double loss_reduction_fraction = 0.0;

  // -- corridors (replace the MSR and sharing rate when present) -------------------------------
  std::vector<CorridorBand> savings_corridor;
  std::vector<CorridorBand> loss_corridor;  // empty and symmetric: the savings bands mirrored
  bool corridor_symmetric = false;

  // -- expenditure -----------------------------------------------------------------------------
  std::optional<Money> member_truncation;       // per member per period
  std::optional<double> truncation_percentile;  // of the population's member spend
  std::vector<std::string> offset_layers;       // layer ids counted as spending

  // -- provenance ------------------------------------------------------------------------------
  std::string preset;  // "" without a preset
  int performance_year = 0;
  // Where each term came from: the rule a preset cites, or the contract clause that set it.
  std::map<std::string, std::string> sources;

  bool has_corridor() const { return !savings_corridor.empty() || !loss_corridor.empty(); }
  std::string SourceOf(const std::string& term, const std::string& fallback) const {
    auto it = sources.find(term);
    return it == sources.end() ? fallback : it->second;
  }
};

// Seed 002 layers ("Payment Mechanisms Used"): each pays `amount` per unit of its basis when
// its condition holds. Counts come from the Timeline and program data in `settle` and from
// aggregate inputs in check, scenarios and illustrate (docs/contract-reference.md gives the
// exact counting rule of each).
//   assessment_fee            per initial assessment, whether or not the member is eligible
//   outlier_supplement        per program member-month whose visits (or minutes) exceed
//                             `threshold`
//   quality_incentive         once, per member or per member-month when the measure meets
//                             `threshold`
//   data_reporting_incentive  likewise, for the share of complete data submissions
//   acp_incentive             per member with an advance-care-planning discussion in a program
//                             month (`unit = "event"`: per discussion)
struct ProgramLayerTerms {
  Money amount;
  std::optional<double> threshold;
  std::string basis;  // per_assessment | per_member_month | per_period | per_member | per_event
  // quality_incentive, data_reporting_incentive: the measure's name in the measures file;
  // outlier_supplement: "visits" (default) or "minutes".
  std::string measure;
  std::string unit = "member";  // acp_incentive: member | event
  bool higher_is_better = true;
  std::optional<Money> cap;  // at most this much per period
};

struct PaymentLayerTerms {
  std::string id;
  std::string kind;   // case_rate | shared_savings | assessment_fee | outlier_supplement | ...
  std::string label;  // optional human label; defaults to the id
  CaseRateTerms case_rate;
  SharedSavingsTerms shared_savings;
  ProgramLayerTerms program;
  std::string episode;  // episode_reconciliation: the [[episode]] id it pays
  int source_line = 0;  // line of the [[payment]] table in the contract
};

}  // namespace valuepact
