#pragma once
// Evaluates a contract's [[example]] blocks with the settlement engine and compares every
// expected figure (`valuepact check`; `settle` refuses a contract whose examples fail).
#include <string>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/layers/shared_savings.h"

namespace valuepact {

struct ExampleMismatch {
  std::string key;
  std::string expected;
  std::string actual;
  int line = 0;       // of the expected value in the contract
  std::string trace;  // the derivation of the engine's figure
};

struct ExampleCheck {
  std::string name;
  int line = 0;
  bool passed = false;
  std::string error;  // the inputs could not be evaluated
  std::vector<ExampleMismatch> mismatches;
  int figures_checked = 0;
};

std::vector<ExampleCheck> CheckExamples(const Contract& contract,
                                        const SharedSavingsContext& context);

// "path:line: example 'name': key: expected X, the engine gives Y" lines, one per problem.
std::vector<std::string> DescribeFailures(const Contract& contract,
                                          const std::vector<ExampleCheck>& checks, bool with_trace);

}  // namespace valuepact
