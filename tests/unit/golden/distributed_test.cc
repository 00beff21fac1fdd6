// The distributed mode (docs/scaling.md): `mpirun -np N valuepact <command> … --distributed`
// writes the same files, byte for byte, and exits with the same code as one process — on every
// golden case that settles, measures or counts a population, and on a synthetic dataset with
// program data (and `risk` on synthetic claims), with 2 and 3 ranks on this machine's loopback.
// Skips, saying why, where the build has no MPI or mpirun is not installed (`make test` installs
// OpenMPI).
#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "golden_case.h"
#include "messy_data.h"
#include "same_files.h"
#include "test_paths.h"
#include "valuepact/core/file_io.h"

namespace valuepact::golden {
namespace {

namespace fs = std::filesystem;
using testing::CliPath;
using testing::RunCommand;
using testing::SourceDir;
using testing::TempDir;

// mpirun as root on loopback, more ranks than cores allowed, bounded in time so a run that
// waits forever fails instead of hanging the suite. Under the sanitizers (make test-asan), leak
// detection is off for the ranks: Open MPI keeps memory until the process ends.
std::string Mpirun(int ranks) {
  return fmt::format(
      "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
      "OMPI_MCA_rmaps_base_oversubscribe=1 ASAN_OPTIONS=detect_leaks=0 "
      "timeout 300 mpirun -np {} --oversubscribe",
      ranks);
}

std::string WhyNoMpi() {
#ifndef VALUEPACT_WITH_MPI
  return "this build has no MPI (configure with -DVALUEPACT_MPI=ON after installing OpenMPI)";
#else
  if (RunCommand("command -v mpirun >/dev/null 2>&1") != 0) return "mpirun is not installed";
  return "";
#endif
}

struct CaseAndRanks {
  std::string name;
  int ranks;
};

// How CTest lists a test's parameter.
void PrintTo(const CaseAndRanks& c, std::ostream* os) {
  *os << c.name << " with " << c.ranks << " ranks";
}

class DistributedCase : public ::testing::TestWithParam<CaseAndRanks> {};

TEST_P(DistributedCase, WritesWhatOneProcessWrites) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  const auto [name, ranks] = GetParam();
  GoldenCase c;
  ASSERT_TRUE(LoadCase(CasesRoot() / name, "tests/cases/" + name, &c).empty());
  if (const std::string why = SkipReason(c); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir(fmt::format("distributed_{}_{}", name, ranks));
  const fs::path one = work / "one" / "out", many = work / "many" / "out";
  const std::string single = CommandLine(c, CasesRoot() / name, one);
  std::string distributed = CommandLine(c, CasesRoot() / name, many) + " --distributed";
  const std::string cli = "'" + CliPath() + "'";
  const size_t at = distributed.find(cli);
  ASSERT_NE(at, std::string::npos) << distributed;
  distributed.insert(at, Mpirun(ranks) + " ");
  ExpectSameFiles(single, distributed, one, many, "tests/cases/" + name);
}

// The golden cases whose command reads data through the run pipeline.
std::vector<CaseAndRanks> Cases() {
  std::vector<CaseAndRanks> out;
  for (const auto& name : CaseDirectories(CasesRoot())) {
    GoldenCase c;
    if (!LoadCase(CasesRoot() / name, name, &c).empty() || c.data.empty()) continue;
    if (c.command != "settle" && c.command != "metrics" && c.command != "cohort") continue;
    for (int ranks : {2, 3}) out.push_back({name, ranks});
  }
  return out;
}

std::string TestName(const ::testing::TestParamInfo<CaseAndRanks>& info) {
  return fmt::format("{}_np{}", CaseTestName(info.param.name), info.param.ranks);
}

INSTANTIATE_TEST_SUITE_P(Golden, DistributedCase, ::testing::ValuesIn(Cases()), TestName);

// Every golden case that settles, on its data split by `valuepact partition` into as many parts
// as ranks: the files one process writes on the folder. Contracts that read claim lines only for
// spending keep them on their ranks (docs/scaling.md); the others join the parts on rank 0.
class DistributedPartsCase : public ::testing::TestWithParam<CaseAndRanks> {};

TEST_P(DistributedPartsCase, WritesWhatOneProcessWritesOnTheFolder) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  const auto [name, ranks] = GetParam();
  GoldenCase c;
  const fs::path dir = CasesRoot() / name;
  ASSERT_TRUE(LoadCase(dir, "tests/cases/" + name, &c).empty());
  if (const std::string why = SkipReason(c); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir(fmt::format("distributed_parts_{}_{}", name, ranks));
  const fs::path one = work / "one" / "out", many = work / "many" / "out", parts = work / "parts";
  std::string out;
  const int split = RunCommand(
      fmt::format("cd '{}' && env VALUEPACT_VALUESETS='{}/valuesets' '{}' partition --data '{}' "
                  "--contract '{}' --ranks {} --out '{}'",
                  dir.string(), SourceDir(), CliPath(), c.data, c.contract, ranks, parts.string()),
      &out);
  if (split != 0) GTEST_SKIP() << "partition refuses the case's data: " << out;
  GoldenCase on_parts = c;
  on_parts.data = parts.string();
  std::string distributed = CommandLine(on_parts, dir, many) + " --distributed";
  const std::string cli = "'" + CliPath() + "'";
  const size_t at = distributed.find(cli);
  ASSERT_NE(at, std::string::npos) << distributed;
  distributed.insert(at, Mpirun(ranks) + " ");
  ExpectSameFiles(CommandLine(c, dir, one), distributed, one, many,
                  fmt::format("tests/cases/{} on {} parts", name, ranks));
}

std::vector<CaseAndRanks> SettleCases() {
  std::vector<CaseAndRanks> out;
  for (const auto& name : CaseDirectories(CasesRoot())) {
    GoldenCase c;
    if (!LoadCase(CasesRoot() / name, name, &c).empty() || c.data.empty()) continue;
    if (c.command != "settle") continue;
    for (int ranks : {2, 3}) out.push_back({name, ranks});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(GoldenParts, DistributedPartsCase, ::testing::ValuesIn(SettleCases()),
                         TestName);

TEST(Distributed, SyntheticDataWithProgramDataSettlesAndMeasuresTheSame) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir("distributed_synthetic");
  const std::string k = SourceDir() + "/examples/palliative-case-rate/contract.toml";
  const std::string m = SourceDir() + "/examples/palliative-case-rate/measures.csv";
  ASSERT_EQ(RunCommand(fmt::format("'{}' synth --members 1500 --seed 11 --out '{}/data'", CliPath(),
                                   work.string())),
            0);
  for (const char* command : {"settle", "metrics"}) {
    for (int ranks : {2, 3}) {
      const auto dir = [&](const char* side) {
        return work / fmt::format("{}_{}_{}", command, ranks, side) / "out";
      };
      const std::string args = fmt::format("{} '{}' --data '{}/data' --measures '{}' --threads 1",
                                           command, k, work.string(), m);
      ExpectSameFiles(fmt::format("'{}' {} --out '{}'", CliPath(), args, dir("one").string()),
                      fmt::format("{} '{}' {} --out '{}' --distributed", Mpirun(ranks), CliPath(),
                                  args, dir("many").string()),
                      dir("one"), dir("many"), fmt::format("{} with {} ranks", command, ranks));
    }
  }
}

// Rank 0 in folder `a`, the other ranks in folder `b`: the same relative paths, two copies of
// the files (as on machines without a shared file system).
std::string MpirunApart(const fs::path& a, const fs::path& b, int ranks, const std::string& args) {
  return fmt::format(
      "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ASAN_OPTIONS=detect_leaks=0 "
      "timeout 300 mpirun --oversubscribe -np 1 -wdir '{}' '{}' {} : -np {} -wdir '{}' '{}' {}",
      a.string(), CliPath(), args, ranks - 1, b.string(), CliPath(), args);
}

// `work`/data split by `valuepact partition` into `work`/parts<ranks>, and the parts copied apart
// as MpirunApart runs them: part 0 into `a`, the others into `b` (at the same relative paths).
void SplitApart(const fs::path& work, const std::string& contract, int ranks, const fs::path& a,
                const fs::path& b) {
  const std::string parts = fmt::format("parts{}", ranks);
  std::string out;
  ASSERT_EQ(RunCommand(fmt::format("'{}' partition --data '{}/data' --contract '{}' --ranks {} "
                                   "--out '{}/{}'",
                                   CliPath(), work.string(), contract, ranks, work.string(), parts),
                       &out),
            0)
      << out;
  fs::create_directories(a / parts);
  fs::create_directories(b / parts);
  for (int r = 0; r < ranks; ++r) {
    const std::string name = fmt::format("{}/part-{}-of-{}.vpd", parts, r, ranks);
    fs::copy_file(work / name, (r == 0 ? a : b) / name);
  }
}

void Overwrite(const fs::path& file, size_t at, char c) {
  auto bytes = ReadWholeFile(file.string());
  ASSERT_TRUE(bytes.ok() && at < bytes->size());
  (*bytes)[at] = c;
  ASSERT_TRUE(WriteWholeFile(file.string(), *bytes).ok());
}

// The other ranks parse the chunks rank 0 cut and read nothing else: a copy whose bytes differ
// only in rank 0's share of a file (a stray quote, which would move a cut made there), and
// whose program data is unreadable, gives what one process gives on rank 0's copy. A copy of
// another size is refused, naming the file; and when rank 0 stops before sending its cuts, the
// others say so and every process ends.
TEST(Distributed, OtherRanksReadOnlyTheirShareOfTheFiles) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir("distributed_share");
  const std::string k = SourceDir() + "/examples/palliative-case-rate/contract.toml";
  const std::string m = SourceDir() + "/examples/palliative-case-rate/measures.csv";
  const fs::path a = work / "a", b = work / "b";
  fs::create_directories(a);
  ASSERT_EQ(RunCommand(fmt::format("'{}' synth --members 2000 --seed 4 --out '{}/data'", CliPath(),
                                   a.string())),
            0);
  fs::copy(a, b, fs::copy_options::recursive);
  const fs::path med = b / "data" / "medical_claim.csv";
  ASSERT_GT(fs::file_size(med), size_t{2} << 20);  // 2 chunks or more: rank 0 parses the first
  auto bytes = ReadWholeFile(med.string());
  ASSERT_TRUE(bytes.ok());
  Overwrite(med, bytes->find('\n') + 5, '"');
  ASSERT_TRUE(WriteWholeFile((b / "data" / "visits.csv").string(), "not,a,visits,header\n").ok());
  const auto args = [&](const fs::path& out) {
    return fmt::format("settle '{}' --data data --measures '{}' --threads 1 --out '{}'", k, m,
                       out.string());
  };
  ExpectSameFiles(fmt::format("cd '{}' && '{}' {}", a.string(), CliPath(), args(work / "one")),
                  MpirunApart(a, b, 2, args(work / "many") + " --distributed"), work / "one",
                  work / "many", "copies apart");

  // A copy of another size.
  ASSERT_TRUE(WriteWholeFile(med.string(),
                             *bytes + bytes->substr(bytes->rfind('\n', bytes->size() - 2) + 1))
                  .ok());
  std::string out;
  EXPECT_NE(RunCommand(MpirunApart(a, b, 3, args(work / "sizes") + " --distributed"), &out), 0);
  EXPECT_NE(out.find(fmt::format("data/medical_claim.csv: {} bytes on this rank, {} on rank 0",
                                 fs::file_size(med), bytes->size())),
            std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(work / "sizes"));

  // Rank 0 stops at a header the others do not see.
  ASSERT_TRUE(WriteWholeFile(med.string(), *bytes).ok());
  Overwrite(a / "data" / "medical_claim.csv", 0, 'x');  // claim_id -> xlaim_id
  EXPECT_NE(RunCommand(MpirunApart(a, b, 3, args(work / "header") + " --distributed"), &out), 0);
  EXPECT_NE(out.find("missing required column 'claim_id'"), std::string::npos) << out;
  EXPECT_NE(out.find("(rank 2): distributed run: rank 0 stopped before sending what this rank "
                     "needs"),
            std::string::npos)
      << out;
}

// Bytes that two ranks read from their own copies (one parses them, the other hashed their
// block for the fingerprint; or the header, which every rank reads) must be the same in both:
// a copy that differs there, in a digit or in the header's spelling, stops the run, naming the
// file, the ranks and the bytes, and every process ends.
TEST(Distributed, ACopyThatDiffersWhereTwoRanksReadItIsRefused) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir("distributed_read_twice");
  const std::string k = SourceDir() + "/examples/palliative-case-rate/contract.toml";
  const fs::path a = work / "a", b = work / "b";
  fs::create_directories(a);
  ASSERT_EQ(
      RunCommand(fmt::format("'{}' synth --members 2000 --seed 4 --no-program --out '{}/data'",
                             CliPath(), a.string())),
      0);
  fs::copy(a, b, fs::copy_options::recursive);
  const fs::path med = b / "data" / "medical_claim.csv";
  const size_t size = fs::file_size(med);
  // One fingerprint block, hashed by rank 0; rank 1 parses the second half of the file.
  ASSERT_LT(size, kFingerprintBlock);
  auto bytes = ReadWholeFile(med.string());
  ASSERT_TRUE(bytes.ok());
  const auto args = [&](const fs::path& out) {
    return fmt::format("settle '{}' --data data --threads 1 --out '{}' --distributed", k,
                       out.string());
  };
  const size_t at = bytes->find_first_of("123456789", bytes->find('\n', size * 3 / 4));
  Overwrite(med, at, (*bytes)[at] == '9' ? '1' : static_cast<char>((*bytes)[at] + 1));
  std::string out;
  EXPECT_EQ(RunCommand(MpirunApart(a, b, 2, args(work / "digit")), &out), 2) << out;
  EXPECT_NE(out.find("data/medical_claim.csv: the copy rank 1 read differs from the copy rank 0 "
                     "read in bytes "),
            std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(work / "digit"));

