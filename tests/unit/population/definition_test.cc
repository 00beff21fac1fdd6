// Definition language: hand-made members whose expected values are derived in the comments.
#include "valuepact/population/definition.h"

// LineSpec literals name only the fields each test row needs.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "dataset_builder.h"

namespace valuepact::population {
namespace {

using testing::D;
using testing::DatasetBuilder;
using testing::LineSpec;

ValueSetLibrary Sets() {
  ValueSetLibrary lib;
  Status s = lib.LoadCsv(
      "value_set,code_system,code,description\n"
      "heart_failure,icd-10-cm,I50*,Heart failure\n"
      "heart_failure,icd-10-cm,I11.0,Hypertensive heart disease with heart failure\n"
      "copd,icd-10-cm,J44*,COPD\n"
      "dialysis,hcpcs,90935,Hemodialysis\n",
      "sets.csv");
  EXPECT_TRUE(s.ok()) << s.message();
  return lib;
}

// Index date 2018-01-01, so "within 12 months before" is 2017-01-01 .. 2017-12-31.
class DefinitionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A: female, 77 at the index date; enrolled all of 2017-2018; heart failure on the first
    // day of the 12-month window and one day before it.
    b.Span("A", "2017-01-01", "2018-12-31", 'F', "1940-06-15");
    b.Line({.claim = "a1", .person = "A", .start = "2017-01-01", .dx = {"I509"}, .paid = 100});
    b.Line(
        {.claim = "a2", .person = "A", .start = "2016-12-31", .dx = {"R05", "I5022"}, .paid = 50});
    // B: male, turns 65 on the index date; enrolled from February 2017 (misses January);
    // hypertensive heart disease with heart failure on the last day of the window and on the
    // index date itself.
    b.Span("B", "2017-02-01", "2018-12-31", 'M', "1953-01-01");
    b.Line({.claim = "b1", .person = "B", .start = "2017-12-31", .dx = {"I110"}, .paid = 10});
    b.Line({.claim = "b2", .person = "B", .start = "2018-01-01", .dx = {"I110"}, .paid = 20});
    // C: 57; COPD; two admissions (4 days, and a same-day stay counted as 1); ED visits on two
    // days, one of them billed by both the hospital and the physician; secondary hypertension
    // I15.0, which the prefix I50* must not match.
    b.Span("C", "2016-01-01", "2018-12-31", 'F', "1960-03-01");
    b.Line({.claim = "c1",
            .person = "C",
            .type = ClaimType::kInstitutional,
            .category = ServiceCategory::kAcuteInpatient,
            .start = "2017-03-01",
            .end = "2017-03-05",
            .dx = {"J441", "I150"},
            .paid = 10000,
            .admission = "2017-03-01",
            .discharge = "2017-03-05"});
    b.Line({.claim = "c1",
            .line = 2,
            .person = "C",
            .type = ClaimType::kInstitutional,
            .category = ServiceCategory::kAcuteInpatient,
            .start = "2017-03-01",
            .end = "2017-03-05",
            .paid = 500,
            .admission = "2017-03-01",
            .discharge = "2017-03-05"});
    b.Line({.claim = "c2",
            .person = "C",
            .type = ClaimType::kInstitutional,
            .category = ServiceCategory::kAcuteInpatient,
            .start = "2017-09-10",
            .dx = {"J440"},
            .paid = 3000,
            .admission = "2017-09-10",
            .discharge = "2017-09-10"});
    b.Line({.claim = "c3",
            .person = "C",
            .type = ClaimType::kInstitutional,
            .category = ServiceCategory::kEmergency,
            .start = "2017-04-04",
            .paid = 700});
    b.Line({.claim = "c4",
            .person = "C",
            .category = ServiceCategory::kEmergency,
            .start = "2017-04-04",
            .paid = 150,
            .hcpcs = "99284"});
    b.Line({.claim = "c5",
            .person = "C",
            .category = ServiceCategory::kEmergency,
            .start = "2017-05-05",
            .paid = 150,
            .hcpcs = "99283"});
    b.Pharmacy("cp1", "C", "2017-06-01", 40.25);
    // D: 87, dual eligible (02), enrolled from the index date only, no claims.
    b.Span("D", "2018-01-01", "2018-12-31", 'F', "1930-01-01", "medicare", "", "02");
    b.Finish();
  }

