#pragma once
// The run store: every settle run recorded in SQLite (one file, default `runs.sqlite` beside the
// run folders), so both parties can list what was run, on which inputs, with which result.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/core/status.h"

namespace valuepact {

struct StoredRun {
  std::string run_id;
  std::string contract_id;
  std::string engine_version;
  std::string period_start;
  std::string period_end;
  std::string net_payer_to_provider;
  std::string out_dir;
  std::string recorded_at;  // UTC, ISO 8601
};

// Records (or re-records) a run from its summary.json content and output folder.
Status RecordRun(const std::string& db_path, const nlohmann::ordered_json& summary,
                 const std::string& out_dir);
Result<std::vector<StoredRun>> ListRuns(const std::string& db_path,
                                        const std::string& contract_id = "");
// The stored summary.json of one run (a prefix of the run id is enough when unique).
Result<nlohmann::json> GetRunSummary(const std::string& db_path, const std::string& run_id);

}  // namespace valuepact