  // The header spelled otherwise (the reader matches column names whatever their case).
  ASSERT_TRUE(WriteWholeFile(med.string(), *bytes).ok());
  ASSERT_EQ(bytes->compare(0, 8, "claim_id"), 0);
  Overwrite(med, 0, 'C');
  EXPECT_EQ(RunCommand(MpirunApart(a, b, 3, args(work / "header")), &out), 2) << out;
  EXPECT_NE(out.find("the copy rank 1 read differs from the copy rank 0 read in bytes 0–"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("(the header)"), std::string::npos) << out;

  // The same copies: the run goes on.
  ASSERT_TRUE(WriteWholeFile(med.string(), *bytes).ok());
  EXPECT_EQ(RunCommand(MpirunApart(a, b, 3, args(work / "same")), &out), 0) << out;
}

// Rank 0 cuts and fingerprints a file from its share too: the counts and digests of the other
// shares come from their ranks. A copy for rank 0 whose bytes differ only well inside rank 1's
// share (a stray quote, which would move every cut after it and change the file's
// fingerprint) gives what one process gives on rank 1's copy.
TEST(Distributed, RankZeroReadsOnlyItsShareOfTheFiles) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir("distributed_root_share");
  const std::string k = SourceDir() + "/examples/palliative-case-rate/contract.toml";
  const std::string m = SourceDir() + "/examples/palliative-case-rate/measures.csv";
  const fs::path a = work / "a", b = work / "b";
  fs::create_directories(b);
  ASSERT_EQ(RunCommand(fmt::format("'{}' synth --members 12000 --seed 6 --out '{}/data'", CliPath(),
                                   b.string())),
            0);
  fs::copy(b, a, fs::copy_options::recursive);
  const fs::path med = a / "data" / "medical_claim.csv";
  const size_t size = fs::file_size(med);
  // Rank 0's share is the first half; it hashes up to one 4 MiB block past it.
  ASSERT_GT(size, size_t{10} << 20);
  auto bytes = ReadWholeFile(med.string());
  ASSERT_TRUE(bytes.ok());
  const size_t at = bytes->find('\n', size / 2 + (size_t{9} << 19)) + 1;  // half + 4.5 MiB
  ASSERT_LT(at + 40, size);
  Overwrite(med, at + 3, '"');
  for (const auto& f : fs::directory_iterator(b / "data")) {  // the run records their times
    fs::last_write_time(a / "data" / f.path().filename(), fs::last_write_time(f.path()));
  }
  const auto args = [&](const fs::path& out) {
    return fmt::format("settle '{}' --data data --measures '{}' --threads 1 --out '{}'", k, m,
                       out.string());
  };
  ExpectSameFiles(fmt::format("cd '{}' && '{}' {}", b.string(), CliPath(), args(work / "one")),
                  MpirunApart(a, b, 2, args(work / "many") + " --distributed"), work / "one",
                  work / "many", "rank 0's copy differs in rank 1's share");
}

// A dataset split by `valuepact partition`: each rank reads its own part alone (rank 0's copy
// holds part 0 only, the others' copy the other parts), and the results are one process's on
// the folder the parts came from. A split into another number of parts than ranks is refused.
TEST(Distributed, EachRankReadsItsOwnPartOfASplitDataset) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir("distributed_parts");
  const std::string k = SourceDir() + "/examples/palliative-case-rate/contract.toml";
  const std::string m = SourceDir() + "/examples/palliative-case-rate/measures.csv";
  const fs::path a = work / "a", b = work / "b";
  ASSERT_EQ(RunCommand(fmt::format("'{}' synth --members 1500 --seed 12 --out '{}/data'", CliPath(),
                                   work.string())),
            0);
  for (int ranks : {2, 3}) {
    SplitApart(work, k, ranks, a, b);
    for (const char* command : {"settle", "metrics"}) {
      const auto args = [&](const std::string& data, const fs::path& to) {
        return fmt::format("{} '{}' --data '{}' --measures '{}' --threads 1 --out '{}'", command, k,
                           data, m, to.string());
      };
      const fs::path one = work / fmt::format("{}_{}_one", command, ranks);
      const fs::path many = work / fmt::format("{}_{}_many", command, ranks);
      ExpectSameFiles(
          fmt::format("'{}' {}", CliPath(), args((work / "data").string(), one)),
          MpirunApart(a, b, ranks, args(fmt::format("parts{}", ranks), many) + " --distributed"),
          one, many, fmt::format("{} on {} parts", command, ranks));
    }
  }
  std::string out;
  EXPECT_EQ(RunCommand(fmt::format("{} '{}' settle '{}' --data '{}/parts3' --out '{}/np2' "
                                   "--distributed",
                                   Mpirun(2), CliPath(), k, work.string(), work.string()),
                       &out) != 0,
            true);
  EXPECT_NE(out.find("holds a split into 3 parts; run it with mpirun -np 3 (this run has 2 ranks)"),
            std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(work / "np2"));
}

