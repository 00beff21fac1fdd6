// The run store (docs/run-store.md), one suite run on SQLite and on a live PostgreSQL server
// (scripts/pg-test-server.sh, started by ctest's store_pg fixture; the PostgreSQL cases skip with
// a message when no server was started).
#include "valuepact/store/run_store.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "test_paths.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/ingest/zstd_frame.h"

namespace valuepact {
namespace {
namespace fs = std::filesystem;

nlohmann::ordered_json Summary(const std::string& id, const std::string& contract,
                               const std::string& net) {
  nlohmann::ordered_json s;
  s["run_id"] = id;
  s["contract_id"] = contract;
  s["engine_version"] = "0.1.0";
  s["period"] = {{"start", "2018-01-01"}, {"end", "2018-12-31"}};
  s["layers"] = nlohmann::ordered_json::array(
      {{{"id", "savings"}, {"kind", "shared_savings"}, {"amount", net}}});
  s["net_payer_to_provider"] = net;
  s["inputs"] = nlohmann::ordered_json::array(
      {{{"path", "m.csv"}, {"table", "medical_claim"}, {"sha256", "ab"}},
       {{"path", "contract.toml"}, {"table", "contract"}, {"sha256", "0123456789abcdef"}},
       {{"path", "ref/x.csv"}, {"table", "refdata"}, {"sha256", "cd"}}});
  return s;
}

// A run as a command would record it: the summary and `files` files of `size` bytes each.
RunRecord Record(const std::string& id, const std::string& contract, const std::string& net,
                 int files = 2, size_t size = 100) {
  RunRecord r;
  r.run_id = id;
  r.command = "settle";
  r.contract_id = contract;
  r.net_payer_to_provider = net;
  r.summary = Summary(id, contract, net);
  r.user = "tester";
  for (int i = 0; i < files; ++i) {
    RunFile f;
    f.path = i == 0 ? "summary.json" : fmt::format("restricted/part{}.csv", i);
    f.restricted = i != 0;
    f.content = i == 0 ? r.summary.dump() : std::string(size, static_cast<char>('a' + i % 26));
    f.size = static_cast<int64_t>(f.content.size());
    f.sha256 = fmt::format("sha{}", i);
    r.files.push_back(std::move(f));
  }
  return r;
}

// The URL scripts/pg-test-server.sh wrote ("" when it started no server).
std::string PgUrl() {
  std::ifstream in(std::string(VALUEPACT_TEST_PG_DIR) + "/url");
  std::string url;
  std::getline(in, url);
  return url;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  // A new, empty store for this test.
  std::string Fresh(const std::string& name) {
    if (GetParam() == "sqlite") {
      std::string path = testing::TempDir("store_" + name) + "/runs.sqlite";
      std::error_code ec;
      for (const char* ext : {"", "-wal", "-shm"}) fs::remove(path + ext, ec);
      return path;
    }
    const std::string url = PgUrl();
    const std::string db = "vp_" + name;
    pqxx::connection c(url);
    pqxx::nontransaction t(c);
    t.exec("DROP DATABASE IF EXISTS " + db);
    t.exec("CREATE DATABASE " + db);
    return url.substr(0, url.rfind('/') + 1) + db;
  }

  void SetUp() override {
    if (GetParam() == "postgresql" && PgUrl().empty()) {
      GTEST_SKIP() << "no PostgreSQL test server (scripts/pg-test-server.sh found no server "
                      "binaries; `make test` installs them)";
    }
  }

  std::unique_ptr<RunStore> Open(const std::string& location) {
    auto s = RunStore::Open(location);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  }
};

TEST_P(StoreTest, KeepsEveryRecordingListsAndFindsRuns) {
  auto store = Open(Fresh("history"));
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->schema_version(), 3);
  RunRecord a = Record("aaaa1111", "c1", "10.00"), b = Record("bbbb2222", "c2", "-5.00");
  RunRecord a2 = Record("aaaa1111", "c1", "10.00");
  a2.out_dir = "out/a2";
  for (RunRecord* r : {&a, &b, &a2}) ASSERT_TRUE(store->Record(r).ok());
  EXPECT_LT(a.record_id, b.record_id);
  EXPECT_LT(b.record_id, a2.record_id);
  // Re-recording a run id keeps the earlier record.
  auto all = store->List({});
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].out_dir, "out/a2");
  EXPECT_EQ((*all)[0].user, "tester");
  EXPECT_EQ((*all)[0].recorded_at.size(), 24u);  // 2026-12-02T07:15:41.123Z
  auto c2 = store->List({"c2", "", ""});
  ASSERT_TRUE(c2.ok());
  ASSERT_EQ(c2->size(), 1u);
  EXPECT_EQ((*c2)[0].net_payer_to_provider, "-5.00");
  EXPECT_EQ(store->List({"", "metrics", ""})->size(), 0u);
  EXPECT_EQ(store->List({"", "", "aaaa"})->size(), 2u);
  // A prefix finds the latest record of the run; #N finds a record.
  auto latest = store->Get("aaaa", false);
  ASSERT_TRUE(latest.ok()) << latest.status().message();
  EXPECT_EQ(latest->record_id, a2.record_id);
  EXPECT_EQ(latest->summary["contract_id"], "c1");
  EXPECT_EQ(store->Get(fmt::format("#{}", a.record_id), false)->out_dir, "");
  EXPECT_EQ(store->Get("zz", false).status().code(), StatusCode::kNotFound);
  RunRecord c = Record("aaaa9999", "c1", "1.00");
  ASSERT_TRUE(store->Record(&c).ok());
  EXPECT_EQ(store->Get("aaaa", false).status().code(), StatusCode::kInvalidInput);
}

