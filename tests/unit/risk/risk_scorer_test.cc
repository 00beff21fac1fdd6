// Table loading errors, explanations that re-derive the score, blends and risk ratios.
#include "valuepact/risk/risk_scorer.h"

#include <cmath>
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "oracle_support.h"
#include "test_paths.h"
#include "valuepact/risk/member_profiles.h"
#include "valuepact/risk/risk_ratio.h"

namespace valuepact::risk {
namespace {

namespace fs = std::filesystem;
using valuepact::testing::SharedDir;

std::string Refdata() { return SharedDir() + "/refdata"; }

TEST(CmsHccTables, MissingTableNamesFileAndModel) {
  VP_REQUIRE_SHARED();
  // A reference folder with every table but the hierarchies (links, nothing is copied).
  const std::string dir = valuepact::testing::TempDir("refdata");
  fs::create_directories(dir + "/cms-hcc");
  for (const auto& e : fs::directory_iterator(Refdata() + "/cms-hcc")) {
    const std::string n = e.path().filename().string();
    if (n.rfind("ra_hierarchies_", 0) == 0) continue;
    fs::create_symlink(e.path(), dir + "/cms-hcc/" + n);
  }
  auto t = LoadCmsHccModelTables(dir, HccVersion::kV28, 2026);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("ra_hierarchies_"), std::string::npos)
      << t.status().message();
  EXPECT_NE(t.status().message().find("CMS-HCC V28"), std::string::npos) << t.status().message();
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound);
}

TEST(CmsHccTables, SubstitutedYearsAndMergedHierarchiesAreRecorded) {
  VP_REQUIRE_SHARED();
  auto t = LoadCmsHccModelTables(Refdata(), HccVersion::kV28, 2019);
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_FALSE(t->sources.empty());
  EXPECT_NE(t->sources.front().note.find("nearest year"), std::string::npos);
  // V28's hierarchy is CMS table V28115H1: HCC221 (heart transplant) outranks HCC222-227.
  EXPECT_EQ(t->hierarchy_table, "V28115H1");
  EXPECT_NE(std::find(t->hierarchy.begin(), t->hierarchy.end(), std::make_pair(221, 226)),
            t->hierarchy.end());
}

TEST(CmsHccTables, VersionsParse) {
  EXPECT_EQ(*ParseHccVersion("V24"), HccVersion::kV24);
  EXPECT_EQ(*ParseHccVersion("28"), HccVersion::kV28);
  EXPECT_EQ(*ParseHccVersion("CMS-HCC V22"), HccVersion::kV22);
  EXPECT_FALSE(ParseHccVersion("V99").ok());
}

