#pragma once
// QualityRun (`valuepact quality`): the data-quality scorecard of a data folder and, with a
// contract (drafts too), the verdict on its [data_requirements] plus the checks that always run.
#include <optional>
#include <string>

#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/ingest/quality/quality.h"

namespace valuepact::run {

struct QualityRequest {
  std::string data;
  std::string format = "auto";
  std::string contract;  // "" : the scorecard alone
};

struct QualityRunResult {
  Dataset dataset;
  IngestReport report;
  quality::QualityScorecard scorecard;
  std::optional<quality::QualityVerdict> verdict;  // with a contract
};

Result<QualityRunResult> QualityRun(const QualityRequest& request);

}  // namespace valuepact::run
