// Cost of care, break-even and ramp, and ROI against hand computations (docs/modeling.md).
#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/contract/contract.h"
#include "valuepact/modeling/cost_model.h"
#include "valuepact/modeling/outputs.h"
#include "valuepact/modeling/ramp.h"
#include "valuepact/modeling/roi.h"

namespace valuepact::modeling {
namespace {

Money M(const char* s) { return ParseMoney(s)->value; }

Assumptions Parse(const std::string& text) {
  auto a = ParseAssumptions(text, "a.toml");
  EXPECT_TRUE(a.ok()) << a.status().message();
  return a.ok() ? *a : Assumptions{};
}

TEST(CostModel, SeedExampleByHand) {
  auto a =
      LoadAssumptions(testing::SourceDir() + "/examples/palliative-cost-model/assumptions.toml");
  ASSERT_TRUE(a.ok()) << a.status().message();
  auto m = ComputeCostModel(*a, {50});
  ASSERT_TRUE(m.ok()) << m.status().message();
  // RN 1 × (60 + 30) ÷ 60 × 65 = 97.50; social worker visit 1 × 90 ÷ 60 × 50 = 75.00 and calls
  // 2 × 15 ÷ 60 × 50 = 25.00; physician video 1 × 30 ÷ 60 × 150 = 75.00; chaplain call
  // 1 × 20 ÷ 60 × 45 = 15.00. Total 287.50, of which 25.00 + 15.00 = 40.00 not billable.
  EXPECT_EQ(m->variable_per_member_month, M("287.50"));
  EXPECT_EQ(m->unbillable_per_member_month, M("40.00"));
  ASSERT_EQ(m->by_discipline.size(), 4u);
  EXPECT_EQ(m->by_discipline[0].discipline, "rn");
  EXPECT_EQ(m->by_discipline[0].cost, M("97.50"));
  EXPECT_EQ(m->by_discipline[1].cost, M("100.00"));
  EXPECT_EQ(m->by_discipline[2].cost, M("75.00"));
  EXPECT_EQ(m->by_discipline[3].cost, M("15.00"));
  // Fixed 6,000 + 2,000 + 1,500 + 2,500 = 12,000 a month; at 50 members 287.50 + 240.00.
  EXPECT_EQ(m->fixed_per_month, M("12000.00"));
  ASSERT_EQ(m->at_census.size(), 1u);
  EXPECT_EQ(m->at_census[0].per_member_month, M("527.50"));
  EXPECT_EQ(m->at_census[0].total_per_month, M("26375.00"));
}

TEST(CostModel, BlendsSettingsByTheirShares) {
  auto a = Parse(R"(
[[discipline]]
name = "rn"
hourly_cost = 60.00
[[encounter]]
discipline = "rn"
modality = "in_person"
per_member_month = 1
minutes = 60
[[encounter]]
discipline = "rn"
modality = "in_person"
per_member_month = 1
minutes = 0
travel_minutes = 30
setting = "home"
[fixed]
per_month = 1000.00
[ramp]
months = 1
referrals_per_month = 1
acceptance_rate = 1
length_of_service_months = 1
setting_mix = { home = 0.5, nursing_facility = 0.5 }
)");
  auto m = ComputeCostModel(a, {3});
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->groups.size(), 2u);
  EXPECT_EQ(m->groups[0].variable_per_member_month, M("90.00"));  // home: 60 + 30
  EXPECT_EQ(m->groups[1].variable_per_member_month, M("60.00"));  // nursing facility
  EXPECT_EQ(m->variable_per_member_month, M("75.00"));            // 0.5 × 90 + 0.5 × 60
  // 75 + 1,000 ÷ 3 = 408.333… → 408.33
  EXPECT_EQ(m->at_census[0].per_member_month, M("408.33"));
}

TEST(Assumptions, ErrorsNameTheKeyAndLine) {
  auto bad = ParseAssumptions(R"(
[[discipline]]
name = "rn"
hourly_cost = 60.00
[[encounter]]
discipline = "np"
modality = "carrier_pigeon"
per_member_month = 1
minutes = 30
colour = "blue"
)",
                              "a.toml");
  ASSERT_FALSE(bad.ok());
  const std::string msg = bad.status().message();
  EXPECT_NE(msg.find("a.toml:6:14: encounter[1].discipline"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'np' has no [[discipline]]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("encounter[1].modality"), std::string::npos) << msg;
  EXPECT_NE(msg.find("encounter[1].colour: unknown key"), std::string::npos) << msg;

  auto mix = ParseAssumptions(R"(
[ramp]
months = 2
referrals_per_month = [1, 2, 3]
acceptance_rate = 0.9
ineligible_share = 0.2
length_of_service_months = 4
setting_mix = { home = 0.5, nursing_facility = 0.4 }
)",
                              "b.toml");
  ASSERT_FALSE(mix.ok());
  const std::string m2 = mix.status().message();
  EXPECT_NE(m2.find("the shares add up to 0.9, not 1"), std::string::npos) << m2;
  EXPECT_NE(m2.find("3 values for 2 months"), std::string::npos) << m2;
  EXPECT_NE(m2.find("acceptance rate + ineligible share is more than 1"), std::string::npos) << m2;
}

