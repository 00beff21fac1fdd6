// The files of `valuepact episodes` (outputs.h).
#include "valuepact/episodes/outputs.h"

#include <fmt/format.h>

#include "valuepact/core/csv.h"

namespace valuepact::episodes {
namespace {

using Json = nlohmann::ordered_json;

std::string Field(std::string_view s) {
  std::string out;
  AppendCsvField(&out, s);
  return out;
}

std::string LineList(const Dataset& ds, const std::vector<uint32_t>& rows, bool pharmacy) {
  std::string out;
  for (uint32_t i : rows) {
    const SourceRef& s = pharmacy ? ds.pharmacy.source[i] : ds.medical.source[i];
    const std::string& path = s.file < ds.sources.size() ? ds.sources[s.file].path : "?";
    const size_t slash = path.find_last_of('/');
    out += fmt::format("{}{}:{}", out.empty() ? "" : " ",
                       slash == std::string::npos ? path : path.substr(slash + 1), s.line);
  }
  return out;
}

}  // namespace

std::string EpisodesCsv(const Dataset& ds, const EpisodeResult& r) {
  std::string out =
      "episode_id,person_id,anchor_admit,anchor_discharge,window_end,anchor_paid,post_paid,"
      "total_paid,definition,drg,family,setting,readmissions,ed_visits,folded_stays,target,"
      "counted,excluded_reason,anchor_lines,post_lines,target_risk_factor\n";
  for (const Episode& ep : r.episodes) {
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", Field(ep.id),
        Field(ds.members.Get(ep.member)), ep.admit.ToString(), ep.discharge.ToString(),
        ep.window_end.ToString(), ep.anchor_paid.ToString(), ep.post_paid.ToString(),
        ep.total_paid.ToString(), Field(ep.definition), Field(ep.drg), Field(ep.family), ep.setting,
        ep.readmissions, ep.ed_visits, ep.folded_stays, ep.target ? ep.target->ToString() : "",
        ep.counted() ? "true" : "false", Field(ep.excluded),
        Field(LineList(ds, ep.anchor_lines, false)),
        Field(LineList(ds, ep.post_medical, false) +
              (ep.post_pharmacy.empty() ? "" : " " + LineList(ds, ep.post_pharmacy, true))),
        ep.risk_factor ? fmt::format("{:.6f}", *ep.risk_factor) : "");
  }
  return out;
}

std::string GroupsCsv(const EpisodeResult& r) {
  std::string out =
      "definition,family,setting,episodes,members,anchor_paid,post_paid,total_paid,mean_anchor,"
      "mean_total,with_readmission,readmission_rate,ed_visits\n";
  for (const auto& g : r.groups) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{:.4f},{}\n", Field(g.definition),
                       Field(g.family), g.setting, g.episodes, g.members, g.anchor_paid.ToString(),
                       g.post_paid.ToString(), g.total_paid.ToString(), g.mean_anchor.ToString(),
                       g.mean_total.ToString(), g.with_readmission,
                       static_cast<double>(g.with_readmission) / static_cast<double>(g.episodes),
                       g.ed_visits);
  }
  return out;
}

Json ReconciliationJson(const EpisodeResult& r) {
  Json j;
  Json targets = Json::array();
  for (const auto& t : r.targets) {
    Json x = {{"definition", t.definition},
              {"family", t.family},
              {"price", t.price.ToString()},
              {"source", t.source}};
    if (t.source == "baseline") {
      x["baseline_episodes"] = t.baseline_episodes;
      x["baseline_mean"] = t.baseline_mean.ToString();
      x["winsorized_mean"] = t.winsorized_mean.ToString();
      x["floor"] = t.floor ? Json(t.floor->ToString()) : Json(nullptr);
      x["ceiling"] = t.ceiling ? Json(t.ceiling->ToString()) : Json(nullptr);
      x["trend_factor"] = t.trend_factor;
      x["discount"] = t.discount;
    }
    if (t.mean_risk) {
      x["mean_risk"] = *t.mean_risk;
      if (t.source == "baseline") x["scored_baseline_episodes"] = t.scored_baseline;
    }
    if (!t.cells.empty()) {
      Json cells = Json::object();
      for (const auto& [cell, v] : t.cells) {
        cells[cell] = {{"baseline_episodes", v.first}, {"ratio", v.second}};
      }
      x["cells"] = std::move(cells);
    }
    targets.push_back(std::move(x));
  }
  j["targets"] = targets;
  Json recs = Json::array();
  for (const auto& x : r.reconciliations) {
    recs.push_back({{"definition", x.definition},
                    {"episodes", x.episodes},
                    {"episodes_without_target", x.without_target},
                    {"target_total", x.target_total.ToString()},
                    {"actual_total", x.actual_total.ToString()},
                    {"target_minus_actual", x.raw.ToString()},
                    {"after_quality", x.after_quality.ToString()},
                    {"amount", x.amount.ToString()},
                    {"limit_applied", x.limit_applied},
                    {"trace_id", x.amount_id}});
  }
  j["reconciliations"] = recs;
  j["sign"] = "amount > 0: the payer pays the provider; < 0: the provider owes the payer";
  j["notes"] = r.notes;
  return j;
}

