#include "valuepact/modeling/outputs.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/trace.h"

namespace valuepact::modeling {
namespace {

using Json = nlohmann::ordered_json;

// Counts that may be fractional (expected census), with up to 4 decimals and no trailing zeros.
std::string Num(double v) {
  std::string s = fmt::format("{:.4f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

Json DisciplineJson(const DisciplineCostLine& l) {
  return {{"discipline", l.discipline},
          {"hourly_cost", l.hourly_cost.ToString()},
          {"encounters_per_member_month", l.encounters},
          {"hours_per_member_month", l.hours},
          {"travel_hours_per_member_month", l.travel_hours},
          {"cost_per_member_month", l.cost.ToString()},
          {"unbillable_cost_per_member_month", l.unbillable_cost.ToString()}};
}

Json ActualJson(const ActualCost& a) {
  Json lines = Json::array();
  for (const auto& l : a.by_discipline) {
    lines.push_back({{"discipline", l.discipline},
                     {"visits", l.visits},
                     {"minutes", l.minutes},
                     {"travel_minutes", l.travel_minutes},
                     {"visits_per_member_month", l.visits_per_member_month},
                     {"hours_per_member_month", l.hours_per_member_month},
                     {"priced", l.priced},
                     {"cost", l.priced ? Json(l.cost.ToString()) : Json(nullptr)},
                     {"cost_per_member_month",
                      l.priced ? Json(l.per_member_month.ToString()) : Json(nullptr)}});
  }
  return {{"program_member_months", a.program_member_months},
          {"variable_per_member_month", a.variable_per_member_month.ToString()},
          {"total", a.total.ToString()},
          {"visits_outside_program_months", a.visits_outside_program_months},
          {"by_discipline", lines},
          {"notes", a.notes}};
}

std::string GroupName(const CareGroupCost& g) {
  if (g.setting.empty() && g.tier.empty()) return "all";
  if (g.tier.empty()) return g.setting;
  if (g.setting.empty()) return g.tier;
  return g.setting + " / " + g.tier;
}

}  // namespace

Json CostJson(const CostModel& m, const ActualCost* actual) {
  Json j;
  j["variable_per_member_month"] = m.variable_per_member_month.ToString();
  j["fixed_per_month"] = m.fixed_per_month.ToString();
  j["unbillable_per_member_month"] = m.unbillable_per_member_month.ToString();
  Json by = Json::array();
  for (const auto& l : m.by_discipline) by.push_back(DisciplineJson(l));
  j["by_discipline"] = by;
  Json fixed = Json::object();
  for (const auto& f : m.fixed_items) fixed[f.name] = f.amount.ToString();
  j["fixed_items"] = fixed;
  Json groups = Json::array();
  for (const auto& g : m.groups) {
    Json lines = Json::array();
    for (const auto& l : g.by_discipline) lines.push_back(DisciplineJson(l));
    groups.push_back({{"setting", g.setting},
                      {"tier", g.tier},
                      {"share", g.share},
                      {"variable_per_member_month", g.variable_per_member_month.ToString()},
                      {"by_discipline", lines}});
  }
  j["groups"] = groups;
  Json census = Json::array();
  for (const auto& c : m.at_census) {
    census.push_back({{"census", c.census},
                      {"cost_per_member_month", c.per_member_month.ToString()},
                      {"cost_per_month", c.total_per_month.ToString()}});
  }
  j["at_census"] = census;
  j["formula"] =
      "variable = Σ encounters per member-month × (minutes + travel minutes) ÷ 60 × hourly cost; "
      "cost per member-month at census N = variable + fixed per month ÷ N (each rounded to the "
      "cent once, half away from zero)";
  if (actual != nullptr) j["actual"] = ActualJson(*actual);
  return j;
}

std::string CostMarkdown(const CostModel& m, const ActualCost* actual) {
  std::string md = "# Cost of care delivery\n\n";
  md += fmt::format(
      "Variable cost per enrolled member-month: **{}** (of which {} on encounters that are not "
      "billable). Fixed cost per month: **{}**.\n\n",
      m.variable_per_member_month.ToString(), m.unbillable_per_member_month.ToString(),
      m.fixed_per_month.ToString());
  md += "| discipline | hourly cost | encounters | contact hours | travel hours | cost |\n";
  md += "|---|---:|---:|---:|---:|---:|\n";
  for (const auto& l : m.by_discipline) {
    md += fmt::format("| {} | {} | {} | {} | {} | {} |\n", l.discipline, l.hourly_cost.ToString(),
                      Num(l.encounters), Num(l.hours), Num(l.travel_hours), l.cost.ToString());
  }
  if (m.groups.size() > 1) {
    md += "\n| care group | share of member-months | variable cost per member-month |\n";
    md += "|---|---:|---:|\n";
    for (const auto& g : m.groups) {
      md += fmt::format("| {} | {} | {} |\n", GroupName(g), Num(g.share),
                        g.variable_per_member_month.ToString());
    }
  }
  if (!m.at_census.empty()) {
    md += "\n| census | cost per member-month | cost per month |\n|---:|---:|---:|\n";
    for (const auto& c : m.at_census) {
      md += fmt::format("| {} | {} | {} |\n", c.census, c.per_member_month.ToString(),
                        c.total_per_month.ToString());
    }
  }
  if (actual != nullptr) {
    md += fmt::format(
        "\n## Actual care delivered\n\n{} program member-months; actual variable cost per "
        "member-month **{}** (assumed {}).\n\n",
        actual->program_member_months, actual->variable_per_member_month.ToString(),
        m.variable_per_member_month.ToString());
    md +=
        "| discipline | visits | per member-month | hours per member-month | cost per "
        "member-month |\n|---|---:|---:|---:|---:|\n";
    for (const auto& l : actual->by_discipline) {
      md += fmt::format("| {} | {} | {} | {} | {} |\n", l.discipline, l.visits,
                        Num(l.visits_per_member_month), Num(l.hours_per_member_month),
                        l.priced ? l.per_member_month.ToString() : "not priced");
    }
    for (const auto& n : actual->notes) md += "\n- " + n;
    md += "\n";
  }
  return md;
}

std::string RampCsv(const RampResult& r) {
  std::string out =
      "month,referrals,assessed,census,member_months,revenue,cost,margin,cumulative,"
      "calendar_month,new_enrollees";
  for (const auto& l : r.layers) out += ",revenue_" + l.layer_id;
  out += "\n";
  for (const auto& m : r.months) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}", m.month, Num(m.referrals),
                       Num(m.assessed), Num(m.census), Num(m.member_months), m.revenue.ToString(),
                       m.cost.ToString(), m.margin.ToString(), m.cumulative.ToString(),
                       m.calendar_month, Num(m.new_enrollees));
    for (const auto& v : m.revenue_by_layer) out += "," + v.ToString();
    out += "\n";
  }
  return out;
}

