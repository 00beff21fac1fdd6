// Tests of the golden-case runner itself: malformed case.toml texts and folders are rejected with
// the case and the problem named, output mismatches and trace closure violations are reported,
// and the deliberately wrong fixture in tests/golden_selftest/ fails with exactly its one wrong
// figure.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "golden_case.h"
#include "test_paths.h"

namespace valuepact::golden {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

std::vector<std::string> Problems(const std::string& text) {
  GoldenCase c;
  return ParseCase(text, "case.toml", &c);
}

void WriteFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

TEST(GoldenCaseFormat, ReadsEveryKey) {
  GoldenCase c;
  const auto problems = ParseCase(R"(command = "cohort"
contract = "other.toml"
data = "data"
args = ["--index-date", "2018-02-01"]
requires = ["shared"]
expect_exit = 1
expect_output = ["Eligible 2"]

[expect]
"cohort.eligible" = "2"
layer.savings.amount = "540.00"

[expect_summary]
"/data_requirements/passed" = false
"/population/members" = 3

[expect_json."funnel.json"]
"/total/eligible" = 2

[expect_files]
"cohort.csv" = "expected/cohort.csv"
)",
                                  "case.toml", &c);
  ASSERT_THAT(problems, IsEmpty());
  EXPECT_EQ(c.command, "cohort");
  EXPECT_EQ(c.contract, "other.toml");
  EXPECT_EQ(c.data, "data");
  EXPECT_THAT(c.args, ElementsAre("--index-date", "2018-02-01"));
  EXPECT_THAT(c.needs, ElementsAre("shared"));
  EXPECT_EQ(c.expect_exit, 1);
  EXPECT_THAT(c.expect_output, ElementsAre("Eligible 2"));
  // In file order; a dotted bare key reads back as the dotted figure id.
  ASSERT_EQ(c.expect.size(), 2u);
  EXPECT_EQ(c.expect[0], std::make_pair(std::string("cohort.eligible"), std::string("2")));
  EXPECT_EQ(c.expect[1],
            std::make_pair(std::string("layer.savings.amount"), std::string("540.00")));
  ASSERT_EQ(c.expect_json.size(), 2u);
  EXPECT_EQ(c.expect_json[0].file, "summary.json");
  EXPECT_EQ(c.expect_json[0].values[0].first, "/data_requirements/passed");
  EXPECT_EQ(c.expect_json[0].values[0].second, nlohmann::json(false));
  EXPECT_EQ(c.expect_json[0].values[1].second, nlohmann::json(3));
  EXPECT_EQ(c.expect_json[1].file, "funnel.json");
  EXPECT_THAT(c.expect_files, ElementsAre(std::make_pair(std::string("cohort.csv"),
                                                         std::string("expected/cohort.csv"))));
  EXPECT_FALSE(c.expect_error.has_value());
}

TEST(GoldenCaseFormat, DefaultsAndExpectedErrors) {
  GoldenCase c;
  ASSERT_THAT(ParseCase(R"(command = "validate"
[expect_error]
exit = 2
message = "unknown key 'sharing_rat'"
)",
                        "case.toml", &c),
              IsEmpty());
  EXPECT_EQ(c.contract, "contract.toml");
  EXPECT_EQ(c.data, "");
  EXPECT_EQ(c.expect_exit, 0);
  ASSERT_TRUE(c.expect_error.has_value());
  EXPECT_EQ(c.expect_error->exit, 2);
  EXPECT_EQ(c.expect_error->message, "unknown key 'sharing_rat'");
}

struct Malformed {
  const char* text;
  const char* problem;
};

