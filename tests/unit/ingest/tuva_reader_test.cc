#include "valuepact/ingest/tuva_reader.h"
#include "valuepact/core/csv.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include "test_paths.h"
#include "valuepact/core/file_io.h"
#include "valuepact/ingest/claim_line_checks.h"
#include "valuepact/ingest/dataset_cache.h"
#include "valuepact/ingest/quality/quality.h"

namespace valuepact {
namespace {

namespace fs = std::filesystem;

const char* kEligHeader =
    "person_id,gender,birth_date,enrollment_start_date,enrollment_end_date,payer\n";
const char* kMedHeader =
    "claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,"
    "paid_amount,allowed_amount,diagnosis_code_1,diagnosis_code_2\n";

struct Loaded {
  Status status;
  Dataset ds;
  IngestReport report;
};

std::unique_ptr<Loaded> Load(const std::string& table, const std::string& bytes,
                             const LoadOptions& o = {}) {
  auto l = std::make_unique<Loaded>();
  l->status = LoadTuvaTable(table, bytes, table + ".csv", o, &l->ds, &l->report);
  return l;
}

// Where each row was read, kept as runs: a rejected line, a record over two lines and the next
// file each start a run, appended batch by batch (an empty batch too); every row's place is
// the one appended.
TEST(SourceRuns, EveryRowsPlaceAcrossGapsRecordsOverTwoLinesAndFiles) {
  const std::vector<std::vector<SourceRef>> batches = {{{0, 2}, {0, 3}, {0, 4}},
                                                       {{0, 6}, {0, 7}},
                                                       {},
                                                       {{0, 9}},
                                                       {{1, 2}, {1, 3}},
                                                       {{1, 4}},
                                                       {{1, 0xFFFFFFFEu}, {1, 0xFFFFFFFFu}},
                                                       {{2, 0xFFFFFFFFu}}};
  SourceRuns runs;
  std::vector<SourceRef> all;
  for (const auto& b : batches) {
    runs.Append(b);
    all.insert(all.end(), b.begin(), b.end());
    ASSERT_EQ(runs.size(), all.size());
    for (size_t r = 0; r < all.size(); ++r) {
      EXPECT_EQ(runs.At(r).file, all[r].file) << r;
      EXPECT_EQ(runs.At(r).line, all[r].line) << r;
    }
  }
  EXPECT_EQ(runs.runs(), 6u);
}

// Claim keys kept about a byte a line come back whole and in order: lines of the claim before,
// of the next new claim, of any other (the first and the largest ids too), with line numbers
// at and beyond the one-byte range, negative and the int32 extremes.
TEST(ClaimKeys, EveryKeyComesBackInOrder) {
  std::vector<std::pair<uint32_t, int32_t>> want = {
      {0, 1},  {0, 2},          {1, 1},  {1, 62},
      {1, 63}, {2, 0},          {2, -1}, {0, 3},
      {7, 1},  {3, 1},          {3, 1},  {0xFFFFFFFFu, 5},
      {8, 1},  {8, 2147483647}, {9, -2}, {9, -2147483647 - 1},
      {4, 64}, {10, 1}};
  for (uint32_t c = 11; c < 3000; ++c) want.emplace_back(c, static_cast<int32_t>(c % 70));
  ClaimKeys keys;
  for (const auto& [c, l] : want) keys.Append(c, l);
  ASSERT_EQ(keys.size(), want.size());
  EXPECT_EQ(keys.claim_bound(), uint64_t{0xFFFFFFFFu} + 1);
  // Read in batches of 1, 7 and 97 keys and all at once (batches end inside a claim's lines).
  for (size_t batch : {size_t{1}, size_t{7}, size_t{97}, want.size() + 5}) {
    ClaimKeys::Reader read(keys);
    std::vector<uint32_t> claim(batch);
    std::vector<int32_t> line(batch);
    std::vector<std::pair<uint32_t, int32_t>> got;
    while (const size_t n = read.Next(claim.data(), line.data(), batch)) {
      ASSERT_LE(n, batch);
      for (size_t i = 0; i < n; ++i) got.emplace_back(claim[i], line[i]);
    }
    EXPECT_EQ(got, want) << batch;
    EXPECT_EQ(read.Next(claim.data(), line.data(), batch), 0u);
  }
}

TEST(TuvaReader, ReadsMedicalLinesWithTypesAndNormalisedCodes) {
  auto l =
      Load("medical_claim", std::string(kMedHeader) +
                                "c1,1,professional,A,2018-01-05,2018-01-05,100.10,120,i50.9,E11.9\n"
                                "c1,2,professional,A,20180105,,0.5,,,\n");
  ASSERT_TRUE(l->status.ok()) << l->status.message();
  const auto& t = l->ds.medical;
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.paid[0].cents(), 10010);
  EXPECT_EQ(t.paid[1].cents(), 50);
  EXPECT_EQ(t.allowed[1].cents(), 0);
  EXPECT_EQ(t.claim[0], t.claim[1]);
  EXPECT_EQ(t.claim_end[1], kNoDate);
  EXPECT_EQ(t.claim_type[0], ClaimType::kProfessional);
  ASSERT_EQ(t.dx_offset.size(), 3u);
  EXPECT_EQ(t.dx_offset[1] - t.dx_offset[0], 2u);
  EXPECT_EQ(l->ds.codes.Get(t.dx_code[0]), "I509");
  EXPECT_EQ(l->ds.codes.Get(t.dx_code[1]), "E119");
  EXPECT_EQ(l->report.counters["medical_claim.empty_allowed_amount"], 1u);
}

TEST(TuvaReader, AcceptsOlderAliases) {
  auto l = Load("medical_claim",
                "claim_id,patient_id,claim_start_date,claim_end_date,ms_drg_code,paid_amount\n"
                "c1,P1,2018-01-01,2018-01-03,291,5000\n");
  ASSERT_TRUE(l->status.ok()) << l->status.message();
  EXPECT_EQ(l->ds.members.Get(l->ds.medical.member[0]), "P1");
  EXPECT_EQ(l->ds.codes.Get(l->ds.medical.drg[0]), "291");
}

TEST(TuvaReader, MissingRequiredColumnNamesFileAndColumn) {
  auto l = Load("medical_claim",
                "claim_id,person_id,claim_start_date,claim_end_date\nc,A,2018-01-01,\n");
  EXPECT_EQ(l->status.code(), StatusCode::kInvalidInput);
  EXPECT_NE(l->status.message().find("medical_claim.csv: missing required column 'paid_amount'"),
            std::string::npos)
      << l->status.message();
  LoadOptions allowed;
  allowed.basis = "allowed";
  l = Load("medical_claim",
           "claim_id,person_id,claim_start_date,claim_end_date,paid_amount\nc,A,2018-01-01,,1\n",
           allowed);
  EXPECT_NE(l->status.message().find("'allowed_amount'"), std::string::npos);
}

// A quote opened and never closed costs the row it opened on: the rows after it are read (one
// of them bad for its own reason), not swallowed into one rejected row.
TEST(TuvaReader, AnUnclosedQuoteRejectsItsOwnRowOnly) {
  auto l = Load("medical_claim",
                std::string(kMedHeader) +
                    "c1,1,professional,A,2018-01-05,2018-01-05,10,1,,\n"
                    "c2,1,professional,\"A,2018-01-05,2018-01-05,20,1,,\n"  // open quote
                    "c3,1,professional,B,2018-01-05,2018-01-05,30,1,,\n"
                    "c4,1,professional,B,2018-01-05,2018-01-05,1e3,1,,\n"  // bad amount
                    "c5,1,professional,C,2018-01-05,2018-01-05,50,1,,\n");
  ASSERT_TRUE(l->status.ok());
  ASSERT_EQ(l->ds.medical.size(), 3u);
  EXPECT_EQ(l->ds.medical.paid[1].cents(), 3000);
  EXPECT_EQ(l->ds.medical.source[2].line, 6u);
  ASSERT_EQ(l->report.rejects.size(), 2u);
  EXPECT_EQ(l->report.rejects[0].line, 3u);
  EXPECT_NE(l->report.rejects[0].reason.find("unterminated"), std::string::npos);
  EXPECT_EQ(l->report.rejects[1].line, 5u);
  EXPECT_EQ(l->report.rejects[1].field, "paid_amount");
  EXPECT_EQ(l->report.counters["medical_claim.rows_read"], 5u);
}

// A stray quote whose next quote, lines later, opens a field of its own: only the stray's line
// is rejected; the lines between and the quoted field after are read as they are. A quoted
// field that spans lines and closes cleanly is still one field.
TEST(TuvaReader, AStrayQuoteBeforeLaterQuotedFieldsRejectsItsOwnRowOnly) {
  auto l = Load("medical_claim",
                std::string(kMedHeader) +
                    "c1,1,professional,A,2018-01-05,2018-01-05,10,1,,\n"
                    "c2,1,professional,\"A,2018-01-05,2018-01-05,20,1,,\n"  // stray quote
                    "c3,1,professional,B,2018-01-05,2018-01-05,30,1,,\n"
                    "c4,1,professional,B,2018-01-05,2018-01-05,40,1,,\n"
                    "c5,1,professional,C,2018-01-05,2018-01-05,50,1,\"E11,9\",\n"
                    "c6,1,professional,C,2018-01-05,2018-01-05,60,1,\"I10\nZ00\",\n");
  ASSERT_TRUE(l->status.ok());
  ASSERT_EQ(l->ds.medical.size(), 5u);
  EXPECT_EQ(l->ds.medical.paid[1].cents(), 3000);
  EXPECT_EQ(l->ds.medical.source[3].line, 6u);
  EXPECT_EQ(l->ds.medical.source[4].line, 7u);
  ASSERT_EQ(l->report.rejects.size(), 1u);
  EXPECT_EQ(l->report.rejects[0].line, 3u);
  EXPECT_NE(l->report.rejects[0].reason.find("unterminated"), std::string::npos);
  EXPECT_EQ(l->report.counters["medical_claim.rows_read"], 6u);
}

// The split counts quotes to find record starts; after a stray quote that count is off for the
// rest of the file, and a cut can fall inside a later quoted field. Such a chunk is read again
// with the next: every record is read as from the start of the file, whatever the threads.
TEST(TuvaReader, AStrayQuoteDoesNotLetTheSplitCutInsideALaterQuotedField) {
  std::string csv = kMedHeader;
  csv += "c0,1,professional,\"A,2018-01-05,2018-01-05,10,1,,\n";  // stray quote, line 2
  const int records = 120000;                                     // about 8 MiB: several chunks
  for (int i = 1; i < records; ++i) {
    // Every 50th record has a quoted field across two lines.
    csv += fmt::format("c{},1,professional,M{},2018-01-05,2018-01-05,{},1,{},\n", i, i % 977,
                       10 + i % 90, i % 50 == 0 ? "\"I10\nZ00\"" : "E119");
  }
  std::string first;
  for (int threads : {1, 2, 4}) {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, threads);
    auto l = Load("medical_claim", csv);
    ASSERT_TRUE(l->status.ok()) << l->status.message();
    EXPECT_EQ(l->ds.medical.size(), static_cast<size_t>(records - 1)) << threads << " threads";
    ASSERT_GE(l->report.rejects.size(), 1u);
    EXPECT_EQ(l->report.rejects.size(), 1u)
        << threads << " threads: line " << l->report.rejects.back().line << ", "
        << l->report.rejects.back().reason;
    EXPECT_EQ(l->report.rejects[0].line, 2u);
    auto bytes = cache::EncodeCache(l->ds, {}, l->report, {}, 1);
    ASSERT_TRUE(bytes.ok());
    if (first.empty()) first = *bytes;
    EXPECT_TRUE(*bytes == first) << threads << " threads read another dataset than 1";
  }
}