TEST_P(StoreTest, KeepsTheFilesARunWrote) {
  const std::string out = testing::TempDir("store_folder") + "/out";
  auto w = FolderWriter::Begin(out);
  ASSERT_TRUE(w.ok());
  nlohmann::ordered_json s = Summary("cccc3333", "c3", "7.00");
  s["contract_version"] = "amendment-2";
  ASSERT_TRUE(w->Write("summary.json", s.dump(2) + "\n").ok());
  ASSERT_TRUE(w->Write("trace.json", "{\"nodes\": []}\n").ok());
  const std::string members(300000, 'm');
  ASSERT_TRUE(w->Write("members.csv", members, FolderWriter::Access::kRestricted).ok());
  ASSERT_TRUE(w->Commit().ok());
  auto rec = RecordFromFolder("settle", out);
  ASSERT_TRUE(rec.ok()) << rec.status().message();
  EXPECT_EQ(rec->contract_version, "amendment-2");
  EXPECT_EQ(rec->contract_sha256, "0123456789abcdef");
  EXPECT_EQ(rec->data_sha256.size(), 64u);
  EXPECT_EQ(rec->refdata_sha256.size(), 64u);
  EXPECT_NE(rec->data_sha256, rec->refdata_sha256);
  // Each file was compressed as the store keeps it while its SHA-256 was checked.
  for (const RunFile& f : rec->files) {
    auto bytes = DecompressContent(f.stored, static_cast<uint64_t>(f.size));
    ASSERT_TRUE(bytes.ok()) << f.path;
    EXPECT_EQ(*bytes, f.content) << f.path;
  }
  auto store = Open(Fresh("files"));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Record(&*rec).ok());
  auto got = store->Get("cccc", true);
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got->files.size(), 3u);
  EXPECT_EQ(got->files[0].path, "restricted/members.csv");
  EXPECT_TRUE(got->files[0].restricted);
  EXPECT_EQ(got->files[0].content, members);
  EXPECT_EQ(got->files[2].path, "trace.json");
  EXPECT_FALSE(got->files[2].restricted);
  EXPECT_EQ(got->contract_version, "amendment-2");
  // Without contents, only what the files are.
  auto light = store->Get("cccc", false);
  EXPECT_TRUE(light->files[0].content.empty());
  EXPECT_EQ(light->files[0].size, 300000);
}