constexpr const char* kRampContract = R"(
[contract]
id = "ramp-test"
payer = "Plan"
provider = "Program"
period = { start = 2025-01-01, end = 2025-12-31 }
payers = ["medicare"]
[benchmark]
method = "target_pmpm"
target_pmpm = 500.00
[[payment]]
id = "case-rate"
kind = "case_rate"
basis = "program"
pmpm = 400.00
[[payment]]
id = "assessment"
kind = "assessment_fee"
amount = 300.00
)";

constexpr const char* kRampAssumptions = R"(
[[discipline]]
name = "rn"
hourly_cost = 60.00
[[encounter]]
discipline = "rn"
modality = "in_person"
per_member_month = 1
minutes = 45
travel_minutes = 15
[fixed]
per_month = 3000.00
startup_per_month = 2000.00
startup_months = 2
[ramp]
months = 4
referrals_per_month = 10
acceptance_rate = 0.5
ineligible_share = 0.1
length_of_service_months = 5
)";

TEST(Ramp, CensusRevenueCostAndBreakEvenByHand) {
  auto k = ParseContract(kRampContract, "k.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  const Assumptions a = Parse(kRampAssumptions);
  auto cost = ComputeCostModel(a, {});
  ASSERT_TRUE(cost.ok());
  EXPECT_EQ(cost->variable_per_member_month, M("60.00"));  // (45 + 15) ÷ 60 × 60
  auto r = ProjectRamp(a, *cost, *k);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->months.size(), 4u);
  // census(t) = census(t−1) × (1 − 1/5) + 10 × 0.5: 5, 9, 12.2, 14.76; assessed 10 × 0.6 = 6.
  const double census[] = {5, 9, 12.2, 14.76};
  // revenue = 400 × census + 300 × 6; cost = 60 × census + 3,000 (+ 2,000 in months 1-2)
  const char* revenue[] = {"3800.00", "5400.00", "6680.00", "7704.00"};
  const char* costs[] = {"5300.00", "5540.00", "3732.00", "3885.60"};
  const char* cumulative[] = {"-1500.00", "-1640.00", "1308.00", "5126.40"};
  for (size_t i = 0; i < 4; ++i) {
    const RampMonth& m = r->months[i];
    EXPECT_NEAR(m.census, census[i], 1e-9) << i;
    EXPECT_DOUBLE_EQ(m.assessed, 6.0);
    EXPECT_EQ(m.revenue, M(revenue[i])) << i;
    EXPECT_EQ(m.cost, M(costs[i])) << i;
    EXPECT_EQ(m.cumulative, M(cumulative[i])) << i;
  }
  EXPECT_EQ(r->months[0].calendar_month, "2025-01");
  // Revenue per member-month at steady state: 400 + 300 × (0.6 ÷ 0.5) ÷ 5 = 472.00;
  // ⌈3,000 ÷ (472 − 60)⌉ = ⌈7.28⌉ = 8.
  const BreakEven& b = r->break_even;
  EXPECT_EQ(b.revenue_per_member_month, M("472.00"));
  ASSERT_TRUE(b.census.has_value());
  EXPECT_EQ(*b.census, 8);
  ASSERT_TRUE(b.month.has_value());
  EXPECT_EQ(*b.month, 3);
  EXPECT_EQ(b.peak_cumulative_loss, M("1640.00"));
  EXPECT_EQ(b.peak_loss_month, 2);

  const std::string csv = RampCsv(*r);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "month,referrals,assessed,census,member_months,revenue,cost,margin,cumulative,"
            "calendar_month,new_enrollees,revenue_case-rate,revenue_assessment");
  EXPECT_NE(csv.find("\n3,10,6,12.2,12.2,6680.00,3732.00,2948.00,1308.00,2025-03,5,4880.00,"
                     "1800.00\n"),
            std::string::npos)
      << csv;
  const auto j = BreakEvenJson(*r);
  EXPECT_EQ(j["census"], 8);
  EXPECT_EQ(j["month"], 3);
  EXPECT_EQ(j["peak_cumulative_loss"], "1640.00");
}

