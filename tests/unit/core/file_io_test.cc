// Whole-file reads: a file that changes while it is read is an error, never a partial read; only
// regular files are read; size caps hold.
#include "valuepact/core/file_io.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "valuepact/core/files.h"
#include "valuepact/core/money.h"
#include "valuepact/core/sha256.h"

namespace valuepact {
namespace {

namespace fs = std::filesystem;

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vp_file_io_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  fs::path dir_;
};

// A file's fingerprint hashed a part at a time, as a reader reaches each part, is the whole
// file's: whether the parts end on a block's boundary, inside a block or nowhere at all.
TEST(Fingerprinter, TheFingerprintIsTheSha256OfEachBlocksSha256) {
  // Nine whole blocks and a part (groups of kSha256Lanes blocks hashed together, and one
  // alone), against the definition computed a block at a time.
  std::string s(9 * kFingerprintBlock + 100, '\0');
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>((i * 2654435761u) >> 13);
  std::string digests;
  for (size_t b = 0; b < FingerprintBlocks(s.size()); ++b) {
    Sha256 h;
    h.Update(std::string_view(s).substr(b * kFingerprintBlock, kFingerprintBlock));
    const auto d = h.Finish();
    digests.append(reinterpret_cast<const char*>(d.data()), d.size());
  }
  Sha256 top;
  top.Update("vp-blocks-v1:" + std::to_string(s.size()) + ":");
  top.Update(digests);
  EXPECT_EQ(FingerprintBytes(s), top.FinishHex());
  EXPECT_EQ(BlockDigests(s, 3, 10), digests.substr(3 * 32));
  EXPECT_EQ(BlockDigests(s, 1, 2), digests.substr(32, 32));
  EXPECT_EQ(BlockDigests(s, 4, 4), "");
}

TEST(Fingerprinter, HashedAPartAtATimeItIsTheWholeDatasFingerprint) {
  std::string s(3 * kFingerprintBlock + 12345, '\0');
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('a' + (i * 7919) % 26);
  const std::vector<std::vector<size_t>> parts = {
      {},
      {1, kFingerprintBlock, kFingerprintBlock + 1, 2 * kFingerprintBlock + 7},
      {kFingerprintBlock - 1, s.size()},
      {s.size(), s.size()}};
  for (const auto& ends : parts) {
    Fingerprinter f(s);
    for (size_t end : ends) f.HashTo(end);
    EXPECT_EQ(f.Finish(), FingerprintBytes(s));
  }
  EXPECT_EQ(Fingerprinter("").Finish(), FingerprintBytes(""));
  EXPECT_EQ(Fingerprinter("x").Finish(), FingerprintBytes("x"));
  EXPECT_NE(FingerprintBytes("x"), FingerprintBytes("y"));
}

TEST_F(FileIoTest, ReadsAWholeFileWithItsSizeAndTime) {
  const std::string p = Write("a.csv", "x,y\n1,2\n");
  auto b = ReadFileStable(p, kNoSizeCap);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->data(), "x,y\n1,2\n");
  EXPECT_EQ(b->stamp().size, 8u);
  EXPECT_GT(b->stamp().modified_ns, 0);
  EXPECT_EQ(FormatModified(b->stamp().modified_ns).size(), 30u);  // ...T..:..:..nnnnnnnnnZ
}

// A large file is read in blocks on several threads: every byte lands in its place, and a file
// that grew since its size was taken is still an error.
TEST_F(FileIoTest, ALargeFileIsReadWholeInBlocks) {
  std::string bytes((size_t{40} << 20) + 12345, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
  }
  const std::string p = Write("large.csv", bytes);
  auto b = ReadFileStable(p, kNoSizeCap);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->stamp().size, bytes.size());
  EXPECT_TRUE(b->data() == bytes);
  auto grown = ReadFileStable(p, kNoSizeCap, [&] { std::ofstream(p, std::ios::app) << "more"; });
  EXPECT_FALSE(grown.ok());
}