TEST(GoldenCaseFormat, RejectsMalformedCases) {
  const Malformed cases[] = {
      {"", "command is missing"},
      {"[expect]\n\"net_payer_to_provider\" = \"1.00\"\n", "command is missing"},
      {"command = \"settle\"\n", "nothing is expected"},
      {"command = \"settle\"\nexpcet = 1\n[expect]\n\"a\" = \"1\"\n",
       "case.toml:2: unknown key 'expcet'"},
      {"command = \"settle\"\n[expect]\n", "[expect] is empty"},
      {"command = \"settle\"\n[expect_summary]\n", "[expect_summary] is empty"},
      {"command = \"settle\"\n[expect_files]\n", "[expect_files] is empty"},
      {"command = \"cohort\"\n[expect_json.\"funnel.json\"]\n",
       "[expect_json.\"funnel.json\"] is empty"},
      {"command = 42\n[expect]\n\"a\" = \"1\"\n", "command must be a non-empty string"},
      {"command = \"setle\"\n[expect]\n\"a\" = \"1\"\n", "command 'setle' is not one"},
      {"command = \"settle\"\n[expect]\n\"population.member_months\" = 28\n",
       "case.toml:3: [expect] population.member_months: write the value as a string"},
      {"command = \"settle\"\n[expect]\n\"layer.s.amount\" = \"1\"\nlayer.s.amount = \"2\"\n",
       "[expect] layer.s.amount is listed more than once"},
      {"command = \"settle\"\n[expect_summary]\n\"layers/0/amount\" = \"1.00\"\n",
       "keys are JSON pointers starting with '/'"},
      {"command = \"settle\"\n[expect_summary]\n\"/layers\" = [1, 2]\n",
       "the value must be a string, number or true/false"},
      {"command = \"settle\"\n[expect_files]\n\"cohort.csv\" = 1\n",
       "[expect_files] cohort.csv must be a non-empty string"},
      {"command = \"validate\"\n[expect_error]\nexit = 0\nmessage = \"x\"\n",
       "exit must be a non-zero exit code"},
      {"command = \"validate\"\n[expect_error]\nexit = 2\n", "needs message"},
      {"command = \"validate\"\n[expect_error]\nmessage = \"x\"\n", "needs exit"},
      {"command = \"validate\"\n[expect_error]\nexit = 2\nmessage = \"x\"\ncode = 3\n",
       "case.toml:5: [expect_error] unknown key 'code'"},
      {"command = \"settle\"\n[expect]\n\"a\" = \"1\"\n[expect_error]\nexit = 2\nmessage = "
       "\"x\"\n",
       "cannot be combined"},
      {"command = \"settle\"\nexpect_exit = 1\n[expect_error]\nexit = 2\nmessage = \"x\"\n",
       "cannot be combined"},
      {"command = \"settle\"\nexpect_exit = -1\n[expect]\n\"a\" = \"1\"\n",
       "expect_exit must be an exit code"},
      {"command = \"settle\"\nrequires = [\"sharde\"]\n[expect]\n\"a\" = \"1\"\n",
       "unknown requirement 'sharde'"},
      {"command = \"settle\"\nrequires = \"shared\"\n[expect]\n\"a\" = \"1\"\n",
       "requires must be a list of strings"},
      {"command = \"settle\"\nargs = [\"--threads\", 2]\n[expect]\n\"a\" = \"1\"\n",
       "args: every element must be a string"},
      {"command = \"settle\"\ndata = \"\"\n[expect]\n\"a\" = \"1\"\n",
       "data must be a non-empty string"},
      {"command = \"check\"\n[expect]\n\"a\" = \"1\"\n", "'check' writes no output files"},
      {"command = \"check\"\nexpect_output = []\n", "expect_output is empty"},
      {"command = \"settle\n", "case.toml:1: not valid TOML"},
  };
  for (const auto& m : cases) {
    EXPECT_THAT(Problems(m.text), Contains(HasSubstr(m.problem))) << "case text:\n" << m.text;
  }
}

