#pragma once
// The compiled form of definitions: a flat list of column operations over registers. Each
// register is one column over a domain (members, claim lines, or a program-data table); every
// operation runs over its whole domain in parallel, so evaluation cost does not depend on how
// the definition was written per member.
#include <cstdint>
#include <string>
#include <vector>

#include "population/definition_ast.h"
#include "valuepact/core/allocator.h"
#include "valuepact/population/definition.h"
#include "valuepact/population/value_set.h"

namespace valuepact::population {

enum class Domain : uint8_t { kMember = 0, kLine, kReferral, kVisit, kEvent, kProgramEnrollment };
const char* DomainNoun(Domain d);  // "member", "claim line", "referral", ...

enum class Op : uint8_t {
  kConst,            // number (or 0/1) in any domain
  kAnd,              // a and b
  kOr,               // a or b
  kNot,              // not a
  kCompare,          // number a `cmp` (b, or `number` when b < 0)
  kAge,              // full years at the index date
  kRiskScore,        // EvalContext::risk_scores
  kDual,             // dual_status_code 01-06, 08, 09
  kMemberAttrIn,     // field: MemberAttr; strings
  kLineCodeIn,       // field: LineColumn; matcher
  kLineCategoryIn,   // mask over ServiceCategory
  kLineClaimTypeIn,  // mask over ClaimType
  kRowEnumIn,        // domain's enum field in mask
  kRowTextIn,        // domain's text field in strings
  kExists,           // member: some row of row_domain (mask a, or all) dated in window
  kAggregate,        // member: measure over rows of row_domain (mask a, or all) in window
  kAdmissions,       // member: acute inpatient stays admitted in window
  kEdVisits,         // member: distinct days with an emergency department line in window
  kBedDays,          // member: days of stay of admissions in window
  kEnrolled,         // member: eligibility covers every day of window
  kEnrolledDays,     // member: days of window covered by eligibility
  kDied,             // member: death date (eligibility or death event) in window
};

enum class MemberAttr : uint8_t { kSex, kDualStatus, kMedicareStatus, kOrec, kPayer, kPlan };
enum class LineColumn : uint8_t {
  kDiagnosisAny,
  kDiagnosisPrimary,
  kProcedure,
  kDrg,
  kPlaceOfService,
  kRevenueCode,
  kBillType
};
// Row fields of program tables (kRowEnumIn / kRowTextIn).
enum class RowField : uint8_t {
  kReferralOutcome,
  kReferralSource,
  kReferralReason,
  kVisitDiscipline,
  kVisitModality,
  kEventType,
  kEventLocation,
  kEventPreferredLocation,
  kEnrollmentSetting,
  kEnrollmentEndReason
};
enum class Measure : uint8_t {
  kRows,        // number of rows
  kClaims,      // distinct claims with a matching line
  kPaid,        // dollars paid on matching lines
  kAllowed,     // dollars allowed on matching lines
  kPaidAll,     // medical + pharmacy paid (cost without a condition)
  kAllowedAll,  // medical + pharmacy allowed
  kMinutes,     // visit minutes
};

struct Instr {
  Op op = Op::kConst;
  Domain domain = Domain::kMember;  // the domain of the result register
  bool is_bool = true;
  int dest = -1;
  int a = -1;
  int b = -1;
  CompareOp cmp = CompareOp::kEq;
  double number = 0;
  uint8_t field = 0;                  // MemberAttr, LineColumn, RowField or Measure
  Domain row_domain = Domain::kLine;  // kExists / kAggregate
  uint64_t mask = 0;
  int matcher = -1;
  std::vector<std::string> strings;
  Window window;
  std::string text;  // human form for Listing()
};

struct Program::Impl {
  std::vector<Instr> code;
  int register_count = 0;
  std::vector<CodeMatcher> matchers;
  std::vector<OutputInfo> outputs;
  std::vector<int> output_regs;
};

struct DatasetIndex::Impl {
  uint32_t member_count = 0;
  // Rows grouped by member: rows of member m are order[offsets[m] .. offsets[m+1]).
  struct Group {  // as IndexByMember gives it (MemberIndex), each member's rows then sorted
    ZeroedArray<uint32_t> offsets;
    ZeroedArray<uint32_t> order;
  };
  Group medical;                                 // within a member: by claim id, then line number
  Group pharmacy;                                // by dispensing date
  Group eligibility;                             // by start date
  Group referrals, visits, events, enrollments;  // by date (enrollments: start)
  std::vector<Date> line_date;                   // line start, else claim start
};

}  // namespace valuepact::population
