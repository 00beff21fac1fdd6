// Data-quality scorecard, [data_requirements] and the format dispatcher.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/mapped_file.h"
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
  EXPECT_EQ(s.lag.as_of, D(2024, 8, 9));
  // April has 2 claims against a trailing average of 12: a sudden drop in a complete month.
  ASSERT_EQ(s.months.size(), 5u);
  EXPECT_EQ(s.months[3].month, YearMonth::Of(2024, 4));
  EXPECT_TRUE(s.months[3].sudden_drop);
  EXPECT_DOUBLE_EQ(s.months[3].trailing_claims, 12.0);
  EXPECT_DOUBLE_EQ(s.months[3].completion, 1.0);
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
  EXPECT_TRUE(std::filesystem::exists(out + "/quality.md"));
  EXPECT_TRUE(std::filesystem::exists(out + "/rejects.csv"));
  EXPECT_EQ(::valuepact::testing::RunCommand(::valuepact::testing::CliPath() + " quality --help",
                                             &output),
            0);
  EXPECT_NE(output.find("--contract"), std::string::npos);
}

}  // namespace
}  // namespace valuepact::quality
