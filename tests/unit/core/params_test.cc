#include "valuepact/core/params.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace valuepact {
namespace {

using ::testing::HasSubstr;

Date D(int y, unsigned m, unsigned d) { return Date::FromCivil(y, m, d); }

TEST(ParamTable, FindsTheRowInForceOnADate) {
  auto t = ParamTable::Parse("x.csv",
                             "# a comment\n"
                             "effective_from,effective_to,rate,citation\n"
                             "2024-01-01,,0.05,\"rule B, para 2\"\n"
                             "2020-01-01,2023-12-31,0.04,rule A\n");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->At(D(2019, 12, 31)), nullptr);
  ASSERT_NE(t->At(D(2020, 1, 1)), nullptr);
  EXPECT_EQ(t->At(D(2023, 12, 31))->Get("rate"), "0.04");
  EXPECT_EQ(t->At(D(2024, 1, 1))->Get("rate"), "0.05");
  EXPECT_EQ(t->At(D(2099, 1, 1))->citation, "rule B, para 2");
  EXPECT_EQ(t->SourceOf(*t->At(D(2020, 6, 1))), "params/x.csv line 4: rule A");
}

TEST(ParamTable, RefusesTablesThatCannotBeTrusted) {
  const std::string header = "effective_from,effective_to,rate,citation\n";
  auto err = [](const std::string& text) {
    auto t = ParamTable::Parse("x.csv", text);
    return t.ok() ? std::string() : t.status().message();
  };
  EXPECT_THAT(err("effective_from,rate,citation\n2020-01-01,1,a\n"),
              HasSubstr("no 'effective_to' column"));
  EXPECT_THAT(err(header + "2020-01-01,,0.04,\n"), HasSubstr("line 2: no citation"));
  EXPECT_THAT(err(header + "2020-01-01,2019-01-01,0.04,a\n"), HasSubstr("before effective_from"));
  EXPECT_THAT(err(header + "2020-13-01,,0.04,a\n"), HasSubstr("line 2: effective_from"));
  EXPECT_THAT(err(header + "2020-01-01,,0.04\n"), HasSubstr("3 fields where the header has 4"));
  EXPECT_THAT(err(header + "2020-01-01,,0.04,a\n2022-01-01,,0.05,b\n"),
              HasSubstr("overlap the row on line 2"));
  EXPECT_THAT(err(header), HasSubstr("no rows"));
}

// Columns before effective_from are a key: rows of different keys may share dates.
TEST(ParamTable, KeyColumnsSeparateTheDateRanges) {
  auto t = ParamTable::Parse("k.csv",
                             "preset,term,effective_from,effective_to,value,citation\n"
                             "a,rate,2020-01-01,,0.5,c1\n"
                             "b,rate,2020-01-01,,0.6,c2\n"
                             "a,cap,2020-01-01,2020-12-31,0.1,c3\n");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->At(D(2021, 1, 1), {"b", "rate"})->Get("value"), "0.6");
  EXPECT_EQ(t->At(D(2021, 1, 1), {"a", "cap"}), nullptr);
  EXPECT_EQ(t->At(D(2020, 5, 1), {"a", "cap"})->key, (std::vector<std::string>{"a", "cap"}));
  EXPECT_EQ(t->At(D(2020, 5, 1), {"a"}), nullptr);
  auto bad = ParamTable::Parse("k.csv",
                               "preset,effective_from,effective_to,value,citation\n"
                               "a,2020-01-01,,1,c\n"
                               "a,2021-01-01,,2,c\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("overlap"));
}

// Every parameter file the engine is built with passes the loader's checks.
TEST(ParamTable, EveryEmbeddedFileIsValid) {
  ASSERT_FALSE(EmbeddedParamFiles().empty());
  for (const auto& f : EmbeddedParamFiles()) {
    auto t = Params(f.name);
    EXPECT_TRUE(t.ok()) << f.name << ": " << t.status().message();
  }
  EXPECT_FALSE(Params("no/such.csv").ok());
  EXPECT_EQ(ParamsFingerprint().size(), 64u);
}

TEST(ParamTable, RiskRatioCapRuleByAgreementStart) {
  auto t = Params("mssp/benchmark_risk_ratio_cap.csv");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ((*t)->At(D(2019, 6, 30)), nullptr);
  EXPECT_EQ((*t)->At(D(2019, 7, 1))->Get("rule"), "upward_only");
  EXPECT_EQ((*t)->At(D(2023, 1, 1))->Get("points"), "0.03");
  EXPECT_EQ((*t)->At(D(2024, 1, 1))->Get("rule"), "demographic_plus_3");
  EXPECT_THAT((*t)->At(D(2019, 7, 1))->citation, HasSubstr("425.605(a)(1)"));
}

}  // namespace
}  // namespace valuepact
