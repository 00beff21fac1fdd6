#include "valuepact/run/settle_run.h"

#include "valuepact/run/episodes_run.h"
#include "valuepact/run/line_tallies.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "valuepact/core/distributed.h"
#include "valuepact/core/text.h"
#include "valuepact/metrics/catalogue.h"
#include "valuepact/metrics/claims_metrics.h"

#include "valuepact/settlement/examples_check.h"

namespace valuepact::run {
namespace {

// The contract's own worked examples must hold before it settles anything.
Status CheckWorkedExamples(const SettleRequest& req, const RunInputs& in, SettleRunResult* out) {
  const Contract& k = in.contract;
  if (k.examples.empty()) {
    return Status::Ok();
  }
  SharedSavingsContext ctx;
  ctx.msr_bands = OptionalMsrBands(*in.refdata);
  out->example_failures = DescribeFailures(k, CheckExamples(k, ctx), false);
  if (out->example_failures.empty() || req.ignore_examples) {
    return Status::Ok();
  }
  std::string detail;
  for (const auto& f : out->example_failures) {
    detail += "\n  " + f;
  }
  return Status(StatusCode::kFailedCheck,
                fmt::format("{}: {} worked-example figure{} disagree with the engine; not settling "
                            "(see `valuepact check`, or pass --ignore-examples):{}",
                            k.path, out->example_failures.size(),
                            out->example_failures.size() == 1 ? "" : "s", detail));
}

// Warnings at the top of the statement, most serious first.
std::vector<std::string> Warnings(const SettleRunResult& out) {
  const SettlementResult& r = out.settlement;
  std::vector<std::string> w;
  std::string reasons;
  for (const auto& x : r.data_gate_reasons) {
    reasons += (reasons.empty() ? "" : "; ") + x;
  }
  const bool waived = std::any_of(r.layers.begin(), r.layers.end(), [](const LayerResult& l) {
    return l.branch == "loss_waived_data";
  });
  if (r.data_gate == "withheld_data") {
    w.push_back(fmt::format(
        "Spending-based layers pay 0.00 (withheld_data) because the data cannot be trusted: {}.",
        reasons));
  } else if (waived) {
    w.push_back(
        fmt::format("Losses owed are waived (loss_waived_data, [data_requirements] on_fail = "
                    "\"no_downside\") because the data failed the contract's requirements: {}.",
                    reasons));
  }
  const DataRequirements& req = out.inputs->contract.data_requirements;
  if (r.claim_rows.share() > req.warn_reject_share &&
      r.claim_rows.share() <= req.max_reject_share) {
    w.push_back(fmt::format(
        "{} of {} claim rows ({:.1f}%) were rejected, more than [data_requirements] "
        "warn_reject_share ({:.1f}%); above max_reject_share ({:.1f}%) spending-based layers "
        "would be withheld.",
        GroupDigits(r.claim_rows.rejected), GroupDigits(r.claim_rows.read),
        100 * r.claim_rows.share(), 100 * req.warn_reject_share, 100 * req.max_reject_share));
  }
  for (const auto& l : r.layers) {
    if (l.branch == "no_input") {
      w.push_back(fmt::format("Layer '{}' (no_input): {}.", l.id, l.note));
    }
  }
  if (out.quality.verdict && !out.quality.verdict->passed) {
    std::vector<std::string> failed;
    for (const auto& c : out.quality.verdict->checks) {
      if (c.status != "fail") {
        continue;
      }
      failed.push_back(fmt::format("{}: required {}, found {} — {}", c.name, c.required, c.actual,
                                   c.explanation));
    }
    w.push_back(fmt::format(
        "The data failed {} of the contract's data requirements ([data_requirements]); the "
        "figures below are computed on data both parties agreed was not good enough:",
        failed.size()));
    w.insert(w.end(), failed.begin(), failed.end());
  }
  const IngestReport& report = out.inputs->report;
  if (!report.rejects.empty()) {
    std::map<std::string, uint64_t> by_reason;
    for (const auto& rej : report.rejects) {
      ++by_reason[rej.reason];
    }
    std::vector<std::string> items;
    items.reserve(by_reason.size());
    for (const auto& [reason, n] : by_reason) {
      items.push_back(fmt::format("{} {}", n, reason));
    }
    const std::string list = JoinLimited(items, 10);
    w.push_back(
        fmt::format("{} input rows or fields were rejected and not counted ({}); rejects.csv lists "
                    "each with file, line, field and reason.",
                    report.rejects.size(), list));
  }
  if (!out.example_failures.empty()) {
    w.push_back(
        "Settled with --ignore-examples: the contract's worked examples do not agree with the "
        "engine:");
    w.insert(w.end(), out.example_failures.begin(), out.example_failures.end());
  }
  return w;
}

}  // namespace

DataQualityAssessment AssessDataQuality(const Dataset& ds, const IngestReport& report,
                                        const Contract& k, const quality::ClaimLineTally* lines) {
  DataQualityAssessment q;
  quality::ScorecardContext context;
  context.report = &report;
  context.pharmacy_required = k.pharmacy;
  q.scorecard = lines != nullptr
                    ? quality::ComputeQualityScorecard(ds, *lines, k.data_requirements, context)
                    : quality::ComputeQualityScorecard(ds, k.data_requirements, context);
  if (k.data_requirements.declared) {
    q.verdict = quality::EvaluateRequirements(q.scorecard, k.data_requirements);
  }
  return q;
}

// The quality and data-reporting layers' measures that are catalogue metrics and not in the
// measures file: computed for the population over the period (docs/metrics.md), the metric's
// node added to the trace.
Status AddComputedMeasures(const RunInputs& in, const Timeline& timeline, MeasureTable* measures,
                           Trace* trace) {
  std::vector<std::string> wanted;
  for (const auto& p : in.contract.payments) {
    const std::string& m = p.program.measure;
    if ((p.kind == "quality_incentive" || p.kind == "data_reporting_incentive") &&
        metrics::FindMetric(m) != nullptr && measures->by_name.count(m) == 0 &&
        std::find(wanted.begin(), wanted.end(), m) == wanted.end()) {
      wanted.push_back(m);
    }
  }
  if (wanted.empty()) {
    return Status::Ok();
  }
  Trace scratch;
  auto r =
      metrics::ComputeClaimsMetrics(in.dataset, &in.program, in.contract, timeline, {}, &scratch);
  if (!r.ok()) {
    return r.status();
  }
  for (const auto& row : r->rows) {
    if (row.stratum != "all" || row.period != "total" ||
        std::find(wanted.begin(), wanted.end(), row.metric) == wanted.end()) {
      continue;
    }
    if (!row.value) {
      measures->not_computable[row.metric] = fmt::format(
          "the metric {} has an empty denominator for this population and period (not "
          "applicable)",
          row.metric);
      continue;
    }
    trace->Add(*scratch.Find(row.id));
    measures->by_name[row.metric] = {*row.value, "computed", row.id, row.id};
  }
  return Status::Ok();
}

namespace {

Result<SettleRunResult> SettleRunSteps(const SettleRequest& req, const FileSystem& files) {
  SettleRunResult out;
  auto loaded = LoadContractInputs(req.inputs, files);
  if (!loaded.ok()) {
    return loaded.status();
  }
  if (Status s = CheckWorkedExamples(req, **loaded, &out); !s.ok()) {
    return s;
  }
  if (Status s = LoadData(req.inputs, files, loaded->get()); !s.ok()) {
    return s;
  }
  out.inputs = std::move(*loaded);
  const RunInputs& in = *out.inputs;
  const Contract& k = in.contract;

  Trace trace;
  TimelineInputs ti{&in.dataset, &in.program, &k, &in.attribution, &in.value_sets};
  // The claim lines on their ranks: each attributes its own members (run/line_tallies.h).
  std::optional<attribution::AttributionResult> attributed;
  if (in.lines != nullptr && AttributesOnRanks(k)) {
    auto a = GatherAttribution(*in.lines, in);
    if (!a.ok()) return a.status();
    attributed = std::move(*a);
    ti.attributed = &*attributed;
  }
  auto timeline = BuildTimeline(ti, &trace);
  if (!timeline.ok()) {
    return timeline.status();
  }
  out.attribution = std::move(timeline->attribution);

  // The claim lines read apart: from the cache, or on their ranks, where every rank tallies its
  // own (run/line_tallies.h).
  std::optional<LineTallies> tallies;
  if (in.lines != nullptr && in.lines->info.count == 0) {  // a whole cache's
    tallies = TallyLinesReadApart(*in.lines, k, timeline->timeline);
    out.inputs->lines.reset();
  } else if (in.lines != nullptr) {
    auto t = GatherLineTallies(in.dataset, *in.lines, k, timeline->timeline);
    if (!t.ok()) return t.status();
    tallies = std::move(*t);
    out.inputs->lines.reset();
    out.line_ranks = CurrentDistribution()->size();
  }
  out.quality = AssessDataQuality(in.dataset, in.report, k, tallies ? &tallies->lines : nullptr);
  auto r = SettleOnTimeline(in, timeline->timeline, out.quality, std::move(trace), &out.episodes,
                            tallies ? &tallies->members : nullptr);
  if (!r.ok()) {
    return r.status();
  }
  out.settlement = std::move(*r);
  if (Status u = out.settlement.trace.CheckUnique(); !u.ok()) {
    return u;
  }
  SettlementResult& s = out.settlement;
  for (auto& n : timeline->notes) {
    s.notes.push_back(std::move(n));
  }

  out.inputs->options = {"format=" + req.inputs.format,
                         fmt::format("ignore_examples={}", req.ignore_examples)};
  out.run_id = ComputeRunId(in);
  out.warnings = Warnings(out);
  out.exit_code = !s.data_gate_reasons.empty() || s.requirements_failed ? 1 : 0;
  return out;
}

}  // namespace

Result<SettlementResult> SettleOnTimeline(const RunInputs& in, const Timeline& timeline,
                                          const DataQualityAssessment& quality, Trace trace,
                                          std::optional<episodes::EpisodeResult>* episodes_out,
                                          const MemberLinesTable* member_lines) {
  std::map<std::string, EpisodeAmount> episode_amounts;
  if (!in.contract.episodes.empty()) {
    std::vector<std::string> notes;
    auto eps = episodes::BuildEpisodes(EpisodeInputsOf(in, timeline, &notes), &trace);
    if (!eps.ok()) return eps.status();
    eps->notes.insert(eps->notes.end(), notes.begin(), notes.end());
    for (const auto& r : eps->reconciliations) {
      episode_amounts[r.definition] = {r.amount, r.amount_id};
    }
    if (episodes_out != nullptr) *episodes_out = std::move(*eps);
  }
  SettleInputs si;
  si.episode_amounts = &episode_amounts;
  si.member_lines = member_lines;
  si.dataset = &in.dataset;
  si.program = &in.program;
  si.timeline = &timeline;
  MeasureTable measures = in.measures;
  if (Status m = AddComputedMeasures(in, timeline, &measures, &trace); !m.ok()) {
    return m;
  }
  si.measures = &measures;
  si.refdata = in.refdata.get();
  si.cms_figures = in.cms_figures ? &*in.cms_figures : nullptr;
  si.verdict = quality.verdict ? &*quality.verdict : nullptr;
  return Settle(in.contract, si, std::move(trace));
}

Result<SettleRunResult> SettleRun(const SettleRequest& req, const FileSystem& files) {
  try {
    return SettleRunSteps(req, files);
  } catch (const MoneyOverflow& e) {
    return InvalidInput(DescribeOverflow(e));
  }
}

}  // namespace valuepact::run
