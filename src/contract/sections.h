#pragma once
// Section parsers of the contract, shared by contract.cc. Each reports to the checker and fills
// its typed terms.
#include <toml++/toml.h>

#include "valuepact/contract/attribution_terms.h"
#include "valuepact/contract/data_requirements.h"
#include "valuepact/contract/toml_checker.h"

namespace valuepact {

struct ContractDocument {
  toml::table table;
};

void ParseAttributionSection(const toml::table& t, TomlChecker* c, AttributionTerms* out);
void ParseDataRequirementsSection(const toml::table& t, TomlChecker* c, DataRequirements* out);

}  // namespace valuepact