// Terms that read claim lines only for spending and the data-quality scorecard, with data
// requirements, a percentile truncation and an MSR.
constexpr const char* kSpendingContract = R"([contract]
id = "lines-on-ranks"
period = { start = 2018-01-01, end = 2018-12-31 }
payers = ["medicare"]
services = ["medical", "pharmacy"]
[benchmark]
method = "target_pmpm"
target_pmpm = 700
[data_requirements]
min_enrollment_match = 0.5
max_lag_days_p90 = 120
max_invalid_npi_share = 0.5
[[payment]]
id = "case-rate"
kind = "case_rate"
pmpm = 50
[[payment]]
id = "savings"
kind = "shared_savings"
sharing_rate = 0.5
minimum_savings_rate = 0.02
truncation_percentile = 0.99
)";

// A contract whose terms read claim lines only for spending and the data-quality scorecard: the
// lines stay on their ranks, each rank tallies its own part, and the outputs are still one
// process's, byte for byte — with claims whose lines two parts carry, repeated keys, invalid
// values, a percentile truncation and data requirements. Rank 0's copy holds part 0 only.
TEST(Distributed, ClaimLinesStayOnTheirRanks) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir("distributed_lines");
  ASSERT_EQ(RunCommand(fmt::format("'{}' synth --members 1200 --seed 21 --out '{}/data'", CliPath(),
                                   work.string())),
            0);
  testing::MakeMessy((work / "data").string());
  const fs::path k = work / "contract.toml";
  ASSERT_TRUE(WriteWholeFile(k.string(), kSpendingContract).ok());
  const fs::path a = work / "a", b = work / "b";
  for (int ranks : {2, 3}) {
    const std::string parts = fmt::format("parts{}", ranks);
    SplitApart(work, k.string(), ranks, a, b);
    std::string out;
    const auto args = [&](const std::string& data, const fs::path& to) {
      return fmt::format("settle '{}' --data '{}' --threads 1 --no-store --out '{}'", k.string(),
                         data, to.string());
    };
    const fs::path one = work / fmt::format("one_{}", ranks);
    const fs::path many = work / fmt::format("many_{}", ranks);
    const std::string distributed = MpirunApart(a, b, ranks, args(parts, many) + " --distributed");
    ExpectSameFiles(fmt::format("'{}' {}", CliPath(), args((work / "data").string(), one)),
                    distributed, one, many, fmt::format("settle on {} parts", ranks));
    ASSERT_EQ(RunCommand(distributed, &out), 0) << out;
    EXPECT_NE(out.find(fmt::format("Claim lines stayed on their {} ranks", ranks)),
              std::string::npos)
        << out;
    auto quality = ReadWholeFile((many / "quality.json").string());
    ASSERT_TRUE(quality.ok());
    EXPECT_NE(quality->find("duplicate_key"), std::string::npos);
  }
  // Three ranks on two parts: every rank says so, not only rank 0.
  {
    std::string out;
    EXPECT_EQ(RunCommand(MpirunApart(a, b, 3,
                                     fmt::format("settle '{}' --data parts2 --no-store --out "
                                                 "'{}/three' --distributed",
                                                 k.string(), work.string())),
                         &out),
              2)
        << out;
    EXPECT_NE(out.find("(rank 2): parts2: holds a split into 2 parts; run it with mpirun -np 2 "
                       "(this run has 3 ranks)"),
              std::string::npos)
        << out;
  }
  // A damaged part on another rank: that rank says which file, and every process ends with
  // the code for bad input (2), whichever ends first; with three ranks, the rank that only
  // waits on rank 0 too (not rank 0's I/O error, 3: the part's rank stopped before sending it).
  // Two ranks: a byte in the middle of part 1; three: one in its header, which every read checks.
  for (int ranks : {2, 3}) {
    const std::string parts = fmt::format("parts{}", ranks);
    const std::string name = fmt::format("{}/part-1-of-{}.vpd", parts, ranks);
    const fs::path part = b / name;
    const size_t at = ranks == 2 ? static_cast<size_t>(fs::file_size(part) / 2) : 40;
    Overwrite(part, at, static_cast<char>(~ReadWholeFile(part.string())->at(at)));
    for (int run = 0; run < 4; ++run) {
      std::string out;
      EXPECT_EQ(RunCommand(MpirunApart(a, b, ranks,
                                       fmt::format("settle '{}' --data {} --no-store --out "
                                                   "'{}/damaged{}' --distributed",
                                                   k.string(), parts, work.string(), ranks)),
                           &out),
                2)
          << out;
      EXPECT_NE(out.find(name + ": corrupt cache"), std::string::npos) << out;
    }
  }
}

