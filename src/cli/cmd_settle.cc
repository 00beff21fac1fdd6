// valuepact validate | settle | explain
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <tbb/global_control.h>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/core/suggest.h"
#include "valuepact/core/trace.h"
#include "valuepact/report/run_output.h"
#include "valuepact/run/settle_run.h"
#include "valuepact/store/run_store.h"

namespace valuepact::cli {
namespace {

struct SettleArgs {
  run::SettleRequest request;
  std::string out;
  StoreFlags store;
  std::string share;  // "" = no share folder
  int threads = 0;
};

int RunValidate(const run::InputPaths& paths) {
  auto in = run::LoadContractInputs(paths);
  if (!in.ok()) return Fail(in.status());
  const Contract& k = (*in)->contract;
  // A preset-only contract has no [contract] period: name its performance year instead.
  const bool has_period = k.period.end.days() != 0 || k.period.start.days() != 0;
  const std::string when =
      has_period ? fmt::format("{} to {}", k.period.start.ToString(), k.period.end.ToString())
                 : fmt::format("performance year {}", k.performance_year);
  std::printf("%s: valid contract '%s' (%s, %zu payment layer%s)\n", paths.contract.c_str(),
              k.id.c_str(), when.c_str(), k.payments.size(), k.payments.size() == 1 ? "" : "s");
  return 0;
}

int RunSettle(const SettleArgs& a) {
  const auto threads = LimitThreads(a.threads);
  auto r = run::SettleRun(a.request);
  if (!r.ok()) return Fail(r.status());
  const SettlementResult& s = r->settlement;
  const run::RunInputs& in = *r->inputs;
  StatementExtras extras;
  const nlohmann::ordered_json summary = SettleSummary(*r, &extras);
  Status st = WriteSettleRun(a.out, *r, summary, extras);
  if (!st.ok()) return Fail(st);
  if (!a.share.empty()) {
    if (st = WriteShareFolder(a.share, *r, summary, extras); !st.ok()) return Fail(st);
  }
  auto recorded = RecordInStore(a.store, "settle", a.out);
  if (!recorded.ok()) return Fail(recorded.status());
  for (const auto& w : r->warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  std::printf("%s.\n", summary["who_owes_whom"].get<std::string>().c_str());
  for (const auto& l : s.layers) {
    std::printf("  %-28s %14s  (%s)\n", l.id.c_str(), l.amount.ToString().c_str(),
                l.branch.c_str());
  }
  std::printf("  %-28s %14s\n", "net payer to provider",
              s.net_payer_to_provider.ToString().c_str());
  std::printf(
      "%lld members, %lld member-months; %zu rejected rows; %lld claim lines outside the "
      "population's months (%s)\n",
      static_cast<long long>(s.members), static_cast<long long>(s.member_months),
      in.report.rejects.size(), static_cast<long long>(s.without_enrollment.lines),
      s.without_enrollment.amount.ToString().c_str());
  std::printf(
      "Results: %s (statement.html, statement.md, summary.json, trace.json; member-level files in "
      "restricted/: members.csv, rejects.csv, member_trace.json%s%s, what_if_base.json)\n",
      a.out.c_str(), r->attribution ? ", attribution.csv" : "",
      r->episodes ? ", episodes.csv" : "");
  if (!a.share.empty()) {
    std::printf("Shareable folder without member ids: %s\n", a.share.c_str());
  }
  std::printf("Read %zu input files; %s\n", in.dataset.sources.size() + in.files.size(),
              run::DescribeResolvedSources(in).c_str());
  if (r->line_ranks > 0) {
    std::printf(
        "Claim lines stayed on their %d ranks: each tallied its own part, and rank 0 added the "
        "tallies up (docs/scaling.md)\n",
        r->line_ranks);
  }
  if (!recorded->empty()) std::printf("%s\n", recorded->c_str());
  if (r->exit_code != 0) {
    std::fprintf(stderr,
                 "valuepact: the data did not pass the contract's checks; see the warnings at "
                 "the top of %s/statement.md (exit 1)\n",
                 a.out.c_str());
  }
  SetExitCode(r->exit_code);
  return r->exit_code;
}

Result<Trace> ReadTraceFile(const std::string& path) {
  auto bytes = ReadWholeFile(path);
  if (!bytes.ok()) return bytes.status();
  auto trace = Trace::Parse(*bytes);
  if (!trace.ok()) return InvalidInput(fmt::format("{}: {}", path, trace.status().message()));
  return trace;
}

int RunExplain(const std::string& run_dir, const std::string& figure) {
  // Only a complete folder is explained: its manifest lists every file, unchanged.
  if (Status m = CheckManifest(run_dir); !m.ok()) return Fail(m);
  const std::string path = (std::filesystem::path(run_dir) / "trace.json").string();
  if (!std::filesystem::exists(path)) {
    return Fail(
        NotFound(fmt::format("{}: no trace.json (is this a settle output folder?)", run_dir)));
  }
  auto trace = ReadTraceFile(path);
  if (!trace.ok()) return Fail(trace.status());
  // Member-level figures, when this user may read them (restricted/, the run owner's).
  const std::string members =
      (std::filesystem::path(run_dir) / kRestrictedDir / "member_trace.json").string();
  if (::access(members.c_str(), R_OK) == 0) {
    auto member_trace = ReadTraceFile(members);
    if (!member_trace.ok()) return Fail(member_trace.status());
    if (Status m = trace->Merge(std::move(*member_trace)); !m.ok()) return Fail(m);
  }
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
       auto paths = std::make_shared<run::InputPaths>();
       cmd->add_option("CONTRACT", paths->contract, "contract TOML file")->required();
       AddInputFlags(cmd, paths.get(), kValueSetFlag);
       cmd->callback([paths] { SetExitCode(RunValidate(*paths)); });
     }});

const RegisterCommand kSettle(
    {"settle", 20, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "settle",
           "Settle a contract on claims data: population, spending, benchmark, every "
           "payment layer, with a trace of each figure");
       cmd->footer(
           "Exit codes: 0 settled; 1 settled, but the data failed a [data_requirements] check "
           "or could not be trusted (spending-based layers withheld; see the statement's "
           "warnings); 2 bad input; 3 I/O or internal error.");
       auto a = std::make_shared<SettleArgs>();
       // The claims are read without diagnosis codes when the contract's terms use none.
       a->request.inputs.codes_as_contract_needs = true;
       // When the contract reads the claim lines only for spending, they stay on their ranks in
       // a distributed run on a folder of parts, and only the columns spending reads are read
       // from a dataset cache (docs/scaling.md).
       a->request.inputs.lines_apart = true;
       cmd->add_option("CONTRACT", a->request.inputs.contract, "contract TOML file")->required();
       AddInputFlags(cmd, &a->request.inputs,
                     kDataFlags | kValueSetFlag | kRefdataFlag | kMeasuresFlag | kDistributedFlag);
       cmd->add_option("--out", a->out, "folder to write the run's results to")->required();
       AddStoreFlags(cmd, &a->store);
       cmd->add_option("--share", a->share,
                       "also write a folder for the other party or a reviewer: statement, summary "
                       "and trace with no member ids (member-level figures left out)");
       cmd->add_flag("--ignore-examples", a->request.ignore_examples,
                     "settle even when the contract's [[example]] blocks disagree with the engine "
                     "(the statement then says so)");
       cmd->add_option("--threads", a->threads, "worker threads (default: all cores)")
           ->check(CLI::Range(1, 1024));
       cmd->callback([a] {
         SetExitCode(WithDistribution(a->request.inputs, [a] { return RunSettle(*a); }));
       });
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
