#pragma once
// Writes a settlement run's folder (ARCHITECTURE §5): summary.json, trace.json, members.csv,
// rejects.csv, quality.json, statement.md and statement.html.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/contract/contract.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/ingest/quality/quality.h"
#include "valuepact/settlement/settlement.h"


namespace valuepact {

std::string EngineVersion();

nlohmann::ordered_json BuildSummaryJson(const std::string& run_id, const Contract& contract,
                                        const Dataset& ds, const IngestReport& report,
                                        const SettlementResult& result);

struct StatementExtras {
  // Lines shown in a box at the top of the statement (e.g. failed data requirements or
  // failed worked examples); empty when there is nothing to flag.
  std::vector<std::string> warnings;
  // quality.json and quality.md from the data-quality scorecard; when empty, quality.json
  // holds the reader's counts alone.
  std::string quality_json;
  std::string quality_md;
};

// The data-quality scorecard of the run's data and, when the contract has a
// [data_requirements] section, the verdict on it.
struct DataQualityAssessment {
  quality::QualityScorecard scorecard;
  std::optional<quality::QualityVerdict> verdict;
};
Result<DataQualityAssessment> AssessDataQuality(const Dataset& ds, const Contract& contract);

// Records the verdict in summary.json ("data_requirements") and puts the scorecard and plain
// warnings for every failed requirement into `extras`.
void ApplyDataQuality(const DataQualityAssessment& quality, nlohmann::ordered_json* summary,
                      StatementExtras* extras);

std::string RenderStatementMarkdown(const Contract& contract, const SettlementResult& result,
                                    const nlohmann::ordered_json& summary,
                                    const StatementExtras& extras);
std::string RenderStatementHtml(const Contract& contract, const SettlementResult& result,
                                const nlohmann::ordered_json& summary,
                                const StatementExtras& extras);

std::string MembersCsv(const Dataset& ds, const SettlementResult& result);

// Writes every file of the run folder (creating it). `summary` may carry extra sections added
// by the caller (e.g. data requirements) before this is called.
Status WriteRunFolder(const std::string& out_dir, const Contract& contract, const Dataset& ds,
                      const IngestReport& report, const SettlementResult& result,
                      const nlohmann::ordered_json& summary, const StatementExtras& extras);

}  // namespace valuepact