// Bytes a reader is done with go back to the system; the bytes around them stay as read.
TEST_F(FileIoTest, ReleasedBytesGoBackAndTheRestStays) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::string bytes(page * 8, 'x');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>('a' + i % 26);
  const std::string p = Write("big.csv", bytes);
  auto b = ReadFileStable(p, kNoSizeCap);
  ASSERT_TRUE(b.ok()) << b.status().message();
  const size_t begin = page + 100, end = page * 6 + 7;
  b->Release(begin, end);
  const std::string_view d = b->data();
  EXPECT_EQ(d.substr(0, begin), std::string_view(bytes).substr(0, begin));
  EXPECT_EQ(d.substr(end), std::string_view(bytes).substr(end));
  // Whole pages inside the range are given back (they read as zero); at least 3 of the 5.
  EXPECT_GE(std::count(d.begin() + begin, d.begin() + end, '\0'), static_cast<long>(3 * page));
  b->Release(end, bytes.size() + 100);  // past the end: only the file's own pages
  b->Release(10, 5);                    // an empty range: nothing
  EXPECT_EQ(d.substr(0, begin), std::string_view(bytes).substr(0, begin));
}

TEST_F(FileIoTest, AFileAppendedWhileReadIsAnError) {
  const std::string p = Write("claims.csv", "id,amount\n1,1234");
  auto b = ReadFileStable(p, kNoSizeCap, [&] { std::ofstream(p, std::ios::app) << "5.67\n"; });
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kIoError);
  EXPECT_NE(b.status().message().find("changed while reading"), std::string::npos);
  EXPECT_NE(b.status().message().find(p), std::string::npos);
}

TEST_F(FileIoTest, AFileShrunkWhileReadIsAnErrorNotACrash) {
  const std::string p = Write("claims.csv", std::string(100000, 'x'));
  auto b = ReadFileStable(p, kNoSizeCap, [&] { fs::resize_file(p, 10); });
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("changed while reading"), std::string::npos);
}

// A large claims file may be mapped instead of read: the same bytes; a file that changed
// since is "changed while reading" once the reader is done; an empty file maps to nothing.
TEST_F(FileIoTest, AMappedFileHasItsBytesAndNoticesAChange) {
  std::string bytes(size_t{3} << 20, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>('a' + (i * 13) % 26);
  const std::string p = Write("mapped.csv", bytes);
  auto b = MapFileStable(p);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_TRUE(b->mapped());
  EXPECT_EQ(b->stamp().size, bytes.size());
  EXPECT_TRUE(b->data() == bytes);
  EXPECT_TRUE(b->CheckUnchanged().ok());
  b->Release(100, bytes.size() - 100);  // a mapped file's released pages read as the file again
  EXPECT_TRUE(b->data() == bytes);
  FileBuffer moved = std::move(*b);
  EXPECT_TRUE(moved.data() == bytes);
  std::ofstream(p, std::ios::app) << "more";
  const Status s = moved.CheckUnchanged();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("changed while reading"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(p), std::string::npos);
  const std::string e = Write("empty.csv", "");
  auto empty = MapFileStable(e);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->mapped());
  EXPECT_TRUE(empty->data().empty());
  EXPECT_TRUE(empty->CheckUnchanged().ok());
  std::ofstream(e, std::ios::app) << "a,b\n";  // still being written when it was opened
  EXPECT_FALSE(empty->CheckUnchanged().ok());
  EXPECT_FALSE(MapFileStable((dir_ / "absent.csv").string()).ok());
}

