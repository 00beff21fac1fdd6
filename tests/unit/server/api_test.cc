// The partnership server's API (docs/server.md) on loopback: authentication failures, expired
// and revoked tokens, cross-party access, PHI gating with audit rows, oversized and malformed
// requests, and 200 concurrent clients.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "valuepact/server/server.h"
#include "valuepact/store/access.h"
#include "valuepact/store/run_store.h"

namespace valuepact::server {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::TempDir("api"));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    store_ = new std::string(*dir_ + "/runs.sqlite");
    const std::string src = testing::SourceDir();
    std::string log;
    // Run 1: the partnership of plan and clinic; run 2: another partnership's contract.
    for (const auto& [c, out] :
         {std::pair{"savings_quality", "one"}, std::pair{"below_msr", "two"}}) {
      ASSERT_EQ(
          testing::RunCommand(fmt::format("{} settle {}/tests/cases/{}/contract.toml --data "
                                          "{}/tests/cases/_data/small --out {}/{} --store {}",
                                          testing::CliPath(), src, c, src, *dir_, out, *store_),
                              &log),
          0)
          << log;
    }
    auto a = Access::Open(*store_);
    ASSERT_TRUE(a.ok()) << a.status().message();
    for (const char* org : {"plan", "clinic", "other"}) {
      ASSERT_TRUE(a->AddOrganization(org, "").ok());
    }
    ASSERT_TRUE(a->AddUser("ana", "plan", "analyst", true).ok());
    ASSERT_TRUE(a->AddUser("vic", "clinic", "viewer", false).ok());
    ASSERT_TRUE(a->AddUser("oz", "other", "admin", false).ok());
    ASSERT_TRUE(a->AddUser("old", "plan", "viewer", false).ok());
    ASSERT_TRUE(
        a->AddPartnership({"p1", "Plan and clinic", {"plan", "clinic"}, {"golden-savings_quality"}})
            .ok());
    ASSERT_TRUE(a->AddPartnership({"p2", "Other", {"other"}, {"golden-below_msr"}}).ok());
    // The palliative partnership's record, for the clinic only.
    ASSERT_TRUE(a->AddPartnership({"palliative-2018", "Palliative", {"clinic"}, {}}).ok());
    ASSERT_EQ(testing::RunCommand(
                  fmt::format("{} partnership check {}/examples/partnership --as-of 2018-10-01 "
                              "--out {}/record --store {}",
                              testing::CliPath(), src, *dir_, *store_),
                  &log),
              0)
        << log;
    tokens_ = new std::map<std::string, std::string>;
    for (const char* u : {"ana", "vic", "oz", "old"}) (*tokens_)[u] = *a->AddToken(u, "test", 30);
    // old's token expired yesterday.
    ASSERT_TRUE(a->sql()
                    .Query("UPDATE api_tokens SET expires_at = '2000-01-01T00:00:00.000Z' WHERE "
                           "user_id = 'old'")
                    .ok());
    ServerOptions o;
    o.store = *store_;
    o.port = 0;
    o.max_body = size_t{64} * 1024;
    o.threads = 16;
    auto s = Server::Create(o);
    ASSERT_TRUE(s.ok()) << s.status().message();
    server_ = s->release();
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = new std::thread([] { server_->Run(); });
  }

  static void TearDownTestSuite() {
    server_->Stop();
    thread_->join();
    delete thread_;
    delete server_;
  }

  static httplib::Result Get(const std::string& path, const std::string& user = "") {
    httplib::Client c("127.0.0.1", port_);
    httplib::Headers h;
    if (!user.empty()) h.emplace("Authorization", "Bearer " + tokens_->at(user));
    return c.Get(path.c_str(), h);
  }

  static int64_t AuditRows() {
    auto a = Access::Open(*store_);
    return static_cast<int64_t>(a->AuditLog(10000)->size());
  }

  static std::string* dir_;
  static std::string* store_;
  static std::map<std::string, std::string>* tokens_;
  static Server* server_;
  static std::thread* thread_;
  static int port_;
};

std::string* ApiTest::dir_ = nullptr;
std::string* ApiTest::store_ = nullptr;
std::map<std::string, std::string>* ApiTest::tokens_ = nullptr;
Server* ApiTest::server_ = nullptr;
std::thread* ApiTest::thread_ = nullptr;
int ApiTest::port_ = 0;

