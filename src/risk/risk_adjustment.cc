#include "valuepact/risk/risk_adjustment.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace valuepact::risk {

Result<ModelAdjustment> FindAdjustment(const std::vector<CmsHccAdjustmentRate>& rates,
                                       HccVersion version, int payment_year) {
  for (const auto& r : rates) {
    if (r.version != version || r.payment_year != payment_year || r.pace_only) continue;
    if (!r.normalization_factor || *r.normalization_factor <= 0) {
      return NotFound(fmt::format(
          "adjustment_rates.csv:{}: no normalization factor for CMS-HCC {} in payment year {}",
          r.line, HccVersionName(version), payment_year));
    }
    if (!r.ma_coding_adjustment) {
      return NotFound(fmt::format(
          "adjustment_rates.csv:{}: no MA coding pattern adjustment for CMS-HCC {} in payment "
          "year {}",
          r.line, HccVersionName(version), payment_year));
    }
    ModelAdjustment a;
    a.version = version;
    a.payment_year = payment_year;
    a.normalization_factor = *r.normalization_factor;
    a.ma_coding_adjustment = *r.ma_coding_adjustment;
    a.blend_weight = r.blend_weight;
    a.source = fmt::format("adjustment_rates.csv:{} ({}, {})", r.line, r.model_label, payment_year);
    return a;
  }
  return NotFound(
      fmt::format("adjustment_rates.csv: no row for CMS-HCC {} in payment year {} (needed for "
                  "normalization and the MA coding pattern adjustment)",
                  HccVersionName(version), payment_year));
}

Result<BlendPlan> PlanBlend(const std::vector<CmsHccAdjustmentRate>& rates, int payment_year) {
  BlendPlan plan;
  plan.payment_year = payment_year;
  double total = 0;
  for (int v = 0; v < kHccVersionCount; ++v) {
    const auto version = static_cast<HccVersion>(v);
    const bool listed = std::any_of(rates.begin(), rates.end(), [&](const auto& r) {
      return r.version == version && r.payment_year == payment_year && !r.pace_only;
    });
    if (!listed) continue;
    auto a = FindAdjustment(rates, version, payment_year);
    if (!a.ok()) return a.status();
    if (a->blend_weight <= 0) continue;
    total += a->blend_weight;
    plan.parts.push_back(std::move(*a));
  }
  if (plan.parts.empty()) {
    return NotFound(
        fmt::format("adjustment_rates.csv: no CMS-HCC model for payment year {}", payment_year));
  }
  if (std::fabs(total - 1.0) > 1e-6) {
    return InvalidInput(
        fmt::format("adjustment_rates.csv: blend weights for payment year {} sum to {}, expected 1",
                    payment_year, total));
  }
  // CMS applies one MA coding pattern adjustment to the blended score.
  plan.ma_coding_adjustment = plan.parts.back().ma_coding_adjustment;
  for (const auto& p : plan.parts) {
    if (std::fabs(p.ma_coding_adjustment - plan.ma_coding_adjustment) > 1e-12) {
      return InvalidInput(fmt::format(
          "adjustment_rates.csv: MA coding adjustments differ between blended models in "
          "payment year {}",
          payment_year));
    }
  }
  return plan;
}

}  // namespace valuepact::risk