// Reads `csv` as medical_claim whole and with `lean` options, on 1 and 3 threads; both must give
// `rows` lines with the same members, claims, line numbers, amounts and rejects, then `check`
// compares what the lean read leaves out.
template <typename Check>
void ReadFullAndLean(const std::string& csv, const LoadOptions& lean, size_t rows, Check check) {
  for (int threads : {1, 3}) {
    SCOPED_TRACE(threads);
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);
    auto full = Load("medical_claim", csv), part = Load("medical_claim", csv, lean);
    ASSERT_TRUE(full->status.ok()) << full->status.message();
    ASSERT_TRUE(part->status.ok()) << part->status.message();
    const MedicalClaimTable &a = full->ds.medical, &b = part->ds.medical;
    ASSERT_EQ(a.size(), rows);
    ASSERT_EQ(b.size(), rows);
    EXPECT_EQ(full->ds.members.size(), part->ds.members.size());
    EXPECT_EQ(a.member, b.member);
    EXPECT_EQ(a.claim, b.claim);
    EXPECT_EQ(a.line_number, b.line_number);
    EXPECT_EQ(a.paid, b.paid);
    EXPECT_EQ(a.allowed, b.allowed);
    EXPECT_EQ(full->report.RejectsCsv(), part->report.RejectsCsv());
    const auto card = [](const Loaded& l) {
      quality::ScorecardContext ctx;
      ctx.report = &l.report;
      return quality::QualityJson(quality::ComputeQualityScorecard(l.ds, {}, ctx), nullptr);
    };
    EXPECT_EQ(card(*full), card(*part));
    check(*full, *part);
  }
}

