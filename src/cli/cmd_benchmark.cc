// valuepact benchmark CONTRACT --input INPUTS.csv --out DIR: the MSSP historical and updated
// benchmark from the aggregate figures of a settlement report, every step a trace node.
#include <algorithm>
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "valuepact/benchmark/aggregate_benchmark.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/core/sha256.h"

namespace valuepact::cli {
namespace {

struct BenchmarkArgs {
  std::string contract, input, out;
};

// choice: the 2024 choice among adjustments applied (a benchmark_adjustment node per type);
// three_way: the update blends in the ACPT; growth_cap: 42 CFR 425.655 was computed.
nlohmann::ordered_json TypeJson(EnrollmentType t, const AggregateTypeBenchmark& r, bool choice,
                                bool three_way, bool growth_cap) {
  nlohmann::ordered_json j, trace;
  auto put = [&](const char* key, double v) {
    j[key] = v;
    trace[key] = AggregateFigureId(t, key);
  };
  put("weighted_per_capita", r.weighted_per_capita);
  put("regional_adjustment", r.regional_adjustment);
  j["benchmark_adjustment"] = r.benchmark_adjustment;
  trace["benchmark_adjustment"] =
      AggregateFigureId(t, choice ? "benchmark_adjustment" : "regional_adjustment");
  put("historical_per_capita", r.historical_per_capita);
  put("risk_ratio", r.risk_ratio);
  if (three_way) {
    put("two_way_update_factor", r.two_way_update_factor);
  }
  if (growth_cap) {
    put("regional_growth_factor", r.regional_growth_factor);
  }
  put("update_factor", r.update_factor);
  put("updated_per_capita", r.updated_per_capita);
  for (const char* what : {"trend_factor", "risk_restatement", "trended_per_capita"}) {
    const auto& values = std::string_view(what) == "trend_factor"       ? r.trend_factor
                         : std::string_view(what) == "risk_restatement" ? r.risk_restatement
                                                                        : r.trended_per_capita;
    for (BenchmarkYear y : {BenchmarkYear::kBY1, BenchmarkYear::kBY2, BenchmarkYear::kBY3}) {
      if (std::string_view(what) != "trended_per_capita" && y == BenchmarkYear::kBY3) {
        continue;
      }
      j[what][BenchmarkYearName(y)] = values[static_cast<size_t>(y)];
      trace[what][BenchmarkYearName(y)] =
          AggregateFigureId(t, fmt::format("{}.{}", BenchmarkYearName(y), what));
    }
  }
  j["trace"] = trace;
  return j;
}

std::string BenchmarkJson(const Contract& k, const std::string& inputs_name,
                          const std::string& inputs_bytes, const AggregateBenchmarkResult& r) {
  nlohmann::ordered_json j;
  j["contract"] = k.id;
  j["contract_sha256"] = Sha256Hex(k.bytes);
  j["inputs"] = inputs_name;
  j["inputs_sha256"] = Sha256Hex(inputs_bytes);
  j["performance_year"] = k.benchmark.performance_year;
  j["agreement_start"] = k.agreement_start ? nlohmann::ordered_json(k.agreement_start->ToString())
                                           : nlohmann::ordered_json();
  j["agreement_period"] = k.agreement_period;
  j["baseline_weights"] = k.benchmark.baseline_weights;
  j["regional_weight"] = r.regional_weight;
  const bool choice =
      r.regional_single_value || r.prior_savings_adjustment || r.health_equity_adjustment;
  nlohmann::ordered_json adj, adj_trace = nlohmann::ordered_json::object();
  adj["applied"] = r.adjustment_applied;
  for (auto [key, value, id] : {std::tuple{"regional_single_value", r.regional_single_value,
                                           "benchmark.regional_single_value"},
                                std::tuple{"prior_savings", r.prior_savings_adjustment,
                                           "benchmark.prior_savings_adjustment"},
                                std::tuple{"health_equity", r.health_equity_adjustment,
                                           "benchmark.health_equity_adjustment"}}) {
    if (value) {
      adj[key] = *value;
      adj_trace[key] = id;
    }
  }
  if (choice) {
    adj_trace["applied"] = "benchmark.adjustment";
  }
  adj["trace"] = adj_trace;
  j["adjustment"] = adj;
  j["acpt_weight"] = r.acpt_weight;
  const bool growth_cap = r.regional_growth_cap_computed;
  j["units"] = "per capita (per assigned person year), USD, unrounded";
  nlohmann::ordered_json types;
  for (EnrollmentType t : kEnrollmentTypes) {
    const auto& tr = r.types[static_cast<size_t>(t)];
    types[EnrollmentTypeName(t)] = tr.present
                                       ? TypeJson(t, tr, choice, r.acpt_weight > 0, growth_cap)
                                       : nlohmann::ordered_json();
  }
  j["enrollment_types"] = types;
  j["historical_benchmark"] = r.historical_benchmark;
  j["updated_benchmark"] = r.updated_benchmark;
  j["trace"] = {{"historical_benchmark", "benchmark.historical_benchmark"},
                {"updated_benchmark", "benchmark.updated_benchmark"}};
  j["notes"] = r.notes;
  return j.dump(2) + "\n";
}

void PrintSummary(const AggregateBenchmarkResult& r, const std::string& out) {
  std::printf("%-14s %14s %12s %10s %10s %14s\n", "type", "historical", "adjustment", "risk ratio",
              "update", "updated");
  for (EnrollmentType t : kEnrollmentTypes) {
    const auto& x = r.types[static_cast<size_t>(t)];
    if (!x.present) {
      continue;
    }
    std::printf("%-14s %14.2f %12.2f %10.6f %10.6f %14.2f\n", EnrollmentTypeName(t),
                x.historical_per_capita, x.benchmark_adjustment, x.risk_ratio, x.update_factor,
                x.updated_per_capita);
  }
  std::printf("adjustment applied: %s\n", r.adjustment_applied.c_str());
  std::printf("historical benchmark per capita %.2f; updated benchmark per capita %.2f\n",
              r.historical_benchmark, r.updated_benchmark);
  for (const auto& n : r.notes) {
    std::fprintf(stderr, "note: %s\n", n.c_str());
  }
  std::printf(
      "wrote %s/benchmark.json and trace.json; explain a figure with: valuepact explain %s "
      "benchmark.updated_benchmark\n",
      out.c_str(), out.c_str());
}

// Contract terms that describe figures the inputs CSV replaces: said, never silently dropped.
std::vector<std::string> UnusedTerms(const Contract& k) {
  const BenchmarkTerms& b = k.benchmark;
  std::vector<std::string> notes;
  auto any = [](const auto& per_type) {
    return std::any_of(per_type.begin(), per_type.end(),
                       [](const auto& v) { return v.has_value(); });
  };
  if (!b.baselines.empty()) {
    notes.emplace_back(
        "the contract's [[benchmark.baseline]] tables are not used: the benchmark years' figures "
        "come from the inputs CSV");
  }
  if (b.regional && (any(b.regional->pmpm) || any(b.regional->national_pmpm))) {
    notes.emplace_back(
        "[benchmark.regional] pmpm and national_pmpm are not used: the regional and national per "
        "capita figures come from the inputs CSV");
  }
  if (b.truncation.amount || b.truncation.percentile || any(b.annual_trend)) {
    notes.emplace_back(
        "[benchmark] truncation and annual_trend are not used: the CSV's per capita figures are "
        "already truncated, and the trend is CMS's blend");
  }
  if (any(b.risk.performance_mean_score) || any(b.risk.baseline_mean_score)) {
    notes.emplace_back(
        "[benchmark.risk_adjustment] mean scores are not used: the risk scores come from the "
        "inputs CSV");
  }
  return notes;
}

int RunBenchmark(const BenchmarkArgs& a) {
  ContractParseOptions po;
  po.benchmark_from_aggregates = true;
  auto k = LoadContract(a.contract, po);
  if (!k.ok()) {
    return Fail(k.status());
  }
  auto bytes = ReadWholeFile(a.input);
  if (!bytes.ok()) {
    return Fail(bytes.status());
  }
  auto in = AggregateBenchmarkInputs::Parse(*bytes, a.input);
  if (!in.ok()) {
    return Fail(in.status());
  }
  Trace trace;
  auto r = ComputeAggregateBenchmark(*k, *in, &trace);
  if (!r.ok()) {
    return Fail(r.status());
  }
  for (auto& n : UnusedTerms(*k)) {
    r->notes.push_back(std::move(n));
  }
  if (Status s = trace.CheckUnique(); !s.ok()) {
    return Fail(s);
  }
  auto w = FolderWriter::Begin(a.out);
  if (!w.ok()) {
    return Fail(w.status());
  }
  for (const auto& [name, text] :
       {std::pair<std::string, std::string>{"benchmark.json",
                                            BenchmarkJson(*k, a.input, *bytes, *r)},
        {"trace.json", trace.ToJson(TracePart::kAggregate).dump(2) + "\n"}}) {
    if (Status s = w->Write(name, text); !s.ok()) {
      return Fail(s);
    }
  }
  if (Status s = w->Commit(); !s.ok()) {
    return Fail(s);
  }
  PrintSummary(*r, a.out);
  return 0;
}

const RegisterCommand kBenchmark(
    {"benchmark", 25, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "benchmark",
           "Compute an MSSP historical and updated benchmark from the aggregate figures of a "
           "settlement report (per enrollment type), every step a trace node");
       cmd->footer(
           "INPUTS.csv has the columns enrollment_type,quantity,year,value (docs/benchmark.md).\n"
           "The contract gives [contract] agreement_start and agreement_period and [benchmark] "
           "method = \"historical\" terms; no [[benchmark.baseline]] tables are needed.\n"
           "Exit codes: 0 computed; 2 bad input (every problem listed with its line); 3 I/O "
           "error.");
       auto a = std::make_shared<BenchmarkArgs>();
       cmd->add_option("CONTRACT", a->contract, "contract TOML file")->required();
       cmd->add_option("--input", a->input, "CSV of the report's aggregate figures")->required();
       cmd->add_option("--out", a->out, "folder to write benchmark.json and trace.json to")
           ->required();
       cmd->callback([a] { SetExitCode(RunBenchmark(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
