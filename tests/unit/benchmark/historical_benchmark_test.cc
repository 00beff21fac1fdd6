// The historical benchmark: every benchmark node of the benchmark_* golden cases cites its source
// and `explain` walks the derivation to the regulation (the hand-derived figures themselves are
// checked by the golden-case runner, tests/unit/golden), the computed mean risk scores against an
// independent mean of `valuepact risk` output, and positioned errors for bad [benchmark] terms.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "valuepact/contract/contract.h"

namespace valuepact {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

nlohmann::json ReadJson(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in, nullptr, false);
}

std::string RefdataFlag() {
  const std::string shared = testing::SharedDir();
  return shared.empty() ? "" : " --refdata " + (fs::path(shared) / "refdata").string();
}

std::vector<std::string> BenchmarkCases() {
  std::vector<std::string> names;
  const fs::path root = fs::path(testing::SourceDir()) / "tests" / "cases";
  for (const auto& e : fs::directory_iterator(root)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("benchmark_", 0) == 0 && fs::exists(e.path() / "case.toml")) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Settles a golden case on the data folder its case.toml names and returns the output folder.
std::string SettleCase(const std::string& name) {
  const fs::path dir = fs::path(testing::SourceDir()) / "tests" / "cases" / name;
  std::string data;
  try {
    data = toml::parse_file((dir / "case.toml").string())["data"].value_or(std::string());
  } catch (const toml::parse_error& e) {
    ADD_FAILURE() << name << "/case.toml: " << e.description();
  }
  EXPECT_FALSE(data.empty()) << name << "/case.toml names no data folder";
  const std::string out = testing::TempDir("bench_" + name);
  std::string log;
  const int rc = testing::RunCommand(
      testing::CliPath() + " settle " + (dir / "contract.toml").string() + " --data " +
          (dir / data).string() + " --out " + out + " --no-store" + RefdataFlag(),
      &log);
  EXPECT_EQ(rc, 0) << log;
  return out;
}

class BenchmarkCase : public ::testing::TestWithParam<std::string> {};

TEST_P(BenchmarkCase, NodesCiteTheirSourceAndExplainReachesTheRule) {
  VP_REQUIRE_SHARED();
  const std::string out = SettleCase(GetParam());
  const auto trace = ReadJson(fs::path(out) / "trace.json");
  ASSERT_FALSE(trace.is_discarded());
  std::map<std::string, nlohmann::json> nodes;
  for (const auto& n : trace["nodes"]) nodes[n["id"].get<std::string>()] = n;
  ASSERT_TRUE(nodes.count("benchmark.total")) << GetParam();
  // Every benchmark node cites where it came from, and `explain` walks the whole derivation.
  for (const auto& [id, n] : nodes) {
    if (id.rfind("benchmark.", 0) == 0) {
      EXPECT_FALSE(n["source"].get<std::string>().empty()) << id;
    }
  }
  std::string text;
  ASSERT_EQ(testing::RunCommand(testing::CliPath() + " explain " + out + " benchmark.total", &text),
            0)
      << text;
  EXPECT_THAT(text, HasSubstr("425.601"));
}

INSTANTIATE_TEST_SUITE_P(Cases, BenchmarkCase, ::testing::ValuesIn(BenchmarkCases()),
                         [](const auto& info) { return info.param; });

// Mean of the V28 payment scores in member_scores.csv written by `valuepact risk`.
double MeanOfRiskOutput(const std::string& data, int payment_year) {
  const std::string out = testing::TempDir("risk_" + std::to_string(payment_year));
  std::string log;
  EXPECT_EQ(testing::RunCommand(testing::CliPath() + " risk --data " + data + " --payment-year " +
                                    std::to_string(payment_year) + " --model V28 --out " + out +
                                    RefdataFlag(),
                                &log),
            0)
      << log;
  std::ifstream in(fs::path(out) / "restricted" / "member_scores.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) header.push_back(f);
  }
  const auto col = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  double sum = 0;
  int n = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string x;
    while (std::getline(ss, x, ',')) f.push_back(x);
    if (f.size() <= col("payment_score") || f[col("model")] != "V28") continue;
    sum += std::stod(f[col("payment_score")]);
    ++n;
  }
  EXPECT_GT(n, 0);
  return n == 0 ? 0 : sum / n;
}

