// A dataset split by member (`valuepact partition`): the parts put back together are the dataset
// they came from, byte for byte as a cache; each part holds the members its hash gives it; a
// folder of parts is read as a cache by every command; a missing, foreign, damaged or stale part
// is refused with a message that says why.
#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "synth_data.h"
#include "test_paths.h"
#include "valuepact/core/file_io.h"
#include "valuepact/ingest/dataset_partition.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/run/import_run.h"

namespace valuepact::run {
namespace {

namespace fs = std::filesystem;
using testing::CliPath;
using testing::RunCommand;
using testing::SourceDir;
using testing::TempDir;

using testdata::LoadAsData;
using testdata::Palliative;
using testdata::Slurp;

std::string MakeData(const std::string& dir, int members = 400) {
  return testdata::MakeData(dir, members, 9);
}

struct Whole {
  Dataset d;
  ProgramData p;
  IngestReport r;
};

void ReadFolder(const std::string& data, const LoadOptions& lo, Whole* w) {
  InputPaths paths;
  paths.data = data;
  const StampingFileSystem files(RealFiles());
  ASSERT_TRUE(ReadDataFolders(paths, lo, files, &w->d, &w->p, &w->r).ok());
}

std::string Encoded(const Whole& w) {
  cache::CacheOrigin o;
  auto bytes = cache::EncodeCache(w.d, w.p, w.r, o, 1);
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : "";
}

// Split into `n` and joined again: every table, id and row as it was.
void ExpectRoundTrip(const Whole& w, uint32_t n, const std::string& what) {
  auto parts = cache::SplitDataset(w.d, w.p, w.r, n);
  ASSERT_EQ(parts.size(), n);
  Whole back;
  const Status s = cache::JoinParts(&parts, "parts", &back.d, &back.p, &back.r);
  ASSERT_TRUE(s.ok()) << what << ": " << s.message();
  EXPECT_TRUE(Encoded(back) == Encoded(w)) << what << " in " << n << " parts";
}

TEST(DatasetPartition, MembersGoWhereTheFnv1aHashOfTheirIdSays) {
  // FNV-1a 64 of "" and of "a" (the published test vectors).
  EXPECT_EQ(cache::PartOfMember("", 1000003), 0xcbf29ce484222325ull % 1000003);
  EXPECT_EQ(cache::PartOfMember("a", 1000003), 0xaf63dc4c8601ec8cull % 1000003);
  EXPECT_EQ(cache::PartOfMember("anything", 1), 0u);
  EXPECT_EQ(cache::PartFileName(2, 5), "part-2-of-5.vpd");
}

TEST(DatasetPartition, PartsPutBackTogetherAreTheDatasetTheyCameFrom) {
  const std::string dir = TempDir("partition_roundtrip");
  Whole w;
  ReadFolder(MakeData(dir), LoadOptions{}, &w);
  ASSERT_GT(w.p.visits.size(), 0u);
  // What only part 0 holds, referring to ids rows refer to and to ids nothing else does.
  const uint32_t only_here = w.d.codes.Intern("NPI-ONLY-IN-A-CLAIM-VERSION");
  w.d.demographics.Add(3, 'F', Date::FromCivil(1950, 1, 2), kNoDate, kNoCode, kNoCode, kNoCode,
                       {0, 1});
  w.d.deliveries.name = {"P.A1.ACO.ZC1Y24.D240101.T0000001"};
  w.d.deliveries.format = {"cclf"};
  w.d.deliveries.file_date = {Date::FromCivil(2024, 1, 1)};
  w.d.deliveries.performance_year = {2024};
  w.d.deliveries.run_out = {0};
  w.d.deliveries.member_count = {2};
  w.d.deliveries.claim_count = {1};
  auto& v = w.d.claim_versions;
  v.version = {w.d.claim_ids.Intern("VERSION-ONLY")};
  v.line_number = {0};
  v.member = {7};
  v.part = {'A'};
  v.adjustment_type = {0};
  v.natural_key = {only_here};
  v.effective = v.loaded = {Date::FromCivil(2024, 1, 1)};
  v.amount = {Money::FromCents(1234)};
  v.delivery = {0};
  v.status = {'F'};
  v.paired_with = {-1};
  v.source = {{0, 2}};
  w.d.member_id_changes.previous = {w.d.codes.Intern("OLD-MBI")};
  w.d.member_id_changes.current = {w.d.members.Intern("A-MEMBER-WITH-NO-ROWS")};
  w.d.member_id_changes.effective = w.d.member_id_changes.obsolete = {kNoDate};
  w.d.member_id_changes.delivery = {0};
  // Amounts beyond four bytes of cents, which a column of amounts keeps beside its rows.
  ASSERT_GT(w.d.pharmacy.size(), 1u);
  w.d.medical.paid.Set(0, Money::FromCents(5'000'000'000));
  w.d.medical.charge.Set(w.d.medical.size() - 1, Money::FromCents(-2'147'483'648));
  w.d.pharmacy.allowed.Set(1, Money::FromCents(-3'000'000'000));
  for (uint32_t n : {1u, 2u, 3u, 7u}) ExpectRoundTrip(w, n, "synthetic claims and program data");

  // Each member's rows lie in the part its id hashes to, and in no other.
  const auto parts = cache::SplitDataset(w.d, w.p, w.r, 3);
  std::set<std::string> seen;
  for (const auto& part : parts) {
    std::set<std::string> here;
    for (uint32_t m : part.dataset.medical.member) {
      here.insert(std::string(part.dataset.members.Get(m)));
    }
    for (uint32_t m : part.dataset.eligibility.member) {
      here.insert(std::string(part.dataset.members.Get(m)));
    }
    for (const auto& id : here) {
      EXPECT_EQ(cache::PartOfMember(id, 3), part.info.index) << id;
      EXPECT_TRUE(seen.insert(id).second) << id << " in two parts";
    }
    EXPECT_EQ(part.program.empty(), part.info.index != 0);
  }
  EXPECT_EQ(seen.size(), w.d.eligibility.size());
}

TEST(DatasetPartition, LinesReadWithoutTheirCodesAndCclfDeliveriesComeBackWhole) {
  const std::string dir = TempDir("partition_shapes");
  Whole summary;
  LoadOptions lo;
  lo.diagnoses = false;
  ReadFolder(MakeData(dir, 200), lo, &summary);
  ASSERT_FALSE(summary.d.medical.diagnoses_kept());
  for (uint32_t n : {2u, 5u}) ExpectRoundTrip(summary, n, "lines without their codes");

  Whole cclf;
  ASSERT_TRUE(LoadDataDirectory(SourceDir() + "/tests/cases/metrics_feed_timeliness/data",
                                DataFormat::kAuto, LoadOptions{}, &cclf.d, &cclf.r)
                  .ok());
  ASSERT_GT(cclf.d.deliveries.size(), 0u);
  ASSERT_GT(cclf.d.demographics.size(), 0u);
  for (uint32_t n : {2u, 3u}) ExpectRoundTrip(cclf, n, "CCLF deliveries");
}

Status Partition(const std::string& data, const std::string& out, uint32_t ranks) {
  PartitionRequest r;
  r.inputs.data = data;
  r.inputs.contract = Palliative() + "/contract.toml";
  r.out = out;
  r.ranks = ranks;
  auto s = PartitionData(r);
  return s.ok() ? Status::Ok() : s.status();
}

TEST(DatasetPartition, EveryCommandReadsTheFolderOfPartsAsTheDataFolder) {
  const std::string dir = TempDir("partition_settle");
  const std::string data = MakeData(dir);
  const std::string k = Palliative() + "/contract.toml";
  const std::string m = Palliative() + "/measures.csv";
  std::string out;
  ASSERT_EQ(RunCommand(fmt::format("{} partition --data {} --contract {} --ranks 3 --out {}/parts",
                                   CliPath(), data, k, dir),
                       &out),
            0)
      << out;
  EXPECT_NE(out.find("part-2-of-3.vpd"), std::string::npos) << out;
  for (const auto& [from, to] : {std::pair{data, "folder"}, {dir + "/parts", "parts"}}) {
    for (const char* command : {"settle", "metrics"}) {
      ASSERT_EQ(RunCommand(fmt::format("{} {} {} --data {} --measures {} --out {}/{}-{} --no-store",
                                       CliPath(), command, k, from, m, dir, to, command),
                           &out),
                0)
          << out;
    }
  }
  for (const char* f : {"settle/summary.json", "settle/trace.json", "settle/statement.html",
                        "metrics/metrics.csv"}) {
    const std::string command = fs::path(f).parent_path().string();
    const std::string file = fs::path(f).filename().string();
    EXPECT_EQ(Slurp(fmt::format("{}/folder-{}/{}", dir, command, file)),
              Slurp(fmt::format("{}/parts-{}/{}", dir, command, file)))
        << f;
  }
  // Split again from the cache of the same folder: the same parts, byte for byte.
  ASSERT_EQ(RunCommand(fmt::format("{} import --data {} --contract {} --out {}/c.vpd", CliPath(),
                                   data, k, dir),
                       &out),
            0)
      << out;
  ASSERT_EQ(RunCommand(fmt::format("{} partition --data {}/c.vpd --ranks 3 --out {}/again",
                                   CliPath(), dir, dir),
                       &out),
            0)
      << out;
  for (int i = 0; i < 3; ++i) {
    const std::string name = cache::PartFileName(i, 3);
    EXPECT_TRUE(Slurp(fmt::format("{}/parts/{}", dir, name)) ==
                Slurp(fmt::format("{}/again/{}", dir, name)))
        << name;
  }
}

TEST(DatasetPartition, AMissingForeignDamagedOrStalePartIsRefused) {
  const std::string dir = TempDir("partition_refused");
  const std::string data = MakeData(dir);
  ASSERT_TRUE(Partition(data, dir + "/p", 3).ok());
  {
    RunInputs in;
    const Status s = LoadAsData(dir + "/p", &in);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(in.dataset.member_count(), 400u);
  }
  const auto expect = [&](const std::string& data_path, const std::string& want) {
    RunInputs in;
    const Status s = LoadAsData(data_path, &in);
    ASSERT_FALSE(s.ok()) << want;
    EXPECT_NE(s.message().find(want), std::string::npos) << s.message();
  };
  // One part given as a cache.
  expect(dir + "/p/part-1-of-3.vpd", "give --data the folder that holds every part");
  // A part missing.
  fs::copy(dir + "/p", dir + "/missing");
  fs::remove(dir + "/missing/part-1-of-3.vpd");
  expect(dir + "/missing", "part-1-of-3.vpd is missing");
  // Parts of two splits in one folder.
  ASSERT_TRUE(Partition(data, dir + "/two", 2).ok());
  fs::copy(dir + "/two/part-0-of-2.vpd", dir + "/missing/part-0-of-2.vpd");
  expect(dir + "/missing", "holds parts of splits into 2 and 3");
  // A part of another dataset's split, in the right place.
  const std::string other = MakeData(dir + "/other", 300);
  ASSERT_TRUE(Partition(other, dir + "/q", 3).ok());
  fs::copy(dir + "/p", dir + "/mixed");
  fs::copy_file(dir + "/q/part-2-of-3.vpd", dir + "/mixed/part-2-of-3.vpd",
                fs::copy_options::overwrite_existing);
  expect(dir + "/mixed", "part-2-of-3.vpd: it and part-0-of-3.vpd come from different splits");
  // A damaged part.
  fs::copy(dir + "/p", dir + "/damaged");
  {
    std::string bytes = Slurp(dir + "/damaged/part-1-of-3.vpd");
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5a);
    ASSERT_TRUE(WriteWholeFile(dir + "/damaged/part-1-of-3.vpd", bytes).ok());
  }
  expect(dir + "/damaged", "part-1-of-3.vpd: corrupt cache");
  // A changed input file.
  std::ofstream(data + "/eligibility.csv", std::ios::app) << "\n";
  expect(dir + "/p", "re-run valuepact partition");
  // Nor one inside the folder the data came from, even from a cache of it.
  ASSERT_EQ(RunCommand(fmt::format("{} import --data {} --out {}/c.vpd", CliPath(), other, dir)),
            0);
  PartitionRequest inside;
  inside.inputs.data = dir + "/c.vpd";
  inside.out = other + "/parts";
  inside.ranks = 2;
  auto refused = PartitionData(inside);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("the folder being imported"), std::string::npos)
      << refused.status().message();
  // A path that is not there, an empty file, and a cache split with --format naming another
  // format than the one imported, or none at all.
  struct Bad {
    std::string path, format, want;
  };
  std::ofstream(dir + "/empty.csv").flush();
  for (const Bad& b :
       {Bad{dir + "/nowhere", "auto", "no such folder"},
        Bad{dir + "/empty.csv", "auto", "not a folder, a dataset cache nor a folder of parts"},
        Bad{dir + "/c.vpd", "cclf", "was imported as tuva"},
        Bad{dir + "/c.vpd", "xyz", "expected tuva, cclf, fhir or auto"}}) {
    PartitionRequest bad;
    bad.inputs.data = b.path;
    bad.inputs.format = b.format;
    bad.out = dir + "/never";
    bad.ranks = 2;
    auto r = PartitionData(bad);
    ASSERT_FALSE(r.ok()) << b.path << " " << b.format;
    EXPECT_NE(r.status().message().find(b.want), std::string::npos) << r.status().message();
  }
  EXPECT_FALSE(fs::exists(dir + "/never"));
  // A folder that holds anything else is not written into.
  std::ofstream(dir + "/two/readme.txt") << "x";
  const Status s = Partition(other, dir + "/two", 2);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("readme.txt, which is not a part"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace valuepact::run