// A settlement that reads the lines only for spending reads them without the columns only
// metrics, episodes, plurality attribution and definitions read; a row is rejected on those
// columns' dates all the same, and everything else read is the same.
TEST(TuvaReader, WithoutLineDetailsTheRejectsAndEveryOtherColumnAreTheSame) {
  std::string csv =
      "claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,"
      "admission_date,discharge_date,hcpcs_code,hcpcs_modifier_1,rendering_npi,rendering_tin,"
      "billing_tin,facility_npi,discharge_disposition_code,paid_amount,allowed_amount\n";
  for (int i = 0; i < 30000; ++i) {
    const bool stay = i % 7 == 0;
    csv += fmt::format(
        "c{},{},{},P{},2018-0{}-01,2018-0{}-0{},{},{},9921{},{},{},{},{},{},{},{}.{:02},"
        "{}.00\n",
        i / 2, i % 2 + 1, stay ? "institutional" : "professional", i % 997, i % 9 + 1, i % 9 + 1,
        stay ? 5 : 1, stay ? fmt::format("2018-0{}-01", i % 9 + 1) : "",
        stay ? fmt::format("2018-0{}-05", i % 9 + 1) : "", i % 5, i % 3 ? "25" : "", 1234567893,
        i % 11 ? "123456789" : "", i % 13 ? "987654321" : "", stay ? "1234567893" : "",
        stay ? (i % 2 ? "01" : "20") : "", i % 500, i % 100, i % 500 + 1);
  }
  csv += "bad,1,institutional,P1,2018-01-01,2018-01-05,2018-02-30,,99213,,,,,,,1.00,1.00\n";
  LoadOptions lean;
  lean.line_details = false;
  ReadFullAndLean(csv, lean, 30000, [](const Loaded& full, const Loaded& part) {
    const MedicalClaimTable &a = full.ds.medical, &b = part.ds.medical;
    EXPECT_TRUE(a.details_kept());
    EXPECT_FALSE(b.details_kept());
    for (const auto* col : {&b.hcpcs_modifier_1, &b.rendering_tin, &b.billing_tin, &b.facility_npi,
                            &b.discharge_disposition}) {
      EXPECT_TRUE(col->empty());
    }
    EXPECT_TRUE(b.admission.empty());
    EXPECT_TRUE(b.discharge.empty());
    EXPECT_FALSE(std::all_of(a.discharge_disposition.begin(), a.discharge_disposition.end(),
                             [](uint32_t c) { return c == kNoCode; }));
    EXPECT_EQ(a.claim_start, b.claim_start);
    EXPECT_EQ(a.claim_end, b.claim_end);
    EXPECT_EQ(a.claim_type, b.claim_type);
    for (size_t i = 0; i < a.size(); ++i) {
      ASSERT_EQ(full.ds.codes.Get(a.hcpcs[i]), part.ds.codes.Get(b.hcpcs[i])) << i;
      ASSERT_EQ(a.rendering_npi[i] == kNoCode, b.rendering_npi[i] == kNoCode) << i;
      ASSERT_EQ(a.source[i].line, b.source[i].line) << i;
    }
    // The row with an impossible admission date is rejected either way.
    ASSERT_EQ(full.report.rejects.size(), 1u);
    EXPECT_EQ(full.report.rejects[0].field, "admission_date");
    // What needs the columns says so instead of reading past them.
    EXPECT_TRUE(RequireLineDetails(full.ds, "a test").ok());
    const Status s = RequireLineDetails(part.ds, "a test");
    EXPECT_EQ(s.code(), StatusCode::kInternal);
    EXPECT_NE(s.message().find("a test needs"), std::string::npos);
  });
}

TEST(TuvaReader, BadRowsAreRejectedWithFileLineFieldAndReason) {
  auto l = Load("medical_claim",
                std::string(kMedHeader) +
                    "c1,1,professional,A,2018-01-05,2018-01-05,12.345,1,,\n"    // rounded, kept
                    "c2,1,professional,A,2018-02-30,2018-01-05,1,1,,\n"         // bad date
                    "c3,1,professional,A,2018-01-05,2018-01-05,1e3,1,,\n"       // bad amount
                    "c4,1,professional,A,2018-01-05\n"                          // too few fields
                    "c5,1,professional,,2018-01-05,2018-01-05,1,1,,\n"          // empty person
                    "c6,1,professional,A,,,1,1,,\n"                             // no dates
                    "c7,1,professional,A,2018-01-05,2018-01-05,1,1,caf\xE9,\n"  // not UTF-8
                    "\"c8,1,professional,A,2018-01-05,2018-01-05,1,1,,\n");     // open quote
  ASSERT_TRUE(l->status.ok());
  EXPECT_EQ(l->ds.medical.size(), 1u);
  EXPECT_EQ(l->ds.medical.paid[0].cents(), 1235);
  EXPECT_EQ(l->report.rounded_amounts, 1u);
  ASSERT_EQ(l->report.rejects.size(), 7u);
  std::map<uint64_t, Reject> by_line;
  for (const auto& r : l->report.rejects) by_line[r.line] = r;
  EXPECT_EQ(by_line[3].field, "claim_start_date");
  EXPECT_NE(by_line[3].reason.find("not a calendar date"), std::string::npos);
  EXPECT_EQ(by_line[4].field, "paid_amount");
  EXPECT_EQ(by_line[4].value, "1e3");
  EXPECT_NE(by_line[5].reason.find("expected 10 fields"), std::string::npos);
  EXPECT_EQ(by_line[6].field, "person_id");
  EXPECT_NE(by_line[7].reason.find("neither claim_start_date nor claim_end_date"),
            std::string::npos);
  EXPECT_EQ(by_line[8].field, "diagnosis_code_1");
  EXPECT_NE(by_line[8].reason.find("UTF-8"), std::string::npos);
  EXPECT_NE(by_line[9].reason.find("unterminated"), std::string::npos);
  for (const auto& r : l->report.rejects) EXPECT_EQ(r.file, "medical_claim.csv");
  EXPECT_EQ(l->report.counters["medical_claim.rows_read"], 8u);
  EXPECT_EQ(l->report.counters["medical_claim.rows_rejected"], 7u);
  // The rejects file stays valid UTF-8 text.
  const std::string csv = l->report.RejectsCsv();
  EXPECT_NE(csv.find("caf\\xE9"), std::string::npos);
}

// A state given as a USPS or FIPS code is recorded by name, as CCLF and FHIR readers record it;
// ZIP3 needs three leading digits.
TEST(TuvaReader, StateIsRecordedByNameWhateverItsForm) {
  auto l = Load("eligibility",
                "person_id,enrollment_start_date,enrollment_end_date,payer,state,zip_code,race\n"
                "a,2018-01-01,2018-12-31,medicare,Kentucky,40202,White\n"
                "b,2018-01-01,2018-12-31,medicare,ky,4,\n"
                "c,2018-01-01,2018-12-31,medicare,21,ABCDE,\n"
                "d,2018-01-01,2018-12-31,medicare,Ontario,,\n");
  ASSERT_TRUE(l->status.ok());
  const auto& e = l->ds.eligibility;
  ASSERT_EQ(e.size(), 4u);
  const auto text = [&](uint32_t code) {
    return code == kNoCode ? std::string("-") : std::string(l->ds.codes.Get(code));
  };
  EXPECT_EQ(text(e.state[0]), "kentucky");
  EXPECT_EQ(text(e.state[1]), "kentucky");
  EXPECT_EQ(text(e.state[2]), "kentucky");
  EXPECT_EQ(text(e.state[3]), "ontario");
  EXPECT_EQ(text(e.zip3[0]), "402");
  EXPECT_EQ(text(e.zip3[1]), "-");
  EXPECT_EQ(text(e.zip3[2]), "-");
  EXPECT_EQ(text(e.race[0]), "white");
}

