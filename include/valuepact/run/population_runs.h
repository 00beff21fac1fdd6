#pragma once
// CohortRun and CandidatesRun: who meets the contract's eligibility definition and who should be
// reached next. Both read the run's one Timeline, so `cohort`'s population members, member-months
// and spend equal `settle`'s for the same contract and data; and both list only members enrolled
// and alive on their index date.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/core/trace.h"
#include "valuepact/population/cohort.h"
#include "valuepact/run/loader.h"
#include "valuepact/run/timeline_builder.h"
#include "valuepact/settlement/population_spending.h"

namespace valuepact::run {

struct CohortRequest {
  InputPaths inputs;
  std::string index_date;            // YYYY-MM-DD; "" = the period start
  std::vector<std::string> compare;  // two names from [definitions] or expressions
};

struct CohortRunResult {
  std::unique_ptr<RunInputs> inputs;
  std::string eligible;  // the definition evaluated (before the enrolled-and-alive guard)
  Date index_date;
  std::optional<population::Cohort> cohort;
  std::optional<population::Funnel> funnel;
  std::optional<population::Comparison> comparison;
  std::string compare_a, compare_b;  // the compared expressions
  std::optional<attribution::AttributionResult> attribution;
  PopulationSpending spending;
  Trace trace;
  std::string run_id;
  nlohmann::ordered_json summary;  // population, expenditure: the same shape as settle's
};

Result<CohortRunResult> CohortRun(const CohortRequest& request,
                                  const FileSystem& files = RealFiles());

struct CandidatesRequest {
  InputPaths inputs;
  std::string definition;  // "" = [population] eligible
  std::string as_of;       // "" = the period start
  size_t limit = 0;        // 0 = all
};

struct CandidatesRunResult {
  std::unique_ptr<RunInputs> inputs;
  std::string definition_name;
  Date index_date;
  std::vector<population::OutreachCandidate> candidates;
};

Result<CandidatesRunResult> CandidatesRun(const CandidatesRequest& request,
                                          const FileSystem& files = RealFiles());

// "(<expr>) and enrolled within 1 days after and not died within 100 years before": a member
// counts only when enrolled and alive on the index date.
std::string EnrolledAndAlive(const std::string& expression);

}  // namespace valuepact::run