// A stray quote early in a CSV file throws the split's quote count off for the rest of the
// file, so cuts fall inside later quoted fields; the chunks before them are read again on rank 0
// with the next (reaching into other ranks' shares), and every rank count reads what one
// process reads: the stray line rejected alone.
// A dataset cache file under mpirun: rank 0 reads it alone, with the lines apart when the
// contract reads them only for spending (docs/input-formats.md), and writes what one process
// writes on the folder.
TEST(Distributed, ACacheFileIsReadByRankZeroWithItsLinesApart) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir("distributed_cache_file");
  ASSERT_EQ(RunCommand(fmt::format("'{}' synth --members 600 --seed 8 --out '{}/data'", CliPath(),
                                   work.string())),
            0);
  testing::MakeMessy((work / "data").string());
  const fs::path k = work / "contract.toml";
  ASSERT_TRUE(WriteWholeFile(k.string(), kSpendingContract).ok());
  const fs::path vpd = work / "data.vpd";
  std::string out;
  ASSERT_EQ(RunCommand(fmt::format("'{}' import --data '{}/data' --contract '{}' --out '{}'",
                                   CliPath(), work.string(), k.string(), vpd.string()),
                       &out),
            0)
      << out;
  const auto args = [&](const fs::path& data, const fs::path& to) {
    return fmt::format("settle '{}' --data '{}' --threads 1 --no-store --out '{}'", k.string(),
                       data.string(), to.string());
  };
  ExpectSameFiles(
      fmt::format("'{}' {}", CliPath(), args(work / "data", work / "one")),
      fmt::format("{} '{}' {} --distributed", Mpirun(2), CliPath(), args(vpd, work / "many")),
      work / "one", work / "many", "settle on a cache file with 2 ranks");
}

