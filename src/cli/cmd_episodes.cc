// valuepact episodes CONTRACT --data DIR --out DIR (docs/episodes.md)
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/episodes/outputs.h"
#include "valuepact/run/episodes_run.h"

namespace valuepact::cli {
namespace {

struct EpisodesArgs {
  run::InputPaths inputs;
  std::string out;
  int threads = 0;
  StoreFlags store;
};

Status WriteEpisodeFiles(const run::EpisodesRunResult& r, const std::string& out) {
  using Access = FolderWriter::Access;
  const run::RunInputs& in = *r.inputs;
  nlohmann::ordered_json summary;
  summary["run_id"] = r.run_id;
  summary["contract_id"] = in.contract.id;
  summary["period"] = {{"start", in.contract.period.start.ToString()},
                       {"end", in.contract.period.end.ToString()}};
  summary["reconciliation"] = episodes::ReconciliationJson(r.episodes)["reconciliations"];
  run::AddProvenance(in, &summary);
  const struct {
    const char* name;
    std::string body;
    Access access;
  } files[] = {
      {"summary.json", summary.dump(2) + "\n", Access::kShared},
      {"episode_groups.csv", episodes::GroupsCsv(r.episodes), Access::kShared},
      {"reconciliation.json", episodes::ReconciliationJson(r.episodes).dump(2) + "\n",
       Access::kShared},
      {"episodes.md", episodes::EpisodesMarkdown(in.contract, r.episodes), Access::kShared},
      {"comparison.json", episodes::ComparisonJson(r.episodes).dump(2) + "\n", Access::kShared},
      {"trace.json", r.trace.ToJson(TracePart::kAggregate).dump(2) + "\n", Access::kShared},
      {"episodes.csv", episodes::EpisodesCsv(in.dataset, r.episodes), Access::kRestricted},
      {"rejects.csv", in.report.RejectsCsv(), Access::kRestricted},
      {"member_trace.json", r.trace.ToJson(TracePart::kMembers).dump(2) + "\n",
       Access::kRestricted},
  };
  auto writer = FolderWriter::Begin(out);
  if (!writer.ok()) return writer.status();
  for (const auto& f : files) {
    if (Status s = writer->Write(f.name, f.body, f.access); !s.ok()) return s;
  }
  return writer->Commit();
}

int RunEpisodes(const EpisodesArgs& a) {
  const auto threads = LimitThreads(a.threads);
  auto r = run::EpisodesRun(a.inputs);
  if (!r.ok()) return Fail(r.status());
  if (Status s = WriteEpisodeFiles(*r, a.out); !s.ok()) return Fail(s);
  auto recorded = RecordInStore(a.store, "episodes", a.out);
  if (!recorded.ok()) return Fail(recorded.status());
  int64_t counted = 0, excluded = 0;
  for (const auto& ep : r->episodes.episodes) (ep.counted() ? counted : excluded) += 1;
  std::printf("%lld episodes (%lld excluded) in %zu groups; ", static_cast<long long>(counted),
              static_cast<long long>(excluded), r->episodes.groups.size());
  for (const auto& x : r->episodes.reconciliations) {
    std::printf("%s reconciliation %s; ", x.definition.c_str(), x.amount.ToString().c_str());
  }
  std::printf("results in %s (episodes.md; restricted/episodes.csv lists every episode)\n",
              a.out.c_str());
  for (const auto& n : r->episodes.notes) std::fprintf(stderr, "note: %s\n", n.c_str());
  if (!recorded->empty()) std::printf("%s\n", recorded->c_str());
  return 0;
}

const RegisterCommand kEpisodes(
    {"episodes", 62, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "episodes",
           "Build the contract's [[episode]] bundles from the claims (anchor stay, post-discharge "
           "window), price them and reconcile actual against target (docs/episodes.md)");
       auto a = std::make_shared<EpisodesArgs>();
       cmd->add_option("CONTRACT", a->inputs.contract, "contract TOML file with [[episode]]")
           ->required();
       AddInputFlags(cmd, &a->inputs, kDataFlags | kValueSetFlag | kRefdataFlag);
       cmd->add_option("--out", a->out,
                       "output folder: summary.json, episode_groups.csv, reconciliation.json, "
                       "episodes.md, trace.json; restricted/episodes.csv")
           ->required();
       cmd->add_option("--threads", a->threads, "worker threads (default: all cores)");
       AddStoreFlags(cmd, &a->store);
       cmd->callback([a] { SetExitCode(RunEpisodes(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
