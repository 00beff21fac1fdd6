// valuepact runs: what the run store holds (docs/run-store.md).
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "valuepact/store/run_store.h"

namespace valuepact::cli {
namespace {

struct RunsArgs {
  std::string store;
  RunFilter filter;
  std::string show;
  std::string files;
  std::vector<std::string> get;  // RUN FILE
  bool json = false;
};

int ListRecords(RunStore& store, const RunsArgs& a) {
  auto runs = store.List(a.filter);
  if (!runs.ok()) return Fail(runs.status());
  if (a.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& r : *runs) {
      out.push_back(RunRecordJson(r));
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%-6s  %-16s  %-8s  %-26s  %-12s  %-21s  %14s  %-10s  %s\n", "record", "run",
              "command", "contract", "version", "period", "net", "user", "recorded (UTC)");
  for (const auto& r : *runs) {
    std::printf("#%-5lld  %-16s  %-8s  %-26s  %-12s  %-10s..%-10s %14s  %-10s  %s\n",
                static_cast<long long>(r.record_id), r.run_id.substr(0, 16).c_str(),
                r.command.c_str(), r.contract_id.c_str(), r.contract_version.substr(0, 12).c_str(),
                r.period_start.c_str(), r.period_end.c_str(),
                r.net_payer_to_provider.empty() ? "-" : r.net_payer_to_provider.c_str(),
                r.user.c_str(), r.recorded_at.c_str());
  }
  std::fprintf(stderr, "%zu record%s in %s\n", runs->size(), runs->size() == 1 ? "" : "s",
               a.store.c_str());
  return 0;
}

int RunRuns(RunsArgs a) {
  if (a.store.empty()) a.store = DefaultStoreLocation();
  if (Status s = StoreMustExist(a.store); !s.ok()) return Fail(s);
  auto store = RunStore::Open(a.store);
  if (!store.ok()) return Fail(store.status());
  if (!a.show.empty()) {
    auto r = (*store)->Get(a.show, false);
    if (!r.ok()) return Fail(r.status());
    std::printf("%s\n", r->summary.dump(2).c_str());
    return 0;
  }
  if (!a.files.empty()) {
    auto r = (*store)->Get(a.files, false);
    if (!r.ok()) return Fail(r.status());
    for (const auto& f : r->files) {
      std::printf("%-40s %12lld  %s%s\n", f.path.c_str(), static_cast<long long>(f.size),
                  f.sha256.c_str(), f.restricted ? "  (member-level)" : "");
    }
    return 0;
  }
  if (!a.get.empty()) {
    auto r = (*store)->Get(a.get[0], true);
    if (!r.ok()) return Fail(r.status());
    for (const auto& f : r->files) {
      if (f.path == a.get[1]) {
        std::fwrite(f.content.data(), 1, f.content.size(), stdout);
        return 0;
      }
    }
    return Fail(NotFound(fmt::format("run {} (record #{}) has no file '{}'; --files {} lists them",
                                     r->run_id.substr(0, 16), r->record_id, a.get[1], a.get[0])));
  }
  return ListRecords(**store, a);
}

const RegisterCommand kRuns(
    {"runs", 35, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "runs",
           "List the runs recorded in a run store (every run of settle, metrics, cohort, "
           "episodes), or show one run's summary or files");
       cmd->footer(
           "A run is named by its run id (a unique prefix is enough; the latest record of it) or "
           "by its record number, #N. docs/run-store.md describes the store.");
       auto a = std::make_shared<RunsArgs>();
       cmd->add_option("--store", a->store,
                       "run store: a SQLite file or a postgresql:// URL (default: "
                       "$VALUEPACT_STORE, else ~/.local/share/valuepact/runs.sqlite)");
       cmd->add_option("--contract", a->filter.contract_id, "only runs of this contract id");
       cmd->add_option("--command", a->filter.command, "only runs of this command (e.g. settle)");
       cmd->add_option("--run", a->filter.run_id, "only records of this run id (or prefix)");
       cmd->add_flag("--json", a->json, "list as JSON");
       cmd->add_option("--show", a->show, "print the summary.json of this run");
       cmd->add_option("--files", a->files, "list the files stored with this run");
       cmd->add_option("--get", a->get, "print one stored file of a run: RUN FILE")->expected(2);
       cmd->callback([a] { SetExitCode(RunRuns(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
