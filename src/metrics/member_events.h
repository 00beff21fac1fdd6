#pragma once
// The utilization events of one member, built from the member's medical lines (docs/metrics.md):
// stays of a category, distinct visit dates, distinct covered days. Internal to src/metrics.
#include <cstdint>
#include <optional>
#include <vector>

#include "valuepact/core/date.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/metrics/claims_metrics.h"

namespace valuepact::metrics {

struct MemberEvents {
  std::vector<MetricEvent> acute, snf, home_health;       // stays and episodes, by start
  std::vector<MetricEvent> ed_visits, observation_stays;  // one per distinct date of service
  std::vector<Date> hospice_days, icu_days;               // distinct days inside the period
};

// `lines`: the member's medical line rows. Days are counted inside `period` only.
MemberEvents BuildMemberEvents(const Dataset& ds, const std::vector<uint32_t>& lines,
                               const Period& period);

// A service line's dates: [line start, else claim start; line end, else claim end] (an end
// before the start is the start); nullopt without a start date.
std::optional<Period> ServiceDates(const Dataset& ds, uint32_t line);

// Revenue code text of a line as four digits ("200" → "0200"); "" when none.
std::string RevenueCode(const Dataset& ds, uint32_t line);

}  // namespace valuepact::metrics
