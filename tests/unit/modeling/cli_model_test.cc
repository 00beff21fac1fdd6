// valuepact model …: the files each subcommand writes, and its errors (docs/modeling.md).
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_paths.h"

namespace valuepact {
namespace {

using testing::CliPath;
using testing::RunCommand;
using testing::SourceDir;

std::string Read(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

nlohmann::json Json(const std::string& path) { return nlohmann::json::parse(Read(path)); }

const std::string kAssumptions = "examples/palliative-cost-model/assumptions.toml";
const std::string kContract = "examples/palliative-case-rate/contract.toml";

std::string Cli(const std::string& args) {
  return "cd " + SourceDir() + " && " + CliPath() + " " + args;
}

TEST(CliModel, EverySubcommandHasHelp) {
  for (const char* sub : {"cost", "ramp", "roi", "simulate", "variants"}) {
    std::string out;
    EXPECT_EQ(RunCommand(Cli(std::string("model ") + sub + " --help"), &out), 0) << sub;
    EXPECT_NE(out.find("--out"), std::string::npos) << out;
  }
}

TEST(CliModel, CostRampAndRoiOnTheExample) {
  const std::string out = testing::TempDir("cli_model");
  std::string log;
  ASSERT_EQ(
      RunCommand(Cli("model cost " + kAssumptions + " --census 50 --out " + out + "/cost"), &log),
      0)
      << log;
  const auto cost = Json(out + "/cost/cost.json");
  EXPECT_EQ(cost["variable_per_member_month"], "287.50");
  EXPECT_EQ(cost["fixed_per_month"], "12000.00");
  EXPECT_EQ(cost["at_census"][0]["cost_per_member_month"], "527.50");

  ASSERT_EQ(RunCommand(Cli("model ramp " + kAssumptions + " --contract " + kContract + " --out " +
                           out + "/ramp"),
                       &log),
            0)
      << log;
  const auto be = Json(out + "/ramp/break_even.json");
  // Steady revenue per member-month: case rate 0.8 × 400 + 0.15 × 300 + 0.05 × 350 = 382.50,
  // assessment fee 300 × (0.6 + 0.2) ÷ (0.6 × 6) = 66.67, supplement 125 × 0.05 = 6.25, ACP
  // 100 × 0.6 ÷ 6 = 10.00: 465.42. Net fixed 12,000 − 25,000 × 0.5 ÷ 12 = 10,958.33;
  // ⌈10,958.33 ÷ (465.42 − 287.50)⌉ = ⌈61.59⌉ = 62.
  EXPECT_EQ(be["revenue_per_member_month"], "465.42");
  EXPECT_EQ(be["net_fixed_per_month"], "10958.33");
  EXPECT_EQ(be["census"], 62);
  const std::string csv = Read(out + "/ramp/ramp.csv");
  EXPECT_EQ(csv.rfind("month,referrals,assessed,census,member_months,revenue,cost,margin,"
                      "cumulative",
                      0),
            0u);
  // Month 1: 4 referrals, 2.4 enrolled, 3.2 assessed; revenue 382.50 × 2.4 + 300 × 3.2 +
  // 6.25 × 2.4 + 60 × 2.4 + 25,000 × 0.5 ÷ 12 = 918 + 960 + 15 + 144 + 1,041.67 = 3,078.67;
  // cost 287.50 × 2.4 + 12,000 + 10,000 = 22,690.00.
  EXPECT_NE(csv.find("\n1,4,3.2,2.4,2.4,3078.67,22690.00,-19611.33,-19611.33,2018-01,"),
            std::string::npos)
      << csv;

  ASSERT_EQ(
      RunCommand(Cli("model roi --savings 900000 --ramp " + out + "/ramp --out " + out + "/roi"),
                 &log),
      0)
      << log;
  const auto roi = Json(out + "/roi/roi.json");
  EXPECT_EQ(roi["payments"], be["total_revenue"]);
  EXPECT_EQ(roi["savings"], "900000.00");
}

TEST(CliModel, ErrorsAreClearAndExitTwo) {
  const std::string out = testing::TempDir("cli_model_errors");
  const std::string bad = out + "/bad.toml";
  std::ofstream(bad) << "[[discipline]]\nname = \"rn\"\nhourly_cost = 60\n[fixed]\nper_mnth = 3\n";
  std::string log;
  EXPECT_EQ(RunCommand(Cli("model cost " + bad + " --out " + out + "/x"), &log), 2);
  EXPECT_NE(log.find("bad.toml:5:12: fixed.per_mnth: unknown key (did you mean 'per_month'?)"),
            std::string::npos)
      << log;
  EXPECT_EQ(
      RunCommand(Cli("model cost " + kAssumptions + " --data /tmp --out " + out + "/y"), &log), 2);
  EXPECT_NE(log.find("--data needs --contract"), std::string::npos) << log;
  EXPECT_EQ(RunCommand(Cli("model roi --savings 10 --out " + out + "/z"), &log), 2);
  EXPECT_NE(log.find("give the payments"), std::string::npos) << log;
  EXPECT_EQ(RunCommand(Cli("model roi --savings 10 --payments 0 --out " + out + "/z"), &log), 2);
  EXPECT_NE(log.find("must be positive"), std::string::npos) << log;
}

TEST(CliModel, SimulateAndVariantsWriteTheirFiles) {
  const std::string out = testing::TempDir("cli_model_sim");
  std::string log;
  ASSERT_EQ(
      RunCommand(Cli("synth --members 300 --months 12 --seed 4 --out " + out + "/data"), &log), 0)
      << log;
  ASSERT_EQ(RunCommand(Cli("model simulate " + kContract + " --data " + out +
                           "/data --measures examples/palliative-case-rate/measures.csv --years "
                           "200 --seed 3 --threads 2 --out " +
                           out + "/sim"),
                       &log),
            0)
      << log;
  const auto sim = Json(out + "/sim/simulation.json");
  for (const char* key :
       {"mean", "p5", "p50", "p95", "probability_savings", "probability_losses", "without"}) {
    EXPECT_TRUE(sim.contains(key)) << key;
  }
  EXPECT_EQ(sim["years"], 200);
  EXPECT_NE(Read(out + "/sim/simulation.svg").find("<svg"), std::string::npos);
  ASSERT_EQ(RunCommand(Cli("model variants " + kContract + " --data " + out +
                           "/data --measures examples/palliative-case-rate/measures.csv "
                           "--variants examples/palliative-cost-model/variants.csv --assumptions " +
                           kAssumptions + " --years 100 --out " + out + "/var"),
                       &log),
            0)
      << log;
  const std::string csv = Read(out + "/var/variants.csv");
  EXPECT_NE(csv.find("\ntarget-480-sharing-60,target_pmpm=480.00; sharing_rate=0.60,"),
            std::string::npos)
      << csv;
  EXPECT_NE(Read(out + "/var/variants.md").find("variants.svg"), std::string::npos);

  // ROI from runs: savings from the metrics run's enrolled-vs-comparison paid PMPM, payments
  // from the settlement's program layers.
  const std::string measures = " --measures examples/palliative-case-rate/measures.csv";
  ASSERT_EQ(RunCommand(Cli("metrics " + kContract + " --data " + out + "/data" + measures +
                           " --out " + out + "/metrics"),
                       &log),
            0)
      << log;
  ASSERT_EQ(RunCommand(Cli("settle " + kContract + " --data " + out + "/data" + measures +
                           " --out " + out + "/settle"),
                       &log),
            0)
      << log;
  ASSERT_EQ(RunCommand(Cli("model roi --metrics " + out + "/metrics --settlement " + out +
                           "/settle --layer case-rate --layer assessment-fee --out " + out +
                           "/roi"),
                       &log),
            0)
      << log;
  const auto roi = Json(out + "/roi/roi.json");
  const auto monitoring = Json(out + "/metrics/monitoring.json");
  nlohmann::json pmpm;
  for (const auto& m : monitoring["comparison"]["measures"]) {
    if (m["metric"] == "pmpm_total") pmpm = m;
  }
  ASSERT_TRUE(pmpm.is_object());
  const double difference = pmpm["adjusted_difference"].is_number()
                                ? pmpm["adjusted_difference"].get<double>()
                                : pmpm["difference"].get<double>();
  const double savings = -difference * pmpm["enrolled"]["member_months"].get<double>();
  EXPECT_NEAR(std::stod(roi["savings"].get<std::string>()), savings, 0.006);
  const auto summary = Json(out + "/settle/summary.json");
  double payments = 0;
  for (const auto& l : summary["layers"]) {
    if (l["id"] == "case-rate" || l["id"] == "assessment-fee") {
      payments += std::stod(l["amount"].get<std::string>());
    }
  }
  EXPECT_NEAR(std::stod(roi["payments"].get<std::string>()), payments, 0.001);
  EXPECT_NEAR(roi["roi"].get<double>(), (savings - payments) / payments, 1e-6);
}

}  // namespace
}  // namespace valuepact
