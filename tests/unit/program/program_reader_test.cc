// Program data readers: good rows land in the tables, bad rows are rejected with their field.
#include "valuepact/ingest/program/program_reader.h"

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/core/file_io.h"

namespace valuepact {
namespace {

Date D(const char* s) { return *ParseDate(s); }

TEST(ProgramReader, ReadsReferralsAndRejectsBadRows) {
  Dataset ds;
  ds.members.Intern("P1");
  ProgramData p;
  IngestReport rep;
  const std::string csv =
      "person_id,referral_date,source,reason,outcome,decision_date,extra\n"
      "P1,2018-02-01,Health_Plan,heart failure,enrolled,2018-02-10,x\n"
      "P2,2018-03-01,primary_care,,,,\n"                   // pending, new person
      "P1,2018-13-01,health_plan,,declined,,\n"            // bad date
      "P1,2018-04-01,health_plan,,maybe,2018-04-02,\n"     // bad outcome
      "P1,2018-05-01,health_plan,,declined,2018-04-30,\n"  // decision before referral
      ",2018-05-01,health_plan,,declined,,\n";             // no person
  ASSERT_TRUE(LoadProgramTable("referrals", csv, "referrals.csv", &ds, &p, &rep).ok());
  ASSERT_EQ(p.referrals.size(), 2u);
  EXPECT_EQ(p.referrals.member[0], 0u);
  EXPECT_EQ(p.referrals.member[1], 1u);  // P2 interned after P1
  EXPECT_EQ(ds.members.Get(1), "P2");
  EXPECT_EQ(p.referrals.outcome[0], ReferralOutcome::kEnrolled);
  EXPECT_EQ(p.referrals.outcome[1], ReferralOutcome::kPending);
  EXPECT_EQ(p.referrals.decision_date[0], D("2018-02-10"));
  EXPECT_EQ(p.referrals.decision_date[1], kNoDate);
  EXPECT_EQ(p.text.Get(p.referrals.source_text[0]), "health_plan");  // lower-cased
  ASSERT_EQ(rep.rejects.size(), 4u);
  EXPECT_EQ(rep.rejects[0].line, 4u);
  EXPECT_EQ(rep.rejects[0].field, "referral_date");
  EXPECT_EQ(rep.rejects[1].field, "outcome");
  EXPECT_EQ(rep.rejects[1].value, "maybe");
  EXPECT_NE(rep.rejects[1].reason.find("enrolled, declined, ineligible, unable_to_reach"),
            std::string::npos);
  EXPECT_EQ(rep.rejects[2].field, "decision_date");
  EXPECT_EQ(rep.rejects[3].field, "person_id");
  EXPECT_EQ(rep.counters["referrals.rows_read"], 6u);
  EXPECT_EQ(rep.counters["referrals.rows_rejected"], 4u);
  EXPECT_EQ(ds.member_info.sex.size(), 2u);  // member table refreshed for P2
  bool noted = false;
  for (const auto& n : rep.notes) noted = noted || n.find("ignored column 'extra'") != n.npos;
  EXPECT_TRUE(noted);
}

TEST(ProgramReader, VisitRecordsNotCompletedAreBookingsNotVisits) {
  Dataset ds;
  ProgramData p;
  IngestReport rep;
  ASSERT_TRUE(LoadProgramTable("visits",
                               "person_id,date,discipline,modality,minutes,status\n"
                               "A,2018-01-05,rn,in_person,45,\n"           // blank: completed
                               "A,2018-01-06,rn,in_person,30,Completed\n"  // any case
                               "A,2018-01-07,np,video,,scheduled\n"        // no minutes needed
                               "A,2018-01-08,rn,in_person,,no_show\n"
                               "A,2018-01-09,rn,in_person,20,cancelled\n"
                               "A,2018-01-10,rn,in_person,,\n"              // completed: minutes
                               "A,2018-01-11,rn,in_person,20,postponed\n",  // unknown status
                               "visits.csv", &ds, &p, &rep)
                  .ok());
  ASSERT_EQ(p.visits.size(), 2u);
  ASSERT_EQ(p.bookings.size(), 3u);
  EXPECT_EQ(p.bookings.status[0], VisitStatus::kScheduled);
  EXPECT_EQ(p.bookings.status[1], VisitStatus::kNoShow);
  EXPECT_EQ(p.bookings.status[2], VisitStatus::kCancelled);
  EXPECT_EQ(p.bookings.date[0], D("2018-01-07"));
  ASSERT_EQ(rep.rejects.size(), 2u);
  EXPECT_EQ(rep.rejects[0].line, 7u);
  EXPECT_EQ(rep.rejects[0].field, "minutes");
  EXPECT_EQ(rep.rejects[1].field, "status");
  EXPECT_NE(rep.rejects[1].reason.find("completed, scheduled, cancelled, no_show"),
            std::string::npos);
  EXPECT_FALSE(p.empty());
}

TEST(ProgramReader, VisitsEventsEnrollments) {
  Dataset ds;
  ProgramData p;
  IngestReport rep;
  ASSERT_TRUE(LoadProgramTable("visits",
                               "person_id,date,discipline,modality,minutes,travel_minutes\n"
                               "A,2018-01-05,rn,in_person,45,20\n"
                               "A,2018-01-06,nurse,phone,10,\n"
                               "A,2018-01-07,np,video,-5,\n"
                               "A,2018-01-08,chw,phone,15,\n",
                               "visits.csv", &ds, &p, &rep)
                  .ok());
  ASSERT_EQ(p.visits.size(), 2u);
  EXPECT_EQ(p.visits.discipline[0], Discipline::kRn);
  EXPECT_EQ(p.visits.travel_minutes[0], 20);
  EXPECT_EQ(p.visits.travel_minutes[1], 0);
  EXPECT_EQ(p.visits.modality[1], Modality::kPhone);
  ASSERT_EQ(rep.rejects.size(), 2u);
  EXPECT_EQ(rep.rejects[0].field, "discipline");
  EXPECT_EQ(rep.rejects[1].field, "minutes");

  ASSERT_TRUE(LoadProgramTable("events",
                               "person_id,date,event,value,location,preferred_location\n"
                               "A,2018-02-01,symptom_score,7,home,\n"
                               "A,2018-03-01,death,,Hospital,Home\n"
                               "A,2018-03-01,funeral,,,\n"
                               "A,2018-03-01,distress_score,high,,\n",
                               "events.csv", &ds, &p, &rep)
                  .ok());
  ASSERT_EQ(p.events.size(), 2u);
  EXPECT_EQ(p.events.value[0], 7.0);
  EXPECT_TRUE(std::isnan(p.events.value[1]));
  EXPECT_EQ(p.text.Get(p.events.location_text[1]), "hospital");
  EXPECT_EQ(rep.rejects.size(), 4u);

  ASSERT_TRUE(LoadProgramTable("enrollments",
                               "person_id,start,end,setting,end_reason\n"
                               "A,2018-01-01,,home,\n"
                               "A,2018-05-01,2018-04-01,home,\n",
                               "enrollments.csv", &ds, &p, &rep)
                  .ok());
  ASSERT_EQ(p.enrollments.size(), 1u);
  EXPECT_EQ(p.enrollments.end[0], kNoDate);
  EXPECT_EQ(rep.rejects.back().field, "end");
}

TEST(ProgramReader, MissingColumnAndHostileInput) {
  Dataset ds;
  ProgramData p;
  IngestReport rep;
  Status s =
      LoadProgramTable("visits", "person_id,date,discipline,minutes\n", "v.csv", &ds, &p, &rep);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message(), "v.csv:1: missing required column 'modality'");
  s = LoadProgramTable("visits", "", "v.csv", &ds, &p, &rep);
  EXPECT_FALSE(s.ok());
  s = LoadProgramTable("visits", "person_id\xff,date\n", "v.csv", &ds, &p, &rep);
  EXPECT_FALSE(s.ok());
  // A truncated quoted field is a rejected row, not a crash.
  s = LoadProgramTable("referrals", "person_id,referral_date\nA,\"2018-01-01\nB", "r.csv", &ds, &p,
                       &rep);
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(p.referrals.size(), 0u);
  EXPECT_GE(rep.rejects.size(), 1u);
}

TEST(ProgramReader, SyntheticDataIsDeterministicAndReadsBackClean) {
  Dataset ds;
  for (int i = 0; i < 300; ++i) {
    ds.eligibility.member.push_back(ds.members.Intern("M" + std::to_string(i)));
    ds.eligibility.start.push_back(D("2017-01-01"));
    ds.eligibility.end.push_back(D("2018-12-31"));
    ds.eligibility.payer.push_back(ds.codes.Intern("medicare"));
    ds.eligibility.plan.push_back(kNoCode);
    ds.eligibility.sex.push_back('F');
    ds.eligibility.birth_date.push_back(D("1940-01-01"));
    ds.eligibility.death_date.push_back(kNoDate);
    ds.eligibility.dual_status.push_back(kNoCode);
    ds.eligibility.medicare_status.push_back(kNoCode);
    ds.eligibility.orec.push_back(kNoCode);
    ds.eligibility.source.push_back({});
  }
  ds.FinalizeMembers();
  const std::string a = testing::TempDir("a"), b = testing::TempDir("b");
  ASSERT_TRUE(WriteSyntheticProgramData(ds, 7, a).ok());
  ASSERT_TRUE(WriteSyntheticProgramData(ds, 7, b).ok());
  for (const char* f : {"referrals.csv", "enrollments.csv", "visits.csv", "events.csv"}) {
    EXPECT_EQ(*ReadWholeFile(a + "/" + f), *ReadWholeFile(b + "/" + f)) << f;
  }
  ProgramData p;
  IngestReport rep;
  ASSERT_TRUE(LoadProgramDirectory(a, RealFiles(), &ds, &p, &rep).ok());
  EXPECT_TRUE(rep.rejects.empty()) << rep.RejectsCsv();
  EXPECT_EQ(ds.member_count(), 300u);  // no new persons
  // About one in six of 300 is referred.
  EXPECT_GT(p.referrals.size(), 25u);
  EXPECT_LT(p.referrals.size(), 80u);
  EXPECT_GT(p.enrollments.size(), 0u);
  EXPECT_GT(p.visits.size(), p.enrollments.size());
}

// Program data goes through the run's file-access interface: the same tables from memory.
TEST(ProgramReader, ReadsThroughTheFileSystemInterface) {
  MemoryFileSystem files;
  files.Put("p/enrollments.csv", "person_id,start,end,setting,end_reason\nA,2018-01-10,,home,\n");
  files.Put("p/events.csv",
            "person_id,date,event,value,location,preferred_location\n"
            "A,2018-01-05,initial_assessment,,home,\n");
  files.Put("p/notes.txt", "not a table");
  Dataset ds;
  ProgramData p;
  IngestReport rep;
  ASSERT_TRUE(LoadProgramDirectory("p", files, &ds, &p, &rep).ok()) << rep.RejectsCsv();
  EXPECT_EQ(p.enrollments.size(), 1u);
  EXPECT_EQ(p.events.size(), 1u);
  EXPECT_EQ(ds.members.Find("A"), 0u);
  const Status missing = LoadProgramDirectory("q", files, &ds, &p, &rep);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace valuepact

namespace valuepact {
namespace {

TEST(ProgramReaderRows, ARowWithTooFewFieldsIsARejectWhereverItStands) {
  Dataset ds;
  ProgramData p;
  IngestReport rep;
  ASSERT_TRUE(LoadProgramTable("visits",
                               "person_id,date,discipline,modality,minutes,travel_minutes\n"
                               "A,2018-01-05,rn,in_person\n"
                               "A,2018-01-06,rn,in_person,45,0\n"
                               "A,2018-01-07,rn,in_pe",
                               "visits.csv", &ds, &p, &rep)
                  .ok());
  EXPECT_EQ(p.visits.size(), 1u);
  ASSERT_EQ(rep.rejects.size(), 2u);
  EXPECT_EQ(rep.rejects[0].line, 2u);
  EXPECT_EQ(rep.rejects[1].line, 4u);
  EXPECT_NE(rep.rejects[0].reason.find("expected 6 fields"), std::string::npos);
  EXPECT_TRUE(std::any_of(rep.notes.begin(), rep.notes.end(), [](const std::string& n) {
    return n.find("does not end with a line end") != std::string::npos;
  }));
}

}  // namespace
}  // namespace valuepact
