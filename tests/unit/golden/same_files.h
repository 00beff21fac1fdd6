#pragma once
// Two runs of the CLI that must write the same files, byte for byte: one process against
// mpirun (distributed_test.cc), the data folder against its dataset cache (cache_cases_test.cc).
#include <filesystem>
#include <map>
#include <string>

namespace valuepact::golden {

// tests/cases, in the source tree.
std::filesystem::path CasesRoot();

// A case folder's name as a test name: every character but letters and digits becomes '_'.
std::string CaseTestName(std::string name);

// Every file under `dir`, by relative path, with its bytes.
std::map<std::string, std::string> FilesUnder(const std::filesystem::path& dir);

// Runs `first` and `second`, each writing into its own folder (`first_out`, `second_out`), and
// expects the same exit code and the same files; `what` names the pair in failures.
void ExpectSameFiles(const std::string& first, const std::string& second,
                     const std::filesystem::path& first_out,
                     const std::filesystem::path& second_out, const std::string& what);

}  // namespace valuepact::golden