TEST(HistoricalBenchmark, ComputedMeansAgreeWithRiskCommand) {
  VP_REQUIRE_SHARED();
  const fs::path dir = fs::path(testing::SourceDir()) / "tests" / "cases";
  const std::string out = SettleCase("benchmark_risk_computed");
  const auto trace = ReadJson(fs::path(out) / "trace.json");
  std::map<std::string, double> v;
  for (const auto& n : trace["nodes"]) {
    if (n["unit"] == "rate")
      v[n["id"].get<std::string>()] = std::stod(n["value"].get<std::string>());
  }
  // Every member has 12 member-months in both years, so the member-month weighted mean equals
  // the plain mean of the risk command's scores.
  const std::string data = (dir / "_data" / "bench_risk").string();
  EXPECT_NEAR(v.at("benchmark.aged_non_dual.performance_mean_score"), MeanOfRiskOutput(data, 2025),
              1e-6);
  EXPECT_NEAR(v.at("benchmark.aged_non_dual.baseline_mean_score"), MeanOfRiskOutput(data, 2024),
              1e-6);
}

// Members' risk scores behind a computed benchmark are member-level: they are in the restricted
// member trace (explain still reaches them), never in trace.json or a --share folder.
TEST(HistoricalBenchmark, MemberRiskScoresStayInTheRestrictedTrace) {
  VP_REQUIRE_SHARED();
  const fs::path dir =
      fs::path(testing::SourceDir()) / "tests" / "cases" / "benchmark_risk_computed";
  const std::string out = testing::TempDir("bench_restricted");
  const std::string share = testing::TempDir("bench_share") + "/share";
  std::string log;
  ASSERT_EQ(
      testing::RunCommand(testing::CliPath() + " settle " + (dir / "contract.toml").string() +
                              " --data " + (dir.parent_path() / "_data" / "bench_risk").string() +
                              " --out " + out + " --share " + share + " --no-store" + RefdataFlag(),
                          &log),
      0)
      << log;
  const auto top = ReadJson(fs::path(out) / "trace.json");
  for (const auto& n : top["nodes"]) {
    EXPECT_EQ(n["id"].get<std::string>().find(".P1."), std::string::npos) << n["id"];
  }
  const auto members = ReadJson(fs::path(out) / "restricted" / "member_trace.json");
  std::set<std::string> ids;
  for (const auto& n : members["nodes"]) ids.insert(n["id"].get<std::string>());
  EXPECT_TRUE(ids.count("benchmark.risk.2024.P1.score"));
  for (const auto& e : fs::directory_iterator(share)) {
    std::ifstream in(e.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.find("P1"), std::string::npos) << e.path();
    EXPECT_EQ(text.find("P2"), std::string::npos) << e.path();
  }
  ASSERT_EQ(
      testing::RunCommand(
          testing::CliPath() + " explain " + out + " benchmark.aged_non_dual.risk_ratio", &log),
      0)
      << log;
  EXPECT_THAT(log, HasSubstr("Risk score of member P1"));
}

constexpr const char* kHeader = R"([contract]
id = "t"
period = { start = 2018-01-01, end = 2018-12-31 }

[[payment]]
id = "s"
kind = "shared_savings"
sharing_rate = 0.5
minimum_savings_rate = 0.02

)";

std::string ErrorsOf(const std::string& benchmark) {
  auto k = ParseContract(std::string(kHeader) + benchmark, "c.toml");
  return k.ok() ? "" : k.status().message();
}

// The regional cap is a share of national spending, and a missing weight is CMS's schedule only
// for a stated agreement period.
TEST(BenchmarkTerms, RegionalTermsNeedTheirRuleOrTheirAgreement) {
  auto errors = [](const std::string& regional) {
    return ErrorsOf("[benchmark]\nmethod = \"historical\"\nregional = " + regional +
                    "\n[[benchmark.baseline]]\nyear = 2017\nexpenditure_pmpm = 800.00\n");
  };
  EXPECT_THAT(errors("{ weight = 0.15, pmpm = 900.00, cap = 0.05 }"),
              HasSubstr("give national_pmpm per enrollment type"));
  EXPECT_THAT(errors("{ pmpm = 900.00 }"),
              HasSubstr("[contract] agreement_start to take CMS's schedule"));
  EXPECT_THAT(errors("{ weight = { lower_spending = 0.35 }, pmpm = 900.00 }"),
              HasSubstr("higher_spending"));
}