TEST_F(ApiTest, RefusesMissingUnknownAndExpiredTokens) {
  EXPECT_EQ(Get("/api/health")->status, 200);
  auto none = Get("/api/runs");
  EXPECT_EQ(none->status, 401);
  EXPECT_NE(none->body.find("missing token"), std::string::npos);
  httplib::Client c("127.0.0.1", port_);
  auto bad = c.Get("/api/runs", {{"Authorization", "Bearer vp_not_a_token"}});
  EXPECT_EQ(bad->status, 401);
  EXPECT_NE(bad->body.find("unknown token"), std::string::npos);
  auto expired = Get("/api/runs", "old");
  EXPECT_EQ(expired->status, 401);
  EXPECT_NE(expired->body.find("expired"), std::string::npos);
  auto me = Get("/api/me", "ana");
  ASSERT_EQ(me->status, 200);
  EXPECT_EQ(Json::parse(me->body)["phi"], true);
}

TEST_F(ApiTest, APartyOnlySeesItsOwnPartnerships) {
  auto ana = Json::parse(Get("/api/runs", "ana")->body);
  ASSERT_EQ(ana.size(), 1u);
  EXPECT_EQ(ana[0]["contract_id"], "golden-savings_quality");
  const std::string run1 = ana[0]["run_id"];
  auto oz = Json::parse(Get("/api/runs", "oz")->body);
  ASSERT_EQ(oz.size(), 1u);
  EXPECT_EQ(oz[0]["contract_id"], "golden-below_msr");
  // The other partnership's run, contract and record are not found for oz.
  EXPECT_EQ(Get("/api/runs/" + run1, "oz")->status, 404);
  EXPECT_EQ(Get("/api/runs/" + run1 + "/statement", "oz")->status, 404);
  EXPECT_EQ(Get("/api/runs/%231", "oz")->status, 404);
  auto parts = Json::parse(Get("/api/partnerships", "oz")->body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0]["id"], "p2");
  // Both parties of p1 see its run, its statement and any figure's derivation.
  auto run = Get("/api/runs/" + run1.substr(0, 12), "vic");
  ASSERT_EQ(run->status, 200);
  const auto r = Json::parse(run->body);
  auto statement = Get("/api/runs/" + run1 + "/statement", "vic");
  ASSERT_EQ(statement->status, 200);
  EXPECT_NE(statement->body.find("Settlement statement"), std::string::npos);
  auto net = Get("/api/runs/" + run1 + "/trace/net_payer_to_provider", "vic");
  ASSERT_EQ(net->status, 200);
  EXPECT_EQ(Json::parse(net->body)["value"], r["summary"]["net_payer_to_provider"]);
  EXPECT_EQ(Get("/api/runs/" + run1 + "/trace/no.such.figure", "vic")->status, 404);
}

TEST_F(ApiTest, MemberLevelRowsNeedPhiAndEveryReadIsAudited) {
  const std::string run1 = Json::parse(Get("/api/runs", "ana")->body)[0]["run_id"];
  const int64_t before = AuditRows();
  EXPECT_EQ(Get("/api/runs/" + run1 + "/members", "vic")->status, 403);
  EXPECT_EQ(Get("/api/runs/" + run1 + "/files/restricted/members.csv", "vic")->status, 403);
  EXPECT_EQ(AuditRows(), before);  // refused reads read nothing
  // A shared file needs no PHI; its rows carry no member id.
  auto shared = Get("/api/runs/" + run1 + "/files/summary.json", "vic");
  ASSERT_EQ(shared->status, 200);
  auto members = Get("/api/runs/" + run1 + "/members", "ana");
  ASSERT_EQ(members->status, 200);
  const auto rows = Json::parse(members->body);
  ASSERT_FALSE(rows.empty());
  EXPECT_TRUE(rows[0].contains("person_id"));
  EXPECT_EQ(Get("/api/runs/" + run1 + "/files/restricted/members.csv", "ana")->status, 200);
  EXPECT_EQ(AuditRows(), before + 2);
  auto log = Json::parse(Get("/api/audit?limit=2", "oz")->body);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["user"], "ana");
  EXPECT_EQ(log[0]["action"], "read_member_level");
  EXPECT_EQ(Get("/api/audit", "ana")->status, 403);  // not an admin
  // The log is append-only.
  auto a = Access::Open(*store_);
  EXPECT_FALSE(a->sql().Query("DELETE FROM audit_log").ok());
  EXPECT_FALSE(a->sql().Query("UPDATE audit_log SET user_id = 'x'").ok());
}

