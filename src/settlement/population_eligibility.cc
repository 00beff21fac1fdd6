#include "valuepact/settlement/population_eligibility.h"

#include <fmt/format.h>

#include "valuepact/population/definition.h"

namespace valuepact {

Result<int64_t> ApplyEligibility(const Dataset& ds, const Contract& k, const ProgramData* program,
                                 const population::ValueSetLibrary* value_sets, MemberMonths* mm,
                                 Trace* trace) {
  const population::ValueSetLibrary empty;
  population::DefinitionError err;
  auto compiled = population::Compile(k.definitions, {{"eligible", k.population.eligible}},
                                      value_sets != nullptr ? *value_sets : empty, &err);
  if (!compiled.ok()) {
    return InvalidInput(
        fmt::format("{}: [population] eligible: {}", k.path, compiled.status().message()));
  }
  population::EvalContext ctx;
  ctx.dataset = &ds;
  ctx.program = program;
  ctx.index_date = k.period.start;
  ctx.period_end = k.period.end;
  auto eval = population::Evaluate(*compiled, ctx);
  if (!eval.ok()) return eval.status();
  const population::Column* col = eval->Find("eligible");
  if (col == nullptr || !col->is_bool) {
    return InvalidInput(
        fmt::format("{}: [population] eligible must be a yes/no definition", k.path));
  }
  int64_t eligible = 0, removed = 0;
  for (uint32_t m = 0; m < ds.member_count(); ++m) {
    const bool in = m < col->flags.size() && col->flags[m] != 0;
    eligible += in;
    if (in || mm->Count(m) == 0) continue;
    ++removed;
    for (int i = 0; i < mm->months(); ++i) mm->Clear(m, i);
  }
  std::string used;
  for (const auto& [name, text] : k.definitions) {
    if (k.population.eligible.find(name) != std::string::npos) {
      used += fmt::format("; {} = \"{}\"", name, text);
    }
  }
  trace->AddCount("population.eligible", "Members meeting the eligibility definition", eligible,
                  "members", fmt::format("eligible = \"{}\"{}", k.population.eligible, used), {},
                  fmt::format("[population] eligible, evaluated at {} over each member's history "
                              "(docs/definitions.md); {} enrolled members did not meet it",
                              k.period.start.ToString(), removed));
  return removed;
}

}  // namespace valuepact
