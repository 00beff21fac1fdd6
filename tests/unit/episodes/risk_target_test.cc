// Risk-adjusted episode targets with CMS-HCC scores (docs/episodes.md, "Risk adjustment"): the
// scores are set by hand for each payment year, so every target is derived in the comments.
// The age and dual status cells are the golden case episodes_risk_cells.
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/episodes/episodes.h"
#include "valuepact/run/loader.h"
#include "valuepact/run/timeline_builder.h"

namespace valuepact::episodes {
namespace {

Money M(const char* s) { return ParseMoney(s)->value; }

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Loaded {
  std::unique_ptr<run::RunInputs> in;
  std::optional<run::TimelineBuild> tl;
};

// A contract of one episode (`episode`: its keys after the id) over the episode rule data
// (tests/cases/_data/episodes_rules), loaded.
Result<std::unique_ptr<run::RunInputs>> LoadEpisode(const std::string& name,
                                                    const std::string& episode) {
  const std::string dir = testing::TempDir(name);
  std::ofstream(dir + "/contract.toml") << R"([contract]
id = "risk-target-test"
period = { start = 2018-01-01, end = 2018-12-31 }
payers = ["medicare"]
services = ["medical"]
[[episode]]
window_days = 30
)" << episode << "\n";
  run::InputPaths p;
  p.contract = dir + "/contract.toml";
  p.data = testing::SourceDir() + "/tests/cases/_data/episodes_rules";
  p.allow_draft = true;
  return run::LoadRunInputs(p);
}

// DRG 291 stays with the `target` given, and the contract's Timeline.
Result<Loaded> Load(const std::string& name, const std::string& target) {
  auto in = LoadEpisode(name, "id = \"cad30\"\ntrigger = { drg = [\"291\"] }\ntarget = " + target);
  if (!in.ok()) return in.status();
  Loaded out;
  out.in = std::move(*in);
  Trace trace;
  run::TimelineInputs ti{&out.in->dataset, &out.in->program, &out.in->contract,
                         &out.in->attribution, &out.in->value_sets};
  auto tl = run::BuildTimeline(ti, &trace);
  if (!tl.ok()) return tl.status();
  out.tl = std::move(*tl);
  return out;
}

EpisodeInputs InputsOf(const Loaded& l) {
  EpisodeInputs ei;
  ei.dataset = &l.in->dataset;
  ei.contract = &l.in->contract;
  ei.timeline = &l.tl->timeline;
  return ei;
}

// Scores by payment year: 2017 for the baseline's R members, 2018 for the period's S members;
// the P and Q members are scored 0.9 in 2017 and 0.95 in 2018. The year means over the ten
// scored members: 2017 (4.4 + 6 × 0.9) ÷ 10 = 0.98; 2018 (5.5 + 6 × 0.95) ÷ 10 = 1.12.
std::vector<double> Scores(const Dataset& ds, int year) {
  std::vector<double> s(ds.member_count(), kNaN);
  std::map<std::string, double> by_year;
  if (year == 2017) {
    by_year = {{"R1", 1.0}, {"R2", 1.2}, {"R3", 0.8}, {"R4", 1.4}};
  } else {
    by_year = {{"S1", 1.1}, {"S2", 2.2}, {"S3", 0.55}, {"S5", 1.65}};
  }
  for (const char* id : {"P1", "P2", "P3", "Q1", "Q2", "Q3"}) {
    by_year[id] = year == 2017 ? 0.9 : 0.95;
  }
  for (const auto& [id, v] : by_year) s[ds.members.Find(id)] = v;
  return s;
}

std::map<std::string, Money> Targets(const Dataset& ds, const EpisodeResult& r) {
  std::map<std::string, Money> out;
  for (const auto& ep : r.episodes) {
    if (ep.target) out[std::string(ds.members.Get(ep.member))] = *ep.target;
  }
  return out;
}

TEST(EpisodeRiskTargets, CmsHccAgainstTheBaselineMeanScore) {
  auto l =
      Load("risk_target_hcc",
           R"({ baseline = { start = 2017-01-01, end = 2017-12-31 }, risk_adjust = "cms_hcc" })");
  ASSERT_TRUE(l.ok()) << l.status().message();
  const Dataset& ds = l->in->dataset;
  std::set<int> years;
  EpisodeInputs ei = InputsOf(*l);
  ei.risk_scores_for_year = [&](int year) -> Result<std::vector<double>> {
    years.insert(year);
    return Scores(ds, year);
  };
  Trace trace;
  auto r = BuildEpisodes(ei, &trace);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(years, (std::set<int>{2017, 2018}));
  // Baseline: R1–R5 total 75,000 over 5 = 15,000.00. Relative scores (÷ the 2017 mean 0.98):
  // the scored four average 1.1 ÷ 0.98 = 1.122449 (R5 has no score).
  ASSERT_EQ(r->targets.size(), 1u);
  EXPECT_EQ(r->targets[0].price, M("15000.00"));
  ASSERT_TRUE(r->targets[0].mean_risk.has_value());
  EXPECT_NEAR(*r->targets[0].mean_risk, 1.1 / 0.98, 1e-12);
  EXPECT_EQ(r->targets[0].scored_baseline, 4);
  // Each factor: (score ÷ 1.12) ÷ (1.1 ÷ 0.98) = score × 0.98 ÷ 1.232; S4 has no score.
  const auto t = Targets(ds, *r);
  EXPECT_EQ(t.at("S1"), M("13125.00"));  // 1.1 → 0.875
  EXPECT_EQ(t.at("S2"), M("26250.00"));  // 2.2 → 1.75
  EXPECT_EQ(t.at("S3"), M("6562.50"));   // 0.55 → 0.4375
  EXPECT_EQ(t.at("S4"), M("15000.00"));  // not scored: 1
  EXPECT_EQ(t.at("S5"), M("19687.50"));  // 1.65 → 1.3125
  ASSERT_EQ(r->reconciliations.size(), 1u);
  EXPECT_EQ(r->reconciliations[0].target_total, M("80625.00"));
  EXPECT_EQ(r->reconciliations[0].actual_total, M("81000.00"));
  EXPECT_EQ(r->reconciliations[0].amount, M("-375.00"));
  const TraceNode* y2018 = trace.Find("episodes.cad30.risk.2018.mean_score");
  ASSERT_NE(y2018, nullptr);
  bool noted = false;
  for (const auto& n : r->notes) {
    noted |= n.find("1 reconciled episodes have no CMS-HCC score") != std::string::npos;
  }
  EXPECT_TRUE(noted);
  EXPECT_NE(trace.Find("episodes.cad30.target.cad30.mean_risk"), nullptr);
}

TEST(EpisodeRiskTargets, CmsHccOnAGivenPriceIsRelativeToOne) {
  auto l = Load("risk_target_price", R"({ price = 10000.00, risk_adjust = "cms_hcc" })");
  ASSERT_TRUE(l.ok()) << l.status().message();
  const Dataset& ds = l->in->dataset;
  EpisodeInputs ei = InputsOf(*l);
  ei.risk_scores_for_year = [&](int year) -> Result<std::vector<double>> {
    EXPECT_EQ(year, 2018);
    return Scores(ds, year);
  };
  Trace trace;
  auto r = BuildEpisodes(ei, &trace);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto t = Targets(ds, *r);
  EXPECT_EQ(t.at("S1"), M("11000.00"));
  EXPECT_EQ(t.at("S2"), M("22000.00"));
  EXPECT_EQ(t.at("S3"), M("5500.00"));
  EXPECT_EQ(t.at("S4"), M("10000.00"));
  EXPECT_EQ(t.at("S5"), M("16500.00"));
  EXPECT_EQ(r->reconciliations[0].target_total, M("65000.00"));
}

TEST(EpisodeRiskTargets, CmsHccWithoutScoresIsAnError) {
  auto l = Load("risk_target_noscores", R"({ price = 10000.00, risk_adjust = "cms_hcc" })");
  ASSERT_TRUE(l.ok()) << l.status().message();
  EpisodeInputs ei = InputsOf(*l);
  Trace trace;
  auto r = BuildEpisodes(ei, &trace);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--refdata"), std::string::npos) << r.status().message();
}

// CMS-HCC scores a year on the diagnoses of the year before; data without claims in every month
// of that year is refused (the scores would be demographic only).
TEST(EpisodeRiskTargets, CmsHccNeedsEveryMonthOfTheDiagnosisYear) {
  auto l =
      Load("risk_target_dxyear",
           R"({ baseline = { start = 2016-01-01, end = 2016-12-31 }, risk_adjust = "cms_hcc" })");
  ASSERT_TRUE(l.ok()) << l.status().message();
  EpisodeInputs ei = InputsOf(*l);
  ei.risk_scores_for_year = [&](int year) -> Result<std::vector<double>> {
    return Scores(l->in->dataset, year);
  };
  Trace trace;
  auto r = BuildEpisodes(ei, &trace);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("on the diagnoses of 2015, but the data has no claims dated "
                                      "in 2015-01, 2015-02"),
            std::string::npos)
      << r.status().message();
}

