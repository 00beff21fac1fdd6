// [[target]] and [[trigger]]: parsed into typed terms, every mistake an error with its line.
#include <gtest/gtest.h>

#include "valuepact/contract/contract.h"

namespace valuepact {
namespace {

const char* kHead =
    "[contract]\nid = \"m\"\nperiod = { start = 2018-01-01, end = 2018-12-31 }\n"
    "[benchmark]\nmethod = \"target_pmpm\"\ntarget_pmpm = 100.00\n"
    "[[payment]]\nid = \"a\"\nkind = \"case_rate\"\npmpm = 1.00\n";

TEST(MonitoringTerms, TargetsAndTriggersAreTyped) {
  auto k = ParseContract(std::string(kHead) +
                             "[[target]]\nid = \"ed\"\nmetric = \"ed_visits_per_1000\"\n"
                             "direction = \"at_least\"\nthreshold = 5\nperiod = \"quarter\"\n"
                             "[[trigger]]\nmetric = \"pmpm_total\"\ncondition = \"below\"\n"
                             "threshold = \"benchmark\"\nfactor = 0.9\nconsecutive = 2\n"
                             "action = \"joint review\"\n",
                         "m.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  ASSERT_EQ(k->targets.size(), 1u);
  EXPECT_EQ(k->targets[0].id, "ed");
  EXPECT_FALSE(k->targets[0].at_most);
  EXPECT_DOUBLE_EQ(k->targets[0].threshold, 5);
  EXPECT_DOUBLE_EQ(k->targets[0].at_risk_margin, 0.10);
  EXPECT_EQ(k->targets[0].granularity, MonitoringGranularity::kQuarter);
  ASSERT_EQ(k->triggers.size(), 1u);
  EXPECT_EQ(k->triggers[0].id, "trigger-1");
  EXPECT_FALSE(k->triggers[0].above);
  EXPECT_TRUE(k->triggers[0].relative_to_benchmark);
  EXPECT_DOUBLE_EQ(k->triggers[0].factor, 0.9);
  EXPECT_EQ(k->triggers[0].consecutive, 2);
  EXPECT_EQ(k->triggers[0].granularity, MonitoringGranularity::kMonth);
}

TEST(MonitoringTerms, ComparisonIsTyped) {
  auto k = ParseContract(std::string(kHead) +
                             "[comparison]\npopulation = \"age >= 65\"\nrisk_adjust = true\n"
                             "model = \"blend\"\npayment_year = 2025\n",
                         "m.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  ASSERT_TRUE(k->comparison.has_value());
  EXPECT_EQ(k->comparison->population, "age >= 65");
  EXPECT_TRUE(k->comparison->risk_adjust);
  EXPECT_EQ(k->comparison->model, "blend");
  EXPECT_EQ(k->comparison->payment_year, 2025);
  EXPECT_EQ(k->comparison->source_line, 11);  // after the 10 lines of kHead
  auto none = ParseContract(kHead, "m.toml");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->comparison.has_value());
}

TEST(MonitoringTerms, MistakesAreErrorsWithTheirLine) {
  const std::pair<const char*, const char*> bad[] = {
      {"[[target]]\nmetric = \"x\"\ndirection = \"under\"\nthreshold = 1\n", "target.direction"},
      {"[[target]]\nmetric = \"x\"\ndirection = \"at_most\"\n", "target.threshold"},
      {"[[trigger]]\nmetric = \"x\"\ncondition = \"above\"\nthreshold = 1\nfactor = 2\n"
       "action = \"a\"\n",
       "only with threshold = \"benchmark\""},
      {"[[trigger]]\nmetric = \"x\"\ncondition = \"above\"\nthreshold = \"median\"\n"
       "action = \"a\"\n",
       "trigger.threshold"},
      {"[[trigger]]\nmetric = \"x\"\ncondition = \"above\"\nthreshold = 1\n", "trigger.action"},
      {"[[target]]\nid = \"t\"\nmetric = \"x\"\ndirection = \"at_most\"\nthreshold = 1\n"
       "[[target]]\nid = \"t\"\nmetric = \"y\"\ndirection = \"at_most\"\nthreshold = 1\n",
       "'t' is used twice"},
      {"[[trigger]]\nmetric = \"x\"\ncondition = \"above\"\nthreshold = 1\naction = \"a\"\n"
       "consecutive = 0\n",
       "trigger.consecutive"},
      {"[comparison]\nrisk_adjust = true\n", "comparison.population"},
      {"[comparison]\npopulation = \"age >= 65\"\nmodel = \"V24\"\n",
       "only with risk_adjust = true"},
      {"[comparison]\npopulation = \"age >= 65\"\nrisk_adjust = true\nmodel = \"V99\"\n",
       "comparison.model"},
      {"[comparison]\npopulation = \"age >= 65\"\ncohort = \"x\"\n", "comparison"},
  };
  for (const auto& [text, want] : bad) {
    auto k = ParseContract(std::string(kHead) + text, "m.toml");
    ASSERT_FALSE(k.ok()) << text;
    EXPECT_NE(k.status().message().find(want), std::string::npos) << k.status().message();
    EXPECT_NE(k.status().message().find("m.toml:"), std::string::npos) << k.status().message();
  }
}

}  // namespace
}  // namespace valuepact
