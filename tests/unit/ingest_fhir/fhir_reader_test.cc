// FHIR bulk reader: CMS samples against a plain recomputation with nlohmann::json, structural
// rejects with JSON paths, STU3 and R4 shapes, hostile input.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "valuepact/ingest/fhir/fhir_reader.h"

namespace valuepact::fhir {
namespace {

using nlohmann::json;

int64_t Cents(const json& v) { return std::llround(v.get<double>() * 100.0); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool IsPde(const json& eob) {
  for (const auto& c : eob["type"]["coding"]) {
    if (c.value("code", "") == "PDE") return true;
  }
  return false;
}

// Expected figures for a set of EOB resources, computed directly from the JSON.
struct Expected {
  uint64_t medical_claims = 0, medical_lines = 0, pharmacy_lines = 0;
  int64_t medical_paid = 0, pharmacy_paid = 0;
  std::set<std::string> patients;
  void Add(const json& eob) {
    patients.insert(eob["patient"]["reference"].get<std::string>().substr(8));
    const size_t items = eob.contains("item") ? eob["item"].size() : 0;
    if (IsPde(eob)) {
      pharmacy_lines += std::max<size_t>(items, 1);
      for (const auto& it : eob["item"]) {
        for (const auto& a : it["adjudication"]) {
          const std::string code = a["category"]["coding"][0]["code"];
          if (code.ends_with("/cvrd_d_plan_pd_amt")) pharmacy_paid += Cents(a["amount"]["value"]);
        }
      }
      return;
    }
    ++medical_claims;
    medical_lines += std::max<size_t>(items, 1);
    if (eob.contains("payment") && eob["payment"].contains("amount")) {
      medical_paid += Cents(eob["payment"]["amount"]["value"]);
    }
  }
};

TEST(FhirSamples, SampleEob200MatchesDirectComputation) {
  VP_REQUIRE_SHARED();
  const std::string path =
      ::valuepact::testing::SharedDir() + "/data/cms-samples/fhir/sample_eob_200.ndjson";
  const std::string bytes = ReadFile(path);
  Expected want;
  std::istringstream lines(bytes);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) want.Add(json::parse(line));
  }
  ASSERT_EQ(want.medical_claims + want.pharmacy_lines, 200u);  // one item per PDE here

  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadFhirFiles({{"sample_eob_200.ndjson", bytes}}, &ds, &report).ok());
  EXPECT_TRUE(report.rejects.empty()) << report.RejectsCsv();
  EXPECT_EQ(ds.medical.size(), want.medical_lines);
  EXPECT_EQ(ds.pharmacy.size(), want.pharmacy_lines);
  std::set<uint32_t> claims(ds.medical.claim.begin(), ds.medical.claim.end());
  EXPECT_EQ(claims.size(), want.medical_claims);
  Money paid, rx;
  for (Money m : ds.medical.paid) paid += m;
  for (Money m : ds.pharmacy.paid) rx += m;
  EXPECT_EQ(paid.cents(), want.medical_paid);
  EXPECT_EQ(rx.cents(), want.pharmacy_paid);
  EXPECT_EQ(ds.member_count(), want.patients.size());
  // Every institutional inpatient claim carries its principal diagnosis first.
  EXPECT_GT(ds.medical.dx_code.size(), 0u);
  size_t with_dx = 0;
  for (size_t i = 0; i < ds.medical.size(); ++i) {
    with_dx += ds.medical.dx_offset[i + 1] > ds.medical.dx_offset[i];
  }
  EXPECT_GT(with_dx, 0u);
}

