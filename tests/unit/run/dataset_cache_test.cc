// The dataset cache (`valuepact import`): a run on the cache gives the folder's results, run id
// included; a cache that is stale, damaged, or parsed with other load options is refused with a
// message that says why and what to do.
#include <filesystem>
#include <fstream>
#include <tuple>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "messy_data.h"
#include "synth_data.h"
#include "test_paths.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/file_io.h"
#include "valuepact/ingest/dataset_cache.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/ingest/quality/quality.h"
#include "valuepact/run/import_run.h"
#include "valuepact/run/loader.h"
#include "valuepact/run/quality_run.h"

namespace valuepact::run {
namespace {

namespace fs = std::filesystem;
using testing::CliPath;
using testing::RunCommand;
using testing::SourceDir;
using testing::TempDir;

using testdata::LoadAsData;
using testdata::MakeData;
using testdata::Palliative;
using testdata::Slurp;

Result<ImportSummary> Import(const std::string& data, const std::string& out,
                             const std::string& basis = "") {
  ImportRequest r;
  r.inputs.data = data;
  r.inputs.contract = basis.empty() ? Palliative() + "/contract.toml" : "";
  r.basis = basis;
  r.out = out;
  return ImportData(r);
}

TEST(DatasetCache, RewritingWhatWasReadGivesTheSameBytes) {
  const std::string dir = TempDir("cache_roundtrip");
  const std::string data = MakeData(dir);
  auto s = Import(data, dir + "/a.vpd");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->members, 300u);
  EXPECT_GT(s->medical_lines, 0u);
  EXPECT_GT(s->program_rows, 0u);
  const std::string a = Slurp(dir + "/a.vpd");
  Dataset d;
  ProgramData p;
  IngestReport r;
  auto origin = cache::ReadCache(a, "a.vpd", &d, &p, &r);
  ASSERT_TRUE(origin.ok()) << origin.status().message();
  EXPECT_EQ(d.member_count(), 300u);
  EXPECT_EQ(d.medical.size(), s->medical_lines);
  EXPECT_FALSE(origin->sha256.empty());
  ASSERT_TRUE(cache::WriteCache(dir + "/b.vpd", d, p, r, *origin).ok());
  EXPECT_EQ(Slurp(dir + "/b.vpd"), a);  // every column came back as it was written
}

TEST(DatasetCache, SettleOnTheCacheMatchesTheFolderRunIdIncluded) {
  const std::string dir = TempDir("cache_settle");
  const std::string data = MakeData(dir);
  const std::string k = Palliative() + "/contract.toml";
  const std::string m = Palliative() + "/measures.csv";
  std::string out;
  ASSERT_EQ(RunCommand(fmt::format("{} import --data {} --contract {} --out {}/c.vpd", CliPath(),
                                   data, k, dir),
                       &out),
            0)
      << out;
  EXPECT_NE(out.find("300 members"), std::string::npos) << out;
  for (const auto& [from, to] : {std::pair{data, "folder"}, {dir + "/c.vpd", "cache"}}) {
    ASSERT_EQ(RunCommand(fmt::format("{} settle {} --data {} --measures {} --out {}/{}", CliPath(),
                                     k, from, m, dir, to),
                         &out),
              0)
        << out;
  }
  for (const char* f : {"summary.json", "trace.json", "statement.html"}) {
    EXPECT_EQ(Slurp(dir + "/folder/" + f), Slurp(dir + "/cache/" + f)) << f;
  }
}

TEST(DatasetCache, AChangedAddedOrRemovedFileMakesItStale) {
  const std::string dir = TempDir("cache_stale");
  const std::string data = MakeData(dir);
  ASSERT_TRUE(Import(data, dir + "/c.vpd").ok());
  {
    RunInputs in;
    ASSERT_TRUE(LoadAsData(dir + "/c.vpd", &in).ok());
  }
  const auto expect_stale = [&](const std::string& why) {
    RunInputs in;
    const Status s = LoadAsData(dir + "/c.vpd", &in);
    ASSERT_FALSE(s.ok()) << why;
    EXPECT_NE(s.message().find("stale cache"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(why), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("valuepact import"), std::string::npos) << s.message();
  };
  std::ofstream(data + "/notes.txt") << "x";
  expect_stale("notes.txt was added");
  fs::remove(data + "/notes.txt");
  std::ofstream(data + "/eligibility.csv", std::ios::app) << "\n";
  expect_stale("eligibility.csv changed");
  ASSERT_TRUE(Import(data, dir + "/c.vpd").ok());
  fs::remove(data + "/pharmacy_claim.csv");
  expect_stale("pharmacy_claim.csv was removed");
  // Moved to where its folders are not: used as written, with a note saying so.
  fs::remove_all(data);
  RunInputs in;
  ASSERT_TRUE(LoadAsData(dir + "/c.vpd", &in).ok());
  bool noted = false;
  for (const auto& n : in.report.notes) noted |= n.find("are not here") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(DatasetCache, OtherLoadOptionsProgramFolderAndFormatAreRefused) {
  const std::string dir = TempDir("cache_options");
  const std::string data = MakeData(dir);
  ASSERT_TRUE(Import(data, dir + "/allowed.vpd", "allowed").ok());
  RunInputs in;
  Status s = LoadAsData(dir + "/allowed.vpd", &in);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("imported with basis=allowed"), std::string::npos) << s.message();
  ASSERT_TRUE(Import(data, dir + "/paid.vpd").ok());
  InputPaths p;
  p.data = dir + "/paid.vpd";
  p.program = data;
  RunInputs in2;
  in2.contract.pharmacy = true;
  s = LoadData(p, RealFiles(), &in2);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("give --program to valuepact import"), std::string::npos);
  p.program = "";
  p.format = "cclf";
  RunInputs in3;
  in3.contract.pharmacy = true;
  s = LoadData(p, RealFiles(), &in3);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("was imported as tuva"), std::string::npos) << s.message();
  // A cache written inside the folder it lists is refused before any reading.
  auto inside = Import(data, data + "/c.vpd");
  ASSERT_FALSE(inside.ok());
  EXPECT_NE(inside.status().message().find("inside"), std::string::npos);
}

