// compare and true-up on restated data (docs/compare.md): two settle runs recorded in a store,
// the second on a restated copy of the data (a line removed, one restated, a member and a line
// added) and, in the first test, a changed sharing rate. Every figure is derived in the comments.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/core/file_io.h"
#include "valuepact/review/compare.h"
#include "valuepact/store/run_store.h"

namespace valuepact::review {
namespace {
namespace fs = std::filesystem;

Money M(const char* s) { return ParseMoney(s)->value; }

std::string Vp(const std::string& args, const std::string& cwd) {
  std::string log;
  const int rc =
      testing::RunCommand(fmt::format("cd {} && {} {}", cwd, testing::CliPath(), args), &log);
  EXPECT_EQ(rc, 0) << args << "\n" << log;
  return log;
}

void Replace(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = *ReadWholeFile(path);
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  std::ofstream(path, std::ios::trunc) << text;
}

// tests/cases/_data/small as folder a/, a restated copy b/, the savings_quality contract.
std::string Prepare(const std::string& name) {
  std::string dir = testing::TempDir(name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string src = testing::SourceDir();
  fs::copy(src + "/tests/cases/_data/small", dir + "/a", fs::copy_options::recursive);
  fs::copy(src + "/tests/cases/_data/small", dir + "/b", fs::copy_options::recursive);
  fs::copy_file(src + "/tests/cases/savings_quality/contract.toml", dir + "/contract.toml");
  // Restated: a2 line 2 paid 5,000.00 → 4,500.00; a1 (1,000.00) withdrawn; member E enrolled
  // all year with one 800.00 visit.
  Replace(dir + "/b/medical_claim.csv",
          "a2,2,institutional,A,2018-05-01,2018-05-04,111,,0250,,5000.00,5100.00",
          "a2,2,institutional,A,2018-05-01,2018-05-04,111,,0250,,4500.00,5100.00");
  Replace(dir + "/b/medical_claim.csv",
          "a1,1,professional,A,2018-02-10,2018-02-10,,11,,99214,1000.00,1100.00\n", "");
  std::ofstream(dir + "/b/medical_claim.csv", std::ios::app)
      << "e1,1,professional,E,2018-04-01,2018-04-01,,11,,99214,800.00,900.00\n";
  std::ofstream(dir + "/b/eligibility.csv", std::ios::app)
      << "E,female,1948-03-03,2018-01-01,2018-12-31,medicare\n";
  return dir;
}

Result<RunRecord> Get(const std::string& store, const std::string& id) {
  auto s = RunStore::Open(store);
  if (!s.ok()) return s.status();
  return (*s)->Get(id, true);
}

TEST(Compare, ExplainsTermsMembersAndClaimLinesToTheCent) {
  const std::string dir = Prepare("compare_small");
  const std::string store = "--store " + dir + "/runs.sqlite";
  Vp("settle contract.toml --data a --out out-a " + store, dir);
  Replace(dir + "/contract.toml", "sharing_rate = 0.50", "sharing_rate = 0.60");
  Vp("settle contract.toml --data b --out out-b " + store, dir);
  auto a = Get(dir + "/runs.sqlite", "#1");
  auto b = Get(dir + "/runs.sqlite", "#2");
  ASSERT_TRUE(a.ok() && b.ok());
  // Relative data paths are read from where the runs were made.
  const fs::path cwd = fs::current_path();
  fs::current_path(dir);
  auto c = Compare(*a, *b, {});
  fs::current_path(cwd);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->causes, (std::vector<std::string>{"contract terms", "data"}));
  ASSERT_EQ(c->terms.size(), 1u);
  EXPECT_EQ(c->terms[0].key, "payment[1].sharing_rate");
  EXPECT_EQ(c->terms[0].a, "0.5");
  EXPECT_EQ(c->terms[0].b, "0.6");
  EXPECT_EQ(c->data.size(), 2u);  // eligibility and medical claims
  EXPECT_TRUE(c->reference.empty());
  // Spending 24,000.00 → 23,300.00: A changed by −1,000.00 (a1 withdrawn) − 500.00 (a2 line 2
  // restated) = −1,500.00; E entered with 800.00; −1,500 + 800 = −700.00.
  const MemberAttribution& m = c->members;
  ASSERT_TRUE(m.available) << m.note;
  EXPECT_EQ(m.expenditure_a, M("24000.00"));
  EXPECT_EQ(m.expenditure_b, M("23300.00"));
  EXPECT_EQ(m.changed, M("-1500.00"));
  EXPECT_EQ(m.entered, M("800.00"));
  EXPECT_EQ(m.left, M("0.00"));
  EXPECT_TRUE(m.explains_every_cent);
  ASSERT_EQ(m.members.size(), 2u);
  EXPECT_EQ(m.members[0].person, "A");
  EXPECT_EQ(m.members[1].status, "entered");
  const LineAttribution& l = c->lines;
  ASSERT_TRUE(l.available) << l.note;
  EXPECT_EQ(l.added, 1);
  EXPECT_EQ(l.removed, 1);
  EXPECT_EQ(l.restated, 1);
  EXPECT_EQ(l.net, M("-700.00"));
  ASSERT_EQ(l.lines.size(), 3u);
  EXPECT_EQ(l.lines[0].claim_id, "a1");
  EXPECT_EQ(l.lines[0].status, "removed");
  EXPECT_EQ(l.lines[1].status, "restated");
  EXPECT_EQ(l.lines[1].fields, (std::vector<std::string>{"paid_amount"}));
  EXPECT_EQ(l.lines[1].amount_b - l.lines[1].amount_a, M("-500.00"));
  EXPECT_EQ(l.lines[2].person, "E");
  // The net moves from 540.00 to 3,600.00: the benchmark grows with E's 12 member-months, and
  // the 10% savings cap then binds.
  bool net_found = false;
  for (const auto& f : c->figures) {
    if (f.id == "net_payer_to_provider") {
      net_found = true;
      EXPECT_EQ(f.a, "540.00");
      EXPECT_EQ(f.b, "3600.00");
      EXPECT_EQ(f.delta, "3060.00");
    }
  }
  EXPECT_TRUE(net_found);
  // The shared files count members and lines, never name them.
  const std::string shared = ComparisonJson(*c, false).dump();
  EXPECT_EQ(shared.find("person_id"), std::string::npos);
  EXPECT_NE(ComparisonJson(*c, true).dump().find("\"person_id\":\"E\""), std::string::npos);
  // A --data-a that is not there: the figures are compared, and the terminal says the claim
  // lines and members were not (compare.md says it too), instead of leaving it to the file.
  const std::string log = Vp("compare '#1' '#2' --data-a gone --out cmp " + store, dir);
  EXPECT_NE(log.find("warning: claim lines not compared: "), std::string::npos) << log;
  EXPECT_NE(log.find("gone"), std::string::npos) << log;
  EXPECT_EQ(Vp("compare '#1' '#2' --out cmp2 " + store, dir).find("not compared"),
            std::string::npos);
}

TEST(TrueUp, WritesTheAdjustmentAsAStatementAndRecordsIt) {
  const std::string dir = Prepare("true_up_small");
  const std::string store = "--store " + dir + "/runs.sqlite";
  Vp("settle contract.toml --data a --out out-a " + store, dir);
  Vp("settle contract.toml --data b --out out-b " + store, dir);
  Vp("true-up '#1' '#2' --out tu " + store, dir);
  const auto s = nlohmann::json::parse(*ReadWholeFile(dir + "/tu/summary.json"));
  EXPECT_EQ(s["net_payer_to_provider"], "3060.00");  // 3,600.00 − 540.00
  EXPECT_EQ(s["who_owes_whom"], "the payer owes the provider 3060.00 more");
  EXPECT_EQ(s["layers"][0]["original"], "540.00");
  EXPECT_EQ(s["layers"][0]["restated"], "3600.00");
  const std::string md = *ReadWholeFile(dir + "/tu/statement.md");
  EXPECT_NE(md.find("**Adjustment: the payer owes the provider 3060.00 more**"), std::string::npos);
  EXPECT_EQ(md.find("| E |"), std::string::npos);  // no member listed in the statement
  EXPECT_TRUE(fs::exists(dir + "/tu/restricted/compare.md"));
  auto t = Trace::Parse(*ReadWholeFile(dir + "/tu/trace.json"));
  ASSERT_TRUE(t.ok());
  ASSERT_NE(t->Find("trueup.adjustment"), nullptr);
  EXPECT_EQ(t->Find("trueup.adjustment")->value, "3060.00");
  auto rec = Get(dir + "/runs.sqlite", "#3");
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->command, "true-up");
  // A true-up of runs of different contracts is refused.
  std::string log;
  EXPECT_NE(testing::RunCommand(fmt::format("cd {} && {} true-up '#1' '#3' --out x {}", dir,
                                            testing::CliPath(), store),
                                &log),
            0);
  EXPECT_NE(log.find("true-up takes two settle runs"), std::string::npos) << log;
}

// On the Tuva demo data (../shared/data/tuva-claims-demo-100) settled by the ACO example: a
// restated copy with one line withdrawn, one restated and one added, all found, and the
// members' changes explain the change in spending to the cent.
TEST(Compare, RestatedTuvaDemoIsExplainedToTheCent) {
  if (testing::SharedDir().empty()) GTEST_SKIP() << "../shared is absent";
  const std::string dir = testing::TempDir("compare_tuva");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string demo = testing::SharedDir() + "/data/tuva-claims-demo-100";
  fs::copy(demo, dir + "/a", fs::copy_options::recursive);
  fs::copy(demo, dir + "/b", fs::copy_options::recursive);
  std::istringstream in(*ReadWholeFile(dir + "/a/medical_claim.csv"));
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> rows;
  while (std::getline(in, line)) rows.push_back(line);
  ASSERT_GT(rows.size(), 100u);
  // Row 10 withdrawn; row 20's paid amount + 123.45; row 30 copied as a new claim.
  auto fields = [](const std::string& r) {
    std::vector<std::string> v(1);
    for (char ch : r) {
      if (ch == ',') {
        v.emplace_back();
      } else {
        v.back().push_back(ch);
      }
    }
    return v;
  };
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i];
    return s;
  };
  const auto columns = fields(header);
  const auto paid_at = std::find(columns.begin(), columns.end(), "paid_amount");
  ASSERT_NE(paid_at, columns.end());
  const size_t paid = static_cast<size_t>(paid_at - columns.begin());
  auto restated = fields(rows[20]);
  restated[paid] = (ParseMoney(restated[paid])->value + M("123.45")).ToString();
  auto added = fields(rows[30]);
  added[0] = "restated-new-1";
  std::string b = header + "\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i == 10) continue;
    b += (i == 20 ? join(restated) : rows[i]) + "\n";
  }
  b += join(added) + "\n";
  std::ofstream(dir + "/b/medical_claim.csv", std::ios::trunc) << b;
  const std::string contract = testing::SourceDir() + "/examples/aco-shared-savings/contract.toml";
  const std::string store = "--store " + dir + "/runs.sqlite";
  Vp(fmt::format("settle {} --data a --out out-a {}", contract, store), dir);
  Vp(fmt::format("settle {} --data b --out out-b {}", contract, store), dir);
  auto ra = Get(dir + "/runs.sqlite", "#1");
  auto rb = Get(dir + "/runs.sqlite", "#2");
  ASSERT_TRUE(ra.ok() && rb.ok());
  CompareOptions o;
  o.data_a = dir + "/a";
  o.data_b = dir + "/b";
  auto c = Compare(*ra, *rb, o);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->causes, (std::vector<std::string>{"data"}));
  ASSERT_TRUE(c->lines.available) << c->lines.note;
  EXPECT_EQ(c->lines.added, 1);
  EXPECT_EQ(c->lines.removed, 1);
  EXPECT_EQ(c->lines.restated, 1);
  ASSERT_TRUE(c->members.available) << c->members.note;
  EXPECT_TRUE(c->members.explains_every_cent);
  EXPECT_EQ(c->members.entered - c->members.left + c->members.changed,
            c->members.expenditure_b - c->members.expenditure_a);
  // The same folders as dataset caches imported for the contract (which leaves pharmacy
  // claims out): read as imported, the same lines changed.
  Vp(fmt::format("import --data a --contract {} --out a.vpd", contract), dir);
  Vp(fmt::format("import --data b --contract {} --out b.vpd", contract), dir);
  o.data_a = dir + "/a.vpd";
  o.data_b = dir + "/b.vpd";
  auto cached = Compare(*ra, *rb, o);
  ASSERT_TRUE(cached.ok()) << cached.status().message();
  ASSERT_TRUE(cached->lines.available) << cached->lines.note;
  EXPECT_EQ(cached->lines.added, 1);
  EXPECT_EQ(cached->lines.removed, 1);
  EXPECT_EQ(cached->lines.restated, 1);
}

}  // namespace
}  // namespace valuepact::review