// A file of 1 MiB or more is recorded from its compressed frame alone: the record does not hold
// its bytes twice, and the store gives them back whole.
TEST_P(StoreTest, ALargeFileIsRecordedFromItsFrame) {
  const std::string out = testing::TempDir("store_large_" + GetParam()) + "/out";
  auto w = FolderWriter::Begin(out);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Write("summary.json", Summary("eeee", "c", "2.00").dump()).ok());
  std::string members;
  for (int i = 0; members.size() < (size_t{3} << 20); ++i) {
    members += fmt::format("P{:08},{}\n", i, i % 97);
  }
  ASSERT_TRUE(w->Write("members.csv", members, FolderWriter::Access::kRestricted).ok());
  ASSERT_TRUE(w->Commit().ok());
  auto rec = RecordFromFolder("settle", out);
  ASSERT_TRUE(rec.ok()) << rec.status().message();
  ASSERT_EQ(rec->files.size(), 2u);
  // In the manifest's order: summary.json was written first.
  const RunFile& big = rec->files[1];
  ASSERT_EQ(big.path, "restricted/members.csv");
  EXPECT_TRUE(big.content.empty());
  EXPECT_EQ(big.size, static_cast<int64_t>(members.size()));
  EXPECT_TRUE(*DecompressContent(big.stored, members.size()) == members);  // not printed: 3 MiB
  EXPECT_FALSE(rec->files[0].content.empty());  // summary.json, small, kept
  auto store = Open(Fresh("large"));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Record(&*rec).ok());
  auto got = store->Get("eeee", true);
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got->files[0].path, "restricted/members.csv");  // the store lists by path
  EXPECT_TRUE(got->files[0].content == members);
  EXPECT_EQ(got->files[0].size, static_cast<int64_t>(members.size()));
}

// A stored file whose frame does not hold the size recorded with it is an error naming the
// file, not a shorter or longer file handed back.
TEST(RunStoreSqlite, AStoredFileOfAnotherSizeIsAnError) {
  const std::string dir = testing::TempDir("store_size");
  std::error_code ec;
  for (const char* ext : {"", "-wal", "-shm"}) fs::remove(dir + "/runs.sqlite" + ext, ec);
  auto w = FolderWriter::Begin(dir + "/out");
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Write("summary.json", Summary("ffff", "c", "3.00").dump()).ok());
  ASSERT_TRUE(w->Write("members.csv", "person_id\nA\nB\n", FolderWriter::Access::kRestricted).ok());
  ASSERT_TRUE(w->Commit().ok());
  auto rec = RecordFolder(dir + "/runs.sqlite", "settle", dir + "/out");
  ASSERT_TRUE(rec.ok()) << rec.status().message();
  for (const char* change : {"size + 1", "size - 2"}) {  // one larger, then one smaller
    SQLite::Database(dir + "/runs.sqlite", SQLite::OPEN_READWRITE)
        .exec(fmt::format("UPDATE run_files SET size = {} WHERE path = 'restricted/members.csv'",
                          change));
    auto store = RunStore::Open(dir + "/runs.sqlite");
    ASSERT_TRUE(store.ok());
    auto got = (*store)->Get("ffff", true);
    ASSERT_FALSE(got.ok()) << change;
    EXPECT_NE(got.status().message().find("restricted/members.csv"), std::string::npos)
        << got.status().message();
    // Without contents the record still lists what the files are.
    EXPECT_TRUE((*store)->Get("ffff", false).ok());
  }
}

// A folder given as the store is named as such, not reported as SQLite's "disk I/O error".
TEST(RunStoreSqlite, AFolderIsNotAStore) {
  const std::string dir = testing::TempDir("store_folder");
  auto store = RunStore::Open(dir);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("a folder, not a run store"), std::string::npos)
      << store.status().message();
}

