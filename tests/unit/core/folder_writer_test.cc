// Output folders are written whole or not at all.
#include "valuepact/core/folder_writer.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/sha256.h"

namespace valuepact {
namespace {

namespace fs = std::filesystem;

// File times are taken from a clock that moves in ticks of a few milliseconds: an edit in the
// same tick as the write, of the same size, leaves the file's identity as it was.
void AfterAClockTick() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }

TEST(FolderWriter, ReplacesAFolderWholeWithAManifest) {
  const std::string out = testing::TempDir("folder") + "/run";
  for (const std::string version : {"one", "two"}) {
    auto w = FolderWriter::Begin(out);
    ASSERT_TRUE(w.ok()) << w.status().message();
    ASSERT_TRUE(w->Write("summary.json", version).ok());
    ASSERT_TRUE(w->Write("statement.md", version + " statement").ok());
    // Until the commit, the folder holds the previous version (or nothing).
    if (version == "two") EXPECT_EQ(*ReadWholeFile(out + "/summary.json"), "one");
    ASSERT_TRUE(w->Commit().ok());
    EXPECT_EQ(*ReadWholeFile(out + "/summary.json"), version);
    EXPECT_TRUE(CheckManifest(out).ok());
  }
  // No temporary or set-aside folder stays behind.
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(fs::path(out).parent_path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
  // A changed or missing file is not a complete folder.
  ASSERT_TRUE(WriteWholeFile(out + "/statement.md", "edited").ok());
  EXPECT_FALSE(CheckManifest(out).ok());
  fs::remove(out + "/manifest.json");
  EXPECT_NE(CheckManifest(out).message().find("no manifest.json"), std::string::npos);
  EXPECT_NE(CheckManifest(out + "/none").message().find("no such folder"), std::string::npos);
}

// A file written in pieces is the pieces one after another, small or large (a large one is
// hashed while it is written), and the manifest's size and SHA-256 are those of the whole.
TEST(FolderWriter, WritesAFileInPieces) {
  const std::string out = testing::TempDir("pieces") + "/run";
  auto w = FolderWriter::Begin(out);
  ASSERT_TRUE(w.ok());
  const std::vector<std::string> small = {"head\n", "", "row 1\n", "row 2\n"};
  std::vector<std::string> large = {"header\n"};
  for (int i = 0; i < 40; ++i) large.push_back(std::string(65536, static_cast<char>('a' + i % 26)));
  ASSERT_TRUE(w->Write("small.csv", small).ok());
  ASSERT_TRUE(w->Write("large.csv", large, FolderWriter::Access::kRestricted).ok());
  ASSERT_TRUE(w->Commit().ok());
  std::string small_all, large_all;
  for (const auto& p : small) small_all += p;
  for (const auto& p : large) large_all += p;
  EXPECT_EQ(*ReadWholeFile(out + "/small.csv"), small_all);
  EXPECT_EQ(*ReadWholeFile(out + "/restricted/large.csv"), large_all);
  const auto manifest = nlohmann::json::parse(*ReadWholeFile(out + "/manifest.json"));
  EXPECT_EQ(manifest["files"][0]["sha256"], Sha256Hex(small_all));
  EXPECT_EQ(manifest["files"][1]["file"], "restricted/large.csv");
  EXPECT_EQ(manifest["files"][1]["bytes"], large_all.size());
  EXPECT_EQ(manifest["files"][1]["sha256"], Sha256Hex(large_all));
  EXPECT_TRUE(CheckManifest(out).ok());
}

// CheckManifest hands each file it checks to `alongside`, and still refuses a changed file.
TEST(FolderWriter, CheckManifestHandsEachFileAlongsideItsCheck) {
  const std::string out = testing::TempDir("alongside") + "/run";
  auto w = FolderWriter::Begin(out);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Write("a.txt", "first").ok());
  ASSERT_TRUE(w->Write("b.csv", std::string(100000, 'b'), FolderWriter::Access::kRestricted).ok());
  ASSERT_TRUE(w->Commit().ok());
  std::map<std::string, std::string> seen;
  const auto keep = [&](const std::string& name, std::string_view bytes) {
    seen[name] = std::string(bytes);
  };
  ASSERT_TRUE(CheckManifest(out, keep).ok());
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen["a.txt"], "first");
  EXPECT_EQ(seen["restricted/b.csv"], std::string(100000, 'b'));
  std::ofstream(out + "/a.txt") << "edited";
  EXPECT_FALSE(CheckManifest(out, keep).ok());
}