Json BreakEvenJson(const RampResult& r) {
  const BreakEven& b = r.break_even;
  Json j;
  j["census"] = b.census ? Json(*b.census) : Json("never");
  j["month"] = b.month ? Json(*b.month) : Json(nullptr);
  j["peak_cumulative_loss"] = b.peak_cumulative_loss.ToString();
  j["peak_loss_month"] = b.peak_loss_month ? Json(*b.peak_loss_month) : Json(nullptr);
  j["revenue_per_member_month"] = b.revenue_per_member_month.ToString();
  j["variable_cost_per_member_month"] = b.variable_cost_per_member_month.ToString();
  j["fixed_per_month"] = b.fixed_per_month.ToString();
  j["census_independent_revenue_per_month"] = b.census_independent_revenue_per_month.ToString();
  j["net_fixed_per_month"] = b.net_fixed_per_month.ToString();
  j["total_revenue"] = r.total_revenue.ToString();
  j["total_cost"] = r.total_cost.ToString();
  j["formula"] =
      "census = ⌈net fixed per month ÷ (revenue per member-month − variable cost per "
      "member-month)⌉, \"never\" when revenue does not exceed variable cost; month = the first "
      "month whose margin is ≥ 0; peak cumulative loss = −(lowest cumulative position)";
  Json layers = Json::array();
  for (const auto& l : r.layers) {
    layers.push_back(
        {{"layer", l.layer_id}, {"kind", l.kind}, {"projected", l.projected}, {"rule", l.rule}});
  }
  j["layers"] = layers;
  j["notes"] = r.notes;
  return j;
}

