#pragma once
// Section parsers of the contract, shared by contract.cc. Each reports to the checker and fills
// its typed terms.
#include <toml++/toml.h>

#include "contract/toml_checker.h"
#include "valuepact/contract/attribution_terms.h"
#include "valuepact/contract/benchmark_terms.h"
#include "valuepact/contract/data_requirements.h"
#include "valuepact/contract/episode_terms.h"
#include "valuepact/contract/examples.h"
#include "valuepact/contract/methodology.h"
#include "valuepact/contract/monitoring_terms.h"
#include "valuepact/core/date.h"

namespace valuepact {

struct ContractDocument {
  toml::table table;
};

void ParseAttributionSection(const toml::table& t, TomlChecker* c, AttributionTerms* out);
void ParseDataRequirementsSection(const toml::table& t, TomlChecker* c, DataRequirements* out);

// The ACO's agreement period ([contract] agreement_start, agreement_period): it picks the
// program rules in force (params/) for terms a contract leaves out.
struct AgreementInfo {
  std::optional<Date> start;
  int period = 0;  // 0: not stated
};

struct BenchmarkParseContext {
  int period_start_year = 0;  // the default performance year
  AgreementInfo agreement;
  // `valuepact benchmark`: the baseline, regional, national and risk figures come from an inputs
  // CSV, so the contract needs no [[benchmark.baseline]] tables nor regional PMPMs.
  bool from_aggregates = false;
};

// Parses [benchmark] (every method).
void ParseBenchmarkTerms(const toml::table& t, const BenchmarkParseContext& ctx, TomlChecker* c,
                         BenchmarkTerms* out);

// Parses [[target]] and [[trigger]] (monitoring_terms.h).
// [[episode]] (episode_terms.h).
void ParseEpisodes(const toml::table& doc, TomlChecker* c, std::vector<EpisodeTerms>* out);
// [comparison] (monitoring_terms.h).
void ParseComparison(const toml::table& doc, TomlChecker* c, std::optional<ComparisonTerms>* out);
void ParseMonitoringSections(const toml::table& doc, TomlChecker* c,
                             std::vector<TargetTerms>* targets,
                             std::vector<TriggerTerms>* triggers);

// Parses one [[example]] table (index is 1-based) into `out`, reporting errors to `c`.
void ParseExample(const toml::table& t, int index, TomlChecker* c, ContractExample* out);

// Applies the methodology keys present in `t` to `terms` (other keys are left to the caller's
// AllowOnly) and records `clause.<key>` as each term's source.
void ApplyMethodologyKeys(const toml::table& t, std::string_view section, const std::string& clause,
                          TomlChecker* c, SharedSavingsTerms* terms);

// --set overrides as a TOML table of methodology keys.
Result<toml::table> OverridesTable(const SetOverrides& sets);

// A shared-savings layer's terms during parsing: errors go to `c` with positions.
void BuildSharedSavingsTerms(const toml::table& doc, const Contract& k, const std::string& layer_id,
                             const toml::table* layer_table, int layer_index, int performance_year,
                             int contract_year, const toml::table* overrides, TomlChecker* c,
                             SharedSavingsTerms* out);

}  // namespace valuepact