// A new SQLite store has 64 KiB pages (its rows are mostly compressed files of megabytes); one
// made before keeps its pages and opens as before.
TEST(RunStoreSqlite, ANewStoreHas64KiBPages) {
  const std::string dir = testing::TempDir("store_pages");
  std::error_code ec;
  for (const char* name : {"new.sqlite", "old.sqlite"}) fs::remove(dir + "/" + name, ec);
  ASSERT_TRUE(RunStore::Open(dir + "/new.sqlite").ok());
  EXPECT_EQ(SQLite::Database(dir + "/new.sqlite").execAndGet("PRAGMA page_size").getInt(), 65536);
  {
    SQLite::Database old(dir + "/old.sqlite", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    old.exec("PRAGMA page_size = 4096");
    old.exec("CREATE TABLE before_this_version (x INTEGER)");
  }
  auto store = RunStore::Open(dir + "/old.sqlite");
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->schema_version(), 3);
  EXPECT_EQ(SQLite::Database(dir + "/old.sqlite").execAndGet("PRAGMA page_size").getInt(), 4096);
}

// A file edited after the run wrote it is not recorded as the run.
TEST(RunStoreFolder, RefusesAFolderChangedAfterItWasWritten) {
  const std::string out = testing::TempDir("store_changed") + "/out";
  auto w = FolderWriter::Begin(out);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Write("summary.json", Summary("dddd", "c", "1.00").dump()).ok());
  ASSERT_TRUE(w->Commit().ok());
  std::ofstream(out + "/summary.json") << "{\"run_id\": \"edited\"}";
  auto rec = RecordFromFolder("settle", out);
  ASSERT_FALSE(rec.ok());
  EXPECT_NE(rec.status().message().find("changed after the run wrote it"), std::string::npos);
}

// A folder this process wrote while keeping files for the store is recorded from what it kept:
// the same record as one read from the folder, and an edit after the write is still refused.
TEST(RunStoreFolder, RecordsKeptFilesAsTheFolderHoldsThem) {
  const std::string out = testing::TempDir("store_kept") + "/out";
  std::string members;
  for (int i = 0; members.size() < (size_t{2} << 20); ++i) {
    members += fmt::format("P{:08},{}\n", i, i % 89);
  }
  const auto write = [&] {
    auto w = FolderWriter::Begin(out);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->Write("summary.json", Summary("abab", "c", "4.00").dump()).ok());
    ASSERT_TRUE(w->Write("members.csv",
                         std::vector<std::string>{members.substr(0, 1000), members.substr(1000)},
                         FolderWriter::Access::kRestricted)
                    .ok());
    ASSERT_TRUE(w->Commit().ok());
  };
  write();
  auto read = RecordFromFolder("settle", out);
  ASSERT_TRUE(read.ok()) << read.status().message();
  KeepRunFilesForStore();
  write();
  auto kept = RecordFromFolder("settle", out);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  ASSERT_EQ(kept->files.size(), read->files.size());
  for (size_t i = 0; i < kept->files.size(); ++i) {
    const RunFile& k = kept->files[i];
    EXPECT_EQ(k.path, read->files[i].path);
    EXPECT_EQ(k.sha256, read->files[i].sha256);
    EXPECT_EQ(k.size, read->files[i].size);
    EXPECT_EQ(k.content, read->files[i].content) << k.path;
    auto bytes = DecompressContent(k.stored, static_cast<uint64_t>(k.size));
    ASSERT_TRUE(bytes.ok()) << k.path;
    EXPECT_TRUE(*bytes == (k.path == "summary.json" ? k.content : members)) << k.path;
  }
  // The record holds the frames the writer kept, not frames made again from the folder: kept
  // at another level, the stored bytes are those frames (and still read back as the files).
  KeepWrittenFiles([](const std::vector<std::string_view>& p) { return ToZstdFrame(p, 19); },
                   size_t{1} << 20);
  write();
  auto marked = RecordFromFolder("settle", out);
  ASSERT_TRUE(marked.ok()) << marked.status().message();
  for (const RunFile& k : marked->files) {
    const std::string bytes = k.path == "summary.json" ? k.content : members;
    EXPECT_EQ(k.stored, ToZstdFrame(bytes, 19)) << k.path;
    EXPECT_NE(k.stored, CompressContent(bytes)) << k.path;
  }
  EXPECT_FALSE(TakeWrittenFolder(out).has_value());  // taken by the record
  KeepRunFilesForStore();
  write();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // file times move in clock ticks
  std::ofstream(out + "/summary.json") << "{\"run_id\": \"edited\"}";
  auto edited = RecordFromFolder("settle", out);
  StopKeepingWrittenFiles();
  ASSERT_FALSE(edited.ok());
  EXPECT_NE(edited.status().message().find("changed after the run wrote it"), std::string::npos);
}

