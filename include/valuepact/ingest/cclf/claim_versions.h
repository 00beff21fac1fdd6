#pragma once
// Final-action resolution of CCLF claim versions (IP v38 §5.1.3 / §5.2.1). The files carry every
// processed version of a claim (debit/credit method): originals (0), cancellations (1) and
// adjustments (2). Versions are grouped by natural key; each cancellation removes one
// non-cancelled original or adjustment of its group; what remains is final action (possibly
// more than one version per group).
#include <cstdint>
#include <string_view>
#include <vector>

#include "valuepact/core/date.h"
#include "valuepact/core/money.h"

namespace valuepact::cclf {

enum class AdjustmentType : int8_t { kOriginal = 0, kCancellation = 1, kAdjustment = 2 };

struct VersionInput {
  uint32_t group = 0;  // natural-key group
  AdjustmentType type = AdjustmentType::kOriginal;
  Date effective;              // CLM_EFCTV_DT (kNoDate sorts first)
  std::string_view unique_id;  // CUR_CLM_UNIQ_ID, compared numerically
  Money amount;                // as written (unsigned on cancellations)
};

struct VersionOutcome {
  bool final_action = false;
  // For a cancellation: the index of the version it cancels; for an original/adjustment: the
  // index of the cancellation that removed it; -1 when none.
  int64_t paired_with = -1;
};

// Matching rule (docs/input-formats.md, "Claim versions"): cancellations are processed in
// (effective date, unique id) order; each takes, among unmatched originals/adjustments of its
// group, the first non-empty set of: (a) effective strictly earlier and same amount; (b) same or
// earlier, same amount; (c) strictly earlier, any amount; (d) same or earlier, any amount — and
// within it the latest effective date, then the highest unique id. A cancellation with no
// candidate removes nothing. Deterministic for any input order.
std::vector<VersionOutcome> ResolveFinalAction(const std::vector<VersionInput>& versions);

// Debit/credit total (IP 5.3.1): the sum of all versions with cancellations negated.
Money DebitCreditTotal(const std::vector<VersionInput>& versions);

// Numeric comparison of digit strings of any length (leading zeros ignored); non-digit strings
// compare after digit strings, bytewise.
int CompareUniqueIds(std::string_view a, std::string_view b);

}  // namespace valuepact::cclf
