#pragma once
// A contract: one TOML file (docs/contract-reference.md), turned whole into typed terms.
// Parsing validates every section and key and reports errors with file, line, column and key;
// unknown sections and keys are errors with a suggestion, and a section no engine applies yet
// is an error saying so. No TOML type leaves src/contract/: every other module reads these
// structs. A Contract is immutable once loaded and safe to share across threads.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/contract/attribution_terms.h"
#include "valuepact/contract/benchmark_terms.h"
#include "valuepact/contract/data_requirements.h"
#include "valuepact/contract/episode_terms.h"
#include "valuepact/contract/examples.h"
#include "valuepact/contract/monitoring_terms.h"
#include "valuepact/contract/payment_terms.h"
#include "valuepact/core/date.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/member_months.h"

namespace valuepact {

// The parsed TOML, kept inside the contract module (methodology.h re-resolves shared-savings
// terms for another performance or contract year from it); opaque everywhere else.
struct ContractDocument;

enum class AmountBasis { kPaid, kAllowed };

// When the [population] eligible definition is evaluated (docs/contract-reference.md,
// "Population"): once at the period start for the whole period; at the first day of every
// month for that month; or monthly, a member staying in once they first qualify.
enum class PopulationEvaluation { kPeriodStart, kMonthly, kSticky };
const char* PopulationEvaluationName(PopulationEvaluation e);

struct PopulationTerms {
  std::string eligible;  // optional definition expression (population language)
  PopulationEvaluation evaluate = PopulationEvaluation::kPeriodStart;
};

struct Contract {
  std::string id;
  std::string title;
  std::string version;  // a label the parties give this version of the terms ("" = none)
  std::string payer;
  std::string provider;
  Period period;
  std::vector<std::string> payers;  // eligibility.payer values included (lower case)
  bool medical = true;
  bool pharmacy = false;
  AmountBasis basis = AmountBasis::kPaid;
  MemberMonthRule member_months = MemberMonthRule::kAnyDay;
  ClaimMonthRule claim_month = ClaimMonthRule::kClaimStart;
  std::map<std::string, std::string> definitions;
  PopulationTerms population;
  AttributionTerms attribution;
  DataRequirements data_requirements;
  BenchmarkTerms benchmark;
  std::vector<PaymentLayerTerms> payments;
  std::vector<TargetTerms> targets;           // [[target]]
  std::vector<TriggerTerms> triggers;         // [[trigger]]
  std::optional<ComparisonTerms> comparison;  // [comparison]
  std::vector<EpisodeTerms> episodes;         // [[episode]]

  // MSSP-style methodology presets (docs/contract-reference.md, "Presets").
  std::string preset;            // "" when the contract spells out its own terms
  int64_t performance_year = 0;  // with a preset
  bool preset_methodology = false;
  int track_year = 0;     // the ACO's year in its track (Track 2 loss limit); 0: unknown
  int contract_year = 1;  // which [[year]] table of the glide path applies (1-based)
  // MSSP agreement period: its start date picks the rules in force for it (the benchmark risk
  // ratio cap); its number (1 = first agreement period) where a rule depends on it.
  std::optional<Date> agreement_start;
  int agreement_period = 0;  // 0: not stated

  // [[example]] blocks: worked examples both parties agreed to (docs/contract-reference.md,
  // "Worked examples"); evaluated by `valuepact check`.
  std::vector<ContractExample> examples;

  std::string path;   // the file it came from
  std::string bytes;  // its exact bytes (hashed into the run id)
  std::shared_ptr<const ContractDocument> document;

  const PaymentLayerTerms* FindLayer(const std::string& id) const;
};

struct ContractParseOptions {
  // Accept a contract without [benchmark] and [[payment]] (population commands on a contract
  // still being drafted); every section present is still validated in full.
  bool allow_draft = false;
  // `valuepact benchmark`: a historical benchmark whose figures come from an inputs CSV (no
  // [[benchmark.baseline]] tables, no regional PMPMs, no [[payment]] layers needed).
  bool benchmark_from_aggregates = false;
};

// Parses and validates. All errors are collected; the message lists each on its own line as
// "path:line:column: key: problem".
Result<Contract> ParseContract(std::string_view text, const std::string& path,
                               const ContractParseOptions& options = {});
// Reads the file first: a folder, a missing or an unreadable file is an input error naming it.
Result<Contract> LoadContract(const std::string& path, const ContractParseOptions& options = {});

}  // namespace valuepact
