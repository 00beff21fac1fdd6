// Settlement risk simulation: known cases (docs/modeling.md, "Settlement risk").
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <fmt/format.h>

#include "test_paths.h"
#include "valuepact/core/random.h"
#include "valuepact/modeling/outputs.h"
#include "valuepact/run/model_runs.h"

namespace valuepact::modeling {
namespace {

Money M(const char* s) { return ParseMoney(s)->value; }

// `n` members enrolled all of 2018, member i with one claim of spend(i) dollars (cents allowed).
std::string WriteData(const std::string& name, int n, const std::function<int64_t(int)>& cents) {
  const std::string dir = testing::TempDir(name);
  std::ofstream e(dir + "/eligibility.csv");
  e << "person_id,gender,birth_date,enrollment_start_date,enrollment_end_date,payer\n";
  std::ofstream c(dir + "/medical_claim.csv");
  c << "claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,"
       "bill_type_code,place_of_service_code,revenue_center_code,hcpcs_code,paid_amount,"
       "allowed_amount\n";
  for (int i = 0; i < n; ++i) {
    e << fmt::format("P{:04d},female,1945-01-01,2018-01-01,2018-12-31,medicare\n", i);
    const std::string amount = Money::FromCents(cents(i)).ToString();
    c << fmt::format("c{0},1,professional,P{0:04d},2018-03-01,2018-03-01,,11,,99214,{1},{1}\n", i,
                     amount);
  }
  return dir;
}

std::string WriteContract(const std::string& dir, const std::string& terms) {
  const std::string path = dir + "/contract.toml";
  std::ofstream(path) << R"([contract]
id = "simulation-test"
payer = "Plan"
provider = "Group"
period = { start = 2018-01-01, end = 2018-12-31 }
payers = ["medicare"]
services = ["medical"]
basis = "paid"
[benchmark]
method = "target_pmpm"
target_pmpm = 500.00
[[payment]]
id = "savings"
kind = "shared_savings"
)" << terms;
  return path;
}

struct Loaded {
  run::ModelData data;
  SimulationBase base;
};

Loaded Load(const std::string& contract, const std::string& data) {
  run::InputPaths p;
  p.contract = contract;
  p.data = data;
  auto d = run::LoadModelData(p);
  EXPECT_TRUE(d.ok()) << d.status().message();
  auto b = run::SimulationBaseOf(*d);
  EXPECT_TRUE(b.ok()) << b.status().message();
  return {std::move(*d), std::move(*b)};
}

Result<SimulationResult> SimulateYears(const Loaded& l, int64_t members, int years, uint64_t seed) {
  SimulationOptions o;
  o.members = members;
  o.years = years;
  o.seed = seed;
  return Simulate(l.data.inputs->contract, l.base, o, run::SharedContextOf(*l.data.inputs));
}

// Spending that varies a lot between members: most small, a few very large.
int64_t Skewed(int i) {
  SplitMix64 g(static_cast<uint64_t>(i) + 7);
  return static_cast<int64_t>(g.LogNormal(std::log(3000.0), 1.2) * 100);
}

TEST(Simulation, ConstantCostsGiveAPointAtTheDeterministicSettlement) {
  const std::string data = WriteData("sim_constant", 50, [](int) { return 500000; });
  const std::string k = WriteContract(data, "sharing_rate = 0.5\nminimum_savings_rate = 0.02\n");
  const Loaded l = Load(k, data);
  // Benchmark 500 × 12 × 50 = 300,000; spending 5,000 × 50 = 250,000; savings 50,000 (16.7% ≥
  // 2%); half to the group: 25,000.00 — the settlement of the data itself.
  ASSERT_TRUE(l.base.actual_net.has_value());
  EXPECT_EQ(*l.base.actual_net, M("25000.00"));
  auto r = SimulateYears(l, 0, 200, 3);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->members, 50);
  for (Money v : {r->net.mean, r->net.p5, r->net.p50, r->net.p95, r->net.min, r->net.max}) {
    EXPECT_EQ(v, M("25000.00"));
  }
  EXPECT_DOUBLE_EQ(r->net.probability_savings, 1.0);
  EXPECT_DOUBLE_EQ(r->net.probability_losses, 0.0);
}