// The scorecard of a contract's data is the same on the folder and on the cache imported for
// that contract, pharmacy left out included; without a contract, a cache is taken as imported,
// and the scorecard says how that differs from the folder read by default.
TEST(DatasetCache, QualityReadsTheCacheImportedForItsContract) {
  const std::string dir = TempDir("cache_quality");
  const std::string data = MakeData(dir);
  const std::string k = SourceDir() + "/examples/aco-shared-savings/contract.toml";  // no pharmacy
  std::string out;
  ASSERT_EQ(RunCommand(fmt::format("{} import --data {} --contract {} --out {}/c.vpd", CliPath(),
                                   data, k, dir),
                       &out),
            0)
      << out;
  int codes[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    const std::string from = i == 0 ? data : dir + "/c.vpd";
    codes[i] = RunCommand(
        fmt::format("{} quality --data {} --contract {} --out {}/q{}", CliPath(), from, k, dir, i),
        &out);
    EXPECT_NE(codes[i], 2) << out;
  }
  EXPECT_EQ(codes[0], codes[1]);
  const std::string folder = Slurp(dir + "/q0/quality.json");
  EXPECT_EQ(folder, Slurp(dir + "/q1/quality.json"));
  EXPECT_NE(folder.find("\"pharmacy_lines\": 0"), std::string::npos) << folder.substr(0, 2000);
  ASSERT_TRUE(Import(data, dir + "/allowed.vpd", "allowed").ok());
  EXPECT_EQ(
      RunCommand(fmt::format("{} quality --data {}/allowed.vpd --out {}/q2", CliPath(), dir, dir),
                 &out),
      0)
      << out;
  // Without a contract the scorecard says first how the cache was imported, where that is not
  // as the folder is read by default; on the terminal too.
  EXPECT_NE(Slurp(dir + "/q2/quality.json")
                .find("allowed.vpd was imported with the allowed amounts as the basis: the "
                      "scorecard describes the data as imported"),
            std::string::npos);
  EXPECT_EQ(
      RunCommand(fmt::format("{} quality --data {}/c.vpd --out {}/q3", CliPath(), dir, dir), &out),
      0)
      << out;
  EXPECT_NE(out.find("c.vpd was imported with its pharmacy claims left out"), std::string::npos)
      << out;
  EXPECT_EQ(RunCommand(fmt::format("{} quality --data {} --out {}/q4", CliPath(), data, dir), &out),
            0);
  EXPECT_EQ(Slurp(dir + "/q4/quality.json").find("was imported with"), std::string::npos);
}

