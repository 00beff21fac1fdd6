// Groups, target prices and reconciliation of the episodes (episodes.h).
#include "valuepact/episodes/episodes.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

namespace valuepact::episodes {
namespace {

std::string Clause(const EpisodeTerms& e, const std::string& key = "") {
  return fmt::format("[[episode]] {}{}", e.id, key.empty() ? "" : "." + key);
}

// One member-level node per episode: its anchor, window, lines and amounts.
void AddEpisodeNode(const Dataset& ds, const Episode& ep, Trace* tr) {
  const std::string person(ds.members.Get(ep.member));
  auto& n = tr->AddMoney(
      "episode." + ep.id, fmt::format("Episode {} of member {}", ep.id, person), ep.total_paid,
      fmt::format("anchor {} to {} ({} lines, {}) + window {} to {} ({} medical and {} pharmacy "
                  "lines, {}){}",
                  ep.admit.ToString(), ep.discharge.ToString(), ep.anchor_lines.size(),
                  ep.anchor_paid.ToString(), (ep.discharge + 1).ToString(),
                  ep.window_end.ToString(), ep.post_medical.size(), ep.post_pharmacy.size(),
                  ep.post_paid.ToString(), ep.counted() ? "" : "; excluded: " + ep.excluded) +
          (ep.risk_factor ? fmt::format("; target {} (risk factor {:.6f})",
                                        ep.target ? ep.target->ToString() : "none", *ep.risk_factor)
                          : ""),
      {}, "data: medical_claim.csv, pharmacy_claim.csv (restricted/episodes.csv lists the lines)");
  n.member = person;
}

std::vector<EpisodeGroup> Groups(const std::vector<Episode>& eps) {
  std::vector<EpisodeGroup> out;
  std::map<std::tuple<std::string, std::string, std::string>, size_t> at;
  std::map<size_t, std::set<uint32_t>> members;
  for (const Episode& ep : eps) {
    if (!ep.counted()) continue;
    const auto key = std::make_tuple(ep.definition, ep.family, ep.setting);
    auto it = at.find(key);
    if (it == at.end()) {
      it = at.emplace(key, out.size()).first;
      out.push_back({ep.definition, ep.family, ep.setting});
    }
    EpisodeGroup& g = out[it->second];
    ++g.episodes;
    members[it->second].insert(ep.member);
    g.anchor_paid += ep.anchor_paid;
    g.post_paid += ep.post_paid;
    g.total_paid += ep.total_paid;
    g.with_readmission += ep.readmissions > 0 ? 1 : 0;
    g.ed_visits += ep.ed_visits;
  }
  for (size_t i = 0; i < out.size(); ++i) {
    EpisodeGroup& g = out[i];
    g.members = static_cast<int64_t>(members[i].size());
    const auto n = static_cast<long double>(g.episodes);
    g.mean_anchor = RoundCentsHalfAway(static_cast<long double>(g.anchor_paid.cents()) / n);
    g.mean_total = RoundCentsHalfAway(static_cast<long double>(g.total_paid.cents()) / n);
  }
  std::sort(out.begin(), out.end(), [](const EpisodeGroup& a, const EpisodeGroup& b) {
    return std::tie(a.definition, a.family, a.setting) <
           std::tie(b.definition, b.family, b.setting);
  });
  return out;
}

void AddTotals(const EpisodeTerms& e, const std::vector<Episode>& eps,
               const std::vector<EpisodeGroup>& groups, Trace* tr) {
  int64_t count = 0, excluded = 0;
  Money anchor, post, total;
  std::vector<std::string> ids;
  for (const Episode& ep : eps) {
    if (ep.definition != e.id) continue;
    if (!ep.counted()) {
      ++excluded;
      continue;
    }
    ++count;
    anchor += ep.anchor_paid;
    post += ep.post_paid;
    total += ep.total_paid;
    ids.push_back("episode." + ep.id);
  }
  const std::string p = "episodes." + e.id;
  tr->AddCount(p + ".count", fmt::format("{}: episodes", e.label), count, "episodes",
               fmt::format("anchors with a triggering code admitted in the period, {} excluded "
                           "(restricted/episodes.csv says why)",
                           excluded),
               ids, Clause(e, "trigger"));
  tr->AddMoney(p + ".anchor_paid", fmt::format("{}: anchor stays", e.label), anchor,
               "Σ the anchor stays' lines", ids, Clause(e));
  tr->AddMoney(p + ".post_paid", fmt::format("{}: post-discharge", e.label), post,
               fmt::format("Σ in-scope lines dated in the {}-day windows", e.window_days), ids,
               Clause(e, "window_days"));
  tr->AddMoney(p + ".total_paid", fmt::format("{}: total", e.label), total,
               "anchor stays + post-discharge", {p + ".anchor_paid", p + ".post_paid"}, Clause(e));
  for (const auto& g : groups) {
    if (g.definition != e.id) continue;
    const std::string gp = fmt::format("{}.{}.{}", p, g.family, g.setting);
    tr->AddCount(gp + ".count", fmt::format("{}: {} episodes, {}", e.label, g.family, g.setting),
                 g.episodes, "episodes", "counted episodes of the family and setting", {},
                 Clause(e, "drg_families"));
    tr->AddMoney(gp + ".total_paid", fmt::format("{}: {} total, {}", e.label, g.family, g.setting),
                 g.total_paid, "Σ episode totals", {gp + ".count"}, Clause(e));
    tr->AddMoney(gp + ".mean_total",
                 fmt::format("{}: {} mean total per episode, {}", e.label, g.family, g.setting),
                 g.mean_total, "total ÷ episodes, rounded to the cent",
                 {gp + ".total_paid", gp + ".count"}, Clause(e));
  }
}

}  // namespace

// Defined in comparison.cc.
std::vector<SettingComparison> CompareSettings(const std::vector<Episode>& all,
                                               const std::vector<double>* scores, Trace* tr);

// Defined in pricing.cc.
Status PriceAndReconcile(const EpisodeInputs& in, const EpisodeTerms& e, const TriggerLines* flags,
                         std::vector<Episode>* eps, EpisodeResult* out, Trace* tr);

Result<EpisodeResult> BuildEpisodes(const EpisodeInputs& in, Trace* tr) {
  const Dataset& ds = *in.dataset;
  const Contract& k = *in.contract;
  EpisodeResult out;
  if (k.episodes.empty()) {
    return InvalidInput(fmt::format("{}: the contract has no [[episode]]", k.path));
  }
  if (Status s = RequireDiagnoses(ds.medical, "episodes"); !s.ok()) return s;
  if (Status s = RequireLineDetails(ds, "episodes"); !s.ok()) return s;
  for (const EpisodeTerms& e : k.episodes) {
    auto flags = TriggerLineFlags(ds, k, e, in.value_sets, in.program);
    if (!flags.ok()) return flags.status();
    std::vector<Episode> eps =
        ConstructEpisodes(ds, k, e, k.period, in.timeline, in.program, &*flags);
    if (Status s = PriceAndReconcile(in, e, &*flags, &eps, &out, tr); !s.ok()) return s;
    for (auto& ep : eps) out.episodes.push_back(std::move(ep));
  }
  out.groups = Groups(out.episodes);
  out.comparisons = CompareSettings(out.episodes, in.risk_scores, tr);
  for (const EpisodeTerms& e : k.episodes) AddTotals(e, out.episodes, out.groups, tr);
  for (const Episode& ep : out.episodes) AddEpisodeNode(ds, ep, tr);
  return out;
}

}  // namespace valuepact::episodes
