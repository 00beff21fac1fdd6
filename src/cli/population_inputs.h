#pragma once
// What the population commands (settle, cohort, candidates) read, loaded one way: the contract,
// the claims data in any supported format, program data, and value sets.
#include <memory>
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/population/cohort.h"
#include "valuepact/population/definition.h"
#include "valuepact/population/value_set.h"

namespace valuepact::cli {

struct PopulationInputs {
  Contract contract;
  Dataset dataset;
  ProgramData program;
  IngestReport report;
  population::ValueSetLibrary value_sets;
  std::string value_set_dirs;  // for messages
};

// Loads everything. With `allow_draft`, a contract that cannot be settled yet (no [benchmark]
// or [[payment]]) is read for its population sections alone, with a note on stderr.
Status LoadPopulationInputs(const std::string& contract_path, const std::string& data,
                            const std::string& program_dir, const std::string& format,
                            const std::vector<std::string>& value_set_dirs, PopulationInputs* in,
                            bool allow_draft = true);

// A --compare or --definition argument: a name from [definitions], or an expression.
population::NamedExpression DefinitionArg(const std::string& arg, const std::string& fallback,
                                          const Contract& k);

// The definitions compiled for `roots`, the dataset index, and the inputs of the cohort
// functions. `index_date` ("" = the period start) comes from the option named `option`.
struct PreparedPopulation {
  population::Program program;
  std::unique_ptr<population::DatasetIndex> index;
  population::CohortInputs inputs;
};
Result<PreparedPopulation> PreparePopulation(const PopulationInputs& in,
                                             const std::string& contract_path,
                                             const std::vector<population::NamedExpression>& roots,
                                             const std::string& index_date,
                                             const std::string& option);

}  // namespace valuepact::cli
