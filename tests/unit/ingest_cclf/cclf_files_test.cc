// CCLF file names, CCLF0 control checks, the layout table, the public synthetic samples and
// hostile input.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cclf_test_util.h"
#include "test_paths.h"
#include "valuepact/core/file_io.h"
#include "valuepact/ingest/cclf/cclf_file_name.h"
#include "valuepact/ingest/cclf/cclf_layout.h"
#include "valuepact/ingest/cclf/cclf_reader.h"

namespace valuepact::cclf {
namespace {

TEST(CclfFileName, RegularRunOutWeeklyAndSampleNames) {
  auto a = ParseCclfFileName("some/dir/P.A1234.ACO.ZC1Y24.D240208.T1234560");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->file_type, '1');
  EXPECT_FALSE(a->run_out);
  EXPECT_EQ(a->performance_year, 2024);
  EXPECT_TRUE(a->has_file_date);
  EXPECT_EQ(a->file_date, Date::FromCivil(2024, 2, 8));
  EXPECT_EQ(a->program_id, "A1234");
  EXPECT_EQ(a->delivery_key, "P.A1234.ACO.ZCY24.D240208.T1234560");

  auto r = ParseCclfFileName("P.D0001.ACO.ZCAR23.D240308.T0000000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->file_type, 'A');
  EXPECT_TRUE(r->run_out);
  EXPECT_EQ(r->performance_year, 2023);

  auto w = ParseCclfFileName("P.A2671.ACO.ZC0WY26.D260225.T0544440");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->file_type, '0');
  EXPECT_TRUE(w->weekly);
  EXPECT_EQ(w->performance_year, 2026);

  auto s = ParseCclfFileName("cclf_files_synthetic_test_small_ZC8");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->file_type, '8');
  EXPECT_EQ(s->performance_year, 0);
  EXPECT_FALSE(s->has_file_date);
  EXPECT_EQ(s->delivery_key, "cclf_files_synthetic_test_small_ZC");

  EXPECT_FALSE(ParseCclfFileName("P.A1234.ACO.ZCY24.D240208.T1234560"));  // the zip name
  EXPECT_FALSE(ParseCclfFileName("README.md"));
}

TEST(CclfLayout, LengthsAndContiguity) {
  for (const auto& l : AllCclfLayouts()) {
    uint32_t next = 1;
    for (const auto& f : l.fields) {
      EXPECT_EQ(f.start, next) << l.label << " " << f.name;
      next = f.start + f.length;
    }
    EXPECT_EQ(next - 1, l.record_length) << l.label;
  }
  EXPECT_EQ(CclfLayoutFor('1')->record_length, 437);
  EXPECT_EQ(CclfLayoutFor('7')->record_length, 195);
  EXPECT_EQ(CclfLayoutFor('b')->record_length, 128);
}

// The compiled-in table agrees with the layout file field by field.
TEST(CclfLayout, MatchesSharedLayoutCsv) {
  VP_REQUIRE_SHARED();
  std::ifstream in(::valuepact::testing::SharedDir() + "/docs/formats/cclf-layout.csv");
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);
  std::map<std::string, std::vector<std::tuple<std::string, int, int>>> csv;
  while (std::getline(in, line)) {
    // Naive split that honours double quotes (descriptions contain commas).
    std::vector<std::string> cols;
    std::string cur;
    bool q = false;
    for (char c : line) {
      if (c == '"')
        q = !q;
      else if (c == ',' && !q) {
        cols.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    cols.push_back(cur);
    ASSERT_GE(cols.size(), 7u) << line;
    if (cols[0] == "CCLF0") continue;
    csv[cols[0]].emplace_back(cols[2], std::stoi(cols[4]), std::stoi(cols[6]));
  }
  ASSERT_EQ(csv.size(), 11u);
  for (const auto& l : AllCclfLayouts()) {
    const auto& rows = csv[std::string(l.label)];
    ASSERT_EQ(rows.size(), l.fields.size()) << l.label;
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(std::get<0>(rows[i]), l.fields[i].name) << l.label;
      EXPECT_EQ(std::get<1>(rows[i]), l.fields[i].start) << l.label << " " << l.fields[i].name;
      EXPECT_EQ(std::get<2>(rows[i]), l.fields[i].length) << l.label << " " << l.fields[i].name;
    }
  }
}

std::string Control(const std::vector<std::tuple<std::string, uint64_t, uint32_t>>& rows) {
  std::string out = "File Number  |File Description    |Total Records Count |Record Length\n";
  for (const auto& [type, count, len] : rows) {
    out += fmt::format("{:<7}|{:<43}|{:>11}|{:>5}\n", type, "x", count, len);
  }
  return out;
}

std::string Xref(const std::string& cur, const std::string& prev) {
  return testing::Record('9', {{"HICN_MBI_XREF_IND", "M"}, {"CRNT_NUM", cur}, {"PRVS_NUM", prev}});
}