namespace {

Json ArmJson(const SettingArm& a) {
  return {{"setting", a.setting},
          {"episodes", a.episodes},
          {"members", a.members},
          {"mean_anchor", a.mean_anchor.ToString()},
          {"mean_total", a.mean_total.ToString()},
          {"readmission_rate", a.readmission_rate},
          {"ed_visits_per_episode", a.ed_visits_per_episode},
          {"scored_episodes", a.scored},
          {"observed_to_expected",
           a.observed_to_expected ? Json(*a.observed_to_expected) : Json(nullptr)},
          {"adjusted_mean_total",
           a.adjusted_mean_total ? Json(a.adjusted_mean_total->ToString()) : Json(nullptr)}};
}

std::string Opt(const std::optional<Money>& m) { return m ? m->ToString() : "n/a"; }

}  // namespace

Json ComparisonJson(const EpisodeResult& r) {
  Json out = Json::array();
  for (const auto& c : r.comparisons) {
    out.push_back(
        {{"definition", c.definition},
         {"family", c.family},
         {"home", ArmJson(c.home)},
         {"hospital", ArmJson(c.hospital)},
         {"difference", c.difference ? Json(c.difference->ToString()) : Json(nullptr)},
         {"adjusted_difference",
          c.adjusted_difference ? Json(c.adjusted_difference->ToString()) : Json(nullptr)},
         {"mean_risk", c.mean_risk ? Json(*c.mean_risk) : Json(nullptr)}});
  }
  return out;
}

std::string ComparisonMarkdown(const EpisodeResult& r) {
  if (r.comparisons.empty()) return "";
  std::string md =
      "## Hospital at home vs the hospital\n\nEpisodes of the same DRG family anchored at home "
      "and in the hospital. The risk-adjusted figures weigh each arm by its members' CMS-HCC "
      "scores (observed ÷ expected × the pooled mean).\n\n"
      "| episode | family | setting | episodes | members | mean anchor | mean total | "
      "readmitted | ED visits per episode | O/E | adjusted mean total |\n"
      "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& c : r.comparisons) {
    for (const SettingArm* a : {&c.home, &c.hospital}) {
      md += fmt::format(
          "| {} | {} | {} | {} | {} | {} | {} | {:.1f}% | {:.2f} | {} | {} |\n", c.definition,
          c.family, a->setting, a->episodes, a->members, a->mean_anchor.ToString(),
          a->mean_total.ToString(), a->readmission_rate * 100, a->ed_visits_per_episode,
          a->observed_to_expected ? fmt::format("{:.3f}", *a->observed_to_expected) : "n/a",
          Opt(a->adjusted_mean_total));
    }
  }
  md += "\n";
  for (const auto& c : r.comparisons) {
    md += fmt::format("- {} {}: mean total at home − in the hospital {} (risk-adjusted {}).\n",
                      c.definition, c.family, Opt(c.difference), Opt(c.adjusted_difference));
  }
  md += "\n";
  return md;
}

std::string EpisodesMarkdown(const Contract& k, const EpisodeResult& r) {
  std::string md = fmt::format("# Episodes: {}\n\nPeriod {} to {}.\n\n", k.id,
                               k.period.start.ToString(), k.period.end.ToString());
  for (const EpisodeTerms& e : k.episodes) {
    int64_t counted = 0, excluded = 0;
    for (const auto& ep : r.episodes) {
      if (ep.definition != e.id) continue;
      (ep.counted() ? counted : excluded) += 1;
    }
    md += fmt::format(
        "## {} ({})\n\n{} episodes counted, {} excluded; {}-day window after "
        "discharge.\n\n",
        e.label, e.id, counted, excluded, e.window_days);
    md +=
        "| family | setting | episodes | members | mean anchor | mean total | readmitted | ED "
        "visits |\n|---|---|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& g : r.groups) {
      if (g.definition != e.id) continue;
      md += fmt::format(
          "| {} | {} | {} | {} | {} | {} | {:.1f}% | {} |\n", g.family, g.setting, g.episodes,
          g.members, g.mean_anchor.ToString(), g.mean_total.ToString(),
          100.0 * static_cast<double>(g.with_readmission) / static_cast<double>(g.episodes),
          g.ed_visits);
    }
    for (const auto& x : r.reconciliations) {
      if (x.definition != e.id) continue;
      md += fmt::format(
          "\nReconciliation: aggregate target {} against actual {} over {} episodes; target − "
          "actual {}; after quality {}; **{} {}**{}.\n",
          x.target_total.ToString(), x.actual_total.ToString(), x.episodes, x.raw.ToString(),
          x.after_quality.ToString(),
          x.amount.cents() >= 0 ? "payer pays provider" : "provider owes payer",
          (x.amount.cents() >= 0 ? x.amount : -x.amount).ToString(),
          x.limit_applied.empty() ? "" : " (" + x.limit_applied + " binds)");
    }
    md += "\n";
  }
  md += ComparisonMarkdown(r);
  for (const auto& n : r.notes) md += "Note: " + n + "\n\n";
  return md;
}

}  // namespace valuepact::episodes