TEST(Distributed, AStrayQuoteIsReadAsOneProcessReadsIt) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir("distributed_stray");
  ASSERT_EQ(
      RunCommand(fmt::format("'{}' synth --members 8000 --seed 4 --no-program --out '{}/data'",
                             CliPath(), work.string())),
      0);
  testing::AddStrayQuote((work / "data").string());
  const fs::path k = work / "contract.toml";
  ASSERT_TRUE(WriteWholeFile(k.string(), kSpendingContract).ok());
  const auto args = [&](const fs::path& to) {
    return fmt::format("settle '{}' --data '{}/data' --no-store --out '{}'", k.string(),
                       work.string(), to.string());
  };
  for (int ranks : {2, 3}) {
    const fs::path one = work / fmt::format("one_{}", ranks);
    const fs::path many = work / fmt::format("many_{}", ranks);
    ExpectSameFiles(
        fmt::format("'{}' {} --threads 2", CliPath(), args(one)),
        fmt::format("{} '{}' {} --threads 1 --distributed", Mpirun(ranks), CliPath(), args(many)),
        one, many, fmt::format("a stray quote on {} ranks", ranks));
    auto rejects = ReadWholeFile((many / "restricted" / "rejects.csv").string());
    ASSERT_TRUE(rejects.ok());
    EXPECT_EQ(std::count(rejects->begin(), rejects->end(), '\n'), 2) << *rejects;
    EXPECT_NE(rejects->find("medical_claim.csv,6,"), std::string::npos) << *rejects;
  }
}