TEST(FhirSamples, WholeSampleFolder) {
  VP_REQUIRE_SHARED();
  const std::string dir = ::valuepact::testing::SharedDir() + "/data/cms-samples/fhir";
  // Direct computation: every resource of every .json/.ndjson/extension-less JSON file.
  Expected want;
  uint64_t eob_without_patient = 0, patients = 0, coverages = 0, skipped = 0, no_type = 0;
  std::set<std::string> ids;
  auto visit = [&](const json& r) {
    const std::string type = r.value("resourceType", "");
    if (type.empty()) {
      ++no_type;  // not a FHIR resource: rejected
    } else if (type == "ExplanationOfBenefit") {
      if (!r.contains("patient")) {
        ++eob_without_patient;
        return;
      }
      if (r.contains("id")) ids.insert(r["id"].get<std::string>());
      want.Add(r);
    } else if (type == "Patient") {
      ++patients;
    } else if (type == "Coverage") {
      ++coverages;
    } else {
      ++skipped;
    }
  };
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string p = e.path().string();
    const std::string text = ReadFile(p);
    if (p.ends_with(".ndjson")) {
      std::istringstream in(text);
      std::string line;
      while (std::getline(in, line)) {
        if (!line.empty()) visit(json::parse(line));
      }
    } else if (p.ends_with(".json") || (e.path().extension().empty() && text.starts_with("{"))) {
      const json doc = json::parse(text);
      if (doc.value("resourceType", "") == "Bundle") {
        for (const auto& entry : doc.value("entry", json::array())) visit(entry["resource"]);
      } else {
        visit(doc);
      }
    }
  }
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadFhirDirectory(dir, &ds, &report).ok());
  EXPECT_EQ(report.counters["fhir.explanation_of_benefit"],
            want.medical_claims + want.pharmacy_lines);
  EXPECT_EQ(report.counters["fhir.resources_rejected"], eob_without_patient + no_type);
  EXPECT_EQ(report.counters["fhir.patient"], patients);
  EXPECT_EQ(report.counters["fhir.coverage"], coverages);
  EXPECT_EQ(report.counters["fhir.resources_skipped"], skipped);
  Money paid;
  for (Money m : ds.medical.paid) paid += m;
  EXPECT_EQ(paid.cents(), want.medical_paid);
  // sample_eob_1.json numbers both of its items 1: the second repeats the claim's line 1.
  for (const auto& r : report.rejects) {
    if (r.reason == "duplicate_key") {
      EXPECT_TRUE(r.file.ends_with("sample_eob_1.json")) << r.file;
      EXPECT_EQ(r.field, "item.sequence");
      continue;
    }
    EXPECT_TRUE(r.field == "patient.reference" || r.field == "resourceType")
        << r.file << ": " << r.reason;
  }
  EXPECT_EQ(report.counters["medical_claim.duplicate_key"], 1u);
  // The sandbox Coverage resources carry no period: no spans, and a note says so.
  EXPECT_EQ(report.counters["fhir.coverage_without_period"], coverages);
}

std::string Eob(const std::string& body) {
  return R"({"resourceType":"ExplanationOfBenefit","id":"e1","patient":{"reference":"Patient/p1"},)"
         R"("type":{"coding":[{"system":"https://bluebutton.cms.gov/resources/codesystem/eob-type","code":"CARRIER"}]})" +
         body + "}";
}

TEST(FhirStructure, WrongShapesAreRejectedWithLineAndPath) {
  const std::string ndjson =
      Eob(R"(,"item":[{"sequence":1,"adjudication":[{"category":{"coding":[{"code":"https://bluebutton.cms.gov/resources/variables/line_nch_pmt_amt"}]},"amount":{"value":"12.00"}}]}])") +
      "\n" + Eob(R"(,"item":{"sequence":1})") + "\n" + "{not json\n" +
      R"({"resourceType":"ExplanationOfBenefit","id":"e9","type":{"coding":[{"code":"CARRIER","system":"x/eob-type"}]}})" +
      "\n" + "[1,2]\n" + R"({"resourceType":"Patient","id":"p1","birthDate":"1950-13-01"})" + "\n";
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadFhirFiles({{"x.ndjson", ndjson}}, &ds, &report).ok());
  std::map<uint64_t, std::string> by_line;
  for (const auto& r : report.rejects) by_line[r.line] = r.field + " | " + r.reason;
  ASSERT_EQ(by_line.size(), 6u) << report.RejectsCsv();
  EXPECT_EQ(by_line[1].substr(0, by_line[1].find(" |")), "item[0].adjudication[0].amount.value");
  EXPECT_EQ(by_line[2].substr(0, by_line[2].find(" |")), "item");
  EXPECT_NE(by_line[3].find("not valid JSON"), std::string::npos);
  EXPECT_EQ(by_line[4].substr(0, by_line[4].find(" |")), "patient.reference");
  EXPECT_NE(by_line[5].find("expected a resource object"), std::string::npos);
  EXPECT_EQ(by_line[6].substr(0, by_line[6].find(" |")), "birthDate");
  EXPECT_EQ(ds.medical.size(), 0u);
}

