#pragma once
// Cohorts built from a compiled eligibility definition: the per-member cohort table, the
// eligibility funnel (eligible -> referred -> assessed -> enrolled -> active), the side-by-side
// comparison of two definitions (seed 002's strict-vs-loose trade-off), and the outreach
// candidate list. Rules for every figure are in docs/definitions.md ("Cohorts").
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/core/date.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/population/definition.h"

namespace valuepact::population {

struct CohortInputs {
  const Dataset* dataset = nullptr;
  const ProgramData* program = nullptr;
  const std::vector<double>* risk_scores = nullptr;
  const DatasetIndex* index = nullptr;  // required: build once, share
  Period period;                        // the contract period
  Date index_date = kNoDate;            // default: period.start
  Date EffectiveIndex() const { return index_date == kNoDate ? period.start : index_date; }
};

struct Cohort {
  std::string root;                   // output name of the eligibility rule
  std::vector<std::string> criteria;  // member-level definitions it uses, first reference first
  Evaluation evaluation;
  const std::vector<uint8_t>& in() const { return evaluation.Find(root)->flags; }
  int64_t size() const;
  // person_id,status,<root>,<criterion...>: status is in|out; conditions 1/0; numbers as
  // decimals (blank when unknown). One row per member id, in id order.
  std::string ToCsv(const Dataset& ds) const;
};

Result<Cohort> ComputeCohort(const Program& program, const std::string& root,
                             const CohortInputs& in);

struct FunnelCounts {
  int64_t eligible = 0, referred = 0, assessed = 0, enrolled = 0, active = 0;
};
struct FunnelMonth {
  YearMonth month;
  FunnelCounts counts;
};
struct Funnel {
  FunnelCounts total;
  std::vector<FunnelMonth> months;
  nlohmann::ordered_json ToJson() const;
};

// Stages are nested: each counts members of the previous stage (docs/definitions.md, "Funnel").
Result<Funnel> ComputeFunnel(const Program& program, const std::string& root,
                             const CohortInputs& in);

struct DefinitionSummary {
  std::string name;
  int64_t members = 0;
  int64_t member_months = 0;
  Money cost;             // paid, medical + pharmacy, dated in the period
  double pmpm = 0;        // cost / member_months
  double cost_cv = 0;     // population standard deviation / mean of member cost
  double top5_share = 0;  // share of cost in the costliest ceil(5%) of members
};
struct Comparison {
  DefinitionSummary a, b;
  int64_t both = 0, only_a = 0, only_b = 0;
  double jaccard = 0;  // both / (both + only_a + only_b)
  nlohmann::ordered_json ToJson() const;
  std::string ToText() const;  // side-by-side table for people
};

// `a` and `b` are output names of `program` (compile both as roots).
Result<Comparison> CompareDefinitions(const Program& program, const std::string& a,
                                      const std::string& b, const CohortInputs& in);

struct OutreachCandidate {
  uint32_t member = 0;
  double score = 0;
  double admissions = 0, ed_visits = 0, cost = 0;
  double risk_score = 0;  // NaN without risk scores
};
// Members who meet `root` and have no referral dated on or before the index date, ranked by
// score = 3 x admissions + 2 x ED visits + cost / 10,000 + risk score (each over the 12 months
// before the index date; risk score 0 when not supplied); ties by person_id.
Result<std::vector<OutreachCandidate>> RankCandidates(const Program& program,
                                                      const std::string& root,
                                                      const CohortInputs& in);
std::string CandidatesCsv(const Dataset& ds, const std::vector<OutreachCandidate>& c);

// Per-member paid cost (medical lines by line date, pharmacy by dispensing date) in `p`.
std::vector<int64_t> MemberCostCents(const Dataset& ds, const Period& p);

}  // namespace valuepact::population
