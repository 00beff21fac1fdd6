#pragma once
// Writes a settlement run's folder (ARCHITECTURE §5): summary.json, trace.json, members.csv,
// rejects.csv, quality.json, statement.md and statement.html.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/contract/contract.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/settlement/settlement.h"

namespace valuepact {

std::string EngineVersion();

// sha256 over the engine version, the contract bytes, reference-table versions and input file
// fingerprints, in that order.
std::string ComputeRunId(const Contract& contract, const Dataset& ds,
                         const std::vector<std::string>& refdata_versions);

nlohmann::ordered_json BuildSummaryJson(const std::string& run_id, const Contract& contract,
                                        const Dataset& ds, const IngestReport& report,
                                        const SettlementResult& result);

struct StatementExtras {
  // Lines shown in a box at the top of the statement (e.g. failed data requirements or
  // failed worked examples); empty when there is nothing to flag.
  std::vector<std::string> warnings;
};

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
