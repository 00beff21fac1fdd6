// Targets, triggers and the balance view (monitoring.h).
#include "valuepact/metrics/monitoring.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "valuepact/metrics/catalogue.h"

namespace valuepact::metrics {
namespace {

// The "all" rows of one metric by period, in period order (months, then "total").
std::vector<const MetricRow*> RowsOf(const MetricsResult& m, const std::string& metric) {
  std::vector<const MetricRow*> out;
  for (const auto& r : m.rows) {
    if (r.metric == metric && r.stratum == "all") {
      out.push_back(&r);
    }
  }
  return out;
}

std::string QuarterOf(const std::string& month) {  // "2018-05" → "2018-Q2"
  const int mm = std::stoi(month.substr(5, 2));
  return fmt::format("{}-Q{}", month.substr(0, 4), (mm - 1) / 3 + 1);
}

std::optional<double> Display(const MetricDefinition& d, bool money, int64_t num, int64_t den) {
  auto v = ValueFromSums(d, num, den);
  if (v && money) {
    *v /= 100.0;
  }
  return v;
}

bool FromValues(const MetricDefinition& d) {
  return d.scale == Scale::kMedian || d.scale == Scale::kMinimum || d.scale == Scale::kMaximum;
}

// The metric's values at a granularity; quarters are summed from the months, with a trace node.
// `id` is the metric's row name ("<id>:<value>" for a metric reported per value).
std::vector<PeriodValue> Values(const MetricsResult& m, const std::string& id,
                                const MetricDefinition& d, MonitoringGranularity g, Trace* tr) {
  std::vector<PeriodValue> out;
  const auto rows = RowsOf(m, id);
  for (const MetricRow* r : rows) {
    const bool total = r->period == "total";
    if ((g == MonitoringGranularity::kPeriod) != total) {
      continue;  // the period's row for kPeriod; the months otherwise
    }
    if (g == MonitoringGranularity::kQuarter) {
      const std::string q = QuarterOf(r->period);
      if (out.empty() || out.back().period != q) {
        out.push_back({q, 0, 0, std::nullopt, fmt::format("metrics.{}.all.{}", id, q)});
      }
      out.back().numerator += r->numerator;
      out.back().denominator += r->denominator;
      continue;
    }
    std::optional<double> v = r->value;
    if (v && r->money) {
      *v /= 100.0;
    }
    out.push_back({r->period, r->numerator, r->denominator, v, r->id});
  }
  if (g == MonitoringGranularity::kQuarter) {
    const bool money = !rows.empty() && rows.front()->money;
    for (auto& q : out) {
      q.value = Display(d, money, q.numerator, q.denominator);
      if (tr->Find(q.id) == nullptr) {
        tr->Add({q.id,
                 fmt::format("{} (all, {})", d.label, q.period),
                 fmt::format("{} {} over {} {} of the quarter's months", q.numerator, d.numerator,
                             q.denominator, d.denominator),
                 q.value ? FormatRate(*q.value) : "n/a",
                 d.unit,
                 {},
                 "sum of the monthly rows",
                 ""});
      }
    }
  }
  return out;
}

std::string StatusOf(const TargetTerms& t, const std::optional<double>& v) {
  if (!v) {
    return "not_applicable";
  }
  const double th = t.threshold, margin = std::abs(th) * t.at_risk_margin;
  if (t.at_most ? *v <= th : *v >= th) {
    return "on_track";
  }
  return (t.at_most ? *v <= th + margin : *v >= th - margin) ? "at_risk" : "off_track";
}

std::string Trend(bool at_most, const std::optional<double>& prev, const std::optional<double>& v) {
  if (!prev || !v) {
    return "";
  }
  if (*v == *prev) {
    return "unchanged";
  }
  return (*v < *prev) == at_most ? "improving" : "worsening";
}

Result<const MetricDefinition*> MetricOf(const std::string& id, const char* section, int line,
                                         MonitoringGranularity g) {
  const MetricDefinition* d = FindMetric(id);
  if (d == nullptr) {
    const MetricDefinition* base = FindMetric(id.substr(0, id.find(':')) + ":x");
    return InvalidInput(fmt::format(
        "contract line {}: [[{}]] metric '{}' is not in the catalogue (valuepact metrics "
        "--list){}",
        line, section, id,
        base != nullptr
            ? fmt::format("; it is reported per {}: name one, as '{}:<value>'", base->per, base->id)
            : ""));
  }
  if (FromValues(*d) && g == MonitoringGranularity::kQuarter) {
    return InvalidInput(fmt::format(
        "contract line {}: [[{}]] metric '{}' is a {} of values, which cannot be summed from "
        "the months into quarters; use period = \"month\" or \"period\"",
        line, section, id, d->scale == Scale::kMedian ? "median" : "minimum or maximum"));
  }
  return d;
}

Status EvaluateTargets(const Contract& k, const MetricsResult& m, Trace* tr,
                       MonitoringResult* out) {
  for (const TargetTerms& t : k.targets) {
    auto d = MetricOf(t.metric, "target", t.source_line, t.granularity);
    if (!d.ok()) {
      return d.status();
    }
    TargetResult r;
    r.terms = &t;
    r.periods = Values(m, t.metric, **d, t.granularity, tr);
    if (std::none_of(r.periods.begin(), r.periods.end(),
                     [](const PeriodValue& p) { return p.value.has_value(); })) {
      out->notes.push_back(
          fmt::format("[[target]] {}: {} has no value in any period (valuepact explain RUN_DIR "
                      "metrics.{}.all.total says why)",
                      t.id, t.metric, t.metric));
    }
    for (size_t i = 0; i < r.periods.size(); ++i) {
      const auto& p = r.periods[i];
      r.status.push_back(StatusOf(t, p.value));
      r.trend.push_back(i == 0 ? "" : Trend(t.at_most, r.periods[i - 1].value, p.value));
      tr->Add({fmt::format("monitoring.target.{}.{}", t.id, p.period),
               fmt::format("{} ({})", t.label, p.period),
               fmt::format("value {}; target {} {}; at risk when missed by at most {} × {}",
                           p.value ? FormatRate(*p.value) : "n/a",
                           t.at_most ? "at most" : "at least", FormatRate(t.threshold),
                           FormatRate(t.at_risk_margin), FormatRate(std::abs(t.threshold))),
               r.status.back(),
               "status",
               {p.id},
               fmt::format("[[target]] id = \"{}\" (contract line {})", t.id, t.source_line),
               ""});
    }
    out->targets.push_back(std::move(r));
  }
  return Status::Ok();
}

Status EvaluateTriggers(const Contract& k, const MetricsResult& m, Trace* tr,
                        MonitoringResult* out) {
  for (const TriggerTerms& t : k.triggers) {
    auto d = MetricOf(t.metric, "trigger", t.source_line, t.granularity);
    if (!d.ok()) {
      return d.status();
    }
    TriggerResult r;
    r.terms = &t;
    if (t.relative_to_benchmark) {
      if (!out->benchmark_pmpm) {
        return InvalidInput(fmt::format(
            "contract line {}: [[trigger]] threshold = \"benchmark\" needs [benchmark] method = "
            "\"target_pmpm\" (a historical benchmark is computed by settle)",
            t.source_line));
      }
      r.threshold = *out->benchmark_pmpm * t.factor;
    } else {
      r.threshold = t.threshold.value_or(0);
    }
    r.periods = Values(m, t.metric, **d, t.granularity, tr);
    if (std::none_of(r.periods.begin(), r.periods.end(),
                     [](const PeriodValue& p) { return p.value.has_value(); })) {
      out->notes.push_back(fmt::format(
          "[[trigger]] {}: {} has no value in any period, so it cannot fire (valuepact explain "
          "RUN_DIR metrics.{}.all.total says why)",
          t.id, t.metric, t.metric));
    }
    int run = 0;
    std::vector<std::string> inputs;
    for (const auto& p : r.periods) {
      const bool holds = p.value && (t.above ? *p.value > r.threshold : *p.value < r.threshold);
      r.holds.push_back(holds);
      run = holds ? run + 1 : 0;
      if (!r.fired && run >= t.consecutive) {
        r.fired = true;
        for (size_t i = r.holds.size() - static_cast<size_t>(run); i < r.holds.size(); ++i) {
          r.evidence.push_back(r.periods[i].period);
          inputs.push_back(r.periods[i].id);
        }
      }
    }
    tr->Add({fmt::format("monitoring.trigger.{}", t.id), t.label,
             fmt::format("{} {} {} for {} {}(s) in a row{}", t.metric, t.above ? ">" : "<",
                         FormatRate(r.threshold), t.consecutive, GranularityName(t.granularity),
                         r.fired ? ": held in " + fmt::format("{}", fmt::join(r.evidence, ", "))
                                 : ": did not hold long enough"),
             r.fired ? "fired" : "not fired", "status", inputs,
             fmt::format("[[trigger]] id = \"{}\" (contract line {}); action: {}", t.id,
                         t.source_line, t.action),
             ""});
    out->triggers.push_back(std::move(r));
  }
  return Status::Ok();
}

// Effort from the program's visits of population members in population months; outcomes from
// the metrics.
void Balance(const MetricsResult& m, const ProgramData& program, const Timeline& tl,
             MonitoringResult* out) {
  out->balance.resize(static_cast<size_t>(tl.months()));
  for (int i = 0; i < tl.months(); ++i) {
    out->balance[static_cast<size_t>(i)].month = tl.MonthAt(i).ToString();
    for (uint32_t mem = 0; mem < tl.members(); ++mem) {
      out->balance[static_cast<size_t>(i)].program_member_months += tl.ProgramMonth(mem, i) ? 1 : 0;
    }
  }
  const VisitTable& v = program.visits;
  for (size_t r = 0; r < v.size(); ++r) {
    const int i = tl.IndexOf(YearMonth::Of(v.date[r]));
    if (i < 0 || v.member[r] >= tl.members() || !tl.InPopulation(v.member[r], i)) {
      continue;
    }
    BalanceMonth& b = out->balance[static_cast<size_t>(i)];
    ++b.visits;
    b.visit_minutes += std::max(0, v.minutes[r]);
    b.travel_minutes += std::max(0, v.travel_minutes[r]);
  }
  std::map<std::string, BalanceMonth*> by_month;
  BalanceMonth total;
  total.month = "total";
  for (const auto& b : out->balance) {
    total.visits += b.visits;
    total.visit_minutes += b.visit_minutes;
    total.travel_minutes += b.travel_minutes;
    total.program_member_months += b.program_member_months;
  }
  out->balance.push_back(std::move(total));
  for (auto& b : out->balance) {
    by_month[b.month] = &b;
  }
  for (const auto& r : m.rows) {
    auto it = by_month.find(r.period);
    if (r.stratum != "all" || it == by_month.end() || !r.value) {
      continue;
    }
    if (r.metric == "pmpm_total") {
      it->second->pmpm_total = *r.value / 100.0;
    } else if (r.metric == "acute_admissions_per_1000") {
      it->second->acute_per_1000 = *r.value;
    }
  }
}

}  // namespace

Result<MonitoringResult> EvaluateMonitoring(const Contract& k, const MetricsResult& metrics,
                                            const ProgramData& program, const Timeline& timeline,
                                            Trace* trace) {
  MonitoringResult out;
  if (k.benchmark.method == "target_pmpm") {
    out.benchmark_pmpm = static_cast<double>(k.benchmark.target_pmpm.cents()) / 100.0;
  }
  if (Status s = EvaluateTargets(k, metrics, trace, &out); !s.ok()) {
    return s;
  }
  if (Status s = EvaluateTriggers(k, metrics, trace, &out); !s.ok()) {
    return s;
  }
  Balance(metrics, program, timeline, &out);
  if (k.targets.empty() && k.triggers.empty()) {
    out.notes.emplace_back("the contract has no [[target]] or [[trigger]]: only the balance view");
  }
  return out;
}

}  // namespace valuepact::metrics