// The scorecard of a cache that stores its claim lines' tally is made from that tally, the lines
// left unread, and is the folder's: without a contract, and with one that reads pharmacy claims.
// A contract that drops the cache's pharmacy claims has the cache read whole.
// A command that reads no pharmacy claims (risk) on a cache that holds them gives what it gives
// on the folder, the pharmacy file's rejects left out with its lines; where leaving them out
// cannot give the folder's read (a member listed on pharmacy lines only; CCLF or FHIR
// deliveries, which count them), the cache is refused with what to do.
TEST(DatasetCache, PharmacyClaimsLeftAsideAsTheFolderReadLeavesThem) {
  const std::string dir = TempDir("cache_pharmacy_aside");
  const std::string data = MakeData(dir, 80);
  std::ofstream(data + "/pharmacy_claim.csv", std::ios::app)
      << "PX-1,1,P00000001,2018-03-01,2018-03-01,00071015523,12x.50,13.00\n";
  const auto risk = [&](const std::string& from, const std::string& to, std::string* out) {
    return RunCommand(
        fmt::format("{} risk --data {} --payment-year 2019 --out {}/{}", CliPath(), from, dir, to),
        out);
  };
  std::string out;
  ASSERT_EQ(
      RunCommand(fmt::format("{} import --data {} --out {}/c.vpd", CliPath(), data, dir), &out), 0)
      << out;
  ASSERT_EQ(risk(data, "folder", &out), 0) << out;
  ASSERT_EQ(risk(dir + "/c.vpd", "cache", &out), 0) << out;
  for (const char* f : {"risk_summary.json", "restricted/rejects.csv",
                        "restricted/member_scores.csv", "manifest.json"}) {
    EXPECT_EQ(Slurp(dir + "/folder/" + f), Slurp(dir + "/cache/" + f)) << f;
  }
  EXPECT_EQ(Slurp(dir + "/cache/restricted/rejects.csv").find("pharmacy_claim"), std::string::npos);
  // A settlement whose contract leaves pharmacy out takes no cache with pharmacy claims; the
  // advice is the contract's, with nothing for commands that take none.
  const std::string k = SourceDir() + "/examples/aco-shared-savings/contract.toml";
  EXPECT_EQ(RunCommand(fmt::format("{} settle {} --data {}/c.vpd --no-store --out {}/s", CliPath(),
                                   k, dir, dir),
                       &out),
            2)
      << out;
  EXPECT_NE(out.find("re-import with valuepact import --contract CONTRACT"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("takes no contract"), std::string::npos) << out;
  // An empty file is neither a folder nor a cache: named *.vpd, it is called a damaged cache;
  // and so is a cache whose first bytes were damaged.
  std::ofstream(dir + "/empty.vpd").flush();
  EXPECT_EQ(risk(dir + "/empty.vpd", "empty", &out), 2) << out;
  EXPECT_NE(out.find("empty.vpd: not a valuepact dataset cache: it is empty (the file is "
                     "damaged, or another kind of file)"),
            std::string::npos)
      << out;
  std::string head_damaged = Slurp(dir + "/c.vpd");
  head_damaged[3] = static_cast<char>(head_damaged[3] ^ 0x5a);
  std::ofstream(dir + "/head.vpd", std::ios::binary) << head_damaged;
  EXPECT_EQ(risk(dir + "/head.vpd", "head", &out), 2) << out;
  EXPECT_NE(out.find("head.vpd: not a valuepact dataset cache: its first 8 bytes are not a "
                     "cache's"),
            std::string::npos)
      << out;
  std::ofstream(dir + "/empty.bin").flush();
  EXPECT_EQ(risk(dir + "/empty.bin", "bin", &out), 2) << out;
  EXPECT_NE(out.find("not a folder (nor a dataset cache)"), std::string::npos) << out;
  // A member listed on pharmacy lines only would keep an id the folder's read never gives.
  std::ofstream(data + "/pharmacy_claim.csv", std::ios::app)
      << "PX-2,1,ONLY-RX,2018-03-01,2018-03-01,00071015523,12.50,13.00\n";
  ASSERT_EQ(
      RunCommand(fmt::format("{} import --data {} --out {}/d.vpd", CliPath(), data, dir), &out), 0)
      << out;
  EXPECT_EQ(risk(dir + "/d.vpd", "only", &out), 2) << out;
  EXPECT_NE(out.find("member ONLY-RX is listed on pharmacy lines only"), std::string::npos) << out;
  EXPECT_NE(out.find("re-import it with valuepact import --no-pharmacy"), std::string::npos) << out;
  // FHIR: the deliveries count the pharmacy claims among theirs.
  const std::string fhir = dir + "/fhir";
  fs::create_directories(fhir);
  const std::string type = R"("type":{"coding":[{"system":"https://bluebutton.cms.gov/)"
                           R"(resources/codesystem/eob-type","code":")";
  const std::string item =
      R"("item":[{"sequence":1,"servicedDate":"2018-02-01","adjudication":[{"category":)"
      R"({"coding":[{"code":"https://bluebutton.cms.gov/resources/variables/line_nch_pmt_amt"}]},)"
      R"("amount":{"value":20.0}}]}])";
  std::ofstream(fhir + "/ExplanationOfBenefit.ndjson")
      << R"({"resourceType":"ExplanationOfBenefit","id":"c1","patient":{"reference":"Patient/m1"},)"
      << type << R"(CARRIER"}]},"billablePeriod":{"start":"2018-02-01","end":"2018-02-01"},)"
      << item << "}\n"
      << R"({"resourceType":"ExplanationOfBenefit","id":"r1","patient":{"reference":"Patient/m1"},)"
      << type << R"(PDE"}]},)" << item << "}\n";
  std::ofstream(fhir + "/Patient.ndjson")
      << R"({"resourceType":"Patient","id":"m1","gender":"female","birthDate":"1940-01-01"})"
      << "\n";
  ASSERT_EQ(
      RunCommand(fmt::format("{} import --data {} --out {}/f.vpd", CliPath(), fhir, dir), &out), 0)
      << out;
  EXPECT_EQ(risk(fhir, "fhir_folder", &out), 0) << out;
  EXPECT_EQ(risk(dir + "/f.vpd", "fhir_cache", &out), 2) << out;
  EXPECT_NE(out.find("its fhir deliveries count them among their claims"), std::string::npos)
      << out;
  ASSERT_EQ(RunCommand(fmt::format("{} import --data {} --no-pharmacy --out {}/g.vpd", CliPath(),
                                   fhir, dir),
                       &out),
            0)
      << out;
  ASSERT_EQ(risk(dir + "/g.vpd", "fhir_no_pharmacy", &out), 0) << out;
  for (const char* f : {"risk_summary.json", "restricted/member_scores.csv", "manifest.json"}) {
    EXPECT_EQ(Slurp(dir + "/fhir_folder/" + f), Slurp(dir + "/fhir_no_pharmacy/" + f)) << f;
  }
}