std::string RampMarkdown(const RampResult& r) {
  const BreakEven& b = r.break_even;
  std::string md = "# Break-even and start-up ramp\n\n";
  md += fmt::format(
      "- Break-even census: **{}** (revenue {} per member-month against a variable cost of {}, "
      "net fixed cost {} per month)\n",
      b.census ? std::to_string(*b.census) : "never", b.revenue_per_member_month.ToString(),
      b.variable_cost_per_member_month.ToString(), b.net_fixed_per_month.ToString());
  md += fmt::format("- First month with a non-negative margin: **{}**\n",
                    b.month ? std::to_string(*b.month) : "none within the projection");
  md += fmt::format(
      "- Peak cumulative loss (the start-up support a payer would need to cover): **{}**{}\n\n",
      b.peak_cumulative_loss.ToString(),
      b.peak_loss_month ? fmt::format(" in month {}", *b.peak_loss_month) : "");
  md += "| month | referrals | census | revenue | cost | margin | cumulative |\n";
  md += "|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& m : r.months) {
    md += fmt::format("| {} ({}) | {} | {} | {} | {} | {} | {} |\n", m.month, m.calendar_month,
                      Num(m.referrals), Num(m.census), m.revenue.ToString(), m.cost.ToString(),
                      m.margin.ToString(), m.cumulative.ToString());
  }
  md += "\nRevenue by layer:\n\n";
  for (const auto& l : r.layers) {
    md += fmt::format("- `{}` ({}): {}{}\n", l.layer_id, l.kind,
                      l.projected ? "" : "not projected: ", l.rule);
  }
  for (const auto& n : r.notes) md += "\nNote: " + n + "\n";
  return md;
}

Json RoiJson(const Roi& r) {
  return {{"roi", r.roi},
          {"savings", r.inputs.savings.ToString()},
          {"savings_source", r.inputs.savings_source},
          {"payments", r.inputs.payments.ToString()},
          {"payments_source", r.inputs.payments_source},
          {"net_savings", r.net_savings.ToString()},
          {"formula", "(savings − program payments) ÷ program payments"}};
}

Json DistributionJson(const OutcomeDistribution& d) {
  return {{"mean", d.mean.ToString()},
          {"p5", d.p5.ToString()},
          {"p50", d.p50.ToString()},
          {"p95", d.p95.ToString()},
          {"min", d.min.ToString()},
          {"max", d.max.ToString()},
          {"probability_savings", d.probability_savings},
          {"probability_losses", d.probability_losses},
          {"savings_rate",
           {{"p5", d.savings_rate_p5}, {"p50", d.savings_rate_p50}, {"p95", d.savings_rate_p95}}}};
}

Json SimulationJson(const SimulationResult& r) {
  Json j = DistributionJson(r.net);
  j["members"] = r.members;
  j["years"] = r.years;
  j["seed"] = r.seed;
  j["shared_savings_layer"] = r.shared_layer_id;
  j["percentiles"] = "nearest rank over the simulated years";
  Json without = Json::array();
  for (const auto& t : r.terms) {
    Json w = DistributionJson(t.without);
    w["term"] = t.term;
    w["label"] = t.label;
    w["mean_change"] = (t.without.mean - r.net.mean).ToString();
    without.push_back(std::move(w));
  }
  j["without"] = without;
  j["notes"] = r.notes;
  return j;
}

std::string VariantsCsv(const std::vector<VariantOutcome>& rows) {
  std::string out =
      "id,changes,mean,p5,p50,p95,probability_savings,probability_losses,break_even_census,"
      "break_even_month,peak_cumulative_loss,ramp_revenue,ramp_cost\n";
  for (const auto& row : rows) {
    std::string line;
    AppendCsvField(&line, row.variant->id);
    line += ",";
    AppendCsvField(&line, row.variant->Describe());
    if (row.simulated) {
      const auto& d = *row.simulated;
      line += fmt::format(",{},{},{},{},{},{}", d.mean.ToString(), d.p5.ToString(),
                          d.p50.ToString(), d.p95.ToString(), FormatRate(d.probability_savings),
                          FormatRate(d.probability_losses));
    } else {
      line += ",,,,,,";
    }
    if (row.ramp) {
      const auto& b = row.ramp->break_even;
      line +=
          fmt::format(",{},{},{},{},{}", b.census ? std::to_string(*b.census) : "never",
                      b.month ? std::to_string(*b.month) : "", b.peak_cumulative_loss.ToString(),
                      row.ramp->total_revenue.ToString(), row.ramp->total_cost.ToString());
    } else {
      line += ",,,,,";
    }
    out += line + "\n";
  }
  return out;
}

