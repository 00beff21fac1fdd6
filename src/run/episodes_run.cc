#include "valuepact/run/episodes_run.h"

#include <map>
#include <memory>

#include <fmt/format.h>

#include "valuepact/run/metrics_run.h"
#include "valuepact/run/timeline_builder.h"

namespace valuepact::run {

episodes::EpisodeInputs EpisodeInputsOf(const RunInputs& in, const Timeline& timeline,
                                        std::vector<std::string>* notes) {
  episodes::EpisodeInputs ei;
  ei.dataset = &in.dataset;
  ei.contract = &in.contract;
  ei.timeline = &timeline;
  ei.program = &in.program;
  ei.value_sets = &in.value_sets;
  if (in.refdata->available()) {
    // Each payment year is scored once, whoever asks (targets, the comparison).
    auto cache = std::make_shared<std::map<int, std::vector<double>>>();
    ei.risk_scores_for_year = [&in, notes, cache](int year) -> Result<std::vector<double>> {
      if (auto it = cache->find(year); it != cache->end()) return it->second;
      auto s = MemberRiskScores(in, "", year, fmt::format("episode risk scores ({})", year), notes);
      if (!s.ok()) return s.status();
      return cache->emplace(year, std::move(*s)).first->second;
    };
  }
  return ei;
}

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
  std::vector<std::string> notes;
  episodes::EpisodeInputs ei = EpisodeInputsOf(inputs, tl->timeline, &notes);
  // Risk scores for the home-vs-hospital comparison, when the reference tables are there.
  std::vector<double> scores;
  if (ei.risk_scores_for_year) {
    auto s = ei.risk_scores_for_year(inputs.contract.period.start.year());
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
