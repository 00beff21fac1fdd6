#pragma once
// Attribution: which members a contract's provider is accountable for, period by period, with a
// rationale per member (the step that decided, and every candidate provider ranked with its
// amount). Methods and tie-breaks are documented in docs/attribution.md; seed 001 ("attribution
// - prospective or retrospective - and new members") is the source of the options.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "valuepact/contract/attribution_terms.h"
#include "valuepact/core/date.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/population/value_set.h"

namespace valuepact::attribution {

// The contract's terms name the method and its options (contract/attribution_terms.h).
using Method = AttributionMethod;
using Timing = AttributionTiming;
using ProviderLevel = AttributionLevel;
using Frequency = AttributionFrequency;
using NewMembers = NewMemberRule;
enum class ClinicianType : uint8_t { kPrimaryCare, kSpecialist, kOther };

const char* MethodName(Method m);  // "enrolled", "attribution_file", ...

// A payer's attribution list: one row per member and effective span.
struct AttributionFileRow {
  std::string person_id;
  std::string provider;  // may be empty: the contract's provider
  Date start;
  Date end = kNoDate;  // open
  std::string origin;  // "attribution.csv:7"
};

struct ProviderDirectory {
  std::map<std::string, ClinicianType, std::less<>> by_npi;
  bool empty() const { return by_npi.empty(); }
};

// The contract's terms, with the provider they resolve to and the files they name, read.
struct AttributionSpec : AttributionTerms {
  std::string contract_provider;  // who "enrolled" / "program_enrollment" members attribute to
  std::vector<AttributionFileRow> file_rows;  // method attribution_file
  ProviderDirectory providers;                // clinician types by NPI; empty: all primary care
};

struct Candidate {
  std::string provider;
  Money amount;
  int service_days = 0;
  Date last_service = kNoDate;
};

struct MemberAttribution {
  uint32_t member = 0;
  int period = 0;  // index into AttributionResult::periods
  bool attributed = false;
  std::string provider;
  // enrolled | attribution_file | program_enrollment | primary_care_clinicians | specialists |
  // new_member_retrospective | none
  std::string step;
  Period window{};                    // the claims window searched (plurality)
  std::vector<Candidate> candidates;  // ranked, winner first
  std::string rationale;              // one sentence a person can check
};

struct AttributionResult {
  std::vector<Period> periods;
  std::vector<MemberAttribution> rows;  // by period, then member id

  // person_id,period_start,period_end,attributed,provider,step,window_start,window_end,
  // candidates,rationale
  std::string ToCsv(const Dataset& ds) const;
  // One node per member and period (id attribution.<period_start>.<person_id>) and a count per
  // period (attribution.<period_start>.members).
  void AddToTrace(const Dataset& ds, Trace* trace) const;
  // Attributed member ids in `period`, ascending.
  std::vector<uint32_t> Members(int period) const;
};

// The spec for a contract's terms; `default_provider` ([contract] provider) is used when the
// terms name none. The files the terms name are read by the run loader into `file_rows` and
// `providers`.
AttributionSpec MakeAttributionSpec(const AttributionTerms& terms,
                                    const std::string& default_provider);

// The periods attribution runs for: the contract period whole, or its quarters.
std::vector<Period> AttributionPeriods(const Period& contract_period, Frequency f);

Result<AttributionResult> Attribute(const Dataset& ds, const ProgramData* program,
                                    const AttributionSpec& spec, const Period& contract_period,
                                    const population::ValueSetLibrary& value_sets);

// Reads a payer attribution list: person_id[,provider],start[,end].
Result<std::vector<AttributionFileRow>> ParseAttributionFile(std::string_view bytes,
                                                             const std::string& display_name);
// Reads npi,type (primary_care | specialist | other).
Result<ProviderDirectory> ParseProviderDirectory(std::string_view bytes,
                                                 const std::string& display_name);

}  // namespace valuepact::attribution
