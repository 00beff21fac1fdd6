// `valuepact risk --format fhir` on CMS's 200-EOB sample plus a fixture Patient and Part A/B
// Coverage per patient must reproduce ../shared/oracles/hccinfhir_eob200_raf.csv: for each
// patient, data year (2013-2021), model (V24, V28) and sex, the raw score after CMS's
// risk-adjustment claim filtering within 1e-3 and the same HCC set.
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "oracle_support.h"
#include "test_paths.h"
#include "valuepact/core/file_io.h"

namespace valuepact::risk {
namespace {

namespace fs = std::filesystem;
using valuepact::testing::CliPath;
using valuepact::testing::OracleRow;
using valuepact::testing::ReadOracleCsv;
using valuepact::testing::RunCommand;
using valuepact::testing::SharedDir;
using valuepact::testing::SourceDir;
using valuepact::testing::SplitPipes;
using valuepact::testing::TempDir;

// The oracle's HCCs ("12|85") and ours ("HCC12|HCC85|D2") as sets of HCC numbers; the D-count
// variable is ours alone.
std::set<std::string> OracleHccs(const std::string& pipes) {
  const auto v = SplitPipes(pipes);
  return {v.begin(), v.end()};
}
std::set<std::string> OurHccs(const std::string& pipes) {
  std::set<std::string> out;
  for (const auto& s : SplitPipes(pipes)) {
    if (s.rfind("HCC", 0) == 0) out.insert(s.substr(3));
  }
  return out;
}

// The oracle without its '#' header comment.
std::vector<OracleRow> ReadOracle(const std::string& dir) {
  auto text = ReadWholeFile(SharedDir() + "/oracles/hccinfhir_eob200_raf.csv");
  if (!text.ok()) return {};
  std::string csv;
  size_t b = 0;
  while (b < text->size()) {
    size_t e = text->find('\n', b);
    if (e == std::string::npos) e = text->size();
    if ((*text)[b] != '#') csv += text->substr(b, e - b) + "\n";
    b = e + 1;
  }
  const std::string path = dir + "/oracle.csv";
  if (!WriteWholeFile(path, csv).ok()) return {};
  return ReadOracleCsv(path);
}

// A data folder: the shared EOB file (linked, not copied) and the fixture's patients and
// coverage for one sex.
std::string DataFolder(const std::string& root, const std::string& sex) {
  const std::string dir = root + "/data_" + sex;
  fs::create_directories(dir);
  const std::string fixture = SourceDir() + "/tests/unit/risk/fhir_eob200";
  fs::create_symlink(SharedDir() + "/data/cms-samples/fhir/sample_eob_200.ndjson",
                     dir + "/sample_eob_200.ndjson");
  fs::copy_file(fixture + "/patients_" + std::string(sex == "F" ? "female" : "male") + ".ndjson",
                dir + "/patients.ndjson");
  fs::copy_file(fixture + "/coverage.ndjson", dir + "/coverage.ndjson");
  return dir;
}

TEST(FhirRiskOracle, Eob200MatchesHccInFhir) {
  VP_REQUIRE_SHARED();
  const std::string root = TempDir("eob200");
  const auto oracle = ReadOracle(root);
  ASSERT_EQ(oracle.size(), 108u);  // 3 patients x 9 data years x 2 models x 2 sexes
  // Our scores keyed by (sex, payment year, model, patient).
  std::map<std::tuple<std::string, std::string, std::string, std::string>, OracleRow> ours;
  for (const std::string sex : {"F", "M"}) {
    const std::string data = DataFolder(root, sex);
    for (int py = 2014; py <= 2022; ++py) {
      for (const std::string model : {"V24", "V28"}) {
        const std::string out = fmt::format("{}/out_{}_{}_{}", root, sex, py, model);
        std::string log;
        const int rc = RunCommand(fmt::format("{} risk --data {} --format fhir --payment-year {} "
                                              "--model {} --out {} --refdata {}/refdata",
                                              CliPath(), data, py, model, out, SharedDir()),
                                  &log);
        ASSERT_EQ(rc, 0) << log;
        const auto rows = ReadOracleCsv(out + "/restricted/member_scores.csv");
        EXPECT_EQ(rows.size(), 3u) << "every patient is scored; " << log;
        for (const auto& r : rows) {
          ours[{sex, std::to_string(py), r["model"], r["person_id"]}] = r;
        }
      }
    }
  }
  int within = 0;
  for (const auto& want : oracle) {
    const auto key =
        std::make_tuple(want["sex"], want["payment_year"], want["model"], want["patient_id"]);
    SCOPED_TRACE(fmt::format("oracle line {}: patient {} data year {} {} {}", want.line,
                             want["patient_id"], want["data_year"], want["model"], want["sex"]));
    auto it = ours.find(key);
    ASSERT_NE(it, ours.end());
    const double got = std::stod(it->second["raw_score"]);
    const double expected = std::stod(want["raw_score_filtered"]);
    EXPECT_NEAR(got, expected, 1e-3);
    EXPECT_EQ(OurHccs(it->second["hccs"]), OracleHccs(want["hccs_filtered"]));
    within += std::abs(got - expected) <= 1e-3 &&
              OurHccs(it->second["hccs"]) == OracleHccs(want["hccs_filtered"]);
  }
  EXPECT_EQ(within, 108);
}

}  // namespace
}  // namespace valuepact::risk