// A writer killed in the middle of recording runs (kill -9) leaves only whole runs: every record
// that is visible has all its files and layers, and the store opens and takes new runs.
TEST_P(StoreTest, AKilledWriterLeavesNoPartialRun) {
  const std::string location = Fresh("killed");
  {
    auto first = Open(location);  // the schema exists before the child starts
    ASSERT_NE(first, nullptr);
  }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto s = RunStore::Open(location);
    if (!s.ok()) _exit(3);
    for (int i = 0;; ++i) {
      RunRecord r = Record(fmt::format("kill{:06}", i), "ck", "1.00", 40, 200000);
      if (!(*s)->Record(&r).ok()) _exit(4);
    }
  }
  // Let it record a few runs, then kill it in the middle of the next.
  auto store = Open(location);
  ASSERT_NE(store, nullptr);
  for (int waited = 0; waited < 600; ++waited) {
    if (store->List({})->size() >= 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(37));
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself: " << status;
  store = Open(location);
  ASSERT_NE(store, nullptr);
  auto all = store->List({});
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_GE(all->size(), 2u);
  for (const auto& r : *all) {
    auto full = store->Get(fmt::format("#{}", r.record_id), false);
    ASSERT_TRUE(full.ok()) << full.status().message();
    EXPECT_EQ(full->files.size(), 40u) << r.run_id;
  }
  RunRecord after = Record("after", "ck", "2.00");
  EXPECT_TRUE(store->Record(&after).ok());
}

// Writers in two processes at once both land, every run of each.
TEST_P(StoreTest, ConcurrentWritersBothLand) {
  const std::string location = Fresh("concurrent");
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto s = RunStore::Open(location);
      if (!s.ok()) {
        std::fprintf(stderr, "writer %d: %s\n", p, s.status().message().c_str());
        _exit(3);
      }
      for (int i = 0; i < 20; ++i) {
        RunRecord r = Record(fmt::format("p{}-{:03}", p, i), "cc", "1.00", 3, 5000);
        if (Status st = (*s)->Record(&r); !st.ok()) {
          std::fprintf(stderr, "writer %d: %s\n", p, st.message().c_str());
          _exit(4);
        }
      }
      _exit(0);
    }
    children.push_back(child);
  }
  for (pid_t c : children) {
    int status = 0;
    waitpid(c, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  auto store = Open(location);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->List({})->size(), 40u);
  EXPECT_EQ(store->List({"", "", "p0-"})->size(), 20u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(RunStoreSqlite, UnreadableStoreIsAnErrorNotACrash) {
  const auto r = RunStore::Open(testing::TempDir("none") + "/missing/runs.sqlite");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("run store"), std::string::npos);
}

// A store from before schema versions (one row per run id in `runs`), and a version-1 store
// (run_records without schema_version), both open migrated, their runs kept.
TEST(RunStoreSqlite, MigratesEarlierStores) {
  const std::string legacy = testing::TempDir("v0") + "/runs.sqlite";
  {
    SQLite::Database v0(legacy, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    v0.exec(
        "CREATE TABLE runs (run_id TEXT PRIMARY KEY, contract_id TEXT NOT NULL, engine_version "
        "TEXT NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL, "
        "net_payer_to_provider TEXT NOT NULL, out_dir TEXT NOT NULL, recorded_at TEXT NOT NULL, "
        "summary_json TEXT NOT NULL);"
        "INSERT INTO runs VALUES ('old1', 'c0', '0.1.0', '2018-01-01', '2018-12-31', '1.00', "
        "'out/old', '2020-01-01T00:00:00Z', '{\"run_id\":\"old1\",\"contract_id\":\"c0\"}');");
  }
  auto s = RunStore::Open(legacy);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ((*s)->schema_version(), 3);
  RunRecord n = Record("new1", "c1", "2.00");
  ASSERT_TRUE((*s)->Record(&n).ok());
  auto all = (*s)->List({});
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].run_id, "old1");
  EXPECT_EQ((*all)[0].command, "settle");
  EXPECT_TRUE((*s)->Get("old1", true).ok());

  const std::string v1 = testing::TempDir("v1") + "/runs.sqlite";
  {
    SQLite::Database db(v1, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE run_records (record_id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT "
        "NULL, contract_id TEXT NOT NULL, engine_version TEXT NOT NULL, period_start TEXT NOT "
        "NULL, period_end TEXT NOT NULL, net_payer_to_provider TEXT NOT NULL, out_dir TEXT NOT "
        "NULL, recorded_at TEXT NOT NULL, summary_json TEXT NOT NULL);"
        "INSERT INTO run_records (run_id, contract_id, engine_version, period_start, period_end, "
        "net_payer_to_provider, out_dir, recorded_at, summary_json) VALUES ('v1run', 'c', "
        "'0.1.0', '2018-01-01', '2018-12-31', '3.00', 'o', '2021-01-01T00:00:00Z', '{}');");
  }
  auto s1 = RunStore::Open(v1);
  ASSERT_TRUE(s1.ok()) << s1.status().message();
  EXPECT_EQ((*s1)->schema_version(), 3);
  EXPECT_EQ((*s1)->List({})->size(), 1u);
  SQLite::Database check(v1, SQLite::OPEN_READONLY);
  EXPECT_EQ(check.execAndGet("SELECT COUNT(*) FROM schema_version").getInt(), 3);
}

// A store written by a newer valuepact is refused, not misread.
TEST(RunStoreSqlite, RefusesANewerSchema) {
  const std::string path = testing::TempDir("newer") + "/runs.sqlite";
  ASSERT_TRUE(RunStore::Open(path).ok());
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO schema_version VALUES (99, 'later')");
  }
  auto s = RunStore::Open(path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("newer valuepact"), std::string::npos);
}

