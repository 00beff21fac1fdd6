// Contract terms changed by key (contract/edit.h): what-if's edits of a contract's text.
#include <gtest/gtest.h>

#include "valuepact/contract/contract.h"
#include "valuepact/contract/edit.h"

namespace valuepact {
namespace {

constexpr const char* kContract = R"(# a comment
[contract]
id = "edit"
period = { start = 2018-01-01, end = 2018-12-31 }
payers = ["medicare"]
services = ["medical"]

[benchmark]
method = "target_pmpm"
target_pmpm = 900.00

[[payment]]
id = "case-rate"
kind = "case_rate"
basis = "program"
pmpm = { home = 400.00, nursing_facility = 300.00 }

[[payment]]
id = "savings"
kind = "shared_savings"
sharing_rate = 0.5
minimum_savings_rate = 0.02
)";

TEST(ChangeContractTerms, SetsLayerTermsNestedKeysAndSectionKeys) {
  auto e = ChangeContractTerms(kContract, "c.toml",
                               {{"payment.savings.sharing_rate", "0.6"},
                                {"payment.case-rate.pmpm.home", "420.0"},
                                {"benchmark.target_pmpm", "950.0"},
                                {"payment.savings.savings_cap", "0.1"}});
  ASSERT_TRUE(e.ok()) << e.status().message();
  ASSERT_EQ(e->changes.size(), 4u);
  EXPECT_EQ(e->changes[0].before, "0.5");
  EXPECT_EQ(e->changes[0].after, "0.6");
  EXPECT_EQ(e->changes[1].before, "400");
  EXPECT_EQ(e->changes[3].before, "");  // added
  auto k = ParseContract(e->text, "c.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->benchmark.target_pmpm.ToString(), "950.00");
  EXPECT_DOUBLE_EQ(k->FindLayer("savings")->shared_savings.sharing_rate, 0.6);
  ASSERT_TRUE(k->FindLayer("savings")->shared_savings.savings_cap.has_value());
  EXPECT_DOUBLE_EQ(*k->FindLayer("savings")->shared_savings.savings_cap, 0.1);
}

TEST(ChangeContractTerms, NamesTheKeyOfEveryChangeItCannotMake) {
  auto e = ChangeContractTerms(kContract, "c.toml",
                               {{"payment.nosuch.sharing_rate", "0.6"},
                                {"payment.savings.id", "\"other\""},
                                {"payment.savings", "1"},
                                {"benchmark.target_pmpm", "not toml ["},
                                {"contract.period.start.x", "1"},
                                {"a..b", "1"}});
  ASSERT_FALSE(e.ok());
  const std::string m = e.status().message();
  EXPECT_NE(m.find("payment.nosuch.sharing_rate: the contract has no [[payment]] with id = "
                   "\"nosuch\""),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("payment.savings.id: a layer's id cannot be changed"), std::string::npos) << m;
  EXPECT_NE(m.find("payment.savings: name a layer and a term"), std::string::npos) << m;
  EXPECT_NE(m.find("'not toml [' is not a TOML value"), std::string::npos) << m;
  EXPECT_NE(m.find("contract.period.start.x: 'start' is not a table"), std::string::npos) << m;
  EXPECT_NE(m.find("'a..b': not a contract key"), std::string::npos) << m;
}

TEST(ChangeContractTerms, TheContractRulesStillApply) {
  auto e = ChangeContractTerms(kContract, "c.toml", {{"payment.savings.sharing_rate", "1.5"}});
  ASSERT_TRUE(e.ok());
  auto k = ParseContract(e->text, "c.toml");
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.status().message().find("sharing_rate"), std::string::npos);
}

TEST(TermEdits, FromArgumentsAndJson) {
  auto a = TermEditsFromArguments({"payment.savings.sharing_rate=0.6", "x.method=variable"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)[0].value, "0.6");
  EXPECT_EQ((*a)[1].value, "\"variable\"");  // not TOML: a string
  EXPECT_FALSE(TermEditsFromArguments({"no-equals"}).ok());
  auto j = TermEditsFromJson(nlohmann::ordered_json::parse(
      R"({"z.rate": 0.6, "a.pmpm": {"home": 420.5}, "m.list": [1, "two"], "b.flag": true})"));
  ASSERT_TRUE(j.ok()) << j.status().message();
  ASSERT_EQ(j->size(), 4u);
  EXPECT_EQ((*j)[0].key, "z.rate");  // the request's order
  EXPECT_EQ((*j)[1].value, "{ \"home\" = 420.5 }");
  EXPECT_EQ((*j)[2].value, "[1, \"two\"]");
  EXPECT_EQ((*j)[3].value, "true");
  EXPECT_FALSE(TermEditsFromJson(nlohmann::ordered_json::parse(R"({"k": null})")).ok());
  EXPECT_FALSE(TermEditsFromJson(nlohmann::ordered_json::parse("[1]")).ok());
  EXPECT_FALSE(TermEditsFromJson(nlohmann::ordered_json::object()).ok());
}

}  // namespace
}  // namespace valuepact
