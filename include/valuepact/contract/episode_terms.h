#pragma once
// [[episode]]: an episode of care and its bundle (docs/contract-reference.md §16,
// docs/episodes.md) — what triggers it, its anchor stay, the post-discharge window, which
// services count, who is excluded, how overlapping triggers are handled, its target price and
// how it is reconciled.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "valuepact/core/date.h"
#include "valuepact/core/money.h"

namespace valuepact {

// An MS-DRG as three digits: "65", "065" and "0065" are all "065". Other text is kept as it is.
inline std::string CanonicalDrg(std::string_view code) {
  std::string s(code);
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return s;
  while (s.size() > 3 && s.front() == '0') s.erase(s.begin());
  while (s.size() < 3) s.insert(s.begin(), '0');
  return s;
}

// Which claim lines make a program admission when the program's stays come from the claims
// (trigger.claims): a line with a listed place of service or revenue code, or meeting the
// definition (any of them); lines no more than gap_days apart form one admission.
struct EpisodeClaimsRule {
  std::vector<std::string> place_of_service;
  std::vector<std::string> revenue_code;
  std::string definition;  // a claim line condition (docs/definitions.md)
  int gap_days = 1;
  bool declared = false;
  bool empty() const {
    return place_of_service.empty() && revenue_code.empty() && definition.empty();
  }
};

struct EpisodeTrigger {
  std::vector<std::string> drg;    // MS-DRG codes on any line of an acute inpatient stay
  std::vector<std::string> hcpcs;  // HCPCS/CPT codes on any line of the stay
  // A claim line condition in the definition language (docs/definitions.md): a stay with such a
  // line triggers.
  std::string definition;
  // A program admission: each program enrollment span (enrollments.csv) is an anchor, or with
  // `claims` each run of the member's lines that meet its rule; the text names the program (e.g.
  // "hospital_at_home") and is the episodes' family.
  std::string program;
  EpisodeClaimsRule claims;
  bool stays() const { return !drg.empty() || !hcpcs.empty() || !definition.empty(); }
};

// Where an anchor stay was delivered: at home (hospital at home) when a line of the stay has one
// of these codes, or when more than half of the member's professional lines dated within it that
// state a place of service do; else in the hospital.
struct EpisodeHomeRule {
  std::vector<std::string> place_of_service = {"12"};
  std::vector<std::string> revenue_code;
};

// Target prices: given, or built from a baseline period's episodes.
struct EpisodeTargetTerms {
  std::optional<Money> price;                            // every episode
  std::vector<std::pair<std::string, Money>> by_family;  // DRG family -> price
  std::optional<Period> baseline;  // build from this period's episodes, by DRG family
  double winsorize_low = 0.0;      // percentiles of the baseline episodes' totals
  double winsorize_high = 1.0;
  double trend = 0.0;     // annual; applied from the baseline's to the period's midpoint
  double discount = 0.0;  // taken off the trended price
  // Risk adjustment of each episode's target: any of "cms_hcc" (the member's score over the
  // baseline episodes' mean; with a given price, over 1.0), "age" and "dual" (the baseline's
  // cost ratio of the episode's age band and dual status cell, cells under min_cell episodes
  // count 1.0).
  std::vector<std::string> risk_adjust;
  int min_cell = 11;
  bool declared = false;
};

struct EpisodeReconciliationTerms {
  std::optional<double> stop_gain;  // the provider's gain is at most this share of the target
  std::optional<double> stop_loss;  // the provider's loss is at most this share of the target
  double quality_adjustment = 1.0;  // multiplies a positive reconciliation (0-1)
};

struct EpisodeTerms {
  std::string id;
  std::string label;
  EpisodeTrigger trigger;
  int window_days = 0;  // after the anchor's discharge
  // services = "all", or service category names (docs/service-categories.md).
  std::vector<std::string> services;  // empty: all
  std::vector<std::pair<std::string, std::vector<std::string>>> drg_families;
  std::vector<std::string> exclude_diagnoses;  // codes, a trailing * matches a prefix
  std::vector<std::string> exclude_members;    // person ids
  bool exclude_death_in_anchor = true;
  bool exclude_transfers = true;
  bool extend_on_overlap = false;  // overlap = "extend" (default "fold")
  bool in_population_only = true;  // anchors admitted in a population month only
  EpisodeHomeRule home;
  EpisodeTargetTerms target;
  EpisodeReconciliationTerms reconciliation;
  int source_line = 0;
};

}  // namespace valuepact
