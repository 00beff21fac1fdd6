// valuepact runs
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "valuepact/store/run_store.h"

namespace valuepact::cli {
namespace {

struct RunsArgs {
  std::string store = "runs.sqlite";
  std::string contract;
  std::string show;
};

int RunRuns(const RunsArgs& a) {
  if (!a.show.empty()) {
    auto s = GetRunSummary(a.store, a.show);
    if (!s.ok()) return Fail(s.status());
    std::printf("%s\n", s->dump(2).c_str());
    return 0;
  }
  auto runs = ListRuns(a.store, a.contract);
  if (!runs.ok()) return Fail(runs.status());
  std::printf("%-16s  %-28s  %-23s  %16s  %-20s  %s\n", "run", "contract", "period", "net",
              "recorded (UTC)", "folder");
  for (const auto& r : *runs) {
    std::printf("%-16s  %-28s  %s..%s  %16s  %-20s  %s\n", r.run_id.substr(0, 16).c_str(),
                r.contract_id.c_str(), r.period_start.c_str(), r.period_end.c_str(),
                r.net_payer_to_provider.c_str(), r.recorded_at.c_str(), r.out_dir.c_str());
  }
  return 0;
}

const RegisterCommand kRuns(
    {"runs", 35, [](CLI::App& app) {
       auto* cmd = app.add_subcommand("runs",
                                      "List the settle runs recorded in a run store, or show "
                                      "one run's summary");
       auto a = std::make_shared<RunsArgs>();
       cmd->add_option("--store", a->store, "SQLite run store (default: runs.sqlite)");
       cmd->add_option("--contract", a->contract, "only runs of this contract id");
       cmd->add_option("--show", a->show,
                       "print the summary.json of this run (id or unique prefix)");
       cmd->callback([a] { SetExitCode(RunRuns(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
