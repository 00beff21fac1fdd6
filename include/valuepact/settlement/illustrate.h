#pragma once
// `valuepact illustrate`: a worked example of exactly how a contract's payments will be
// calculated, with plausible figures and the rule behind every step, for people who do not
// read code (seed 000: "add examples into the contract").
#include <map>
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/contract/methodology.h"
#include "valuepact/core/text.h"  // FormatDollars
#include "valuepact/settlement/aggregate.h"

namespace valuepact {

struct Illustration {
  std::string markdown;
  std::string html;
  std::vector<std::string> scenario_names;
};

// `values` are --set pairs: aggregate input keys (benchmark_total, quality_score, ...) set the
// example's figures; methodology keys change the terms. Missing inputs get plausible defaults.
Result<Illustration> Illustrate(const Contract& contract, const SetOverrides& values,
                                const SharedSavingsContext& context);

// 0.0245 -> "2.45%"
std::string FormatPercent(double rate);

}  // namespace valuepact
