#pragma once
// The payer's return on investment (seed 000): ROI = (savings − program payments) ÷ program
// payments, shown with where each input came from (docs/modeling.md).
#include <optional>
#include <string>

#include "valuepact/core/money.h"
#include "valuepact/core/status.h"

namespace valuepact::modeling {

struct RoiInputs {
  Money savings;  // gross savings to the payer (before program payments)
  std::string savings_source;
  Money payments;  // what the payer pays the program
  std::string payments_source;
};

struct Roi {
  RoiInputs inputs;
  Money net_savings;  // savings − payments
  double roi = 0;     // net savings ÷ payments
  // The savings at which the program pays for itself (ROI 0) is the payments themselves.
};

// Errors when the payments are not positive (no ROI on nothing paid).
Result<Roi> ComputeRoi(const RoiInputs& in);

}  // namespace valuepact::modeling