// More files mapped at once than the SIGBUS handler can name (a long CCLF delivery history):
// the rest are read instead, with the same bytes.
TEST_F(FileIoTest, FilesBeyondWhatCanBeMappedAtOnceAreRead) {
  std::vector<FileBuffer> open;
  size_t mapped = 0, read = 0;
  for (int i = 0; i < 300; ++i) {
    const std::string bytes = "file " + std::to_string(i) + "\n";
    auto b = MapFileStable(Write("f" + std::to_string(i) + ".csv", bytes));
    ASSERT_TRUE(b.ok()) << b.status().message();
    EXPECT_EQ(b->data(), bytes);
    (b->mapped() ? mapped : read) += 1;
    open.push_back(std::move(*b));
  }
  EXPECT_GT(mapped, 0u);
  EXPECT_GT(read, 0u);
  open.clear();  // every slot is free again
  auto again = MapFileStable(Write("again.csv", "x\n"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->mapped());
}

// A file that changed while it was parsed is reported as such, ahead of the parse's own error
// or amount overflow; an unchanged file gives the parse's result.
TEST_F(FileIoTest, AChangeDuringTheParseIsReportedFirst) {
  const bool was = MapDataFiles();
  SetMapDataFiles(true);
  const std::string p = Write("parsed.csv", std::string(5000, 'x'));
  auto b = RealFiles().MapInPlace(p);
  ASSERT_TRUE(b.ok());
  const Status own = ParseUnchanged({&*b}, [] { return InvalidInput("bad row"); });
  EXPECT_EQ(own.message(), "bad row");
  const Status changed = ParseUnchanged({&*b}, [&] {
    std::ofstream(p, std::ios::app) << "more";
    return InvalidInput("bad row");
  });
  EXPECT_NE(changed.message().find("changed while reading"), std::string::npos)
      << changed.message();
  const Status overflowed = ParseUnchanged({&*b}, [] {
    Money m = Money::FromCents(INT64_MAX);
    m += Money::FromCents(1);  // throws MoneyOverflow
    return Status::Ok();
  });
  EXPECT_NE(overflowed.message().find("changed while reading"), std::string::npos);
  SetMapDataFiles(was);
}

// Data files are mapped only in a process that allows it (the command-line tool; never the
// server).
TEST_F(FileIoTest, DataFilesAreMappedOnlyWhereTheProcessAllowsIt) {
  const std::string p = Write("m.csv", "a,b\n1,2\n");
  const bool was = MapDataFiles();
  SetMapDataFiles(false);
  auto read = RealFiles().MapInPlace(p);
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->mapped());
  EXPECT_EQ(read->data(), "a,b\n1,2\n");
  SetMapDataFiles(true);
  auto mapped = RealFiles().MapInPlace(p);
  ASSERT_TRUE(mapped.ok());
  EXPECT_TRUE(mapped->mapped());
  EXPECT_EQ(mapped->data(), "a,b\n1,2\n");
  StampingFileSystem stamping(RealFiles());  // passes the mapping through and records it
  auto through = stamping.MapInPlace(p);
  ASSERT_TRUE(through.ok());
  EXPECT_TRUE(through->mapped());
  ASSERT_NE(stamping.StampOf(p), nullptr);
  EXPECT_EQ(stamping.StampOf(p)->size, 8u);
  EXPECT_TRUE(mapped->CheckUnchanged().ok());
  SetMapDataFiles(was);
}

// Kilobytes of this process's anonymous memory (its own, not the page cache's) in the pages of
// [begin, end), from /proc/self/smaps.
size_t AnonymousKb(const char* begin, const char* end) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  size_t kb = 0;
  while (std::getline(smaps, line)) {
    unsigned long lo = 0, hi = 0;  // NOLINT(google-runtime-int): sscanf's %lx
    if (std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2 && line.find(':') > 8) {
      inside = lo < reinterpret_cast<uintptr_t>(end) && hi > reinterpret_cast<uintptr_t>(begin);
    } else if (inside && line.rfind("Anonymous:", 0) == 0) {
      kb += std::strtoull(line.c_str() + 10, nullptr, 10);
    }
  }
  return kb;
}

constexpr size_t kMiB = size_t{1} << 20;

std::string Patterned(size_t n) {
  std::string bytes(n, '\0');
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
  return bytes;
}