TEST(CclfControl, WrongCountAndWrongLengthAreReported) {
  const std::string x9 =
      testing::Join({Xref("B0000000001", "A0000000001"), Xref("B0000000002", "A0000000002")});
  // CCLF8 announced with 3 records but delivered with 1; CCLF9 announced as 2 records of 55
  // but one record is longer than 55 with data past the end.
  const std::string x9_long =
      Xref("B0000000001", "A0000000001") + "EXTRA\n" + Xref("B0000000002", "A0000000002") + "\n";
  const std::string b8 = testing::Record('8', {{"BENE_MBI_ID", "B0000000001"}}) + "\n";
  std::vector<std::string> bytes = {
      Control({{"CCLF8", 3, 549}, {"CCLF9", 2, 55}, {"CCLF5", 0, 388}, {"CCLF1", 4, 300}}), b8,
      x9_long};
  std::vector<CclfInput> in = {{"P.A1.ACO.ZC0Y24.D240108.T0000000", bytes[0]},
                               {"P.A1.ACO.ZC8Y24.D240108.T0000000", bytes[1]},
                               {"P.A1.ACO.ZC9Y24.D240108.T0000000", bytes[2]}};
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadCclfFiles(in, {}, &ds, &report).ok());
  const std::string csv = report.RejectsCsv();
  // Wrong count on the CCLF8 line (line 2 of CCLF0).
  bool count = false, length = false, missing = false, unknown_len = false;
  for (const auto& r : report.rejects) {
    if (r.file == in[0].name && r.line == 2 && r.field == "Number of records") count = true;
    if (r.file == in[2].name && r.line == 1 &&
        r.reason.find("record length for CCLF9 is 55") != std::string::npos) {
      length = true;
    }
    if (r.file == in[0].name && r.field == "File Type" &&
        r.reason.find("no CCLF1 file") != std::string::npos) {
      missing = true;
    }
    if (r.file == in[0].name && r.field == "Length of record" && r.value == "300") {
      unknown_len = true;
    }
  }
  EXPECT_TRUE(count) << csv;
  EXPECT_TRUE(length) << csv;
  EXPECT_TRUE(missing) << csv;
  EXPECT_TRUE(unknown_len) << csv;
  // CCLF5 announced with zero records is not a missing file.
  EXPECT_EQ(csv.find("no CCLF5 file"), std::string::npos);
  // The count of CCLF9 matches (2 records, one of them rejected): no count reject for it.
  for (const auto& r : report.rejects) {
    if (r.line == 3 && r.file == in[0].name) ADD_FAILURE() << r.reason;
  }
}

TEST(CclfFields, SentinelDatesAndSignedAmounts) {
  const std::string mbi = "MBI00000009";
  auto rec = testing::Record('5', {{"CUR_CLM_UNIQ_ID", "77"},
                                   {"CLM_LINE_NUM", "1"},
                                   {"BENE_MBI_ID", mbi},
                                   {"CLM_FROM_DT", "9999-12-31"},
                                   {"CLM_LINE_FROM_DT", "2024-05-06"},
                                   {"CLM_LINE_CVRD_PD_AMT", "-00000000012.50"},
                                   {"CLM_LINE_ALOWD_CHRG_AMT", "   12.75"},
                                   {"CLM_ADJSMT_TYPE_CD", "0"},
                                   {"CLM_EFCTV_DT", "2024-05-20"},
                                   {"CLM_CNTL_NUM", "CN77"}});
  std::vector<CclfInput> in = {{"T.A1.ACO.ZC5Y24.D240601.T0000000", rec}};
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadCclfFiles(in, {}, &ds, &report).ok());
  ASSERT_EQ(ds.medical.size(), 1u) << report.RejectsCsv();
  EXPECT_EQ(ds.medical.paid[0], Money::FromCents(-1250));
  EXPECT_EQ(ds.medical.allowed[0], Money::FromCents(1275));
  // The header from date is the sentinel: the line date stands in for it.
  EXPECT_EQ(ds.medical.claim_start[0], Date::FromCivil(2024, 5, 6));
  EXPECT_EQ(ds.medical.paid_date[0], Date::FromCivil(2024, 5, 20));
}

