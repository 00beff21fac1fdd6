#include "cli/population_inputs.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "valuepact/core/mapped_file.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/ingest/program/program_reader.h"
#include "valuepact/population/population_spec.h"

namespace valuepact::cli {

namespace fs = std::filesystem;

static Status LoadPopulationOnly(const std::string& path, Contract* k) {
  auto bytes = ReadWholeFile(path);
  if (!bytes.ok()) return bytes.status();
  toml::table doc;
  try {
    doc = toml::parse(*bytes, path);
  } catch (const toml::parse_error& e) {
    return InvalidInput(fmt::format("{}:{}:{}: {}", path, e.source().begin.line,
                                    e.source().begin.column, e.description()));
  }
  const auto* period = doc["contract"]["period"].as_table();
  const auto start = period ? (*period)["start"].value<toml::date>() : std::nullopt;
  const auto end = period ? (*period)["end"].value<toml::date>() : std::nullopt;
  if (!start || !end) return InvalidInput(fmt::format("{}: [contract] period is missing", path));
  k->period = {Date::FromCivil(start->year, start->month, start->day),
               Date::FromCivil(end->year, end->month, end->day)};
  k->id = doc["contract"]["id"].value_or(std::string());
  k->provider = doc["contract"]["provider"].value_or(std::string());
  auto spec = population::ParsePopulationSpec(doc, path);
  if (!spec.ok()) return spec.status();
  k->definitions = spec->definitions;
  k->population.eligible = spec->eligible;
  k->population.source = spec->source;
  k->path = path;
  k->bytes = *bytes;
  k->document = std::make_shared<toml::table>(std::move(doc));
  return Status::Ok();
}

// Value sets: each --value-sets DIR; else valuesets/ beside the contract, $VALUEPACT_VALUESETS,
// ./valuesets, or the valuesets/ folder shipped beside the build directory.
Status LoadPopulationInputs(const std::string& contract_path, const std::string& data,
                            const std::string& program_dir, const std::string& format,
                            const std::vector<std::string>& value_set_dirs, PopulationInputs* in,
                            bool allow_draft) {
  auto k = LoadContract(contract_path);
  if (k.ok()) {
    in->contract = std::move(*k);
  } else if (!allow_draft) {
    return k.status();
  } else {
    // A contract still being drafted (no [benchmark] or [[payment]] yet) can already define its
    // population: read [contract], [definitions] and [population] alone, and say why it cannot
    // be settled.
    Status s = LoadPopulationOnly(contract_path, &in->contract);
    if (!s.ok()) return k.status();
    std::fprintf(stderr, "valuepact: note: reading only the population sections; %s\n",
                 k.status().message().c_str());
  }
  auto f = ParseDataFormat(format);
  if (!f.ok()) return f.status();
  LoadOptions lo;
  lo.basis = in->contract.basis == AmountBasis::kPaid ? "paid" : "allowed";
  lo.pharmacy = in->contract.pharmacy;
  Status s = LoadDataDirectory(data, *f, lo, &in->dataset, &in->report);
  if (!s.ok()) return s;
  s = LoadProgramDirectory(program_dir.empty() ? data : program_dir, &in->dataset, &in->program,
                           &in->report);
  if (!s.ok()) return s;
  in->dataset.FinalizeMembers();
  std::vector<std::string> dirs = value_set_dirs;
  if (dirs.empty()) {
    std::vector<std::string> candidates = {
        (fs::path(contract_path).parent_path() / "valuesets").string()};
    if (const char* env = std::getenv("VALUEPACT_VALUESETS")) candidates.push_back(env);
    candidates.push_back("valuesets");
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) candidates.push_back((exe.parent_path().parent_path() / "valuesets").string());
    for (const auto& c : candidates) {
      if (fs::is_directory(c)) {
        dirs.push_back(c);
        break;
      }
    }
  }
  for (const auto& d : dirs) {
    s = in->value_sets.LoadDirectory(d);
    if (!s.ok()) return s;
    in->value_set_dirs += (in->value_set_dirs.empty() ? "" : ", ") + d;
  }
  return Status::Ok();
}

// A --compare or --definition argument: a name from [definitions], or an expression.
population::NamedExpression DefinitionArg(const std::string& arg, const std::string& fallback,
                                          const Contract& k) {
  if (k.definitions.count(arg)) return {arg, arg};
  return {fallback, arg};
}

Result<PreparedPopulation> PreparePopulation(const PopulationInputs& in,
                                             const std::string& contract_path,
                                             const std::vector<population::NamedExpression>& roots,
                                             const std::string& index_date,
                                             const std::string& option) {
  auto program = population::Compile(in.contract.definitions, roots, in.value_sets);
  if (!program.ok()) {
    return InvalidInput(fmt::format("{}: {}", contract_path, program.status().message()));
  }
  PreparedPopulation p{
      std::move(*program), std::make_unique<population::DatasetIndex>(in.dataset, &in.program), {}};
  p.inputs.dataset = &in.dataset;
  p.inputs.program = &in.program;
  p.inputs.index = p.index.get();
  p.inputs.period = in.contract.period;
  if (!index_date.empty()) {
    auto d = ParseDate(index_date);
    if (!d.ok()) return InvalidInput(option + ": " + d.status().message());
    p.inputs.index_date = *d;
  }
  return p;
}

}  // namespace valuepact::cli
