// Runs the golden cases in tests/cases/population_* and tests/cases/attribution_*: each has a
// contract.toml, Tuva-layout data/ (plus program data), and expected/ files written by hand
// (each case's README.md derives them). The runner compares every expected figure.
#include <filesystem>
#include <map>

#include <gtest/gtest.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "valuepact/attribution/attribution_spec.h"
#include "valuepact/core/csv.h"
#include "valuepact/core/mapped_file.h"
#include "valuepact/ingest/program/program_reader.h"
#include "valuepact/ingest/tuva_reader.h"
#include "valuepact/population/cohort.h"
#include "valuepact/population/population_spec.h"

namespace valuepact::population {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  const fs::path root = fs::path(testing::SourceDir()) / "tests" / "cases";
  for (const auto& e : fs::directory_iterator(root)) {
    const std::string name = e.path().filename().string();
    // Other runners own cases of other shapes; these have a cohort or attribution expectation.
    const bool ours = fs::exists(e.path() / "expected" / "cohort.csv") ||
                      fs::exists(e.path() / "expected" / "attribution.csv");
    if (e.is_directory() && ours &&
        (name.rfind("population_", 0) == 0 || name.rfind("attribution_", 0) == 0)) {
      out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::vector<std::string>> ReadCsv(std::string_view bytes) {
  std::vector<std::vector<std::string>> rows;
  CsvCursor cur(bytes, CsvChunk{SkipBom(bytes), bytes.size(), 1});
  std::vector<std::string_view> f;
  uint64_t line;
  std::string err;
  while (cur.Next(&f, &line, &err) == CsvCursor::Outcome::kRecord) {
    rows.emplace_back(f.begin(), f.end());
  }
  return rows;
}

// Every key of `expected` must be in `actual` with the same value; arrays of objects are
// matched element by element on their first key.
void ExpectSubset(const nlohmann::json& expected, const nlohmann::json& actual,
                  const std::string& where) {
  if (expected.is_object()) {
    for (const auto& [k, v] : expected.items()) {
      ASSERT_TRUE(actual.contains(k)) << where << "." << k << " missing";
      ExpectSubset(v, actual[k], where + "." + k);
    }
  } else if (expected.is_array() && !expected.empty() && expected[0].is_object()) {
    const std::string key = expected[0].contains("month") ? "month" : expected[0].begin().key();
    for (const auto& e : expected) {
      bool found = false;
      for (const auto& a : actual) {
        if (a.contains(key) && a[key] == e[key]) {
          ExpectSubset(e, a, where + "[" + e[key].dump() + "]");
          found = true;
        }
      }
      EXPECT_TRUE(found) << where << ": no element with " << key << " = " << e[key];
    }
  } else {
    EXPECT_EQ(expected, actual) << where;
  }
}

TEST(GoldenCases, AllCasesMatchTheirHandDerivedResults) {
  const auto cases = Cases();
  ASSERT_GE(cases.size(), 2u);
  for (const auto& dir : cases) {
    SCOPED_TRACE(dir);
    const std::string contract_path = dir + "/contract.toml";
    toml::table doc;
    try {
      doc = toml::parse_file(contract_path);
    } catch (const toml::parse_error& e) {
      FAIL() << contract_path << ": " << e.description();
    }
    const auto* period = doc["contract"]["period"].as_table();
    ASSERT_NE(period, nullptr);
    auto date = [&](const char* k) {
      const auto d = (*period)[k].value<toml::date>();
      return Date::FromCivil(d->year, d->month, d->day);
    };
    const Period contract_period{date("start"), date("end")};

    Dataset ds;
    IngestReport report;
    Status loaded = LoadTuvaDirectory(dir + "/data", LoadOptions{}, &ds, &report);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    ProgramData program;
    ASSERT_TRUE(LoadProgramDirectory(dir + "/data", &ds, &program, &report).ok());
    ds.FinalizeMembers();
    EXPECT_TRUE(report.rejects.empty()) << report.RejectsCsv();
    ValueSetLibrary sets;
    ASSERT_TRUE(sets.LoadDirectory(testing::SourceDir() + "/valuesets").ok());
    if (fs::is_directory(dir + "/valuesets")) {
      ASSERT_TRUE(sets.LoadDirectory(dir + "/valuesets").ok());
    }
    DatasetIndex index(ds, &program);
    CohortInputs in;
    in.dataset = &ds;
    in.program = &program;
    in.index = &index;
    in.period = contract_period;

    const std::string expected_cohort = dir + "/expected/cohort.csv";
    if (fs::exists(expected_cohort)) {
      auto spec = ParsePopulationSpec(doc, contract_path);
      ASSERT_TRUE(spec.ok()) << spec.status().message();
      auto prog = Compile(spec->definitions, {{"eligible", spec->eligible}}, sets);
      ASSERT_TRUE(prog.ok()) << prog.status().message();
      auto cohort = ComputeCohort(*prog, "eligible", in);
      ASSERT_TRUE(cohort.ok()) << cohort.status().message();
      EXPECT_EQ(cohort->ToCsv(ds), *ReadWholeFile(expected_cohort));
      const std::string expected_funnel = dir + "/expected/funnel.json";
      if (fs::exists(expected_funnel)) {
        auto funnel = ComputeFunnel(*prog, "eligible", in);
        ASSERT_TRUE(funnel.ok()) << funnel.status().message();
        ExpectSubset(nlohmann::json::parse(*ReadWholeFile(expected_funnel)),
                     nlohmann::json::parse(funnel->ToJson().dump()), "funnel");
      }
    }
    const std::string expected_attr = dir + "/expected/attribution.csv";
    if (fs::exists(expected_attr)) {
      auto spec = attribution::ParseAttributionSpec(doc, contract_path, "provider");
      ASSERT_TRUE(spec.ok()) << spec.status().message();
      auto res = attribution::Attribute(ds, &program, *spec, contract_period, sets);
      ASSERT_TRUE(res.ok()) << res.status().message();
      const auto actual = ReadCsv(res->ToCsv(ds));
      const auto expected = ReadCsv(*ReadWholeFile(expected_attr));
      // Compare the expected columns for every (person, period) the expected file lists.
      std::map<std::string, size_t> col;
      for (size_t i = 0; i < actual[0].size(); ++i) col[actual[0][i]] = i;
      std::map<std::pair<std::string, std::string>, const std::vector<std::string>*> by_key;
      for (size_t r = 1; r < actual.size(); ++r) {
        by_key[{actual[r][0], actual[r][col["period_start"]]}] = &actual[r];
      }
      for (size_t r = 1; r < expected.size(); ++r) {
        const auto& e = expected[r];
        auto it = by_key.find({e[0], e[1]});
        ASSERT_NE(it, by_key.end()) << e[0] << " " << e[1];
        for (size_t c = 2; c < expected[0].size(); ++c) {
          EXPECT_EQ((*it->second)[col.at(expected[0][c])], e[c])
              << e[0] << " " << e[1] << " " << expected[0][c];
        }
      }
    }
  }
}

}  // namespace
}  // namespace valuepact::population
