// The ESRD dialysis model (2023 ESRD model, D24): members in ESRD status are scored with it.
// Expected raw scores: the new-enrollee case is a test of the independent implementation
// pfehlinger/risk_adjustment_model (tests/test_medicare_model_esrd_v24.py @ ecfbac4, "NE dialysis
// F 40": 0.747); the continuing-enrollee cases are that implementation's output for the inputs
// of its category tests, each a sum of D24 coefficients spelled out below.
#include <gtest/gtest.h>

#include "test_paths.h"
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

}  // namespace
}  // namespace valuepact::risk
