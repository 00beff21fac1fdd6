#pragma once
// The files `valuepact episodes` writes (docs/episodes.md, "Outputs"): restricted/episodes.csv
// (one row per episode, member-level), episode_groups.csv, reconciliation.json, episodes.md.
#include <string>

#include <nlohmann/json.hpp>

#include "valuepact/episodes/episodes.h"

namespace valuepact::episodes {

// episode_id, person_id, anchor_admit, anchor_discharge, window_end, anchor_paid, post_paid,
// total_paid, then definition, drg, family, setting, readmissions, ed_visits, folded_stays,
// target, counted, excluded_reason, anchor_lines, post_lines (file:line of each claim line).
std::string EpisodesCsv(const Dataset& ds, const EpisodeResult& r);
std::string GroupsCsv(const EpisodeResult& r);
nlohmann::ordered_json ReconciliationJson(const EpisodeResult& r);
std::string EpisodesMarkdown(const Contract& k, const EpisodeResult& r);
// comparison.json: per DRG family with an episode at home, each arm's figures and the
// differences (home − hospital), observed and risk-adjusted.
nlohmann::ordered_json ComparisonJson(const EpisodeResult& r);

}  // namespace valuepact::episodes
