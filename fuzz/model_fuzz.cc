// libFuzzer target for the program-economics inputs (docs/modeling.md): the input is split on
// "\n\x01" into an assumptions TOML file and a variants CSV. The assumptions are parsed; when
// they parse, the cost model is computed and, with a [ramp], projected against a small contract
// with a case rate by setting, an assessment fee, an incentive and shared savings. The variants
// are parsed against the same contract. Every input must give results or an error, never a
// fault; an amount too large for cents is the reported MoneyOverflow error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "valuepact/contract/contract.h"
#include "valuepact/modeling/cost_model.h"
#include "valuepact/modeling/outputs.h"
#include "valuepact/modeling/ramp.h"
#include "valuepact/modeling/variants.h"

namespace {

const valuepact::Contract& SmallContract() {
  static const valuepact::Contract k = [] {
    auto c = valuepact::ParseContract(R"([contract]
id = "fuzz"
period = { start = 2025-01-01, end = 2025-12-31 }
payers = ["medicare"]
[benchmark]
method = "target_pmpm"
target_pmpm = 600.00
[[payment]]
id = "case-rate"
kind = "case_rate"
basis = "program"
pmpm = { home = 400.00, nursing_facility = 300.00 }
[[payment]]
id = "fee"
kind = "assessment_fee"
amount = 300.00
[[payment]]
id = "acp"
kind = "acp_incentive"
amount = 100.00
cap = 1000.00
[[payment]]
id = "savings"
kind = "shared_savings"
sharing_rate = 0.5
minimum_savings_rate = 0.02
member_truncation = 100000.00
offset_layers = ["case-rate"]
)",
                                      "fuzz.toml");
    return *c;
  }();
  return k;
}

void Model(std::string_view text) {
  auto a = valuepact::modeling::ParseAssumptions(text, "assumptions.toml");
  if (!a.ok()) return;
  auto cost = valuepact::modeling::ComputeCostModel(*a, {1, 7, 1000});
  if (!cost.ok()) return;
  (void)valuepact::modeling::CostJson(*cost, nullptr).dump();
  if (!a->ramp) return;
  auto ramp = valuepact::modeling::ProjectRamp(*a, *cost, SmallContract());
  if (!ramp.ok()) return;
  (void)valuepact::modeling::RampCsv(*ramp);
  (void)valuepact::modeling::BreakEvenJson(*ramp).dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  const auto parts = valuepact::fuzz::SplitParts(valuepact::fuzz::Bytes(data, size), 2);
  try {
    Model(parts[0]);
  } catch (const valuepact::MoneyOverflow&) {
    // Reported to the user as an input error (exit 2) by the CLI.
  }
  if (parts.size() > 1) {
    auto v = valuepact::modeling::ParseVariants(parts[1], "variants.csv", SmallContract());
    if (v.ok()) {
      for (const auto& variant : *v) (void)variant.Describe();
    }
  }
  return 0;
}
