// valuepact candidates: members who meet a definition but have no referral, ranked by a
// transparent score for the payer's outreach (seed 002, "use claims data to look for eligible
// patients"). The score is documented in docs/definitions.md ("Outreach candidates").
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/population_inputs.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/mapped_file.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/population/cohort.h"

namespace valuepact::cli {

namespace {

struct CandidatesArgs {
  std::string contract;
  std::string data;
  std::string program;
  std::string format = "auto";
  std::vector<std::string> value_sets;
  std::string definition;
  std::string as_of;
  std::string out;
  size_t limit = 0;
};

int RunCandidates(const CandidatesArgs& a) {
  PopulationInputs in;
  Status s = LoadPopulationInputs(a.contract, a.data, a.program, a.format, a.value_sets, &in);
  if (!s.ok()) return Fail(s);
  const Contract& k = in.contract;
  population::NamedExpression root;
  if (!a.definition.empty()) {
    root = DefinitionArg(a.definition, "definition", k);
  } else if (!k.population.eligible.empty()) {
    root = {"eligible", k.population.eligible};
  } else {
    return Fail(InvalidInput(
        fmt::format("{}: no [population] eligible expression; pass --definition NAME_OR_EXPRESSION",
                    a.contract)));
  }
  auto prep = PreparePopulation(in, a.contract, {root}, a.as_of, "--as-of");
  if (!prep.ok()) return Fail(prep.status());
  const population::Program& program = prep->program;
  const population::CohortInputs& ci = prep->inputs;
  auto ranked = population::RankCandidates(program, root.name, ci);
  if (!ranked.ok()) return Fail(ranked.status());
  if (a.limit > 0 && ranked->size() > a.limit) ranked->resize(a.limit);
  const std::string csv = population::CandidatesCsv(in.dataset, *ranked);
  if (a.out.empty() || a.out == "-") {
    std::fputs(csv.c_str(), stdout);
  } else {
    s = WriteWholeFile(a.out, csv);
    if (!s.ok()) return Fail(s);
    std::printf("Wrote %s: %zu members meet '%s' as of %s and have no referral\n", a.out.c_str(),
                ranked->size(), root.name.c_str(), ci.EffectiveIndex().ToString().c_str());
  }
  return 0;
}

const RegisterCommand kCandidates(
    {"candidates", 51, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "candidates", "Members who meet a definition but have no referral, ranked for outreach");
       cmd->footer(
           "List members who meet a definition (default: the contract's [population] eligible) but "
           "have no referral on or before the as-of date, ranked for outreach by score = 3 x "
           "admissions + 2 x ED visits + cost / 10,000 (each over the 12 months before the as-of "
           "date); ties by person_id. Columns: rank, person_id, score and each part of it.");
       auto a = std::make_shared<CandidatesArgs>();
       cmd->add_option("contract", a->contract, "contract TOML file")->required();
       cmd->add_option("--data", a->data, "folder with claims and eligibility (and program data)")
           ->required();
       cmd->add_option("--program", a->program,
                       "folder with program data (default: the --data folder)");
       cmd->add_option("--format", a->format, "input format of --data: auto, tuva, cclf or fhir");
       cmd->add_option("--value-sets", a->value_sets, "folder of value-set CSV files (repeatable)");
       cmd->add_option(
           "--definition", a->definition,
           "a name from [definitions] or an expression (default: [population] eligible)");
       cmd->add_option(
           "--as-of", a->as_of,
           "date the 12-month look-back counts from, YYYY-MM-DD (default: period start)");
       cmd->add_option("--out", a->out, "CSV file to write (default: standard output)");
       cmd->add_option("--limit", a->limit, "keep only the first N members (default: all)");
       cmd->callback([a] { SetExitCode(RunCandidates(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