// A row's value is compared with the row before's to skip the id lookup (two words for 8 to 16
// bytes). Ids of every length from 1 to 20, each next row's differing from the last in one
// byte at every position in turn, and then the same again, must each keep their own member.
TEST(TuvaReader, IdsThatDifferInOneByteFromTheRowBeforeAreTold) {
  std::string csv = "person_id,enrollment_start_date,enrollment_end_date,payer\n";
  std::vector<std::string> ids;
  for (size_t n = 1; n <= 20; ++n) {
    const std::string base(n, 'm');
    for (size_t at = 0; at < n; ++at) {
      std::string changed = base;
      changed[at] = 'x';
      for (const std::string& id : {base, changed, changed}) {
        ids.push_back(id);
        csv += id + ",2018-01-01,2018-12-31,medicare\n";
      }
    }
  }
  auto l = Load("eligibility", csv);
  ASSERT_TRUE(l->status.ok()) << l->status.message();
  const auto& e = l->ds.eligibility;
  ASSERT_EQ(e.size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(l->ds.members.Get(e.member[i]), ids[i]) << i;
  }
}

TEST(TuvaReader, QuotedFieldsCrLfBomAndUnknownColumns) {
  auto l = Load("eligibility",
                "\xEF\xBB\xBF"
                "person_id,favourite_colour,enrollment_start_date,enrollment_end_date,payer\r\n"
                "\"A,1\",\"blue\nish\",2018-01-01,2018-12-31,Medicare\r\n"
                "B,,2018-01-01,,medicare\r\n");
  ASSERT_TRUE(l->status.ok()) << l->status.message();
  ASSERT_EQ(l->ds.eligibility.size(), 2u);
  EXPECT_EQ(l->ds.members.Get(0), "A,1");
  EXPECT_EQ(l->ds.codes.Get(l->ds.eligibility.payer[0]), "medicare");  // lower-cased
  EXPECT_EQ(l->ds.eligibility.payer[0], l->ds.eligibility.payer[1]);
  EXPECT_EQ(l->ds.eligibility.end[1].ToString(), "9999-12-31");  // open-ended span
  ASSERT_EQ(l->report.notes.size(), 1u);
  EXPECT_NE(l->report.notes[0].find("favourite_colour"), std::string::npos);
}

TEST(TuvaReader, EmptyAndHeaderOnlyFiles) {
  EXPECT_FALSE(Load("eligibility", "")->status.ok());
  auto l = Load("eligibility", "person_id,enrollment_start_date,enrollment_end_date,payer\n");
  EXPECT_TRUE(l->status.ok());
  EXPECT_EQ(l->ds.eligibility.size(), 0u);
  EXPECT_FALSE(Load("eligibility", "\"person_id\n")->status.ok());
  EXPECT_FALSE(
      Load("eligibility", "person_id,Person_ID,enrollment_start_date,enrollment_end_date\n")
          ->status.ok());
}

// Every column, id table and reject of two reads of the same bytes.
void ExpectSameMedical(const Dataset& a, const IngestReport& ra, const Dataset& b,
                       const IngestReport& rb) {
  const MedicalClaimTable& x = a.medical;
  const MedicalClaimTable& y = b.medical;
  ASSERT_EQ(x.size(), y.size());
  EXPECT_EQ(x.member, y.member);
  EXPECT_EQ(x.claim, y.claim);
  EXPECT_EQ(x.line_number, y.line_number);
  EXPECT_EQ(x.claim_start, y.claim_start);
  EXPECT_EQ(x.claim_end, y.claim_end);
  EXPECT_EQ(x.paid, y.paid);
  EXPECT_EQ(x.allowed, y.allowed);
  EXPECT_EQ(x.dx_offset, y.dx_offset);
  EXPECT_EQ(x.dx_code, y.dx_code);
  EXPECT_EQ(x.px_offset, y.px_offset);
  ASSERT_EQ(x.source.size(), y.source.size());
  for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(x.source[i].line, y.source[i].line) << i;
  for (const StringInterner Dataset::*ids :
       {&Dataset::members, &Dataset::claim_ids, &Dataset::codes}) {
    const StringInterner& p = a.*ids;
    const StringInterner& q = b.*ids;
    ASSERT_EQ(p.size(), q.size());
    for (uint32_t i = 0; i < p.size(); ++i) ASSERT_EQ(p.Get(i), q.Get(i));
  }
  ASSERT_EQ(a.sources.size(), b.sources.size());
  for (size_t i = 0; i < a.sources.size(); ++i) EXPECT_EQ(a.sources[i].sha256, b.sources[i].sha256);
  EXPECT_EQ(ra.RejectsCsv(), rb.RejectsCsv());
}

// One thread reads the file in more, smaller batches than four (a batch is parsed, read again
// across quoted cuts, and merged before the next is parsed into the memory it leaves); the
// dataset is the same. A stray quote early puts later cuts inside quoted fields, so chunks are
// read again, at batch ends too.
TEST(TuvaReader, SameIdsAndRowsForAnyThreadCount) {
  std::string s = kMedHeader;
  for (int i = 0; i < 150000; ++i) {
    s += "c" + std::to_string(i % 7919) + ",1,professional,M" + std::to_string(i % 1237) +
         ",2018-01-05,2018-01-05," + std::to_string(i) + ".25,1,I10,\"E11,9\"\n";
    if (i % 5000 == 0) s += "bad line\n";
    if (i == 20000) s += "c-stray,1,professional,M1,\"2018-01-05,2018-01-05,1,1,,\n";
    if (i % 1500 == 0) {
      s += "c" + std::to_string(i % 7919) +
           ",2,professional,M1,2018-01-05,2018-01-05,1,1,\"I10\n\",\n";
    }
  }
  // An arena of one thread reads it in batches of two chunks; one of four, in batches of eight
  // (the file is 11 MB, cut in chunks of at least 1 MiB).
  auto run = [&](int threads) {
    tbb::task_arena arena(threads);
    return arena.execute([&] { return Load("medical_claim", s); });
  };
  auto a = run(1), b = run(4);
  ExpectSameMedical(a->ds, a->report, b->ds, b->report);
  // Fingerprinted as it is read, batch by batch: the fingerprint of the whole file.
  EXPECT_EQ(a->ds.sources.at(0).sha256, FingerprintBytes(s));
  EXPECT_NE(a->report.RejectsCsv().find("unterminated quoted field"), std::string::npos);
  // Every claim keeps its first line (the first 7,919 rows); the 52,081 later lines repeat a
  // (claim, line 1) key, whichever chunk or thread read them.
  // The 100 lines numbered 2 are claims' second lines, kept too; the stray line is rejected
  // alone.
  EXPECT_EQ(a->ds.medical.size(), 7919u + 100u);
  EXPECT_EQ(a->ds.medical.paid.back().ToString(), "1.00");
  EXPECT_EQ(a->report.rejects.size(), 30u + 1u + 142081u);
  EXPECT_EQ(a->report.RejectTotals()[0].rows, 142081u);
}

