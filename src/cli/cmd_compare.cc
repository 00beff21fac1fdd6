// valuepact compare RUN_A RUN_B, valuepact true-up ORIGINAL RESTATED (docs/compare.md)
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/review/compare.h"

namespace valuepact::cli {
namespace {

struct CompareArgs {
  std::string a, b;
  std::string out;
  review::CompareOptions options;
  StoreFlags store;  // where the runs are, and where a true-up is recorded
};

Result<std::pair<RunRecord, RunRecord>> Fetch(const CompareArgs& a) {
  const std::string where = a.store.store.empty() ? DefaultStoreLocation() : a.store.store;
  if (Status s = StoreMustExist(where); !s.ok()) return s;
  auto store = RunStore::Open(where);
  if (!store.ok()) return store.status();
  auto ra = (*store)->Get(a.a, true);
  if (!ra.ok()) return ra.status();
  auto rb = (*store)->Get(a.b, true);
  if (!rb.ok()) return rb.status();
  return std::pair{std::move(*ra), std::move(*rb)};
}

Status Write(const std::string& out, const std::vector<review::OutputFile>& files) {
  auto w = FolderWriter::Begin(out);
  if (!w.ok()) return w.status();
  for (const auto& f : files) {
    const auto access =
        f.restricted ? FolderWriter::Access::kRestricted : FolderWriter::Access::kShared;
    if (Status s = w->Write(f.name, f.body, access); !s.ok()) return s;
  }
  return w->Commit();
}

// What the comparison could not explain, said on the terminal and not only in compare.md: a
// --data-a/--data-b that is not there or not data, or a run's data folder gone.
void WarnNotCompared(const review::Comparison& c) {
  if (!c.members.available) {
    std::fprintf(stderr, "warning: members not compared: %s\n", c.members.note.c_str());
  }
  if (!c.lines.available) {
    std::fprintf(stderr, "warning: claim lines not compared: %s\n", c.lines.note.c_str());
  }
}

int RunCompare(const CompareArgs& a) {
  auto runs = Fetch(a);
  if (!runs.ok()) return Fail(runs.status());
  auto c = review::Compare(runs->first, runs->second, a.options);
  if (!c.ok()) return Fail(c.status());
  WarnNotCompared(*c);
  if (a.out.empty()) {
    std::printf("%s", review::ComparisonMarkdown(*c, false).c_str());
    return 0;
  }
  if (Status s = Write(a.out, review::ComparisonFiles(*c)); !s.ok()) return Fail(s);
  std::printf(
      "%zu figures differ; causes: %s. Wrote %s: compare.md, compare.json; member-level "
      "in restricted/\n",
      c->figures.size(),
      c->causes.empty() ? "none" : fmt::format("{}", fmt::join(c->causes, ", ")).c_str(),
      a.out.c_str());
  return 0;
}

int RunTrueUp(const CompareArgs& a) {
  auto runs = Fetch(a);
  if (!runs.ok()) return Fail(runs.status());
  auto t = review::BuildTrueUp(runs->first, runs->second, a.options);
  if (!t.ok()) return Fail(t.status());
  WarnNotCompared(t->comparison);
  if (Status s = Write(a.out, review::TrueUpFiles(*t)); !s.ok()) return Fail(s);
  auto recorded = RecordInStore(a.store, "true-up", a.out);
  if (!recorded.ok()) return Fail(recorded.status());
  std::printf("True-up: as settled %s, restated %s: adjustment %s payer to provider.\n",
              t->original_net.ToString().c_str(), t->restated_net.ToString().c_str(),
              t->adjustment.ToString().c_str());
  std::printf(
      "Wrote %s: statement.md, summary.json, trace.json, compare.md, compare.json; "
      "member-level in restricted/\n",
      a.out.c_str());
  if (!recorded->empty()) std::printf("%s\n", recorded->c_str());
  return 0;
}

// `records`: the command records its own result (true-up) in the store it reads from.
void AddCompareFlags(CLI::App* cmd, CompareArgs* a, bool records) {
  cmd->add_option("--data-a", a->options.data_a,
                  "the data folder of the first run, when it is no longer where the run read "
                  "it, or the dataset cache it read (valuepact import)");
  cmd->add_option("--data-b", a->options.data_b, "the same for the second run");
  if (records) {
    AddStoreFlags(cmd, &a->store);
    return;
  }
  cmd->add_option("--store", a->store.store,
                  "run store to read the runs from: a SQLite file or a postgresql:// URL "
                  "(default: $VALUEPACT_STORE, else ~/.local/share/valuepact/runs.sqlite)");
}

const RegisterCommand kCompare(
    {"compare", 36, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "compare",
           "Explain the difference between two recorded runs: contract terms, reference tables, "
           "engine, data; every figure that moved; the members and claim lines behind it");
       cmd->footer("Runs are named as for `runs` (a run id prefix or #N). docs/compare.md.");
       auto a = std::make_shared<CompareArgs>();
       cmd->add_option("RUN_A", a->a, "the earlier run")->required();
       cmd->add_option("RUN_B", a->b, "the later run")->required();
       cmd->add_option("--out", a->out,
                       "folder to write compare.md and compare.json to (default: print the "
                       "comparison, members and lines counted, not listed)");
       AddCompareFlags(cmd, a.get(), false);
       cmd->callback([a] { SetExitCode(RunCompare(*a)); });
     }});

const RegisterCommand kTrueUp(
    {"true-up", 37, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "true-up",
           "The settlement adjustment owed between an earlier settle run and one on restated "
           "data, as a statement of its own, explained");
       cmd->footer(
           "Both runs must settle the same contract id and period. The runs are read from the "
           "store and the true-up is recorded in it (--no-store: not recorded). docs/compare.md.");
       auto a = std::make_shared<CompareArgs>();
       cmd->add_option("ORIGINAL", a->a, "the settlement as first run")->required();
       cmd->add_option("RESTATED", a->b, "the settlement on restated data")->required();
       cmd->add_option("--out", a->out, "folder to write the true-up statement to")->required();
       AddCompareFlags(cmd, a.get(), true);
       cmd->callback([a] { SetExitCode(RunTrueUp(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