std::string VariantsMarkdown(const std::vector<VariantOutcome>& rows, const std::string& chart,
                             int64_t members, int years, uint64_t seed) {
  std::string md = "# Contract variants\n\n";
  md += fmt::format(
      "Each variant is settled over the same {} simulated years of {} members drawn from the data "
      "(seed {}); net settlement as in summary.json (positive: the payer pays the provider).\n\n",
      years, members, seed);
  md +=
      "| variant | changes | mean | P5 | P50 | P95 | P(savings) | P(losses) | break-even "
      "census | peak cumulative loss |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& row : rows) {
    const auto* d = row.simulated ? &*row.simulated : nullptr;
    const auto* b = row.ramp ? &row.ramp->break_even : nullptr;
    md +=
        fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", row.variant->id,
                    row.variant->Describe(), d ? d->mean.ToString() : "", d ? d->p5.ToString() : "",
                    d ? d->p50.ToString() : "", d ? d->p95.ToString() : "",
                    d ? fmt::format("{:.1f}%", d->probability_savings * 100) : "",
                    d ? fmt::format("{:.1f}%", d->probability_losses * 100) : "",
                    b ? (b->census ? std::to_string(*b->census) : "never") : "",
                    b ? b->peak_cumulative_loss.ToString() : "");
  }
  if (!chart.empty()) md += "\n![Net settlement by variant](" + chart + ")\n";
  return md;
}

namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Thousands(double v) {
  const double a = std::abs(v);
  if (a >= 1e6) return fmt::format("{:.1f}M", v / 1e6);
  if (a >= 1e3) return fmt::format("{:.0f}k", v / 1e3);
  return fmt::format("{:.0f}", v);
}

// A round step for about 6 ticks over the range.
double TickStep(double range) {
  const double raw = range / 6;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= m * mag) return m * mag;
  }
  return 10 * mag;
}

}  // namespace

std::string DistributionSvg(const std::string& title, const std::vector<ChartRow>& rows) {
  constexpr int kLeft = 260, kRight = 40, kTop = 50, kRow = 34, kWidth = 900;
  const int height = kTop + kRow * static_cast<int>(rows.size()) + 50;
  double lo = 0, hi = 0;
  for (const auto& r : rows) {
    lo = std::min(lo, static_cast<double>(r.distribution->min.as_units()));
    hi = std::max(hi, static_cast<double>(r.distribution->max.as_units()));
  }
  if (hi - lo < 1) hi = lo + 1;
  const double step = TickStep(hi - lo);
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi / step) * step;
  auto x = [&](double v) { return kLeft + (v - lo) / (hi - lo) * (kWidth - kLeft - kRight); };
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"13\" role=\"img\" aria-label=\"{}\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{}\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
      kWidth, height, kWidth, height, Escape(title), 10, Escape(title));
  const int bottom = kTop + kRow * static_cast<int>(rows.size());
  for (double t = lo; t <= hi + step / 2; t += step) {
    s += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#ddd\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\" fill=\"#444\">{4}</text>\n",
        x(t), kTop - 6, bottom, bottom + 18, Thousands(t));
  }
  s += fmt::format(
      "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#000\" "
      "stroke-width=\"1.5\"/>\n",
      x(0), kTop - 10, bottom);
  for (size_t i = 0; i < rows.size(); ++i) {
    const OutcomeDistribution& d = *rows[i].distribution;
    const int cy = kTop + kRow * static_cast<int>(i) + kRow / 2;
    auto v = [](Money m) { return static_cast<double>(m.as_units()); };
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", kLeft - 10, cy + 4,
                     Escape(rows[i].label));
    s += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"#555\"/>\n"
        "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"16\" fill=\"#9ecae1\" "
        "stroke=\"#3182bd\"><title>P5 {} to P95 {}</title></rect>\n"
        "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"#08519c\" "
        "stroke-width=\"2\"><title>P50 {}</title></line>\n"
        "<circle cx=\"{:.1f}\" cy=\"{}\" r=\"4\" fill=\"#e6550d\"><title>mean {}</title>"
        "</circle>\n",
        x(v(d.min)), cy, x(v(d.max)), cy, x(v(d.p5)), cy - 8,
        std::max(1.0, x(v(d.p95)) - x(v(d.p5))), d.p5.ToString(), d.p95.ToString(), x(v(d.p50)),
        cy - 8, x(v(d.p50)), cy + 8, d.p50.ToString(), x(v(d.mean)), cy, d.mean.ToString());
  }
  s += fmt::format(
      "<text x=\"{}\" y=\"{}\" fill=\"#444\">Net settlement (USD; positive: payer pays provider). "
      "Box P5–P95, line P50, dot mean, whiskers min–max.</text>\n</svg>\n",
      kLeft, bottom + 40);
  return s;
}

}  // namespace valuepact::modeling
