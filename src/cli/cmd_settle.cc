// valuepact validate | settle | explain
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <tbb/global_control.h>

#include "cli/command.h"
#include "cli/population_inputs.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/mapped_file.h"
#include "valuepact/core/suggest.h"
#include "valuepact/core/trace.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/settlement/aggregate.h"
#include "valuepact/settlement/examples_check.h"
#include "valuepact/settlement/run_output.h"
#include "valuepact/settlement/settlement.h"
#include "valuepact/store/run_store.h"

namespace valuepact::cli {
namespace {

struct SettleArgs {
  std::string contract;
  std::string data;
  std::string out;
  std::string refdata;
  std::string format = "auto";
  std::string program;                  // "" = the --data folder
  std::vector<std::string> value_sets;  // "" = valuesets/ beside the contract, then defaults
  std::string store;                    // "" = runs.sqlite beside the output folder
  bool no_store = false;
  bool ignore_examples = false;
  int threads = 0;
};

int RunValidate(const std::string& path) {
  auto k = LoadContract(path);
  if (!k.ok()) return Fail(k.status());
  // A preset-only contract has no [contract] period: name its performance year instead.
  const bool has_period = k->period.end.days() != 0 || k->period.start.days() != 0;
  const std::string when =
      has_period ? fmt::format("{} to {}", k->period.start.ToString(), k->period.end.ToString())
                 : fmt::format("performance year {}", k->performance_year);
  std::printf("%s: valid contract '%s' (%s, %zu payment layer%s)\n", path.c_str(), k->id.c_str(),
              when.c_str(), k->payments.size(), k->payments.size() == 1 ? "" : "s");
  return 0;
}

int RunSettle(const SettleArgs& a) {
  const auto threads = LimitThreads(a.threads);
  auto k = LoadContract(a.contract);
  if (!k.ok()) return Fail(k.status());
  // The contract's own worked examples must hold before it settles anything.
  std::vector<std::string> example_failures;
  if (!k->examples.empty()) {
    std::optional<MsrBandTable> bands;
    if (Status bs = LoadMsrBandsFor(a.refdata, &bands); !bs.ok()) return Fail(bs);
    SharedSavingsContext ctx;
    if (bands) ctx.msr_bands = &*bands;
    example_failures = DescribeFailures(*k, CheckExamples(*k, ctx), false);
    if (!example_failures.empty() && !a.ignore_examples) {
      for (const auto& f : example_failures) std::fprintf(stderr, "%s\n", f.c_str());
      return Fail(Status(StatusCode::kFailedCheck,
                         fmt::format("{}: {} worked-example figure{} disagree with the engine; "
                                     "not settling (see `valuepact check`, or pass "
                                     "--ignore-examples)",
                                     a.contract, example_failures.size(),
                                     example_failures.size() == 1 ? "" : "s")));
    }
  }
  // Claims in any supported format, program data (referrals.csv, enrollments.csv, visits.csv,
  // events.csv) when present, and the value sets that [definitions] refer to.
  PopulationInputs in;
  Status s = LoadPopulationInputs(a.contract, a.data, a.program, a.format, a.value_sets, &in,
                                  /*allow_draft=*/false);
  if (!s.ok()) return Fail(s);
  const Dataset& ds = in.dataset;
  const IngestReport& report = in.report;
  SettleOptions so;
  so.contract_dir = std::filesystem::path(a.contract).parent_path().string();
  so.refdata_dir = a.refdata;
  so.program = &in.program;
  so.value_sets = &in.value_sets;
  auto r = Settle(ds, *k, so);
  if (!r.ok()) return Fail(r.status());
  const std::string run_id = ComputeRunId(*k, ds, {});
  auto summary = BuildSummaryJson(run_id, *k, ds, report, *r);
  StatementExtras extras;
  auto quality = AssessDataQuality(ds, *k);
  if (!quality.ok()) return Fail(quality.status());
  ApplyDataQuality(*quality, &summary, &extras);
  if (!example_failures.empty()) {
    extras.warnings.push_back(
        "Settled with --ignore-examples: the contract's worked examples do not agree with the "
        "engine:");
    for (const auto& f : example_failures) extras.warnings.push_back(f);
  }
  s = WriteRunFolder(a.out, *k, ds, report, *r, summary, extras);
  if (!s.ok()) return Fail(s);
  std::string store_path;
  if (!a.no_store) {
    namespace fs = std::filesystem;
    store_path =
        a.store.empty()
            ? (fs::absolute(a.out).lexically_normal().parent_path() / "runs.sqlite").string()
            : a.store;
    s = RecordRun(store_path, summary, a.out);
    if (!s.ok()) return Fail(s);
  }
  std::printf("%s.\n", summary["who_owes_whom"].get<std::string>().c_str());
  for (const auto& l : r->layers) {
    std::printf("  %-28s %14s  (%s)\n", l.id.c_str(), l.amount.ToString().c_str(),
                l.branch.c_str());
  }
  std::printf("  %-28s %14s\n", "net payer to provider",
              r->net_payer_to_provider.ToString().c_str());
  std::printf(
      "%lld members, %lld member-months; %zu rejected rows; %lld claim lines without "
      "enrollment (%s)\n",
      static_cast<long long>(r->members), static_cast<long long>(r->member_months),
      report.rejects.size(), static_cast<long long>(r->without_enrollment.lines),
      r->without_enrollment.amount.ToString().c_str());
  std::printf(
      "Results: %s (statement.html, statement.md, summary.json, trace.json, members.csv, "
      "rejects.csv)\n",
      a.out.c_str());
  if (!store_path.empty())
    std::printf("Recorded run %s in %s\n", run_id.substr(0, 16).c_str(), store_path.c_str());
  return 0;
}

int RunExplain(const std::string& run_dir, const std::string& figure) {
  const std::string path = (std::filesystem::path(run_dir) / "trace.json").string();
  auto bytes = ReadWholeFile(path);
  if (!bytes.ok()) {
    return Fail(
        NotFound(fmt::format("{}: no trace.json (is this a settle output folder?)", run_dir)));
  }
  nlohmann::json j = nlohmann::json::parse(*bytes, nullptr, false);
  if (j.is_discarded()) return Fail(InvalidInput(fmt::format("{}: not valid JSON", path)));
  auto trace = Trace::FromJson(j);
  if (!trace.ok()) return Fail(trace.status());
  if (figure.empty()) {
    std::printf("Figures in %s (explain any of them by id):\n", run_dir.c_str());
    for (const auto& n : trace->nodes()) {
      std::printf("  %-50s %s %s\n", n.id.c_str(), n.value.c_str(), n.unit.c_str());
    }
    return 0;
  }
  if (trace->Find(figure) == nullptr) {
    std::vector<std::string> ids;
    for (const auto& n : trace->nodes()) ids.push_back(n.id);
    const std::string near = NearestName(figure, ids);
    return Fail(
        NotFound(fmt::format("no figure '{}' in {}{}", figure, path,
                             near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near))));
  }
  std::fputs(trace->Explain(figure).c_str(), stdout);
  return 0;
}

const RegisterCommand kValidate(
    {"validate", 10, [](CLI::App& app) {
       auto* cmd = app.add_subcommand("validate",
                                      "Check a contract file and report every error with "
                                      "line, column and key");
       auto path = std::make_shared<std::string>();
       cmd->add_option("CONTRACT", *path, "contract TOML file")->required();
       cmd->callback([path] { SetExitCode(RunValidate(*path)); });
     }});

const RegisterCommand kSettle(
    {"settle", 20, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "settle",
           "Settle a contract on claims data: population, spending, benchmark, every "
           "payment layer, with a trace of each figure");
       auto a = std::make_shared<SettleArgs>();
       cmd->add_option("CONTRACT", a->contract, "contract TOML file")->required();
       cmd->add_option("--data", a->data,
                       "data folder: Tuva-layout CSV (eligibility*.csv, medical_claim*.csv, "
                       "pharmacy_claim*.csv), CMS CCLF files, or FHIR bulk NDJSON")
           ->required();
       cmd->add_option("--program", a->program,
                       "folder with program data (referrals.csv, enrollments.csv, visits.csv, "
                       "events.csv); default: the --data folder");
       cmd->add_option("--value-sets", a->value_sets,
                       "folder of value-set CSV files for [definitions] (repeatable; default: "
                       "valuesets/ beside the contract, $VALUEPACT_VALUESETS, ./valuesets)");
       cmd->add_option("--format", a->format,
                       "tuva | cclf | fhir | auto (default: detect from the "
                       "file names)");
       cmd->add_option("--out", a->out, "folder to write the run's results to")->required();
       cmd->add_option("--store", a->store,
                       "SQLite run store to record the run in (default: runs.sqlite beside --out)");
       cmd->add_flag("--no-store", a->no_store, "do not record the run in a run store");
       cmd->add_flag("--ignore-examples", a->ignore_examples,
                     "settle even when the contract's [[example]] blocks disagree with the engine "
                     "(the statement then says so)");
       cmd->add_option("--threads", a->threads, "worker threads (default: all cores)")
           ->check(CLI::Range(1, 1024));
       cmd->add_option(
           "--refdata", a->refdata,
           "reference tables folder (default: $VALUEPACT_REFDATA, then ../shared/refdata)");
       cmd->callback([a] { SetExitCode(RunSettle(*a)); });
     }});

const RegisterCommand kExplain(
    {"explain", 30, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "explain",
           "Print how one figure of a run was derived, down to contract terms and claim "
           "totals (without FIGURE_ID: list the figures)");
       auto dir = std::make_shared<std::string>();
       auto fig = std::make_shared<std::string>();
       cmd->add_option("RUN_DIR", *dir, "output folder of a settle run")->required();
       cmd->add_option("FIGURE_ID", *fig, "figure id, e.g. net_payer_to_provider");
       cmd->callback([dir, fig] { SetExitCode(RunExplain(*dir, *fig)); });
     }});

}  // namespace
}  // namespace valuepact::cli
