// The partnership record (docs/partnership.md): the example folder's findings derived by hand,
// every problem of a broken record reported with its file, line and field, and a payer mix.
#include "valuepact/partnership/partnership.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/ingest/load_data.h"

namespace valuepact::partnership {
namespace {
namespace fs = std::filesystem;

Date D(int y, unsigned m, unsigned d) { return Date::FromCivil(y, m, d); }

TEST(Partnership, TheExampleHasOneGapOneOverlapAndAnOverdueAction) {
  auto p = LoadPartnership(testing::SourceDir() + "/examples/partnership");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->parties.size(), 2u);
  const Review r = ReviewPartnership(*p, D(2018, 10, 1));
  EXPECT_EQ(r.activities.size(), 11u);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].activity, "case management");
  EXPECT_EQ(r.findings[0].problem, "overlap");
  EXPECT_EQ(r.findings[0].responsible, (std::vector<std::string>{"palliative", "plan"}));
  EXPECT_EQ(r.findings[1].activity, "discharge follow-up");
  EXPECT_EQ(r.findings[1].problem, "gap");
  // Readiness, Σ weight × score ÷ Σ weight: the provider (3×4 + 2×2 + 2×3 + 2×3 + 1×4) ÷ 10 =
  // 3.2, developing; the plan (3×4 + 2×3 + 1×5) ÷ 6 = 3.833, ready.
  ASSERT_EQ(r.readiness.size(), 2u);
  EXPECT_DOUBLE_EQ(r.readiness[0].score, 3.2);
  EXPECT_EQ(r.readiness[0].rating, "developing");
  EXPECT_EQ(r.readiness[0].weakest[0]->competency, "data and reporting");
  EXPECT_NEAR(r.readiness[1].score, 23.0 / 6.0, 1e-12);
  EXPECT_EQ(r.readiness[1].rating, "ready");
  // The last meeting, 2018-06-11: a month later falls after the six monthly months (to
  // 2018-07-01), so the next is due a quarter later, 2018-09-11 — overdue on 2018-10-01.
  EXPECT_EQ(*r.last_meeting, D(2018, 6, 11));
  EXPECT_EQ(r.next_meeting_due, D(2018, 9, 11));
  EXPECT_TRUE(r.meeting_overdue);
  ASSERT_EQ(r.open.size(), 2u);  // A3, A5
  ASSERT_EQ(r.overdue.size(), 1u);
  EXPECT_EQ(r.overdue[0]->id, "A3");
  EXPECT_EQ(p->versions.size(), 2u);
  EXPECT_EQ(p->triggers[0].trigger, "low_enrollment");
  // Earlier, in the monthly months, the next meeting is a month after the last.
  const Review early = ReviewPartnership(*p, D(2018, 3, 1));
  EXPECT_EQ(early.next_meeting_due, D(2018, 3, 12));
  EXPECT_FALSE(early.meeting_overdue);
}

// The record read from memory (as the fuzz target reads it) gives the same review as from its
// folder, and partnership.json carries the whole matrix and the action items.
TEST(Partnership, ReadsTheSameRecordFromAnyFileSystem) {
  const std::string dir = testing::SourceDir() + "/examples/partnership";
  MemoryFileSystem files;
  for (const char* name : kRecordFiles) {
    std::ifstream in(dir + "/" + name);
    files.Put(std::string("mem/") + name, std::string(std::istreambuf_iterator<char>(in), {}));
  }
  auto a = LoadPartnership(dir);
  auto b = LoadPartnership("mem", files);
  ASSERT_TRUE(a.ok() && b.ok()) << b.status().message();
  const auto ja = ReviewJson(*a, ReviewPartnership(*a, D(2018, 10, 1)));
  const auto jb = ReviewJson(*b, ReviewPartnership(*b, D(2018, 10, 1)));
  EXPECT_EQ(ja.dump(), jb.dump());
  ASSERT_EQ(ja["matrix"].size(), 11u);
  EXPECT_EQ(ja["matrix"][2]["activity"], "case management");
  EXPECT_NE(ja["matrix"][2]["roles"]["plan"].get<std::string>().find('R'), std::string::npos);
  EXPECT_EQ(ja["actions"]["list"].size(), a->actions.size());
  EXPECT_FALSE(LoadPartnership("nowhere", files).ok());
}

