// The ESRD model (2023 ESRD model, D24): members in ESRD status are scored with it.
// Expected raw scores: the new-enrollee dialysis case and the three functioning-graft cases are
// tests of the independent implementation pfehlinger/risk_adjustment_model
// (tests/test_medicare_model_esrd_v24.py @ ecfbac4: "NE dialysis F 40" 0.747, graft community
// 3.247, graft institutional 3.287, graft new enrollee 3.979); the other cases are sums of D24
// coefficients spelled out below.
#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/risk/member_profiles.h"
#include "valuepact/risk/risk_scorer.h"

namespace valuepact::risk {
namespace {

MemberInput Esrd(const char* id, int age, char sex, std::vector<std::string> dx) {
  MemberInput m;
  m.person_id = id;
  m.demo.age = age;
  m.demo.sex = sex;
  m.demo.esrd = true;
  m.dx = std::move(dx);
  return m;
}

MemberInput Graft(const char* id, int age, char sex, int months, std::vector<std::string> dx) {
  MemberInput m = Esrd(id, age, sex, std::move(dx));
  m.demo.esrd = false;  // graft_months alone puts the member in ESRD status
  m.demo.graft_months = months;
  return m;
}

Result<RiskScorer> Scorer2026() {
  static const ReferenceData refdata(testing::SharedDir() + "/refdata");
  RiskRequest req;
  req.payment_year = 2026;
  req.models = {HccVersion::kV28};  // the ESRD model maps diagnoses through V24 regardless
  return RiskScorer::Load(refdata, req);
}

// 2026 adjustment_rates.csv: functioning graft 1.104, dialysis 1.062; MA coding 0.059.
constexpr double kGraftNorm = 1.104, kDialysisNorm = 1.062, kMaCoding = 0.059;

TEST(EsrdModel, DialysisScoresReDeriveFromTheCoefficients) {
  VP_REQUIRE_SHARED();
  ReferenceData refdata(testing::SharedDir() + "/refdata");
  RiskRequest req;
  req.payment_year = 2026;
  req.models = {HccVersion::kV28};  // the ESRD model maps diagnoses through V24 regardless
  auto scorer = RiskScorer::Load(refdata, req);
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();

  std::vector<MemberInput> members;
  // F 67: DI_F65_69 0.630 + DI_HCC18 0.084 + DI_HCC85 0.063 + DI_DIABETES_CHF 0 = 0.777.
  members.push_back(Esrd("a", 67, 'F', {"E1169", "A3681"}));
  // F 40: DI_F35_44 0.630 + DI_HCC85 0.063 (no NONAGED_HCC85 factor) = 0.693.
  members.push_back(Esrd("b", 40, 'F', {"A3681"}));
  // F 70, full-benefit dual, long-term institutional: 0.624 + 0.06 + 0.02 = 0.704.
  members.push_back(Esrd("c", 70, 'F', {}));
  members.back().demo.dual = DualStatus::kFull;
  members.back().demo.institutional = true;
  // New enrollee F 40, OREC 0, not dual: DNE_ND_PBD_NORIGDIS_NEF35_44 = 0.747.
  members.push_back(Esrd("d", 40, 'F', {"A3681"}));
  members.back().demo.new_enrollee = true;
  // M 70, OREC 2: DI_M70_74 0.551 + DI_Originally_ESRD_Male 0.017 = 0.568.
  members.push_back(Esrd("e", 70, 'M', {}));
  members.back().demo.orec = 2;
  // Not in ESRD status: the CMS-HCC score, no ESRD result.
  members.push_back(Esrd("f", 70, 'M', {}));
  members.back().demo.esrd = false;

  Trace trace;
  const auto res = scorer->ScoreAll(members, &trace);
  const double expected_raw[] = {0.777, 0.693, 0.704, 0.747, 0.568};
  for (size_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(res[i].esrd.has_value()) << members[i].person_id;
    EXPECT_NEAR(res[i].esrd->score.raw_score, expected_raw[i], 1e-9) << members[i].person_id;
    // 2026: dialysis normalization 1.062, MA coding adjustment 0.059 (adjustment_rates.csv).
    ASSERT_TRUE(res[i].esrd->payment.has_value());
    EXPECT_NEAR(res[i].final_score, expected_raw[i] / 1.062 * (1 - 0.059), 1e-9);
  }
  EXPECT_EQ(res[3].esrd->score.segment, "DNE");
  EXPECT_FALSE(res[5].esrd.has_value());
  EXPECT_NE(res[5].final_score, 0.0);

  // The explanation: terms, the interaction's definition row, the final score's input.
  const TraceNode* term = trace.Find("risk.a.ESRD.term.HCC85");
  ASSERT_NE(term, nullptr);
  EXPECT_NE(term->source.find("D24"), std::string::npos) << term->source;
  const TraceNode* inter = trace.Find("risk.a.ESRD.term.DIABETES_CHF");
  ASSERT_NE(inter, nullptr);
  EXPECT_NE(inter->source.find("params/cms_hcc/interactions.csv"), std::string::npos);
  const TraceNode* score = trace.Find(RiskScorer::ScoreNodeId("a"));
  ASSERT_NE(score, nullptr);
  EXPECT_EQ(score->inputs, std::vector<std::string>{"risk.a.ESRD.payment_score"});
  const std::string csv = scorer->MemberScoresCsv(members, res);
  EXPECT_NE(csv.find("a,ESRD-D24,2026,DI,0.777,"), std::string::npos) << csv;
  // The ESRD row holds member a's final score; member f's is its V28 row.
  EXPECT_NE(csv.find("|DIABETES_CHF,yes\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nf,V28,2026,CNA,"), std::string::npos) << csv;
  const size_t f_row = csv.find("\nf,V28,");
  EXPECT_NE(csv.find(",yes\n", f_row), std::string::npos) << csv;
}

TEST(EsrdModel, GraftSegmentsMatchTheIndependentImplementation) {
  VP_REQUIRE_SHARED();
  auto scorer = Scorer2026();
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();
  std::vector<MemberInput> members;
  // Community, F 67, full-benefit dual, month 6, D66 (HCC48 for a woman): GFA_F65_69 0.402
  // + GFA_HCC48 0.240 + FGC_GE65_DUR4_9_FBD 2.605 = 3.247.
  members.push_back(Graft("gc", 67, 'F', 6, {"D66"}));
  members.back().demo.dual = DualStatus::kFull;
  // Institutional, M 70, partial-benefit dual, month 12: GI_M70_74 1.265
  // + FGI_GE65_DUR10PL_ND_PBD 0.905 + FGI_PBD_GE65_flag 0.162 + LTI_GE65 0.955 = 3.287.
  members.push_back(Graft("gi", 70, 'M', 12, {}));
  members.back().demo.dual = DualStatus::kPartial;
  members.back().demo.institutional = true;
  // New enrollee, F 67, full-benefit dual, month 6: (GNE_FBD_NORIGDIS_G_NEF67 0.996
  // + FGC_GE65_DUR4_9_FBD 2.605) / ActAdj_DUR4_9 0.905 = 3.979 (to three places).
  members.push_back(Graft("gne", 67, 'F', 6, {}));
  members.back().demo.dual = DualStatus::kFull;
  members.back().demo.new_enrollee = true;
  // Institutional, M 50, non-dual, month 12, schizophrenia and heart failure: GI_M45_54 1.148
  // + GI_HCC57 0.230 + GI_HCC85 0.169 + GI_NONAGED_HCC85 0.491 + GI_SCHIZOPHRENIA_CHF 0.119
  // + FGI_LT65_DUR10PL_ND_PBD 0.335 + LTI_LT65 2.146 = 4.638.
  members.push_back(Graft("gi50", 50, 'M', 12, {"F200", "I509"}));
  members.back().demo.institutional = true;

  Trace trace;
  const auto res = scorer->ScoreAll(members, &trace);
  const double expected_raw[] = {3.247, 3.287, 3.601 / 0.905, 4.638};
  const char* expected_segment[] = {"GFA", "GI", "GNE", "GI"};
  for (size_t i = 0; i < members.size(); ++i) {
    ASSERT_TRUE(res[i].esrd.has_value()) << members[i].person_id;
    EXPECT_EQ(res[i].esrd->score.segment, expected_segment[i]) << members[i].person_id;
    EXPECT_NEAR(res[i].esrd->score.raw_score, expected_raw[i], 1e-9) << members[i].person_id;
    EXPECT_NEAR(res[i].final_score, expected_raw[i] / kGraftNorm * (1 - kMaCoding), 1e-9);
  }
  EXPECT_NEAR(res[2].esrd->score.raw_score, 3.979, 5e-4);

  const TraceNode* dur = trace.Find("risk.gc.ESRD.term.FGC_GE65_DUR4_9_FBD");
  ASSERT_NE(dur, nullptr);
  EXPECT_NE(dur->source.find("D24"), std::string::npos) << dur->source;
  const TraceNode* raw = trace.Find("risk.gne.ESRD.raw_score");
  ASSERT_NE(raw, nullptr);
  EXPECT_NE(raw->formula.find("/ ActAdj_DUR4_9 0.905"), std::string::npos) << raw->formula;
  const TraceNode* norm = trace.Find("risk.gi.ESRD.normalized_score");
  ASSERT_NE(norm, nullptr);
  EXPECT_NE(norm->source.find("functioning graft"), std::string::npos) << norm->source;
  const TraceNode* inter = trace.Find("risk.gi50.ESRD.term.SCHIZOPHRENIA_CHF");
  ASSERT_NE(inter, nullptr);
  EXPECT_NE(inter->source.find("params/cms_hcc/interactions.csv"), std::string::npos);
  const std::string csv = scorer->MemberScoresCsv(members, res);
  EXPECT_NE(csv.find("gc,ESRD-D24,2026,GFA,3.247,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("|FGC_GE65_DUR4_9_FBD|ActAdj_DUR4_9,yes\n"), std::string::npos) << csv;
}

TEST(EsrdModel, TransplantMonthsScoreTheMonthFactorAlone) {
  VP_REQUIRE_SHARED();
  auto scorer = Scorer2026();
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();
  // Diagnoses, age, dual and new-enrollee status do not matter in months 1-3.
  std::vector<MemberInput> members;
  members.push_back(Graft("t1", 50, 'M', 1, {"A3681", "E1169"}));
  members.push_back(Graft("t2", 70, 'F', 2, {}));
  members.back().demo.dual = DualStatus::kFull;
  members.push_back(Graft("t3", 40, 'F', 3, {}));
  members.back().demo.new_enrollee = true;
  // Month 4: the functioning graft (GNPN_M45_54 0.197 + FGC_LT65_DUR4_9_ND_PBD 1.737).
  members.push_back(Graft("g4", 50, 'M', 4, {}));
  Trace trace;
  const auto res = scorer->ScoreAll(members, &trace);
  const double expected_raw[] = {5.985, 0.941, 0.941, 0.197 + 1.737};
  for (size_t i = 0; i < members.size(); ++i) {
    ASSERT_TRUE(res[i].esrd.has_value()) << members[i].person_id;
    EXPECT_NEAR(res[i].esrd->score.raw_score, expected_raw[i], 1e-9) << members[i].person_id;
    // Transplant months are normalized with the dialysis factor, the graft with its own.
    const double norm = i < 3 ? kDialysisNorm : kGraftNorm;
    EXPECT_NEAR(res[i].final_score, expected_raw[i] / norm * (1 - kMaCoding), 1e-9);
  }
  EXPECT_EQ(res[0].esrd->score.segment, "TRANSPLANT");
  ASSERT_EQ(res[0].esrd->score.terms.size(), 1u);
  EXPECT_EQ(res[0].esrd->score.terms[0].coefficient, "TRANSPLANT_KIDNEY_ONLY_1M");
  EXPECT_EQ(res[3].esrd->score.segment, "GNPN");
  const TraceNode* seg = trace.Find("risk.t1.ESRD.segment");
  ASSERT_NE(seg, nullptr);
  EXPECT_NE(seg->source.find("graft_months 1"), std::string::npos) << seg->source;
}

TEST(EsrdModel, GraftMonthsColumnIsValidatedAndScored) {
  VP_REQUIRE_SHARED();
  const std::string csv =
      "person_id,age,sex,orec,medicaid,elig,dx_codes,esrd,graft_months\n"
      "ok_inst,70,M,0,False,INS,,,12\n"
      "ok_pbd,70,M,0,False,CPA,,False,12\n"
      "ok_none,70,M,0,False,,,True,\n"
      "zero,70,M,0,False,,,,0\n"
      "neg,70,M,0,False,,,,-3\n"
      "frac,70,M,0,False,,,,2.5\n"
      "word,70,M,0,False,,,,six\n"
      "huge,70,M,0,False,,,,99999\n";
  auto r = ParseMemberProfiles(csv, "profiles.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->members.size(), 3u);
  EXPECT_EQ(r->members[0].demo.graft_months, 12);
  EXPECT_FALSE(r->members[2].demo.graft_months.has_value());
  ASSERT_EQ(r->rejects.size(), 5u);
  for (const auto& x : r->rejects) {
    EXPECT_EQ(x.field, "graft_months");
    EXPECT_NE(x.reason.find("1-1200"), std::string::npos) << x.reason;
  }
  EXPECT_EQ(r->rejects[0].line, 5u);
  EXPECT_EQ(r->rejects[0].value, "0");

  // The given segment states institutional and dual status for the ESRD model too.
  auto scorer = Scorer2026();
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();
  const auto res = scorer->ScoreAll(r->members, nullptr);
  ASSERT_TRUE(res[0].esrd.has_value());
  // GI_M70_74 1.265 + FGI_GE65_DUR10PL_ND_PBD 0.905 + LTI_GE65 0.955.
  EXPECT_EQ(res[0].esrd->score.segment, "GI");
  EXPECT_NEAR(res[0].esrd->score.raw_score, 1.265 + 0.905 + 0.955, 1e-9);
  // Partial dual (CPA), graft_months with esrd False: GNPA_M70_74 0.358
  // + FGC_GE65_DUR10PL_ND_PBD 0.905 + FGC_PBD_GE65_flag 0.162.
  ASSERT_TRUE(res[1].esrd.has_value());
  EXPECT_EQ(res[1].esrd->score.segment, "GNPA");
  EXPECT_NEAR(res[1].esrd->score.raw_score, 0.358 + 0.905 + 0.162, 1e-9);
  ASSERT_TRUE(res[2].esrd.has_value());
  EXPECT_EQ(res[2].esrd->score.segment, "DI");
}

}  // namespace
}  // namespace valuepact::risk
