#include "valuepact/store/run_store.h"

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
  // Re-recording the same run id replaces it rather than duplicating it.
  ASSERT_TRUE(RecordRun(db, Summary("aaaa1111", "c1", "10.00"), "out/a2").ok());
  auto all = ListRuns(db);
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 2u);
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

}  // namespace
}  // namespace valuepact