// A run whose services leave out pharmacy claims reads none: a pharmacy ExplanationOfBenefit
// gives no line, member, claim id or reject (a damaged one included), and a note counts them.
TEST(FhirStructure, PharmacyClaimsLeftOutAreNotRead) {
  const std::string pde =
      R"({"resourceType":"ExplanationOfBenefit","id":"rx-%ID%","patient":{"reference":"Patient/p2"},)"
      R"("type":{"coding":[{"system":"https://bluebutton.cms.gov/resources/codesystem/eob-type","code":"PDE"}]},)"
      R"("item":[{"sequence":1,"servicedDate":"2024-02-01","productOrService":{"coding":[{"code":"00002322730"}]},)"
      R"("adjudication":[{"category":{"coding":[{"code":"https://bluebutton.cms.gov/resources/variables/line_nch_pmt_amt"}]},"amount":{"value":%AMOUNT%}}]}]})";
  const auto with_amount = [&](const std::string& id, const std::string& amount) {
    std::string e = pde;
    e.replace(e.find("%ID%"), 4, id);
    e.replace(e.find("%AMOUNT%"), 8, amount);
    return e;
  };  // the second pharmacy claim's items are not a list: a reject when it is read
  const std::string ndjson =
      Eob(R"(,"billablePeriod":{"start":"2024-01-05","end":"2024-01-05"},"item":[{"sequence":1,"adjudication":[{"category":{"coding":[{"code":"https://bluebutton.cms.gov/resources/variables/line_nch_pmt_amt"}]},"amount":{"value":12.00}}]}])") +
      "\n" + with_amount("1", "30.00") + "\n" +
      R"({"resourceType":"ExplanationOfBenefit","id":"rx-2","patient":{"reference":"Patient/p2"},)"
      R"("type":{"coding":[{"system":"https://bluebutton.cms.gov/resources/codesystem/eob-type","code":"PDE"}]},)"
      R"("item":{"sequence":1}})"
      "\n";
  for (bool pharmacy : {true, false}) {
    Dataset ds;
    IngestReport report;
    FhirOptions o;
    o.pharmacy = pharmacy;
    ASSERT_TRUE(LoadFhirFiles({{"x.ndjson", ndjson}}, &ds, &report, o).ok());
    EXPECT_EQ(ds.medical.size(), 1u) << report.RejectsCsv();
    bool noted = false;
    for (const auto& n : report.notes) {
      noted |= n.find("2 pharmacy ExplanationOfBenefit resource(s) not read") != std::string::npos;
    }
    if (pharmacy) {
      EXPECT_EQ(ds.pharmacy.size(), 1u);
      EXPECT_EQ(report.rejects.size(), 1u) << report.RejectsCsv();
      EXPECT_EQ(ds.members.size(), 2u);
      EXPECT_FALSE(noted);
    } else {
      EXPECT_EQ(ds.pharmacy.size(), 0u);
      EXPECT_TRUE(report.rejects.empty()) << report.RejectsCsv();
      EXPECT_EQ(ds.members.size(), 1u);  // p2 is listed on pharmacy claims only
      EXPECT_EQ(ds.claim_ids.size(), 1u);
      EXPECT_TRUE(noted);
    }
  }
}

TEST(FhirShapes, R4CarinClaimWithCoverageAndPatient) {
  const std::string eob = R"({"resourceType":"ExplanationOfBenefit","id":"op-1",
    "unknownElement":{"deep":[1,2,3]},
    "patient":{"reference":"Patient/m1"},
    "type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/claim-type","code":"institutional"}]},
    "subType":{"coding":[{"system":"http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBInstitutionalClaimSubType","code":"outpatient"}]},
    "billablePeriod":{"start":"2024-03-01","end":"2024-03-02"},
    "provider":{"identifier":{"type":{"coding":[{"code":"npi"}]},"value":"1234567893"}},
    "supportingInfo":[{"sequence":1,"category":{"coding":[{"code":"typeofbill"}]},"code":{"coding":[{"code":"0131"}]}}],
    "diagnosis":[{"sequence":2,"diagnosisCodeableConcept":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"I10"}]}},
                 {"sequence":1,"diagnosisCodeableConcept":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"E11.9"}]}}],
    "item":[{"sequence":2,"revenue":{"coding":[{"code":"0300"}]},"productOrService":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"80053"}]},
             "servicedDate":"2024-03-02",
             "adjudication":[{"category":{"coding":[{"system":"http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication","code":"paidtoprovider"}]},"amount":{"value":40.5}},
                             {"category":{"coding":[{"code":"submitted"}]},"amount":{"value":100}}]},
            {"sequence":1,"revenue":{"coding":[{"code":"0450"}]},"productOrService":{"coding":[{"system":"https://bluebutton.cms.gov/resources/codesystem/hcpcs","code":"99283"}]},
             "servicedDate":"2024-03-01",
             "adjudication":[{"category":{"coding":[{"code":"paidtoprovider"}]},"amount":{"value":59.5}}]}],
    "payment":{"amount":{"value":100.0},"date":"2024-03-20"}})";
  std::string compact;
  for (char c : eob) {
    if (c != '\n') compact.push_back(c);
  }
  const std::string ndjson =
      compact + "\n" +
      R"({"resourceType":"Patient","id":"m1","gender":"female","birthDate":"1948-05-06","deceasedDateTime":"2024-06-30T10:00:00-04:00"})" +
      "\n" +
      R"({"resourceType":"Coverage","id":"a","beneficiary":{"reference":"Patient/m1"},"period":{"start":"2024-01-01","end":"2024-12-31"},"extension":[{"url":"https://bluebutton.cms.gov/resources/variables/ms_cd","valueCoding":{"code":"10"}},{"url":"https://bluebutton.cms.gov/resources/variables/dual_03","valueCoding":{"code":"02"}}]})" +
      "\n" +
      R"({"resourceType":"Coverage","id":"b","beneficiary":{"reference":"Patient/m1"},"period":{"start":"2024-02-01","end":"2024-12-31"}})" +
      "\n";
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadFhirFiles({{"r4.ndjson", ndjson}}, &ds, &report).ok());
  ASSERT_TRUE(report.rejects.empty()) << report.RejectsCsv();
  const auto& m = ds.medical;
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.line_number[0], 1);
  EXPECT_EQ(ds.codes.Get(m.revenue_code[0]), "0450");
  EXPECT_EQ(ds.codes.Get(m.hcpcs[1]), "80053");
  EXPECT_EQ(m.claim_type[0], ClaimType::kInstitutional);
  EXPECT_EQ(ds.codes.Get(m.bill_type[0]), "0131");
  EXPECT_EQ(ds.codes.Get(m.billing_npi[0]), "1234567893");
  // Lines add up to the claim payment, so line amounts are kept.
  EXPECT_EQ(m.paid[0], Money::FromCents(5950));
  EXPECT_EQ(m.paid[1], Money::FromCents(4050));
  EXPECT_EQ(m.paid_date[0], Date::FromCivil(2024, 3, 20));
  // Diagnoses in sequence order, dots removed.
  ASSERT_EQ(m.dx_offset[1], 2u);
  EXPECT_EQ(ds.codes.Get(m.dx_code[0]), "E119");
  EXPECT_EQ(ds.codes.Get(m.dx_code[1]), "I10");
  // Overlapping coverages merge into one span, clipped at death.
  ASSERT_EQ(ds.eligibility.size(), 1u);
  EXPECT_EQ(ds.eligibility.start[0], Date::FromCivil(2024, 1, 1));
  EXPECT_EQ(ds.eligibility.end[0], Date::FromCivil(2024, 6, 30));
  EXPECT_EQ(ds.eligibility.sex[0], 'F');
  EXPECT_EQ(ds.codes.Get(ds.eligibility.medicare_status[0]), "10");
  EXPECT_EQ(ds.codes.Get(ds.eligibility.dual_status[0]), "02");
}