// Lines with every kind of diagnosis list: none, one, several, gaps, lower case, dots, a lone
// dot, codes of the wrong shape, and repeated keys that the duplicate check rejects after the
// chunks are merged.
std::string DiagnosisVariety() {
  std::string s =
      "claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,"
      "paid_amount,allowed_amount,diagnosis_code_1,diagnosis_code_2,diagnosis_code_3,"
      "procedure_code_1\n";
  const char* lists[] = {
      ",,,",    "I10,,,",        ",e11.9,,0DTJ4ZZ", "i10,E119,Z00,",       "12345,I10,,",
      ".,x,Q,", "E11.65,bad!,,", ",,I48.91,",       "A0,TOOLONGCODE,I10,", "Z99.81,N18.3,,"};
  for (int i = 0; i < 30000; ++i) {
    const int claim = i % 26000;  // the last 4,000 lines repeat a key
    s += fmt::format("c{},1,professional,M{},2018-02-0{},2018-02-0{},{}.10,1,{}\n", claim, i % 997,
                     1 + i % 9, 1 + i % 9, i, lists[(i * 7) % 10]);
    if (i % 9000 == 0) s += "a line cut short\n";
  }
  return s;
}

TEST(TuvaReader, WithoutDiagnosesTheScorecardAndEveryOtherColumnAreTheSame) {
  LoadOptions lean;
  lean.diagnoses = false;
  ReadFullAndLean(DiagnosisVariety(), lean, 26000, [](const Loaded& full, const Loaded& part) {
    const MedicalClaimTable &a = full.ds.medical, &b = part.ds.medical;
    EXPECT_TRUE(a.diagnoses_kept());
    EXPECT_FALSE(b.diagnoses_kept());
    // Nothing of the codes is kept but their summary.
    EXPECT_TRUE(b.dx_code.empty());
    EXPECT_TRUE(b.px_code.empty());
    EXPECT_EQ(b.dx_offset.size(), 1u);
    EXPECT_FALSE(a.px_code.empty());
    EXPECT_EQ(b.dx_listed.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      const uint32_t fa = a.FirstDiagnosis(i), fb = b.FirstDiagnosis(i);
      ASSERT_EQ(fa == kNoCode, fb == kNoCode) << i;
      if (fa != kNoCode) ASSERT_EQ(full.ds.codes.Get(fa), part.ds.codes.Get(fb)) << i;
      ASSERT_EQ(a.dx_offset[i + 1] - a.dx_offset[i], b.dx_listed[i]) << i;
    }
    quality::ScorecardContext ctx;
    ctx.report = &full.report;
    // The variety has misshapen codes, which the lean read's scorecard (above) counts alike.
    EXPECT_GT(quality::ComputeQualityScorecard(full.ds, {}, ctx).invalid_dx_codes, 3000u);
  });
}

TEST(TuvaReader, ALeanReadKeepsItsSummaryThroughTheCacheAndIsCheckedThere) {
  LoadOptions without;
  without.diagnoses = false;
  auto lean = Load("medical_claim", DiagnosisVariety(), without);
  ASSERT_TRUE(lean->status.ok());
  // Categories are given once a whole folder is read (LoadTuvaDirectory).
  lean->ds.medical.category.assign(lean->ds.medical.size(), ServiceCategory::kOther);
  cache::CacheOrigin origin;
  origin.engine_version = VALUEPACT_VERSION;
  origin.options = without;
  const auto read = [&](const Dataset& ds, const cache::CacheOrigin& o) {
    auto bytes = cache::EncodeCache(ds, {}, lean->report, o);
    EXPECT_TRUE(bytes.ok());
    auto back = std::make_unique<Loaded>();
    ProgramData program;
    auto r = cache::ReadCache(*bytes, "lean.vpd", &back->ds, &program, &back->report);
    back->status = r.ok() ? Status::Ok() : r.status();
    return back;
  };
  auto back = read(lean->ds, origin);
  ASSERT_TRUE(back->status.ok()) << back->status.message();
  EXPECT_FALSE(back->ds.medical.diagnoses_kept());
  EXPECT_EQ(back->ds.medical.dx_first, lean->ds.medical.dx_first);
  EXPECT_EQ(back->ds.medical.dx_listed, lean->ds.medical.dx_listed);
  EXPECT_EQ(back->ds.medical.dx_misshapen, lean->ds.medical.dx_misshapen);

  // A header that says the codes were kept, over lines that hold only the summary.
  cache::CacheOrigin claims_kept = origin;
  claims_kept.options.diagnoses = true;
  EXPECT_NE(read(lean->ds, claims_kept)->status.message().find("diagnosis codes were kept"),
            std::string::npos);
  // More misshapen codes than listed ones; a first code on a line that lists none.
  Dataset bad = std::move(lean->ds);
  bad.medical.dx_misshapen[5] = static_cast<uint8_t>(bad.medical.dx_listed[5] + 1);
  EXPECT_NE(read(bad, origin)->status.message().find("line 6: the diagnosis summary"),
            std::string::npos);
  bad.medical.dx_misshapen[5] = 0;
  bad.medical.dx_listed[5] = 0;
  EXPECT_NE(read(bad, origin)->status.message().find("line 6: the diagnosis summary"),
            std::string::npos);
  // A run that needs the codes does not take a cache without them.
  const std::string path = (fs::path(testing::TempDir("lean-cache")) / "lean.vpd").string();
  bad.medical.dx_listed[5] = 1;
  ASSERT_TRUE(cache::WriteCache(path, bad, {}, lean->report, origin).ok());
  Dataset ds;
  ProgramData program;
  IngestReport report;
  std::vector<std::string> notes;
  auto refused = cache::LoadCacheFile(path, LoadOptions{}, &ds, &program, &report, &notes);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("without the claim lines' diagnosis"),
            std::string::npos);
  Dataset ds2;
  IngestReport report2;
  EXPECT_TRUE(cache::LoadCacheFile(path, without, &ds2, &program, &report2, &notes).ok());
}

TEST(TuvaReader, SeedTenMatchesTheTuvaBaseline) {
  VP_REQUIRE_SHARED();
  // ../shared/oracles/tuva_seed10_metric_baseline.csv: "Distinct claim_id count for
  // core__medical_claim" = 1138; the baseline's paid total for medical claims is 163,818.97.
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(
      LoadTuvaDirectory(testing::SharedDir() + "/data/tuva-seed-10", {}, &ds, &report).ok());
  EXPECT_EQ(report.rejects.size(), 0u);
  EXPECT_EQ(ds.medical.size(), 2075u);
  std::set<uint32_t> claims(ds.medical.claim.begin(), ds.medical.claim.end());
  EXPECT_EQ(claims.size(), 1138u);
  Money paid;
  for (Money m : ds.medical.paid) paid += m;
  EXPECT_EQ(paid.ToString(), "163818.97");
  EXPECT_EQ(ds.eligibility.size(), 31u);
  EXPECT_EQ(ds.pharmacy.size(), 291u);
}

// A small Tuva folder: 20 members enrolled in 2018, 100 claims of 3 lines each.
struct SmallFolder {
  std::string dir;
  std::string medical;  // medical_claim.csv
  Money paid;           // its paid total
};