// import's --out: a folder (the data folder included) is refused as bad input with no file left
// behind, and so is a path inside the data folder reached through a symbolic link.
TEST(DatasetCache, AnOutThatIsAFolderOrInsideTheDataIsRefused) {
  const std::string dir = TempDir("cache_out");
  const std::string data = MakeData(dir, 40);
  fs::create_directories(dir + "/o");
  fs::create_directory_symlink(data, dir + "/o/link");
  for (const auto& [from, to, want] :
       {std::tuple<std::string, std::string, std::string>{data, data, "is a folder"},
        {data, dir + "/o", "is a folder"},
        {dir + "/o/link", data + "/c.vpd", "the folder being imported"},
        {data, dir + "/o/link/c.vpd", "the folder being imported"}}) {
    std::string out;
    EXPECT_EQ(RunCommand(fmt::format("{} import --data {} --out {}", CliPath(), from, to), &out), 2)
        << to << ": " << out;
    EXPECT_NE(out.find(want), std::string::npos) << out;
  }
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  }
  EXPECT_FALSE(fs::exists(data + "/c.vpd"));
}

TEST(DatasetCache, QualityOnACacheTakesTheStoredTallyInsteadOfTheLines) {
  const std::string dir = TempDir("cache_quality_tally");
  const std::string data = MakeData(dir);
  ASSERT_TRUE(Import(data, dir + "/paid.vpd", "paid").ok());
  const std::string with_rx = Palliative() + "/contract.toml";
  const std::string no_rx = SourceDir() + "/examples/aco-shared-savings/contract.toml";
  ASSERT_TRUE(Import(data, dir + "/palliative.vpd").ok());
  struct Case {
    std::string cache, contract;
    bool lines_read;
  };
  for (const Case& c :
       {Case{dir + "/paid.vpd", "", false}, Case{dir + "/palliative.vpd", with_rx, false},
        Case{dir + "/paid.vpd", no_rx, true}}) {
    SCOPED_TRACE(c.cache + " " + c.contract);
    auto folder = QualityRun({data, "auto", c.contract});
    ASSERT_TRUE(folder.ok()) << folder.status().message();
    auto cached = QualityRun({c.cache, "auto", c.contract});
    ASSERT_TRUE(cached.ok()) << cached.status().message();
    EXPECT_EQ(cached->dataset.medical.size() > 0, c.lines_read);
    const std::string json = quality::QualityJson(folder->scorecard, nullptr);
    EXPECT_EQ(quality::QualityJson(cached->scorecard, nullptr), json);
    EXPECT_NE(json.find("\"medical_lines\""), std::string::npos);
    if (!c.contract.empty()) {
      ASSERT_TRUE(folder->verdict && cached->verdict);
      EXPECT_EQ(quality::QualityJson(cached->scorecard, &*cached->verdict),
                quality::QualityJson(folder->scorecard, &*folder->verdict));
    }
  }
  // --format is still checked against the format the cache was imported in.
  auto wrong = QualityRun({dir + "/paid.vpd", "cclf", ""});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("was imported as tuva"), std::string::npos)
      << wrong.status().message();
}