TEST(EpisodeRiskTargets, ContractErrorsNameTheKey) {
  auto a = Load("risk_target_err1", R"({ price = 10000.00, risk_adjust = ["age"] })");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("age and dual adjust against a baseline"), std::string::npos)
      << a.status().message();
  auto b = Load("risk_target_err2", R"({ price = 10000.00, risk_adjust = "income" })");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("'income': use cms_hcc, age or dual"), std::string::npos)
      << b.status().message();
}

// Loads a contract whose one episode has `trigger`; the status of loading it.
Status LoadTrigger(const std::string& name, const std::string& trigger) {
  auto in = LoadEpisode(name, "id = \"x\"\ntrigger = " + trigger);
  return in.ok() ? Status::Ok() : in.status();
}

// A trigger.definition must be a claim line condition: a member condition is refused when the
// contract loads. trigger.claims needs the program it builds admissions for.
TEST(EpisodeTriggers, DefinitionMustBeAClaimLineCondition) {
  const Status member = LoadTrigger(
      "trigger_error_member", R"({ definition = "admissions within 12 months before >= 1" })");
  ASSERT_FALSE(member.ok());
  EXPECT_NE(member.message().find("expected a claim line condition"), std::string::npos)
      << member.message();
  EXPECT_NE(member.message().find("[[episode]] x"), std::string::npos);
  const Status claims =
      LoadTrigger("trigger_error_claims", R"({ claims = { place_of_service = ["12"] } })");
  ASSERT_FALSE(claims.ok());
  EXPECT_NE(claims.message().find("needs program = \"name\""), std::string::npos)
      << claims.message();
  EXPECT_TRUE(
      LoadTrigger("trigger_ok",
                  R"({ program = "hah", claims = { definition = "place_of_service = \"12\"" } })")
          .ok());
}

}  // namespace
}  // namespace valuepact::episodes
