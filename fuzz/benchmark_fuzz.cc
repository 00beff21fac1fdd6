// libFuzzer target for `valuepact benchmark`'s inputs CSV: the bytes are parsed as INPUTS.csv
// and, when they parse, the benchmark is computed under three contracts (an agreement period of
// 2022 with CMS's rules; one of 2024 with stated terms and the aggregate demographic cap; a
// renewing ACO's of 2025 with CMS's rules: offset, single value, prior savings and health equity
// adjustments, three-way update, regional risk growth cap).
// Every input must give figures or an error, never a fault.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "valuepact/benchmark/aggregate_benchmark.h"
#include "valuepact/contract/contract.h"

namespace {

const valuepact::Contract* Contract(int which) {
  static const auto contracts = [] {
    valuepact::ContractParseOptions po;
    po.benchmark_from_aggregates = true;
    const std::string head =
        "[contract]\nid = \"f\"\nperiod = { start = 2023-01-01, end = 2023-12-31 }\n";
    std::vector<valuepact::Contract> out;
    for (const std::string& rest :
         {std::string("agreement_start = 2022-01-01\nagreement_period = 1\n[benchmark]\n"
                      "method = \"historical\"\n"),
          std::string("agreement_start = 2024-01-01\nagreement_period = 1\n[benchmark]\n"
                      "method = \"historical\"\nupdate_factor = 1.02\n"
                      "regional = { weight = 0.35, cap = 0.05 }\n"),
          std::string("agreement_start = 2025-01-01\nagreement_period = 2\n[benchmark]\n"
                      "method = \"historical\"\n")}) {
      auto k = valuepact::ParseContract(head + rest, "f.toml", po);
      if (k.ok()) out.push_back(std::move(*k));
    }
    return out;
  }();
  return static_cast<size_t>(which) < contracts.size() ? &contracts[which] : nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  auto in =
      valuepact::AggregateBenchmarkInputs::Parse(valuepact::fuzz::Bytes(data, size), "inputs.csv");
  if (!in.ok()) return 0;
  for (int c = 0; c < 3; ++c) {
    if (const valuepact::Contract* k = Contract(c)) {
      valuepact::Trace trace;
      (void)valuepact::ComputeAggregateBenchmark(*k, *in, &trace);
    }
  }
  return 0;
}