// The trace alone re-derives the score: the terms sum to the raw score, which divided by the
// normalization factor and scaled by the MA coding adjustment gives the payment score.
TEST(RiskScorer, ExplanationReDerivesTheScore) {
  VP_REQUIRE_SHARED();
  RiskRequest req;
  req.payment_year = 2026;
  req.models = {HccVersion::kV28};
  auto scorer = RiskScorer::Load(ReferenceData(Refdata()), req);
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();
  MemberInput m;
  m.person_id = "p1";
  m.demo.age = 72;
  m.demo.sex = 'M';
  // I50.23 (acute on chronic systolic HF) outranks I50.9; E11.69 diabetes; D66 edited; a bad
  // code and an unmapped code are counted, never fatal.
  m.dx = {"I50.23", "I509", "E11.69", "D66", "XYZ", "Z0000"};
  Trace trace;
  RiskRunSummary sum;
  auto res = scorer->ScoreAll({m}, &trace, {}, &sum);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(sum.dx_malformed, 1u);
  EXPECT_EQ(sum.dx_unmapped, 1u);
  EXPECT_EQ(sum.dx_edited, 0u);  // D66 in a male keeps its CC

  const TraceNode* raw = trace.Find("risk.p1.V28.raw_score");
  ASSERT_NE(raw, nullptr);
  double total = 0;
  int terms = 0;
  for (const auto& in : raw->inputs) {
    const TraceNode* n = trace.Find(in);
    ASSERT_NE(n, nullptr) << in;
    total += std::stod(n->value);
    terms += in.find(".term.") != std::string::npos;
  }
  EXPECT_GE(terms, 4);  // demographic cell, HCCs, interaction, count
  EXPECT_NEAR(total, std::stod(raw->value), 1e-9);
  EXPECT_NEAR(res[0].models[0].score.raw_score, std::stod(raw->value), 1e-9);

  // The hierarchy drop is explained with the CC that outranks it.
  bool dropped = false;
  for (const auto& n : trace.nodes()) {
    if (n.id.find(".dropped.") != std::string::npos) {
      dropped = true;
      EXPECT_NE(n.formula.find("outranked by"), std::string::npos);
    }
  }
  EXPECT_TRUE(dropped);
  // The heart failure × diabetes interaction cites the params row that defines it.
  bool interaction = false;
  for (const auto& n : trace.nodes()) {
    if (n.id.find(".term.DIABETES_HF_V28") != std::string::npos) {
      interaction = true;
      EXPECT_NE(n.source.find("params/cms_hcc/interactions.csv line"), std::string::npos)
          << n.source;
    }
  }
  EXPECT_TRUE(interaction);
  ASSERT_NE(trace.Find("risk.p1.V28.dx.XYZ"), nullptr);
  EXPECT_EQ(trace.Find("risk.p1.V28.dx.XYZ")->value, "invalid");

  // Normalization and MA coding adjustment from adjustment_rates.csv (V28, 2026).
  auto rates = LoadCmsHccAdjustmentRates(Refdata());
  ASSERT_TRUE(rates.ok());
  auto adj = FindAdjustment(*rates, HccVersion::kV28, 2026);
  ASSERT_TRUE(adj.ok()) << adj.status().message();
  const double raw_v = std::stod(raw->value);
  const TraceNode* pay = trace.Find("risk.p1.V28.payment_score");
  ASSERT_NE(pay, nullptr);
  EXPECT_NEAR(std::stod(pay->value),
              raw_v / adj->normalization_factor * (1 - adj->ma_coding_adjustment), 1e-9);
  EXPECT_NE(trace.Explain(RiskScorer::ScoreNodeId("p1")).find("normalization factor"),
            std::string::npos);
}

TEST(RiskScorer, BlendUsesThePaymentYearWeights) {
  VP_REQUIRE_SHARED();
  RiskRequest req;
  req.payment_year = 2025;
  req.blend = true;
  auto scorer = RiskScorer::Load(ReferenceData(Refdata()), req);
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();
  ASSERT_EQ(scorer->models().size(), 2u);
  MemberInput m;
  m.person_id = "b";
  m.demo.age = 80;
  m.dx = {"E1169", "I5030", "N1830"};
  const auto r = scorer->ScoreAll({m}, nullptr);
  auto rates = LoadCmsHccAdjustmentRates(Refdata());
  ASSERT_TRUE(rates.ok());
  auto plan = PlanBlend(*rates, 2025);
  ASSERT_TRUE(plan.ok());
  double want = 0;
  for (size_t k = 0; k < 2; ++k) {
    want += plan->parts[k].blend_weight * r[0].models[k].score.raw_score /
            plan->parts[k].normalization_factor;
  }
  want *= 1 - plan->ma_coding_adjustment;
  EXPECT_NEAR(*r[0].blend_payment, want, 1e-12);
  EXPECT_NEAR(r[0].final_score, want, 1e-12);
}

TEST(RiskScorer, MissingRatesLeaveAdjustedScoresEmptyWithANote) {
  VP_REQUIRE_SHARED();
  RiskRequest req;
  req.payment_year = 2019;
  req.models = {HccVersion::kV24};
  auto scorer = RiskScorer::Load(ReferenceData(Refdata()), req);
  ASSERT_TRUE(scorer.ok());
  bool noted = false;
  for (const auto& n : scorer->notes())
    noted = noted || n.find("payment year 2019") != std::string::npos;
  EXPECT_TRUE(noted);
  MemberInput m;
  m.person_id = "x";
  m.demo.age = 70;
  const auto r = scorer->ScoreAll({m}, nullptr);
  EXPECT_FALSE(r[0].models[0].payment.has_value());
  const std::string csv = scorer->MemberScoresCsv({m}, r);
  EXPECT_NE(csv.find("x,V24,2019,CNA,"), std::string::npos) << csv;
}