// `quality` on a data folder tallies the claim lines as it reads them and keeps none of them
// (on a Tuva CSV folder, the lean read of a spending settlement): its scorecard, verdict and
// rejects are those of a whole read scored from the dataset, on messy data (repeated keys,
// claims under two members, invalid codes, dates and amounts, overlapping eligibility), without
// a contract, with one that reads pharmacy claims and with one that does not.
TEST(QualityRun, AFolderIsTalliedAsItIsReadAndScoredAsAWholeRead) {
  const std::string dir = TempDir("quality_folder_tally");
  const std::string data = MakeData(dir, 400, 11);
  testing::MakeMessy(data);
  for (const std::string& contract : {std::string(), Palliative() + "/contract.toml",
                                      SourceDir() + "/examples/aco-shared-savings/contract.toml"}) {
    SCOPED_TRACE(contract);
    auto tallied = QualityRun({data, "auto", contract});
    ASSERT_TRUE(tallied.ok()) << tallied.status().message();
    EXPECT_EQ(tallied->dataset.medical.size() + tallied->dataset.pharmacy.size(), 0u);
    // The whole read: every line kept, the scorecard computed from the dataset.
    LoadOptions lo;
    DataRequirements requirements;
    quality::ScorecardContext context;
    if (!contract.empty()) {
      ContractParseOptions po;
      po.allow_draft = true;
      auto k = LoadContract(contract, po);
      ASSERT_TRUE(k.ok()) << k.status().message();
      lo = DataLoadOptions(*k);
      requirements = k->data_requirements;
      context.pharmacy_required = k->pharmacy;
    }
    lo.diagnoses = false;
    Dataset whole;
    IngestReport report;
    ASSERT_TRUE(LoadDataDirectory(data, DataFormat::kTuva, lo, &whole, &report).ok());
    ASSERT_GT(whole.medical.size(), 0u);
    context.report = &report;
    const auto card = quality::ComputeQualityScorecard(whole, requirements, context);
    std::optional<quality::QualityVerdict> verdict;
    if (!contract.empty()) verdict = quality::EvaluateRequirements(card, requirements);
    ASSERT_EQ(tallied->verdict.has_value(), verdict.has_value());
    const std::string json = quality::QualityJson(card, verdict ? &*verdict : nullptr);
    for (const char* finding : {"duplicate_key", "\"12345678", "1899-12-3", "overlap"}) {
      EXPECT_NE(json.find(finding), std::string::npos) << finding;
    }
    EXPECT_EQ(
        quality::QualityJson(tallied->scorecard, tallied->verdict ? &*tallied->verdict : nullptr),
        json);
    EXPECT_EQ(quality::QualityMarkdown(tallied->scorecard,
                                       tallied->verdict ? &*tallied->verdict : nullptr),
              quality::QualityMarkdown(card, verdict ? &*verdict : nullptr));
    EXPECT_EQ(tallied->report.RejectsCsv(), report.RejectsCsv());
  }
}