TEST(Simulation, NoDownsideNeverShowsLosses) {
  const std::string data = WriteData("sim_one_sided", 200, Skewed);
  const std::string k = WriteContract(
      data, "sharing_rate = 0.5\nminimum_savings_rate = 0.02\nmember_truncation = 20000.00\n");
  const Loaded l = Load(k, data);
  auto r = SimulateYears(l, 100, 2000, 11);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_DOUBLE_EQ(r->net.probability_losses, 0.0);
  EXPECT_GE(r->net.min, Money());
  EXPECT_GT(r->net.probability_savings, 0.0);
  EXPECT_LT(r->net.probability_savings, 1.0);
  // The protective terms are settled again without them: truncation and the MSR.
  ASSERT_EQ(r->terms.size(), 2u);
  EXPECT_EQ(r->terms[0].term, "member_truncation");
  EXPECT_EQ(r->terms[1].term, "minimum_savings_rate");
  // Without the MSR the group earns savings at least as often.
  EXPECT_GE(r->terms[1].without.probability_savings, r->net.probability_savings);
}

TEST(Simulation, MoreMembersNarrowTheDistribution) {
  const std::string data = WriteData("sim_narrow", 300, Skewed);
  const std::string k = WriteContract(data, "sharing_rate = 0.5\nloss_sharing_rate = 0.5\n");
  const Loaded l = Load(k, data);
  auto small = SimulateYears(l, 30, 1500, 5);
  auto large = SimulateYears(l, 1200, 1500, 5);
  ASSERT_TRUE(small.ok() && large.ok());
  const double small_spread = small->net.savings_rate_p95 - small->net.savings_rate_p5;
  const double large_spread = large->net.savings_rate_p95 - large->net.savings_rate_p5;
  // The savings rate's spread shrinks about as 1/√N: 40 times the members, about ⅙ the spread.
  EXPECT_LT(large_spread, small_spread / 3) << small_spread << " " << large_spread;
}

TEST(Simulation, MeanConvergesToTheAnalyticExpectation) {
  const int n = 400;
  const std::string data = WriteData("sim_mean", n, Skewed);
  // Two-sided, no MSR/MLR, no caps, no truncation: net = 0.5 × (benchmark − spending), linear,
  // so E[net] = 0.5 × members × (12 × 500 − mean member spending).
  const std::string k = WriteContract(data, "sharing_rate = 0.5\nloss_sharing_rate = 0.5\n");
  const Loaded l = Load(k, data);
  long double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const long double d = Skewed(i) / 100.0L;
    sum += d;
    sum2 += d * d;
  }
  const long double mean_spend = sum / n;
  const long double sd = std::sqrt(sum2 / n - mean_spend * mean_spend);
  const int members = 100, years = 4000;
  const long double expected = 0.5L * members * (6000.0L - mean_spend);
  // Standard error of the simulated mean: 0.5 × √members × sd ÷ √years.
  const long double se = 0.5L * std::sqrt(static_cast<long double>(members)) * sd /
                         std::sqrt(static_cast<long double>(years));
  auto r = SimulateYears(l, members, years, 21);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_LT(std::abs(r->net.mean.as_units() - expected), 4 * se)
      << "mean " << r->net.mean.ToString() << " expected " << static_cast<double>(expected)
      << " se " << static_cast<double>(se);
  EXPECT_TRUE(r->terms.empty());  // nothing protective to remove
}