// An ExplanationOfBenefit item paying `paid` dollars.
std::string Item(int sequence, const std::string& paid) {
  return fmt::format(
      R"({{"sequence":{},"adjudication":[{{"category":{{"coding":[{{"code":"https://bluebutton.cms.gov/resources/variables/line_nch_pmt_amt"}}]}},"amount":{{"value":{}}}}}]}})",
      sequence, paid);
}

std::string EobWithId(const std::string& id, const std::string& items) {
  std::string e =
      Eob(R"(,"billablePeriod":{"start":"2024-01-02","end":"2024-01-02"},"item":[)" + items + "]");
  return e.replace(e.find(R"("id":"e1")"), 9, R"("id":")" + id + R"(")");
}

TEST(FhirLineChecks, RepeatedLinesAndImplausibleAmountsAreRejected) {
  const std::string ndjson =
      // e1: items 1, 2, 2: the second item 2 repeats the claim's line 2.
      EobWithId("e1", Item(1, "10.00") + "," + Item(2, "20.00") + "," + Item(2, "30.00")) + "\n" +
      // e2: a line paying -$99,999,999.99.
      EobWithId("e2", Item(1, "-99999999.99") + "," + Item(2, "5.00")) + "\n" +
      // e1 again, whole: every line repeats a key already read.
      EobWithId("e1", Item(1, "10.00") + "," + Item(2, "20.00")) + "\n";
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadFhirFiles({{"x.ndjson", ndjson}}, &ds, &report).ok());
  ASSERT_EQ(report.rejects.size(), 3u) << report.RejectsCsv();
  std::map<uint64_t, Reject> by_line;
  for (const auto& r : report.rejects) by_line[r.line] = r;
  EXPECT_EQ(by_line[1].reason, "duplicate_key");
  EXPECT_EQ(by_line[1].field, "item.sequence");
  EXPECT_EQ(by_line[1].value, "claim e1 line 2 (first at x.ndjson:1)");
  EXPECT_EQ(by_line[1].paid.ToString(), "30.00");
  EXPECT_EQ(by_line[2].reason, "implausible_amount");
  EXPECT_EQ(by_line[2].value, "-99999999.99");
  EXPECT_EQ(by_line[3].reason, "duplicate_key");
  EXPECT_EQ(by_line[3].value, "ExplanationOfBenefit e1 (first at x.ndjson:1)");
  EXPECT_EQ(by_line[3].paid.ToString(), "30.00");
  // Kept: e1 lines 1 and 2 ($30), e2 line 2 ($5).
  ASSERT_EQ(ds.medical.size(), 3u);
  Money paid;
  for (Money m : ds.medical.paid) paid += m;
  EXPECT_EQ(paid.ToString(), "35.00");
  EXPECT_EQ(ds.medical.category.size(), 3u);
  const auto totals = report.RejectTotals();
  EXPECT_EQ(totals[0].rows, 2u);
  EXPECT_EQ(totals[0].paid.ToString(), "60.00");
  EXPECT_EQ(totals[1].rows, 1u);
  EXPECT_EQ(report.counters["medical_claim.duplicate_key"], 2u);
  EXPECT_EQ(ds.sources[0].rows_rejected, 3u);
}

