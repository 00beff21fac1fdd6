// valuepact cohort: who meets the contract's eligibility definition, the funnel from eligible to
// active, attribution with a rationale per member, and the side-by-side comparison of two
// definitions (seed 002, strict vs loose criteria). The CLI only loads and writes; the library
// computes.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <tbb/global_control.h>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/run/population_runs.h"

namespace valuepact::cli {

namespace fs = std::filesystem;

namespace {

struct CohortArgs {
  run::CohortRequest request;
  std::string out;
  int threads = 0;
  StoreFlags store;
};

Status WriteCohortFiles(const run::CohortRunResult& r, const fs::path& out) {
  const run::RunInputs& in = *r.inputs;
  const Contract& k = in.contract;
  nlohmann::ordered_json fj;
  fj["contract"] = k.id;
  fj["period"] = {{"start", k.period.start.ToString()}, {"end", k.period.end.ToString()}};
  fj["index_date"] = r.index_date.ToString();
  fj["eligible"] = r.eligible;
  const nlohmann::ordered_json funnel = r.funnel->ToJson();
  for (const auto& [key, v] : funnel.items()) fj[key] = v;
  using Access = FolderWriter::Access;
  struct File {
    std::string name;
    std::string body;
    Access access;
  };
  // Counts at the top; member lists and member-level figures in restricted/ (0700, files 0600).
  std::vector<File> files = {
      {"funnel.json", fj.dump(2) + "\n", Access::kShared},
      {"summary.json", r.summary.dump(2) + "\n", Access::kShared},
      {"trace.json", r.trace.ToJson(TracePart::kAggregate).dump(2) + "\n", Access::kShared},
      {"cohort.csv", r.cohort->ToCsv(in.dataset), Access::kRestricted},
      {"rejects.csv", in.report.RejectsCsv(), Access::kRestricted},
      {"member_trace.json", r.trace.ToJson(TracePart::kMembers).dump(2) + "\n",
       Access::kRestricted}};
  if (r.attribution) {
    files.push_back({"attribution.csv", r.attribution->ToCsv(in.dataset), Access::kRestricted});
  }
  if (r.comparison) {
    auto j = r.comparison->ToJson();
    j["a"]["text"] = r.compare_a;
    j["b"]["text"] = r.compare_b;
    files.push_back({"comparison.json", j.dump(2) + "\n", Access::kShared});
  }
  auto writer = FolderWriter::Begin(out.string());
  if (!writer.ok()) return writer.status();
  for (const auto& f : files) {
    if (Status s = writer->Write(f.name, f.body, f.access); !s.ok()) return s;
  }
  return writer->Commit();
}

int RunCohort(const CohortArgs& a) {
  const auto threads = LimitThreads(a.threads);
  auto r = run::CohortRun(a.request);
  if (!r.ok()) return Fail(r.status());
  if (Status s = WriteCohortFiles(*r, fs::path(a.out)); !s.ok()) return Fail(s);
  auto recorded = RecordInStore(a.store, "cohort", a.out);
  if (!recorded.ok()) return Fail(recorded.status());
  if (r->attribution) {
    std::printf("Attribution (%s, before the participants filter): ",
                AttributionMethodName(r->inputs->contract.attribution.method));
    for (size_t p = 0; p < r->attribution->periods.size(); ++p) {
      std::printf("%s%s %zu members", p ? ", " : "",
                  r->attribution->periods[p].start.ToString().c_str(),
                  r->attribution->Members(static_cast<int>(p)).size());
    }
    std::printf("\n");
  }
  if (r->comparison) std::printf("%s", r->comparison->ToText().c_str());
  const auto& t = r->funnel->total;
  std::printf(
      "Population: %lld members, %lld member-months, spend %s (the same population settle "
      "uses)\n",
      static_cast<long long>(r->spending.members),
      static_cast<long long>(r->spending.member_months),
      r->spending.expenditure_total.ToString().c_str());
  std::printf(
      "Eligible %lld -> referred %lld -> assessed %lld -> enrolled %lld -> active %lld "
      "(index date %s; %zu rejected rows)\n",
      static_cast<long long>(t.eligible), static_cast<long long>(t.referred),
      static_cast<long long>(t.assessed), static_cast<long long>(t.enrolled),
      static_cast<long long>(t.active), r->index_date.ToString().c_str(),
      r->inputs->report.rejects.size());
  std::printf(
      "Wrote %s: funnel.json, summary.json%s, trace.json; member-level files in restricted/: "
      "cohort.csv, rejects.csv, member_trace.json%s\n",
      a.out.c_str(), r->comparison ? ", comparison.json" : "",
      r->attribution ? ", attribution.csv" : "");
  if (!recorded->empty()) std::printf("%s\n", recorded->c_str());
  return 0;
}

const RegisterCommand kCohort(
    {"cohort", 50, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "cohort",
           "Who meets the eligibility definition: cohort, funnel, attribution, comparison");
       cmd->footer(
           "Find the members who meet the contract's eligibility definition ([population] "
           "eligible, written in the definition language of docs/definitions.md) and are enrolled "
           "and alive on the index date, and write cohort.csv (in/out and each criterion's value "
           "per member), funnel.json (eligible -> referred -> assessed -> enrolled -> active, in "
           "total and by month), summary.json (the contract's population, member-months and "
           "spend: the same figures settle reports), attribution.csv with a rationale per member "
           "(with [attribution]), and trace.json. With --compare, report two definitions side by "
           "side: members, member-months, PMPM, variation of member cost, share of cost in the "
           "top 5%, overlap.");
       auto a = std::make_shared<CohortArgs>();
       cmd->add_option("contract", a->request.inputs.contract, "contract TOML file")->required();
       AddInputFlags(cmd, &a->request.inputs, kDataFlags | kValueSetFlag | kDistributedFlag);
       cmd->add_option("--out", a->out, "folder to write cohort.csv, funnel.json, ... into")
           ->required();
       cmd->add_option(
           "--index-date", a->request.index_date,
           "date the definition's windows count from, YYYY-MM-DD (default: period start)");
       cmd->add_option("--compare", a->request.compare,
                       "two definitions to compare: names from [definitions] or expressions in "
                       "quotes")
           ->expected(2);
       cmd->add_option("--threads", a->threads, "worker threads (default: all cores)");
       AddStoreFlags(cmd, &a->store);
       cmd->callback([a] {
         SetExitCode(WithDistribution(a->request.inputs, [a] { return RunCohort(*a); }));
       });
     }});

}  // namespace
}  // namespace valuepact::cli