TEST(DatasetCache, TruncatedOrCorruptBytesAreRefusedNeverHalfUsed) {
  const std::string dir = TempDir("cache_corrupt");
  ASSERT_TRUE(Import(MakeData(dir), dir + "/c.vpd").ok());
  const std::string good = Slurp(dir + "/c.vpd");
  const auto read = [](const std::string& bytes) {
    Dataset d;
    ProgramData p;
    IngestReport r;
    return cache::ReadCache(bytes, "c.vpd", &d, &p, &r).status();
  };
  ASSERT_TRUE(read(good).ok());
  // Every cut short of the whole file.
  for (size_t cut = 0; cut < good.size(); cut += cut < 400 ? 1 : good.size() / 97 + 1) {
    const Status s = read(good.substr(0, cut));
    ASSERT_FALSE(s.ok()) << cut;
    EXPECT_TRUE(s.message().find("truncated") != std::string::npos ||
                s.message().find("not a valuepact cache") != std::string::npos)
        << cut << ": " << s.message();
  }
  // One changed byte anywhere: in the header, the directory, a section, the trailer. A file
  // that still ends with its trailer (all but its last 40 bytes) is never called truncated.
  for (size_t at = 9; at < good.size(); at += good.size() / 61 + 1) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x5a);
    const Status s = read(bad);
    ASSERT_FALSE(s.ok()) << at;
    EXPECT_NE(s.message().find("c.vpd"), std::string::npos) << s.message();
    if (at + 40 < good.size()) {
      EXPECT_EQ(s.message().find("truncated"), std::string::npos) << at << ": " << s.message();
    }
  }
  // Every byte of the header and directory's first 300: damage there is named as such.
  for (size_t at = 16; at < 300; ++at) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x5a);
    const Status s = read(bad);
    ASSERT_FALSE(s.ok()) << at;
    EXPECT_EQ(s.message().find("truncated"), std::string::npos) << at << ": " << s.message();
  }
  std::string other_format = good;
  other_format[8] = static_cast<char>(cache::kFormatVersion + 1);
  EXPECT_NE(
      read(other_format).message().find(fmt::format("cache format {}", cache::kFormatVersion + 1)),
      std::string::npos);
}

