#pragma once
// A contract: one TOML file (docs/contract-reference.md). Parsing validates every key and
// reports errors with file, line, column and key; unknown keys are errors with a suggestion.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/contract/benchmark_terms.h"
#include "valuepact/contract/examples.h"
#include "valuepact/contract/payment_terms.h"
#include "valuepact/core/date.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/member_months.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace valuepact {

enum class AmountBasis { kPaid, kAllowed };

struct PopulationTerms {
  std::string source = "enrolled";  // enrolled | attribution_file
  std::string attribution_file;     // CSV person_id[, start, end]; relative to the contract
  std::string eligible;             // optional definition expression (population language)
};

struct Contract {
  std::string id;
  std::string title;
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
  BenchmarkTerms benchmark;
  std::vector<PaymentLayerTerms> payments;

  // MSSP-style methodology presets (docs/contract-reference.md, "Presets").
  std::string preset;            // "" when the contract spells out its own terms
  int64_t performance_year = 0;  // with a preset
  bool preset_methodology = false;
  int track_year = 0;     // the ACO's year in its track (Track 2 loss limit); 0: unknown
  int contract_year = 1;  // which [[year]] table of the glide path applies (1-based)

  // [[example]] blocks: worked examples both parties agreed to (docs/contract-reference.md,
  // "Worked examples"); evaluated by `valuepact check`.
  std::vector<ContractExample> examples;

  std::string path;   // the file it came from
  std::string bytes;  // its exact bytes (hashed into the run id)
  // The parsed document, for sections other modules own ([data_requirements], ...).
  std::shared_ptr<const toml::table> document;

  const PaymentLayerTerms* FindLayer(const std::string& id) const;
};

// Parses and validates. All errors are collected; the message lists each on its own line as
// "path:line:column: key: problem".
Result<Contract> ParseContract(std::string_view text, const std::string& path);
Result<Contract> LoadContract(const std::string& path);

}  // namespace valuepact
