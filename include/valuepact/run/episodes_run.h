#pragma once
// EpisodesRun (`valuepact episodes`, docs/episodes.md): the contract and its data loaded as for
// `settle`, the same Timeline, then every [[episode]] built, priced and reconciled.
#include <memory>
#include <string>

#include "valuepact/episodes/episodes.h"
#include "valuepact/run/loader.h"

namespace valuepact::run {

struct EpisodesRunResult {
  std::unique_ptr<RunInputs> inputs;
  episodes::EpisodeResult episodes;
  Trace trace;
  std::string run_id;
};

Result<EpisodesRunResult> EpisodesRun(const InputPaths& paths,
                                      const FileSystem& files = RealFiles());

}  // namespace valuepact::run
