#include "valuepact/run/population_runs.h"

#include <fmt/format.h>

#include "valuepact/population/definition.h"

namespace valuepact::run {
namespace {

// A --compare or --definition argument: a name from [definitions], or an expression.
population::NamedExpression DefinitionArg(const std::string& arg, const std::string& fallback,
                                          const Contract& k) {
  if (k.definitions.count(arg)) {
    return {arg, arg};
  }
  return {fallback, arg};
}

struct Prepared {
  population::Program program;
  std::unique_ptr<population::DatasetIndex> index;
  population::CohortInputs inputs;
};

Result<Prepared> Prepare(const RunInputs& in, const std::vector<population::NamedExpression>& roots,
                         const std::string& index_date, const char* option) {
  // The user's expressions first, so an error points into what they wrote.
  if (auto plain = population::Compile(in.contract.definitions, roots, in.value_sets);
      !plain.ok()) {
    return InvalidInput(fmt::format("{}: {}", in.contract.path, plain.status().message()));
  }
  std::vector<population::NamedExpression> guarded;
  guarded.reserve(roots.size());
  for (const auto& r : roots) {
    guarded.push_back({r.name, EnrolledAndAlive(r.text)});
  }
  auto program = population::Compile(in.contract.definitions, guarded, in.value_sets);
  if (!program.ok()) {
    return InvalidInput(fmt::format("{}: {}", in.contract.path, program.status().message()));
  }
  Prepared p{
      std::move(*program), std::make_unique<population::DatasetIndex>(in.dataset, &in.program), {}};
  p.inputs.dataset = &in.dataset;
  p.inputs.program = &in.program;
  p.inputs.index = p.index.get();
  p.inputs.period = in.contract.period;
  if (!index_date.empty()) {
    auto d = ParseDate(index_date);
    if (!d.ok()) {
      return InvalidInput(fmt::format("{}: {}", option, d.status().message()));
    }
    p.inputs.index_date = *d;
  }
  return p;
}

// Population commands read drafts too: a contract being written can already count its members.
Result<std::unique_ptr<RunInputs>> LoadPopulationInputs(InputPaths paths, const FileSystem& files) {
  paths.allow_draft = true;
  return LoadRunInputs(paths, files);
}

// The eligibility rule and, with --compare, the two definitions compared.
Result<std::vector<population::NamedExpression>> CohortRoots(const CohortRequest& req,
                                                             const Contract& k,
                                                             CohortRunResult* out) {
  std::vector<population::NamedExpression> roots = {{"eligible", out->eligible}};
  if (req.compare.empty()) return roots;
  if (req.compare.size() != 2) return InvalidInput("--compare takes two definitions");
  auto ra = DefinitionArg(req.compare[0], "definition_a", k);
  auto rb = DefinitionArg(req.compare[1], "definition_b", k);
  if (ra.name == rb.name) rb.name += "_2";
  roots.push_back(ra);
  roots.push_back(rb);
  out->compare_a = ra.text;
  out->compare_b = rb.text;
  return roots;
}

nlohmann::ordered_json CohortSummary(const CohortRunResult& r) {
  const Contract& k = r.inputs->contract;
  nlohmann::ordered_json j;
  j["run_id"] = r.run_id;
  j["contract_id"] = k.id;
  j["period"] = {{"start", k.period.start.ToString()}, {"end", k.period.end.ToString()}};
  j["population"] = {{"members", r.spending.members},
                     {"member_months", r.spending.member_months},
                     {"attribution", AttributionMethodName(k.attribution.method)},
                     {"evaluate", PopulationEvaluationName(k.population.evaluate)}};
  j["expenditure"] = {{"total", r.spending.expenditure_total.ToString()}};
  j["index_date"] = r.index_date.ToString();
  j["eligible"] = r.eligible;
  j["eligible_at_index_date"] = r.cohort ? r.cohort->size() : 0;
  j["resolved"] = ResolvedSources(*r.inputs);
  AddProvenance(*r.inputs, &j);
  return j;
}

}  // namespace

std::string EnrolledAndAlive(const std::string& expression) {
  return fmt::format("({}) and enrolled within 1 days after and not died within 100 years before",
                     expression);
}

Result<CohortRunResult> CohortRun(const CohortRequest& req, const FileSystem& files) {
  CohortRunResult out;
  auto loaded = LoadPopulationInputs(req.inputs, files);
  if (!loaded.ok()) {
    return loaded.status();
  }
  out.inputs = std::move(*loaded);
  const RunInputs& in = *out.inputs;
  const Contract& k = in.contract;

  // The population: the same Timeline and spending as settle.
  TimelineInputs ti{&in.dataset, &in.program, &k, &in.attribution, &in.value_sets};
  auto timeline = BuildTimeline(ti, &out.trace);
  if (!timeline.ok()) {
    return timeline.status();
  }
  out.attribution = std::move(timeline->attribution);
  auto spending = ComputePopulationSpending(in.dataset, k, timeline->timeline, &out.trace);
  if (!spending.ok()) {
    return spending.status();
  }
  out.spending = std::move(*spending);

  // Who meets the definition at the index date; without one, everyone enrolled in the period.
  out.eligible =
      k.population.eligible.empty() ? "enrolled_days during period >= 1" : k.population.eligible;
  auto roots = CohortRoots(req, k, &out);
  if (!roots.ok()) {
    return roots.status();
  }
  auto prep = Prepare(in, *roots, req.index_date, "--index-date");
  if (!prep.ok()) {
    return prep.status();
  }
  out.index_date = prep->inputs.EffectiveIndex();
  auto cohort = population::ComputeCohort(prep->program, "eligible", prep->inputs);
  if (!cohort.ok()) {
    return cohort.status();
  }
  out.cohort = std::move(*cohort);
  auto funnel = population::ComputeFunnel(prep->program, "eligible", prep->inputs);
  if (!funnel.ok()) {
    return funnel.status();
  }
  out.funnel = std::move(*funnel);
  if (roots->size() == 3) {
    auto cmp = population::CompareDefinitions(prep->program, (*roots)[1].name, (*roots)[2].name,
                                              prep->inputs);
    if (!cmp.ok()) {
      return cmp.status();
    }
    out.comparison = std::move(*cmp);
  }
  out.trace.AddCount("cohort.eligible", "Members meeting the eligibility definition",
                     out.cohort->size(), "members",
                     fmt::format("count of members enrolled and alive on {} where: {}",
                                 out.index_date.ToString(), out.eligible),
                     {}, "[population] eligible, evaluated at the index date");
  if (out.attribution) {
    out.attribution->AddToTrace(in.dataset, &out.trace);
  }
  if (Status u = out.trace.CheckUnique(); !u.ok()) {
    return u;
  }
  out.inputs->options = {"format=" + req.inputs.format, "index_date=" + req.index_date};
  for (const auto& c : req.compare) out.inputs->options.push_back("compare=" + c);
  out.run_id = ComputeRunId(in);
  out.summary = CohortSummary(out);
  return out;
}

Result<CandidatesRunResult> CandidatesRun(const CandidatesRequest& req, const FileSystem& files) {
  CandidatesRunResult out;
  auto loaded = LoadPopulationInputs(req.inputs, files);
  if (!loaded.ok()) {
    return loaded.status();
  }
  out.inputs = std::move(*loaded);
  const RunInputs& in = *out.inputs;
  const Contract& k = in.contract;
  population::NamedExpression root;
  if (!req.definition.empty()) {
    root = DefinitionArg(req.definition, "definition", k);
  } else if (!k.population.eligible.empty()) {
    root = {"eligible", k.population.eligible};
  } else {
    return InvalidInput(fmt::format(
        "{}: no [population] eligible expression; pass --definition NAME_OR_EXPRESSION", k.path));
  }
  auto prep = Prepare(in, {root}, req.as_of, "--as-of");
  if (!prep.ok()) {
    return prep.status();
  }
  out.definition_name = root.name;
  out.index_date = prep->inputs.EffectiveIndex();
  auto ranked = population::RankCandidates(prep->program, root.name, prep->inputs);
  if (!ranked.ok()) {
    return ranked.status();
  }
  out.candidates = std::move(*ranked);
  if (req.limit > 0 && out.candidates.size() > req.limit) {
    out.candidates.resize(req.limit);
  }
  return out;
}

}  // namespace valuepact::run