TEST(Partnership, EveryProblemIsReportedWithFileLineAndField) {
  const std::string dir = testing::TempDir("partnership_bad");
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir + "/partnership.toml") << R"([partnership]
id = "p"
start = 2018-01-01
[[party]]
id = "plan"
kind = "payer"
[[party]]
id = "clinic"
kind = "hospital"
)";
  std::ofstream(dir + "/responsibilities.csv") << "activity,party,role\n"
                                                  "care management,clinic,R\n"
                                                  "reporting,plann,X\n";
  std::ofstream(dir + "/readiness.csv") << "partner,competency,weight,score,colour\n"
                                           "clinic,data,2,7,red\n";
  std::ofstream(dir + "/actions.csv") << "id,description,owner,due,status\n"
                                         "A1,do it,plan,2018-13-01,later\n";
  auto p = LoadPartnership(dir);
  ASSERT_FALSE(p.ok());
  const std::string m = p.status().message();
  for (const char* expected :
       {"partnership.toml:9:", "kind", "'hospital'",
        "responsibilities.csv:3: field 'party': 'plann' is not a [[party]] id (plan, clinic)",
        "responsibilities.csv:3: field 'role': 'X': use R, A, C or I",
        "readiness.csv:1: field 'colour': unknown column",
        "readiness.csv:2: field 'score': '7': expected a number from 1 to 5",
        "actions.csv:2: field 'status': 'later': use open, done or dropped",
        "actions.csv:2: field 'due': '2018-13-01' is not a date"}) {
    EXPECT_NE(m.find(expected), std::string::npos) << expected << "\n" << m;
  }
}

TEST(Partnership, PayerMixRanksPayersByMembersThenSpend) {
  const std::string dir = testing::TempDir("payer_mix");
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir + "/eligibility.csv")
      << "person_id,gender,birth_date,enrollment_start_date,enrollment_end_date,payer\n"
         "A,female,1940-01-01,2018-01-01,2018-06-30,medicare\n"
         "A,female,1940-01-01,2018-07-01,2018-12-31,aetna\n"
         "B,male,1950-01-01,2018-01-01,2018-12-31,medicare\n"
         "C,male,1960-01-01,2018-01-01,2018-12-31,aetna\n"
         "D,male,1970-01-01,2018-01-01,2018-12-31,bcbs\n";
  // A's March claim is Medicare's, A's August claim Aetna's.
  std::ofstream(dir + "/medical_claim.csv")
      << "claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,"
         "paid_amount,allowed_amount\n"
         "1,1,professional,A,2018-03-01,2018-03-01,100.00,100.00\n"
         "2,1,professional,A,2018-08-01,2018-08-01,250.00,250.00\n"
         "3,1,professional,B,2018-05-01,2018-05-01,50.00,50.00\n"
         "4,1,professional,C,2018-05-01,2018-05-01,10.00,10.00\n"
         "5,1,professional,D,2018-05-01,2018-05-01,900.00,900.00\n";
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadDataDirectory(dir, DataFormat::kAuto, LoadOptions{}, &ds, &report).ok());
  const auto mix = PayerMix(ds);
  ASSERT_EQ(mix.size(), 3u);
  // aetna and medicare have two members each; aetna's 260.00 beats medicare's 150.00.
  EXPECT_EQ(mix[0].payer, "aetna");
  EXPECT_EQ(mix[0].members, 2);
  EXPECT_EQ(mix[0].paid.ToString(), "260.00");
  EXPECT_EQ(mix[1].payer, "medicare");
  EXPECT_EQ(mix[1].paid.ToString(), "150.00");
  EXPECT_EQ(mix[2].payer, "bcbs");
  EXPECT_DOUBLE_EQ(mix[2].member_share, 0.2);
  EXPECT_DOUBLE_EQ(mix[2].paid_share, 900.0 / 1310.0);
}

TEST(Partnership, CheckCommandExitsOneOnFindingsWhenStrict) {
  std::string log;
  const std::string cmd =
      fmt::format("{} partnership check {}/examples/partnership --as-of 2018-10-01",
                  testing::CliPath(), testing::SourceDir());
  EXPECT_EQ(testing::RunCommand(cmd, &log), 0) << log;
  EXPECT_NE(log.find("1 gap, 1 overlap, 1 overdue action, a meeting overdue"), std::string::npos)
      << log;
  EXPECT_EQ(testing::RunCommand(cmd + " --strict", &log), 1) << log;
  EXPECT_EQ(testing::RunCommand(fmt::format("{} partnership check {}/nowhere", testing::CliPath(),
                                            testing::TempDir("none")),
                                &log),
            2)
      << log;
}

}  // namespace
}  // namespace valuepact::partnership
