// Contract parsing of methodology terms, presets, [[year]] and [[example]]; the MSR band table.
#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/contract/contract.h"
#include "valuepact/contract/methodology.h"
#include "valuepact/contract/presets.h"
#include "valuepact/refdata/msr_bands.h"

namespace valuepact {
namespace {

TEST(Presets, PresetAloneIsAValidContractWithOneSharedSavingsLayer) {
  auto k = ParseContract(
      "[contract]\nid = \"x\"\npreset = \"mssp-track-1\"\nperformance_year = 2017\n", "c.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  ASSERT_EQ(k->payments.size(), 1u);
  const auto& t = k->payments[0].shared_savings;
  EXPECT_EQ(t.msr_method, MsrMethod::kVariable);
  EXPECT_DOUBLE_EQ(t.sharing_rate, 0.5);
  EXPECT_DOUBLE_EQ(*t.savings_cap, 0.10);
  EXPECT_DOUBLE_EQ(t.sequestration, 0.02);
  EXPECT_FALSE(t.two_sided);
  EXPECT_NE(t.SourceOf("sharing_rate", "").find("425.604(d)"), std::string::npos);
}

TEST(Presets, YearRulesChangeQualityAndSequestration) {
  auto e20 = PresetTerms("mssp-enhanced", 2020);
  auto e21 = PresetTerms("mssp-enhanced", 2021);
  auto e24 = PresetTerms("mssp-enhanced", 2024);
  ASSERT_TRUE(e20.ok() && e21.ok() && e24.ok());
  EXPECT_EQ(e20->quality_method, QualityMethod::kMultiplier);
  EXPECT_EQ(e20->loss_rate_method, LossRateMethod::kOneMinusFinalSharingRate);
  EXPECT_DOUBLE_EQ(e20->sequestration, 0.0);  // suspended May 2020 - Mar 2022
  EXPECT_EQ(e21->quality_method, QualityMethod::kStandard);
  EXPECT_EQ(e21->loss_rate_method, LossRateMethod::kOneMinusQuality);
  EXPECT_EQ(e24->quality_method, QualityMethod::kSlidingScale);
  auto t2 = PresetTerms("mssp-track-2", 2016, 3);
  ASSERT_TRUE(t2.ok());
  EXPECT_DOUBLE_EQ(*t2->loss_cap, 0.10);  // third year in Track 2
  EXPECT_DOUBLE_EQ(*t2->loss_rate_ceiling, 0.60);
  auto be = PresetTerms("mssp-basic-e", 2024);
  ASSERT_TRUE(be.ok());
  EXPECT_EQ(be->loss_limit_form, LossLimitForm::kLower);
  EXPECT_DOUBLE_EQ(*be->loss_cap_revenue, 0.08);
  EXPECT_DOUBLE_EQ(*be->loss_cap, 0.04);
  EXPECT_TRUE(be->low_revenue_half_rate);
  EXPECT_FALSE(PresetTerms("mssp-basic-e", 2018).ok());  // BASIC starts in 2019
}

TEST(Presets, MisspeltPresetSuggestsTheNearestAndKeysOverride) {
  auto bad = ParseContract(
      "[contract]\nid = \"x\"\npreset = \"mssp-track1\"\nperformance_year = 2017\n", "c.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("c.toml:3:10: contract.preset"), std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("did you mean 'mssp-track-1'"), std::string::npos);
  auto k = ParseContract(
      "[contract]\nid = \"x\"\npreset = \"mssp-track-3\"\nperformance_year = 2018\n"
      "[methodology]\nelected_msr = 0.01\nsharing_rate = 0.7\n",
      "c.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  const auto& t = k->payments[0].shared_savings;
  EXPECT_DOUBLE_EQ(t.sharing_rate, 0.7);
  EXPECT_EQ(t.SourceOf("sharing_rate", ""), "[methodology].sharing_rate");
  EXPECT_DOUBLE_EQ(*t.elected_msr, 0.01);
}

TEST(Methodology, ErrorsArePositionedAndSuggestKeys) {
  auto k = ParseContract(
      "[contract]\nid = \"x\"\npreset = \"mssp-basic-c\"\nperformance_year = 2022\n"
      "[methodology]\nelected_msr = 0.03\nloss_limt = \"lower\"\n",
      "c.toml");
  ASSERT_FALSE(k.ok());
  const std::string m = k.status().message();
  EXPECT_NE(m.find("c.toml:6:15: methodology.elected_msr: 0.03 is not an MSR election"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("methodology.loss_limt: unknown key (did you mean 'loss_limit'?)"),
            std::string::npos)
      << m;
}

TEST(Methodology, GlidePathYearsAndSetOverrides) {
  const char* text =
      "[contract]\nid = \"x\"\nperiod = { start = 2025-01-01, end = 2025-12-31 }\n"
      "contract_year = 2\n[benchmark]\nmethod = \"target_pmpm\"\ntarget_pmpm = 100\n"
      "[[payment]]\nid = \"s\"\nkind = \"shared_savings\"\nsharing_rate = 0.5\n"
      "loss_sharing_rate = 0.3\n"
      "[[year]]\nyear = 1\ntwo_sided = false\n"
      "[[year]]\nyear = 2\nloss_sharing_rate = 0.4\n";
  auto k = ParseContract(text, "c.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  // The contract's own year (2) applies at parse time.
  EXPECT_TRUE(k->payments[0].shared_savings.two_sided);
  EXPECT_DOUBLE_EQ(*k->payments[0].shared_savings.loss_sharing_rate, 0.4);
  ResolveOptions y1;
  y1.contract_year = 1;
  auto t1 = ResolveSharedSavingsTerms(*k, "s", y1);
  ASSERT_TRUE(t1.ok());
  EXPECT_FALSE(t1->two_sided);
  ResolveOptions set;
  set.set = {{"sharing_rate", "0.6"}, {"elected_msr", "variable"}};
  auto ts = ResolveSharedSavingsTerms(*k, "s", set);
  ASSERT_TRUE(ts.ok()) << ts.status().message();
  EXPECT_DOUBLE_EQ(ts->sharing_rate, 0.6);
  EXPECT_TRUE(ts->elected_variable);
  EXPECT_EQ(ts->SourceOf("sharing_rate", ""), "--set.sharing_rate");
  set.set = {{"no_such_term", "1"}};
  EXPECT_FALSE(ResolveSharedSavingsTerms(*k, "s", set).ok());
}

TEST(Methodology, CorridorBandsMustBeContiguousFromZero) {
  auto k = ParseContract(
      "[contract]\nid = \"x\"\nperiod = { start = 2025-01-01, end = 2025-12-31 }\n"
      "[benchmark]\nmethod = \"target_pmpm\"\ntarget_pmpm = 100\n"
      "[[payment]]\nid = \"s\"\nkind = \"shared_savings\"\n"
      "corridor = [{ from = 0.0, to = 0.03, provider_share = 0.0 },\n"
      "            { from = 0.04, provider_share = 0.5 }]\n",
      "c.toml");
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.status().message().find("bands must be contiguous"), std::string::npos)
      << k.status().message();
}

TEST(Examples, ExampleBlocksAreParsedWithTheirLines) {
  auto k = ParseContract(
      "[contract]\nid = \"x\"\npreset = \"mssp-track-1\"\nperformance_year = 2016\n"
      "[[example]]\nname = \"a\"\n[example.inputs]\nbenchmark_total = 100.00\n"
      "expenditure_totl = 90\n[example.expected]\nearned_savings_losses = 1.00\n",
      "c.toml");
  ASSERT_FALSE(k.ok());
  EXPECT_NE(
      k.status().message().find("example[1].inputs.expenditure_totl: unknown key (did you mean "
                                "'expenditure_total'?)"),
      std::string::npos)
      << k.status().message();
}

TEST(MsrBands, InterpolatesInsideABandWithTheHMinusLDenominator) {
  const char* csv =
      "ASSIGNED_BENEFICIARIES_LOW,ASSIGNED_BENEFICIARIES_HIGH,MSR_AT_LOW,MSR_AT_HIGH\n"
      ",499,0.122,0.122\n500,999,0.122,0.087\n50000,59999,0.022,0.020\n";
  // 500-999 then 50000: not contiguous.
  EXPECT_FALSE(MsrBandTable::Parse(csv, "b.csv").ok());
  auto t = MsrBandTable::Parse(
      "ASSIGNED_BENEFICIARIES_LOW,ASSIGNED_BENEFICIARIES_HIGH,MSR_AT_LOW,MSR_AT_HIGH\n"
      "50000,59999,0.022,0.020\n60000,,0.020,0.020\n",
      "b.csv");
  ASSERT_TRUE(t.ok()) << t.status().message();
  // mssp-parameters.md §2.1: n = 51,150 gives 2.176998% (PUF 0.021769977).
  auto r = t->Rate(51150);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->rate, 0.022 - 0.002 * 1150.0 / 9999.0, 1e-15);
  EXPECT_NEAR(r->rate, 0.021769977, 5e-10);
  EXPECT_NE(r->source.find("b.csv:2"), std::string::npos);
  EXPECT_DOUBLE_EQ(t->Rate(59999)->rate, 0.020);
  EXPECT_DOUBLE_EQ(t->Rate(250000)->rate, 0.020);
  EXPECT_FALSE(t->Rate(100).ok());
}

TEST(MsrBands, TheSharedTableCoversFrom0) {
  VP_REQUIRE_SHARED();
  auto t = MsrBandTable::Load(MsrBandTable::PathIn(testing::SharedDir() + "/refdata"));
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_DOUBLE_EQ(t->Rate(5000)->rate, 0.039);
  EXPECT_NEAR(t->Rate(605)->rate, 0.122 - 0.035 * 105.0 / 499.0, 1e-15);
}

}  // namespace
}  // namespace valuepact

namespace valuepact {
namespace {

// Every preset resolves, in every year it covers, from params/mssp/track_terms.csv, and every
// term it sets cites its parameter row.
TEST(Presets, EveryPresetResolvesFromTheParameterFileWithCitations) {
  ASSERT_EQ(Presets().size(), 10u);
  for (const auto& p : Presets()) {
    for (int py = p.first_year; py <= p.last_year; ++py) {
      for (int track_year = 0; track_year <= 3; ++track_year) {
        auto t = PresetTerms(p.name, py, track_year);
        ASSERT_TRUE(t.ok()) << p.name << " " << py << ": " << t.status().message();
        EXPECT_GT(t->sharing_rate, 0.0) << p.name;
        for (const char* term : {"sharing_rate", "savings_cap", "minimum_savings_rate",
                                 "quality_method", "sequestration"}) {
          EXPECT_NE(t->SourceOf(term, "").find("params/mssp/track_terms.csv line "),
                    std::string::npos)
              << p.name << " " << py << " " << term << ": " << t->SourceOf(term, "");
        }
        if (t->two_sided) {
          EXPECT_NE(t->SourceOf("loss_cap", "").find("params/mssp/track_terms.csv line "),
                    std::string::npos)
              << p.name << " " << py;
        }
      }
    }
    EXPECT_FALSE(PresetTerms(p.name, p.first_year - 1).ok()) << p.name;
  }
  // Track 2 without its year in the track: the first year's limit, and the source says so.
  auto t2 = PresetTerms("mssp-track-2", 2016, 0);
  ASSERT_TRUE(t2.ok());
  EXPECT_DOUBLE_EQ(*t2->loss_cap, 0.05);
  EXPECT_NE(t2->SourceOf("loss_cap", "").find("first year assumed"), std::string::npos);
}

}  // namespace
}  // namespace valuepact