// A mapped file copied in (FileBuffer::CopyIn) part after part reads as its bytes throughout;
// the copied bytes are the process's own memory until released, and the released parts, given
// back in pieces that do not line up with the copy's 2 MiB pages, read as the file again.
TEST_F(FileIoTest, ACopiedInFileReadsAsItsBytesAndIsTheFileAgainOnceReleased) {
  const std::string bytes = Patterned(9 * kMiB + 777);
  const std::string p = Write("copied.csv", bytes);
  auto b = MapFileStable(p);
  ASSERT_TRUE(b.ok()) << b.status().message();
  const char* const base = b->data().data();
  const char* const end = base + bytes.size();
  EXPECT_EQ(AnonymousKb(base, end), 0u);
  b->CopyIn(kMiB);  // the first 2 MiB page
  EXPECT_TRUE(b->data() == bytes);
  EXPECT_EQ(AnonymousKb(base, end), 2048u);
  b->CopyIn(5 * kMiB + 3);  // up to 6 MiB
  EXPECT_TRUE(b->data() == bytes);
  EXPECT_EQ(AnonymousKb(base, end), 6144u);
  b->CopyIn(bytes.size() + 100);  // the rest, past the end
  EXPECT_TRUE(b->data() == bytes);
  const size_t all = 9 * 1024 + 4;  // 9 MiB and the page of the last 777 bytes
  EXPECT_EQ(AnonymousKb(base, end), all);
  EXPECT_TRUE(b->CheckUnchanged().ok());
  // Released in pieces: a 2 MiB page goes back once all of its bytes have.
  b->Release(0, 3 * kMiB + 5);
  EXPECT_EQ(AnonymousKb(base, end), all - 2048);  // the first 2 MiB, not the second's start
  b->Release(3 * kMiB + 5, 7 * kMiB);
  EXPECT_EQ(AnonymousKb(base, end), all - 6144);
  b->Release(7 * kMiB, bytes.size());
  EXPECT_EQ(AnonymousKb(base, end), 0u);
  EXPECT_TRUE(b->data() == bytes);
  b->CopyIn(bytes.size());  // copied already: nothing more
  EXPECT_EQ(AnonymousKb(base, end), 0u);
  EXPECT_TRUE(b->CheckUnchanged().ok());
}

// Pages given back are copied into again (moved aside, then back in place of later bytes): the
// later bytes read as the file's, not as what the pages held before.
TEST_F(FileIoTest, PagesGivenBackAreCopiedIntoAgainAndReadAsTheLaterBytes) {
  const std::string bytes = Patterned(12 * kMiB + 99);
  const std::string p = Write("reused.csv", bytes);
  auto b = MapFileStable(p);
  ASSERT_TRUE(b.ok()) << b.status().message();
  const char* const base = b->data().data();
  const char* const end = base + bytes.size();
  for (size_t at = 0; at < bytes.size(); at += 4 * kMiB) {
    b->CopyIn(at + 4 * kMiB);
    const size_t to = std::min(bytes.size(), at + 4 * kMiB);
    EXPECT_TRUE(b->data().substr(at, to - at) == std::string_view(bytes).substr(at, to - at))
        << "bytes from " << at;
    EXPECT_GE(AnonymousKb(base, end), (to - at) / 1024) << "bytes from " << at;
    b->Release(at, to);
  }
  EXPECT_EQ(AnonymousKb(base, end), 0u);
  EXPECT_TRUE(b->data() == bytes);
  EXPECT_TRUE(b->CheckUnchanged().ok());
}

