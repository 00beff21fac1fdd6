#pragma once
// Figure ids: the trace node ids that engines write, reports read and tests expect, named once
// here (docs/contract-reference.md lists them for users). A layer's figures live under
// "layer.<layer id>.<step>".
#include <string_view>

namespace valuepact::figure {

// Population (the Timeline).
inline constexpr std::string_view kPlanMemberMonths = "population.plan_member_months";
inline constexpr std::string_view kAttributedMemberMonths = "population.attributed_member_months";
inline constexpr std::string_view kEligibleMemberMonths = "population.eligible_member_months";
inline constexpr std::string_view kMemberMonths = "population.member_months";
inline constexpr std::string_view kMembers = "population.members";

// Spending.
inline constexpr std::string_view kExpenditureTotal = "expenditure.total";
inline constexpr std::string_view kTruncatedTotal = "expenditure.truncated_total";
inline constexpr std::string_view kExpenditurePmpm = "expenditure.pmpm";
inline constexpr std::string_view kInScopeLines = "claims.in_scope.lines";
inline constexpr std::string_view kWithoutEnrollmentLines = "claims.without_enrollment.lines";
inline constexpr std::string_view kWithoutEnrollmentAmount = "claims.without_enrollment.amount";
inline constexpr std::string_view kOutOfPeriodLines = "claims.out_of_period.lines";
inline constexpr std::string_view kClaimRowsRead = "claims.rows_read";
inline constexpr std::string_view kClaimRowsRejected = "claims.rows_rejected";
inline constexpr std::string_view kClaimRejectShare = "claims.reject_share";

// Benchmark and outcome.
inline constexpr std::string_view kBenchmarkPmpm = "benchmark.pmpm";
inline constexpr std::string_view kBenchmarkTotal = "benchmark.total";
inline constexpr std::string_view kNet = "net_payer_to_provider";

// Program quantities (layers/layer.h names them as quantities too).
inline constexpr std::string_view kProgramMemberMonths = "program.member_months";
inline constexpr std::string_view kInitialAssessments = "program.initial_assessments";
inline constexpr std::string_view kAcpMembers = "program.acp_members";
inline constexpr std::string_view kAcpEvents = "program.acp_events";
inline constexpr std::string_view kOutlierMemberMonths = "program.outlier_member_months";

}  // namespace valuepact::figure