TEST(RiskScorer, ResultsDoNotDependOnOrderOrThreads) {
  VP_REQUIRE_SHARED();
  RiskRequest req;
  req.payment_year = 2026;
  req.models = {HccVersion::kV28};
  auto scorer = RiskScorer::Load(ReferenceData(Refdata()), req);
  ASSERT_TRUE(scorer.ok());
  std::vector<MemberInput> ms;
  for (int i = 0; i < 2000; ++i) {
    MemberInput m;
    m.person_id = std::to_string(i);
    m.demo.age = 60 + i % 35;
    m.demo.sex = i % 2 ? 'M' : 'F';
    m.dx = {i % 3 ? "E1169" : "I509", i % 5 ? "N184" : "J449", "F329"};
    ms.push_back(m);
  }
  Trace t1, t2;
  const auto a = scorer->ScoreAll(ms, &t1);
  const auto b = scorer->ScoreAll(ms, &t2);
  EXPECT_EQ(scorer->MemberScoresCsv(ms, a), scorer->MemberScoresCsv(ms, b));
  EXPECT_EQ(t1.ToJson().dump(), t2.ToJson().dump());
}

TEST(MemberProfiles, RejectsBadRowsAndKeepsGoodOnes) {
  const std::string csv =
      "person_id,age,sex,orec,medicaid,elig,dx_codes,extra\n"
      "1,70,M,0,False,,E1169|I509,x\n"
      "2,abc,F,0,False,,,x\n"
      "3,70,X,0,False,,,x\n"
      "4,64,M,0,True,INS,A021,x\n"
      "5,70,F,7,False,,,x\n"
      "6,70,F,0,False,ZZZ,,x\n";
  auto r = ParseMemberProfiles(csv, "profiles.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->members.size(), 2u);
  EXPECT_EQ(r->members[1].demo.segment_override, Segment::kINS);
  EXPECT_EQ(r->members[0].dx, (std::vector<std::string>{"E1169", "I509"}));
  ASSERT_EQ(r->rejects.size(), 4u);
  EXPECT_EQ(r->rejects[0].line, 3u);
  EXPECT_EQ(r->rejects[0].field, "age");
  EXPECT_EQ(r->ignored_columns, (std::vector<std::string>{"extra"}));
  auto missing = ParseMemberProfiles("person_id,sex\n1,M\n", "p.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("age"), std::string::npos);
}

TEST(RiskRatio, CapsAndTraces) {
  Trace t;
  RiskRatioTrace names;
  names.source = "contract [benchmark] risk_adjustment";
  auto r = ComputeRiskRatio(1.10, 1.00, 0.03, RiskCapRule::kSymmetric, &t, names);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->uncapped, 1.10, 1e-12);
  EXPECT_NEAR(r->ratio, 1.03, 1e-12);
  EXPECT_TRUE(r->capped);
  ASSERT_NE(t.Find("benchmark.risk_ratio"), nullptr);
  EXPECT_EQ(t.Find("benchmark.risk_ratio")->value, "1.03");
  r = ComputeRiskRatio(0.98, 1.00, 0.03, RiskCapRule::kSymmetric);
  EXPECT_NEAR(r->ratio, 0.98, 1e-12);
  EXPECT_FALSE(r->capped);
  r = ComputeRiskRatio(0.5, 1.00, 0.03, RiskCapRule::kSymmetric);
  EXPECT_NEAR(r->ratio, 0.97, 1e-12);
  r = ComputeRiskRatio(1.2, 1.0, std::nullopt, RiskCapRule::kSymmetric);
  EXPECT_NEAR(r->ratio, 1.2, 1e-12);
  EXPECT_FALSE(ComputeRiskRatio(1.0, 0.0, 0.03, RiskCapRule::kSymmetric).ok());
  EXPECT_FALSE(ComputeRiskRatio(1.0, 1.0, -0.1, RiskCapRule::kSymmetric).ok());
  // CMS's rule for agreement periods from July 2019 caps the rise only.
  r = ComputeRiskRatio(0.5, 1.00, 0.03, RiskCapRule::kUpwardOnly);
  EXPECT_NEAR(r->ratio, 0.5, 1e-12);
  EXPECT_FALSE(r->capped);
  r = ComputeRiskRatio(1.2, 1.00, 0.03, RiskCapRule::kUpwardOnly);
  EXPECT_NEAR(r->ratio, 1.03, 1e-12);
  EXPECT_TRUE(r->capped);
  auto mean = MeanRiskScore({1.0, 2.0}, {1, 3});
  ASSERT_TRUE(mean.ok());
  EXPECT_NEAR(*mean, 1.75, 1e-12);
}

}  // namespace
}  // namespace valuepact::risk
