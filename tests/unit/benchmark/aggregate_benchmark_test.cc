// The MSSP benchmark from a settlement report's aggregate figures (`valuepact benchmark`).
#include "valuepact/benchmark/aggregate_benchmark.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/file_io.h"

namespace valuepact {
namespace {

const char* kYears[] = {"BY1", "BY2", "BY3", "PY"};

Result<Contract> AggregateContract(const std::string& contract_lines,
                                   const std::string& benchmark_lines = "") {
  ContractParseOptions po;
  po.benchmark_from_aggregates = true;
  return ParseContract(
      "[contract]\nid = \"t\"\npayer = \"CMS\"\nprovider = \"ACO\"\n"
      "period = { start = 2023-01-01, end = 2023-12-31 }\n" +
          contract_lines + "\n[benchmark]\nmethod = \"historical\"\n" + benchmark_lines,
      "c.toml", po);
}

// One type's figures, as a report gives them.
struct TypeFigures {
  double x[3];
  double rs[4];
  double p3, py;
  double nat[4], reg[4];
  double w_by, w_py;
};

std::string Csv(const std::map<std::string, TypeFigures>& types) {
  std::string csv = "enrollment_type,quantity,year,value\n";
  for (const auto& [t, f] : types) {
    for (int i = 0; i < 4; ++i) {
      if (i < 3) csv += fmt::format("{},per_capita_expenditure,{},{}\n", t, kYears[i], f.x[i]);
      csv += fmt::format(
          "{0},risk_score,{1},{2}\n{0},national_per_capita,{1},{3}\n"
          "{0},regional_per_capita,{1},{4}\n",
          t, kYears[i], f.rs[i], f.nat[i], f.reg[i]);
    }
    csv += fmt::format(
        "{0},assigned_proportion,BY3,{1}\n{0},assigned_proportion,PY,{2}\n"
        "{0},national_weight,BY,{3}\n{0},national_weight,PY,{4}\n",
        t, f.p3, f.py, f.w_by, f.w_py);
  }
  return csv;
}

Result<AggregateBenchmarkResult> Compute(const Contract& k, const std::string& csv,
                                         Trace* trace = nullptr) {
  auto in = AggregateBenchmarkInputs::Parse(csv, "inputs.csv");
  if (!in.ok()) return in.status();
  Trace local;
  return ComputeAggregateBenchmark(k, *in, trace ? trace : &local);
}

// One type, figures chosen so that each step can be followed by hand.
TEST(AggregateBenchmark, EachStepByHand) {
  auto k = AggregateContract("agreement_start = 2022-01-01\nagreement_period = 1");
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->benchmark.baseline_weights, (std::vector<double>{0.1, 0.3, 0.6}));
  TypeFigures f{{1000, 1100, 1200},       {0.8, 1.0, 1.0, 1.02},    1,   1,
                {1000, 1100, 1200, 1260}, {1000, 1000, 1000, 1100}, 0.5, 0.25};
  Trace trace;
  auto r = Compute(*k, Csv({{"aged_non_dual", f}}), &trace);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& t = r->types[static_cast<size_t>(EnrollmentType::kAgedNonDual)];
  // BY1: restated at BY3 risk 1.0/0.8 = 1.25; trend 0.5 × 1.2 + 0.5 × 1 = 1.1.
  EXPECT_DOUBLE_EQ(t.risk_restatement[0], 1.25);
  EXPECT_DOUBLE_EQ(t.trend_factor[0], 1.1);
  EXPECT_DOUBLE_EQ(t.trended_per_capita[0], 1000 * 1.25 * 1.1);
  // BY2: no restatement; trend 0.5 × 1200/1100 + 0.5.
  EXPECT_DOUBLE_EQ(t.trend_factor[1], 0.5 * 1200.0 / 1100 + 0.5);
  const double weighted = 0.1 * 1375 + 0.3 * 1100 * (0.5 * 1200.0 / 1100 + 0.5) + 0.6 * 1200;
  EXPECT_NEAR(t.weighted_per_capita, weighted, 1e-9);
  // Regional $1,000 is below the ACO: the sign rule takes the higher-spending weight 15%, and
  // 15% × (1000 − 1172.5) = −25.875 is within 5% × $1,200 = $60.
  EXPECT_DOUBLE_EQ(r->regional_weight, 0.15);
  EXPECT_NEAR(t.regional_adjustment, 0.15 * (1000 - weighted), 1e-9);
  EXPECT_NEAR(t.historical_per_capita, weighted + 0.15 * (1000 - weighted), 1e-9);
  // Risk ratio 1.02 (under the 3% cap); update 0.25 × 1.05 + 0.75 × 1.1.
  EXPECT_DOUBLE_EQ(t.risk_ratio, 1.02);
  EXPECT_DOUBLE_EQ(t.update_factor, 0.25 * 1.05 + 0.75 * 1.1);
  EXPECT_NEAR(t.updated_per_capita, t.historical_per_capita * 1.02 * (0.25 * 1.05 + 0.75 * 1.1),
              1e-9);
  EXPECT_DOUBLE_EQ(r->updated_benchmark, t.updated_per_capita);
  EXPECT_DOUBLE_EQ(r->historical_benchmark, t.historical_per_capita);
  // Every figure is a trace node whose inputs are nodes too, down to the CSV lines.
  for (const auto& n : trace.nodes()) {
    for (const auto& in : n.inputs) EXPECT_NE(trace.Find(in), nullptr) << n.id << " → " << in;
  }
  const TraceNode* leaf = trace.Find("benchmark.aged_non_dual.risk_score.BY1");
  ASSERT_NE(leaf, nullptr);
  EXPECT_NE(leaf->source.find("inputs.csv line"), std::string::npos) << leaf->source;
  EXPECT_NE(trace.Find("benchmark.BY1.weight")->source.find("425.601(a)(7)"), std::string::npos);
}

// The sign rule weighs the types' differences by BY3 proportions; a lower-spending ACO gets the
// higher weight, and the adjustment of each type is capped at 5% of its national BY3 figure.
TEST(AggregateBenchmark, SignRuleAndCapPerType) {
  auto k = AggregateContract("agreement_start = 2021-01-01\nagreement_period = 2");
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_NEAR(k->benchmark.baseline_weights[0], 1.0 / 3, 1e-15);  // a rebased benchmark
  // Both types at $1,000 per capita; regional $2,000 (aged/dual) and $900 (aged/non-dual).
  TypeFigures dual{{1000, 1000, 1000},       {1, 1, 1, 1}, 0.5, 0.5, {1000, 1000, 1000, 1000},
                   {2000, 2000, 2000, 2000}, 0.5,          0.5};
  TypeFigures nondual = dual;
  std::fill(std::begin(nondual.reg), std::end(nondual.reg), 900.0);
  auto r = Compute(*k, Csv({{"aged_dual", dual}, {"aged_non_dual", nondual}}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  // 0.5 × 1000 + 0.5 × (−100) > 0: lower spending, second time → 50%.
  EXPECT_DOUBLE_EQ(r->regional_weight, 0.50);
  const auto& d = r->types[static_cast<size_t>(EnrollmentType::kAgedDual)];
  const auto& n = r->types[static_cast<size_t>(EnrollmentType::kAgedNonDual)];
  EXPECT_DOUBLE_EQ(d.regional_adjustment, 50);   // 0.5 × 1000 = 500, capped at 5% × 1000
  EXPECT_DOUBLE_EQ(n.regional_adjustment, -50);  // 0.5 × −100 = −50, within the cap
  EXPECT_DOUBLE_EQ(r->historical_benchmark, 0.5 * 1050 + 0.5 * 950);

  // A contract weight replaces the sign rule; a contract cap replaces CMS's.
  auto own = AggregateContract("agreement_start = 2021-01-01\nagreement_period = 2",
                               "regional = { weight = 0.25, cap = 0.5 }");
  ASSERT_TRUE(own.ok()) << own.status().message();
  r = Compute(*own, Csv({{"aged_dual", dual}, {"aged_non_dual", nondual}}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_DOUBLE_EQ(r->types[static_cast<size_t>(EnrollmentType::kAgedDual)].regional_adjustment,
                   250);
}

// Agreement periods from 2024: the risk ratios are capped at the aggregate demographic growth
// + 3 points, and only when the aggregate HCC growth exceeds that cap.
TEST(AggregateBenchmark, DemographicCapIsAggregate) {
  auto k = AggregateContract("agreement_start = 2024-01-01\nagreement_period = 1",
                             "update_factor = 1.0\nregional = { weight = 0, cap = 0.05 }");
  ASSERT_TRUE(k.ok()) << k.status().message();
  ASSERT_EQ(k->benchmark.risk.cap_rule, "");  // no section: the rule comes from the params
  TypeFigures a{{1000, 1000, 1000},       {1, 1, 1, 1.10},          0.5, 0.5,
                {1000, 1000, 1000, 1000}, {1000, 1000, 1000, 1000}, 0.5, 0.5};
  TypeFigures b = a;
  b.rs[3] = 0.98;
  std::string csv = Csv({{"aged_dual", a}, {"aged_non_dual", b}});
  csv +=
      "aged_dual,demographic_risk_score,BY3,1\naged_dual,demographic_risk_score,PY,1.01\n"
      "aged_non_dual,demographic_risk_score,BY3,1\naged_non_dual,demographic_risk_score,PY,"
      "1.01\n";
  auto r = Compute(*k, csv);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // Aggregate HCC growth (1.10 + 0.98) / 2 = 1.04 ≤ 1.01 + 0.03: no type is capped.
  EXPECT_DOUBLE_EQ(r->types[static_cast<size_t>(EnrollmentType::kAgedDual)].risk_ratio, 1.10);
  b.rs[3] = 1.0;
  csv = Csv({{"aged_dual", a}, {"aged_non_dual", b}}) +
        "aged_dual,demographic_risk_score,BY3,1\naged_dual,demographic_risk_score,PY,1.01\n"
        "aged_non_dual,demographic_risk_score,BY3,1\naged_non_dual,demographic_risk_score,PY,"
        "1.01\n";
  r = Compute(*k, csv);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // Now 1.05 > 1.04: aged/dual is held at 1.04, aged/non-dual (1.0) is not changed.
  EXPECT_NEAR(r->types[static_cast<size_t>(EnrollmentType::kAgedDual)].risk_ratio, 1.04, 1e-12);
  EXPECT_DOUBLE_EQ(r->types[static_cast<size_t>(EnrollmentType::kAgedNonDual)].risk_ratio, 1.0);
}

TEST(AggregateBenchmark, RulesNotComputedAreRefused) {
  TypeFigures f{{1000, 1000, 1000},       {1, 1, 1, 1}, 1,  1, {1000, 1000, 1000, 1000},
                {1000, 1000, 1000, 1000}, 0.5,          0.5};
  // 2024: the update is a three-way blend with the ACPT.
  auto k = AggregateContract("agreement_start = 2024-01-01\nagreement_period = 1",
                             "regional = { weight = 0.35, cap = 0.05 }");
  ASSERT_TRUE(k.ok()) << k.status().message();
  auto r = Compute(*k, Csv({{"aged_dual", f}}) +
                           "aged_dual,demographic_risk_score,BY3,1\n"
                           "aged_dual,demographic_risk_score,PY,1\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Accountable Care Prospective Trend"), std::string::npos);
  // 2024, second agreement period: the prior savings adjustment.
  k = AggregateContract("agreement_start = 2024-01-01\nagreement_period = 2",
                        "update_factor = 1.0\nregional = { weight = 0.35, cap = 0.05 }");
  ASSERT_TRUE(k.ok()) << k.status().message();
  r = Compute(*k, Csv({{"aged_dual", f}}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("425.658"), std::string::npos);
  // 2024 without regional terms: CMS's 2024 regional rules are not recorded.
  auto bad = AggregateContract("agreement_start = 2024-01-01\nagreement_period = 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("state weight and cap"), std::string::npos);
  // Before July 2019 nothing is recorded: the weights must be stated.
  bad = AggregateContract("agreement_start = 2018-01-01\nagreement_period = 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("baseline_weights"), std::string::npos);
}

TEST(AggregateBenchmark, BadInputsNameLineAndField) {
  auto in = AggregateBenchmarkInputs::Parse(
      "enrollment_type,quantity,year,value\n"
      "aged_dual,risk_score,BY1,abc\n"
      "aged_dul,risk_score,BY1,1\n"
      "aged_dual,assigned_proportion,BY1,0.5\n"
      "aged_dual,risk_score,BY2,1\n"
      "aged_dual,risk_score,BY2,1.1\n"
      "aged_dual,national_weight,BY1,0.5\n"
      "aged_dual,national_weight,BY2,0.6\n"
      "aged_dual,risk_scores,BY3,1\n"
      "esrd,assigned_proportion,PY,1.5\n",
      "in.csv");
  ASSERT_FALSE(in.ok());
  const std::string m = in.status().message();
  for (const char* want :
       {"in.csv:2: value: 'abc'", "in.csv:3: enrollment_type: 'aged_dul'",
        "in.csv:4: year: assigned_proportion is reported for BY3, PY, not BY1",
        "in.csv:6: value: aged_dual,risk_score,BY2 is already given on line 5",
        "in.csv:8: value: aged_dual,national_weight,BY2 is already given on line 7",
        "in.csv:9: quantity: 'risk_scores'", "in.csv:10: value: '1.5'"}) {
    EXPECT_NE(m.find(want), std::string::npos) << want << "\n" << m;
  }
  EXPECT_FALSE(AggregateBenchmarkInputs::Parse("", "in.csv").ok());
  auto cols = AggregateBenchmarkInputs::Parse("type,quantity,year,value\n", "in.csv");
  ASSERT_FALSE(cols.ok());
  EXPECT_NE(cols.status().message().find("enrollment_type: required column is missing"),
            std::string::npos);
  // One weight for the benchmark years may be repeated for each of them.
  EXPECT_TRUE(AggregateBenchmarkInputs::Parse("enrollment_type,quantity,year,value\n"
                                              "esrd,national_weight,BY1,0.5\n"
                                              "esrd,national_weight,BY3,0.5\n",
                                              "in.csv")
                  .ok());
}

TEST(AggregateBenchmark, MissingFiguresAreListed) {
  auto k = AggregateContract("agreement_start = 2022-01-01\nagreement_period = 1");
  ASSERT_TRUE(k.ok());
  TypeFigures f{{1000, 1000, 1000},       {1, 1, 1, 1}, 1,  1, {1000, 1000, 1000, 1000},
                {1000, 1000, 1000, 1000}, 0.5,          0.5};
  std::string csv = Csv({{"esrd", f}});
  const size_t at = csv.find("esrd,risk_score,BY2");
  csv.erase(at, csv.find('\n', at) - at + 1);
  auto r = Compute(*k, csv);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no row esrd,risk_score,BY2"), std::string::npos)
      << r.status().message();
  // Proportions that do not sum to 1.
  f.p3 = 0.9;
  r = Compute(*k, Csv({{"esrd", f}}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("BY3 assigned proportions of the enrollment types sum to"),
            std::string::npos);
}

// The bundled example, recomputed here from its CSV with the formulas of the specification.
TEST(AggregateBenchmark, BundledExampleAgreesWithAnIndependentRecomputation) {
  const std::string dir = testing::SourceDir() + "/examples/mssp-benchmark";
  auto k = LoadContract(dir + "/contract.toml", [] {
    ContractParseOptions po;
    po.benchmark_from_aggregates = true;
    return po;
  }());
  ASSERT_TRUE(k.ok()) << k.status().message();
  auto text = ReadWholeFile(dir + "/report-figures.csv");
  ASSERT_TRUE(text.ok());
  auto r = Compute(*k, *text);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // Read the CSV back into a map (type, quantity, year) → value.
  std::map<std::string, double> v;
  size_t pos = text->find('\n') + 1;
  while (pos < text->size()) {
    const size_t end = text->find('\n', pos);
    const std::string row = text->substr(pos, end - pos);
    const size_t last = row.rfind(',');
    v[row.substr(0, last)] = std::stod(row.substr(last + 1));
    pos = end + 1;
  }
  auto g = [&](const std::string& t, const std::string& q, const std::string& y) {
    return v.at(t + "," + q + "," + y);
  };
  const double wts[] = {0.1, 0.3, 0.6};
  std::map<std::string, double> hb;
  double sign = 0;
  for (EnrollmentType ty : kEnrollmentTypes) {
    const std::string t = EnrollmentTypeName(ty);
    double h = 0;
    for (int i = 0; i < 3; ++i) {
      const double trend = g(t, "national_weight", "BY") * g(t, "national_per_capita", "BY3") /
                               g(t, "national_per_capita", kYears[i]) +
                           (1 - g(t, "national_weight", "BY")) *
                               g(t, "regional_per_capita", "BY3") /
                               g(t, "regional_per_capita", kYears[i]);
      h += wts[i] * g(t, "per_capita_expenditure", kYears[i]) * g(t, "risk_score", "BY3") /
           g(t, "risk_score", kYears[i]) * trend;
    }
    hb[t] = h;
    sign += g(t, "assigned_proportion", "BY3") * (g(t, "regional_per_capita", "BY3") - h);
  }
  const double w = sign > 0 ? 0.35 : 0.15;  // first time the benchmark is regionally adjusted
  double updated = 0;
  for (EnrollmentType ty : kEnrollmentTypes) {
    const std::string t = EnrollmentTypeName(ty);
    const double bound = 0.05 * g(t, "national_per_capita", "BY3");
    const double adj = std::clamp(w * (g(t, "regional_per_capita", "BY3") - hb[t]), -bound, bound);
    const double rr = std::min(g(t, "risk_score", "PY") / g(t, "risk_score", "BY3"), 1.03);
    const double uf = g(t, "national_weight", "PY") * g(t, "national_per_capita", "PY") /
                          g(t, "national_per_capita", "BY3") +
                      (1 - g(t, "national_weight", "PY")) * g(t, "regional_per_capita", "PY") /
                          g(t, "regional_per_capita", "BY3");
    const auto& got = r->types[static_cast<size_t>(ty)];
    EXPECT_NEAR(got.historical_per_capita, hb[t] + adj, 1e-6) << t;
    EXPECT_NEAR(got.risk_ratio, rr, 1e-12) << t;
    EXPECT_NEAR(got.update_factor, uf, 1e-12) << t;
    updated += g(t, "assigned_proportion", "PY") * (hb[t] + adj) * rr * uf;
  }
  EXPECT_NEAR(r->updated_benchmark, updated, 1e-6);
}

}  // namespace
}  // namespace valuepact
