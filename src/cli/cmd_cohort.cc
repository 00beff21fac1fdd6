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
#include <toml++/toml.h>

#include "cli/command.h"
#include "cli/population_inputs.h"
#include "valuepact/attribution/attribution_spec.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/mapped_file.h"
#include "valuepact/core/trace.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/ingest/program/program_reader.h"
#include "valuepact/population/cohort.h"
#include "valuepact/population/population_spec.h"

namespace valuepact::cli {

namespace fs = std::filesystem;

namespace {

struct CohortArgs {
  std::string contract;
  std::string data;
  std::string out;
  std::string program;
  std::string format = "auto";
  std::vector<std::string> value_sets;
  std::string index_date;
  std::vector<std::string> compare;
  int threads = 0;
};

int RunCohort(const CohortArgs& a) {
  const auto threads = LimitThreads(a.threads);
  PopulationInputs in;
  Status s = LoadPopulationInputs(a.contract, a.data, a.program, a.format, a.value_sets, &in);
  if (!s.ok()) return Fail(s);
  const Contract& k = in.contract;
  std::string eligible = k.population.eligible;
  if (eligible.empty()) {
    // Without an eligibility rule the cohort is everyone enrolled during the period.
    eligible = "enrolled_days during period >= 1";
  }
  std::vector<population::NamedExpression> roots = {{"eligible", eligible}};
  if (a.compare.size() == 2) {
    auto ra = DefinitionArg(a.compare[0], "definition_a", k);
    auto rb = DefinitionArg(a.compare[1], "definition_b", k);
    if (ra.name == rb.name) rb.name += "_2";
    roots.push_back(ra);
    roots.push_back(rb);
  }
  auto prep = PreparePopulation(in, a.contract, roots, a.index_date, "--index-date");
  if (!prep.ok()) return Fail(prep.status());
  const population::Program& program = prep->program;
  const population::CohortInputs& ci = prep->inputs;
  auto cohort = population::ComputeCohort(program, "eligible", ci);
  if (!cohort.ok()) return Fail(cohort.status());
  auto funnel = population::ComputeFunnel(program, "eligible", ci);
  if (!funnel.ok()) return Fail(funnel.status());
  std::error_code ec;
  fs::create_directories(a.out, ec);
  if (ec) return Fail(IoError(fmt::format("cannot create '{}': {}", a.out, ec.message())));
  const fs::path out(a.out);
  s = WriteWholeFile((out / "cohort.csv").string(), cohort->ToCsv(in.dataset));
  if (!s.ok()) return Fail(s);
  nlohmann::ordered_json fj;
  fj["contract"] = k.id;
  fj["period"] = {{"start", k.period.start.ToString()}, {"end", k.period.end.ToString()}};
  fj["index_date"] = ci.EffectiveIndex().ToString();
  fj["eligible"] = eligible;
  const nlohmann::ordered_json funnel_json = funnel->ToJson();
  for (const auto& [key, v] : funnel_json.items()) fj[key] = v;
  s = WriteWholeFile((out / "funnel.json").string(), fj.dump(2) + "\n");
  if (!s.ok()) return Fail(s);

  Trace trace;
  trace.AddCount("cohort.eligible", "Members meeting the eligibility definition", cohort->size(),
                 "members", fmt::format("count of members where: {}", eligible), {},
                 "[population] eligible");
  // Attribution, with a rationale per member.
  if (k.document != nullptr) {
    auto spec = attribution::ParseAttributionSpec(*k.document, a.contract, k.provider);
    if (!spec.ok()) return Fail(spec.status());
    auto attr = attribution::Attribute(in.dataset, &in.program, *spec, k.period, in.value_sets);
    if (!attr.ok()) return Fail(attr.status());
    s = WriteWholeFile((out / "attribution.csv").string(), attr->ToCsv(in.dataset));
    if (!s.ok()) return Fail(s);
    attr->AddToTrace(in.dataset, &trace);
    std::printf("Attribution (%s): ", attribution::MethodName(spec->method));
    for (size_t p = 0; p < attr->periods.size(); ++p) {
      std::printf("%s%s %zu members", p ? ", " : "", attr->periods[p].start.ToString().c_str(),
                  attr->Members(static_cast<int>(p)).size());
    }
    std::printf("\n");
  }
  if (a.compare.size() == 2) {
    auto cmp = population::CompareDefinitions(program, roots[1].name, roots[2].name, ci);
    if (!cmp.ok()) return Fail(cmp.status());
    auto j = cmp->ToJson();
    j["a"]["text"] = roots[1].text;
    j["b"]["text"] = roots[2].text;
    s = WriteWholeFile((out / "comparison.json").string(), j.dump(2) + "\n");
    if (!s.ok()) return Fail(s);
    std::printf("%s", cmp->ToText().c_str());
  }
  s = WriteWholeFile((out / "trace.json").string(), trace.ToJson().dump(2) + "\n");
  if (!s.ok()) return Fail(s);
  s = WriteWholeFile((out / "rejects.csv").string(), in.report.RejectsCsv());
  if (!s.ok()) return Fail(s);
  const auto& t = funnel->total;
  std::printf(
      "Eligible %lld -> referred %lld -> assessed %lld -> enrolled %lld -> active %lld "
      "(index date %s; %zu rejected rows)\n",
      static_cast<long long>(t.eligible), static_cast<long long>(t.referred),
      static_cast<long long>(t.assessed), static_cast<long long>(t.enrolled),
      static_cast<long long>(t.active), ci.EffectiveIndex().ToString().c_str(),
      in.report.rejects.size());
  std::printf("Wrote %s/cohort.csv, funnel.json%s%s, trace.json, rejects.csv\n", a.out.c_str(),
              k.document != nullptr ? ", attribution.csv" : "",
              a.compare.size() == 2 ? ", comparison.json" : "");
  return 0;
}

const RegisterCommand kCohort(
    {"cohort", 50, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "cohort",
           "Who meets the eligibility definition: cohort, funnel, attribution, comparison");
       cmd->footer(
           "Find the members who meet the contract's eligibility definition ([population] "
           "eligible, "
           "written in the definition language of docs/definitions.md) and write cohort.csv "
           "(in/out "
           "and each criterion's value per member), funnel.json (eligible -> referred -> assessed "
           "-> enrolled -> active, in total and by month), attribution.csv with a rationale per "
           "member, and trace.json. With --compare, report two definitions side by side: members, "
           "member-months, PMPM, variation of member cost, share of cost in the top 5%, overlap.");
       auto a = std::make_shared<CohortArgs>();
       cmd->add_option("contract", a->contract, "contract TOML file")->required();
       cmd->add_option("--data", a->data, "folder with claims and eligibility (and program data)")
           ->required();
       cmd->add_option("--out", a->out, "folder to write cohort.csv, funnel.json, ... into")
           ->required();
       cmd->add_option("--program", a->program,
                       "folder with referrals.csv, enrollments.csv, visits.csv, events.csv "
                       "(default: the --data folder)");
       cmd->add_option("--format", a->format, "input format of --data: auto, tuva, cclf or fhir");
       cmd->add_option("--value-sets", a->value_sets,
                       "folder of value-set CSV files (repeatable; default: valuesets/ beside the "
                       "contract, $VALUEPACT_VALUESETS, or the shipped valuesets/)");
       cmd->add_option(
           "--index-date", a->index_date,
           "date the definition's windows count from, YYYY-MM-DD (default: period start)");
       cmd->add_option("--compare", a->compare,
                       "two definitions to compare: names from [definitions] or expressions in "
                       "quotes")
           ->expected(2);
       cmd->add_option("--threads", a->threads, "worker threads (default: all cores)");
       cmd->callback([a] { SetExitCode(RunCohort(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
