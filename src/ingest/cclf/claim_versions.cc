#include "valuepact/ingest/cclf/claim_versions.h"

#include <algorithm>
#include <limits>

namespace valuepact::cclf {
namespace {

std::string_view StripZeros(std::string_view s) {
  while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

int CompareUniqueIds(std::string_view a, std::string_view b) {
  const bool da = AllDigits(a), db = AllDigits(b);
  if (da != db) return da ? -1 : 1;
  if (da) {
    a = StripZeros(a);
    b = StripZeros(b);
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  }
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::vector<VersionOutcome> ResolveFinalAction(const std::vector<VersionInput>& v) {
  const size_t n = v.size();
  std::vector<VersionOutcome> out(n);
  // Versions of each group, in a canonical order so that the input order never matters.
  std::vector<uint32_t> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = i;
  auto version_less = [&](uint32_t a, uint32_t b) {
    if (v[a].group != v[b].group) return v[a].group < v[b].group;
    if (v[a].effective != v[b].effective) return v[a].effective < v[b].effective;
    const int c = CompareUniqueIds(v[a].unique_id, v[b].unique_id);
    if (c != 0) return c < 0;
    if (v[a].type != v[b].type) return v[a].type < v[b].type;
    if (v[a].amount != v[b].amount) return v[a].amount < v[b].amount;
    return a < b;
  };
  std::sort(order.begin(), order.end(), version_less);
  std::vector<char> matched(n, 0);
  size_t g0 = 0;
  while (g0 < n) {
    size_t g1 = g0;
    while (g1 < n && v[order[g1]].group == v[order[g0]].group) ++g1;
    // Cancellations of this group are already in (effective, unique id) order.
    for (size_t ci = g0; ci < g1; ++ci) {
      const uint32_t c = order[ci];
      if (v[c].type != AdjustmentType::kCancellation) continue;
      int64_t best = -1;
      for (int pass = 0; pass < 4 && best < 0; ++pass) {
        const bool strictly_earlier = pass == 0 || pass == 2;
        const bool same_amount = pass < 2;
        for (size_t k = g0; k < g1; ++k) {
          const uint32_t cand = order[k];
          if (v[cand].type == AdjustmentType::kCancellation || matched[cand]) continue;
          if (strictly_earlier ? !(v[cand].effective < v[c].effective)
                               : !(v[cand].effective <= v[c].effective)) {
            continue;
          }
          if (same_amount && v[cand].amount != v[c].amount) continue;
          // Latest effective date, then highest unique id: the canonical order puts it last.
          if (best < 0 || version_less(static_cast<uint32_t>(best), cand)) best = cand;
        }
      }
      if (best >= 0) {
        matched[best] = 1;
        out[c].paired_with = best;
        out[best].paired_with = c;
      }
    }
    g0 = g1;
  }
  for (size_t i = 0; i < n; ++i) {
    out[i].final_action = v[i].type != AdjustmentType::kCancellation && !matched[i];
  }
  return out;
}

Money DebitCreditTotal(const std::vector<VersionInput>& versions) {
  Money total;
  for (const auto& x : versions) {
    total += x.type == AdjustmentType::kCancellation ? -x.amount : x.amount;
  }
  return total;
}

}  // namespace valuepact::cclf