TEST(Simulation, SameSeedSameOutputOnOneAndTwoThreads) {
  const std::string data = WriteData("sim_threads", 150, Skewed);
  const std::string k =
      WriteContract(data,
                    "sharing_rate = 0.6\nminimum_savings_rate = 0.03\nloss_sharing_rate = 0.4\n"
                    "minimum_loss_rate = 0.03\nsavings_cap = 0.1\nloss_cap = 0.05\n"
                    "truncation_percentile = 0.99\n");
  const Loaded l = Load(k, data);
  std::string one, two;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    auto r = SimulateYears(l, 0, 500, 99);
    ASSERT_TRUE(r.ok()) << r.status().message();
    one = SimulationJson(*r).dump();
    EXPECT_EQ(r->terms.size(), 5u);  // truncation, MSR, MLR, savings cap, loss limit
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    auto r = SimulateYears(l, 0, 500, 99);
    ASSERT_TRUE(r.ok());
    two = SimulationJson(*r).dump();
  }
  EXPECT_EQ(one, two);
  auto other = SimulateYears(l, 0, 500, 100);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(SimulationJson(*other).dump(), one);
}

TEST(Simulation, ALayerItCannotPaySaysSo) {
  const std::string data = WriteData("sim_episode_layer", 40, [](int) { return 500000; });
  const std::string k = WriteContract(data, R"(sharing_rate = 0.5
[[payment]]
id = "bundle"
kind = "episode_reconciliation"
episode = "hf"
[[episode]]
id = "hf"
trigger = { drg = ["291"] }
window_days = 30
target = { price = 10000.00 }
)");
  const Loaded l = Load(k, data);
  auto r = SimulateYears(l, 0, 10, 1);
  ASSERT_TRUE(r.ok()) << r.status().message();
  bool said = false;
  for (const auto& n : r->notes) {
    said |= n.find("bundle") != std::string::npos &&
            n.find("episode reconciliation is computed from claims") != std::string::npos;
  }
  EXPECT_TRUE(said) << "the episode layer paid 0.00 without a word";
}

TEST(Variants, ParseAndSettleOverTheSameYears) {
  const std::string data = WriteData("sim_variants", 120, Skewed);
  const std::string k = WriteContract(
      data, "sharing_rate = 0.5\nminimum_savings_rate = 0.02\nmember_truncation = 15000.00\n");
  const Loaded l = Load(k, data);
  const Contract& contract = l.data.inputs->contract;
  auto v = ParseVariants(
      "id,sharing_rate,minimum_savings_rate,truncation\n"
      "written,,,\n"
      "share60,0.6,,\n"
      "msr0,,0,\n"
      "no-truncation,,,off\n",
      "v.csv", contract);
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_EQ(v->size(), 4u);
  EXPECT_EQ((*v)[1].Describe(), "sharing_rate=0.6");
  std::vector<ContractChange> changes;
  for (const auto& x : *v) changes.push_back(x.change);
  SimulationOptions o;
  o.years = 400;
  o.seed = 8;
  auto d = SimulateChanges(contract, l.base, o, run::SharedContextOf(*l.data.inputs), changes);
  ASSERT_TRUE(d.ok()) << d.status().message();
  // The same years: a higher sharing rate pays more in every year that earns savings.
  for (size_t y = 0; y < (*d)[0].net.size(); ++y) {
    EXPECT_GE((*d)[1].net[y], (*d)[0].net[y]);
    EXPECT_GE((*d)[2].net[y], (*d)[0].net[y]);
  }
  EXPECT_GT((*d)[1].mean, (*d)[0].mean);

  auto bad =
      ParseVariants("id,sharing_rate,savings.pmpm,nonsense\nx,1.5,10,1\n", "v.csv", contract);
  ASSERT_FALSE(bad.ok());
  const std::string msg = bad.status().message();
  EXPECT_NE(msg.find("v.csv:2: nonsense:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("v.csv:2: savings.pmpm:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("sharing_rate"), std::string::npos) << msg;
}

}  // namespace
}  // namespace valuepact::modeling
