// libFuzzer target for what-if's inputs (docs/what-if.md): the first part is a request body
// (JSON of contract keys and values, as POST /api/runs/{run}/what-if takes it), the second a
// what-if base (restricted/what_if_base.json). Any bytes must be refused with an error or give
// changes applied to a contract, a contract that parses or is refused, and a base that writes back
// to the same text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "valuepact/contract/contract.h"
#include "valuepact/contract/edit.h"
#include "valuepact/settlement/what_if.h"

namespace {

constexpr const char* kContract = R"(
[contract]
id = "fuzz"
period = { start = 2018-01-01, end = 2018-12-31 }
payers = ["medicare"]
services = ["medical"]
[benchmark]
method = "target_pmpm"
target_pmpm = 900.00
[[payment]]
id = "case-rate"
kind = "case_rate"
pmpm = { home = 400.00, nursing_facility = 300.00 }
[[payment]]
id = "savings"
kind = "shared_savings"
sharing_rate = 0.5
minimum_savings_rate = 0.02
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  const auto parts = valuepact::fuzz::SplitParts(valuepact::fuzz::Bytes(data, size), 2);
  const auto body = nlohmann::ordered_json::parse(parts[0], nullptr, false);
  if (!body.is_discarded()) {
    auto edits = valuepact::TermEditsFromJson(body);
    if (edits.ok()) {
      auto edited = valuepact::ChangeContractTerms(kContract, "fuzz.toml", *edits);
      if (edited.ok()) (void)valuepact::ParseContract(edited->text, "fuzz.toml");
    }
  }
  if (parts.size() < 2) return 0;
  auto base = valuepact::ParseWhatIfBase(parts[1], "what_if_base.json");
  if (!base.ok()) return 0;
  const std::string json = valuepact::WhatIfBaseJson(*base);
  auto again = valuepact::ParseWhatIfBase(json, "what_if_base.json");
  if (!again.ok() || valuepact::WhatIfBaseJson(*again) != json) __builtin_trap();
  return 0;
}
