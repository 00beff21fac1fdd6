// valuepact candidates: members who meet a definition but have no referral, ranked by a
// transparent score for the payer's outreach (seed 002, "use claims data to look for eligible
// patients"). The score is documented in docs/definitions.md ("Outreach candidates").
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/file_io.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/population/cohort.h"
#include "valuepact/run/population_runs.h"

namespace valuepact::cli {

namespace {

struct CandidatesArgs {
  run::CandidatesRequest request;
  std::string out;
};

int RunCandidates(const CandidatesArgs& a) {
  auto r = run::CandidatesRun(a.request);
  if (!r.ok()) return Fail(r.status());
  const std::string csv = population::CandidatesCsv(r->inputs->dataset, r->candidates);
  if (a.out.empty() || a.out == "-") {
    std::fputs(csv.c_str(), stdout);
    return 0;
  }
  // An outreach list names members: only the user who wrote it may read it.
  if (Status s = WriteWholeFile(a.out, csv, 0600); !s.ok()) return Fail(s);
  std::printf(
      "Wrote %s: %zu members meet '%s', are enrolled and alive on %s, and have no referral\n",
      a.out.c_str(), r->candidates.size(), r->definition_name.c_str(),
      r->index_date.ToString().c_str());
  return 0;
}

const RegisterCommand kCandidates(
    {"candidates", 51, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "candidates", "Members who meet a definition but have no referral, ranked for outreach");
       cmd->footer(
           "List members who meet a definition (default: the contract's [population] eligible), "
           "are "
           "enrolled and alive on the as-of date, and have no referral on or before the as-of "
           "date, ranked for outreach by score = 3 x "
           "admissions + 2 x ED visits + cost / 10,000 (each over the 12 months before the as-of "
           "date); ties by person_id. Columns: rank, person_id, score and each part of it.");
       auto a = std::make_shared<CandidatesArgs>();
       cmd->add_option("contract", a->request.inputs.contract, "contract TOML file")->required();
       AddInputFlags(cmd, &a->request.inputs, kDataFlags | kValueSetFlag | kDistributedFlag);
       cmd->add_option(
           "--definition", a->request.definition,
           "a name from [definitions] or an expression (default: [population] eligible)");
       cmd->add_option(
           "--as-of", a->request.as_of,
           "date the 12-month look-back counts from, YYYY-MM-DD (default: period start)");
       cmd->add_option("--out", a->out, "CSV file to write (default: standard output)");
       cmd->add_option("--limit", a->request.limit, "keep only the first N members (default: all)");
       cmd->callback([a] {
         SetExitCode(WithDistribution(a->request.inputs, [a] { return RunCandidates(*a); }));
       });
     }});

}  // namespace
}  // namespace valuepact::cli