SmallFolder WriteSmallFolder(const std::string& name) {
  SmallFolder f;
  f.dir = testing::TempDir(name);
  std::string elig = kEligHeader;
  for (int m = 0; m < 20; ++m) {
    elig += fmt::format("M{},female,1950-01-01,2018-01-01,2018-12-31,medicare\n", m);
  }
  f.medical = kMedHeader;
  for (int c = 0; c < 100; ++c) {
    for (int line = 1; line <= 3; ++line) {
      const int64_t cents = 100000 * line + c;
      f.medical +=
          fmt::format("C{},{},professional,M{},2018-03-01,2018-03-01,{},{},I10,\n", c, line, c % 20,
                      Money::FromCents(cents).ToString(), Money::FromCents(cents).ToString());
      f.paid += Money::FromCents(cents);
    }
  }
  EXPECT_TRUE(WriteWholeFile(f.dir + "/eligibility.csv", elig).ok());
  EXPECT_TRUE(WriteWholeFile(f.dir + "/medical_claim.csv", f.medical).ok());
  return f;
}

Money MedicalPaid(const Dataset& ds) {
  Money t;
  for (Money m : ds.medical.paid) t += m;
  return t;
}

// A file of several fingerprint blocks, hashed while its chunks are parsed and their pages given
// back: its fingerprint is that of its bytes, and its rows and paid amounts the same, whether
// it is mapped or copied into memory (where a page given back reads as zeros), on any number of
// threads.
TEST(TuvaReaderChecks, AFileHashedWhileItIsParsedHasTheFingerprintOfItsBytes) {
  SmallFolder f = WriteSmallFolder("fingerprint");
  std::string medical = kMedHeader;
  size_t lines = 0;
  for (; medical.size() < 5 * kFingerprintBlock + 12345; ++lines) {
    const size_t c = medical.size();
    medical +=
        fmt::format("C{},1,professional,M{},2018-03-01,2018-03-01,12.50,12.50,I10,\n", c, c % 20);
  }
  ASSERT_TRUE(WriteWholeFile(f.dir + "/medical_claim.csv", medical).ok());
  const std::string want = FingerprintBytes(medical);
  const bool was = MapDataFiles();
  for (bool mapped : {false, true}) {
    for (int threads : {2, 4}) {
      SCOPED_TRACE(fmt::format("mapped {}, {} threads", mapped, threads));
      SetMapDataFiles(mapped);
      tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);
      Dataset ds;
      IngestReport report;
      ASSERT_TRUE(LoadTuvaDirectory(f.dir, {}, &ds, &report).ok());
      const auto file = std::find_if(ds.sources.begin(), ds.sources.end(), [](const SourceFile& s) {
        return s.table == "medical_claim";
      });
      ASSERT_NE(file, ds.sources.end());
      EXPECT_EQ(file->sha256, want);
      EXPECT_TRUE(report.rejects.empty());
      int64_t paid = 0;
      for (const Money m : ds.medical.paid) paid += m.cents();
      EXPECT_EQ(ds.medical.size(), lines);
      EXPECT_EQ(paid, static_cast<int64_t>(lines) * 1250);
    }
  }
  SetMapDataFiles(was);
}

TEST(TuvaReaderChecks, ThreeHundredDuplicatedLinesAreRejectedAndSpendingIsUnchanged) {
  SmallFolder f = WriteSmallFolder("dup");
  // Every line delivered again, at $2,980.00 each: 100 at the end of the same file, 200 in a
  // second file read after it.
  std::string again = kMedHeader, tail;
  for (int c = 0; c < 100; ++c) {
    for (int line = 1; line <= 3; ++line) {
      const std::string row = fmt::format(
          "C{},{},professional,M{},2018-03-01,2018-03-01,2980.00,2980.00,E119,\n", c, line, c % 20);
      (line == 1 ? tail : again) += row;
    }
  }
  ASSERT_TRUE(WriteWholeFile(f.dir + "/medical_claim.csv", f.medical + tail).ok());
  ASSERT_TRUE(WriteWholeFile(f.dir + "/medical_claim_resent.csv", again).ok());
  for (int threads : {1, 4}) {
    SCOPED_TRACE(threads);
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);
    Dataset ds;
    IngestReport report;
    ASSERT_TRUE(LoadTuvaDirectory(f.dir, {}, &ds, &report).ok());
    EXPECT_EQ(ds.medical.size(), 300u);
    EXPECT_EQ(MedicalPaid(ds), f.paid);  // spending unchanged
    ASSERT_EQ(report.rejects.size(), 300u);
    for (const auto& r : report.rejects) {
      EXPECT_EQ(r.reason, "duplicate_key");
      EXPECT_EQ(r.field, "claim_line_number");
      EXPECT_EQ(r.paid.ToString(), "2980.00");
    }
    // The first reading of a key is kept and named, wherever the repeat is.
    std::map<std::pair<std::string, uint64_t>, std::string> by_place;
    for (const auto& r : report.rejects) {
      by_place[{fs::path(r.file).filename().string(), r.line}] = r.value;
    }
    EXPECT_EQ((by_place[{"medical_claim.csv", 302}]),
              "claim C0 line 1 (first at " + f.dir + "/medical_claim.csv:2)");
    EXPECT_EQ((by_place[{"medical_claim_resent.csv", 2}]),
              "claim C0 line 2 (first at " + f.dir + "/medical_claim.csv:3)");
    const auto totals = report.RejectTotals();
    ASSERT_EQ(totals.size(), 2u);
    EXPECT_EQ(totals[0].reason, "duplicate_key");
    EXPECT_EQ(totals[0].rows, 300u);
    EXPECT_EQ(totals[0].paid.ToString(), "894000.00");
    EXPECT_EQ(DescribeRejectTotal(totals[0]),
              "duplicate_key: 300 rows, $894,000.00 paid ($894,000.00 allowed)");
    EXPECT_EQ(totals[1].reason, "implausible_amount");
    EXPECT_EQ(totals[1].rows, 0u);
    EXPECT_EQ(report.counters["medical_claim.duplicate_key"], 300u);
    EXPECT_EQ(report.counters["medical_claim.rows_rejected"], 300u);
    EXPECT_EQ(ds.sources[1].rows_rejected + ds.sources[2].rows_rejected, 300u);
    // The kept lines are whole: codes stay with their line.
    for (size_t i = 0; i < ds.medical.size(); ++i) {
      ASSERT_EQ(ds.medical.dx_offset[i + 1] - ds.medical.dx_offset[i], 1u);
      EXPECT_EQ(ds.codes.Get(ds.medical.dx_code[ds.medical.dx_offset[i]]), "I10");
    }
    EXPECT_EQ(ds.medical.category.size(), 300u);
  }
}

