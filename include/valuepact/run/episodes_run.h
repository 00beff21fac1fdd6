#pragma once
// EpisodesRun (`valuepact episodes`, docs/episodes.md): the contract and its data loaded as for
// `settle`, the same Timeline, then every [[episode]] built, priced and reconciled.
#include <memory>
#include <string>
#include <vector>

#include "valuepact/episodes/episodes.h"
#include "valuepact/run/loader.h"

namespace valuepact::run {

struct EpisodesRunResult {
  std::unique_ptr<RunInputs> inputs;
  episodes::EpisodeResult episodes;
  Trace trace;
  std::string run_id;
};

// The episode inputs of a run over its Timeline: data, contract, program data, value sets, and
// (when the reference tables are there) CMS-HCC scores by payment year for risk-adjusted
// targets; their notes go to *notes, which must outlive the inputs' use.
episodes::EpisodeInputs EpisodeInputsOf(const RunInputs& in, const Timeline& timeline,
                                        std::vector<std::string>* notes);

Result<EpisodesRunResult> EpisodesRun(const InputPaths& paths,
                                      const FileSystem& files = RealFiles());

}  // namespace valuepact::run
