#include "valuepact/store/run_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_paths.h"

namespace valuepact {
namespace {

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
  s["inputs"] = nlohmann::ordered_json::array({{{"path", "m.csv"},
                                                {"table", "medical_claim"},
                                                {"sha256", "ab"},
                                                {"rows_read", 3},
                                                {"rows_rejected", 1}}});
  return s;
}

TEST(RunStore, RecordsListsAndShowsRuns) {
  const std::string db = testing::TempDir("store") + "/runs.sqlite";
  ASSERT_TRUE(RecordRun(db, Summary("aaaa1111", "c1", "10.00"), "out/a").ok());
  ASSERT_TRUE(RecordRun(db, Summary("bbbb2222", "c2", "-5.00"), "out/b").ok());
  // Re-recording the same run id keeps the history: the earlier recording stays.
  ASSERT_TRUE(RecordRun(db, Summary("aaaa1111", "c1", "10.00"), "out/a2").ok());
  auto all = ListRuns(db);
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].out_dir, "out/a");
  EXPECT_EQ((*all)[2].out_dir, "out/a2");
  auto c2 = ListRuns(db, "c2");
  ASSERT_EQ(c2->size(), 1u);
  EXPECT_EQ((*c2)[0].net_payer_to_provider, "-5.00");
  auto shown = GetRunSummary(db, "aaaa");
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ((*shown)["contract_id"], "c1");
  EXPECT_EQ(GetRunSummary(db, "zz").status().code(), StatusCode::kNotFound);
}

TEST(RunStore, UnreadableStoreIsAnErrorNotACrash) {
  const auto r = ListRuns(testing::TempDir("none") + "/missing/runs.sqlite");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("run store"), std::string::npos);
}

// Concurrent writers never lose a run: 4 processes record 10 runs each into one store.
TEST(RunStore, ConcurrentSettlesLoseNoRun) {
  const std::string dir = testing::TempDir("concurrent");
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
  auto all = ListRuns(dir + "/runs.sqlite");
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(all->size(), 40u);
}

// A store written by an earlier version (one row per run id in `runs`) keeps its runs.
TEST(RunStore, MigratesAnEarlierStore) {
  const std::string db = testing::TempDir("v1") + "/runs.sqlite";
  {
    SQLite::Database v1(db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    v1.exec(
        "CREATE TABLE runs (run_id TEXT PRIMARY KEY, contract_id TEXT NOT NULL, engine_version "
        "TEXT NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL, "
        "net_payer_to_provider TEXT NOT NULL, out_dir TEXT NOT NULL, recorded_at TEXT NOT NULL, "
        "summary_json TEXT NOT NULL);"
        "INSERT INTO runs VALUES ('old1', 'c0', '0.1.0', '2018-01-01', '2018-12-31', '1.00', "
        "'out/old', '2020-01-01T00:00:00Z', '{\"run_id\":\"old1\",\"contract_id\":\"c0\"}');");
  }
  auto before = ListRuns(db);
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(before->size(), 1u);
  ASSERT_TRUE(RecordRun(db, Summary("new1", "c1", "2.00"), "out/new").ok());
  auto after = ListRuns(db);
  ASSERT_TRUE(after.ok()) << after.status().message();
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].run_id, "old1");
  EXPECT_TRUE(GetRunSummary(db, "old1").ok());
}

}  // namespace
}  // namespace valuepact