// US Core race and ethnicity extensions and the home address give the race, ethnicity, state and
// ZIP3 strata, named as the other readers name them; malformed extras never reject the Patient.
TEST(FhirDemographics, RaceEthnicityStateAndZip3) {
  const std::string race =
      R"({"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race","extension":[)"
      R"({"url":"ombCategory","valueCoding":{"code":"2106-3","display":"White"}},)"
      R"({"url":"text","valueString":"White"}]})";
  const std::string ethnicity =
      R"({"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity","extension":[)"
      R"({"url":"text","valueString":"Not Hispanic or Latino"}]})";
  const std::string ndjson =
      R"({"resourceType":"Patient","id":"p1","gender":"male","birthDate":"1940-01-01","extension":[)" +
      race + "," + ethnicity +
      R"(],"address":[{"use":"work","state":"NY","postalCode":"10001"},)"
      R"({"use":"home","state":"MA","postalCode":"02139-4307"}]})" +
      "\n" +
      R"({"resourceType":"Patient","id":"p2","extension":"oops","address":[{"state":"Ohio"}]})" +
      "\n" +
      R"({"resourceType":"Coverage","id":"c1","beneficiary":{"reference":"Patient/p1"},"period":{"start":"2024-01-01","end":"2024-12-31"}})" +
      "\n" +
      R"({"resourceType":"Coverage","id":"c2","beneficiary":{"reference":"Patient/p2"},"period":{"start":"2024-01-01","end":"2024-12-31"}})" +
      "\n";
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadFhirFiles({{"p.ndjson", ndjson}}, &ds, &report).ok());
  EXPECT_TRUE(report.rejects.empty()) << report.RejectsCsv();
  ASSERT_EQ(ds.eligibility.size(), 2u);
  const auto text = [&](uint32_t code) {
    return code == kNoCode ? std::string("-") : std::string(ds.codes.Get(code));
  };
  const auto& e = ds.eligibility;
  const size_t p1 = ds.members.Get(e.member[0]) == "p1" ? 0 : 1, p2 = 1 - p1;
  EXPECT_EQ(text(e.race[p1]), "white");
  EXPECT_EQ(text(e.ethnicity[p1]), "not hispanic or latino");
  EXPECT_EQ(text(e.state[p1]), "massachusetts");
  EXPECT_EQ(text(e.zip3[p1]), "021");
  EXPECT_EQ(text(e.race[p2]), "-");
  EXPECT_EQ(text(e.state[p2]), "ohio");
  EXPECT_EQ(text(e.zip3[p2]), "-");
}

