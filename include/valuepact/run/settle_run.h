#pragma once
// SettleRun: a typed request in, a typed result out (ARCHITECTURE §1, "Runs are library
// objects"). Loads the inputs once, checks the contract's worked examples, builds the Timeline,
// assesses data quality and settles. The CLI and the server call this and write the result with
// report/ (report/run_output.h).
#include <memory>
#include <string>
#include <vector>

#include "valuepact/episodes/episodes.h"
#include "valuepact/ingest/quality/quality.h"
#include "valuepact/run/loader.h"
#include "valuepact/run/timeline_builder.h"
#include "valuepact/settlement/settlement.h"

namespace valuepact::run {

struct SettleRequest {
  InputPaths inputs;
  bool ignore_examples = false;  // settle even when [[example]] figures disagree
};

// The data-quality scorecard of the run's data and, when the contract has a
// [data_requirements] section, the verdict on it.
struct DataQualityAssessment {
  quality::QualityScorecard scorecard;
  std::optional<quality::QualityVerdict> verdict;
};
// `lines`: the claim lines' tally when they stay on their ranks (run/line_tallies.h), or null to
// tally `ds`'s.
DataQualityAssessment AssessDataQuality(const Dataset& ds, const IngestReport& report,
                                        const Contract& contract,
                                        const quality::ClaimLineTally* lines = nullptr);

struct SettleRunResult {
  std::unique_ptr<RunInputs> inputs;
  SettlementResult settlement;
  std::optional<attribution::AttributionResult> attribution;
  std::string run_id;
  DataQualityAssessment quality;
  // Lines for the top of the statement, most serious first: withheld layers, missing inputs,
  // failed data requirements, rejected rows, failed worked examples.
  std::vector<std::string> warnings;
  std::vector<std::string> example_failures;  // with --ignore-examples
  // The contract's [[episode]] bundles, when it has any (docs/episodes.md).
  std::optional<episodes::EpisodeResult> episodes;
  // 0, or 1 when a check failed: a data requirement, or a data gate withheld layers.
  int exit_code = 0;
  // The ranks whose parts' claim lines stayed on them and were tallied there
  // (run/line_tallies.h); 0 when this process read every line.
  int line_ranks = 0;
};

Result<SettleRunResult> SettleRun(const SettleRequest& request,
                                  const FileSystem& files = RealFiles());

// The settlement step of SettleRun on inputs already loaded and a Timeline already built: the
// measures computed from catalogue metrics, then the layers, starting from `trace`. MetricsRun
// uses it for the payments by layer of its balance view, so both show the same amounts.
// With [[episode]] tables, the episodes are built first (their nodes join the trace) and their
// reconciliations pay the episode_reconciliation layers; `episodes`, when given, receives them.
// `member_lines`: every member's claim lines tallied already (run/line_tallies.h), or null.
Result<SettlementResult> SettleOnTimeline(
    const RunInputs& in, const Timeline& timeline, const DataQualityAssessment& quality,
    Trace trace, std::optional<episodes::EpisodeResult>* episodes = nullptr,
    const MemberLinesTable* member_lines = nullptr);

// Adds to `measures` the quality and data-reporting layers' measures that are catalogue metrics
// and not in the measures file, computed for the population over the period; each metric's node
// goes into `trace`.
Status AddComputedMeasures(const RunInputs& in, const Timeline& timeline, MeasureTable* measures,
                           Trace* trace);

}  // namespace valuepact::run
