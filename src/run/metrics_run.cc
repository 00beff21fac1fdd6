// MetricsRun (run/metrics_run.h).
#include "valuepact/run/metrics_run.h"

#include <fmt/format.h>

#include "valuepact/run/timeline_builder.h"

namespace valuepact::run {
namespace {

Result<metrics::MetricsOptions> Options(const MetricsRequest& req) {
  metrics::MetricsOptions o;
  o.min_cell = req.min_cell;
  if (req.min_cell < 1) {
    return InvalidInput(fmt::format("--min-cell {}: expected 1 or more", req.min_cell));
  }
  for (const auto& name : req.by) {
    const auto a = metrics::ParseAttribute(name);
    if (!a) {
      std::string known;
      for (int i = 0; i < metrics::kAttributeCount; ++i) {
        known += (i ? ", " : "") +
                 std::string(metrics::AttributeName(static_cast<metrics::Attribute>(i)));
      }
      return InvalidInput(fmt::format("--by {}: not a member attribute; known: {}", name, known));
    }
    if (std::find(o.by.begin(), o.by.end(), *a) == o.by.end()) {
      o.by.push_back(*a);
    }
  }
  return o;
}

nlohmann::ordered_json Summary(const MetricsRunResult& r) {
  const Contract& k = r.inputs->contract;
  nlohmann::ordered_json j;
  j["run_id"] = r.run_id;
  j["contract"] = k.id;
  j["period"] = {{"start", k.period.start.ToString()}, {"end", k.period.end.ToString()}};
  nlohmann::ordered_json totals;
  for (const auto& row : r.metrics.rows) {
    if (row.stratum == "all" && row.period == "total") {
      // Money in dollars per member-month; a value with an empty denominator is null.
      totals[row.metric] =
          row.value ? nlohmann::ordered_json(row.money ? *row.value / 100.0 : *row.value) : nullptr;
    }
  }
  j["total"] = totals;
  j["strata"] = r.metrics.strata;
  j["suppressed_strata"] = r.metrics.suppressed_strata;
  j["notes"] = r.metrics.notes;
  AddProvenance(*r.inputs, &j);
  return j;
}

}  // namespace

Result<MetricsRunResult> MetricsRun(const MetricsRequest& req, const FileSystem& files) {
  auto options = Options(req);
  if (!options.ok()) {
    return options.status();
  }
  MetricsRunResult out;
  InputPaths paths = req.inputs;
  paths.allow_draft = true;  // a contract being drafted can already be measured
  auto loaded = LoadRunInputs(paths, files);
  if (!loaded.ok()) {
    return loaded.status();
  }
  out.inputs = std::move(*loaded);
  const RunInputs& in = *out.inputs;
  TimelineInputs ti{&in.dataset, &in.program, &in.contract, &in.attribution, &in.value_sets};
  auto timeline = BuildTimeline(ti, &out.trace);
  if (!timeline.ok()) {
    return timeline.status();
  }
  if (timeline->attribution) {
    options->attribution = &*timeline->attribution;
  }
  auto m = metrics::ComputeClaimsMetrics(in.dataset, &in.program, in.contract, timeline->timeline,
                                         *options, &out.trace);
  if (!m.ok()) {
    return m.status();
  }
  out.metrics = std::move(*m);
  auto mon = metrics::EvaluateMonitoring(in.contract, out.metrics, in.program, timeline->timeline,
                                         &out.trace);
  if (!mon.ok()) {
    return mon.status();
  }
  out.monitoring = std::move(*mon);
  out.monitoring.payments = BalancePayments(in, timeline->timeline, &out.trace);
  auto ba = metrics::ComputeBeforeAfter(in.dataset, in.program, in.contract, &out.trace);
  if (!ba.ok()) {
    return ba.status();
  }
  out.before_after = std::move(*ba);
  out.monitoring.before_after = out.before_after;
  if (in.contract.comparison) {
    auto ci = PrepareComparison(in, timeline->timeline, &out.metrics.notes);
    if (!ci.ok()) {
      return ci.status();
    }
    auto cmp = metrics::ComputeComparison(*ci, &out.trace);
    if (!cmp.ok()) {
      return cmp.status();
    }
    out.monitoring.comparison = std::move(*cmp);
  }
  for (auto& n : timeline->notes) {
    out.metrics.notes.push_back(std::move(n));
  }
  out.inputs->options.push_back(fmt::format("min_cell={}", req.min_cell));
  for (const auto& b : req.by) {
    out.inputs->options.push_back("by=" + b);
  }
  out.run_id = ComputeRunId(*out.inputs);
  if (Status s = out.trace.CheckUnique(); !s.ok()) {
    return s;
  }
  out.summary = Summary(out);
  return out;
}

}  // namespace valuepact::run
