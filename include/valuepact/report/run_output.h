#pragma once
// Writes a settlement run's folder from the typed result of run::SettleRun (ARCHITECTURE §1):
// summary.json, trace.json, members.csv, rejects.csv, quality.json, quality.md, attribution.csv,
// statement.md and statement.html. Nothing here computes a figure; it formats them.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/contract/contract.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/ingest/quality/quality.h"
#include "valuepact/run/settle_run.h"
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
  // Further sections after the layers: a heading, a paragraph and a table (first row header).
  struct Section {
    std::string heading, text;
    std::vector<std::vector<std::string>> rows;
  };
  std::vector<Section> sections;
};

// Records the verdict in summary.json ("data_requirements") and puts the scorecard into
// `extras` (quality.json, quality.md).
void ApplyDataQuality(const run::DataQualityAssessment& quality, nlohmann::ordered_json* summary,
                      StatementExtras* extras);

// summary.json of a settle run, and the statement's extras (warnings, quality files).
nlohmann::ordered_json SettleSummary(const run::SettleRunResult& result, StatementExtras* extras);

// Writes the whole run folder: statement, summary, quality and the aggregate trace at the top;
// member-level files (members.csv, rejects.csv, attribution.csv, member_trace.json) in
// restricted/ (0700, files 0600).
Status WriteSettleRun(const std::string& out_dir, const run::SettleRunResult& result,
                      const nlohmann::ordered_json& summary, const StatementExtras& extras);
// Writes a folder to hand to the other party or a reviewer: statement, summary and the trace
// without member-level nodes or references to them — no member ids at all.
Status WriteShareFolder(const std::string& share_dir, const run::SettleRunResult& result,
                        const nlohmann::ordered_json& summary, const StatementExtras& extras);

std::string RenderStatementMarkdown(const Contract& contract, const SettlementResult& result,
                                    const nlohmann::ordered_json& summary,
                                    const StatementExtras& extras);
std::string RenderStatementHtml(const Contract& contract, const SettlementResult& result,
                                const nlohmann::ordered_json& summary,
                                const StatementExtras& extras);

// restricted/members.csv, in parts to write one after another: the header, then blocks of rows
// formatted in parallel.
std::vector<std::string> MembersCsvPieces(const Dataset& ds, const SettlementResult& result);

// Writes every file of the run folder atomically (core/folder_writer.h): a reader sees the
// previous complete folder or the new complete one, with manifest.json. `summary` may carry extra
// sections added by the caller (e.g. data requirements) before this is called;
// `restricted_files` are further member-level files for restricted/.
Status WriteRunFolder(
    const std::string& out_dir, const Contract& contract, const Dataset& ds,
    const IngestReport& report, const SettlementResult& result,
    const nlohmann::ordered_json& summary, const StatementExtras& extras,
    const std::vector<std::pair<std::string, std::string>>& restricted_files = {});

}  // namespace valuepact
