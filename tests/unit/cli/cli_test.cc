// End-to-end behaviour of the valuepact command: exit codes, messages, determinism, explain.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "valuepact/core/file_io.h"

namespace valuepact {
namespace {

namespace fs = std::filesystem;
using testing::CliPath;
using testing::RunCommand;
using testing::SharedDir;
using testing::SourceDir;
using testing::TempDir;

std::string Example() { return SourceDir() + "/examples/aco-shared-savings/contract.toml"; }

void Write(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << s;
}

TEST(Cli, EveryCommandHasHelp) {
  std::string out;
  ASSERT_EQ(RunCommand(CliPath() + " --help", &out), 0);
  for (const char* cmd : {"validate", "settle", "explain", "synth", "benchmark", "keys"}) {
    EXPECT_NE(out.find(cmd), std::string::npos) << cmd;
    std::string sub;
    EXPECT_EQ(RunCommand(CliPath() + " " + cmd + " --help", &sub), 0) << cmd;
    EXPECT_NE(sub.find("Usage"), std::string::npos) << sub;
  }
}

// A command that can share its work among processes, started by mpirun (or srun) as one of
// several processes without --distributed, says that each runs it whole; started alone, or
// with a size of 1, it says nothing.
TEST(Cli, StartedAsOneOfSeveralProcessesWithoutDistributedItWarns) {
  VP_REQUIRE_SHARED();
  const fs::path dir = TempDir("cli_mpirun_warning");
  std::string out;
  ASSERT_EQ(RunCommand(fmt::format("{} synth --members 30 --months 12 --no-program --out '{}/data'",
                                   CliPath(), dir.string())),
            0);
  const auto risk = [&](const std::string& env, const char* name) {
    return RunCommand(fmt::format("env {} {} risk --data '{}/data' --payment-year 2019 --refdata "
                                  "'{}/refdata' --out '{}/{}'",
                                  env, CliPath(), dir.string(), SharedDir(), dir.string(), name),
                      &out);
  };
  const std::string warning = "started as one of 3 processes (mpirun) without --distributed";
  EXPECT_EQ(risk("OMPI_COMM_WORLD_SIZE=3", "a"), 0) << out;
  EXPECT_NE(out.find(warning), std::string::npos) << out;
  EXPECT_EQ(risk("PMI_SIZE=3", "b"), 0) << out;
  EXPECT_NE(out.find(warning), std::string::npos) << out;
  EXPECT_EQ(risk("OMPI_COMM_WORLD_SIZE=1", "c"), 0) << out;
  EXPECT_EQ(out.find("without --distributed"), std::string::npos) << out;
}

// A dataset cache whose folders are gone is used as written: the terminal says so at once,
// not only the run's notes; with its folders there (checked against them), it says nothing.
TEST(Cli, ACacheUsedWithoutItsFoldersSaysSoOnTheTerminal) {
  const fs::path dir = TempDir("cli_cache_as_written");
  std::string out;
  ASSERT_EQ(RunCommand(fmt::format("{} synth --members 20 --months 12 --no-program --out '{}/data'",
                                   CliPath(), dir.string())),
            0);
  ASSERT_EQ(RunCommand(fmt::format("{} import --data '{}/data' --out '{}/data.vpd'", CliPath(),
                                   dir.string(), dir.string()),
                       &out),
            0)
      << out;
  const auto quality = [&](const char* name) {
    return RunCommand(fmt::format("{} quality --data '{}/data.vpd' --out '{}/{}'", CliPath(),
                                  dir.string(), dir.string(), name),
                      &out);
  };
  const std::string note =
      "note: " + (dir / "data.vpd").string() + ": the folders it was imported from";
  EXPECT_EQ(quality("checked"), 0) << out;
  EXPECT_EQ(out.find("used as written"), std::string::npos) << out;
  fs::rename(dir / "data", dir / "elsewhere");
  EXPECT_EQ(quality("as-written"), 0) << out;
  EXPECT_NE(out.find(note), std::string::npos) << out;
  EXPECT_NE(out.find("the cache is used as written"), std::string::npos) << out;
}

TEST(Cli, ValidateAcceptsTheExampleContract) {
  std::string out;
  EXPECT_EQ(RunCommand(CliPath() + " validate " + Example(), &out), 0) << out;
  EXPECT_NE(out.find("demo-aco-2018"), std::string::npos);
}

TEST(Cli, ValidateReportsLineColumnAndKey) {
  const fs::path dir = TempDir("bad");
  Write(dir / "c.toml",
        "[contract]\nid = \"x\"\nperiod = { start = 2018-01-01, end = 2018-12-31 }\n"
        "basis = \"payed\"\n[benchmark]\nmethod = \"target_pmpm\"\ntarget_pmpm = 10\n"
        "[[payment]]\nid = \"s\"\nkind = \"shared_savings\"\nsharing_rate = 1.5\n"
        "minimum_saving_rate = 0.02\n");
  std::string out;
  EXPECT_EQ(RunCommand(CliPath() + " validate " + (dir / "c.toml").string(), &out), 2);
  EXPECT_NE(out.find("c.toml:4:9: contract.basis: 'payed' is not one of paid | allowed (did you "
                     "mean 'paid'?)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("c.toml:11:16: payment[1].sharing_rate: 1.5 is out of range"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("minimum_saving_rate: unknown key (did you mean 'minimum_savings_rate'?)"),
            std::string::npos)
      << out;
}

TEST(Cli, MissingRequiredColumnStopsWithExitCode2) {
  const fs::path dir = TempDir("data");
  Write(dir / "eligibility.csv",
        "person_id,enrollment_start_date,enrollment_end_date,payer\nA,2018-01-01,2018-12-31,"
        "medicare\n");
  Write(dir / "medical_claim.csv",
        "claim_id,person_id,claim_start_date,claim_end_date\nc,A,2018-01-01,2018-01-01\n");
  std::string out;
  EXPECT_EQ(RunCommand(CliPath() + " settle " + Example() + " --data " + dir.string() + " --out " +
                           (dir / "out").string(),
                       &out),
            2);
  EXPECT_NE(out.find("medical_claim.csv: missing required column 'paid_amount'"), std::string::npos)
      << out;
}

// --out naming the data folder (or a file) by mistake: refused with exit code 2, the data left
// as it was; --out naming the last run's results replaces them.
TEST(Cli, SettleNeverReplacesWhatIsNotItsOwnResults) {
  const fs::path dir = TempDir("out_is_data");
  ASSERT_EQ(RunCommand(fmt::format("{} synth --members 40 --seed 3 --no-program --out {}",
                                   CliPath(), (dir / "data").string())),
            0);
  const auto settle = [&](const fs::path& out, std::string* log) {
    return RunCommand(fmt::format("{} settle {} --data {} --no-store --out {}", CliPath(),
                                  Example(), (dir / "data").string(), out.string()),
                      log);
  };
  std::string out;
  EXPECT_EQ(settle(dir / "data", &out), 2) << out;
  EXPECT_NE(out.find("which is not one of the results a valuepact command wrote there"),
            std::string::npos)
      << out;
  EXPECT_TRUE(fs::exists(dir / "data" / "medical_claim.csv"));
  Write(dir / "notes.txt", "mine");
  EXPECT_EQ(settle(dir / "notes.txt", &out), 2) << out;
  EXPECT_EQ(*ReadWholeFile((dir / "notes.txt").string()), "mine");
  ASSERT_EQ(settle(dir / "run", &out), 0) << out;
  ASSERT_EQ(settle(dir / "run", &out), 0) << out;
}

TEST(Cli, SettleIsByteIdenticalAcrossThreadCounts) {
  VP_REQUIRE_SHARED();
  const std::string data = SharedDir() + "/data/tuva-claims-demo-100";
  const std::string a = TempDir("t1"), b = TempDir("t2");
  ASSERT_EQ(RunCommand(CliPath() + " settle " + Example() + " --data " + data + " --out " + a +
                       " --threads 1"),
            0);
  ASSERT_EQ(RunCommand(CliPath() + " settle " + Example() + " --data " + data + " --out " + b +
                       " --threads 2"),
            0);
  // Without huge pages (src/launcher/valuepact.cc): how memory arrives changes no figure.
  const std::string c = TempDir("t3");
  ASSERT_EQ(RunCommand("VALUEPACT_HUGE_PAGES=0 " + CliPath() + " settle " + Example() + " --data " +
                       data + " --out " + c + " --threads 2"),
            0);
  for (const char* f : {"summary.json", "trace.json", "restricted/members.csv", "statement.md"}) {
    EXPECT_EQ(*ReadWholeFile(a + "/" + f), *ReadWholeFile(b + "/" + f)) << f;
    EXPECT_EQ(*ReadWholeFile(a + "/" + f), *ReadWholeFile(c + "/" + f)) << f;
  }
}

// Runs `benchmark` on a contract and figures of examples/mssp-benchmark; the output folder, or
// "" when the command fails (its output in *text).
std::string RunBenchmarkExample(const std::string& contract, const std::string& figures,
                                const std::string& tag, std::string* text) {
  const std::string dir = SourceDir() + "/examples/mssp-benchmark";
  const std::string out = TempDir(tag) + "/out";
  const int rc = RunCommand(CliPath() + " benchmark " + dir + "/" + contract + " --input " + dir +
                                "/" + figures + " --out " + out,
                            text);
  return rc == 0 ? out : "";
}

// The bundled renewing ACO of 2024: the prior savings adjustment (0.5 × 0.96 × 255 = 122.40)
// beats the regional single value and is added to every type; the update is the three-way blend.
TEST(Cli, BenchmarkFrom2024ReportFigures) {
  std::string text;
  const std::string out =
      RunBenchmarkExample("renewing-2024.toml", "renewing-2024-figures.csv", "bench-2024", &text);
  ASSERT_FALSE(out.empty()) << text;
  EXPECT_NE(text.find("adjustment applied: prior_savings"), std::string::npos) << text;
  const auto j = nlohmann::json::parse(*ReadWholeFile(out + "/benchmark.json"));
  EXPECT_EQ(j["adjustment"]["applied"], "prior_savings");
  EXPECT_NEAR(j["adjustment"]["prior_savings"].get<double>(), 122.40, 1e-9);
  // The figure docs/benchmark.md quotes for this example.
  EXPECT_NEAR(j["adjustment"]["regional_single_value"].get<double>(), 42.68, 0.005);
  EXPECT_NEAR(j["updated_benchmark"].get<double>(), 14303.99, 0.005);
  EXPECT_NEAR(j["acpt_weight"].get<double>(), 1.0 / 3, 1e-15);
  double updated = 0;
  const std::map<std::string, double> py = {
      {"esrd", 0.021}, {"disabled", 0.115}, {"aged_dual", 0.094}, {"aged_non_dual", 0.77}};
  for (const auto& [t, p] : py) {
    const auto& x = j["enrollment_types"][t];
    EXPECT_NEAR(x["historical_per_capita"].get<double>(),
                x["weighted_per_capita"].get<double>() + 122.40, 1e-9)
        << t;
    // The ACPT of renewing-2024-figures.csv: 1.052 for ESRD, 1.058 for the others.
    const double acpt = t == "esrd" ? 1.052 : 1.058;
    EXPECT_NEAR(x["update_factor"].get<double>(),
                2.0 / 3 * x["two_way_update_factor"].get<double>() + acpt / 3, 1e-12)
        << t;
    updated += p * x["updated_per_capita"].get<double>();
  }
  EXPECT_NEAR(j["updated_benchmark"].get<double>(), updated, 1e-6);
  ASSERT_EQ(RunCommand(CliPath() + " explain " + out + " benchmark.adjustment", &text), 0) << text;
  EXPECT_NE(text.find("425.658"), std::string::npos) << text;
  EXPECT_NE(text.find("renewing-2024-figures.csv line"), std::string::npos) << text;
}

// `benchmark` on the bundled report figures: benchmark.json with every type's figures as JSON
// numbers and their trace ids, which `explain` follows down to the inputs' lines.
TEST(Cli, BenchmarkFromReportFigures) {
  const std::string dir = SourceDir() + "/examples/mssp-benchmark";
  std::string text;
  const std::string out =
      RunBenchmarkExample("contract.toml", "report-figures.csv", "bench", &text);
  ASSERT_FALSE(out.empty()) << text;
  EXPECT_NE(text.find("updated benchmark per capita"), std::string::npos) << text;
  const auto j = nlohmann::json::parse(*ReadWholeFile(out + "/benchmark.json"));
  for (const char* t : {"esrd", "disabled", "aged_dual", "aged_non_dual"}) {
    const auto& x = j["enrollment_types"][t];
    for (const char* f : {"historical_per_capita", "regional_adjustment", "risk_ratio",
                          "update_factor", "updated_per_capita"}) {
      ASSERT_TRUE(x[f].is_number()) << t << " " << f;
      ASSERT_TRUE(x["trace"][f].is_string()) << t << " " << f;
    }
  }
  ASSERT_TRUE(j["historical_benchmark"].is_number());
  ASSERT_TRUE(j["updated_benchmark"].is_number());
  // The figures docs/benchmark.md shows for this example.
  EXPECT_NEAR(j["historical_benchmark"].get<double>(), 13591.02, 0.005);
  EXPECT_NEAR(j["updated_benchmark"].get<double>(), 13942.71, 0.005);
  EXPECT_NEAR(j["enrollment_types"]["esrd"]["regional_adjustment"].get<double>(), -402.10, 0.005);
  // The risk ratio of aged/dual (0.987 → 1.046) is held at 1.03.
  EXPECT_DOUBLE_EQ(j["enrollment_types"]["aged_dual"]["risk_ratio"].get<double>(), 1.03);
  const std::string id = j["enrollment_types"]["aged_dual"]["trace"]["updated_per_capita"];
  ASSERT_EQ(RunCommand(CliPath() + " explain " + out + " " + id, &text), 0) << text;
  EXPECT_NE(text.find("report-figures.csv line"), std::string::npos) << text;
  EXPECT_NE(text.find("425.601(a)(8)"), std::string::npos) << text;
  // A bad row: exit 2 naming the file, line and field; nothing is written.
  const std::string bad = TempDir("bench-bad");
  Write(bad + "/in.csv", "enrollment_type,quantity,year,value\nesrd,risk_score,BY1,-1\n");
  ASSERT_EQ(RunCommand(CliPath() + " benchmark " + dir + "/contract.toml --input " + bad +
                           "/in.csv --out " + bad + "/out",
                       &text),
            2);
  EXPECT_NE(text.find("in.csv:2: value: '-1'"), std::string::npos) << text;
  EXPECT_FALSE(fs::exists(bad + "/out"));
}

// settle with [benchmark] cms_figures: a missing CMS figure or a file outside the contract's
// folder stops the run with the row or the path; the figures file is part of the run's inputs.
TEST(Cli, SettleWithCmsFiguresChecksTheFile) {
  const std::string src = SourceDir() + "/tests/cases/benchmark_cms_figures";
  const std::string data = SourceDir() + "/tests/cases/_data/bench_types";
  const fs::path dir = TempDir("cmsfig");
  const std::string contract = *ReadWholeFile(src + "/contract.toml");
  std::string figures = *ReadWholeFile(src + "/cms-figures.csv");
  Write(dir / "contract.toml", contract);
  Write(dir / "cms-figures.csv", figures);
  std::string out;
  ASSERT_EQ(RunCommand(CliPath() + " settle " + (dir / "contract.toml").string() + " --data " +
                           data + " --out " + (dir / "ok").string() + " --no-store",
                       &out),
            0)
      << out;
  const auto summary = nlohmann::json::parse(*ReadWholeFile((dir / "ok/summary.json").string()));
  EXPECT_NE(summary.dump().find("cms-figures.csv"), std::string::npos);
  const size_t at = figures.find("disabled,national_per_capita,BY3");
  figures.erase(at, figures.find('\n', at) - at + 1);
  Write(dir / "cms-figures.csv", figures);
  EXPECT_EQ(RunCommand(CliPath() + " settle " + (dir / "contract.toml").string() + " --data " +
                           data + " --out " + (dir / "missing").string() + " --no-store",
                       &out),
            2);
  EXPECT_NE(out.find("no row disabled,national_per_capita,BY3"), std::string::npos) << out;
  std::string outside = contract;
  outside.replace(outside.find("\"cms-figures.csv\""), 17, "\"../cms-figures.csv\"");
  Write(dir / "sub" / "contract.toml", outside);
  EXPECT_EQ(RunCommand(CliPath() + " settle " + (dir / "sub/contract.toml").string() + " --data " +
                           data + " --out " + (dir / "outside").string() + " --no-store",
                       &out),
            2);
  EXPECT_NE(out.find("[benchmark] cms_figures = \"../cms-figures.csv\" is outside"),
            std::string::npos)
      << out;
}

// Settles the data of tests/cases/benchmark_cms_figures with a changed contract and figures file,
// written to `dir`; the exit code (the output in *out, the run in dir/out).
int SettleCmsFiguresCase(const fs::path& dir, const std::string& contract,
                         const std::string& figures, std::string* out) {
  Write(dir / "contract.toml", contract);
  Write(dir / "cms-figures.csv", figures);
  return RunCommand(CliPath() + " settle " + (dir / "contract.toml").string() + " --data " +
                        SourceDir() + "/tests/cases/_data/bench_types --out " +
                        (dir / "out").string() + " --no-store",
                    out);
}

// With no risk scores in the figures file, each year's scores are computed once from the data
// for every enrollment type (scoring a year per type wrote its member nodes twice).
TEST(Cli, SettleWithCmsFiguresComputesRiskScoresOncePerYear) {
  VP_REQUIRE_SHARED();
  const std::string src = SourceDir() + "/tests/cases/benchmark_cms_figures";
  const fs::path dir = TempDir("cmsfig-risk");
  std::string contract = *ReadWholeFile(src + "/contract.toml");
  const std::string from = "cap = 0.03 }";
  contract.replace(contract.find(from), from.size(), "cap = 0.03, model = \"V28\" }");
  std::string figures;
  std::istringstream rows(*ReadWholeFile(src + "/cms-figures.csv"));
  for (std::string row; std::getline(rows, row);) {
    if (row.find(",risk_score,") == std::string::npos) figures += row + "\n";
  }
  std::string out;
  ASSERT_EQ(SettleCmsFiguresCase(dir, contract, figures, &out), 0) << out;
  for (const char* id :
       {"benchmark.esrd.risk_score.BY1", "benchmark.aged_non_dual.risk_score.PY"}) {
    ASSERT_EQ(RunCommand(CliPath() + " explain " + (dir / "out").string() + " " + id, &out), 0)
        << id;
    EXPECT_NE(out.find("mean CMS-HCC V28 score"), std::string::npos) << out;
  }
}

// `settle` with cms_figures for a renewing ACO from 2024: the figures of the whole ACO and the
// 2024 rows of the file reach the computation (prior savings, offset, ACPT, regional growth).
TEST(Cli, SettleWithCmsFiguresAppliesThe2024Rules) {
  VP_REQUIRE_SHARED();
  const std::string src = SourceDir() + "/tests/cases/benchmark_cms_figures";
  const fs::path dir = TempDir("cmsfig-2024");
  std::string contract = *ReadWholeFile(src + "/contract.toml");
  const std::string period = "basis = \"paid\"\n";
  contract.replace(contract.find(period), period.size(),
                   period + "agreement_start = 2024-01-01\nagreement_period = 2\n");
  std::string figures = *ReadWholeFile(src + "/cms-figures.csv");
  for (const char* t : {"esrd", "disabled", "aged_dual", "aged_non_dual"}) {
    figures += fmt::format(
        "{0},acpt_growth,PY,1.05\n{0},regional_risk_growth,PY,1\n"
        "{0},regional_demographic_risk_growth,PY,1\n",
        t);
  }
  figures +=
      "aco,dual_proportion,BY3,0.2\naco,prior_savings_per_capita,BY1,3000\n"
      "aco,prior_savings_per_capita,BY2,3000\naco,prior_savings_per_capita,BY3,3000\n"
      "aco,prior_savings_proration,BY,1\n";
  std::string out;
  ASSERT_EQ(SettleCmsFiguresCase(dir, contract, figures, &out), 0) << out;
  ASSERT_EQ(
      RunCommand(CliPath() + " explain " + (dir / "out").string() + " benchmark.adjustment", &out),
      0)
      << out;
  // 0.5 × 1 × 3000 = 1500 is above the regional single value, so it applies to every type.
  EXPECT_NE(out.find("the highest positive adjustment: prior_savings"), std::string::npos) << out;
  EXPECT_NE(out.find("cms-figures.csv line"), std::string::npos) << out;
  ASSERT_EQ(RunCommand(CliPath() + " explain " + (dir / "out").string() +
                           " benchmark.aged_dual.update_factor",
                       &out),
            0);
  EXPECT_NE(out.find("ACPT 1.05"), std::string::npos) << out;
}

// `metrics`: metrics.csv with both numerator and denominator, explain on a value, a bad --by
// naming the known attributes (exit 2), and --list without data.
TEST(Cli, MetricsWritesCsvAndExplains) {
  VP_REQUIRE_SHARED();
  const std::string out = TempDir("metrics") + "/out";
  std::string text;
  const std::string base = CliPath() + " metrics " + Example() + " --data " + SharedDir() +
                           "/data/tuva-claims-demo-100 --out " + out;
  ASSERT_EQ(RunCommand(base + " --by sex", &text), 0) << text;
  const std::string csv = *ReadWholeFile(out + "/metrics.csv");
  EXPECT_EQ(csv.rfind("metric,stratum,period,numerator,denominator,value\n", 0), 0u);
  EXPECT_NE(csv.find("\nacute_admissions_per_1000,all,total,"), std::string::npos);
  EXPECT_NE(csv.find(",sex=F,"), std::string::npos);
  EXPECT_TRUE(fs::exists(out + "/restricted/metric_events.csv"));
  ASSERT_EQ(
      RunCommand(CliPath() + " explain " + out + " metrics.ed_visits_per_1000.all.total", &text),
      0);
  EXPECT_NE(text.find("× 12,000 ÷"), std::string::npos) << text;
  EXPECT_EQ(RunCommand(base + "-bad --by shoe_size", &text), 2);
  EXPECT_NE(text.find("known: age_band"), std::string::npos) << text;
  ASSERT_EQ(RunCommand(CliPath() + " metrics --list", &text), 0);
  EXPECT_NE(text.find("readmission_rate_30d"), std::string::npos);
}

// `metrics` on data with bad rows: the run goes on, says how many rows were rejected, and lists
// each with its line and reason; they are not counted.
TEST(Cli, MetricsSaysWhichRowsWereRejected) {
  const fs::path dir = TempDir("metrics-bad");
  Write(dir / "data" / "eligibility.csv",
        "person_id,enrollment_start_date,enrollment_end_date,payer\n"
        "X,2018-01-01,2018-12-31,medicare\n");
  Write(dir / "data" / "medical_claim.csv",
        "claim_id,person_id,claim_start_date,claim_end_date,paid_amount\n"
        "c1,X,2018-13-01,2018-01-02,12\nc2,X,2018-02-01,2018-02-02,abc\n"
        "c3,X,2018-03-01,2018-03-01,50.00\n");
  std::string text;
  ASSERT_EQ(RunCommand(CliPath() + " metrics " + Example() + " --data " + (dir / "data").string() +
                           " --out " + (dir / "out").string(),
                       &text),
            0)
      << text;
  EXPECT_NE(text.find("2 input rows were rejected"), std::string::npos) << text;
  const std::string rejects = *ReadWholeFile((dir / "out" / "restricted" / "rejects.csv").string());
  EXPECT_NE(rejects.find("medical_claim.csv,2,claim_start_date"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("medical_claim.csv,3,paid_amount"), std::string::npos) << rejects;
  const std::string csv = *ReadWholeFile((dir / "out" / "metrics.csv").string());
  EXPECT_NE(csv.find("\npmpm_total,all,total,50.00,12,4.17\n"), std::string::npos) << csv;
}

TEST(Cli, ExplainReachesClaimTotals) {
  VP_REQUIRE_SHARED();
  const std::string out = TempDir("run");
  ASSERT_EQ(RunCommand(CliPath() + " settle " + Example() + " --data " + SharedDir() +
                       "/data/tuva-claims-demo-100 --out " + out),
            0);
  std::string text;
  ASSERT_EQ(RunCommand(CliPath() + " explain " + out + " net_payer_to_provider", &text), 0);
  // The tree goes from the net amount through the layers to spending by service category,
  // whose source is a query over claim lines.
  EXPECT_NE(text.find("[layer.savings.amount]"), std::string::npos) << text;
  EXPECT_NE(text.find("[expenditure.total]"), std::string::npos);
  EXPECT_NE(text.find("[expenditure.category.acute_inpatient]"), std::string::npos);
  EXPECT_NE(text.find("data: medical_claim lines"), std::string::npos);
  // Every figure id the statement shows has a trace node.
  const auto trace = nlohmann::json::parse(*ReadWholeFile(out + "/trace.json"));
  std::set<std::string> ids;
  for (const auto& n : trace["nodes"]) ids.insert(n["id"].get<std::string>());
  const std::string statement = *ReadWholeFile(out + "/statement.md");
  size_t shown = 0;
  std::istringstream lines(statement);
  for (std::string row; std::getline(lines, row);) {
    if (row.rfind("| ", 0) != 0 || row.find("---") != std::string::npos) continue;
    std::vector<std::string> cells;
    for (size_t p = 1; p < row.size();) {
      const size_t q = row.find(" |", p + 1);
      if (q == std::string::npos) break;
      cells.push_back(row.substr(p + 1, q - p - 1));
      p = q + 2;
    }
    if (cells.empty() || cells[0] == "Layer" || cells[0] == "Step" || cells[0] == "Figure" ||
        cells[0] == "Service category") {
      continue;  // header rows
    }
    // Every figure row names its trace node: the figure-id column, and for spending rows also
    // the PMPM id column.
    for (size_t c = 2; c < cells.size(); ++c) {
      const std::string& cell = cells[c];
      if (cell.find('.') == std::string::npos && cell != "net_payer_to_provider") continue;
      if (cell.find('$') != std::string::npos || cell.find(' ') != std::string::npos) continue;
      ++shown;
      EXPECT_TRUE(ids.count(cell)) << "statement shows figure '" << cell << "' with no trace node";
    }
    const bool has_id = std::any_of(cells.begin(), cells.end(),
                                    [&](const std::string& c) { return ids.count(c) > 0; });
    EXPECT_TRUE(has_id) << "statement row without a figure id: " << row;
  }
  EXPECT_GT(shown, 5u);
  std::string bad;
  EXPECT_EQ(RunCommand(CliPath() + " explain " + out + " net_payer_to_provder", &bad), 2);
  EXPECT_NE(bad.find("did you mean 'net_payer_to_provider'"), std::string::npos) << bad;
}

TEST(Cli, ExampleSettlementMatchesAnIndependentComputation) {
  VP_REQUIRE_SHARED();
  // Expected figures computed independently of the engine with a direct scan of the CSV files
  // (scripts/check_example.py) on ../shared/data/tuva-claims-demo-100: 820 member-months,
  // 94 members, in-scope paid 3,656,344.29, truncated at 100,000 per member 1,399,095.11,
  // 758 lines without enrollment totalling 307,199.69.
  const std::string out = TempDir("run");
  ASSERT_EQ(RunCommand(CliPath() + " settle " + Example() + " --data " + SharedDir() +
                       "/data/tuva-claims-demo-100 --out " + out),
            0);
  std::string py;
  ASSERT_EQ(RunCommand("python3 " + SourceDir() + "/scripts/check_example.py " + SharedDir() +
                           "/data/tuva-claims-demo-100 " + out + "/summary.json",
                       &py),
            0)
      << py;
}

}  // namespace
}  // namespace valuepact