// The public synthetic deliveries (bcda-app): CCLF0, CCLF8 and CCLF9 of three deliveries. Expected
// values come from a plain scan of the files here.
TEST(CclfSamples, SyntheticDeliveriesIngest) {
  VP_REQUIRE_SHARED();
  const std::string dir = ::valuepact::testing::SharedDir() + "/data/cms-samples/cclf";
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadCclfDirectory(dir, {}, &ds, &report).ok());
  // Independent computation: distinct MBIs (bytes 1-11) over the ZC8 files, CCLF0 counts.
  std::set<std::string> mbis;
  uint64_t zc8_lines = 0, announced_missing = 0, count_mismatches = 0, per_delivery = 0;
  std::vector<std::string> deliveries;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    const std::string file = e.path().string();
    std::ifstream in(file);
    std::string line;
    if (name.ends_with("ZC8")) {
      uint64_t n = 0;
      std::set<std::string> here;
      while (std::getline(in, line)) {
        std::string id = line.substr(0, 11);
        while (!id.empty() && id.back() == ' ') id.pop_back();
        mbis.insert(id);
        here.insert(id);
        ++n;
      }
      zc8_lines += n;
      per_delivery += here.size();
    } else if (name.ends_with("ZC0")) {
      deliveries.push_back(name);
      std::map<std::string, uint64_t> announced;
      while (std::getline(in, line)) {
        if (line.rfind("CCLF", 0) != 0) continue;
        const std::string type = line.substr(0, 5);
        const uint64_t count = std::stoull(line.substr(line.find('|', 8) + 1));
        if (type != "CCLF8" && type != "CCLF9" && count > 0) ++announced_missing;
        announced[type] = count;
      }
      // Compare the announced CCLF8/9 counts with the files' line counts.
      const std::string stem = name.substr(0, name.size() - 1);
      for (const char* t : {"8", "9"}) {
        std::ifstream f((e.path().parent_path() / (stem + t)).string());
        uint64_t n = 0;
        std::string l2;
        while (std::getline(f, l2)) n += !l2.empty();
        if (n != announced[std::string("CCLF") + t]) ++count_mismatches;
      }
    }
  }
  ASSERT_EQ(deliveries.size(), 3u);
  EXPECT_EQ(ds.deliveries.size(), 3u);
  EXPECT_EQ(ds.member_count(), mbis.size());
  EXPECT_EQ(report.counters["cclf8.rows_read"], zc8_lines);
  EXPECT_EQ(report.counters["cclf0.missing_files"], announced_missing);
  EXPECT_EQ(report.counters["cclf0.mismatches"], count_mismatches);
  uint64_t members_listed = 0;
  for (uint64_t n : ds.deliveries.member_count) members_listed += n;
  EXPECT_EQ(members_listed, per_delivery);
  // The samples' names carry no date: no enrollment spans, said in a note.
  EXPECT_EQ(ds.eligibility.size(), 0u);
  EXPECT_EQ(report.counters["cclf8.rows_without_enrollment_period"], zc8_lines);
  // The 2018-era CCLF9 rows are HICN cross-references ('H'), which map no MBI.
  EXPECT_EQ(ds.member_id_changes.size(), 0u);
  for (const auto& s : ds.sources) EXPECT_EQ(s.format, "cclf");
}

TEST(CclfHostile, TruncatedAndGarbageInputIsRejectedCleanly) {
  const std::string good = testing::Record('5', {{"CUR_CLM_UNIQ_ID", "1"},
                                                 {"CLM_LINE_NUM", "1"},
                                                 {"BENE_MBI_ID", "MBI00000010"},
                                                 {"CLM_LINE_CVRD_PD_AMT", " 10.00"},
                                                 {"CLM_ADJSMT_TYPE_CD", "0"},
                                                 {"CLM_EFCTV_DT", "2024-05-20"},
                                                 {"CLM_CNTL_NUM", "Z"}});
  std::string binary(600, '\0');
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 37);
  std::vector<std::string> bytes = {
      good.substr(0, 120),                                        // truncated mid-record
      binary,                                                     // binary garbage
      "File Number|x\nCCLF5|a|b\nCCLFZ|x|1|2\nCCLF1|x|-3|437\n",  // broken CCLF0
      good + "\n\n\n" + good.substr(0, 30) + "\xff\xfe\n",        // blank lines, bad bytes
  };
  std::vector<CclfInput> in = {{"P.A1.ACO.ZC5Y24.D240101.T0000000", bytes[0]},
                               {"P.A1.ACO.ZC6Y24.D240101.T0000000", bytes[1]},
                               {"P.A1.ACO.ZC0Y24.D240101.T0000000", bytes[2]},
                               {"P.A1.ACO.ZC5Y24.D240201.T0000000", bytes[3]}};
  Dataset ds;
  IngestReport report;
  ASSERT_TRUE(LoadCclfFiles(in, {}, &ds, &report).ok());
  EXPECT_FALSE(report.rejects.empty());
  for (const auto& r : report.rejects) {
    EXPECT_FALSE(r.reason.empty());
    EXPECT_FALSE(r.file.empty());
  }
  // Every table stays rectangular.
  EXPECT_EQ(ds.medical.claim.size(), ds.medical.paid.size());
  EXPECT_EQ(ds.medical.dx_offset.size(), ds.medical.size() + 1);
}

}  // namespace
}  // namespace valuepact::cclf
