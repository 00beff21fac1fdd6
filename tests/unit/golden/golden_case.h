#pragma once
// A golden case (tests/cases/<case>/case.toml) read into a typed description, and the checks
// that compare one run of the CLI with it. Every function here returns problems or mismatches as
// strings instead of asserting, so the runner can itself be tested: a malformed case and a wrong
// figure must both be reported (golden_case_format_test.cc). docs/testing.md describes the
// format.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace valuepact::golden {

// Expected values at JSON pointers into one output file (summary.json, funnel.json, ...).
struct JsonExpectations {
  std::string file;
  std::vector<std::pair<std::string, nlohmann::json>> values;  // pointer -> value
};

struct ExpectedError {
  int exit = 0;
  std::string message;  // must occur in stdout + stderr
};

struct GoldenCase {
  std::string command;
  std::string contract = "contract.toml";  // relative to the case folder
  std::string data;                        // relative to the case folder; "" = no --data
  std::vector<std::string> args;           // extra CLI arguments, after the runner's own
  std::vector<std::string> needs;          // `requires`: "shared"
  int expect_exit = 0;
  std::vector<std::pair<std::string, std::string>> expect;  // trace node id -> value
  std::vector<JsonExpectations> expect_json;                // [expect_summary], [expect_json.*]
  std::vector<std::pair<std::string, std::string>> expect_files;  // output -> expected file
  std::vector<std::string> expect_output;                         // substrings of the output
  std::optional<ExpectedError> expect_error;
};

// The subcommands the runner knows how to call, e.g. "settle, cohort, check, validate".
std::string SupportedCommands();

// Parses and validates the text of a case.toml. `source` names the file in messages. Returns
// the problems (unknown or missing keys, wrong types, empty tables, contradictory keys); the
// case is usable only when the list is empty.
std::vector<std::string> ParseCase(std::string_view text, const std::string& source,
                                   GoldenCase* out);

// Reads <dir>/case.toml and checks that what it names exists beside it (contract, data folder,
// expected files, README.md). `display` names the folder in messages (a path relative to the
// source tree, never an absolute one).
std::vector<std::string> LoadCase(const std::filesystem::path& dir, const std::string& display,
                                  GoldenCase* out);

// Why the case cannot run on this machine ("" when it can), e.g. ../shared is absent.
std::string SkipReason(const GoldenCase& c);

// The shell command that runs the case from its own folder, writing into `out_dir`.
std::string CommandLine(const GoldenCase& c, const std::filesystem::path& case_dir,
                        const std::filesystem::path& out_dir);

// Compares a finished run (exit code, stdout + stderr, the files in out_dir) with the case.
// Includes the trace closure checks whenever the run wrote trace.json.
std::vector<std::string> CheckRun(const GoldenCase& c, const std::filesystem::path& case_dir,
                                  const std::filesystem::path& out_dir, int exit_code,
                                  const std::string& output);

// Trace closure: every input id resolves to a node, every leaf cites a source, ids are unique;
// with a summary, every layer's trace_id holds the layer amount and net_payer_to_provider has
// a node with the summary's value.
std::vector<std::string> CheckTrace(const nlohmann::json& trace, const nlohmann::json* summary);

// Runs the case through the CLI in `work_dir` and returns every mismatch.
std::vector<std::string> RunCase(const GoldenCase& c, const std::filesystem::path& case_dir,
                                 const std::filesystem::path& work_dir);

// Case folders under `root`, sorted; names starting with '_' hold shared data, not cases.
std::vector<std::string> CaseDirectories(const std::filesystem::path& root);

}  // namespace valuepact::golden