  // Values of `expr` for members A, B, C, D.
  std::vector<int> Flags(const std::string& expr, const char* index = "2018-01-01",
                         std::map<std::string, std::string> defs = {}) {
    auto p = Compile(defs, {{"x", expr}}, sets);
    EXPECT_TRUE(p.ok()) << p.status().message();
    if (!p.ok()) return {};
    EvalContext ctx{&b.ds, &b.program, nullptr, D(index), D("2018-12-31")};
    auto e = Evaluate(*p, ctx);
    EXPECT_TRUE(e.ok()) << e.status().message();
    if (!e.ok()) return {};
    const Column* c = e->Find("x");
    return std::vector<int>(c->flags.begin(), c->flags.end());
  }
  std::vector<double> Numbers(const std::string& expr, const char* index = "2018-01-01") {
    auto p = Compile({}, {{"x", expr}}, sets);
    EXPECT_TRUE(p.ok()) << p.status().message();
    if (!p.ok()) return {};
    EvalContext ctx{&b.ds, &b.program, nullptr, D(index), D("2018-12-31")};
    auto e = Evaluate(*p, ctx);
    EXPECT_TRUE(e.ok()) << e.status().message();
    if (!e.ok()) return {};
    return e->Find("x")->values;
  }

  DatasetBuilder b;
  ValueSetLibrary sets = Sets();
};

TEST_F(DefinitionTest, WindowIncludesItsFirstDayAndExcludesTheIndexDate) {
  // A's 2017-01-01 claim is the window's first day; B's 2017-12-31 claim its last.
  EXPECT_EQ(Flags("diagnosis in heart_failure within 12 months before"),
            (std::vector<int>{1, 1, 0, 0}));
  // One day later the window is 2017-01-02 .. 2018-01-01: A's claim drops out, B's index-day
  // claim comes in.
  EXPECT_EQ(Flags("diagnosis in heart_failure within 12 months before", "2018-01-02"),
            (std::vector<int>{0, 1, 0, 0}));
  // "after" starts on the index date: only B's 2018-01-01 claim.
  EXPECT_EQ(Flags("diagnosis in heart_failure within 30 days after"),
            (std::vector<int>{0, 1, 0, 0}));
  EXPECT_EQ(Flags("diagnosis in heart_failure within 1 day before"),
            (std::vector<int>{0, 1, 0, 0}));
}

TEST_F(DefinitionTest, PrefixCodesMatchByPrefixOnly) {
  // I50* matches I509 and I5022 (A) but not I150 (C); the inline list form works the same.
  EXPECT_EQ(Flags("diagnosis in (\"I50*\") ever"), (std::vector<int>{1, 0, 0, 0}));
  EXPECT_EQ(Flags("diagnosis in (\"I15*\") ever"), (std::vector<int>{0, 0, 1, 0}));
  EXPECT_EQ(Flags("diagnosis = \"I15.0\" ever"), (std::vector<int>{0, 0, 1, 0}));
  // Primary diagnosis: A's a2 has R05 first, so only a1 (I509, 2017) counts.
  EXPECT_EQ(Flags("primary_diagnosis in heart_failure within 12 months before"),
            (std::vector<int>{1, 1, 0, 0}));
  EXPECT_EQ(Flags("primary_diagnosis in heart_failure within 1 day after"),
            (std::vector<int>{0, 1, 0, 0}));
}

TEST_F(DefinitionTest, CountsDistinctClaims) {
  // 24 months before: 2016-01-01 .. 2017-12-31. A: a1 and a2 (2); B: b1 only (1).
  EXPECT_EQ(Numbers("claims(diagnosis in heart_failure) within 24 months before"),
            (std::vector<double>{2, 1, 0, 0}));
  EXPECT_EQ(Flags("claims(diagnosis in heart_failure) within 24 months before >= 2"),
            (std::vector<int>{1, 0, 0, 0}));
  // C: c1 has two lines but is one claim; c2 is the second COPD claim.
  EXPECT_EQ(Numbers("claims(diagnosis in copd) within 12 months before"),
            (std::vector<double>{0, 0, 2, 0}));
}

TEST_F(DefinitionTest, UtilizationAndCost) {
  EXPECT_EQ(Numbers("admissions within 12 months before"), (std::vector<double>{0, 0, 2, 0}));
  // 2017-03-01 to 2017-03-05 is 4 days; the same-day stay counts 1.
  EXPECT_EQ(Numbers("bed_days within 12 months before"), (std::vector<double>{0, 0, 5, 0}));
  // 2017-04-04 (facility + physician, one visit) and 2017-05-05.
  EXPECT_EQ(Numbers("ed_visits within 12 months before"), (std::vector<double>{0, 0, 2, 0}));
  // C: 10000 + 500 + 3000 + 700 + 150 + 150 medical + 40.25 pharmacy = 14540.25.
  // A: only a1 (100) is in 2017. B: b1 (10).
  EXPECT_EQ(Numbers("cost within 12 months before"), (std::vector<double>{100, 10, 14540.25, 0}));
  // With a condition, cost is medical lines matching it: C's inpatient lines 13500.
  EXPECT_EQ(Numbers("cost(service_category = \"acute_inpatient\") within 12 months before"),
            (std::vector<double>{0, 0, 13500, 0}));
  EXPECT_EQ(Flags("admissions >= 2 within 12 months before"), (std::vector<int>{0, 0, 1, 0}));
}