TEST(Ramp, NeverBreaksEvenWhenRevenueDoesNotCoverVariableCost) {
  std::string contract = kRampContract;
  contract = contract.substr(0, contract.find("[[payment]]\nid = \"assessment\""));
  contract.replace(contract.find("pmpm = 400.00"), 13, "pmpm = 55.00");
  auto k = ParseContract(contract, "k.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  const Assumptions a = Parse(kRampAssumptions);
  auto cost = ComputeCostModel(a, {});
  auto r = ProjectRamp(a, *cost, *k);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->break_even.census.has_value());
  EXPECT_FALSE(r->break_even.month.has_value());
  EXPECT_EQ(BreakEvenJson(*r)["census"], "never");
  // Every month loses; the peak loss is the last cumulative position.
  EXPECT_EQ(r->break_even.peak_cumulative_loss, -r->months.back().cumulative);
}

TEST(Ramp, IncentivesNeedAnExpectedShareAndSayWhenTheyHaveNone) {
  std::string contract = kRampContract;
  contract += R"(
[[payment]]
id = "acp"
kind = "acp_incentive"
amount = 100.00
cap = 250.00
)";
  auto k = ParseContract(contract, "k.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  Assumptions a = Parse(kRampAssumptions);
  auto cost = ComputeCostModel(a, {});
  auto without = ProjectRamp(a, *cost, *k);
  ASSERT_TRUE(without.ok());
  ASSERT_FALSE(without->notes.empty());
  EXPECT_NE(without->notes[0].find("[ramp.expected] acp"), std::string::npos);
  EXPECT_EQ(without->months[0].revenue_by_layer[2], Money());
  a.ramp->expected = {{"acp", 0.5}};
  auto with = ProjectRamp(a, *cost, *k);
  ASSERT_TRUE(with.ok());
  // 100 × 0.5 × 5 new enrollees = 250 a month; the 250.00 cap per 12 months binds from month 2.
  EXPECT_EQ(with->months[0].revenue_by_layer[2], M("250.00"));
  EXPECT_EQ(with->months[1].revenue_by_layer[2], Money());
}

TEST(Roi, SavingsLessPaymentsOverPayments) {
  auto r = ComputeRoi({M("900000.00"), "assumed", M("600000.00"), "ramp"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->net_savings, M("300000.00"));
  EXPECT_DOUBLE_EQ(r->roi, 0.5);
  auto loss = ComputeRoi({M("400000.00"), "metrics", M("500000.00"), "settle"});
  ASSERT_TRUE(loss.ok());
  EXPECT_DOUBLE_EQ(loss->roi, -0.2);
  EXPECT_FALSE(ComputeRoi({M("1.00"), "x", Money(), "none"}).ok());
}

}  // namespace
}  // namespace valuepact::modeling
