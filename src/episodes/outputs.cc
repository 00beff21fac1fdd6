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
      "counted,excluded_reason,anchor_lines,post_lines\n";
  for (const Episode& ep : r.episodes) {
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", Field(ep.id),
        Field(ds.members.Get(ep.member)), ep.admit.ToString(), ep.discharge.ToString(),
        ep.window_end.ToString(), ep.anchor_paid.ToString(), ep.post_paid.ToString(),
        ep.total_paid.ToString(), Field(ep.definition), Field(ep.drg), Field(ep.family),
        ep.setting, ep.readmissions, ep.ed_visits, ep.folded_stays,
        ep.target ? ep.target->ToString() : "", ep.counted() ? "true" : "false",
        Field(ep.excluded), Field(LineList(ds, ep.anchor_lines, false)),
        Field(LineList(ds, ep.post_medical, false) +
              (ep.post_pharmacy.empty() ? "" : " " + LineList(ds, ep.post_pharmacy, true))));
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

std::string EpisodesMarkdown(const Contract& k, const EpisodeResult& r) {
  std::string md = fmt::format("# Episodes: {}\n\nPeriod {} to {}.\n\n", k.id,
                               k.period.start.ToString(), k.period.end.ToString());
  for (const EpisodeTerms& e : k.episodes) {
    int64_t counted = 0, excluded = 0;
    for (const auto& ep : r.episodes) {
      if (ep.definition != e.id) continue;
      (ep.counted() ? counted : excluded) += 1;
    }
    md += fmt::format("## {} ({})\n\n{} episodes counted, {} excluded; {}-day window after "
                      "discharge.\n\n",
                      e.label, e.id, counted, excluded, e.window_days);
    md += "| family | setting | episodes | members | mean anchor | mean total | readmitted | ED "
          "visits |\n|---|---|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& g : r.groups) {
      if (g.definition != e.id) continue;
      md += fmt::format("| {} | {} | {} | {} | {} | {} | {:.1f}% | {} |\n", g.family, g.setting,
                        g.episodes, g.members, g.mean_anchor.ToString(), g.mean_total.ToString(),
                        100.0 * static_cast<double>(g.with_readmission) /
                            static_cast<double>(g.episodes),
                        g.ed_visits);
    }
    for (const auto& x : r.reconciliations) {
      if (x.definition != e.id) continue;
      md += fmt::format(
          "\nReconciliation: aggregate target {} against actual {} over {} episodes; target − "
          "actual {}; after quality {}; **{} {}**{}.\n",
          x.target_total.ToString(), x.actual_total.ToString(), x.episodes, x.raw.ToString(),
          x.after_quality.ToString(), x.amount.cents() >= 0 ? "payer pays provider" : "provider owes payer",
          (x.amount.cents() >= 0 ? x.amount : -x.amount).ToString(),
          x.limit_applied.empty() ? "" : " (" + x.limit_applied + " binds)");
    }
    md += "\n";
  }
  for (const auto& n : r.notes) md += "Note: " + n + "\n\n";
  return md;
}

}  // namespace valuepact::episodes