TEST_F(DefinitionTest, DemographicsAndEnrollment) {
  // Ages at 2018-01-01: 77, 65 (birthday on the index date), 57, 88.
  EXPECT_EQ(Numbers("age"), (std::vector<double>{77, 65, 57, 88}));
  EXPECT_EQ(Flags("age >= 65"), (std::vector<int>{1, 1, 0, 1}));
  EXPECT_EQ(Flags("65 <= age and sex = \"female\""), (std::vector<int>{1, 0, 0, 1}));
  EXPECT_EQ(Flags("dual"), (std::vector<int>{0, 0, 0, 1}));
  EXPECT_EQ(Flags("dual_status in (\"02\", \"04\")"), (std::vector<int>{0, 0, 0, 1}));
  // B misses January 2017; D starts on the index date.
  EXPECT_EQ(Flags("enrolled within 12 months before"), (std::vector<int>{1, 0, 1, 0}));
  EXPECT_EQ(Numbers("enrolled_days within 12 months before"),
            (std::vector<double>{365, 334, 365, 0}));
  EXPECT_EQ(Flags("payer = \"Medicare\""), (std::vector<int>{1, 1, 1, 1}));
  EXPECT_EQ(Flags("payer != \"medicare\""), (std::vector<int>{0, 0, 0, 0}));
}

TEST_F(DefinitionTest, NestedDefinitionsAndCriteriaColumns) {
  std::map<std::string, std::string> defs = {
      {"hf", "diagnosis in heart_failure within 12 months before"},
      {"frail", "age >= 75 or dual"},
      {"target", "hf and frail"},
      {"unused", "age < 0"},
  };
  auto p = Compile(defs, {{"eligible", "target and not unused"}}, sets);
  ASSERT_TRUE(p.ok()) << p.status().message();
  // Outputs: the root, then the definitions it uses in order of first reference.
  std::vector<std::string> names;
  for (const auto& o : p->outputs()) names.push_back(o.name);
  EXPECT_EQ(names, (std::vector<std::string>{"eligible", "target", "hf", "frail", "unused"}));
  EXPECT_EQ(p->outputs()[0].criteria,
            (std::vector<std::string>{"target", "hf", "frail", "unused"}));
  EvalContext ctx{&b.ds, &b.program, nullptr, D("2018-01-01")};
  auto e = Evaluate(*p, ctx);
  ASSERT_TRUE(e.ok()) << e.status().message();
  // A: hf and 77; B: hf but 65 and not dual; C: no hf; D: dual but no hf.
  EXPECT_EQ(e->Find("eligible")->flags, (std::vector<uint8_t>{1, 0, 0, 0}));
  EXPECT_EQ(e->Find("frail")->flags, (std::vector<uint8_t>{1, 0, 0, 1}));
  // A definition can be a claim-line condition, reused inside claims(...) and with a window.
  defs["hf_line"] = "diagnosis in heart_failure and primary_diagnosis in heart_failure";
  EXPECT_EQ(
      Flags("claims(hf_line) within 24 months before >= 1 and hf_line ever", "2018-01-01", defs),
      (std::vector<int>{1, 1, 0, 0}));
}