TEST(TuvaReaderChecks, ImplausibleAmountsAreRejected) {
  SmallFolder f = WriteSmallFolder("amount");
  ASSERT_TRUE(WriteWholeFile(f.dir + "/medical_claim.csv",
                             f.medical +
                                 "C900,1,professional,M1,2018-04-01,2018-04-01,-99999999.99,10,,\n"
                                 "C901,1,professional,M1,2018-04-01,2018-04-01,10,10000000.01,,\n"
                                 "C902,1,professional,M1,2018-04-01,2018-04-01,10000000.00,0,,\n")
                  .ok());
  ASSERT_TRUE(WriteWholeFile(f.dir + "/pharmacy_claim.csv",
                             "claim_id,claim_line_number,person_id,dispensing_date,paid_amount,"
                             "allowed_amount\n"
                             "R1,1,M1,2018-05-01,12.50,15\n"
                             "R2,1,M1,2018-05-01,12000000,15\n"
                             "R1,1,M2,2018-05-02,7.00,7\n")
                  .ok());
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadTuvaDirectory(f.dir, {}, &ds, &report).ok());
  // The limit itself ($10,000,000.00) is plausible.
  EXPECT_EQ(ds.medical.size(), 301u);
  EXPECT_EQ(MedicalPaid(ds), f.paid + Money::FromUnits(10'000'000));
  ASSERT_EQ(ds.pharmacy.size(), 1u);
  EXPECT_EQ(ds.pharmacy.paid[0].ToString(), "12.50");
  std::map<std::string, Reject> by_value;
  for (const auto& r : report.rejects) by_value[r.value] = r;
  ASSERT_EQ(report.rejects.size(), 4u) << report.RejectsCsv();
  EXPECT_EQ(by_value["-99999999.99"].reason, "implausible_amount");
  EXPECT_EQ(by_value["-99999999.99"].field, "paid_amount");
  EXPECT_EQ(by_value["-99999999.99"].line, 302u);
  EXPECT_EQ(by_value["10000000.01"].field, "allowed_amount");
  EXPECT_EQ(by_value["12000000.00"].reason, "implausible_amount");
  EXPECT_TRUE(by_value["12000000.00"].file.ends_with("pharmacy_claim.csv"));
  const std::string dup = "claim R1 line 1 (first at " + f.dir + "/pharmacy_claim.csv:2)";
  EXPECT_EQ(by_value[dup].reason, "duplicate_key");
  EXPECT_EQ(by_value[dup].paid.ToString(), "7.00");
  const auto totals = report.RejectTotals();
  EXPECT_EQ(totals[1].rows, 3u);
  EXPECT_EQ(totals[1].paid.ToString(), "-87999989.99");  // -99,999,999.99 + 10 + 12,000,000
  EXPECT_EQ(report.counters["medical_claim.implausible_amount"], 2u);
  EXPECT_EQ(report.counters["pharmacy_claim.implausible_amount"], 1u);
  EXPECT_EQ(report.counters["pharmacy_claim.duplicate_key"], 1u);
  // The maximum is an option.
  LoadOptions strict;
  strict.max_line_amount = Money::FromUnits(1500);
  Dataset ds2;
  IngestReport report2;
  ASSERT_TRUE(LoadTuvaDirectory(f.dir, strict, &ds2, &report2).ok());
  EXPECT_EQ(ds2.medical.size(), 100u);  // only the $1,000.xx lines remain
  EXPECT_EQ(report2.RejectTotals()[1].rows, 203u + 1u);
}