TEST(FhirDemographics, PatientWithoutCoveragePeriodStillGivesDemographics) {
  // Blue Button STU3 Coverages carry no period: no enrollment span, but the Patient's birth
  // date and sex and the Coverage's codes still describe the member.
  const std::string ndjson =
      R"({"resourceType":"Patient","id":"p1","gender":"male","birthDate":"1940-02-03","deceasedDateTime":"2024-05-06"})"
      "\n"
      R"({"resourceType":"Coverage","id":"a","beneficiary":{"reference":"Patient/p1"},"extension":[{"url":"https://bluebutton.cms.gov/resources/variables/ms_cd","valueCoding":{"code":"20"}},{"url":"https://bluebutton.cms.gov/resources/variables/orec","valueCoding":{"code":"1"}},{"url":"https://bluebutton.cms.gov/resources/variables/dual_01","valueCoding":{"code":"NA"}},{"url":"https://bluebutton.cms.gov/resources/variables/dual_02","valueCoding":{"code":"02"}}]})"
      "\n";
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadFhirFiles({{"x.ndjson", ndjson}}, &ds, &report).ok());
  EXPECT_EQ(ds.eligibility.size(), 0u);
  ds.FinalizeMembers();
  const uint32_t p1 = ds.members.Find("p1");
  ASSERT_NE(p1, StringInterner::kNone);
  const auto& mi = ds.member_info;
  ASSERT_EQ(mi.sex.size(), ds.member_count());
  EXPECT_EQ(mi.sex[p1], 'M');
  EXPECT_EQ(mi.birth_date[p1], Date::FromCivil(1940, 2, 3));
  EXPECT_EQ(mi.death_date[p1], Date::FromCivil(2024, 5, 6));
  EXPECT_EQ(ds.codes.Get(mi.medicare_status[p1]), "20");
  EXPECT_EQ(ds.codes.Get(mi.orec[p1]), "1");
  EXPECT_EQ(ds.codes.Get(mi.dual_status[p1]), "02");  // the last monthly code
  // Finalizing again, or after more members appear (program data), gives the same rows.
  const auto before = mi.birth_date;
  ds.members.Intern("someone-from-program-data");
  ds.FinalizeMembers();
  ASSERT_EQ(ds.member_info.birth_date.size(), ds.member_count());
  EXPECT_EQ(ds.member_info.birth_date[p1], before[p1]);
  EXPECT_EQ(ds.member_info.birth_date.back(), kNoDate);
}

TEST(FhirHostile, TruncatedNestedAndBinaryInput) {
  std::string deep(5000, '[');
  std::string binary(300, '\0');
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 13);
  const std::string truncated = Eob(R"(,"item":[{"sequence":1})").substr(0, 90);
  std::vector<std::string> bytes = {deep, binary, truncated,
                                    R"({"resourceType":"Bundle","entry":[1,{"resource":[]}]})"};
  Dataset ds;
  IngestReport report;
  auto st = LoadFhirFiles({{"a.ndjson", bytes[0]},
                           {"b.ndjson", bytes[1]},
                           {"c.ndjson", bytes[2]},
                           {"d.json", bytes[3]}},
                          &ds, &report);
  EXPECT_TRUE(st.ok());
  EXPECT_GE(report.rejects.size(), 4u);
  EXPECT_EQ(ds.medical.size(), 0u);
}

}  // namespace
}  // namespace valuepact::fhir
