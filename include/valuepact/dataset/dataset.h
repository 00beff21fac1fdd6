#pragma once
// The columnar, in-memory dataset every engine reads (ARCHITECTURE §1-§3). Readers fill it;
// engines never re-read files. Ids are dense integers interned on ingest, in order of first
// appearance, so the same files always give the same ids.
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/allocator.h"
#include "valuepact/core/date.h"
#include "valuepact/core/interner.h"
#include "valuepact/core/money.h"
#include "valuepact/core/money_column.h"
#include "valuepact/core/status.h"

namespace valuepact {

inline constexpr Date kNoDate = Date::FromDays(std::numeric_limits<int32_t>::min());
inline constexpr uint32_t kNoCode = StringInterner::kNone;

enum class ClaimType : uint8_t { kUnknown = 0, kInstitutional, kProfessional, kDme };

// Service categories (docs/service-categories.md documents the rules that assign them).
enum class ServiceCategory : uint8_t {
  kAcuteInpatient = 0,
  kOutpatient,
  kEmergency,
  kProfessional,
  kSnf,
  kHomeHealth,
  kHospice,
  kDme,
  kPharmacy,
  kOther,
};
inline constexpr int kServiceCategoryCount = 10;
const char* ServiceCategoryName(ServiceCategory c);   // "acute_inpatient", ...
const char* ServiceCategoryLabel(ServiceCategory c);  // "Acute inpatient", ...
const char* ClaimTypeName(ClaimType t);

// Where a row came from: an index into Dataset::sources plus the physical line.
struct SourceRef {
  uint32_t file = 0;
  uint32_t line = 0;
};

struct SourceFile {
  std::string path;    // as given by the user (relative paths stay relative)
  std::string table;   // eligibility | medical_claim | pharmacy_claim | ...
  std::string format;  // tuva_csv | cclf | fhir
  std::string sha256;  // FingerprintBytes of the file's bytes
  uint64_t rows_read = 0;
  uint64_t rows_rejected = 0;
  uint64_t bytes = 0;    // the file's size when read
  std::string modified;  // its modification time when read (ISO 8601 UTC; "" when unknown)
};

struct EligibilityTable {
  std::vector<uint32_t> member;
  std::vector<Date> start;
  std::vector<Date> end;
  std::vector<uint32_t> payer;  // code id of the lower-cased payer name
  std::vector<uint32_t> plan;   // code id or kNoCode
  std::vector<char> sex;        // 'M', 'F' or 'U'
  std::vector<Date> birth_date;
  std::vector<Date> death_date;
  std::vector<uint32_t> dual_status;      // code id or kNoCode
  std::vector<uint32_t> medicare_status;  // code id or kNoCode
  std::vector<uint32_t> orec;             // original reason for entitlement, code id or kNoCode
  // Race, ethnicity, state (by lower-cased name) and ZIP3 as code ids, kNoCode when absent:
  // Tuva eligibility columns, CCLF8 race, state and ZIP codes, FHIR Patient extensions and
  // address (ingest/demographics.h).
  std::vector<uint32_t> race, ethnicity, state, zip3;
  std::vector<SourceRef> source;
  size_t size() const { return member.size(); }
};

struct MedicalClaimTable {
  std::vector<uint32_t> claim;  // id in Dataset::claim_ids
  std::vector<int32_t> line_number;
  std::vector<uint32_t> member;
  std::vector<ClaimType> claim_type;
  std::vector<Date> claim_start, claim_end, line_start, line_end;
  std::vector<Date> admission, discharge, paid_date;
  // Code columns hold ids in Dataset::codes, or kNoCode when empty.
  std::vector<uint32_t> place_of_service, bill_type, drg, revenue_code, hcpcs, hcpcs_modifier_1;
  std::vector<uint32_t> rendering_npi, billing_npi, facility_npi, rendering_tin, billing_tin;
  std::vector<uint32_t> discharge_disposition;
  MoneyColumn paid, allowed, charge;
  std::vector<ServiceCategory> category;
  // Diagnoses and procedures in compressed rows: line i owns [dx_offset[i], dx_offset[i+1]).
  // Codes are stored upper-case without dots; position in the row is the diagnosis sequence.
  std::vector<uint32_t> dx_offset{0};
  std::vector<uint32_t> dx_code;
  std::vector<uint32_t> px_offset{0};
  std::vector<uint32_t> px_code;
  // A run whose engines use no diagnosis or procedure code (LoadOptions::diagnoses false)
  // keeps, instead of the rows above (then {0} and empty), what the data-quality scorecard
  // reports of them, one entry per line: the first diagnosis code listed (kNoCode when none),
  // how many diagnosis codes the line lists, and how many of those are not ICD-10-CM shaped.
  std::vector<uint32_t> dx_first;
  std::vector<uint8_t> dx_listed, dx_misshapen;
  std::vector<SourceRef> source;
  size_t size() const { return member.size(); }
  // False when the lines were read without their diagnosis and procedure codes (above).
  bool diagnoses_kept() const { return dx_first.empty(); }
  // False when the lines were read without the columns only metrics, episodes, plurality
  // attribution and population definitions read (LoadOptions::line_details): admission,
  // discharge, hcpcs_modifier_1, facility_npi, rendering_tin, billing_tin and
  // discharge_disposition are then empty.
  bool details_kept() const { return admission.size() == size(); }
  // The first diagnosis code listed on line i, or kNoCode; in either form of the table.
  uint32_t FirstDiagnosis(size_t i) const {
    if (!diagnoses_kept()) return dx_first[i];
    return dx_offset[i] < dx_offset[i + 1] ? dx_code[dx_offset[i]] : kNoCode;
  }
};

// kInternal naming `who` when the medical lines were read without their diagnosis and
// procedure codes (MedicalClaimTable::diagnoses_kept): a run that needs them must ask the
// reader for them, never see a line without codes.
Status RequireDiagnoses(const MedicalClaimTable& t, std::string_view who);

struct PharmacyClaimTable {
  std::vector<uint32_t> claim;
  std::vector<int32_t> line_number;
  std::vector<uint32_t> member;
  std::vector<Date> dispensing_date, paid_date;
  std::vector<uint32_t> ndc, prescribing_npi, dispensing_npi;
  MoneyColumn paid, allowed;
  std::vector<SourceRef> source;
  size_t size() const { return member.size(); }
  // False when read without dispensing_npi (LoadOptions::line_details): it is then empty.
  bool details_kept() const { return dispensing_npi.size() == size(); }
};

// Demographics a source states about a member apart from any enrollment span: a FHIR Patient
// or Coverage, a CCLF8 beneficiary row. One row per statement, in reading order; a value not
// stated is 'U', kNoDate or kNoCode. Filled by the CCLF and FHIR readers; empty for CSV input.
struct MemberDemographicsTable {
  std::vector<uint32_t> member;
  std::vector<char> sex;
  std::vector<Date> birth_date;
  std::vector<Date> death_date;
  std::vector<uint32_t> dual_status;
  std::vector<uint32_t> medicare_status;
  std::vector<uint32_t> orec;
  std::vector<SourceRef> source;
  size_t size() const { return member.size(); }
  void Add(uint32_t m, char s, Date birth, Date death, uint32_t dual, uint32_t status,
           uint32_t reason, SourceRef src) {
    member.push_back(m);
    sex.push_back(s);
    birth_date.push_back(birth);
    death_date.push_back(death);
    dual_status.push_back(dual);
    medicare_status.push_back(status);
    orec.push_back(reason);
    source.push_back(src);
  }
};

// CMS dual status codes that mean some Medicaid eligibility: 01-06, 08 and 09 (00 and NA mean
// none; 99 unknown).
bool IsDualStatusCode(std::string_view code);

// One row per member (index = member id), built by Dataset::FinalizeMembers: the member's
// eligibility rows (the latest span that states a value wins), then the member's demographic
// statements (a stated value wins over the spans; a later statement over an earlier one).
struct MemberTable {
  std::vector<char> sex;
  std::vector<Date> birth_date;
  std::vector<Date> death_date;
  std::vector<uint32_t> dual_status;
  std::vector<uint32_t> medicare_status;
  std::vector<uint32_t> orec;
  std::vector<uint32_t> race, ethnicity, state, zip3;  // from the eligibility spans
};

// One row per delivery of a CMS feed (the files of one CCLF zip, or one FHIR export), in the
// order the reader loaded them. Filled by the CCLF and FHIR readers; empty for CSV input.
struct DeliveryTable {
  std::vector<std::string> name;          // delivery key (file name without the file type)
  std::vector<std::string> format;        // cclf | fhir
  std::vector<Date> file_date;            // kNoDate when the name does not say
  std::vector<int32_t> performance_year;  // 0 when unknown
  std::vector<uint8_t> run_out;           // 1 for a CCLF run-out delivery
  std::vector<uint64_t> member_count;     // distinct beneficiaries listed in the delivery
  std::vector<uint64_t> claim_count;      // claim versions (or resources) first seen in it
  size_t size() const { return name.size(); }
};

// Every delivered version of every claim (CCLF debit/credit history) and how it was resolved,
// so a run can report what changed between deliveries. Part A and D versions are claim-level
// (line_number 0); Part B versions are per line.
struct ClaimVersionTable {
  std::vector<uint32_t> version;  // CUR_CLM_UNIQ_ID in Dataset::claim_ids
  std::vector<int32_t> line_number;
  std::vector<uint32_t> member;         // most recent MBI
  std::vector<char> part;               // 'A' Part A, 'B' Part B physician, 'M' DME, 'D' Part D
  std::vector<int8_t> adjustment_type;  // 0 original, 1 cancellation, 2 adjustment
  std::vector<uint32_t> natural_key;    // id in Dataset::codes
  std::vector<Date> effective, loaded;  // CLM_EFCTV_DT, CLM_IDR_LD_DT
  std::vector<Money> amount;            // paid amount as written (unsigned on cancellations)
  std::vector<uint32_t> delivery;       // index in Dataset::deliveries of first delivery
  // 'F' final action, 'C' cancelled, 'X' a cancellation, 'S' superseded (Part D),
  // 'D' final but denied (excluded from the claim tables)
  std::vector<char> status;
  std::vector<int32_t> paired_with;  // row of the matching cancellation/cancelled version
  std::vector<SourceRef> source;
  size_t size() const { return version.size(); }
};

// Member id changes (CCLF9 MBI cross-reference): `previous` (id in Dataset::codes) was replaced
// by member `current`.
struct MemberIdChangeTable {
  std::vector<uint32_t> previous;
  std::vector<uint32_t> current;
  std::vector<Date> effective, obsolete;
  std::vector<uint32_t> delivery;
  size_t size() const { return previous.size(); }
};

struct Dataset {
  StringInterner members;  // person_id text -> member id
  // claim_id text -> claim id (not indexed once read: Find is slow). Nearly one a pharmacy
  // line and rarely read by id: kept in groups (Get walks one).
  StringInterner claim_ids{StringInterner::Lookup::kGrouped};
  StringInterner codes;  // every code-like column (payer, DRG, ICD-10, HCPCS, NPI, ...)
  std::vector<SourceFile> sources;
  EligibilityTable eligibility;
  MedicalClaimTable medical;
  PharmacyClaimTable pharmacy;
  MemberDemographicsTable demographics;
  MemberTable member_info;
  DeliveryTable deliveries;
  ClaimVersionTable claim_versions;
  MemberIdChangeTable member_id_changes;