TEST(BenchmarkTerms, ParsesEveryTerm) {
  auto k = ParseContract(std::string(kHeader) + R"([benchmark]
method = "historical"
baseline_weights = [0.1, 0.3, 0.6]
annual_trend = { aged_non_dual = 0.04 }
update_factor = 1.03
truncation = { amount = 100000.00 }
regional = { weight = 0.15, pmpm = 900.00, cap = 0.05, national_pmpm = 1000.00 }

[[benchmark.baseline]]
year = 2015
[[benchmark.baseline]]
year = 2016
trend_factor = 1.05
[[benchmark.baseline]]
year = 2017
expenditure_pmpm = { esrd = 7000.00 }

[benchmark.risk_adjustment]
model = "V24"
cap_rule = "demographic_plus_3"
)",
                         "c.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  const BenchmarkTerms& b = k->benchmark;
  EXPECT_EQ(b.method, "historical");
  EXPECT_EQ(b.performance_year, 2018);
  ASSERT_EQ(b.baselines.size(), 3u);
  EXPECT_EQ(b.baselines[2].expenditure_pmpm[0], Money::FromUnits(7000));
  EXPECT_FALSE(b.baselines[2].expenditure_pmpm[3].has_value());
  EXPECT_EQ(b.baselines[1].trend_factor[2], 1.05);
  EXPECT_FALSE(b.annual_trend[0].has_value());
  EXPECT_EQ(b.annual_trend[3], 0.04);
  EXPECT_EQ(b.update_factor[1], 1.03);
  EXPECT_EQ(b.truncation.amount, Money::FromUnits(100000));
  ASSERT_TRUE(b.regional.has_value());
  EXPECT_EQ(b.regional->pmpm[2], Money::FromUnits(900));
  EXPECT_EQ(b.regional->national_pmpm[0], Money::FromUnits(1000));
  EXPECT_DOUBLE_EQ(*b.regional->weight, 0.15);
  EXPECT_TRUE(b.risk.enabled);
  EXPECT_EQ(b.risk.cap_rule, "demographic_plus_3");
}

TEST(BenchmarkTerms, EqualWeightsWhenNotGiven) {
  auto k = ParseContract(std::string(kHeader) + R"([benchmark]
method = "historical"
[[benchmark.baseline]]
year = 2016
[[benchmark.baseline]]
year = 2017
)",
                         "c.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_THAT(k->benchmark.baseline_weights, ::testing::ElementsAre(0.5, 0.5));
}

TEST(BenchmarkTerms, PositionedErrorsWithSuggestions) {
  EXPECT_THAT(ErrorsOf(R"([benchmark]
method = "historical"
baseline_weight = [1.0]
[[benchmark.baseline]]
year = 2017
)"),
              AllOf(HasSubstr("c.toml:13:"), HasSubstr("baseline_weights")));
  EXPECT_THAT(ErrorsOf(R"([benchmark]
method = "historical"
baseline_weights = [0.2, 0.3]
[[benchmark.baseline]]
year = 2016
[[benchmark.baseline]]
year = 2017
)"),
              HasSubstr("sum to 0.5"));
  EXPECT_THAT(ErrorsOf(R"([benchmark]
method = "historical"
[[benchmark.baseline]]
year = 2018
)"),
              HasSubstr("before the performance year 2018"));
  EXPECT_THAT(ErrorsOf(R"([benchmark]
method = "historical"
[[benchmark.baseline]]
year = 2017
expenditure_pmpm = { esrd = 1.0, agd_dual = 2.0 }
)"),
              HasSubstr("aged_dual"));
  EXPECT_THAT(ErrorsOf(R"([benchmark]
method = "historical"
[[benchmark.baseline]]
year = 2017
[benchmark.risk_adjustment]
cap = 0.03
)"),
              HasSubstr("model"));
  EXPECT_THAT(ErrorsOf(R"([benchmark]
method = "historical"
truncation = { amount = 5.00, percentile = 0.99 }
[[benchmark.baseline]]
year = 2017
)"),
              HasSubstr("exactly one of amount or percentile"));
  EXPECT_THAT(ErrorsOf(R"([benchmark]
method = "historical"
[[benchmark.baseline]]
year = 2014
[[benchmark.baseline]]
year = 2015
[[benchmark.baseline]]
year = 2016
[[benchmark.baseline]]
year = 2017
)"),
              HasSubstr("at most three"));
  EXPECT_THAT(ErrorsOf(R"([benchmark]
method = "historical"
[[benchmark.baseline]]
year = 2017
[benchmark.regional]
weight = 0.15
)"),
              HasSubstr("c.toml:15:1: benchmark.regional.pmpm: required key is missing"));
}

}  // namespace
}  // namespace valuepact
