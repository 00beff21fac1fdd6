#include "valuepact/modeling/roi.h"

#include <fmt/format.h>

namespace valuepact::modeling {

Result<Roi> ComputeRoi(const RoiInputs& in) {
  if (in.payments.cents() <= 0) {
    return InvalidInput(fmt::format(
        "program payments are {} ({}): the ROI divides by the payments, which must be positive",
        in.payments.ToString(), in.payments_source));
  }
  Roi r;
  r.inputs = in;
  r.net_savings = in.savings - in.payments;
  r.roi = static_cast<double>(r.net_savings.cents()) / static_cast<double>(in.payments.cents());
  return r;
}

}  // namespace valuepact::modeling