// Runs judge a cache fresh by its folders' sizes and modification times; `import --verify`
// hashes every file it read again. A byte changed with the file's time put back is used by a
// run, and found by --verify, which lists it with files added and removed and exits 1.
TEST(DatasetCache, VerifyFindsWhatSizesAndTimesMiss) {
  const std::string dir = TempDir("cache_verify");
  const std::string data = MakeData(dir);
  std::string out;
  const auto vp = [&](const std::string& args) {
    return RunCommand(fmt::format("{} {}", CliPath(), args), &out);
  };
  ASSERT_EQ(vp(fmt::format("import --data {} --out {}/c.vpd", data, dir)), 0) << out;
  ASSERT_EQ(vp(fmt::format("import --verify {}/c.vpd", dir)), 0) << out;
  EXPECT_NE(out.find("holds what was imported: 7 files read hashed again"), std::string::npos)
      << out;
  const fs::path med = fs::path(data) / "medical_claim.csv";
  const auto when = fs::last_write_time(med);
  std::string bytes = Slurp(med.string());
  const size_t at = bytes.find_first_of("123456789", bytes.find('\n') + 1);
  bytes[at] = bytes[at] == '9' ? '1' : static_cast<char>(bytes[at] + 1);
  std::ofstream(med, std::ios::binary | std::ios::trunc) << bytes;
  fs::last_write_time(med, when);
  EXPECT_EQ(vp(fmt::format("quality --data {}/c.vpd --out {}/q", dir, dir)), 0) << out;
  EXPECT_EQ(out.find("stale"), std::string::npos) << out;
  EXPECT_EQ(vp(fmt::format("import --verify {}/c.vpd", dir)), 1) << out;
  EXPECT_NE(out.find("medical_claim.csv: its content differs from what was imported"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("stale:"), std::string::npos) << out;
  std::ofstream(data + "/notes.txt") << "x\n";
  fs::remove(fs::path(data) / "pharmacy_claim.csv");
  EXPECT_EQ(vp(fmt::format("import --verify {}/c.vpd", dir)), 1) << out;
  EXPECT_NE(out.find("notes.txt: added since the import"), std::string::npos) << out;
  EXPECT_NE(out.find("pharmacy_claim.csv: removed since the import"), std::string::npos) << out;
  EXPECT_NE(out.find("(3 differences)"), std::string::npos) << out;
  // Not a cache, no such file, or options it records itself.
  EXPECT_EQ(vp(fmt::format("import --verify {}", med.string())), 2) << out;
  EXPECT_NE(out.find("not a valuepact dataset cache"), std::string::npos) << out;
  EXPECT_EQ(vp(fmt::format("import --verify {}/none.vpd", dir)), 2) << out;
  EXPECT_NE(out.find("none.vpd: no such file"), std::string::npos) << out;
  EXPECT_EQ(vp(fmt::format("import --verify {}/c.vpd --no-pharmacy", dir)), 2) << out;
  EXPECT_EQ(vp(fmt::format("import --data {}", data)), 2) << out;
  EXPECT_NE(out.find("--data and --out are required (or --verify CACHE)"), std::string::npos)
      << out;
}

TEST(DatasetCache, AnotherEngineVersionsCacheIsRefused) {
  const std::string dir = TempDir("cache_engine");
  ASSERT_TRUE(Import(MakeData(dir), dir + "/c.vpd").ok());
  Dataset d;
  ProgramData p;
  IngestReport r;
  auto origin = cache::ReadCache(Slurp(dir + "/c.vpd"), "c.vpd", &d, &p, &r);
  ASSERT_TRUE(origin.ok());
  origin->engine_version = "0.0.1";
  ASSERT_TRUE(cache::WriteCache(dir + "/old.vpd", d, p, r, *origin).ok());
  RunInputs in;
  const Status s = LoadAsData(dir + "/old.vpd", &in);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("written by valuepact 0.0.1"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace valuepact::run
