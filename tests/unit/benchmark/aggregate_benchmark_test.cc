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

// Two types for the rules of agreement periods from 2024, each step followable by hand. Aged/
// non-dual spends $10,000 against a region of $9,000 (national $8,000); aged/dual $20,000 at BY3
// risk 1.2 against a region of $21,000 (national $20,000). Benchmark years are equal, so the
// weighted per capita is the BY3 figure; national growth to PY is 5%, regional 2%.
struct Figures2024 {
  TypeFigures non_dual{{10000, 10000, 10000},    {1, 1, 1, 1}, 0.6, 0.6, {8000, 8000, 8000, 8400},
                       {9000, 9000, 9000, 9180}, 0.5,          0.5};
  TypeFigures dual{{20000, 20000, 20000},        {1.2, 1.2, 1.2, 1.2},         0.4, 0.4,
                   {20000, 20000, 20000, 21000}, {21000, 21000, 21000, 21420}, 0.5, 0.5};
  double growth_non_dual = 1.0, growth_dual = 1.0;

  std::string Csv2024(const std::string& extra = "") const {
    std::string csv = Csv({{"aged_non_dual", non_dual}, {"aged_dual", dual}});
    for (const auto& [t, g] :
         {std::pair{"aged_non_dual", growth_non_dual}, std::pair{"aged_dual", growth_dual}}) {
      csv += fmt::format(
          "{0},demographic_risk_score,BY3,1\n{0},demographic_risk_score,PY,1\n"
          "{0},regional_risk_growth,PY,{1}\n{0},regional_demographic_risk_growth,PY,1\n",
          t, g);
    }
    return csv +
           "aged_non_dual,acpt_growth,PY,1.04\naged_dual,acpt_growth,PY,1.05\n"
           "aco,dual_proportion,BY3,0.3\n" +
           extra;
  }
};

const AggregateTypeBenchmark& Type(const AggregateBenchmarkResult& r, EnrollmentType t) {
  return r.types[static_cast<size_t>(t)];
}

// 42 CFR 425.656(c)-(e), 425.652(a)(8), (b)(4): caps of +5% and −1.5% of national BY3, the offset
// of a negative adjustment, the single value, and the three-way update with the ACPT.
TEST(AggregateBenchmark, Regional2024CapsOffsetSingleValueAndThreeWayUpdate) {
  auto k = AggregateContract("agreement_start = 2024-01-01\nagreement_period = 1");
  ASSERT_TRUE(k.ok()) << k.status().message();
  ASSERT_TRUE(k->benchmark.regional.has_value());
  EXPECT_DOUBLE_EQ(*k->benchmark.regional->negative_cap, 0.015);
  EXPECT_NEAR(*k->benchmark.acpt_weight, 1.0 / 3, 1e-15);
  Figures2024 f;
  Trace trace;
  auto r = Compute(*k, f.Csv2024(), &trace);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // Sign rule: 0.6 × (9000 − 10000) + 0.4 × (21000 − 20000) = −200 → higher spending, 15%.
  EXPECT_DOUBLE_EQ(r->regional_weight, 0.15);
  const auto& n = Type(*r, EnrollmentType::kAgedNonDual);
  const auto& d = Type(*r, EnrollmentType::kAgedDual);
  // Aged/non-dual: 0.15 × −1000 = −150, capped at −1.5% × 8000 = −120, then × (1 − offset):
  // offset = dual 0.3 + (risk (10000·0.6·1 + 20000·0.4·1.2) ÷ (6000 + 8000) − 1) = 0.3 + 1/7.
  const double offset = 0.3 + (15600.0 / 14000 - 1);
  EXPECT_NEAR(n.regional_adjustment, -120 * (1 - offset), 1e-9);
  EXPECT_DOUBLE_EQ(d.regional_adjustment, 150);  // 0.15 × 1000, within +5% × 20000
  // Single value 0.6 × −70.29 + 0.4 × 150 = 17.83 > 0: each type gets its own adjustment.
  ASSERT_TRUE(r->regional_single_value.has_value());
  EXPECT_NEAR(*r->regional_single_value, 0.6 * n.regional_adjustment + 60, 1e-9);
  EXPECT_EQ(r->adjustment_applied, "regional");
  EXPECT_NEAR(n.historical_per_capita, 10000 + n.regional_adjustment, 1e-9);
  EXPECT_DOUBLE_EQ(d.historical_per_capita, 20150);
  // Update: two-way 0.5 × 1.05 + 0.5 × 1.02 = 1.035; three-way 2/3 × 1.035 + 1/3 × ACPT.
  EXPECT_NEAR(n.two_way_update_factor, 1.035, 1e-12);
  EXPECT_NEAR(n.update_factor, 2.0 / 3 * 1.035 + 1.04 / 3, 1e-12);
  EXPECT_NEAR(d.update_factor, 2.0 / 3 * 1.035 + 1.05 / 3, 1e-12);
  EXPECT_NEAR(d.updated_per_capita, 20150 * (2.0 / 3 * 1.035 + 1.05 / 3), 1e-8);
  EXPECT_NE(trace.Find("benchmark.regional_offset_factor"), nullptr);
  EXPECT_NE(trace.Find("benchmark.aged_dual.two_way_update_factor"), nullptr);

  // A smaller regional gap for aged/dual: the single value is negative → no adjustment.
  f.dual.reg[2] = 20100;
  f.dual.reg[0] = f.dual.reg[1] = 20100;
  r = Compute(*k, f.Csv2024());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_LT(*r->regional_single_value, 0);
  EXPECT_EQ(r->adjustment_applied, "none");
  EXPECT_DOUBLE_EQ(Type(*r, EnrollmentType::kAgedNonDual).historical_per_capita, 10000);
  EXPECT_DOUBLE_EQ(Type(*r, EnrollmentType::kAgedDual).historical_per_capita, 20000);

  // A contract's ACPT weight (CMS may lower it) replaces the schedule's.
  auto sixth = AggregateContract("agreement_start = 2024-01-01\nagreement_period = 1",
                                 "acpt_weight = 0.1666666666666667");
  ASSERT_TRUE(sixth.ok()) << sixth.status().message();
  r = Compute(*sixth, Figures2024().Csv2024());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_NEAR(Type(*r, EnrollmentType::kAgedDual).update_factor, 5.0 / 6 * 1.035 + 1.05 / 6, 1e-12);
  // Without the ACPT figure the update cannot be computed: the row is named.
  std::string csv = Figures2024().Csv2024();
  const std::string acpt = "aged_dual,acpt_growth,PY,1.05\n";
  csv.erase(csv.find(acpt), acpt.size());
  r = Compute(*k, csv);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no row aged_dual,acpt_growth,PY"), std::string::npos)
      << r.status().message();
}

