// Hospital at home against the hospital, per DRG family (episodes.h, docs/episodes.md
// "Hospital at home vs the DRG").
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "valuepact/episodes/episodes.h"

namespace valuepact::episodes {
namespace {

bool Scored(const std::vector<double>* scores, uint32_t m) {
  return scores != nullptr && m < scores->size() && !std::isnan((*scores)[m]);
}

SettingArm Arm(const std::string& setting, const std::vector<const Episode*>& eps,
               const std::vector<double>* scores, long double rate, long double pooled_mean) {
  SettingArm a;
  a.setting = setting;
  std::set<uint32_t> members;
  long double anchor = 0, total = 0, observed = 0, expected = 0;
  int64_t readmitted = 0, ed = 0;
  for (const Episode* e : eps) {
    if (e->setting != setting) continue;
    ++a.episodes;
    members.insert(e->member);
    anchor += static_cast<long double>(e->anchor_paid.cents());
    total += static_cast<long double>(e->total_paid.cents());
    readmitted += e->readmissions > 0 ? 1 : 0;
    ed += e->ed_visits;
    if (Scored(scores, e->member)) {
      ++a.scored;
      observed += static_cast<long double>(e->total_paid.cents());
      expected += static_cast<long double>((*scores)[e->member]) * rate;
    }
  }
  a.members = static_cast<int64_t>(members.size());
  if (a.episodes == 0) return a;
  const auto n = static_cast<long double>(a.episodes);
  a.mean_anchor = RoundCentsHalfAway(anchor / n);
  a.mean_total = RoundCentsHalfAway(total / n);
  a.readmission_rate = static_cast<double>(readmitted) / static_cast<double>(a.episodes);
  a.ed_visits_per_episode = static_cast<double>(ed) / static_cast<double>(a.episodes);
  if (a.scored > 0 && expected > 0) {
    a.observed_to_expected = static_cast<double>(observed / expected);
    a.adjusted_mean_total = RoundCentsHalfAway(observed / expected * pooled_mean);
  }
  return a;
}

void AddNodes(const SettingComparison& c, Trace* tr) {
  const std::string p = fmt::format("episodes.{}.{}.comparison", c.definition, c.family);
  const std::string clause = fmt::format("[[episode]] {}.home", c.definition);
  if (c.difference) {
    tr->AddMoney(p + ".difference",
                 fmt::format("{} {}: mean total, home − hospital", c.definition, c.family),
                 *c.difference,
                 fmt::format("{} ({} episodes at home) − {} ({} in the hospital)",
                             c.home.mean_total.ToString(), c.home.episodes,
                             c.hospital.mean_total.ToString(), c.hospital.episodes),
                 {}, clause);
  }
  if (c.adjusted_difference) {
    tr->AddMoney(
        p + ".adjusted_difference",
        fmt::format("{} {}: risk-adjusted mean total, home − hospital", c.definition, c.family),
        *c.adjusted_difference,
        fmt::format("(O/E at home {} − O/E in the hospital {}) × the pooled mean total of "
                    "scored episodes; expected = CMS-HCC score × pooled total per unit "
                    "of risk",
                    FormatRate(*c.home.observed_to_expected),
                    FormatRate(*c.hospital.observed_to_expected)),
        {}, "CMS-HCC risk scores (docs/risk-adjustment.md)");
  }
}

}  // namespace

std::vector<SettingComparison> CompareSettings(const std::vector<Episode>& all,
                                               const std::vector<double>* scores, Trace* tr) {
  std::map<std::pair<std::string, std::string>, std::vector<const Episode*>> by_family;
  for (const Episode& e : all) {
    if (e.counted()) by_family[{e.definition, e.family}].push_back(&e);
  }
  std::vector<SettingComparison> out;
  for (const auto& [key, eps] : by_family) {
    bool any_home = false;
    long double total = 0, risk = 0;
    int64_t scored = 0;
    for (const Episode* e : eps) {
      any_home |= e->setting == "home";
      if (Scored(scores, e->member)) {
        ++scored;
        total += static_cast<long double>(e->total_paid.cents());
        risk += static_cast<long double>((*scores)[e->member]);
      }
    }
    if (!any_home) continue;
    const long double rate = risk > 0 ? total / risk : 0;
    const long double pooled_mean = scored > 0 ? total / static_cast<long double>(scored) : 0;
    SettingComparison c;
    c.definition = key.first;
    c.family = key.second;
    c.home = Arm("home", eps, scores, rate, pooled_mean);
    c.hospital = Arm("hospital", eps, scores, rate, pooled_mean);
    if (scored > 0) c.mean_risk = static_cast<double>(risk / static_cast<long double>(scored));
    if (c.hospital.episodes > 0) c.difference = c.home.mean_total - c.hospital.mean_total;
    if (c.home.adjusted_mean_total && c.hospital.adjusted_mean_total) {
      c.adjusted_difference = *c.home.adjusted_mean_total - *c.hospital.adjusted_mean_total;
    }
    AddNodes(c, tr);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace valuepact::episodes