// Commands that only read a store never create one: a mistyped --store is an error naming it.
TEST(RunStoreSqlite, ReadingCommandsDoNotCreateAStore) {
  const std::string typo = testing::TempDir("typo") + "/rusn.sqlite";
  std::error_code ec;
  fs::remove(typo, ec);
  std::string log;
  EXPECT_EQ(testing::RunCommand(fmt::format("{} runs --store {}", testing::CliPath(), typo), &log),
            2);
  EXPECT_NE(log.find("no run store there"), std::string::npos) << log;
  EXPECT_EQ(testing::RunCommand(
                fmt::format("{} compare '#1' '#2' --store {}", testing::CliPath(), typo), &log),
            2);
  EXPECT_FALSE(fs::exists(typo));
}

// Concurrent settles through the command line lose no run: 4 processes, 10 rounds.
// The program itself records in and lists from each backend; on PostgreSQL that is through the
// plugin beside the engine (src/store/postgres_plugin.cc), which uses the engine's functions.
TEST_P(StoreTest, TheProgramRecordsASettleAndListsIt) {
  const std::string store = Fresh("cli");
  const std::string src = testing::SourceDir(), dir = testing::TempDir("store_cli_" + GetParam());
  std::string out;
  ASSERT_EQ(testing::RunCommand(
                fmt::format("{} settle {}/tests/cases/savings_quality/contract.toml --data "
                            "{}/tests/cases/_data/small --out {}/out --store '{}'",
                            testing::CliPath(), src, src, dir, store),
                &out),
            0)
      << out;
  ASSERT_EQ(
      testing::RunCommand(fmt::format("{} runs --store '{}'", testing::CliPath(), store), &out), 0)
      << out;
  EXPECT_NE(out.find("#1 "), std::string::npos) << out;
  EXPECT_NE(out.find(" settle "), std::string::npos) << out;
}