TEST(GoldenCaseFormat, FolderProblemsNameTheCase) {
  const fs::path dir = testing::TempDir("cases");
  GoldenCase c;
  fs::create_directories(dir / "no_toml");
  EXPECT_THAT(LoadCase(dir / "no_toml", "tests/cases/no_toml", &c),
              ElementsAre(StartsWith("tests/cases/no_toml: no case.toml")));

  WriteFile(dir / "bare" / "case.toml",
            "command = \"cohort\"\ndata = \"data\"\n[expect_files]\n\"cohort.csv\" = "
            "\"expected/cohort.csv\"\n");
  WriteFile(dir / "bare" / "case.json", "{}");
  EXPECT_THAT(
      LoadCase(dir / "bare", "tests/cases/bare", &c),
      AllOf(Contains("tests/cases/bare: no README.md deriving the expected figures by hand"),
            Contains("tests/cases/bare: case.json is the old format; case.toml replaces it"),
            Contains("tests/cases/bare: contract 'contract.toml' does not exist"),
            Contains("tests/cases/bare: data folder 'data' does not exist"),
            Contains("tests/cases/bare: [expect_files] cohort.csv: expected file "
                     "'expected/cohort.csv' does not exist")));

  WriteFile(dir / "bad" / "case.toml", "command = \"settle\"\nexpcet = 1\n");
  EXPECT_THAT(LoadCase(dir / "bad", "tests/cases/bad", &c),
              Contains(StartsWith("tests/cases/bad/case.toml:2: unknown key 'expcet'")));

  // Folders starting with '_' hold shared data; files are not cases.
  fs::create_directories(dir / "_data");
  WriteFile(dir / "notes.txt", "");
  EXPECT_THAT(CaseDirectories(dir), ElementsAre("bad", "bare", "no_toml"));
}

nlohmann::json Node(const std::string& id, const std::string& value,
                    std::vector<std::string> inputs, const std::string& source) {
  return {{"id", id}, {"value", value}, {"inputs", inputs}, {"source", source}};
}

TEST(GoldenCaseTrace, ClosureHoldsForAConsistentRun) {
  const nlohmann::json trace = {
      {"nodes",
       {Node("benchmark.total", "100.00", {}, "contract"),
        Node("layer.s.amount", "10.00", {"benchmark.total"}, "[[payment]] id = \"s\""),
        Node("net_payer_to_provider", "10.00", {"layer.s.amount"}, "")}}};
  const nlohmann::json summary = {
      {"layers", {{{"id", "s"}, {"amount", "10.00"}, {"trace_id", "layer.s.amount"}}}},
      {"net_payer_to_provider", "10.00"}};
  EXPECT_THAT(CheckTrace(trace, &summary), IsEmpty());
  EXPECT_THAT(CheckTrace(trace, nullptr), IsEmpty());
}

TEST(GoldenCaseTrace, ReportsEveryClosureViolation) {
  const nlohmann::json trace = {
      {"nodes",
       {Node("benchmark.total", "100.00", {}, ""),
        Node("layer.s.amount", "10.00", {"benchmark.total", "layer.s.savings"}, "x"),
        Node("layer.s.amount", "10.00", {}, "x")}}};
  const nlohmann::json summary = {
      {"layers",
       {{{"id", "s"}, {"amount", "12.00"}, {"trace_id", "layer.s.amount"}},
        {{"id", "t"}, {"amount", "1.00"}, {"trace_id", "layer.t.amount"}}}},
      {"net_payer_to_provider", "13.00"}};
  EXPECT_THAT(
      CheckTrace(trace, &summary),
      ElementsAre(
          "trace.json: id 'layer.s.amount' appears more than once",
          "trace.json: leaf node 'benchmark.total' has no source",
          "trace.json: node 'layer.s.amount' has input \"layer.s.savings\" which is no node",
          "summary.json /layers/0: amount \"12.00\", but trace node 'layer.s.amount' holds "
          "\"10.00\"",
          "summary.json /layers/1: trace_id 'layer.t.amount' is no node in trace.json",
          "trace.json: no node 'net_payer_to_provider'"));
  EXPECT_THAT(CheckTrace(nlohmann::json::object(), nullptr),
              ElementsAre("trace.json: no \"nodes\" list"));
}

class GoldenCaseCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("check");
    WriteFile(out() / "trace.json",
              nlohmann::json{{"nodes",
                              {Node("benchmark.total", "100.00", {}, "contract"),
                               Node("net_payer_to_provider", "10.00", {"benchmark.total"}, "")}}}
                  .dump());
    WriteFile(out() / "summary.json",
              R"({"layers": [], "net_payer_to_provider": "10.00", "passed": false})");
    WriteFile(out() / "members.csv", "person_id,extra,amount\nA,x,\"1,000.00\"\nB,y,2.00\n");
  }
  fs::path out() const { return fs::path(dir_) / "out"; }
  std::vector<std::string> Check(const std::string& toml, int exit_code = 0,
                                 const std::string& output = "") {
    GoldenCase c;
    const auto problems = ParseCase(toml, "case.toml", &c);
    EXPECT_THAT(problems, IsEmpty());
    return CheckRun(c, dir_, out(), exit_code, output);
  }
  std::string dir_;
};