// Pages one file gave back are kept for the next file's copy while a reader holds CopyInPages
// (a folder's files read one after another), and go back to the system once it ends; without
// one, a file's kept pages go back with the file.
TEST_F(FileIoTest, PagesAFileGaveBackAreCopiedIntoByTheNextFileWhileTheReaderKeepsThem) {
  const std::string first = Patterned(8 * kMiB), second = Patterned(10 * kMiB + 7);
  const std::string p1 = Write("first.csv", first),
                    p2 = Write("second.csv", std::string(second.rbegin(), second.rend()));
  const auto read_whole = [](const std::string& path, size_t size) {
    auto b = MapFileStable(path);
    EXPECT_TRUE(b.ok());
    if (!b.ok()) return std::string();
    b->CopyIn(size);
    std::string bytes(b->data());
    b->Release(0, size);
    return bytes;
  };
  ASSERT_EQ(CopyInPages::Kept(), 0u);
  EXPECT_EQ(read_whole(p1, first.size()), first);
  EXPECT_EQ(CopyInPages::Kept(), 0u) << "no reader kept them";
  {
    const CopyInPages pages;
    EXPECT_EQ(read_whole(p1, first.size()), first);
    const size_t kept = CopyInPages::Kept();
    EXPECT_EQ(kept, 4u) << "the first file's four whole 2 MiB pages";
    auto b = MapFileStable(p2);
    ASSERT_TRUE(b.ok()) << b.status().message();
    b->CopyIn(4 * kMiB);
    EXPECT_EQ(CopyInPages::Kept(), kept - 2) << "the second file's first two pages were kept ones";
    EXPECT_TRUE(b->data().substr(0, 4 * kMiB) ==
                std::string(second.rbegin(), second.rend()).substr(0, 4 * kMiB));
    b->CopyIn(second.size());
    EXPECT_TRUE(b->data() == std::string(second.rbegin(), second.rend()));
    b->Release(0, second.size());
    EXPECT_TRUE(b->CheckUnchanged().ok());
  }
  EXPECT_EQ(CopyInPages::Kept(), 0u) << "back to the system with the last reader";
}

// A file cut short after it was mapped: the copy falls short, so its bytes stay mapped (the
// part still there reads as before) and the change is reported when the reader is done.
TEST_F(FileIoTest, ACopyInOfAFileCutShortLeavesItMappedAndTheChangeIsReported) {
  const std::string bytes = Patterned(6 * kMiB);
  const std::string p = Write("shrunk.csv", bytes);
  auto b = MapFileStable(p);
  ASSERT_TRUE(b.ok()) << b.status().message();
  const char* const base = b->data().data();
  fs::resize_file(p, 3 * kMiB);
  b->CopyIn(bytes.size());
  EXPECT_EQ(AnonymousKb(base, base + bytes.size()), 0u);
  EXPECT_TRUE(b->data().substr(0, 3 * kMiB) == std::string_view(bytes).substr(0, 3 * kMiB));
  const Status s = b->CheckUnchanged();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("changed while reading"), std::string::npos);
}

// A mapped file cut short under the reader: the process says which file and exits 3, instead
// of dying of SIGBUS.
TEST_F(FileIoTest, AMappedFileCutShortEndsTheRunNamingIt) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const std::string p = Write("cut.csv", std::string(page * 4, 'x'));
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        SetMapDataFiles(true);
        auto b = MapFileStable(p);
        if (!b.ok()) std::_Exit(9);
        fs::resize_file(p, 0);
        volatile char c = b->data()[page * 2];
        (void)c;
        std::_Exit(8);  // not reached: the read above faults
      },
      ::testing::ExitedWithCode(3), "cut.csv: file cut short while reading");
}

TEST_F(FileIoTest, OnlyRegularFilesAreRead) {
  auto dev = ReadWholeFile("/dev/zero");
  ASSERT_FALSE(dev.ok());
  EXPECT_NE(dev.status().message().find("not a regular file"), std::string::npos);
  auto folder = ReadWholeFile(dir_.string());
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.status().message().find("is a folder"), std::string::npos);
  auto missing = ReadWholeFile((dir_ / "nope").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(FileIoTest, ALargerFileThanTheCapIsAnError) {
  const std::string p = Write("big.csv", std::string(2000, 'x'));
  auto b = ReadWholeFile(p, 1000);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("2000 bytes is more than the 1000"), std::string::npos);
}

