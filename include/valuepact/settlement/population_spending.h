#pragma once
// What the contract's population cost: in-scope claim lines (the contract's services and amount
// basis, dated by its claim-month rule) of each member in the months the Timeline puts them in
// the population. One computation for `settle`, `cohort` and every later command, so two
// commands never disagree about members, member-months or spend.
#include <array>
#include <vector>

#include "valuepact/contract/contract.h"
#include "valuepact/core/allocator.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/timeline.h"

namespace valuepact {

struct MemberSpending {
  uint32_t member = 0;
  int member_months = 0;
  int64_t lines = 0;
  Money medical;
  Money pharmacy;
  Money spend;            // medical + pharmacy in scope
  Money truncated_spend;  // after the settlement's member truncation (set by the settlement)
  std::array<Money, kServiceCategoryCount> by_category{};
};

struct ClaimScopeCounts {
  int64_t lines = 0;
  Money amount;
};

struct PopulationSpending {
  int64_t members = 0;
  int64_t member_months = 0;
  Money expenditure_total;  // in-scope claims, before truncation, without offsets
  ClaimScopeCounts in_scope;
  ClaimScopeCounts without_enrollment;  // in the period, but not in a population month
  ClaimScopeCounts out_of_period;
  std::array<Money, kServiceCategoryCount> by_category{};
  std::vector<MemberSpending> member_rows;  // population members, in member id order
};

// One member's claim lines sorted into scope: in the population's months (by service category),
// in the period outside them, outside the period. Members' lines are never split between the
// parts of a split dataset, so each rank of a distributed settlement tallies its own members.
struct MemberLines {
  int64_t lines = 0;  // in scope
  Money medical, pharmacy;
  std::array<Money, kServiceCategoryCount> by_category{};
  ClaimScopeCounts without_enrollment, out_of_period;
  uint8_t overflow = 0;  // 1: a sum left the range of int64 cents
};

// One MemberLines a member, by member id: zero at the start without a pass over them (a million
// members' table is about 140 MB; core/allocator.h).
using MemberLinesTable = ZeroedArray<MemberLines>;

// Every member's lines of `ds` (by member id), against `timeline` (of the same members: one
// entry for each of its members). It reads only the lines' member, claim month dates, category
// and amount (run::SpendingLineColumns lists them: a run may read only those from a cache).
MemberLinesTable TallyMemberLines(const Dataset& ds, const Contract& contract,
                                  const Timeline& timeline);

// Adds expenditure.category.<name>[.pmpm], claims.in_scope.lines, claims.without_enrollment.*,
// claims.out_of_period.lines and expenditure.total to the trace. Deterministic for any thread
// count (integer sums reduced in member order). A sum that would overflow is an input error.
// `tallied`: every member's lines already tallied (by member id; TallyMemberLines, or the parts'
// tallies put in their places), or null to tally `ds`'s.
Result<PopulationSpending> ComputePopulationSpending(const Dataset& ds, const Contract& contract,
                                                     const Timeline& timeline, Trace* trace,
                                                     const MemberLinesTable* tallied = nullptr);

}  // namespace valuepact
