// monitoring.json and monitoring.md (monitoring.h).
#include <algorithm>

#include <fmt/format.h>

#include "valuepact/core/money.h"
#include "valuepact/metrics/monitoring.h"

namespace valuepact::metrics {
namespace {

nlohmann::ordered_json Num(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
}

std::string Text(const std::optional<double>& v) { return v ? fmt::format("{:.4g}", *v) : "n/a"; }

std::string Mark(const std::string& status) {
  return status == "on_track"    ? "on track"
         : status == "at_risk"   ? "**at risk**"
         : status == "off_track" ? "**off track**"
                                 : "n/a";
}

std::string Dollars(int64_t cents) { return Money::FromCents(cents).ToString(); }

// Effort, payments and outcomes side by side (seed 002 lesson 7).
std::string BalanceMarkdown(const MonitoringResult& m) {
  std::string md = fmt::format(
      "\n## Balance of effort, payments and outcomes\n\nProvider effort from the program's "
      "visits; outcomes from the claims{}.\n\n| month | program member-months | visits | visit "
      "minutes | travel minutes | paid PMPM | acute admissions per 1,000 |\n"
      "|---|---|---|---|---|---|---|\n",
      m.benchmark_pmpm ? fmt::format(" (benchmark PMPM {:.2f})", *m.benchmark_pmpm) : "");
  for (const auto& b : m.balance) {
    md += fmt::format(
        "| {} | {} | {} | {} | {} | {} | {} |\n", b.month == "total" ? "**period**" : b.month,
        b.program_member_months, b.visits, b.visit_minutes, b.travel_minutes,
        b.pmpm_total ? fmt::format("{:.2f}", *b.pmpm_total) : "n/a", Text(b.acute_per_1000));
  }
  const BalancePayments& p = m.payments;
  if (!p.not_computed.empty()) {
    return md + fmt::format("\n**Payments by layer not computed**: {}\n", p.not_computed);
  }
  md +=
      "\nPayments by layer for the period, settled as `valuepact settle` settles them (positive: "
      "the payer pays the provider):\n\n| layer | kind | outcome | amount |\n|---|---|---|---|\n";
  for (const auto& l : p.layers) {
    md += fmt::format("| {} | {} | {} | {} |\n", l.label, l.kind, l.branch, Dollars(l.cents));
  }
  md += fmt::format("| **net, payer to provider** | | | **{}** |\n", Dollars(p.net_cents));
  if (std::any_of(p.layers.begin(), p.layers.end(),
                  [](const LayerPayment& l) { return l.branch == "no_input"; })) {
    md +=
        "\nA layer whose outcome is `no_input` had no value for its measure: pass the "
        "`--measures` file given to `valuepact settle`.\n";
  }
  return md;
}

}  // namespace

nlohmann::ordered_json MonitoringJson(const MonitoringResult& m) {
  nlohmann::ordered_json j;
  j["benchmark_pmpm"] = Num(m.benchmark_pmpm);
  j["targets"] = nlohmann::ordered_json::array();
  for (const auto& t : m.targets) {
    nlohmann::ordered_json tj = {{"id", t.terms->id},
                                 {"label", t.terms->label},
                                 {"metric", t.terms->metric},
                                 {"direction", t.terms->at_most ? "at_most" : "at_least"},
                                 {"threshold", t.terms->threshold},
                                 {"period", GranularityName(t.terms->granularity)}};
    for (size_t i = 0; i < t.periods.size(); ++i) {
      tj["periods"].push_back({{"period", t.periods[i].period},
                               {"value", Num(t.periods[i].value)},
                               {"status", t.status[i]},
                               {"trend", t.trend[i]},
                               {"trace", t.periods[i].id}});
    }
    j["targets"].push_back(tj);
  }
  j["triggers"] = nlohmann::ordered_json::array();
  for (const auto& t : m.triggers) {
    nlohmann::ordered_json tj = {{"id", t.terms->id},
                                 {"label", t.terms->label},
                                 {"metric", t.terms->metric},
                                 {"condition", t.terms->above ? "above" : "below"},
                                 {"threshold", t.threshold},
                                 {"consecutive", t.terms->consecutive},
                                 {"period", GranularityName(t.terms->granularity)},
                                 {"fired", t.fired},
                                 {"evidence", t.evidence},
                                 {"action", t.terms->action},
                                 {"trace", "monitoring.trigger." + t.terms->id}};
    for (size_t i = 0; i < t.periods.size(); ++i) {
      tj["periods"].push_back({{"period", t.periods[i].period},
                               {"value", Num(t.periods[i].value)},
                               {"holds", static_cast<bool>(t.holds[i])}});
    }
    j["triggers"].push_back(tj);
  }
  for (const auto& b : m.balance) {
    j["balance"].push_back({{"month", b.month},
                            {"visits", b.visits},
                            {"visit_minutes", b.visit_minutes},
                            {"travel_minutes", b.travel_minutes},
                            {"program_member_months", b.program_member_months},
                            {"pmpm_total", Num(b.pmpm_total)},
                            {"acute_admissions_per_1000", Num(b.acute_per_1000)}});
  }
  nlohmann::ordered_json pj;
  if (m.payments.not_computed.empty()) {
    for (const auto& l : m.payments.layers) {
      pj["layers"].push_back({{"id", l.id},
                              {"label", l.label},
                              {"kind", l.kind},
                              {"outcome", l.branch},
                              {"amount", Dollars(l.cents)},
                              {"trace", l.trace_id}});
    }
    pj["net_payer_to_provider"] = Dollars(m.payments.net_cents);
  } else {
    pj["not_computed"] = m.payments.not_computed;
  }
  j["payments"] = pj;
  for (const auto& w : m.before_after.windows) {
    nlohmann::ordered_json wj = {
        {"months", w.months}, {"members", w.members}, {"excluded_members", w.excluded_members}};
    for (int s : {0, 1}) {
      const double mm = static_cast<double>(w.member_months[s]);
      wj[s == 0 ? "before" : "after"] = {
          {"member_months", w.member_months[s]},
          {"paid", static_cast<double>(w.paid_cents[s]) / 100.0},
          {"pmpm_total", mm > 0 ? nlohmann::ordered_json(w.paid_cents[s] / 100.0 / mm) : nullptr},
          {"acute_stays", w.acute_stays[s]},
          {"bed_days", w.bed_days[s]},
          {"ed_visits", w.ed_visits[s]}};
    }
    j["before_after"].push_back(wj);
  }
  if (m.comparison) {
    j["comparison"] = m.comparison->ToJson();
  }
  j["notes"] = m.notes;
  return j;
}

std::string MonitoringMarkdown(const Contract& k, const MonitoringResult& m) {
  std::string md = fmt::format(
      "# Monitoring: {}\n\nPeriod {} to {}; the population settle uses. "
      "Every value has a trace node (`valuepact explain`).\n",
      k.id, k.period.start.ToString(), k.period.end.ToString());
  md += "\n## Triggers\n\n";
  if (m.triggers.empty()) {
    md += "None in the contract.\n";
  }
  for (const auto& t : m.triggers) {
    md += fmt::format(
        "- **{}** — {}: `{}` {} {} for {} {}(s) in a row. {}\n", t.terms->label,
        t.fired ? "**FIRED**" : "not fired", t.terms->metric, t.terms->above ? "above" : "below",
        fmt::format("{:.4g}", t.threshold), t.terms->consecutive,
        GranularityName(t.terms->granularity),
        t.fired ? fmt::format("Held in {}. Agreed action: {}.",
                              fmt::format("{}", fmt::join(t.evidence, ", ")), t.terms->action)
                : fmt::format("Agreed action when it fires: {}.", t.terms->action));
  }
  md += "\n## Targets\n";
  if (m.targets.empty()) {
    md += "\nNone in the contract.\n";
  }
  for (const auto& t : m.targets) {
    md += fmt::format(
        "\n### {}\n\n`{}` {} {}, by {}.\n\n| period | value | status | trend |\n"
        "|---|---|---|---|\n",
        t.terms->label, t.terms->metric, t.terms->at_most ? "at most" : "at least",
        fmt::format("{:.4g}", t.terms->threshold), GranularityName(t.terms->granularity));
    for (size_t i = 0; i < t.periods.size(); ++i) {
      md += fmt::format("| {} | {} | {} | {} |\n", t.periods[i].period, Text(t.periods[i].value),
                        Mark(t.status[i]), t.trend[i].empty() ? "—" : t.trend[i]);
    }
  }
  md += BalanceMarkdown(m);
  md += fmt::format(
      "\n## Before and after enrollment\n\n{} members began the program in the period; each "
      "window pools those enrolled in the plan in every month before and after.\n\n| window | "
      "members (excluded) | paid PMPM before → after | acute admissions per 1,000 before → "
      "after | bed days per 1,000 before → after | ED visits per 1,000 before → after |\n"
      "|---|---|---|---|---|---|\n",
      m.before_after.program_members);
  for (const auto& w : m.before_after.windows) {
    auto rate = [&](const int64_t* n, int s) {
      return w.member_months[s] > 0
                 ? fmt::format("{:.1f}", static_cast<double>(n[s]) * 12000.0 /
                                             static_cast<double>(w.member_months[s]))
                 : std::string("n/a");
    };
    auto pmpm = [&](int s) {
      return w.member_months[s] > 0
                 ? fmt::format("{:.2f}", static_cast<double>(w.paid_cents[s]) / 100.0 /
                                             static_cast<double>(w.member_months[s]))
                 : std::string("n/a");
    };
    md += fmt::format("| {} months | {} ({}) | {} → {} | {} → {} | {} → {} | {} → {} |\n", w.months,
                      w.members, w.excluded_members, pmpm(0), pmpm(1), rate(w.acute_stays, 0),
                      rate(w.acute_stays, 1), rate(w.bed_days, 0), rate(w.bed_days, 1),
                      rate(w.ed_visits, 0), rate(w.ed_visits, 1));
  }
  if (m.comparison) {
    md += "\n" + m.comparison->ToMarkdown();
  }
  for (const auto& n : m.notes) {
    md += "\nNote: " + n + "\n";
  }
  return md;
}

}  // namespace valuepact::metrics
