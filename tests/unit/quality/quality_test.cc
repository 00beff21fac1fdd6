// Data-quality scorecard, [data_requirements] and the format dispatcher.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/file_io.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/ingest/quality/quality.h"

namespace valuepact::quality {
namespace {

TEST(QualityChecks, FieldShapes) {
  EXPECT_TRUE(IsValidNpi("1234567893"));  // the CMS example NPI
  EXPECT_FALSE(IsValidNpi("1234567890"));
  EXPECT_FALSE(IsValidNpi("123456789"));
  EXPECT_FALSE(IsValidNpi("12345678A3"));
  EXPECT_TRUE(IsIcd10CmShaped("E119"));
  EXPECT_TRUE(IsIcd10CmShaped("S72001A"));
  EXPECT_FALSE(IsIcd10CmShaped("E11.9"));
  EXPECT_FALSE(IsIcd10CmShaped("4019"));  // ICD-9
  EXPECT_FALSE(IsIcd10CmShaped("E1"));
  EXPECT_TRUE(IsHcpcsShaped("99213"));
  EXPECT_TRUE(IsHcpcsShaped("G0439"));
  EXPECT_TRUE(IsHcpcsShaped("0075T"));
  EXPECT_FALSE(IsHcpcsShaped("9921"));
  EXPECT_TRUE(IsPlaceOfService("11"));
  EXPECT_FALSE(IsPlaceOfService("1"));
  EXPECT_TRUE(IsBillType("111"));
  EXPECT_TRUE(IsBillType("0131"));
  EXPECT_FALSE(IsBillType("911"));
  EXPECT_TRUE(IsRevenueCode("0450"));
  EXPECT_FALSE(IsRevenueCode("450"));
}

struct Builder {
  Dataset ds;
  void Span(const std::string& member, Date a, Date b) {
    auto& e = ds.eligibility;
    e.member.push_back(ds.members.Intern(member));
    e.start.push_back(a);
    e.end.push_back(b);
    e.payer.push_back(ds.codes.Intern("medicare"));
    e.plan.push_back(kNoCode);
    e.sex.push_back('F');
    e.birth_date.push_back(Date::FromCivil(1950, 1, 1));
    e.death_date.push_back(kNoDate);
    e.dual_status.push_back(kNoCode);
    e.medicare_status.push_back(kNoCode);
    e.orec.push_back(kNoCode);
    e.source.push_back({});
  }
  void Line(const std::string& member, const std::string& claim, int line, Date served,
            Date paid_date, int64_t paid_cents, std::vector<std::string> dx = {"E119"}) {
    auto& m = ds.medical;
    m.claim.push_back(ds.claim_ids.Intern(claim));
    m.line_number.push_back(line);
    m.member.push_back(ds.members.Intern(member));
    m.claim_type.push_back(ClaimType::kProfessional);
    for (auto* v : {&m.claim_start, &m.claim_end, &m.line_start, &m.line_end}) v->push_back(served);
    m.admission.push_back(kNoDate);
    m.discharge.push_back(kNoDate);
    m.paid_date.push_back(paid_date);
    for (auto* v : {&m.place_of_service, &m.bill_type, &m.drg, &m.revenue_code, &m.hcpcs,
                    &m.hcpcs_modifier_1, &m.rendering_npi, &m.billing_npi, &m.facility_npi,
                    &m.rendering_tin, &m.billing_tin, &m.discharge_disposition}) {
      v->push_back(kNoCode);
    }
    m.hcpcs.back() = ds.codes.Intern("99213");
    m.place_of_service.back() = ds.codes.Intern("11");
    m.rendering_npi.back() = ds.codes.Intern("1234567890");  // bad check digit
    m.paid.push_back(Money::FromCents(paid_cents));
    m.allowed.push_back(Money());
    m.charge.push_back(Money());
    m.category.push_back(ServiceCategory::kProfessional);
    for (const auto& d : dx) m.dx_code.push_back(ds.codes.Intern(d));
    m.dx_offset.push_back(static_cast<uint32_t>(m.dx_code.size()));
    m.px_offset.push_back(static_cast<uint32_t>(m.px_code.size()));
    m.source.push_back({});
  }
};

Date D(int y, unsigned m, unsigned d) { return Date::FromCivil(y, m, d); }

// Lag percentiles (nearest rank) and each month's completion, against the sorted lags.
TEST(QualityScorecard, LagPercentilesAndCompletionAreThoseOfTheSortedLags) {
  Builder b;
  b.Span("a", D(2023, 1, 1), D(2024, 12, 31));
  std::mt19937 rng(11);
  std::vector<int32_t> lags;
  Date as_of = kNoDate;
  for (int n = 0; n < 3000; ++n) {
    const Date served = D(2023, 1, 1) + static_cast<int32_t>(rng() % 700);
    const auto lag = static_cast<int32_t>(rng() % 9 == 0 ? rng() % 2000 : rng() % 120);
    const Date paid = served + lag;
    b.Line("a", "c" + std::to_string(n), 1, served, paid, 100);
    lags.push_back(lag);
    if (as_of == kNoDate || paid > as_of) as_of = paid;
  }
  std::sort(lags.begin(), lags.end());
  const auto rank = [&](double p) {
    const auto r = static_cast<size_t>(std::ceil(p * static_cast<double>(lags.size())));
    return lags[std::max<size_t>(r, 1) - 1];
  };
  const auto s = ComputeQualityScorecard(b.ds);
  EXPECT_EQ(s.lag.p50, rank(0.50));
  EXPECT_EQ(s.lag.p90, rank(0.90));
  EXPECT_EQ(s.lag.p99, rank(0.99));
  EXPECT_EQ(s.lag.max, lags.back());
  ASSERT_FALSE(s.months.empty());
  for (const auto& mq : s.months) {
    const int32_t elapsed = as_of - mq.month.last_day();
    const double want =
        elapsed < 0 ? 0.0
                    : static_cast<double>(std::upper_bound(lags.begin(), lags.end(), elapsed) -
                                          lags.begin()) /
                          static_cast<double>(lags.size());
    EXPECT_DOUBLE_EQ(mq.completion, want) << mq.month.ToString();
  }
}

TEST(QualityScorecard, EnrollmentOverlapsDuplicatesLagAndDrops) {
  Builder b;
  b.Span("a", D(2024, 1, 1), D(2024, 6, 30));
  b.Span("a", D(2024, 6, 1), D(2024, 12, 31));  // overlaps the first span
  b.Span("b", D(2024, 1, 1), D(2024, 3, 31));
  // 12 claims a month for member a in Jan-Mar (lags 10 days), then 2 in April.
  int n = 0;
  for (unsigned month = 1; month <= 3; ++month) {
    for (int k = 0; k < 12; ++k) {
      b.Line("a", "c" + std::to_string(n++), 1, D(2024, month, 5), D(2024, month, 15), 10000);
    }
  }
  for (int k = 0; k < 2; ++k) {
    b.Line("a", "c" + std::to_string(n++), 1, D(2024, 4, 5), D(2024, 4, 15), 10000);
  }
  // Member b in May: not enrolled; paid 100 days later; one bad and one good diagnosis.
  b.Line("b", "late", 1, D(2024, 5, 1), D(2024, 8, 9), 5000, {"4019", "I10"});
  b.Line("b", "late", 1, D(2024, 5, 1), D(2024, 8, 9), 5000);  // duplicate claim+line
  const auto s = ComputeQualityScorecard(b.ds);
  EXPECT_EQ(s.medical_lines, 40u);
  EXPECT_EQ(s.lines_with_service_month, 40u);
  EXPECT_EQ(s.lines_without_enrollment, 2u);
  EXPECT_DOUBLE_EQ(s.enrollment_match, 38.0 / 40.0);
  EXPECT_EQ(s.overlapping_spans, 1u);
  EXPECT_EQ(s.members_with_overlaps, 1u);
  EXPECT_EQ(s.duplicate_medical_lines, 1u);
  EXPECT_EQ(s.dx_codes, 41u);
  EXPECT_EQ(s.invalid_dx_codes, 1u);
  // Lags: 38 lines at 10 days, 2 at 100 days: p50 = 10, p90 = 10 (rank 36), p99 = 100.
  EXPECT_EQ(s.lag.claims, 40u);
  EXPECT_EQ(s.lag.p50, 10);
  EXPECT_EQ(s.lag.p90, 10);
  EXPECT_EQ(s.lag.p99, 100);
  EXPECT_EQ(s.lag.max, 100);
  EXPECT_EQ(s.lag.as_of, D(2024, 8, 9));
  // April has 2 claims against a trailing average of 12: a sudden drop in a complete month.
  ASSERT_EQ(s.months.size(), 5u);
  EXPECT_EQ(s.months[3].month, YearMonth::Of(2024, 4));
  EXPECT_TRUE(s.months[3].sudden_drop);
  EXPECT_DOUBLE_EQ(s.months[3].trailing_claims, 12.0);
  EXPECT_DOUBLE_EQ(s.months[3].completion, 1.0);
  // May ends 70 days before the latest paid date: 38 of the 40 lags are 70 days or fewer.
  EXPECT_DOUBLE_EQ(s.months[4].completion, 38.0 / 40.0);
  EXPECT_FALSE(s.months[2].sudden_drop);
  // The rendering NPI fails its check digit on every line.
  bool npi_checked = false;
  for (const auto& f : s.fields) {
    if (f.field == "rendering_npi") {
      npi_checked = true;
      EXPECT_EQ(f.invalid, 40u);
      EXPECT_EQ(f.examples, (std::vector<std::string>{"1234567890"}));
    }
  }
  EXPECT_TRUE(npi_checked);

  DataRequirements req;
  req.min_enrollment_match = 0.98;
  req.max_invalid_dx_share = 0.05;
  req.max_lag_days_p90 = 90;
  req.delivery_day_of_month = 15;
  req.fail_on_volume_drop = true;
  const auto v = EvaluateRequirements(s, req);
  EXPECT_FALSE(v.passed);
  std::map<std::string, std::string> status;
  for (const auto& c : v.checks) status[c.name] = c.status;
  EXPECT_EQ(status["min_enrollment_match"], "fail");
  EXPECT_EQ(status["max_invalid_dx_share"], "pass");
  EXPECT_EQ(status["max_lag_days_p90"], "pass");
  EXPECT_EQ(status["delivery_day_of_month"], "not_evaluated");
  EXPECT_EQ(status["fail_on_volume_drop"], "fail");
  // The outputs say it plainly.
  EXPECT_NE(QualityMarkdown(s, &v).find("FAILED"), std::string::npos);
  const auto j = nlohmann::json::parse(QualityJson(s, &v));
  EXPECT_EQ(j["verdict"]["passed"], false);
  EXPECT_EQ(j["enrollment"]["enrollment_match"], "0.950000");
}

bool HasFinding(const QualityScorecard& s, const std::string& text) {
  for (const auto& f : s.findings) {
    if (f.find(text) != std::string::npos) return true;
  }
  return false;
}

std::map<std::string, RequirementCheck> ChecksByName(const QualityVerdict& v) {
  std::map<std::string, RequirementCheck> out;
  for (const auto& c : v.checks) out[c.name] = c;
  return out;
}

TEST(QualityFindings, EmptyRequiredTablesAreFindingsAndAlwaysFail) {
  Builder b;
  b.Span("a", D(2024, 1, 1), D(2024, 12, 31));
  // No medical lines, no pharmacy lines.
  ScorecardContext ctx;
  ctx.pharmacy_required = true;
  const auto s = ComputeQualityScorecard(b.ds, {}, ctx);
  ASSERT_GE(s.findings.size(), 2u);
  EXPECT_EQ(s.findings[0].rfind("medical_claim has no rows", 0), 0u) << s.findings[0];
  EXPECT_EQ(s.findings[1].rfind("pharmacy_claim has no rows", 0), 0u) << s.findings[1];
  // Checks that run whatever [data_requirements] sets.
  const auto v = EvaluateRequirements(s, DataRequirements{});
  EXPECT_FALSE(v.passed);
  auto checks = ChecksByName(v);
  EXPECT_EQ(checks["medical_claim_rows"].status, "fail");
  EXPECT_EQ(checks["medical_claim_rows"].actual, "0 rows");
  EXPECT_EQ(checks["eligibility_rows"].status, "pass");
  EXPECT_EQ(checks["pharmacy_claim_rows"].status, "fail");
  // Pharmacy outside the services: neither a finding nor a check.
  const auto medical_only = ComputeQualityScorecard(b.ds);
  EXPECT_FALSE(HasFinding(medical_only, "pharmacy_claim"));
  EXPECT_EQ(ChecksByName(EvaluateRequirements(medical_only, {})).count("pharmacy_claim_rows"), 0u);
  // No eligibility either.
  const auto nothing = ComputeQualityScorecard(Dataset{});
  EXPECT_TRUE(HasFinding(nothing, "eligibility has no rows"));
  EXPECT_EQ(ChecksByName(EvaluateRequirements(nothing, {}))["eligibility_rows"].status, "fail");
}

TEST(QualityFindings, RequiredFieldEmptyOnEveryRow) {
  Builder b;
  b.Span("a", D(2024, 1, 1), D(2024, 12, 31));
  b.Span("b", D(2024, 1, 1), D(2024, 12, 31));
  for (auto& d : b.ds.eligibility.birth_date) d = kNoDate;
  b.Line("a", "c1", 1, D(2024, 2, 1), D(2024, 2, 20), 1000);
  b.Line("a", "c2", 1, D(2024, 2, 1), D(2024, 2, 20), 1000, {});  // no diagnosis
  const auto s = ComputeQualityScorecard(b.ds);
  EXPECT_EQ(s.findings[0], "eligibility.birth_date is empty on all 2 rows (0% complete)");
  // Partly complete required fields (one of two diagnoses) are no such finding.
  EXPECT_FALSE(HasFinding(s, "diagnosis_code_1 is empty"));
  bool marked = false;
  for (const auto& f : s.fields) marked |= f.field == "birth_date" && f.required;
  EXPECT_TRUE(marked);
  const auto j = nlohmann::json::parse(QualityJson(s, nullptr));
  EXPECT_EQ(j["fields"][0]["required"], true);  // medical_claim.person_id
}

TEST(QualityFindings, MonthlyPaidTotalsBeyondTheRangeOfMoneyAreAFindingNotAWrap) {
  // Two lines of 90 quadrillion dollars in February add up past the int64 range of cents (the
  // sum used to wrap, undefined behaviour); March is ordinary and follows February.
  Builder b;
  b.Span("a", D(2024, 1, 1), D(2024, 12, 31));
  const int64_t huge = 9'000'000'000'000'000'000;
  b.Line("a", "c1", 1, D(2024, 2, 1), D(2024, 2, 20), huge);
  b.Line("a", "c2", 1, D(2024, 2, 2), D(2024, 2, 20), huge);
  b.Line("a", "c3", 1, D(2024, 3, 2), D(2024, 3, 20), 1000);
  const auto s = ComputeQualityScorecard(b.ds);
  EXPECT_TRUE(HasFinding(s, "paid amounts of 2024-02 add up to more than a money figure can hold"))
      << ::testing::PrintToString(s.findings);
  ASSERT_EQ(s.months.size(), 2u);
  EXPECT_EQ(s.months[0].paid, Money());  // left out, not a wrapped total
  EXPECT_EQ(s.months[0].lines, 2u);
  EXPECT_EQ(s.months[1].paid, Money::FromCents(1000));
  EXPECT_EQ(s.months[1].trailing_paid, Money());  // its trailing months include February
  EXPECT_FALSE(s.months[1].sudden_drop);
}

TEST(QualityFindings, ClaimsWithoutPaidDatesAndChecksThatCannotBeMeasured) {
  Builder b;
  b.Span("a", D(2024, 1, 1), D(2024, 12, 31));
  for (unsigned month = 1; month <= 6; ++month) {
    b.Line("a", "c" + std::to_string(month), 1, D(2024, month, 5), kNoDate, 1000);
  }
  const auto s = ComputeQualityScorecard(b.ds);
  EXPECT_EQ(s.medical_claims_without_paid_date, 6u);
  EXPECT_TRUE(HasFinding(s,
                         "6 of 6 medical claims have no paid date: claim lag and completion "
                         "cannot be measured"));
  DataRequirements req;
  req.max_lag_days_p90 = 90;
  req.fail_on_volume_drop = true;
  req.min_enrollment_match = 0.9;
  auto checks = ChecksByName(EvaluateRequirements(s, req));
  EXPECT_EQ(checks["max_lag_days_p90"].status, "fail");
  EXPECT_NE(checks["max_lag_days_p90"].explanation.find("cannot be measured"), std::string::npos);
  EXPECT_EQ(checks["fail_on_volume_drop"].status, "fail");
  EXPECT_EQ(checks["min_enrollment_match"].status, "pass");
  EXPECT_EQ(checks["medical_claim_rows"].status, "pass");
  // The month table does not claim a completion it cannot know.
  EXPECT_NE(QualityMarkdown(s, nullptr).find("| 2024-01 | 1 | 10.00 | - | - | - |  |"),
            std::string::npos)
      << QualityMarkdown(s, nullptr);
  // One claim with a paid date: measured on it, and the others are still a finding.
  b.Line("a", "c7", 1, D(2024, 7, 5), D(2024, 7, 25), 1000);
  const auto s2 = ComputeQualityScorecard(b.ds);
  EXPECT_TRUE(HasFinding(s2, "6 of 7 medical claims have no paid date; claim lag"));
  EXPECT_EQ(ChecksByName(EvaluateRequirements(s2, req))["max_lag_days_p90"].status, "pass");
  // Nothing to measure completeness on fails too.
  DataRequirements complete;
  complete.min_completeness = 0.9;
  complete.min_enrollment_match = 0.9;
  auto none = ChecksByName(EvaluateRequirements(ComputeQualityScorecard(Dataset{}), complete));
  EXPECT_EQ(none["min_completeness"].status, "fail");
  EXPECT_EQ(none["min_enrollment_match"].status, "fail");
}

TEST(QualityScorecard, RepeatedKeysAreFoundWhateverTheLineNumber) {
  Builder b;
  b.Span("a", D(2024, 1, 1), D(2024, 12, 31));
  // Line numbers at and around the edges of the one-pass check, each read 1 to 3 times, the
  // repeats far from the first reading and on another claim in between.
  const std::vector<int> lines = {0, 1, 15, 16, 17, 63, 64, 65, 1000, -1, 100000000};
  uint64_t expected = 0;
  for (int round = 0; round < 3; ++round) {
    for (size_t k = 0; k < lines.size(); ++k) {
      if (round > 0 && k % 3 == 0) continue;  // lines 0, 16, 64 and -1 once only
      expected += round > 0;
      b.Line("a", "c", lines[k], D(2024, 2, 1), D(2024, 2, 20), 1000);
      b.Line("a", "other" + std::to_string(round), lines[k], D(2024, 2, 1), D(2024, 2, 20), 1000);
    }
  }
  const auto s = ComputeQualityScorecard(b.ds);
  EXPECT_EQ(s.duplicate_medical_lines, expected);
  EXPECT_EQ(expected, 14u);
}

TEST(QualityFindings, RejectedLinesAreCountedFromTheReport) {
  Builder b;
  b.Span("a", D(2024, 1, 1), D(2024, 12, 31));
  for (int k = 0; k < 3; ++k) {
    b.Line("a", "c" + std::to_string(k), 1, D(2024, 2, 1), D(2024, 2, 20), 298000);
  }
  IngestReport report;
  report.AddReject("medical_claim.csv", 5, "claim_line_number", "claim c0 line 1", "duplicate_key");
  report.rejects.back().paid = Money::FromCents(298000);
  report.counters["medical_claim.duplicate_key"] = 1;
  report.AddReject("medical_claim.csv", 6, "paid_amount", "-99999999.99", "implausible_amount");
  report.rejects.back().paid = Money::FromCents(-9999999999);
  ScorecardContext ctx;
  ctx.report = &report;
  const auto s = ComputeQualityScorecard(b.ds, {}, ctx);
  EXPECT_EQ(s.duplicate_medical_lines, 1u);
  EXPECT_EQ(s.duplicate_medical_lines_rejected, 1u);
  EXPECT_DOUBLE_EQ(s.duplicate_share(), 1.0 / 4.0);  // of the 4 lines read
  EXPECT_TRUE(HasFinding(s,
                         "claim lines rejected and not counted, duplicate_key: 1 row, "
                         "$2,980.00 paid ($0.00 allowed)"));
  EXPECT_TRUE(HasFinding(s, "implausible_amount: 1 row, −$99,999,999.99 paid"));
  EXPECT_FALSE(HasFinding(s, "repeat a claim id"));  // the rejected ones are not in the data
  DataRequirements req;
  req.max_duplicate_share = 0.1;
  EXPECT_EQ(ChecksByName(EvaluateRequirements(s, req))["max_duplicate_share"].status, "fail");
  const auto j = nlohmann::json::parse(QualityJson(s, nullptr));
  EXPECT_EQ(j["rejected_lines"][0]["reason"], "duplicate_key");
  EXPECT_EQ(j["rejected_lines"][0]["paid"], "2980.00");
  EXPECT_EQ(j["rejected_lines"][1]["rows"], 1);
}

// [data_requirements] is typed by the contract parser with positioned errors.
TEST(QualityRequirements, ParsedFromContractToml) {
  const std::string head =
      "[contract]\nid = \"x\"\nperiod = { start = 2018-01-01, end = 2018-12-31 }\n";
  ContractParseOptions draft;
  draft.allow_draft = true;
  auto r = ParseContract(head +
                             "[data_requirements]\nmin_enrollment_match = 0.98\n"
                             "max_invalid_dx_share = 0.01\ndelivery_day_of_month = 15\n"
                             "max_lag_days_p90 = 90\non_fail = \"no_downside\"\n"
                             "max_line_amount = 250000.00\n",
                         "ok.toml", draft);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const DataRequirements& q = r->data_requirements;
  EXPECT_TRUE(q.declared);
  EXPECT_DOUBLE_EQ(*q.min_enrollment_match, 0.98);
  EXPECT_DOUBLE_EQ(*q.max_invalid_dx_share, 0.01);
  EXPECT_EQ(*q.delivery_day_of_month, 15);
  EXPECT_EQ(*q.max_lag_days_p90, 90);
  EXPECT_EQ(q.on_fail, DataFailAction::kNoDownside);
  EXPECT_EQ(q.max_line_amount.cents(), 25000000);
  auto e1 =
      ParseContract(head + "[data_requirements]\nmin_enrolment_match = 0.98\n", "bad.toml", draft);
  ASSERT_FALSE(e1.ok());
  EXPECT_NE(e1.status().message().find("bad.toml:5:"), std::string::npos) << e1.status().message();
  EXPECT_NE(e1.status().message().find("min_enrolment_match"), std::string::npos);
  auto e2 = ParseContract(head + "[data_requirements]\n\ndelivery_day_of_month = \"15\"\n",
                          "typed.toml", draft);
  ASSERT_FALSE(e2.ok());
  EXPECT_NE(e2.status().message().find("typed.toml:6:"), std::string::npos)
      << e2.status().message();
  auto e3 = ParseContract(head + "[data_requirements]\non_fail = \"ignore\"\n", "f.toml", draft);
  ASSERT_FALSE(e3.ok());
  EXPECT_NE(e3.status().message().find("withhold"), std::string::npos) << e3.status().message();
}

TEST(LoadData, DetectsEachFormat) {
  VP_REQUIRE_SHARED();
  const std::string shared = ::valuepact::testing::SharedDir();
  auto cclf = DetectFormat(shared + "/data/cms-samples/cclf");
  ASSERT_TRUE(cclf.ok());
  EXPECT_EQ(*cclf, DataFormat::kCclf);
  auto fhir = DetectFormat(shared + "/data/cms-samples/fhir");
  ASSERT_TRUE(fhir.ok());
  EXPECT_EQ(*fhir, DataFormat::kFhir);
  auto tuva = DetectFormat(shared + "/data/tuva-claims-demo-100");
  ASSERT_TRUE(tuva.ok());
  EXPECT_EQ(*tuva, DataFormat::kTuva);
  EXPECT_FALSE(DetectFormat(::valuepact::testing::TempDir("empty")).ok());
  EXPECT_FALSE(ParseDataFormat("xml").ok());
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(
      LoadDataDirectory(shared + "/data/cms-samples/fhir", DataFormat::kAuto, {}, &ds, &report)
          .ok());
  EXPECT_GT(ds.medical.size(), 0u);
}

TEST(QualityCli, WritesScorecardAndFailsOnRequirements) {
  VP_REQUIRE_SHARED();
  const std::string out = ::valuepact::testing::TempDir("cli");
  const std::string contract = out + "/contract.toml";
  ASSERT_TRUE(WriteWholeFile(contract,
                             "[contract]\nid = \"q\"\nperiod = { start = 2018-01-01, end = "
                             "2018-12-31 }\n[data_requirements]\nmin_enrollment_match = 0.999\n")
                  .ok());
  std::string output;
  const int rc = ::valuepact::testing::RunCommand(
      ::valuepact::testing::CliPath() + " quality --data " + ::valuepact::testing::SharedDir() +
          "/data/cms-samples/fhir --format fhir --contract " + contract + " --out " + out,
      &output);
  EXPECT_EQ(rc, 1) << output;
  auto json = ReadWholeFile(out + "/quality.json");
  ASSERT_TRUE(json.ok());
  const auto j = nlohmann::json::parse(*json);
  EXPECT_EQ(j["verdict"]["passed"], false);
  // The samples' Coverages carry no period: no enrollment, which always fails.
  bool eligibility_checked = false;
  for (const auto& c : j["verdict"]["checks"]) {
    if (c["name"] != "eligibility_rows") continue;
    eligibility_checked = true;
    EXPECT_EQ(c["status"], "fail");
  }
  EXPECT_TRUE(eligibility_checked);
  // sample_eob_1.json numbers two items 1: one line refused, and counted.
  EXPECT_EQ(j["rejected_lines"][0]["reason"], "duplicate_key");
  EXPECT_EQ(j["rejected_lines"][0]["rows"], 1);
  EXPECT_TRUE(std::filesystem::exists(out + "/quality.md"));
  EXPECT_TRUE(std::filesystem::exists(out + "/rejects.csv"));
  EXPECT_EQ(::valuepact::testing::RunCommand(::valuepact::testing::CliPath() + " quality --help",
                                             &output),
            0);
  EXPECT_NE(output.find("--contract"), std::string::npos);
}

}  // namespace
}  // namespace valuepact::quality