// Two runs of one partnership compared: counted for everyone, listed (and audited) with PHI.
TEST_F(ApiTest, ComparesTwoRunsOfAPartnership) {
  const std::string run1 = Json::parse(Get("/api/runs", "ana")->body)[0]["run_id"];
  auto same = Get(fmt::format("/api/compare?a={}&b={}", run1, run1), "vic");
  ASSERT_EQ(same->status, 200);
  const auto c = Json::parse(same->body);
  EXPECT_TRUE(c["causes"].empty());
  EXPECT_TRUE(c["figures"].empty());
  EXPECT_FALSE(c["members"].contains("members"));
  const int64_t before = AuditRows();
  auto listed = Get(fmt::format("/api/compare?a={}&b={}&members=true", run1, run1), "ana");
  ASSERT_EQ(listed->status, 200);
  EXPECT_TRUE(Json::parse(listed->body)["members"].contains("members"));
  EXPECT_EQ(AuditRows(), before + 1);
  EXPECT_EQ(Get("/api/compare?a=" + run1, "vic")->status, 400);
  EXPECT_EQ(Get(fmt::format("/api/compare?a={}&b={}", run1, run1), "oz")->status, 404);
}

TEST_F(ApiTest, OversizedAndMalformedRequestsGetClearErrors) {
  const std::string run1 = Json::parse(Get("/api/runs", "ana")->body)[0]["run_id"];
  httplib::Client c("127.0.0.1", port_);
  const httplib::Headers h = {{"Authorization", "Bearer " + tokens_->at("ana")}};
  const std::string path = "/api/runs/" + run1 + "/what-if";
  auto big = c.Post(path.c_str(), h, std::string(size_t{200} * 1024, 'x'), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  auto bad = c.Post(path.c_str(), h, "{not json", "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("not JSON"), std::string::npos);
  auto list = c.Post(path.c_str(), h, "[0.6]", "application/json");
  EXPECT_EQ(list->status, 400);
  EXPECT_NE(list->body.find("object of contract keys"), std::string::npos);
  auto bare = c.Post(path.c_str(), h, R"({"sharing_rate": 0.6})", "application/json");
  EXPECT_EQ(bare->status, 422);
  EXPECT_NE(bare->body.find("payment.<id>.<term>"), std::string::npos);
  auto nowhere = Get("/api/nowhere", "ana");
  EXPECT_EQ(nowhere->status, 404);
  EXPECT_NO_THROW((void)Json::parse(nowhere->body));
  auto api = Get("/api/openapi.json");
  ASSERT_EQ(api->status, 200);
  EXPECT_TRUE(Json::parse(api->body)["paths"].contains("/api/runs/{run}/members"));
}

// What-if for a viewer without PHI: the recomputed settlement equals a settle of the changed
// contract, and the answer names no member.
TEST_F(ApiTest, WhatIfEqualsASettleOfTheChangedContract) {
  const std::string run1 = Json::parse(Get("/api/runs", "ana")->body)[0]["run_id"];
  httplib::Client c("127.0.0.1", port_);
  const httplib::Headers vic = {{"Authorization", "Bearer " + tokens_->at("vic")}};
  const std::string path = "/api/runs/" + run1 + "/what-if";
  const std::string body =
      R"({"payment.savings.sharing_rate": 0.6, "payment.savings.savings_cap": 0.2})";
  auto w = c.Post(path.c_str(), vic, body, "application/json");
  ASSERT_EQ(w->status, 200) << w->body;
  const auto j = Json::parse(w->body);
  EXPECT_EQ(j["changes"][0]["before"], "0.5");
  EXPECT_EQ(j["changes"][0]["after"], "0.6");
  EXPECT_EQ(j["net_payer_to_provider"]["settled"], "540.00");
  EXPECT_EQ(w->body.find("person"), std::string::npos);
  // The same change settled from the contract file.
  const std::string src = testing::SourceDir();
  std::string text;
  {
    std::ifstream in(src + "/tests/cases/savings_quality/contract.toml");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (auto [from, to] : {std::pair{"sharing_rate = 0.50", "sharing_rate = 0.60"},
                          std::pair{"savings_cap = 0.10", "savings_cap = 0.20"}}) {
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, std::string(from).size(), to);
  }
  std::ofstream(*dir_ + "/changed.toml") << text;
  std::string log;
  ASSERT_EQ(testing::RunCommand(fmt::format("{} settle {}/changed.toml --data "
                                            "{}/tests/cases/_data/small --out {}/changed "
                                            "--no-store",
                                            testing::CliPath(), *dir_, src, *dir_),
                                &log),
            0)
      << log;
  std::ifstream summary(*dir_ + "/changed/summary.json");
  const auto settled = Json::parse(summary);
  EXPECT_EQ(j["net_payer_to_provider"]["what_if"], settled["net_payer_to_provider"]);
  EXPECT_NE(j["net_payer_to_provider"]["what_if"], "540.00");
  // Another partnership's run is not found; terms outside [[payment]] are refused.
  const httplib::Headers oz = {{"Authorization", "Bearer " + tokens_->at("oz")}};
  EXPECT_EQ(c.Post(path.c_str(), oz, body, "application/json")->status, 404);
  auto population =
      c.Post(path.c_str(), vic, R"({"contract.member_months": "full_month"})", "application/json");
  EXPECT_EQ(population->status, 422);
  EXPECT_NE(population->body.find("settle of the changed contract"), std::string::npos);
  auto invalid =
      c.Post(path.c_str(), vic, R"({"payment.savings.sharing_rate": 2})", "application/json");
  EXPECT_EQ(invalid->status, 422);
  EXPECT_NE(invalid->body.find("sharing_rate"), std::string::npos);
}

// The partnership record and contract versions for its parties; metrics and data quality of
// runs.
TEST_F(ApiTest, ServesThePartnershipRecordMetricsAndDataQuality) {
  auto record = Get("/api/partnerships/palliative-2018/record", "vic");
  ASSERT_EQ(record->status, 200) << record->body;
  const auto r = Json::parse(record->body);
  EXPECT_TRUE(r.contains("findings"));
  EXPECT_EQ(Get("/api/partnerships/palliative-2018/record", "ana")->status, 404);
  EXPECT_EQ(Get("/api/partnerships/palliative-2018", "oz")->status, 404);
  auto one = Get("/api/partnerships/palliative-2018", "vic");
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(Json::parse(one->body)["record"]["summary"]["findings"]["gaps"], 1);
  // p1's contract has one version, used by one run.
  auto p1 = Json::parse(Get("/api/partnerships/p1", "ana")->body);
  ASSERT_EQ(p1["contracts"].size(), 1u);
  ASSERT_EQ(p1["contracts"][0]["versions"].size(), 1u);
  EXPECT_EQ(p1["contracts"][0]["versions"][0]["runs"], 1);
  EXPECT_EQ(Get("/api/partnerships/p1/record", "ana")->status, 404);  // none recorded yet

  const std::string run1 = Json::parse(Get("/api/runs", "ana")->body)[0]["run_id"];
  auto quality = Get("/api/runs/" + run1 + "/quality", "vic");
  ASSERT_EQ(quality->status, 200);
  EXPECT_NO_THROW((void)Json::parse(quality->body));
  EXPECT_EQ(Get("/api/runs/" + run1 + "/metrics", "vic")->status, 404);  // a settle run
  const std::string src = testing::SourceDir();
  std::string log;
  ASSERT_EQ(testing::RunCommand(fmt::format("{} metrics {}/tests/cases/below_msr/contract.toml "
                                            "--data {}/tests/cases/_data/small --out {}/metrics "
                                            "--store {}",
                                            testing::CliPath(), src, src, *dir_, *store_),
                                &log),
            0)
      << log;
  auto runs = Json::parse(Get("/api/runs?command=metrics", "oz")->body);
  ASSERT_EQ(runs.size(), 1u);
  auto metrics = Get("/api/runs/" + runs[0]["run_id"].get<std::string>() + "/metrics", "oz");
  ASSERT_EQ(metrics->status, 200);
  const auto m = Json::parse(metrics->body);
  ASSERT_FALSE(m["metrics"].empty());
  EXPECT_TRUE(m["metrics"][0].contains("metric"));
  EXPECT_EQ(Get("/api/runs/" + runs[0]["run_id"].get<std::string>() + "/metrics", "vic")->status,
            404);
}

TEST_F(ApiTest, HoldsTwoHundredConcurrentClients) {
  std::atomic<int> errors{0};
  std::vector<std::thread> clients;
  clients.reserve(200);
  std::vector<std::vector<double>> ms(200);
  for (int i = 0; i < 200; ++i) {
    clients.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", port_);
      c.set_keep_alive(false);
      // Under a loaded machine a connection may wait in the listen queue for seconds (SYN
      // retries): the test asserts that every request is answered, and reports the latency.
      c.set_connection_timeout(60);
      c.set_read_timeout(60);
      for (int k = 0; k < 5; ++k) {
        const auto t0 = std::chrono::steady_clock::now();
        auto r =
            c.Get("/api/runs", {{"Authorization", "Bearer " + tokens_->at(i % 2 ? "ana" : "vic")}});
        ms[i].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
        if (!r || r->status != 200) ++errors;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(errors.load(), 0);
  std::vector<double> all;
  for (const auto& v : ms) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  // Reported, not asserted (bench/results.md records a run).
  std::printf("200 clients x 5 requests: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              all[all.size() / 2], all[all.size() * 95 / 100], all[all.size() * 99 / 100],
              all.back());
}

// A server of its own with `o`, serving while `body` runs.
void WithServer(ServerOptions o, const std::function<void(int port)>& body) {
  o.port = 0;
  auto s = Server::Create(o);
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto port = (*s)->Bind();
  ASSERT_TRUE(port.ok());
  std::thread t([&] { (*s)->Run(); });
  body(*port);
  (*s)->Stop();
  t.join();
}

TEST(ServerOptions, LimitsTheRatePerToken) {
  ServerOptions o;
  o.store = testing::TempDir("api_rate") + "/runs.sqlite";
  o.requests_per_minute = 3;
  WithServer(o, [](int port) {
    httplib::Client c("127.0.0.1", port);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(c.Get("/api/health")->status, 200);
    auto r = c.Get("/api/health");
    EXPECT_EQ(r->status, 429);
    EXPECT_EQ(r->get_header_value("Retry-After"), "60");
  });
}

// With a certificate and key the server speaks HTTPS, on any address.
TEST(ServerOptions, ServesHttpsWithACertificate) {
  const std::string dir = testing::TempDir("api_tls");
  std::string log;
  ASSERT_EQ(testing::RunCommand(
                fmt::format("openssl req -x509 -newkey rsa:2048 -nodes -keyout {0}/key.pem "
                            "-out {0}/cert.pem -days 1 -subj /CN=localhost",
                            dir),
                &log),
            0)
      << log;
  ServerOptions o;
  o.store = dir + "/runs.sqlite";
  o.tls_cert = dir + "/cert.pem";
  o.tls_key = dir + "/key.pem";
  WithServer(o, [](int port) {
    httplib::SSLClient c("127.0.0.1", port);
    c.enable_server_certificate_verification(false);
    auto r = c.Get("/api/health");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    httplib::Client plain("127.0.0.1", port);
    auto p = plain.Get("/api/health");
    EXPECT_TRUE(!p || p->status != 200);  // no plain HTTP on the TLS port
  });
}

TEST(ServerOptions, RefusesAnOpenAddressWithoutTls) {
  ServerOptions o;
  o.store = testing::TempDir("api_bind") + "/runs.sqlite";
  o.bind = "0.0.0.0";
  auto s = Server::Create(o);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("--insecure-bind"), std::string::npos);
  o.tls_cert = "cert.pem";
  auto half = Server::Create(o);
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.status().message().find("both --tls-cert and --tls-key"), std::string::npos);
}

}  // namespace
}  // namespace valuepact::server
