#pragma once
// The terms of each payment layer as written in a contract's [[payment]] tables.
#include <optional>
#include <string>
#include <vector>

#include "valuepact/core/money.h"

namespace valuepact {

// kind = "case_rate": a fixed amount per member-month of the population.
struct CaseRateTerms {
  Money pmpm;
};

// kind = "shared_savings" (docs/contract-reference.md, "Shared savings and losses").
struct SharedSavingsTerms {
  double sharing_rate = 0.0;
  double minimum_savings_rate = 0.0;
  std::optional<double> loss_sharing_rate;  // absent: one-sided (upside only)
  double minimum_loss_rate = 0.0;
  std::optional<double> savings_cap;        // share of benchmark
  std::optional<double> loss_cap;           // share of benchmark
  std::optional<Money> member_truncation;   // per member per period
  std::vector<std::string> offset_layers;   // layer ids counted as spending
  double quality_score = 1.0;
};

struct PaymentLayerTerms {
  std::string id;
  std::string kind;  // case_rate | shared_savings
  std::string label; // optional human label; defaults to the id
  CaseRateTerms case_rate;
  SharedSavingsTerms shared_savings;
  int source_line = 0;  // line of the [[payment]] table in the contract
};

}  // namespace valuepact