TEST_F(FileIoTest, AnUnreadableFileIsAnIoErrorNamingIt) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  const std::string p = Write("secret.csv", "x\n");
  fs::permissions(p, fs::perms::none);
  auto b = ReadWholeFile(p);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find(p), std::string::npos);
}

TEST_F(FileIoTest, HeadReadsOnlyTheStart) {
  const std::string p = Write("x.ndjson", "{\"resourceType\":\"Patient\"}\n");
  auto h = ReadFileHead(p, 5);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, "{\"res");
}

TEST_F(FileIoTest, StampingFileSystemRemembersWhatItRead) {
  const std::string p = Write("e.csv", "abc");
  const StampingFileSystem files(RealFiles());
  EXPECT_EQ(files.StampOf(p), nullptr);
  ASSERT_TRUE(files.Read(p).ok());
  ASSERT_NE(files.StampOf(p), nullptr);
  EXPECT_EQ(files.StampOf(p)->size, 3u);
}

// Chunks of about 1 MiB finished in order are given back in runs of at least 16 MiB; a chunk
// out of order gives back the run before it; every byte is given back once, the last run
// when the releaser goes.
TEST(ReleaseInRuns, AdjacentRangesGoBackInLongRunsEachByteOnce) {
  std::vector<std::pair<size_t, size_t>> given;
  {
    ReleaseInRuns runs([&](size_t b, size_t e) { given.emplace_back(b, e); });
    size_t at = 0;
    for (int k = 0; k < 40; ++k, at += kMiB + 100) runs.Release(at, at + kMiB + 100);
    EXPECT_EQ(given.size(), 2u);             // two runs of 16 chunks; 8 chunks still held
    runs.Release(at + kMiB, at + 2 * kMiB);  // a later chunk finished first
    runs.Release(at, at + kMiB);             // then the one before it
    EXPECT_EQ(given.size(), 4u);
  }
  ASSERT_EQ(given.size(), 5u);
  size_t next = 0;
  for (size_t i = 0; i < 3; ++i) {  // the in-order chunks, once each, in order
    EXPECT_EQ(given[i].first, next);
    next = given[i].second;
  }
  EXPECT_EQ(given[0].second - given[0].first, 16 * (kMiB + 100));
  EXPECT_EQ(next, 40 * (kMiB + 100));
  EXPECT_EQ(given[3], (std::pair<size_t, size_t>{next + kMiB, next + 2 * kMiB}));
  EXPECT_EQ(given[4], (std::pair<size_t, size_t>{next, next + kMiB}));
}

// A range the parse is done with goes back only once the hashing is past its end; held ranges
// go back in file order when it gets there, and none goes back twice.
TEST(ReleaseBehind, RangesGoBackOnlyOnceTheSecondReaderIsPastThem) {
  using Range = std::pair<size_t, size_t>;
  std::vector<Range> given;
  ReleaseBehind behind([&](size_t b, size_t e) { given.emplace_back(b, e); });
  behind.Release(20, 30);  // finished before the range before it
  behind.Release(0, 10);
  behind.Release(10, 20);
  EXPECT_TRUE(given.empty());
  behind.Reached(15);
  EXPECT_EQ(given, (std::vector<Range>{{0, 10}}));
  behind.Reached(12);  // never back
  behind.Reached(30);
  EXPECT_EQ(given, (std::vector<Range>{{0, 10}, {10, 20}, {20, 30}}));
  behind.Release(25, 30);  // behind the second reader already: at once
  EXPECT_EQ(given.back(), (Range{25, 30}));
  behind.Release(30, 31);
  behind.Reached(40);
  behind.Reached(50);
  EXPECT_EQ(given, (std::vector<Range>{{0, 10}, {10, 20}, {20, 30}, {25, 30}, {30, 31}}));
}

}  // namespace
}  // namespace valuepact