// Amounts beyond four bytes of cents (a run may raise max_line_amount to let them in) are kept
// to the cent: read in full or lean, after a rejected line before them, and through the cache.
// -21,474,836.48 is the one four-byte value a column of amounts keeps for its mark.
TEST(TuvaReaderChecks, AmountsBeyondFourBytesOfCentsAreKeptToTheCent) {
  SmallFolder f = WriteSmallFolder("wide_amounts");
  ASSERT_TRUE(WriteWholeFile(f.dir + "/medical_claim.csv",
                             f.medical + "C0,1,professional,M1,2018-04-01,2018-04-01,5,5,,\n"
                                         "W1,1,institutional,M1,2018-04-01,2018-04-01,30000000.00,"
                                         "-25000000.01,,\n"
                                         "W2,1,professional,M2,2018-04-01,2018-04-01,-21474836.48,"
                                         "21474836.47,,\n")
                  .ok());
  ASSERT_TRUE(WriteWholeFile(f.dir + "/pharmacy_claim.csv",
                             "claim_id,claim_line_number,person_id,dispensing_date,paid_amount,"
                             "allowed_amount\n"
                             "R1,1,M1,2018-05-01,21474836.48,15\n"
                             "R1,1,M1,2018-05-01,99000000,15\n"
                             "R2,1,M2,2018-05-01,7.00,-99000000\n")
                  .ok());
  LoadOptions o;
  o.max_line_amount = Money::FromUnits(100'000'000);
  const auto cents = [](const MoneyColumn& c) {
    std::vector<int64_t> out;
    for (Money m : c) out.push_back(m.cents());
    return out;
  };
  const std::vector<int64_t> medical_tail = {3'000'000'000, -2'147'483'648};
  const auto expect_amounts = [&](const Dataset& ds, bool lean, const std::string& what) {
    ASSERT_EQ(ds.medical.size(), 302u) << what;  // the repeated line C0/1 is rejected
    EXPECT_EQ(MedicalPaid(ds), f.paid + Money::FromCents(3'000'000'000 - 2'147'483'648)) << what;
    const auto paid = cents(ds.medical.paid);
    EXPECT_EQ(std::vector<int64_t>(paid.end() - 2, paid.end()), medical_tail) << what;
    EXPECT_EQ(cents(ds.pharmacy.paid), (std::vector<int64_t>{2'147'483'648, 700})) << what;
    if (lean) return;  // a lean read keeps the amounts of the run's basis only
    const auto allowed = cents(ds.medical.allowed);
    EXPECT_EQ(std::vector<int64_t>(allowed.end() - 2, allowed.end()),
              (std::vector<int64_t>{-2'500'000'001, 2'147'483'647}))
        << what;
    EXPECT_EQ(cents(ds.pharmacy.allowed), (std::vector<int64_t>{1500, -9'900'000'000})) << what;
  };
  Dataset full;
  IngestReport report;
  ASSERT_TRUE(LoadTuvaDirectory(f.dir, o, &full, &report).ok());
  expect_amounts(full, false, "full read");
  EXPECT_EQ(report.counters["medical_claim.duplicate_key"], 1u);
  EXPECT_EQ(report.counters["pharmacy_claim.duplicate_key"], 1u);
  {
    LoadOptions lean_options = o;
    lean_options.diagnoses = false;
    lean_options.line_details = false;
    quality::ClaimLineTally tally;
    lean_options.tally_lines = &tally;
    Dataset lean;
    IngestReport lean_report;
    ASSERT_TRUE(LoadTuvaDirectory(f.dir, lean_options, &lean, &lean_report).ok());
    EXPECT_TRUE(lean.medical.claim.empty());  // read lean: the claim keys are not kept
    expect_amounts(lean, true, "lean read");
  }
  cache::CacheOrigin origin;
  origin.engine_version = VALUEPACT_VERSION;
  origin.options = o;
  auto bytes = cache::EncodeCache(full, {}, report, origin);
  ASSERT_TRUE(bytes.ok());
  Dataset back;
  ProgramData program;
  IngestReport back_report;
  auto r = cache::ReadCache(*bytes, "wide.vpd", &back, &program, &back_report);
  ASSERT_TRUE(r.ok()) << r.status().message();
  expect_amounts(back, false, "through the cache");
}

// A file of several chunks is given back as its parts are parsed (the parts cover every byte
// after the header, each once), and nothing read from it changes: the same rows, ids, codes and
// rejects as from bytes that are never given back.
TEST(TuvaReader, GivesBackEachParsedPartOnceAndReadsTheSame) {
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 2);
  std::string csv = kMedHeader;
  for (int i = 0; csv.size() < (size_t{5} << 20); ++i) {
    csv += fmt::format("c{},1,professional,M{},2018-01-{:02},2018-01-{:02},{}.{:02},,I50{},E11{}\n",
                       i, i % 997, 1 + i % 28, 1 + i % 28, i % 500, i % 100, i % 10, i % 7);
    if (i % 50000 == 7) csv += "c-bad,1,professional,Q,not-a-date,,1,,,\n";
  }
  std::vector<std::pair<size_t, size_t>> parts;
  std::mutex m;
  Dataset released;
  IngestReport released_report;
  std::string copy = csv;
  ASSERT_TRUE(LoadTuvaTable("medical_claim", copy, "medical_claim.csv", {}, &released,
                            &released_report,
                            [&](size_t b, size_t e) {
                              std::lock_guard<std::mutex> lock(m);
                              parts.emplace_back(b, e);
                              std::fill(copy.begin() + static_cast<std::ptrdiff_t>(b),
                                        copy.begin() + static_cast<std::ptrdiff_t>(e), '\0');
                            })
                  .ok());
  auto kept = Load("medical_claim", csv);
  ASSERT_TRUE(kept->status.ok()) << kept->status.message();
  ASSERT_GT(parts.size(), 1u);
  std::sort(parts.begin(), parts.end());
  EXPECT_EQ(parts.front().first, std::string(kMedHeader).size());
  for (size_t i = 1; i < parts.size(); ++i) EXPECT_EQ(parts[i].first, parts[i - 1].second);
  EXPECT_EQ(parts.back().second, csv.size());
  ExpectSameMedical(released, released_report, kept->ds, kept->report);
  ASSERT_FALSE(released_report.rejects.empty());
}

TEST(TuvaReader, DirectoryWithoutRequiredTable) {
  const std::string dir = testing::TempDir("empty");
  Dataset ds;
  IngestReport report;
  const Status s = LoadTuvaDirectory(dir, {}, &ds, &report);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("eligibility"), std::string::npos);
}

}  // namespace
}  // namespace valuepact

namespace valuepact {
namespace {

// A malformed row is rejected by file, line and reason; its content (names, addresses) is never
// copied into rejects.csv.
TEST(TuvaReader, WholeRowRejectsDoNotCopyTheRow) {
  const std::string dir = testing::TempDir("phi");
  ASSERT_TRUE(
      WriteWholeFile(dir + "/eligibility.csv",
                     "person_id,gender,birth_date,enrollment_start_date,enrollment_end_date,"
                     "payer\nA,female,1940-05-01,2018-01-01,2018-12-31,medicare\n"
                     "Jane Doe 12 Main St 555-0100,female\n")
          .ok());
  ASSERT_TRUE(WriteWholeFile(dir + "/medical_claim.csv",
                             "claim_id,claim_line_number,claim_type,person_id,claim_start_date,"
                             "claim_end_date,paid_amount,allowed_amount\n")
                  .ok());
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadTuvaDirectory(dir, {}, &ds, &report).ok());
  ASSERT_EQ(report.rejects.size(), 1u);
  EXPECT_EQ(report.rejects[0].line, 3u);
  EXPECT_EQ(report.RejectsCsv().find("Main St"), std::string::npos) << report.RejectsCsv();
}

// A pharmacy file beside a contract without pharmacy services is not read, and a note names it
// (even an empty one, which a pharmacy run would refuse).
TEST(TuvaReader, APharmacyFileTheContractDoesNotUseIsNotedNotRead) {
  const std::string dir = testing::TempDir("no-rx");
  ASSERT_TRUE(WriteWholeFile(dir + "/eligibility.csv",
                             "person_id,gender,birth_date,enrollment_start_date,"
                             "enrollment_end_date,payer\nA,female,1940-05-01,2018-01-01,2018-12-"
                             "31,medicare\n")
                  .ok());
  ASSERT_TRUE(WriteWholeFile(dir + "/medical_claim.csv",
                             "claim_id,claim_line_number,claim_type,person_id,claim_start_date,"
                             "claim_end_date,paid_amount,allowed_amount\n")
                  .ok());
  ASSERT_TRUE(WriteWholeFile(dir + "/pharmacy_claim.csv", "").ok());
  LoadOptions medical_only;
  medical_only.pharmacy = false;
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadTuvaDirectory(dir, medical_only, &ds, &report).ok());
  EXPECT_EQ(ds.pharmacy.size(), 0u);
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_NE(report.notes[0].find("pharmacy_claim.csv: not read (the contract's services do not "
                                 "include pharmacy claims)"),
            std::string::npos)
      << report.notes[0];
  IngestReport with_pharmacy;
  Dataset ds2;
  EXPECT_FALSE(LoadTuvaDirectory(dir, {}, &ds2, &with_pharmacy).ok());  // empty: no header line
}

}  // namespace
}  // namespace valuepact

namespace valuepact {
namespace {

// A final line without a line end is read only when it is a complete row; a row cut short is a
// reject wherever it stands, and the file's missing line end is noted.
TEST(TuvaReaderFinalLine, ACompleteLastLineWithoutLineEndIsReadAndNoted) {
  auto l = Load("medical_claim",
                std::string(kMedHeader) + "c1,1,professional,A,2018-01-05,2018-01-05,12345.67,,,");
  ASSERT_TRUE(l->status.ok()) << l->status.message();
  ASSERT_EQ(l->ds.medical.size(), 1u);
  EXPECT_EQ(l->ds.medical.paid[0].cents(), 1234567);
  EXPECT_TRUE(l->report.rejects.empty());
  ASSERT_EQ(l->report.notes.size(), 1u);
  EXPECT_NE(l->report.notes[0].find("does not end with a line end"), std::string::npos);
}

TEST(TuvaReaderFinalLine, ARowCutShortIsARejectWhereverItStands) {
  for (const bool at_end : {true, false}) {
    std::string csv = std::string(kMedHeader) + "c1,1,professional,A,2018-01-05,2018-01-05,1234";
    if (!at_end) csv += "\nc2,1,professional,A,2018-01-05,2018-01-05,10.00,,,\n";
    auto l = Load("medical_claim", csv);
    ASSERT_TRUE(l->status.ok()) << l->status.message();
    ASSERT_EQ(l->report.rejects.size(), 1u) << at_end;
    EXPECT_EQ(l->report.rejects[0].line, 2u);
    EXPECT_NE(l->report.rejects[0].reason.find("expected 10 fields"), std::string::npos);
    EXPECT_EQ(l->ds.medical.size(), at_end ? 0u : 1u);
  }
}

TEST(TuvaReaderFinalLine, AHeaderWiderThanTheCapIsAnErrorNotGigabytes) {
  std::string header(kMaxCsvFields + 5, ',');
  auto l = Load("medical_claim", header + "\n");
  ASSERT_FALSE(l->status.ok());
  EXPECT_NE(l->status.message().find("record too large"), std::string::npos);
}

}  // namespace
}  // namespace valuepact
