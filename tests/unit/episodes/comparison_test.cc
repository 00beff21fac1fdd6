// Hospital at home against the hospital (docs/episodes.md): observed and risk-adjusted figures
// by hand on a four-member dataset.
#include <cmath>
#include <fstream>
#include <limits>

#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/episodes/outputs.h"
#include "valuepact/run/loader.h"
#include "valuepact/run/timeline_builder.h"

namespace valuepact::episodes {
namespace {

Money M(const char* s) { return ParseMoney(s)->value; }

TEST(EpisodeComparison, HomeAgainstHospitalObservedAndRiskAdjusted) {
  const std::string dir = testing::TempDir("episode_comparison");
  std::ofstream(dir + "/eligibility.csv")
      << "person_id,gender,birth_date,enrollment_start_date,enrollment_end_date,payer\n"
         "H1,female,1940-01-01,2018-01-01,2018-12-31,medicare\n"
         "H2,male,1941-01-01,2018-01-01,2018-12-31,medicare\n"
         "P1,female,1942-01-01,2018-01-01,2018-12-31,medicare\n"
         "P2,male,1943-01-01,2018-01-01,2018-12-31,medicare\n";
  // H1 and H2 are treated at home: each day's physician visit is at place of service 12 (the
  // visits are part of neither the anchor nor the window: they fall inside the stay). P1 and P2
  // are in the hospital, with one inpatient visit (21) each.
  std::ofstream(dir + "/medical_claim.csv")
      << "claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,"
         "admission_date,discharge_date,bill_type_code,place_of_service_code,revenue_center_code,"
         "hcpcs_code,ms_drg_code,paid_amount,allowed_amount\n"
         "h1,1,institutional,H1,2018-03-01,2018-03-03,2018-03-01,2018-03-03,111,,0120,,291,6000.00,"
         "6000.00\n"
         "h1v,1,professional,H1,2018-03-02,2018-03-02,,,,12,,99233,,100.00,100.00\n"
         "h2,1,institutional,H2,2018-04-01,2018-04-04,2018-04-01,2018-04-04,111,,0120,,291,8000.00,"
         "8000.00\n"
         "h2v,1,professional,H2,2018-04-02,2018-04-02,,,,12,,99233,,100.00,100.00\n"
         "p1,1,institutional,P1,2018-05-01,2018-05-05,2018-05-01,2018-05-05,111,,0120,,291,12000."
         "00,12000.00\n"
         "p1v,1,professional,P1,2018-05-02,2018-05-02,,,,21,,99233,,100.00,100.00\n"
         "p2,1,institutional,P2,2018-06-01,2018-06-06,2018-06-01,2018-06-06,111,,0120,,292,16000."
         "00,16000.00\n"
         "p2v,1,professional,P2,2018-06-02,2018-06-02,,,,21,,99233,,100.00,100.00\n";
  std::ofstream(dir + "/contract.toml") << R"([contract]
id = "comparison-test"
period = { start = 2018-01-01, end = 2018-12-31 }
payers = ["medicare"]
[[episode]]
id = "hf"
trigger = { drg = ["291", "292"] }
window_days = 30
)";
  run::InputPaths p;
  p.contract = dir + "/contract.toml";
  p.data = dir;
  p.allow_draft = true;
  auto in = run::LoadRunInputs(p);
  ASSERT_TRUE(in.ok()) << in.status().message();
  const run::RunInputs& r = **in;
  Trace trace;
  run::TimelineInputs ti{&r.dataset, &r.program, &r.contract, &r.attribution, &r.value_sets};
  auto tl = run::BuildTimeline(ti, &trace);
  ASSERT_TRUE(tl.ok());
  // Risk scores: the home members 1.0, the hospital members 2.0.
  std::vector<double> scores(r.dataset.member_count(), std::numeric_limits<double>::quiet_NaN());
  for (const char* id : {"H1", "H2"}) scores[r.dataset.members.Find(id)] = 1.0;
  for (const char* id : {"P1", "P2"}) scores[r.dataset.members.Find(id)] = 2.0;
  EpisodeInputs ei;
  ei.dataset = &r.dataset;
  ei.contract = &r.contract;
  ei.timeline = &tl->timeline;
  ei.risk_scores = &scores;
  auto e = BuildEpisodes(ei, &trace);
  ASSERT_TRUE(e.ok()) << e.status().message();
  ASSERT_EQ(e->comparisons.size(), 1u);
  const SettingComparison& c = e->comparisons[0];
  // Observed: home (6,000 + 8,000) ÷ 2 = 7,000.00; hospital (12,000 + 16,000) ÷ 2 = 14,000.00.
  EXPECT_EQ(c.home.episodes, 2);
  EXPECT_EQ(c.hospital.episodes, 2);
  EXPECT_EQ(c.home.mean_total, M("7000.00"));
  EXPECT_EQ(c.hospital.mean_total, M("14000.00"));
  EXPECT_EQ(*c.difference, M("-7000.00"));
  // Pooled: 42,000 over risk 6 = 7,000 per unit of risk; pooled mean 10,500. Home expected
  // 2 × 7,000 = 14,000 = observed: O/E 1; hospital expected 4 × 7,000 = 28,000 = observed: O/E 1.
  // Both adjusted means are 10,500.00: the hospital's members were sicker, and risk explains the
  // whole difference.
  EXPECT_DOUBLE_EQ(*c.home.observed_to_expected, 1.0);
  EXPECT_DOUBLE_EQ(*c.hospital.observed_to_expected, 1.0);
  EXPECT_EQ(*c.home.adjusted_mean_total, M("10500.00"));
  EXPECT_EQ(*c.adjusted_difference, M("0.00"));
  EXPECT_DOUBLE_EQ(*c.mean_risk, 1.5);
  EXPECT_EQ(trace.Find("episodes.hf.hf.comparison.difference")->value, "-7000.00");
  EXPECT_EQ(ComparisonJson(*e)[0]["home"]["members"], 2);

  // Without scores: observed figures only.
  EpisodeInputs plain = ei;
  plain.risk_scores = nullptr;
  Trace t2;
  auto e2 = BuildEpisodes(plain, &t2);
  ASSERT_TRUE(e2.ok());
  EXPECT_FALSE(e2->comparisons[0].adjusted_difference.has_value());
  EXPECT_EQ(*e2->comparisons[0].difference, M("-7000.00"));
}

}  // namespace
}  // namespace valuepact::episodes