// Without the PostgreSQL plugin beside the engine, a postgresql:// store is an error that names
// the plugin's file, and the rest of the program works as before.
// The program's two files copied to a folder of their own, without the plugins beside them.
fs::path ProgramWithoutPlugins(const std::string& folder) {
  const fs::path dir = testing::TempDir(folder);
  const fs::path cli = testing::CliPath();
  for (const char* name : {"valuepact", "valuepact-engine"}) {
    fs::copy_file(cli.parent_path() / name, dir / name, fs::copy_options::overwrite_existing);
  }
  return dir;
}

TEST(RunStorePlugin, MissingPluginIsAClearErrorAndSqliteStillWorks) {
  const fs::path dir = ProgramWithoutPlugins("no_plugin");
  ASSERT_FALSE(fs::exists(dir / "valuepact-postgres.so"));
  std::string out;
  EXPECT_EQ(testing::RunCommand(
                (dir / "valuepact").string() + " runs --store postgresql://u@127.0.0.1:1/db", &out),
            3)
      << out;
  EXPECT_NE(out.find("PostgreSQL run store: "), std::string::npos) << out;
  EXPECT_NE(out.find((dir / "valuepact-postgres.so").string()), std::string::npos) << out;
  EXPECT_NE(out.find("built with valuepact, beside valuepact-engine"), std::string::npos) << out;
  const std::string src = testing::SourceDir();
  EXPECT_EQ(testing::RunCommand(
                fmt::format("{} settle {}/tests/cases/savings_quality/contract.toml --data "
                            "{}/tests/cases/_data/small --out {}/out --store {}/runs.sqlite",
                            (dir / "valuepact").string(), src, src, dir.string(), dir.string()),
                &out),
            0)
      << out;
}

// The same for the partnership server (valuepact-server.so): without it `serve` is an error
// that names the plugin's file; with it beside the engine, the engine itself links no HTTP or
// TLS library (they load only with the plugin).
TEST(ServerPlugin, MissingPluginIsAClearErrorAndTheEngineLinksNoHttpLibrary) {
  const fs::path dir = ProgramWithoutPlugins("no_server_plugin");
  const fs::path cli = testing::CliPath();
  ASSERT_FALSE(fs::exists(dir / "valuepact-server.so"));
  std::string out;
  EXPECT_EQ(testing::RunCommand(fmt::format("{} serve --port 0 --store '{}/runs.sqlite'",
                                            (dir / "valuepact").string(), dir.string()),
                                &out),
            3)
      << out;
  EXPECT_NE(out.find("the partnership server: "), std::string::npos) << out;
  EXPECT_NE(out.find((dir / "valuepact-server.so").string()), std::string::npos) << out;
  EXPECT_NE(out.find("built with valuepact, beside valuepact-engine"), std::string::npos) << out;
  ASSERT_EQ(testing::RunCommand(
                fmt::format("ldd '{}'", (cli.parent_path() / "valuepact-engine").string()), &out),
            0);
  EXPECT_EQ(out.find("httplib"), std::string::npos) << out;
  EXPECT_EQ(out.find("libssl"), std::string::npos) << out;
}

TEST(RunStoreSqlite, ConcurrentSettlesLoseNoRun) {
  const std::string dir = testing::TempDir("concurrent_cli");
  std::error_code ec;
  fs::remove(dir + "/runs.sqlite", ec);
  const std::string src = testing::SourceDir();
  std::string cmds;
  for (int round = 0; round < 10; ++round) {
    for (int p = 0; p < 4; ++p) {
      cmds += fmt::format(
          "{} settle {}/tests/cases/savings_quality/contract.toml --data "
          "{}/tests/cases/_data/small --out {}/out_{}_{} --store {}/runs.sqlite > /dev/null 2>&1 "
          "& ",
          testing::CliPath(), src, src, dir, round, p, dir);
    }
    cmds += "wait; ";
  }
  std::string log;
  ASSERT_EQ(testing::RunCommand("bash -c '" + cmds + "'", &log), 0) << log;
  auto store = RunStore::Open(dir + "/runs.sqlite");
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto all = (*store)->List({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 40u);
  EXPECT_EQ((*all)[0].command, "settle");
  EXPECT_FALSE((*all)[0].contract_sha256.empty());
  EXPECT_FALSE((*all)[0].data_sha256.empty());
}

}  // namespace
}  // namespace valuepact