  uint32_t member_count() const { return members.size(); }
  // Rebuilds member_info (one row per member id) from eligibility and demographics. The data
  // loader (LoadDataDirectory) calls it; call it again after anything interns more members
  // (program data) or adds eligibility. Idempotent: the same tables give the same member_info.
  void FinalizeMembers();
};

// Lines grouped by member: offsets[m]..offsets[m+1] index into `order`, which lists line
// indices in their original order within each member (a stable counting sort).
struct MemberIndex {
  ZeroedArray<uint32_t> offsets;  // member_count + 1
  ZeroedArray<uint32_t> order;    // a row index each, every one written by IndexByMember
};
MemberIndex IndexByMember(const std::vector<uint32_t>& member_of_row, uint32_t member_count);

// Claim rows read and rejected over the claims files (medical, pharmacy, FHIR resources),
// every reader's rejects and the claim-line checks included.
struct ClaimRowCounts {
  uint64_t read = 0;
  uint64_t rejected = 0;
  double share() const { return read == 0 ? 0.0 : static_cast<double>(rejected) / read; }
};
ClaimRowCounts CountClaimRows(const Dataset& ds);

// kInternal naming `who` when the claim lines were read without the columns only metrics,
// episodes, plurality attribution and population definitions read (details_kept; LoadOptions::
// line_details): a run that needs them must ask the reader for them.
Status RequireLineDetails(const Dataset& ds, std::string_view who);

}  // namespace valuepact
