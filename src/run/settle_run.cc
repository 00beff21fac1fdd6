#include "valuepact/run/settle_run.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "valuepact/settlement/examples_check.h"

namespace valuepact::run {
namespace {

// The contract's own worked examples must hold before it settles anything.
Status CheckWorkedExamples(const SettleRequest& req, const RunInputs& in, SettleRunResult* out) {
  const Contract& k = in.contract;
  if (k.examples.empty()) return Status::Ok();
  SharedSavingsContext ctx;
  ctx.msr_bands = OptionalMsrBands(*in.refdata);
  out->example_failures = DescribeFailures(k, CheckExamples(k, ctx), false);
  if (out->example_failures.empty() || req.ignore_examples) return Status::Ok();
  std::string detail;
  for (const auto& f : out->example_failures) detail += "\n  " + f;
  return Status(StatusCode::kFailedCheck,
                fmt::format("{}: {} worked-example figure{} disagree with the engine; not settling "
                            "(see `valuepact check`, or pass --ignore-examples):{}",
                            k.path, out->example_failures.size(),
                            out->example_failures.size() == 1 ? "" : "s", detail));
}

// Rows refused by the readers, by reason, for the top of the statement and summary.json.
nlohmann::ordered_json RejectSummary(const IngestReport& report) {
  std::map<std::string, uint64_t> by_reason;
  for (const auto& r : report.rejects) ++by_reason[r.reason];
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [reason, n] : by_reason) j[reason] = n;
  return j;
}

// Warnings at the top of the statement, most serious first.
void AddWarnings(const SettleRunResult& out, const SettlementResult& r, StatementExtras* extras) {
  std::vector<std::string> w;
  std::string reasons;
  for (const auto& x : r.data_gate_reasons) reasons += (reasons.empty() ? "" : "; ") + x;
  const bool waived = std::any_of(r.layers.begin(), r.layers.end(),
                                  [](const LayerResult& l) { return l.branch == "loss_waived_data"; });
  if (r.data_gate == "withheld_data") {
    w.push_back(fmt::format(
        "Spending-based layers pay 0.00 (withheld_data) because the data cannot be trusted: {}.",
        reasons));
  } else if (waived) {
    w.push_back(fmt::format(
        "Losses owed are waived (loss_waived_data, [data_requirements] on_fail = "
        "\"no_downside\") because the data failed the contract's requirements: {}.",
        reasons));
  }
  for (const auto& l : r.layers) {
    if (l.branch == "no_input") {
      w.push_back(fmt::format("Layer '{}' pays 0.00 because an input is missing: {}.", l.id,
                              l.note));
    }
  }
  if (!out.inputs->report.rejects.empty()) {
    std::string reasons;
    for (const auto& [reason, n] : RejectSummary(out.inputs->report).items()) {
      reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", n.get<uint64_t>(), reason);
    }
    w.push_back(fmt::format("{} input rows were rejected and not counted ({}); rejects.csv lists "
                            "each with file, line, field and reason.",
                            out.inputs->report.rejects.size(), reasons));
  }
  extras->warnings.insert(extras->warnings.begin(), w.begin(), w.end());
}

}  // namespace

Result<SettleRunResult> SettleRun(const SettleRequest& req, const FileSystem& files) {
  SettleRunResult out;
  auto loaded = LoadContractInputs(req.inputs, files);
  if (!loaded.ok()) return loaded.status();
  if (Status s = CheckWorkedExamples(req, **loaded, &out); !s.ok()) return s;
  if (Status s = LoadData(req.inputs, files, loaded->get()); !s.ok()) return s;
  out.inputs = std::move(*loaded);
  const RunInputs& in = *out.inputs;
  const Contract& k = in.contract;

  Trace trace;
  TimelineInputs ti{&in.dataset, &in.program, &k, &in.attribution, &in.value_sets};
  auto timeline = BuildTimeline(ti, &trace);
  if (!timeline.ok()) return timeline.status();
  out.attribution = std::move(timeline->attribution);

  auto quality = AssessDataQuality(in.dataset, k);
  if (!quality.ok()) return quality.status();
  SettleInputs si;
  si.dataset = &in.dataset;
  si.program = &in.program;
  si.timeline = &timeline->timeline;
  si.measures = &in.measures;
  si.refdata = in.refdata.get();
  si.verdict = quality->verdict ? &*quality->verdict : nullptr;
  auto r = Settle(k, si, std::move(trace));
  if (!r.ok()) return r.status();
  out.settlement = std::move(*r);
  if (Status u = out.settlement.trace.CheckUnique(); !u.ok()) return u;
  SettlementResult& s = out.settlement;
  for (auto& n : timeline->notes) s.notes.push_back(std::move(n));

  out.run_id = ComputeRunId(in);
  out.summary = BuildSummaryJson(out.run_id, k, in.dataset, in.report, s);
  out.summary["population"]["attribution"] = AttributionMethodName(k.attribution.method);
  out.summary["population"]["evaluate"] = PopulationEvaluationName(k.population.evaluate);
  out.summary["data_quality"]["rejects_by_reason"] = RejectSummary(in.report);
  for (const auto& f : in.files) {
    out.summary["inputs"].push_back({{"path", f.path}, {"table", f.role}, {"sha256", f.sha256}});
  }
  for (const auto& t : in.refdata->Versions()) {
    out.summary["inputs"].push_back(
        {{"path", in.refdata->dir() + "/" + t.file}, {"table", "refdata"}, {"sha256", t.sha256}});
  }
  out.summary["data_gate"] = {{"outcome", s.data_gate.empty() ? "open" : s.data_gate},
                              {"reasons", s.data_gate_reasons},
                              {"on_fail", DataFailActionName(k.data_requirements.on_fail)}};
  ApplyDataQuality(*quality, &out.summary, &out.extras);
  if (!out.example_failures.empty()) {
    out.extras.warnings.push_back(
        "Settled with --ignore-examples: the contract's worked examples do not agree with the "
        "engine:");
    for (const auto& f : out.example_failures) out.extras.warnings.push_back(f);
  }
  AddWarnings(out, s, &out.extras);
  out.exit_code = !s.data_gate_reasons.empty() || s.requirements_failed ? 1 : 0;
  return out;
}

}  // namespace valuepact::run