// Plurality attribution with the claim lines on their ranks: each rank attributes its own
// members (ties, a specialist-only member, a new member, a change of provider: the golden case
// attribution_plurality), and rank 0 settles on the rows put together, as one process does.
TEST(Distributed, PluralityAttributionOnTheRanksOfASplitDataset) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = TempDir("distributed_plurality");
  const fs::path from = CasesRoot() / "attribution_plurality";
  fs::copy(from / "data", work / "data", fs::copy_options::recursive);
  fs::copy_file(from / "providers.csv", work / "providers.csv");
  auto contract = ReadWholeFile((from / "contract.toml").string());
  ASSERT_TRUE(contract.ok());
  ASSERT_TRUE(WriteWholeFile((work / "contract.toml").string(), *contract + R"(
[benchmark]
method = "target_pmpm"
target_pmpm = 900
[[payment]]
id = "savings"
kind = "shared_savings"
sharing_rate = 0.5
minimum_savings_rate = 0.0
)")
                  .ok());
  const std::string env =
      fmt::format("cd '{}' && env VALUEPACT_VALUESETS='{}/valuesets'", work.string(), SourceDir());
  for (int ranks : {2, 3}) {
    std::string out;
    ASSERT_EQ(RunCommand(fmt::format("{} '{}' partition --data data --contract contract.toml "
                                     "--ranks {} --out parts{}",
                                     env, CliPath(), ranks, ranks),
                         &out),
              0)
        << out;
    const auto settle = [&](const std::string& data, const std::string& to) {
      return fmt::format("settle contract.toml --data {} --no-store --out {}", data, to);
    };
    const std::string distributed =
        fmt::format("{} {} '{}' {} --distributed", env, Mpirun(ranks), CliPath(),
                    settle(fmt::format("parts{}", ranks), fmt::format("many{}", ranks)));
    ExpectSameFiles(
        fmt::format("{} '{}' {}", env, CliPath(), settle("data", fmt::format("one{}", ranks))),
        distributed, work / fmt::format("one{}", ranks), work / fmt::format("many{}", ranks),
        fmt::format("plurality attribution on {} parts", ranks));
    ASSERT_EQ(RunCommand(distributed, &out), 0) << out;
    EXPECT_NE(out.find("Claim lines stayed on their"), std::string::npos) << out;
    EXPECT_TRUE(fs::exists(work / fmt::format("many{}", ranks) / "restricted" / "attribution.csv"));
  }
}

TEST(Distributed, RiskScoresTheSame) {
  if (const std::string why = WhyNoMpi(); !why.empty()) GTEST_SKIP() << why;
  VP_REQUIRE_SHARED();
  const fs::path work = TempDir("distributed_risk");
  ASSERT_EQ(RunCommand(fmt::format("'{}' synth --members 800 --seed 5 --no-program --out '{}/data'",
                                   CliPath(), work.string())),
            0);
  for (int ranks : {2, 3}) {
    const auto dir = [&](const char* side) {
      return work / fmt::format("risk_{}_{}", ranks, side) / "out";
    };
    const std::string args =
        fmt::format("risk --data '{}/data' --payment-year 2019 --refdata '{}/refdata'",
                    work.string(), testing::SharedDir());
    ExpectSameFiles(fmt::format("'{}' {} --out '{}'", CliPath(), args, dir("one").string()),
                    fmt::format("{} '{}' {} --out '{}' --distributed", Mpirun(ranks), CliPath(),
                                args, dir("many").string()),
                    dir("one"), dir("many"), fmt::format("risk with {} ranks", ranks));
  }
}

}  // namespace
}  // namespace valuepact::golden