TEST_F(DefinitionTest, ProgramTerms) {
  b.Referral("A", "2017-11-01", ReferralOutcome::kEnrolled, "2017-11-10");
  b.Referral("B", "2017-06-01", ReferralOutcome::kDeclined, "2017-06-03");
  b.Enrollment("A", "2017-11-10", nullptr);
  b.Visit("A", "2017-11-12", Discipline::kRn, Modality::kInPerson, 60, 30);
  b.Visit("A", "2017-12-12", Discipline::kSocialWorker, Modality::kPhone, 20);
  b.Event("C", "2017-12-01", ProgramEvent::kHospiceElection);
  b.Event("C", "2018-02-01", ProgramEvent::kDeath, "home");
  b.Finish();
  EXPECT_EQ(Flags("referred within 12 months before"), (std::vector<int>{1, 1, 0, 0}));
  EXPECT_EQ(Flags("referred(outcome = \"declined\") within 12 months before"),
            (std::vector<int>{0, 1, 0, 0}));
  EXPECT_EQ(Flags("program_enrolled within 1 month before"), (std::vector<int>{1, 0, 0, 0}));
  EXPECT_EQ(Flags("program_enrolled(setting = \"home\") within 1 month after"),
            (std::vector<int>{1, 0, 0, 0}));
  EXPECT_EQ(Numbers("visits within 12 months before"), (std::vector<double>{2, 0, 0, 0}));
  EXPECT_EQ(Numbers("visit_minutes(modality in (\"in_person\", \"video\")) within 12 months "
                    "before"),
            (std::vector<double>{60, 0, 0, 0}));
  EXPECT_EQ(Flags("hospice_election within 12 months before"), (std::vector<int>{0, 0, 1, 0}));
  EXPECT_EQ(Flags("died within 12 months after"), (std::vector<int>{0, 0, 1, 0}));
  // The window applies to the whole parenthesized row condition: one event row must be both.
  EXPECT_EQ(Flags("(event = \"death\" and location = \"HOME\") within 2 months after"),
            (std::vector<int>{0, 0, 1, 0}));
}

TEST_F(DefinitionTest, ProgramTermsWithoutProgramDataMatchNoRows) {
  // A context without program data (a claims-only run) evaluates every program term over empty
  // tables, including enumerated and text fields of the rows, instead of reading through a null
  // pointer.
  const char* exprs[] = {
      "referred(outcome = \"declined\") within 12 months before",
      "referred(source = \"clinic\") ever",
      "program_enrolled(setting = \"home\") within 1 month after",
      "visit_minutes(modality in (\"in_person\", \"video\")) within 12 months before > 0",
      "visits(discipline = \"rn\") ever >= 1",
      "(event = \"death\" and location = \"HOME\") within 2 months after",
      "died within 12 months after",
  };
  for (const char* expr : exprs) {
    auto p = Compile({}, {{"x", expr}}, sets);
    ASSERT_TRUE(p.ok()) << expr << ": " << p.status().message();
    EvalContext ctx{&b.ds, nullptr, nullptr, D("2018-01-01"), D("2018-12-31")};
    auto e = Evaluate(*p, ctx);
    ASSERT_TRUE(e.ok()) << expr << ": " << e.status().message();
    EXPECT_EQ(e->Find("x")->flags, (std::vector<uint8_t>{0, 0, 0, 0})) << expr;
  }
}

TEST_F(DefinitionTest, SameResultOnAnyThreadCount) {
  auto p = Compile({},
                   {{"x",
                     "diagnosis in heart_failure within 24 months before or "
                     "admissions within 12 months before >= 1"}},
                   sets);
  ASSERT_TRUE(p.ok());
  EvalContext ctx{&b.ds, &b.program, nullptr, D("2018-01-01")};
  std::vector<uint8_t> one, many;
  {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
    one = Evaluate(*p, ctx)->columns[0].flags;
  }
  many = Evaluate(*p, ctx)->columns[0].flags;
  EXPECT_EQ(one, many);
  EXPECT_EQ(one, (std::vector<uint8_t>{1, 1, 1, 0}));
}

TEST_F(DefinitionTest, RiskScoreComesFromTheContext) {
  auto p = Compile({}, {{"x", "risk_score >= 1.5"}}, sets);
  ASSERT_TRUE(p.ok());
  EvalContext ctx{&b.ds, &b.program, nullptr, D("2018-01-01")};
  EXPECT_FALSE(Evaluate(*p, ctx).ok());  // no scores supplied: an error, not a silent false
  std::vector<double> scores{0.9, 1.5, 2.2, std::nan("")};
  ctx.risk_scores = &scores;
  EXPECT_EQ(Evaluate(*p, ctx)->columns[0].flags, (std::vector<uint8_t>{0, 1, 1, 0}));
}

TEST(Window, MonthArithmeticClampsToMonthEnd) {
  Window w;
  w.kind = Window::Kind::kBefore;
  w.amount = 1;
  w.unit = Window::Unit::kMonths;
  auto p = ResolveWindow(w, D("2018-03-31"), kNoDate);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->start, D("2018-02-28"));
  EXPECT_EQ(p->end, D("2018-03-30"));
  w.kind = Window::Kind::kAfter;
  w.amount = 2;
  w.unit = Window::Unit::kYears;
  p = ResolveWindow(w, D("2016-02-29"), kNoDate);
  EXPECT_EQ(p->start, D("2016-02-29"));
  EXPECT_EQ(p->end, D("2018-02-27"));
}

}  // namespace
}  // namespace valuepact::population
