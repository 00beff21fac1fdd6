#include "valuepact/run/episodes_run.h"

#include "valuepact/run/metrics_run.h"
#include "valuepact/run/timeline_builder.h"

namespace valuepact::run {

Result<EpisodesRunResult> EpisodesRun(const InputPaths& paths_in, const FileSystem& files) {
  EpisodesRunResult out;
  // A contract of episodes alone needs no [benchmark] or [[payment]].
  InputPaths paths = paths_in;
  paths.allow_draft = true;
  auto in = LoadRunInputs(paths, files);
  if (!in.ok()) return in.status();
  out.inputs = std::move(*in);
  const RunInputs& inputs = *out.inputs;
  TimelineInputs ti{&inputs.dataset, &inputs.program, &inputs.contract, &inputs.attribution,
                    &inputs.value_sets};
  auto tl = BuildTimeline(ti, &out.trace);
  if (!tl.ok()) return tl.status();
  episodes::EpisodeInputs ei{&inputs.dataset, &inputs.contract, &tl->timeline};
  ei.program = &inputs.program;
  // Risk scores for the home-vs-hospital comparison, when the reference tables are there.
  std::vector<std::string> notes;
  std::vector<double> scores;
  if (inputs.refdata->available()) {
    auto s = MemberRiskScores(inputs, "", inputs.contract.period.start.year(),
                              "episode comparison risk scores", &notes);
    if (!s.ok()) return s.status();
    scores = std::move(*s);
    ei.risk_scores = &scores;
  } else {
    notes.push_back(
        "no reference tables (--refdata, VALUEPACT_REFDATA): the home-vs-hospital comparison "
        "has observed figures only, no risk-adjusted difference");
  }
  auto r = episodes::BuildEpisodes(ei, &out.trace);
  if (!r.ok()) return r.status();
  out.episodes = std::move(*r);
  out.episodes.notes.insert(out.episodes.notes.end(), notes.begin(), notes.end());
  if (Status u = out.trace.CheckUnique(); !u.ok()) return u;
  out.inputs->options = {"command=episodes", "format=" + paths.format};
  out.run_id = ComputeRunId(inputs);
  return out;
}

}  // namespace valuepact::run