TEST_F(GoldenCaseCheck, MatchingOutputsGiveNoMismatch) {
  WriteFile(fs::path(dir_) / "expected.csv", "person_id,amount\nA,\"1,000.00\"\nB,2.00\n");
  EXPECT_THAT(Check(R"(command = "settle"
expect_output = ["pays"]
[expect]
"benchmark.total" = "100.00"
[expect_summary]
"/passed" = false
[expect_files]
"members.csv" = "expected.csv"
)",
                    0, "Plan pays Group $10.00"),
              IsEmpty());
}

TEST_F(GoldenCaseCheck, ReportsEachWrongFigure) {
  WriteFile(fs::path(dir_) / "expected.csv", "person_id,amount\nA,\"1,000.00\"\nB,3.00\nC,1\n");
  WriteFile(fs::path(dir_) / "other.csv", "person_id,missing\n");
  EXPECT_THAT(Check(R"(command = "settle"
expect_output = ["refunds"]
[expect]
"benchmark.total" = "100.01"
"benchmark.pmpm" = "1.00"
[expect_summary]
"/passed" = true
"/layers/0/amount" = "1.00"
[expect_json."funnel.json"]
"/total/eligible" = 2
[expect_files]
"members.csv" = "expected.csv"
"rejects.csv" = "other.csv"
)",
                    0, "Plan pays Group $10.00"),
              ElementsAre(HasSubstr("the output does not contain \"refunds\""),
                          "benchmark.total: expected \"100.01\", trace.json has \"100.00\"",
                          "trace.json has no node 'benchmark.pmpm' (expected \"1.00\")",
                          "summary.json /passed: expected true, got false",
                          "summary.json has no /layers/0/amount (expected \"1.00\")",
                          "funnel.json: the run wrote no such file",
                          "members.csv: expected 3 rows, the run wrote 2",
                          "members.csv row 2: expected B,3.00, got B,2.00",
                          "members.csv row 3: expected C,1, got no row",
                          "rejects.csv: the run wrote no such file"));
  EXPECT_THAT(Check("command = \"settle\"\n[expect_files]\n\"members.csv\" = \"other.csv\"\n"),
              ElementsAre("members.csv: no column 'missing' (the run wrote: "
                          "person_id,extra,amount)"));
}

TEST_F(GoldenCaseCheck, ExitCodesAndExpectedErrors) {
  const std::string figures = "command = \"settle\"\n[expect]\n\"benchmark.total\" = \"100.00\"\n";
  EXPECT_THAT(Check(figures, 2, "boom\n"),
              ElementsAre(AllOf(StartsWith("exit code: expected 0, got 2"), HasSubstr("boom"))));
  EXPECT_THAT(Check("expect_exit = 1\n" + figures, 1), IsEmpty());
  const std::string error =
      "command = \"validate\"\n[expect_error]\nexit = 2\nmessage = \"unknown key\"\n";
  EXPECT_THAT(Check(error, 2, "c.toml:3:1: unknown key 'x'"), IsEmpty());
  EXPECT_THAT(Check(error, 0, "valid"), ElementsAre(StartsWith("exit code: expected 2, got 0")));
  EXPECT_THAT(Check(error, 2, "c.toml: bad value"),
              ElementsAre(StartsWith("the output does not contain \"unknown key\"")));
}

// The fixture that must fail: if the runner could not fail, every golden case would pass
// whatever the engine computed.
TEST(GoldenSelfTest, WrongFigureIsReported) {
  const fs::path dir =
      fs::path(testing::SourceDir()) / "tests" / "golden_selftest" / "wrong_figure";
  GoldenCase c;
  ASSERT_THAT(LoadCase(dir, "tests/golden_selftest/wrong_figure", &c), IsEmpty());
  EXPECT_THAT(RunCase(c, dir, testing::TempDir("wrong_figure")),
              ElementsAre("layer.savings.amount: expected \"600.00\", trace.json has \"540.00\""));
}

}  // namespace
}  // namespace valuepact::golden
