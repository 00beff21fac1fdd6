// The benchmark risk-ratio cap rule: stated by the contract, or the one in force for the
// agreement start date (params/mssp/benchmark_risk_ratio_cap.csv); a cap is never guessed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "valuepact/contract/contract.h"

namespace valuepact {
namespace {

using ::testing::HasSubstr;

std::string Contract(const std::string& contract_extra, const std::string& risk) {
  return R"([contract]
id = "t"
period = { start = 2024-01-01, end = 2024-12-31 }
)" + contract_extra +
         R"(
[benchmark]
method = "historical"

[[benchmark.baseline]]
year = 2023
expenditure_pmpm = 1000.00

[benchmark.risk_adjustment]
performance_mean_score = 1.0
baseline_mean_score = 1.0
demographic_ratio = 1.0
)" + risk +
         R"(
[[payment]]
id = "s"
kind = "shared_savings"
sharing_rate = 0.5
minimum_savings_rate = 0.02
)";
}

TEST(RiskCapRule, TheAgreementStartPicksTheRuleAndItsCitation) {
  auto k = ParseContract(Contract("agreement_start = 2021-01-01\n", "").substr(0), "c.toml");
  // demographic_ratio is only for demographic_plus_3: a 2021 agreement is upward_only.
  ASSERT_FALSE(k.ok());
  EXPECT_THAT(k.status().message(), HasSubstr("demographic_ratio"));

  std::string text = Contract("agreement_start = 2021-01-01\n", "");
  text.erase(text.find("demographic_ratio = 1.0\n"), 24);
  k = ParseContract(text, "c.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->benchmark.risk.cap_rule, "upward_only");
  EXPECT_DOUBLE_EQ(*k->benchmark.risk.cap, 0.03);
  EXPECT_THAT(k->benchmark.risk.cap_source, HasSubstr("benchmark_risk_ratio_cap.csv line"));
  EXPECT_THAT(k->benchmark.risk.cap_source, HasSubstr("425.605(a)(1)"));

  k = ParseContract(Contract("agreement_start = 2024-01-01\nagreement_period = 2\n", ""), "c.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->benchmark.risk.cap_rule, "demographic_plus_3");
  EXPECT_EQ(k->agreement_period, 2);
}

TEST(RiskCapRule, ACapWithoutARuleIsAnErrorNotAGuess) {
  std::string text = Contract("", "cap = 0.03\n");
  text.erase(text.find("demographic_ratio = 1.0\n"), 24);
  auto k = ParseContract(text, "c.toml");
  ASSERT_FALSE(k.ok());
  EXPECT_THAT(k.status().message(), HasSubstr("a cap needs its rule"));

  k = ParseContract(Contract("agreement_start = 2018-01-01\n", ""), "c.toml");
  ASSERT_FALSE(k.ok());
  EXPECT_THAT(k.status().message(), HasSubstr("no CMS risk-ratio cap rule is recorded"));

  // The contract's own rule wins over the date's.
  text = Contract("agreement_start = 2021-01-01\n", "cap = 0.05\ncap_rule = \"symmetric\"\n");
  text.erase(text.find("demographic_ratio = 1.0\n"), 24);
  k = ParseContract(text, "c.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->benchmark.risk.cap_rule, "symmetric");
  EXPECT_DOUBLE_EQ(*k->benchmark.risk.cap, 0.05);
  EXPECT_THAT(k->benchmark.risk.cap_source, HasSubstr("cap_rule = \"symmetric\""));
}

}  // namespace
}  // namespace valuepact
