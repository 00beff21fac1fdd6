// Oracle: on ../shared/data/tuva-claims-demo-100 the shipped heart_failure definition finds the
// same members as an independent query written here — a direct scan of medical_claim.csv that
// splits each line on commas (the file has no quoted fields), looks at diagnosis_code_1..25 for
// the heart-failure codes listed below, and dates each line by claim_line_start_date, else
// claim_start_date. It shares no code with the reader or the definition language.
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/core/file_io.h"
#include "valuepact/ingest/tuva_reader.h"
#include "valuepact/population/definition.h"

namespace valuepact::population {
namespace {

struct ScanResult {
  std::set<std::string> any;                                 // any heart-failure line, any date
  std::map<std::string, std::set<std::string>> claims_2018;  // person -> claim ids in 2018
};

bool IsHeartFailure(const std::string& dx) {
  // valuesets/serious_illness.csv: I50*, I09.81, I11.0, I13.0, I13.2 (stored without dots).
  return dx.rfind("I50", 0) == 0 || dx == "I0981" || dx == "I110" || dx == "I130" || dx == "I132";
}

ScanResult Scan(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  std::vector<std::string> header;
  {
    std::stringstream ss(line);
    std::string h;
    while (std::getline(ss, h, ',')) header.push_back(h);
  }
  auto col = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const size_t person = col("patient_id"), claim = col("claim_id"),
               line_start = col("claim_line_start_date"), start = col("claim_start_date");
  std::vector<size_t> dx;
  for (int i = 1; i <= 25; ++i) dx.push_back(col("diagnosis_code_" + std::to_string(i)));
  ScanResult out;
  while (std::getline(f, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> v;
    std::string cell;
    std::stringstream ss(line);
    while (std::getline(ss, cell, ',')) v.push_back(cell);
    v.resize(header.size());
    bool hf = false;
    for (size_t c : dx) hf = hf || IsHeartFailure(v[c]);
    if (!hf) continue;
    out.any.insert(v[person]);
    const std::string date = v[line_start].empty() ? v[start] : v[line_start];
    if (date >= "2018-01-01" && date <= "2018-12-31") out.claims_2018[v[person]].insert(v[claim]);
  }
  return out;
}

TEST(TuvaDemoHeartFailure, DefinitionMatchesAnIndependentScan) {
  VP_REQUIRE_SHARED();
  const std::string dir = testing::SharedDir() + "/data/tuva-claims-demo-100";
  const ScanResult scan = Scan(dir + "/medical_claim.csv");
  ASSERT_FALSE(scan.any.empty());

  Dataset ds;
  IngestReport report;
  Status s = LoadTuvaDirectory(dir, LoadOptions{}, &ds, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  ds.FinalizeMembers();
  ValueSetLibrary sets;
  for (const char* f : {"serious_illness.csv", "services.csv"}) {
    const std::string path = testing::SourceDir() + "/valuesets/" + f;
    ASSERT_TRUE(sets.LoadCsv(*ReadWholeFile(path), path).ok());
  }
  // Index 2019-01-01: "within 12 months before" is calendar 2018.
  auto p = Compile(
      {},
      {{"any_hf", "diagnosis in heart_failure ever"},
       {"hf_2018", "diagnosis in heart_failure within 12 months before"},
       {"hf_2018_twice", "claims(diagnosis in heart_failure) within 12 months before >= 2"}},
      sets);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EvalContext ctx{&ds, nullptr, nullptr, *ParseDate("2019-01-01")};
  auto e = Evaluate(*p, ctx);
  ASSERT_TRUE(e.ok()) << e.status().message();
  auto members = [&](const char* name) {
    std::set<std::string> out;
    const auto& f = e->Find(name)->flags;
    for (uint32_t m = 0; m < f.size(); ++m) {
      if (f[m]) out.insert(std::string(ds.members.Get(m)));
    }
    return out;
  };
  std::set<std::string> in_2018, twice_2018;
  for (const auto& [person, claims] : scan.claims_2018) {
    in_2018.insert(person);
    if (claims.size() >= 2) twice_2018.insert(person);
  }
  EXPECT_EQ(members("any_hf"), scan.any);
  EXPECT_EQ(members("hf_2018"), in_2018);
  EXPECT_EQ(members("hf_2018_twice"), twice_2018);
  // The demo data has 10 members with a heart-failure diagnosis (counted by the scan above).
  EXPECT_EQ(scan.any.size(), 10u);
  std::cout << "heart failure: " << scan.any.size() << " members (definition and scan agree); "
            << twice_2018.size() << " with >= 2 claims in 2018\n";
}

}  // namespace
}  // namespace valuepact::population