// 42 CFR 425.658 and 425.652(a)(8): a renewing ACO with positive average prior savings gets the
// higher of the prior savings adjustment (flat, every type) and the regional single value.
TEST(AggregateBenchmark, PriorSavingsAdjustmentCompetesWithTheRegionalOne) {
  auto k = AggregateContract("agreement_start = 2024-01-01\nagreement_period = 2");
  ASSERT_TRUE(k.ok()) << k.status().message();
  const std::string savings =
      "aco,prior_savings_per_capita,BY1,300\naco,prior_savings_per_capita,BY2,-100\n"
      "aco,prior_savings_per_capita,BY3,400\naco,prior_savings_proration,BY,0.9\n";
  auto r = Compute(*k, Figures2024().Csv2024(savings));
  ASSERT_TRUE(r.ok()) << r.status().message();
  // Second time: 25% (higher spending). Aged/non-dual −250 → capped −120 → offset; aged/dual 250.
  EXPECT_DOUBLE_EQ(r->regional_weight, 0.25);
  // Average 200; 0.5 × 0.9 × 200 = 90 < 5% × (0.6 × 8000 + 0.4 × 20000) = 640.
  ASSERT_TRUE(r->prior_savings_adjustment.has_value());
  EXPECT_DOUBLE_EQ(*r->prior_savings_adjustment, 90);
  EXPECT_NEAR(*r->regional_single_value,
              0.6 * Type(*r, EnrollmentType::kAgedNonDual).regional_adjustment + 100, 1e-9);
  EXPECT_LT(*r->regional_single_value, 90);
  EXPECT_EQ(r->adjustment_applied, "prior_savings");
  EXPECT_DOUBLE_EQ(Type(*r, EnrollmentType::kAgedNonDual).historical_per_capita, 10090);
  EXPECT_DOUBLE_EQ(Type(*r, EnrollmentType::kAgedDual).historical_per_capita, 20090);

  // Average not positive: not eligible, the regional adjustment applies.
  r = Compute(*k, Figures2024().Csv2024(
                      "aco,prior_savings_per_capita,BY1,-300\naco,prior_savings_per_capita,BY2,0\n"
                      "aco,prior_savings_per_capita,BY3,100\n"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_DOUBLE_EQ(*r->prior_savings_adjustment, 0);
  EXPECT_EQ(r->adjustment_applied, "regional");
  // A renewing ACO without its prior years' figures is refused, naming the rows.
  r = Compute(*k, Figures2024().Csv2024());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no row aco,prior_savings_per_capita,BY1"), std::string::npos)
      << r.status().message();
}

// 42 CFR 425.662(b) (agreement periods from 2025): with at least 15% LIS or dual beneficiaries,
// (5% × national − the higher of the other adjustments) × that proportion, when it is highest.
TEST(AggregateBenchmark, HealthEquityAdjustmentFrom2025) {
  auto k = AggregateContract("agreement_start = 2025-01-01\nagreement_period = 1");
  ASSERT_TRUE(k.ok()) << k.status().message();
  auto r = Compute(*k, Figures2024().Csv2024("aco,lis_dual_proportion,PY,0.2\n"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const double regional = *r->regional_single_value;
  ASSERT_TRUE(r->health_equity_adjustment.has_value());
  EXPECT_NEAR(*r->health_equity_adjustment, (0.05 * 12800 - regional) * 0.2, 1e-9);
  EXPECT_EQ(r->adjustment_applied, "health_equity");
  EXPECT_NEAR(Type(*r, EnrollmentType::kAgedDual).historical_per_capita,
              20000 + *r->health_equity_adjustment, 1e-9);
  // Below 15%: not eligible.
  r = Compute(*k, Figures2024().Csv2024("aco,lis_dual_proportion,PY,0.1\n"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_DOUBLE_EQ(*r->health_equity_adjustment, 0);
  EXPECT_EQ(r->adjustment_applied, "regional");
  // The proportion is needed to know.
  r = Compute(*k, Figures2024().Csv2024());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no row aco,lis_dual_proportion,PY"), std::string::npos);
}

// 42 CFR 425.655: when the aggregate regional HCC growth exceeds the cap, a type whose growth
// exceeds it has its regional growth multiplied by growth ÷ cap.
TEST(AggregateBenchmark, RegionalRiskGrowthCap) {
  auto k = AggregateContract("agreement_start = 2024-01-01\nagreement_period = 1");
  ASSERT_TRUE(k.ok()) << k.status().message();
  Figures2024 f;
  f.growth_non_dual = 1.10;
  f.growth_dual = 1.02;
  auto r = Compute(*k, f.Csv2024());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& n = Type(*r, EnrollmentType::kAgedNonDual);
  const auto& d = Type(*r, EnrollmentType::kAgedDual);
  const double wn = n.historical_per_capita * 0.6, wd = d.historical_per_capita * 0.4;
  const double growth = (wn * 1.10 + wd * 1.02) / (wn + wd);
  const double cap = 1.03 + 0.5 * (growth - 1.03);  // demographic growth 1, market share 0.5
  ASSERT_GT(growth, cap);
  EXPECT_NEAR(n.regional_growth_factor, 1.10 / cap, 1e-12);
  EXPECT_DOUBLE_EQ(d.regional_growth_factor, 1.0);  // 1.02 is within the cap
  EXPECT_NEAR(n.two_way_update_factor, 0.5 * 1.05 + 0.5 * 1.02 * 1.10 / cap, 1e-12);
  EXPECT_NEAR(d.two_way_update_factor, 1.035, 1e-12);
}

// Agreement periods before July 2019 have no recorded weights; the contract must state them.
TEST(AggregateBenchmark, UnrecordedPeriodsNeedStatedTerms) {
  auto bad = AggregateContract("agreement_start = 2018-01-01\nagreement_period = 1");
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
      "esrd,assigned_proportion,PY,1.5\n"
      "aco,risk_score,BY3,1\n"
      "aged_dual,dual_proportion,BY3,0.3\n",
      "in.csv");
  ASSERT_FALSE(in.ok());
  const std::string m = in.status().message();
  for (const char* want :
       {"in.csv:2: value: 'abc'", "in.csv:3: enrollment_type: 'aged_dul'",
        "in.csv:4: year: assigned_proportion is reported for BY3, PY, not BY1",
        "in.csv:6: value: aged_dual,risk_score,BY2 is already given on line 5",
        "in.csv:8: value: aged_dual,national_weight,BY2 is already given on line 7",
        "in.csv:9: quantity: 'risk_scores'", "in.csv:10: value: '1.5'",
        "in.csv:11: enrollment_type: risk_score is reported per enrollment type",
        "in.csv:12: enrollment_type: dual_proportion is a figure of the whole ACO"}) {
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