TEST(FolderWriter, AbandonedWriteLeavesThePreviousFolder) {
  const std::string out = testing::TempDir("abandon") + "/run";
  {
    auto w = FolderWriter::Begin(out);
    ASSERT_TRUE(w->Write("a.txt", "complete").ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  {
    auto w = FolderWriter::Begin(out);
    ASSERT_TRUE(w->Write("a.txt", "half").ok());
    // destroyed without Commit, as when an error stops the run
  }
  EXPECT_EQ(*ReadWholeFile(out + "/a.txt"), "complete");
  EXPECT_TRUE(CheckManifest(out).ok());
  EXPECT_FALSE(fs::exists(out + ".tmp-" + std::to_string(::getpid())));
}

TEST(FolderWriter, DoesNotWriteThroughASymbolicLink) {
  const std::string dir = testing::TempDir("symlink");
  fs::create_directories(dir + "/elsewhere");
  fs::create_directory_symlink(dir + "/elsewhere", dir + "/run");
  auto refused = FolderWriter::Begin(dir + "/run");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("is a symbolic link"), std::string::npos);
  // A link made after the start: refused at the commit.
  auto w = FolderWriter::Begin(dir + "/later");
  ASSERT_TRUE(w.ok()) << w.status().message();
  ASSERT_TRUE(w->Write("a.txt", "x").ok());
  fs::create_directory_symlink(dir + "/elsewhere", dir + "/later");
  EXPECT_FALSE(w->Commit().ok());
  EXPECT_FALSE(fs::exists(dir + "/elsewhere/a.txt"));
  EXPECT_FALSE(w->Write("../escape.txt", "x").ok());
}

// While keeping is on, a committed folder's files are left, as the keeper's form made them, for
// one TakeWrittenFolder; a large file whose pieces the writer owns is kept on another thread.
// Only nothing, an empty folder or an output folder is replaced: a data folder given as --out,
// a file, or an output folder someone added a file to is refused, before anything is written
// and again at the commit, and left as it was.
TEST(FolderWriter, ReplacesOnlyAnOutputFolderOrNothing) {
  const std::string dir = testing::TempDir("replaceable");
  const auto write = [](const std::string& out) -> Status {
    auto w = FolderWriter::Begin(out);
    if (!w.ok()) return w.status();
    if (Status s = w->Write("summary.json", "{}"); !s.ok()) return s;
    if (Status s = w->Write("members.csv", "m\n", FolderWriter::Access::kRestricted); !s.ok()) {
      return s;
    }
    return w->Commit();
  };
  fs::create_directories(dir + "/empty");
  EXPECT_TRUE(write(dir + "/empty").ok());
  EXPECT_TRUE(write(dir + "/empty").ok());  // its own results, restricted/ included
  fs::create_directories(dir + "/data");
  std::ofstream(dir + "/data/medical_claim.csv") << "claim_id\n";
  Status s = write(dir + "/data");
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find("holds medical_claim.csv, which is not one of the results"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(*ReadWholeFile(dir + "/data/medical_claim.csv"), "claim_id\n");
  std::ofstream(dir + "/file") << "x";
  s = write(dir + "/file");
  EXPECT_NE(s.message().find("is a file, not an output folder"), std::string::npos) << s.message();
  EXPECT_EQ(*ReadWholeFile(dir + "/file"), "x");
  std::ofstream(dir + "/empty/restricted/notes.txt") << "mine";
  s = write(dir + "/empty");
  EXPECT_NE(s.message().find("holds restricted/notes.txt"), std::string::npos) << s.message();
  EXPECT_TRUE(fs::exists(dir + "/empty/restricted/notes.txt"));
  // A file added between the start and the commit: refused at the commit.
  fs::remove(dir + "/empty/restricted/notes.txt");
  auto w = FolderWriter::Begin(dir + "/empty");
  ASSERT_TRUE(w.ok()) << w.status().message();
  ASSERT_TRUE(w->Write("summary.json", "{}").ok());
  std::ofstream(dir + "/empty/late.txt") << "late";
  EXPECT_EQ(w->Commit().code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(fs::exists(dir + "/empty/late.txt"));
}

TEST(FolderWriter, KeepsWhatItWroteForOneTaker) {
  const std::string out = testing::TempDir("keep") + "/run";
  std::vector<std::string> large(30);
  for (size_t i = 0; i < large.size(); ++i) large[i].assign(65536, static_cast<char>('a' + i));
  std::string large_all;
  for (const auto& p : large) large_all += p;
  KeepWrittenFiles(
      [](const std::vector<std::string_view>& pieces) {
        std::string joined = "form:";
        for (const std::string_view p : pieces) joined.append(p);
        return joined;
      },
      1000);
  {
    auto w = FolderWriter::Begin(out);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->Write("small.txt", "hello").ok());
    ASSERT_TRUE(w->Write("large.csv", std::move(large), FolderWriter::Access::kRestricted).ok());
    ASSERT_TRUE(w->Write("again.txt", "first").ok());
    ASSERT_TRUE(w->Write("again.txt", "second").ok());
    EXPECT_FALSE(TakeWrittenFolder(out).has_value());  // not before the commit
    ASSERT_TRUE(w->Commit().ok());
  }
  auto kept = TakeWrittenFolder(out + "/");
  StopKeepingWrittenFiles();
  ASSERT_TRUE(kept.has_value());
  EXPECT_FALSE(TakeWrittenFolder(out).has_value());  // taken once
  ASSERT_EQ(kept->size(), 3u);
  const WrittenFile& small = kept->at("small.txt");
  EXPECT_EQ(small.stored, "form:hello");
  EXPECT_EQ(small.content, "hello");  // under 1000 bytes
  EXPECT_EQ(small.sha256, Sha256Hex("hello"));
  EXPECT_EQ(small.identity, *IdentityOf(out + "/small.txt"));
  const WrittenFile& big = kept->at("restricted/large.csv");
  EXPECT_TRUE(big.stored == "form:" + large_all);
  EXPECT_TRUE(big.content.empty());
  EXPECT_EQ(big.size, large_all.size());
  EXPECT_EQ(big.sha256, Sha256Hex(large_all));
  EXPECT_EQ(kept->at("again.txt").content, "second");
  // With keeping off, nothing is kept.
  auto w = FolderWriter::Begin(out);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Write("small.txt", "hello").ok());
  ASSERT_TRUE(w->Commit().ok());
  EXPECT_FALSE(TakeWrittenFolder(out).has_value());
}

// A kept file passes CheckManifest unread only while it is as written: rewritten with the same
// bytes, it is dropped from what was kept and read (and passes); with other bytes, refused.
TEST(FolderWriter, AKeptFileChangedSinceIsReadAgain) {
  const std::string out = testing::TempDir("kept_changed") + "/run";
  KeepWrittenFiles([](const std::vector<std::string_view>&) { return std::string("form"); }, 10);
  auto w = FolderWriter::Begin(out);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Write("a.txt", "same").ok());
  ASSERT_TRUE(w->Write("b.txt", "bytes").ok());
  ASSERT_TRUE(w->Commit().ok());
  auto kept = TakeWrittenFolder(out);
  StopKeepingWrittenFiles();
  ASSERT_TRUE(kept.has_value());
  std::vector<std::string> read;
  const auto alongside = [&](const std::string& name, std::string_view) { read.push_back(name); };
  WrittenFolder unchanged = *kept;
  ASSERT_TRUE(CheckManifest(out, alongside, &unchanged).ok());
  EXPECT_TRUE(read.empty());
  EXPECT_EQ(unchanged.size(), 2u);
  AfterAClockTick();
  ASSERT_TRUE(WriteWholeFile(out + "/a.txt", "same").ok());
  WrittenFolder rewritten = *kept;
  ASSERT_TRUE(CheckManifest(out, alongside, &rewritten).ok());
  EXPECT_EQ(read, std::vector<std::string>{"a.txt"});
  EXPECT_EQ(rewritten.count("a.txt"), 0u);
  EXPECT_EQ(rewritten.count("b.txt"), 1u);
  ASSERT_TRUE(WriteWholeFile(out + "/b.txt", "other").ok());
  WrittenFolder edited = *kept;
  EXPECT_FALSE(CheckManifest(out, {}, &edited).ok());
}

}  // namespace
}  // namespace valuepact
