#include "valuepact/ingest/tuva_reader.h"
#include "valuepact/core/text.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/distributed.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/progress.h"
#include "valuepact/core/sha256.h"
#include "valuepact/dataset/service_category.h"
#include "valuepact/ingest/dataset_cache.h"
#include "valuepact/ingest/demographics.h"
#include "valuepact/ingest/quality/line_tally.h"
#include "valuepact/ingest/quality/quality.h"

namespace valuepact {
namespace {

struct ColumnSpec {
  std::string_view name;
  std::vector<std::string_view> aliases;
};

// ---- column sets -------------------------------------------------------------------------

enum EligCol {
  kEPerson,
  kEGender,
  kEBirth,
  kEDeath,
  kEStart,
  kEEnd,
  kEPayer,
  kEPlan,
  kEDual,
  kEMedicare,
  kEOrec,
  kERace,
  kEEthnicity,
  kEState,
  kEZip,
  kEligColCount
};
const std::vector<ColumnSpec>& EligibilityColumns() {
  static const std::vector<ColumnSpec> c = {{"person_id", {"patient_id"}},
                                            {"gender", {"sex"}},
                                            {"birth_date", {}},
                                            {"death_date", {}},
                                            {"enrollment_start_date", {}},
                                            {"enrollment_end_date", {}},
                                            {"payer", {}},
                                            {"plan", {}},
                                            {"dual_status_code", {}},
                                            {"medicare_status_code", {}},
                                            {"original_reason_entitlement_code", {}},
                                            {"race", {}},
                                            {"ethnicity", {}},
                                            {"state", {}},
                                            {"zip_code", {}}};
  return c;
}

constexpr int kDxColumns = 25;
constexpr int kPxColumns = 25;
enum MedCol {
  kMClaim,
  kMLine,
  kMType,
  kMPerson,
  kMStart,
  kMEnd,
  kMLineStart,
  kMLineEnd,
  kMAdmit,
  kMDischarge,
  kMPos,
  kMBill,
  kMDrg,
  kMRev,
  kMHcpcs,
  kMMod1,
  kMRendNpi,
  kMRendTin,
  kMBillNpi,
  kMBillTin,
  kMFacNpi,
  kMDisp,
  kMPaidDate,
  kMPaid,
  kMAllowed,
  kMCharge,
  kMDx1,
  kMPx1 = kMDx1 + kDxColumns,
  kMedColCount = kMPx1 + kPxColumns
};
const std::vector<ColumnSpec>& MedicalColumns() {
  static const std::vector<ColumnSpec> c = [] {
    std::vector<ColumnSpec> v = {{"claim_id", {}},
                                 {"claim_line_number", {}},
                                 {"claim_type", {}},
                                 {"person_id", {"patient_id"}},
                                 {"claim_start_date", {}},
                                 {"claim_end_date", {}},
                                 {"claim_line_start_date", {}},
                                 {"claim_line_end_date", {}},
                                 {"admission_date", {}},
                                 {"discharge_date", {}},
                                 {"place_of_service_code", {}},
                                 {"bill_type_code", {}},
                                 {"drg_code", {"ms_drg_code"}},
                                 {"revenue_center_code", {}},
                                 {"hcpcs_code", {}},
                                 {"hcpcs_modifier_1", {}},
                                 {"rendering_npi", {}},
                                 {"rendering_tin", {}},
                                 {"billing_npi", {}},
                                 {"billing_tin", {}},
                                 {"facility_npi", {}},
                                 {"discharge_disposition_code", {}},
                                 {"paid_date", {}},
                                 {"paid_amount", {}},
                                 {"allowed_amount", {}},
                                 {"charge_amount", {}}};
    static std::vector<std::string> names;  // stable storage for generated names
    names.reserve(kDxColumns + kPxColumns);
    for (int i = 1; i <= kDxColumns; ++i) {
      names.push_back(fmt::format("diagnosis_code_{}", i));
    }
    for (int i = 1; i <= kPxColumns; ++i) {
      names.push_back(fmt::format("procedure_code_{}", i));
    }
    for (const auto& n : names) {
      v.push_back({n, {}});
    }
    return v;
  }();
  return c;
}

enum RxCol {
  kRClaim,
  kRLine,
  kRPerson,
  kRDispensing,
  kRPaidDate,
  kRNdc,
  kRPrescriber,
  kRDispenser,
  kRPaid,
  kRAllowed,
  kRxColCount
};
const std::vector<ColumnSpec>& PharmacyColumns() {
  static const std::vector<ColumnSpec> c = {{"claim_id", {}},
                                            {"claim_line_number", {}},
                                            {"person_id", {"patient_id"}},
                                            {"dispensing_date", {}},
                                            {"paid_date", {}},
                                            {"ndc_code", {}},
                                            {"prescribing_provider_npi", {}},
                                            {"dispensing_provider_npi", {}},
                                            {"paid_amount", {}},
                                            {"allowed_amount", {}}};
  return c;
}

// Columns known to the Tuva input layer that this engine does not use: ignored without a note.
bool IsKnownUnusedColumn(std::string_view h) {
  static const std::vector<std::string_view> prefixes = {
      "diagnosis_poa_",      "hcpcs_modifier_",     "procedure_date_",
      "diagnosis_code_type", "procedure_code_type", "drg_code_type"};
  for (auto p : prefixes) {
    if (h.substr(0, p.size()) == p) {
      return true;
    }
  }
  static const std::vector<std::string_view> names = {"member_id",
                                                      "subscriber_id",
                                                      "race",
                                                      "death_flag",
                                                      "payer_type",
                                                      "first_name",
                                                      "last_name",
                                                      "middle_name",
                                                      "name_suffix",
                                                      "address",
                                                      "city",
                                                      "state",
                                                      "zip_code",
                                                      "phone",
                                                      "email",
                                                      "data_source",
                                                      "file_name",
                                                      "file_date",
                                                      "ingest_datetime",
                                                      "apr_drg_code",
                                                      "admit_source_code",
                                                      "admit_type_code",
                                                      "service_unit_quantity",
                                                      "total_cost_amount",
                                                      "coinsurance_amount",
                                                      "copayment_amount",
                                                      "deductible_amount",
                                                      "in_network_flag",
                                                      "quantity",
                                                      "days_supply",
                                                      "refills",
                                                      "group_id",
                                                      "group_name",
                                                      "social_security_number",
                                                      "subscriber_relation",
                                                      "ethnicity",
                                                      "enrollment_status",
                                                      "hospice_flag",
                                                      "snp_type",
                                                      "medicaid_indicator",
                                                      "long_term_institutional_flag",
                                                      "part_d_raf_type",
                                                      "low_income_subsidy_indicator",
                                                      "metal_level",
                                                      "csr_indicator",
                                                      "enrollment_duration_months",
                                                      "esrd_status",
                                                      "transplant_duration_months",
                                                      "payer",
                                                      "plan"};
  static const std::unordered_set<std::string_view> set(names.begin(), names.end());
  return set.count(h) != 0;
}

// Column index by name or alias (the first column that has it), built once per column set:
// matching a header is one lookup per header field, not a scan of every column's names.
using ColumnLookup = std::unordered_map<std::string_view, int>;
ColumnLookup MakeLookup(const std::vector<ColumnSpec>& spec) {
  ColumnLookup lookup;
  for (size_t c = 0; c < spec.size(); ++c) {
    lookup.emplace(spec[c].name, static_cast<int>(c));
    for (auto a : spec[c].aliases) {
      lookup.emplace(a, static_cast<int>(c));
    }
  }
  return lookup;
}
template <const std::vector<ColumnSpec>& (*Columns)()>
const ColumnLookup& LookupFor() {
  static const ColumnLookup lookup = MakeLookup(Columns());
  return lookup;
}

// ---- per-chunk state -----------------------------------------------------------------------

// A chunk's ids. Its claim ids are a list (StringInterner::Append): a claim's lines follow one
// another, so a line's claim is compared with the line before's (ColumnCache) and is otherwise
// listed again, and the merge finds the repeats; nearly every claim id is new, and looking each
// up in a table of the chunk's own would cost more than the merge's grouping does.
struct LocalIds {
  StringInterner members, claims, codes;
};

// The last value interned per column and its id. Claim files are usually sorted by member and
// claim, so consecutive rows repeat the same person, claim, provider and codes; comparing with
// the previous value skips most hash probes. Only views into the mapped file are cached (views
// into the cursor's scratch space do not outlive the row).
struct ColumnCache {
  std::string_view value;
  uint32_t id = kNoCode;
};

struct Chunk {
  CsvChunk range;
  LocalIds ids;
  std::vector<ColumnCache> cache;
  IngestReport report;
  EligibilityTable elig;
  MedicalClaimTable med;
  PharmacyClaimTable rx;
  uint64_t rows = 0;
  // A quoted field ran to the chunk's end unclosed (CsvCursor::ran_out_in_quote): the cut after
  // the chunk may lie inside it.
  bool ran_out_in_quote = false;
  // Merged columns are emptied keeping their memory, which the chunk parses its next range into
  // (a file read in batches, below); else they are freed.
  bool keep_memory = false;
};

// Empties a merged chunk's column for its next range (keeping its memory when asked), or frees it.
template <typename T>
void Empty(const Chunk& ch, T* column) {
  if (ch.keep_memory) {
    column->clear();
  } else {
    T().swap(*column);
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Field access and typed parsing for one record; the first error rejects the row.
class Row {
 public:
  Row(const CsvFields& fields, const std::vector<int>& col, const std::vector<ColumnSpec>& spec,
      const std::string& file, uint64_t line, Chunk* chunk, std::string_view data)
      : fields_(fields),
        col_(col),
        spec_(spec),
        file_(file),
        line_(line),
        chunk_(chunk),
        data_(data) {}

  bool has(int c) const { return col_[c] >= 0; }
  // Which of the n columns from `first` hold any bytes (get() may still trim one to nothing),
  // as bits: a line's diagnosis columns are mostly empty, and are told apart in one pass.
  uint32_t WithBytes(int first, int n) const {
    const int* col = col_.data() + first;
    uint32_t bits = 0;
    for (int i = 0; i < n; ++i) {
      bits |= static_cast<uint32_t>(col[i] >= 0 && !fields_[col[i]].empty()) << i;
    }
    return bits;
  }
  std::string_view get(int c) const {
    return col_[c] < 0 ? std::string_view() : Trim(fields_[col_[c]]);
  }
  bool ok() const { return ok_; }

  void Fail(int c, std::string_view value, std::string reason) {
    if (!ok_) {
      return;
    }
    ok_ = false;
    chunk_->report.AddReject(file_, line_, std::string(spec_[c].name), value, std::move(reason));
  }

  std::string_view Required(int c) {
    auto v = get(c);
    if (v.empty()) {
      Fail(c, v, "required value is empty");
    }
    return v;
  }

  Date DateOr(int c, Date fallback) {
    auto v = get(c);
    if (v.empty()) {
      return fallback;
    }
    Date d;
    if (ParseDateTo(v, &d)) return d;
    auto r = ParseDate(v);  // for its message (or the rare date the quick check leaves to it)
    if (!r.ok()) {
      Fail(c, v, r.status().message());
      return fallback;
    }
    return *r;
  }

  Money Amount(int c, const char* empty_counter) {
    auto v = get(c);
    if (v.empty()) {
      if (has(c) && empty_counter != nullptr) {
        ++chunk_->report.counters[empty_counter];
      }
      return Money();
    }
    if (Money m; ParseUsualMoney(v, &m)) return m;
    auto r = ParseMoney(v);
    if (!r.ok()) {
      Fail(c, v, r.status().message());
      return Money();
    }
    if (r->rounded) {
      ++chunk_->report.rounded_amounts;
    }
    return r->value;
  }

  uint32_t Code(int c) {
    auto v = get(c);
    if (v.empty()) {
      return kNoCode;
    }
    return Cached(c, v, [&] { return chunk_->ids.codes.Intern(v); });
  }

  uint32_t Member(int c, std::string_view v) {
    return Cached(c, v, [&] { return chunk_->ids.members.Intern(v); });
  }
  uint32_t Claim(int c, std::string_view v) {
    return Cached(c, v, [&] { return chunk_->ids.claims.Append(v); });
  }

  // Upper-case, no dots: how ICD-10 codes are compared everywhere in the engine.
  uint32_t DiagnosisCode(int c) {
    auto v = get(c);
    if (v.empty()) {
      return kNoCode;
    }
    return Cached(c, v, [&] { return NormalizedCode(v); });
  }

  uint32_t NormalizedCode(std::string_view v) {
    const std::string_view code = Normalized(v);
    return code.empty() ? kNoCode : chunk_->ids.codes.Intern(code);
  }

  // Column c's code as DiagnosisCode compares it, without interning it ("" when empty); valid
  // until the next call.
  std::string_view NormalizedText(int c) {
    const std::string_view v = get(c);
    if (v.empty()) return {};  // most of a line's diagnosis columns
    return Normalized(v);
  }

  // DiagnosisCode(c) for a column whose NormalizedText is `code` (not empty): interned without
  // normalising it again.
  uint32_t DiagnosisCodeOf(int c, std::string_view code) {
    return Cached(c, get(c), [&] { return chunk_->ids.codes.Intern(code); });
  }

  uint32_t LowerCode(int c) {
    auto v = get(c);
    if (v.empty()) {
      return kNoCode;
    }
    scratch_.assign(v);
    for (char& ch : scratch_) {
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    return chunk_->ids.codes.Intern(scratch_);
  }

  int32_t Int(int c) {
    auto v = get(c);
    if (v.empty()) {
      return 0;
    }
    int64_t n = 0;
    for (char ch : v) {
      if (ch < '0' || ch > '9' || n > 100000000) {
        Fail(c, v, "expected a whole number");
        return 0;
      }
      n = n * 10 + (ch - '0');
    }
    return static_cast<int32_t>(n);
  }

  SourceRef Source() const { return {0, static_cast<uint32_t>(line_)}; }

 private:
  // Upper-cased as std::toupper does in the C locale the engine runs in (a-z only), inline,
  // without dots: v itself when it is so already (most codes), else a copy in scratch_.
  std::string_view Normalized(std::string_view v) {
    bool clean = true;
    for (char ch : v) clean &= ch != '.' && !(ch >= 'a' && ch <= 'z');
    if (clean) return v;
    scratch_.resize(v.size());
    size_t n = 0;
    for (char ch : v) {
      if (ch == '.') continue;
      scratch_[n++] = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - ('a' - 'A')) : ch;
    }
    scratch_.resize(n);
    return scratch_;
  }

  template <typename F>
  uint32_t Cached(int c, std::string_view v, F&& intern) {
    ColumnCache& slot = chunk_->cache[static_cast<size_t>(c)];
    if (SameText(slot.value, v)) return slot.id;
    const uint32_t id = intern();
    if (InData(v)) slot = {v, id};
    return id;
  }

  // A view into the file (not into the cursor's scratch space): it outlives the row.
  bool InData(std::string_view v) const {
    return v.data() >= data_.data() && v.data() + v.size() <= data_.data() + data_.size();
  }

  // A non-empty cached value equal to v. Most values are short codes, ids and dates: compared
  // as one or two words, not through a call to memcmp.
  static bool SameText(std::string_view cached, std::string_view v) {
    const size_t n = v.size();
    if (cached.size() != n || n == 0) return false;
    if (n < 8) return cached == v;
    if (n > 16) return std::memcmp(cached.data(), v.data(), n) == 0;
    uint64_t a[2], b[2];  // the first and last eight bytes (overlapping below 16)
    std::memcpy(&a[0], cached.data(), 8);
    std::memcpy(&a[1], cached.data() + n - 8, 8);
    std::memcpy(&b[0], v.data(), 8);
    std::memcpy(&b[1], v.data() + n - 8, 8);
    return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
  }

  CsvFields fields_;
  const std::vector<int>& col_;
  const std::vector<ColumnSpec>& spec_;
  const std::string& file_;
  uint64_t line_;
  Chunk* chunk_;
  std::string_view data_;
  bool ok_ = true;
  std::string scratch_;
};

char ParseSex(std::string_view v) {
  if (v.empty()) {
    return 'U';
  }
  const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(v[0])));
  if (c == 'm' && (v.size() == 1 || v == "male" || v == "Male" || v == "MALE")) {
    return 'M';
  }
  if (c == 'f' && (v.size() == 1 || v == "female" || v == "Female" || v == "FEMALE")) {
    return 'F';
  }
  if (v == "1") {
    return 'M';  // CMS sex code: 1 male, 2 female
  }
  if (v == "2") {
    return 'F';
  }
  return 'U';
}

ClaimType ParseClaimType(std::string_view v) {
  if (v == "institutional") {
    return ClaimType::kInstitutional;
  }
  if (v == "professional") {
    return ClaimType::kProfessional;
  }
  if (v == "dme") {
    return ClaimType::kDme;
  }
  return ClaimType::kUnknown;
}

constexpr Date kOpenEnd = Date::FromDays(2932896);  // 9999-12-31

void ParseEligibilityRow(Row& r, Chunk* ch) {
  auto person = r.Required(kEPerson);
  Date start = r.DateOr(kEStart, kNoDate);
  if (r.ok() && start == kNoDate) {
    r.Fail(kEStart, "", "required value is empty");
  }
  Date end = r.DateOr(kEEnd, kOpenEnd);
  if (r.ok() && end < start) {
    r.Fail(kEEnd, r.get(kEEnd),
           fmt::format("enrollment ends before it starts ({})", start.ToString()));
  }
  auto payer = r.has(kEPayer) ? r.get(kEPayer) : std::string_view("unspecified");
  if (r.has(kEPayer) && payer.empty()) {
    r.Fail(kEPayer, "", "required value is empty");
  }
  const char sex = ParseSex(r.get(kEGender));
  Date birth = r.DateOr(kEBirth, kNoDate);
  Date death = r.DateOr(kEDeath, kNoDate);
  if (!r.ok()) {
    return;
  }
  auto& t = ch->elig;
  t.member.push_back(r.Member(kEPerson, person));
  t.start.push_back(start);
  t.end.push_back(end);
  t.payer.push_back(r.has(kEPayer) ? r.LowerCode(kEPayer) : ch->ids.codes.Intern("unspecified"));
  t.plan.push_back(r.LowerCode(kEPlan));
  t.sex.push_back(sex);
  t.birth_date.push_back(birth);
  t.death_date.push_back(death);
  t.dual_status.push_back(r.Code(kEDual));
  t.medicare_status.push_back(r.Code(kEMedicare));
  t.orec.push_back(r.Code(kEOrec));
  t.race.push_back(r.LowerCode(kERace));
  t.ethnicity.push_back(r.LowerCode(kEEthnicity));
  // A state as a name, USPS or FIPS code is recorded by name (ingest/demographics.h).
  const std::string state = ingest::NormalizeState(r.get(kEState));
  t.state.push_back(state.empty() ? kNoCode : ch->ids.codes.Intern(state));
  const std::string_view zip3 = ingest::Zip3(r.get(kEZip));
  t.zip3.push_back(zip3.empty() ? kNoCode : ch->ids.codes.Intern(zip3));
  t.source.push_back(r.Source());
}

// The line's diagnosis and procedure codes, in the order listed.
void AddCodes(Row& r, MedicalClaimTable* t) {
  for (int i = 0; i < kDxColumns; ++i) {
    const uint32_t dx = r.DiagnosisCode(kMDx1 + i);
    if (dx != kNoCode) {
      t->dx_code.push_back(dx);
    }
  }
  t->dx_offset.push_back(static_cast<uint32_t>(t->dx_code.size()));
  for (int i = 0; i < kPxColumns; ++i) {
    const uint32_t px = r.DiagnosisCode(kMPx1 + i);
    if (px != kNoCode) {
      t->px_code.push_back(px);
    }
  }
  t->px_offset.push_back(static_cast<uint32_t>(t->px_code.size()));
}

// What the scorecard reports of the line's diagnoses (MedicalClaimTable::dx_first), for a run
// that uses no code: only the first is interned.
void AddDiagnosisSummary(Row& r, MedicalClaimTable* t) {
  uint32_t first = kNoCode;
  uint8_t listed = 0, misshapen = 0;
  static_assert(kDxColumns <= 32, "one bit a column");
  for (uint32_t bits = r.WithBytes(kMDx1, kDxColumns); bits != 0; bits &= bits - 1) {
    const int i = __builtin_ctz(bits);
    const std::string_view code = r.NormalizedText(kMDx1 + i);
    if (code.empty()) continue;
    ++listed;
    misshapen += quality::IsIcd10CmShaped(code) ? 0 : 1;
    if (first == kNoCode) first = r.DiagnosisCodeOf(kMDx1 + i, code);
  }
  t->dx_first.push_back(first);
  t->dx_listed.push_back(listed);
  t->dx_misshapen.push_back(misshapen);
}

// The columns only metrics, episodes, plurality attribution and definitions read
// (LoadOptions::line_details); the row's dates among them are checked all the same.
void AddMedicalDetails(Row& r, Date admit, Date discharge, MedicalClaimTable* t) {
  t->admission.push_back(admit);
  t->discharge.push_back(discharge);
  t->hcpcs_modifier_1.push_back(r.Code(kMMod1));
  t->rendering_tin.push_back(r.Code(kMRendTin));
  t->billing_tin.push_back(r.Code(kMBillTin));
  t->facility_npi.push_back(r.Code(kMFacNpi));
  t->discharge_disposition.push_back(r.Code(kMDisp));
}

// A row's parse is compiled as one function (flatten): each field's read through the Row and
// each column's append is inlined instead of being a call of its own. The pharmacy row's too.
__attribute__((flatten)) void ParseMedicalRow(Row& r, const LoadOptions& options, Chunk* ch) {
  auto claim = r.Required(kMClaim);
  auto person = r.Required(kMPerson);
  Date start = r.DateOr(kMStart, kNoDate);
  Date end = r.DateOr(kMEnd, kNoDate);
  if (r.ok() && start == kNoDate && end == kNoDate) {
    r.Fail(kMStart, "", "claim has neither claim_start_date nor claim_end_date");
  }
  Date line_start = r.DateOr(kMLineStart, kNoDate);
  Date line_end = r.DateOr(kMLineEnd, kNoDate);
  Date admit = r.DateOr(kMAdmit, kNoDate);
  Date discharge = r.DateOr(kMDischarge, kNoDate);
  Date paid_date = r.DateOr(kMPaidDate, kNoDate);
  Money paid = r.Amount(kMPaid, "medical_claim.empty_paid_amount");
  Money allowed = r.Amount(kMAllowed, "medical_claim.empty_allowed_amount");
  Money charge = r.Amount(kMCharge, nullptr);
  int32_t line_no = r.Int(kMLine);
  if (!r.ok()) {
    return;
  }
  auto& t = ch->med;
  t.claim.push_back(r.Claim(kMClaim, claim));
  t.line_number.push_back(line_no);
  t.member.push_back(r.Member(kMPerson, person));
  t.claim_type.push_back(ParseClaimType(r.get(kMType)));
  t.claim_start.push_back(start);
  t.claim_end.push_back(end);
  t.line_start.push_back(line_start);
  t.line_end.push_back(line_end);
  t.paid_date.push_back(paid_date);
  t.place_of_service.push_back(r.Code(kMPos));
  t.bill_type.push_back(r.Code(kMBill));
  t.drg.push_back(r.Code(kMDrg));
  t.revenue_code.push_back(r.Code(kMRev));
  t.hcpcs.push_back(r.Code(kMHcpcs));
  t.rendering_npi.push_back(r.Code(kMRendNpi));
  t.billing_npi.push_back(r.Code(kMBillNpi));
  if (options.line_details) AddMedicalDetails(r, admit, discharge, &t);
  t.paid.push_back(paid);
  t.allowed.push_back(allowed);
  t.charge.push_back(charge);
  if (options.diagnoses) {
    AddCodes(r, &t);
  } else {
    AddDiagnosisSummary(r, &t);
  }
  t.source.push_back(r.Source());
}

__attribute__((flatten)) void ParsePharmacyRow(Row& r, const LoadOptions& options, Chunk* ch) {
  auto claim = r.Required(kRClaim);
  auto person = r.Required(kRPerson);
  Date disp = r.DateOr(kRDispensing, kNoDate);
  Date paid_date = r.DateOr(kRPaidDate, kNoDate);
  if (r.ok() && disp == kNoDate && paid_date == kNoDate) {
    r.Fail(kRDispensing, "", "pharmacy claim has neither dispensing_date nor paid_date");
  }
  Money paid = r.Amount(kRPaid, "pharmacy_claim.empty_paid_amount");
  Money allowed = r.Amount(kRAllowed, "pharmacy_claim.empty_allowed_amount");
  int32_t line_no = r.Int(kRLine);
  if (!r.ok()) {
    return;
  }
  auto& t = ch->rx;
  t.claim.push_back(r.Claim(kRClaim, claim));
  t.line_number.push_back(line_no);
  t.member.push_back(r.Member(kRPerson, person));
  t.dispensing_date.push_back(disp == kNoDate ? paid_date : disp);
  t.paid_date.push_back(paid_date);
  t.ndc.push_back(r.Code(kRNdc));
  t.prescribing_npi.push_back(r.Code(kRPrescriber));
  if (options.line_details) t.dispensing_npi.push_back(r.Code(kRDispenser));
  t.paid.push_back(paid);
  t.allowed.push_back(allowed);
  t.source.push_back(r.Source());
}

// ---- capacity ------------------------------------------------------------------------------
// Growing ~40 column vectors by doubling touches two to three times their final memory, and
// the kernel zeroes every fresh page: reserving from a row estimate removes most of that.

template <typename... V>
void ReserveAll(size_t n, V*... v) {
  (v->reserve(n), ...);
}

void Reserve(EligibilityTable* t, size_t n) {
  ReserveAll(n, &t->member, &t->start, &t->end, &t->payer, &t->plan, &t->birth_date, &t->death_date,
             &t->dual_status, &t->medicare_status, &t->orec, &t->race, &t->ethnicity, &t->state,
             &t->zip3, &t->source);
  t->sex.reserve(n);
}

void Reserve(MedicalClaimTable* t, size_t n, const LoadOptions& options) {
  ReserveAll(n, &t->claim, &t->member, &t->place_of_service, &t->bill_type, &t->drg,
             &t->revenue_code, &t->hcpcs, &t->rendering_npi, &t->billing_npi);
  ReserveAll(n, &t->claim_start, &t->claim_end, &t->line_start, &t->line_end, &t->paid_date);
  ReserveAll(n, &t->paid, &t->allowed, &t->charge);
  if (options.line_details) {
    ReserveAll(n, &t->admission, &t->discharge, &t->hcpcs_modifier_1, &t->facility_npi,
               &t->rendering_tin, &t->billing_tin, &t->discharge_disposition);
  }
  t->line_number.reserve(n);
  t->claim_type.reserve(n);
  t->source.reserve(n);
  if (options.diagnoses) {
    t->dx_offset.reserve(n + 1);
    t->px_offset.reserve(n + 1);
    t->dx_code.reserve(n * 3);
  } else {
    t->dx_first.reserve(n);
    ReserveAll(n, &t->dx_listed, &t->dx_misshapen);
  }
}

void Reserve(PharmacyClaimTable* t, size_t n, const LoadOptions& options) {
  ReserveAll(n, &t->claim, &t->member, &t->ndc, &t->prescribing_npi);
  if (options.line_details) t->dispensing_npi.reserve(n);
  ReserveAll(n, &t->dispensing_date, &t->paid_date);
  ReserveAll(n, &t->paid, &t->allowed);
  t->line_number.reserve(n);
  t->source.reserve(n);
}

// The columns a lean read keeps (LeanRead).
void ReserveKept(MedicalClaimTable* t, size_t n, const LoadOptions& options) {
  ReserveAll(n, &t->claim, &t->member, &t->line_number);
  (options.claim_month == ClaimMonthRule::kClaimStart ? t->claim_start : t->claim_end).reserve(n);
  (options.basis == "allowed" ? t->allowed : t->paid).reserve(n);
  t->category.reserve(n);
}

void ReserveKept(PharmacyClaimTable* t, size_t n, const LoadOptions& options) {
  ReserveAll(n, &t->claim, &t->member, &t->dispensing_date, &t->line_number);
  (options.basis == "allowed" ? t->allowed : t->paid).reserve(n);
}

// Rows in data[begin, end), estimated from the line length of its first 64 KiB.
size_t EstimateRows(std::string_view data, size_t begin, size_t end) {
  const size_t sample_end = std::min(end, begin + (size_t{1} << 16));
  size_t lines = 0;
  for (size_t i = begin; i < sample_end; ++i) {
    lines += data[i] == '\n';
  }
  if (lines == 0) {
    return 16;
  }
  const double per_line = static_cast<double>(sample_end - begin) / static_cast<double>(lines);
  return static_cast<size_t>(static_cast<double>(end - begin) / per_line * 1.05) + 16;
}

// ---- merging chunks in order ---------------------------------------------------------------
// Every chunk's ids are mapped to the dataset's in chunk order (first appearance decides an id,
// whatever the chunking). The columns are then appended one task per column, so the copying and
// the fresh pages it touches are spread over the threads; each task frees a chunk's column once
// it is appended, so the chunks and the dataset are not held whole side by side.

// One id table of every chunk, mapped to the dataset's (StringInterner::MapAllInOrder): maps[k]
// takes chunk k's ids to the dataset's.
struct IdTableMerge {
  StringInterner LocalIds::*local;
  StringInterner* global;
  std::vector<const StringInterner*> parts;
  std::vector<std::vector<uint32_t>> maps;
};

// The three id tables' maps.
struct ChunkIdMaps {
  const std::vector<std::vector<uint32_t>>* members;
  const std::vector<std::vector<uint32_t>>* claims;
  const std::vector<std::vector<uint32_t>>* codes;
};

// Maps every chunk's ids, the three id tables at once, each in chunk order; the new values are
// added to the dataset's tables by `global->AddInOrder` afterwards.
void MapAllIds(const std::vector<Chunk>& chunks, Dataset* ds, std::array<IdTableMerge, 3>* merges) {
  *merges = {IdTableMerge{&LocalIds::members, &ds->members, {}, {}},
             IdTableMerge{&LocalIds::claims, &ds->claim_ids, {}, {}},
             IdTableMerge{&LocalIds::codes, &ds->codes, {}, {}}};
  tbb::parallel_for(size_t{0}, merges->size(), [&](size_t t) {
    IdTableMerge& m = (*merges)[t];
    for (const auto& ch : chunks) m.parts.push_back(&(ch.ids.*m.local));
    m.maps = m.global->MapAllInOrder(m.parts);
  });
}

// Appends one column of every chunk (`column(chunk)`) to `dst`, freeing each as it goes.
template <typename T, typename Column>
void AppendColumn(std::vector<Chunk>* chunks, T* dst, Column column) {
  for (auto& ch : *chunks) {
    T& src = column(ch);
    dst->insert(dst->end(), src.begin(), src.end());
    Empty(ch, &src);
  }
}

// The same for a column of ids, each mapped through its chunk's map (kNoCode stays).
template <typename Column>
void AppendMappedColumn(std::vector<Chunk>* chunks, const std::vector<std::vector<uint32_t>>& maps,
                        std::vector<uint32_t>* dst, Column column) {
  for (size_t k = 0; k < chunks->size(); ++k) {
    std::vector<uint32_t>& src = column((*chunks)[k]);
    const std::vector<uint32_t>& map = maps[k];
    const size_t base = dst->size();
    dst->resize(base + src.size());
    for (size_t i = 0; i < src.size(); ++i) {
      (*dst)[base + i] = src[i] == kNoCode ? kNoCode : map[src[i]];
    }
    Empty((*chunks)[k], &src);
  }
}

// A table's row offsets (dx_offset, px_offset) continued over every chunk's.
template <typename Column>
void AppendOffsets(std::vector<Chunk>* chunks, std::vector<uint32_t>* dst, Column column) {
  for (auto& ch : *chunks) {
    std::vector<uint32_t>& src = column(ch);
    const uint32_t base = dst->back();
    for (size_t i = 1; i < src.size(); ++i) {
      dst->push_back(base + src[i]);
    }
    Empty(ch, &src);
    if (ch.keep_memory) src.push_back(0);  // as a new table's offsets start
  }
}

template <typename Column>
void AppendSources(std::vector<Chunk>* chunks, std::vector<SourceRef>* dst, uint32_t file,
                   Column column) {
  for (auto& ch : *chunks) {
    std::vector<SourceRef>& src = column(ch);
    for (SourceRef s : src) {
      dst->push_back({file, s.line});
    }
    Empty(ch, &src);
  }
}

// The column tasks of one table: `plain` copies values, `mapped` maps ids.
struct ColumnTasks {
  std::vector<std::function<void()>> tasks;
  template <typename T, typename Column>
  void Plain(std::vector<Chunk>* chunks, T* dst, Column column) {
    tasks.emplace_back([=] { AppendColumn(chunks, dst, column); });
  }
  template <typename Column>
  void Mapped(std::vector<Chunk>* chunks, const std::vector<std::vector<uint32_t>>* maps,
              std::vector<uint32_t>* dst, Column column) {
    tasks.emplace_back([=] { AppendMappedColumn(chunks, *maps, dst, column); });
  }
};

// A chunk's column `part.name` (one accessor per column keeps the task lists one line each).
#define VP_COLUMN(part, name) ([](Chunk & c) -> auto& { return c.part.name; })

ColumnTasks EligibilityTasks(std::vector<Chunk>* c, const ChunkIdMaps& m, uint32_t file,
                             EligibilityTable* t) {
  ColumnTasks x;
  x.Mapped(c, m.members, &t->member, VP_COLUMN(elig, member));
  x.Plain(c, &t->start, VP_COLUMN(elig, start));
  x.Plain(c, &t->end, VP_COLUMN(elig, end));
  x.Mapped(c, m.codes, &t->payer, VP_COLUMN(elig, payer));
  x.Mapped(c, m.codes, &t->plan, VP_COLUMN(elig, plan));
  x.Plain(c, &t->sex, VP_COLUMN(elig, sex));
  x.Plain(c, &t->birth_date, VP_COLUMN(elig, birth_date));
  x.Plain(c, &t->death_date, VP_COLUMN(elig, death_date));
  x.Mapped(c, m.codes, &t->dual_status, VP_COLUMN(elig, dual_status));
  x.Mapped(c, m.codes, &t->medicare_status, VP_COLUMN(elig, medicare_status));
  x.Mapped(c, m.codes, &t->orec, VP_COLUMN(elig, orec));
  x.Mapped(c, m.codes, &t->race, VP_COLUMN(elig, race));
  x.Mapped(c, m.codes, &t->ethnicity, VP_COLUMN(elig, ethnicity));
  x.Mapped(c, m.codes, &t->state, VP_COLUMN(elig, state));
  x.Mapped(c, m.codes, &t->zip3, VP_COLUMN(elig, zip3));
  x.tasks.emplace_back([=] { AppendSources(c, &t->source, file, VP_COLUMN(elig, source)); });
  return x;
}

// The columns medical and pharmacy lines share: the claim line's key, member, paid date,
// amounts and source. `part` is the chunk's table of that kind.
template <typename Table>
ColumnTasks ClaimLineTasks(std::vector<Chunk>* c, const ChunkIdMaps& m, uint32_t file, Table* t,
                           Table Chunk::*part) {
  ColumnTasks x;
  const auto col = [part](auto Table::*column) {
    return [ part, column ](Chunk & ch) -> auto& { return (ch.*part).*column; };
  };
  x.Mapped(c, m.claims, &t->claim, col(&Table::claim));
  x.Plain(c, &t->line_number, col(&Table::line_number));
  x.Mapped(c, m.members, &t->member, col(&Table::member));
  x.Plain(c, &t->paid_date, col(&Table::paid_date));
  x.Plain(c, &t->paid, col(&Table::paid));
  x.Plain(c, &t->allowed, col(&Table::allowed));
  x.tasks.emplace_back([=] { AppendSources(c, &t->source, file, col(&Table::source)); });
  return x;
}

ColumnTasks MedicalTasks(std::vector<Chunk>* c, const ChunkIdMaps& m, uint32_t file,
                         MedicalClaimTable* t) {
  ColumnTasks x = ClaimLineTasks(c, m, file, t, &Chunk::med);
  x.Plain(c, &t->claim_type, VP_COLUMN(med, claim_type));
  x.Plain(c, &t->claim_start, VP_COLUMN(med, claim_start));
  x.Plain(c, &t->claim_end, VP_COLUMN(med, claim_end));
  x.Plain(c, &t->line_start, VP_COLUMN(med, line_start));
  x.Plain(c, &t->line_end, VP_COLUMN(med, line_end));
  x.Plain(c, &t->admission, VP_COLUMN(med, admission));
  x.Plain(c, &t->discharge, VP_COLUMN(med, discharge));
  x.Mapped(c, m.codes, &t->place_of_service, VP_COLUMN(med, place_of_service));
  x.Mapped(c, m.codes, &t->bill_type, VP_COLUMN(med, bill_type));
  x.Mapped(c, m.codes, &t->drg, VP_COLUMN(med, drg));
  x.Mapped(c, m.codes, &t->revenue_code, VP_COLUMN(med, revenue_code));
  x.Mapped(c, m.codes, &t->hcpcs, VP_COLUMN(med, hcpcs));
  x.Mapped(c, m.codes, &t->hcpcs_modifier_1, VP_COLUMN(med, hcpcs_modifier_1));
  x.Mapped(c, m.codes, &t->rendering_npi, VP_COLUMN(med, rendering_npi));
  x.Mapped(c, m.codes, &t->billing_npi, VP_COLUMN(med, billing_npi));
  x.Mapped(c, m.codes, &t->facility_npi, VP_COLUMN(med, facility_npi));
  x.Mapped(c, m.codes, &t->rendering_tin, VP_COLUMN(med, rendering_tin));
  x.Mapped(c, m.codes, &t->billing_tin, VP_COLUMN(med, billing_tin));
  x.Mapped(c, m.codes, &t->discharge_disposition, VP_COLUMN(med, discharge_disposition));
  x.Plain(c, &t->charge, VP_COLUMN(med, charge));
  x.Mapped(c, m.codes, &t->dx_code, VP_COLUMN(med, dx_code));
  x.tasks.emplace_back([=] { AppendOffsets(c, &t->dx_offset, VP_COLUMN(med, dx_offset)); });
  x.Mapped(c, m.codes, &t->px_code, VP_COLUMN(med, px_code));
  x.tasks.emplace_back([=] { AppendOffsets(c, &t->px_offset, VP_COLUMN(med, px_offset)); });
  x.Mapped(c, m.codes, &t->dx_first, VP_COLUMN(med, dx_first));
  x.Plain(c, &t->dx_listed, VP_COLUMN(med, dx_listed));
  x.Plain(c, &t->dx_misshapen, VP_COLUMN(med, dx_misshapen));
  return x;
}

ColumnTasks PharmacyTasks(std::vector<Chunk>* c, const ChunkIdMaps& m, uint32_t file,
                          PharmacyClaimTable* t) {
  ColumnTasks x = ClaimLineTasks(c, m, file, t, &Chunk::rx);
  x.Plain(c, &t->dispensing_date, VP_COLUMN(rx, dispensing_date));
  x.Mapped(c, m.codes, &t->ndc, VP_COLUMN(rx, ndc));
  x.Mapped(c, m.codes, &t->prescribing_npi, VP_COLUMN(rx, prescribing_npi));
  x.Mapped(c, m.codes, &t->dispensing_npi, VP_COLUMN(rx, dispensing_npi));
  return x;
}

#undef VP_COLUMN

// Appends every chunk of one table to the dataset, in chunk order: the ids to its id tables, the
// claim lines to `medical` or `pharmacy` (the dataset's, or a batch's apart from it); the claim
// id table is left without its index unless `index_claims`.
void MergeChunks(std::string_view table, uint32_t file, std::vector<Chunk>* chunks, Dataset* ds,
                 bool index_claims, MedicalClaimTable* medical, PharmacyClaimTable* pharmacy) {
  std::array<IdTableMerge, 3> merges;
  MapAllIds(*chunks, ds, &merges);
  const ChunkIdMaps maps{&merges[0].maps, &merges[1].maps, &merges[2].maps};
  ColumnTasks x = table == "eligibility" ? EligibilityTasks(chunks, maps, file, &ds->eligibility)
                  : table == "medical_claim" ? MedicalTasks(chunks, maps, file, medical)
                                             : PharmacyTasks(chunks, maps, file, pharmacy);
  // The id tables take their new values beside the columns (the longest tasks first).
  for (auto& m : merges) {
    const bool index = index_claims || m.global != &ds->claim_ids;
    x.tasks.insert(x.tasks.begin(), [&m, index] { m.global->AddInOrder(m.parts, m.maps, index); });
  }
  tbb::parallel_for(
      size_t{0}, x.tasks.size(), [&](size_t i) { x.tasks[i](); }, tbb::simple_partitioner());
}

std::string LowerAscii(std::string_view s) {
  std::string o(s);
  for (char& c : o) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return o;
}

// Which field of a record holds bytes that are not UTF-8.
int FindBadUtf8Field(const CsvFields& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!IsValidUtf8(fields[i])) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// ---- cuts inside quoted fields ----

// Gives back a parsed chunk's pages (the caller's `done_with`) once they cannot be read again:
// when neither the chunk nor the one before it ran out inside a quoted field, since such a
// chunk is read again with the next (ReadAgainAcrossQuotedCuts). Safe from any thread.
class ChunkPages {
 public:
  ChunkPages(size_t first, size_t last, const std::function<void(size_t, size_t)>& done_with)
      : first_(first), state_(last - first), done_with_(done_with) {}
  void Parsed(size_t k, bool ran_out_in_quote, const std::vector<CsvChunk>& ranges) {
    state_[k - first_].fetch_or(kDone | (ran_out_in_quote ? kOpen : 0));
    Release(k, ranges);
    if (k + 1 - first_ < state_.size()) Release(k + 1, ranges);
  }

 private:
  static constexpr uint8_t kDone = 1, kOpen = 2, kReleased = 4;
  void Release(size_t k, const std::vector<CsvChunk>& ranges) {
    if (!done_with_) return;
    const size_t i = k - first_;
    const uint8_t mine = state_[i].load();
    if ((mine & kDone) == 0 || (mine & kOpen) != 0) return;
    if (i > 0) {
      const uint8_t before = state_[i - 1].load();
      if ((before & kDone) == 0 || (before & kOpen) != 0) return;
    }
    if ((state_[i].fetch_or(kReleased) & kReleased) != 0) return;
    done_with_(ranges[k].begin, ranges[k].end);
  }
  size_t first_;
  std::vector<std::atomic<uint8_t>> state_;
  const std::function<void(size_t, size_t)>& done_with_;
};

// The split finds record starts by counting quotes, and a stray quote (one the reader rejects
// with its own line) throws that count off for the rest of the file, so a cut can fall inside
// a later quoted field. The chunk before such a cut runs out inside the quote: it is read again
// together with the next chunk, as often as needed, so that every record is read as one
// process reading the file from its start reads it.
template <class Parse>
void ReadAgainAcrossQuotedCuts(std::vector<Chunk>* chunks, const Parse& parse) {
  for (size_t k = 0; k + 1 < chunks->size();) {
    if (!(*chunks)[k].ran_out_in_quote) {
      ++k;
      continue;
    }
    const CsvChunk joined{(*chunks)[k].range.begin, (*chunks)[k + 1].range.end,
                          (*chunks)[k].range.first_line};
    (*chunks)[k] = Chunk{};
    (*chunks)[k].range = joined;
    parse((*chunks)[k]);
    chunks->erase(chunks->begin() + static_cast<std::ptrdiff_t>(k + 1));
  }
}

// ---- a distributed run: each rank parses its share of the chunks, rank 0 merges them all ----

// A chunk as cache bytes (ingest/dataset_cache.h): its ids, tables and report, its row count as
// the rows read of a one-file source list.
Result<std::string> EncodeChunk(Chunk&& ch, const LoadOptions& options) {
  if (!options.line_details) {
    return Status(StatusCode::kInternal,
                  "a rank's parsed chunk travels with every column (LoadOptions::line_details)");
  }
  Dataset d;
  d.members = std::move(ch.ids.members);
  d.claim_ids = std::move(ch.ids.claims);
  d.codes = std::move(ch.ids.codes);
  d.eligibility = std::move(ch.elig);
  d.medical = std::move(ch.med);
  // Categories are given after the whole directory is read (ClassifyMedicalClaims); a part
  // carries placeholders so that its columns have one length.
  d.medical.category.assign(d.medical.size(), ServiceCategory::kOther);
  d.pharmacy = std::move(ch.rx);
  SourceFile part;
  part.rows_read = ch.rows;
  d.sources.push_back(std::move(part));
  cache::CacheOrigin origin;
  origin.options = options;
  return cache::EncodeCache(d, ProgramData{}, ch.report, origin, 1);
}

Status DecodeChunk(std::string_view bytes, const std::string& name, const LoadOptions& options,
                   Chunk* ch) {
  Dataset d;
  ProgramData unused;
  // The chunk's id tables are read by id only (StringInterner::MapAllInOrder): not indexed.
  auto origin = cache::ReadCache(bytes, name, &d, &unused, &ch->report, true, {}, nullptr, false);
  if (!origin.ok()) return origin.status();
  if (d.sources.size() != 1) return InvalidInput(name + ": not a parsed part of a file");
  if (origin->options.diagnoses != options.diagnoses) {
    return InvalidInput(name + ": parsed with other load options than this rank's");
  }
  ch->ids.members = std::move(d.members);
  ch->ids.claims = std::move(d.claim_ids);
  ch->ids.codes = std::move(d.codes);
  ch->elig = std::move(d.eligibility);
  ch->med = std::move(d.medical);
  ch->med.category.clear();
  ch->rx = std::move(d.pharmacy);
  ch->rows = d.sources[0].rows_read;
  return Status::Ok();
}

void PutU64(std::string* out, uint64_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

bool GetU64(std::string_view* in, uint64_t* v) {
  if (in->size() < sizeof *v) return false;
  std::memcpy(v, in->data(), sizeof *v);
  in->remove_prefix(sizeof *v);
  return true;
}

// Sends this rank's chunks [first, last) to rank 0 — u64 index, u64 1 when the chunk ran out
// inside a quoted field (else 0), u64 length, the chunk's bytes, for each — and on rank 0 puts
// every other rank's chunks in their places.
Status GatherChunks(Distribution* dist, const std::string& file, const LoadOptions& options,
                    size_t first, size_t last, std::vector<Chunk>* chunks) {
  std::string mine;
  if (dist->rank() != 0) {
    for (size_t k = first; k < last; ++k) {
      const bool open = (*chunks)[k].ran_out_in_quote;
      auto bytes = EncodeChunk(std::move((*chunks)[k]), options);
      if (!bytes.ok()) return bytes.status();
      PutU64(&mine, k);
      PutU64(&mine, open ? 1 : 0);
      PutU64(&mine, bytes->size());
      mine.append(*bytes);
      (*chunks)[k] = Chunk{};
    }
  }
  auto parts = dist->GatherToRoot(mine);
  if (!parts.ok()) return parts.status();
  for (size_t r = 1; r < parts->size(); ++r) {
    const auto [want, end] = ShareOf(chunks->size(), static_cast<int>(r), dist->size());
    std::string_view in = (*parts)[r];
    const std::string name = fmt::format("{}: part from rank {}", file, r);
    for (size_t k = want; k < end; ++k) {
      uint64_t index = 0, open = 0, length = 0;
      if (!GetU64(&in, &index) || !GetU64(&in, &open) || !GetU64(&in, &length) || index != k ||
          open > 1 || length > in.size()) {
        return IoError(fmt::format("{}: chunk {} missing or cut short", name, k));
      }
      if (Status s = DecodeChunk(in.substr(0, length), name, options, &(*chunks)[k]); !s.ok()) {
        return s;
      }
      (*chunks)[k].ran_out_in_quote = open == 1;
      in.remove_prefix(length);
    }
    if (!in.empty()) return IoError(name + ": bytes left over");
  }
  return Status::Ok();
}

// The cuts as rank 0 sends them: the file's name and size, then u64 begin, end and first line
// of each chunk.
std::string EncodeCuts(const std::string& file, uint64_t size, const std::vector<CsvChunk>& cuts) {
  std::string out;
  PutU64(&out, file.size());
  out.append(file);
  PutU64(&out, size);
  PutU64(&out, cuts.size());
  for (const CsvChunk& c : cuts) {
    PutU64(&out, c.begin);
    PutU64(&out, c.end);
    PutU64(&out, c.first_line);
  }
  return out;
}

// Rank 0's cuts, checked against this rank's copy of the file: the same name, the same size,
// and chunks that follow one another from the end of the header to the end of the file.
Result<std::vector<CsvChunk>> DecodeCuts(std::string_view in, const std::string& file,
                                         uint64_t size, uint64_t body) {
  const std::string same =
      "every rank must read the same files at the same paths (docs/scaling.md)";
  uint64_t name_length = 0, root_size = 0, n = 0;
  if (!GetU64(&in, &name_length) || name_length > in.size()) {
    return IoError(file + ": the chunk cuts from rank 0 are cut short");
  }
  const std::string_view root_file = in.substr(0, name_length);
  in.remove_prefix(name_length);
  if (root_file != file) {
    return InvalidInput(
        fmt::format("{}: rank 0 is reading {} at this point; {}", file, root_file, same));
  }
  if (!GetU64(&in, &root_size) || !GetU64(&in, &n) || n > in.size() / 24) {
    return IoError(file + ": the chunk cuts from rank 0 are cut short");
  }
  if (root_size != size) {
    return InvalidInput(
        fmt::format("{}: {} bytes on this rank, {} on rank 0; {}", file, size, root_size, same));
  }
  std::vector<CsvChunk> cuts(n);
  uint64_t at = body;
  for (CsvChunk& c : cuts) {
    uint64_t begin = 0, end = 0, line = 0;
    GetU64(&in, &begin);
    GetU64(&in, &end);
    GetU64(&in, &line);
    if (begin != at || end < begin || end > size) {
      return IoError(file + ": the chunk cuts from rank 0 do not fit this rank's copy");
    }
    c = {begin, end, line};
    at = end;
  }
  if (!in.empty() || (n > 0 && at != size)) {
    return IoError(file + ": the chunk cuts from rank 0 do not fit this rank's copy");
  }
  return cuts;
}

// A file's chunks from `start` (the end of the header and the line there) to its end, and its
// fingerprint where this process needs it (one process; rank 0).
struct FileSplit {
  std::vector<CsvChunk> chunks;
  std::string fingerprint;
  std::string block_digests;  // a distributed run's rank 0: the fingerprint's, 32 bytes a block
};

// Rank 0: what every rank sent in one round, as one string in rank order, each rank's part of
// the size its share gives it (`size_of(rank)`).
Result<std::string> GatherShares(Distribution* dist, std::string_view mine, const std::string& file,
                                 const std::function<size_t(int)>& size_of) {
  auto parts = dist->GatherToRoot(mine);
  if (!parts.ok()) return parts.status();
  if (dist->rank() != 0) return std::string();
  std::string all;
  for (int r = 0; r < dist->size(); ++r) {
    const std::string& part = (*parts)[static_cast<size_t>(r)];
    if (part.size() != size_of(r)) {
      return IoError(fmt::format("{}: rank {} sent {} bytes for its share, not {}", file, r,
                                 part.size(), size_of(r)));
    }
    all += part;
  }
  return all;
}

// The fingerprint's blocks rank `r` hashes: those that start in its share of the raw pieces (the
// first rank's from the file's start), so that it reads at most one block past its share.
std::pair<size_t, size_t> BlockShare(const CsvPieces& p, int r, int n, size_t size) {
  const auto [pa, pb] = ShareOf(p.size(), r, n);
  const size_t from = r == 0 ? 0 : p.bounds[pa];
  const size_t to = r == n - 1 ? size : p.bounds[pb];
  return {(from + kFingerprintBlock - 1) / kFingerprintBlock,
          (to + kFingerprintBlock - 1) / kFingerprintBlock};
}

// Round 1 of a distributed split: each rank counts the quotes and newlines of its share of the
// raw pieces and hashes the fingerprint's blocks of that share; rank 0 gets them all, in order.
Result<std::string> CountAndHash(Distribution* dist, std::string_view bytes, const CsvPieces& p,
                                 const std::string& file, FileSplit* out) {
  const int n = dist->size();
  // Named apart, not bound: a lambda below uses them (clang 14 cannot capture a binding).
  const auto share = ShareOf(p.size(), dist->rank(), n);
  const size_t pa = share.first, pb = share.second;
  const auto [ba, bb] = BlockShare(p, dist->rank(), n, bytes.size());
  std::vector<CsvPieceCounts> counts(pb - pa);
  tbb::parallel_for(pa, pb, [&](size_t i) { counts[i - pa] = CountCsvPiece(bytes, p, i); });
  std::string mine;
  for (const auto& c : counts) {
    PutU64(&mine, c.quotes);
    PutU64(&mine, c.newlines);
  }
  mine += BlockDigests(bytes, ba, bb);
  auto all = GatherShares(dist, mine, file, [&](int r) {
    const auto [a, b] = ShareOf(p.size(), r, n);
    const auto [c, d] = BlockShare(p, r, n, bytes.size());
    return (b - a) * 16 + (d - c) * 32;
  });
  if (!all.ok() || dist->rank() != 0) return all;
  // Rank r's counts, then its digests: the counts together, and the fingerprint.
  std::string piece_counts, digests;
  std::string_view in = *all;
  for (int r = 0; r < n; ++r) {
    const auto [a, b] = ShareOf(p.size(), r, n);
    const auto [c, d] = BlockShare(p, r, n, bytes.size());
    piece_counts.append(in.substr(0, (b - a) * 16));
    digests.append(in.substr((b - a) * 16, (d - c) * 32));
    in.remove_prefix((b - a) * 16 + (d - c) * 32);
  }
  out->fingerprint = FingerprintFromDigests(bytes.size(), digests);
  out->block_digests = std::move(digests);
  return piece_counts;
}

// The quotes and newlines before each piece, from each piece's (u64 pairs, rank 0's bytes).
std::vector<CsvPieceCounts> CountsBefore(std::string_view in, size_t pieces) {
  std::vector<CsvPieceCounts> before(pieces);
  CsvPieceCounts sum;
  for (size_t i = 0; i < pieces; ++i) {
    before[i] = sum;
    uint64_t q = 0, nl = 0;
    GetU64(&in, &q);
    GetU64(&in, &nl);
    sum.quotes += q;
    sum.newlines += nl;
  }
  return before;
}

// Round 2: rank 0 sends the counts before each piece; each rank finds the record start in each
// of its pieces and rank 0 gets them all, checked to lie in their pieces.
Result<std::vector<CsvCut>> FindCuts(Distribution* dist, std::string_view bytes, const CsvPieces& p,
                                     const std::string& counts, const std::string& file) {
  const int n = dist->size();
  std::string before_bytes;
  if (dist->rank() == 0) {
    for (const auto& c : CountsBefore(counts, p.size())) {
      PutU64(&before_bytes, c.quotes);
      PutU64(&before_bytes, c.newlines);
    }
  }
  auto got = dist->BroadcastFromRoot(before_bytes);
  if (!got.ok()) return got.status();
  if (got->size() != p.size() * 16) {
    return IoError(file + ": the piece counts from rank 0 do not fit this rank's copy");
  }
  const auto share = ShareOf(p.size(), dist->rank(), n);  // not bound: a lambda uses them
  const size_t pa = share.first, pb = share.second;
  std::vector<CsvCut> mine(pb - pa);
  tbb::parallel_for(pa, pb, [&](size_t i) {
    std::string_view at = std::string_view(*got).substr(i * 16, 16);
    CsvPieceCounts before;
    GetU64(&at, &before.quotes);
    GetU64(&at, &before.newlines);
    if (i > 0) mine[i - pa] = FindCsvCut(bytes, p, i, before);
  });
  std::string sent;
  for (const CsvCut& c : mine) {
    PutU64(&sent, c.at);
    PutU64(&sent, c.newlines);
  }
  auto all = GatherShares(dist, sent, file, [&](int r) {
    const auto [a, b] = ShareOf(p.size(), r, n);
    return (b - a) * 16;
  });
  if (!all.ok()) return all.status();
  std::vector<CsvCut> cuts(dist->rank() == 0 ? p.size() : 0);
  std::string_view in = *all;
  for (size_t i = 0; i < cuts.size(); ++i) {
    GetU64(&in, &cuts[i].at);
    GetU64(&in, &cuts[i].newlines);
    const bool inside = cuts[i].at > p.bounds[i] && cuts[i].at <= p.bounds[i + 1];
    if (cuts[i].at != CsvCut::kNone && (i == 0 || !inside)) {
      return IoError(
          fmt::format("{}: a record start from another rank lies outside its piece", file));
    }
  }
  return cuts;
}

// Bytes of a file that one rank read from its copy (to count, cut or parse them, or the header
// and the last byte) while another rank hashed them from its own for the fingerprint (the block
// they lie in starts in that rank's share, BlockShare).
struct ReadTwice {
  int reader;
  int hasher;
  size_t from, to;
};

// Every rank's bytes read twice, in rank order, cut where blocks start: what it reads less the
// blocks it hashed itself.
std::vector<ReadTwice> BytesReadTwice(const CsvPieces& p, int n, size_t size, size_t header_end,
                                      const std::vector<CsvChunk>& chunks) {
  std::vector<std::pair<size_t, size_t>> hashed(static_cast<size_t>(n));
  for (int r = 0; r < n; ++r) hashed[static_cast<size_t>(r)] = BlockShare(p, r, n, size);
  const auto hasher_of = [&](size_t block) {
    for (int r = 0; r < n; ++r) {
      const auto [a, b] = hashed[static_cast<size_t>(r)];
      if (block >= a && block < b) return r;
    }
    return -1;
  };
  std::vector<ReadTwice> out;
  for (int r = 0; r < n; ++r) {
    const auto add = [&](size_t from, size_t to) {  // [from, to) less the blocks r hashed
      for (size_t x = from; x < to;) {
        const size_t block = x / kFingerprintBlock;
        const size_t y = std::min(to, (block + 1) * kFingerprintBlock);
        const int h = hasher_of(block);
        if (h >= 0 && h != r) out.push_back({r, h, x, y});
        x = y;
      }
    };
    const auto [pa, pb] = ShareOf(p.size(), r, n);
    size_t from = r == 0 ? 0 : p.bounds[pa], to = r == n - 1 ? size : p.bounds[pb];
    const auto [ca, cb] = ShareOf(chunks.size(), r, n);
    if (ca < cb) {
      from = std::min<size_t>(from, chunks[ca].begin);
      to = std::max<size_t>(to, chunks[cb - 1].end);
    }
    add(0, std::min(header_end, from));
    add(from, to);
    if (r == 0 && size > 0 && to < size) add(size - 1, size);  // the unterminated-line note
  }
  return out;
}

// Round 4: every rank hashes the bytes it reads that another rank hashed for the fingerprint,
// and those it hashed that another rank reads, and rank 0 compares the two ranks' digests. A
// rank whose copy of the file differs from another's where both read it stops the run, so
// that every byte a rank parses is in the fingerprint as that rank read it.
Status CheckBytesReadTwice(Distribution* dist, std::string_view bytes, const CsvPieces& p,
                           size_t header_end, const std::vector<CsvChunk>& chunks,
                           const std::string& file) {
  const int n = dist->size(), me = dist->rank();
  const auto twice = BytesReadTwice(p, n, bytes.size(), header_end, chunks);
  const auto involves = [](const ReadTwice& t, int r) { return t.reader == r || t.hasher == r; };
  std::vector<std::string_view> mine;
  for (const auto& t : twice) {
    if (involves(t, me)) mine.push_back(bytes.substr(t.from, t.to - t.from));
  }
  std::vector<std::array<uint8_t, 32>> digests(mine.size());
  Sha256Lanes(mine.data(), mine.size(), digests.data());
  std::string sent;
  for (const auto& d : digests) sent.append(reinterpret_cast<const char*>(d.data()), d.size());
  auto parts = GatherShares(dist, sent, file, [&](int r) {
    return 32 *
           static_cast<size_t>(std::count_if(twice.begin(), twice.end(),
                                             [&](const ReadTwice& t) { return involves(t, r); }));
  });
  if (!parts.ok() || me != 0) return parts.status();
  // Each rank's digests in the list's order, one after another.
  std::vector<size_t> at(static_cast<size_t>(n), 0);
  for (int r = 1; r < n; ++r) {
    at[static_cast<size_t>(r)] =
        at[static_cast<size_t>(r - 1)] +
        32 * static_cast<size_t>(std::count_if(twice.begin(), twice.end(), [&](const ReadTwice& t) {
          return involves(t, r - 1);
        }));
  }
  std::vector<size_t> next = at;
  const std::string_view all = *parts;
  for (const auto& t : twice) {
    const auto take = [&](int r) {
      const size_t i = next[static_cast<size_t>(r)];
      next[static_cast<size_t>(r)] += 32;
      return all.substr(i, 32);
    };
    const std::string_view read = take(t.reader), hashed = take(t.hasher);
    if (read != hashed) {
      return InvalidInput(fmt::format(
          "{}: the copy rank {} read differs from the copy rank {} read in bytes {}–{}{}, which "
          "both read; every rank must read the same files at the same paths (docs/scaling.md)",
          file, t.reader, t.hasher, t.from, t.to, t.to <= header_end ? " (the header)" : ""));
    }
  }
  return Status::Ok();
}

// Rank 0 read again, from its copy, chunks other ranks parsed (ReadAgainAcrossQuotedCuts): the
// fingerprint's blocks they lie in, hashed from that copy, are those the ranks that hashed them
// sent.
Status CheckReadAgain(std::string_view bytes, std::string_view block_digests,
                      const std::vector<std::pair<size_t, size_t>>& ranges,
                      const std::string& file) {
  for (const auto& [from, to] : ranges) {
    if (from >= to) continue;
    const size_t a = from / kFingerprintBlock, b = (to - 1) / kFingerprintBlock + 1;
    if (BlockDigests(bytes, a, b) != block_digests.substr(a * 32, (b - a) * 32)) {
      return InvalidInput(fmt::format(
          "{}: rank 0 read bytes {}–{} again (a record runs on past a cut after a stray quote), "
          "and its copy differs there from the copy of the rank that hashed them; every rank "
          "must read the same files at the same paths (docs/scaling.md)",
          file, from, to));
    }
  }
  return Status::Ok();
}

// One process cuts and fingerprints the file itself. In a distributed run every rank takes its
// share of both, so that no rank reads more of the file than its share (the cut depends on every
// quote before it): rank 0 sends the file's name and size (a rank whose copy has another size
// stops), then the counts before each piece, then the chunks; the others check the chunks fit
// their copy.
Result<FileSplit> SplitFile(Distribution* dist, std::string_view bytes, CsvChunk start,
                            size_t pieces, const std::string& file) {
  FileSplit out;
  const bool root = dist->rank() == 0;
  auto named = dist->BroadcastFromRoot(root ? EncodeCuts(file, bytes.size(), {}) : std::string());
  if (!named.ok()) return named.status();
  if (!root) {
    if (auto same = DecodeCuts(*named, file, bytes.size(), start.begin); !same.ok()) {
      return same.status();
    }
  }
  const CsvPieces p = SplitCsvPieces(bytes.size(), start.begin, pieces);
  auto counts = CountAndHash(dist, bytes, p, file, &out);
  if (!counts.ok()) return counts.status();
  auto cuts = FindCuts(dist, bytes, p, *counts, file);
  if (!cuts.ok()) return cuts.status();
  if (root) {
    out.chunks = CsvChunksFromCuts(p, start.first_line, *cuts);
    auto sent = dist->BroadcastFromRoot(EncodeCuts(file, bytes.size(), out.chunks));
    if (!sent.ok()) return sent.status();
  } else {
    auto got = dist->BroadcastFromRoot({});
    if (!got.ok()) return got.status();
    auto chunks = DecodeCuts(*got, file, bytes.size(), start.begin);
    if (!chunks.ok()) return chunks.status();
    out.chunks = std::move(*chunks);
  }
  if (Status s = CheckBytesReadTwice(dist, bytes, p, start.begin, out.chunks, file); !s.ok()) {
    return s;
  }
  return out;
}

}  // namespace

namespace {

// ApplyEmergencyClaims with each line's claim from the keys a lean read kept (ClaimKeys, in row
// order) instead of a claim column.
void ApplyEmergencyClaims(const std::vector<uint8_t>& emergency, const ClaimKeys& keys,
                          MedicalClaimTable* t) {
  if (emergency.empty()) return;
  constexpr size_t kBatch = size_t{1} << 14;
  std::vector<uint32_t> claim(kBatch);
  std::vector<int32_t> line(kBatch);
  ClaimKeys::Reader read(keys);
  size_t row = 0;
  while (const size_t n = read.Next(claim.data(), line.data(), kBatch)) {
    for (size_t i = 0; i < n; ++i, ++row) {
      if (t->category[row] == ServiceCategory::kOutpatient && claim[i] < emergency.size() &&
          emergency[claim[i]] != 0) {
        t->category[row] = ServiceCategory::kEmergency;
      }
    }
  }
}

// A read that tallies the scorecard's claim-line figures batch by batch and keeps of the lines
// only what a spending settlement and the checks of later lines read (LoadOptions::tally_lines):
// each batch is merged apart from the dataset (`medical`, `pharmacy`), checked against the lines
// before it, given its service categories, tallied, and then only its member, claim date
// (LoadOptions::claim_month), amount of the run's basis and category join the dataset (its
// claim key and where it was read, its table's checker keeps, about a byte a line:
// FreshLineChecker; the keys are read there once the table is read, never laid out as the
// dataset's claim and line number columns, which stay empty).
struct LeanRead {
  quality::LineTallier tally;
  FreshLineChecker medical_checks, pharmacy_checks;
  // By claim id: a line of the claim is an emergency line by its own codes, so its outpatient
  // lines are too (ClassifyMedicalLines; ApplyEmergencyClaims once every file is read).
  std::vector<uint8_t> emergency_claim;
  MedicalClaimTable medical;
  PharmacyClaimTable pharmacy;
  bool medical_done = false;

  // Every medical file is read before the pharmacy files, and the checks and the tally take
  // each table's claims apart. Once the last medical file is read, the claim-level emergency
  // rule and the scorecard's figures by medical claim are taken (from the checker's claim
  // keys, on two threads), and the keys go, with the medical claims' ids, checks and batch: the
  // pharmacy claim ids then start again from 0 (a pharmacy claim and a medical claim with the
  // same text have different ids in this read, which nothing compares).
  void MedicalDone(Dataset* ds) {
    if (medical_done) return;
    medical_done = true;
    const ClaimKeys keys = medical_checks.TakeKeys();
    tbb::parallel_invoke([&] { ApplyEmergencyClaims(emergency_claim, keys, &ds->medical); },
                         [&] { tally.FinishMedical(*ds, keys); });
    std::vector<uint8_t>().swap(emergency_claim);
    ds->claim_ids = StringInterner(StringInterner::Lookup::kGrouped);
    medical_checks = FreshLineChecker();
    medical = MedicalClaimTable();
  }
};

// One file's merge into the dataset: where it goes, and its source row as it is counted.
struct FileMerge {
  std::string_view table;
  const LoadOptions& options;
  Dataset* ds;
  IngestReport* report;
  SourceFile sf;
  uint32_t file_index;
  size_t first_medical, first_pharmacy;  // the table sizes before the file
  bool index_claim_ids;                  // after the file's last chunk (LoadTuvaTable)
  LeanRead* lean = nullptr;              // claim lines tallied as they are read
  size_t estimated_rows = 0;             // of the whole file (EstimateRows)
  bool claim_ids_sized = false;          // SizeClaimIds done
};

// Room for `rows` more rows of the file's table: at least as many again as the table holds
// when it must grow, so that a file merged in batches is not copied once per batch.
void MakeRoom(const FileMerge& f, size_t rows) {
  Dataset& d = *f.ds;
  const auto room = [rows](size_t size, size_t capacity) {
    return size + rows <= capacity ? 0 : std::max(size + rows, capacity + capacity / 2);
  };
  if (f.table == "eligibility") {
    if (const size_t n = room(d.eligibility.size(), d.eligibility.member.capacity())) {
      Reserve(&d.eligibility, n);
    }
    return;
  }
  // Claim ids, at most one a line: their references, which a batch's new ids would otherwise
  // copy each time they grow.
  if (const size_t n = room(d.claim_ids.size(), d.claim_ids.values_capacity())) {
    d.claim_ids.ReserveValues(n);
  }
  if (f.table == "medical_claim") {
    if (const size_t n = room(d.medical.size(), d.medical.member.capacity())) {
      if (f.lean == nullptr) {
        Reserve(&d.medical, n, f.options);
      } else {
        ReserveKept(&d.medical, n, f.options);
      }
    }
  } else if (const size_t n = room(d.pharmacy.size(), d.pharmacy.member.capacity())) {
    if (f.lean == nullptr) {
      Reserve(&d.pharmacy, n, f.options);
    } else {
      ReserveKept(&d.pharmacy, n, f.options);
    }
  }
}

// Appends the rows of `from` to `to` and empties `from`, keeping its memory.
template <typename T>
void MoveRows(T* from, T* to) {
  to->insert(to->end(), from->begin(), from->end());
  from->clear();
}

// The columns a lean batch `b` of either table keeps (LeanRead): its member and amount of the
// basis, moved to `t` (its claim key and where it was read, the checker keeps:
// FreshLineChecker); the batch is emptied for the next, keeping its memory.
template <typename Table>
void KeepClaimLines(const LoadOptions& o, Table* b, Table* t) {
  b->claim.clear();
  b->line_number.clear();
  MoveRows(&b->member, &t->member);
  MoveRows(o.basis == "allowed" ? &b->allowed : &b->paid,
           o.basis == "allowed" ? &t->allowed : &t->paid);
  for (auto* amount : {&b->paid, &b->allowed}) amount->clear();
  b->source.clear();
  b->paid_date.clear();
}

// A medical line keeps one claim date: the one its month comes from (LoadOptions::claim_month).
void KeepMedical(const LoadOptions& o, MedicalClaimTable* b, MedicalClaimTable* t) {
  auto& kept = o.claim_month == ClaimMonthRule::kClaimStart ? t->claim_start : t->claim_end;
  for (size_t i = 0; i < b->claim_start.size(); ++i) {
    kept.push_back(MedicalLineDate(*b, i, o.claim_month));
  }
  b->claim_start.clear();
  b->claim_end.clear();
  KeepClaimLines(o, b, t);
  MoveRows(&b->category, &t->category);
  const auto keep_memory = [](auto*... col) { (col->clear(), ...); };
  keep_memory(&b->claim_type, &b->line_start, &b->line_end, &b->place_of_service, &b->bill_type,
              &b->drg, &b->revenue_code, &b->hcpcs, &b->rendering_npi, &b->billing_npi, &b->charge,
              &b->dx_first, &b->dx_listed, &b->dx_misshapen);
}

void KeepPharmacy(const LoadOptions& o, PharmacyClaimTable* b, PharmacyClaimTable* t) {
  KeepClaimLines(o, b, t);
  MoveRows(&b->dispensing_date, &t->dispensing_date);
  b->ndc.clear();
  b->prescribing_npi.clear();
}

// A lean batch (LeanRead), merged apart: checked, classified, tallied and kept in part.
void AddLeanBatch(FileMerge* f) {
  LeanRead& l = *f->lean;
  Dataset& d = *f->ds;
  const FreshFile file{f->file_index, f->sf.path, &f->sf.rows_rejected};
  const Money most = f->options.max_line_amount;
  if (f->table == "medical_claim") {
    l.medical_checks.Check(d, &l.medical, file, most, {}, f->report);
    ClassifyMedicalLines(d.codes, &l.medical, &l.emergency_claim);
    l.tally.AddMedical(d, l.medical, d.medical.size());
    KeepMedical(f->options, &l.medical, &d.medical);
  } else {
    l.pharmacy_checks.Check(d, &l.pharmacy, file, most, {}, f->report);
    l.tally.AddPharmacy(d, l.pharmacy, d.pharmacy.size());
    KeepPharmacy(f->options, &l.pharmacy, &d.pharmacy);
  }
}

// Sizes the dataset's table of claim ids once for the file, from the first batch's claims a
// row, so that it is not grown batch after batch (each time placing every id again, in fresh
// memory).
void SizeClaimIds(const std::vector<Chunk>& batch, size_t rows, FileMerge* f) {
  f->claim_ids_sized = true;
  if (rows == 0) return;
  size_t claims = 0;
  for (const auto& ch : batch) claims += ch.ids.claims.size();
  const double per_row = static_cast<double>(claims) / static_cast<double>(rows);
  StringInterner& ids = f->ds->claim_ids;
  ids.Reserve(ids.size() + static_cast<size_t>(per_row * static_cast<double>(f->estimated_rows)));
}

// Appends `batch` (the next chunks of the file, in order) to the dataset, with their reports;
// `last`: no chunk of the file follows.
void MergeBatch(std::vector<Chunk>* batch, bool last, FileMerge* f) {
  size_t rows = 0, dx = 0;
  for (const auto& ch : *batch) {
    rows += ch.elig.size() + ch.med.size() + ch.rx.size();
    dx += ch.med.dx_code.size();
  }
  MakeRoom(*f, rows);
  std::vector<uint32_t>& codes = f->ds->medical.dx_code;
  if (codes.size() + dx > codes.capacity()) {
    codes.reserve(std::max(codes.size() + dx, codes.capacity() + codes.capacity() / 2));
  }
  for (auto& ch : *batch) {
    f->sf.rows_read += ch.rows;
    f->sf.rows_rejected += ch.report.rejects.size();
    f->report->Merge(std::move(ch.report));
  }
  const bool index = f->index_claim_ids || !last;
  if (index && !f->claim_ids_sized && f->table != "eligibility") SizeClaimIds(*batch, rows, f);
  if (f->lean != nullptr && f->table != "eligibility") {
    MergeChunks(f->table, f->file_index, batch, f->ds, index, &f->lean->medical,
                &f->lean->pharmacy);
    AddLeanBatch(f);
    return;
  }
  MergeChunks(f->table, f->file_index, batch, f->ds, index, &f->ds->medical, &f->ds->pharmacy);
}

// Reads a file in batches of a few chunks per thread, the chunks in order as `more(n)` appends
// them to `ranges` (from at least n more pieces of the file; false once it has given the last).
// Each batch is parsed in parallel (`parse_and_note`), read again across quoted cuts (`parse`)
// and then merged (MergeBatch) as a task while the next batch is split and parsed: two sets of
// chunks take turns, and a batch parses into the memory the batch before the last one left once
// merged, so that only the dataset's own columns are fresh memory (on a virtual machine,
// touching a fresh page costs more than parsing the bytes that fill it). The merges run one
// after another in order, and a merge reads nothing the parse writes but its own chunks. A
// chunk that runs out inside a quote at a batch's end starts the next batch, joined with what
// follows as ReadAgainAcrossQuotedCuts joins it. The dataset is the one a single merge of every
// chunk gives.
template <class More, class Parse, class ParseAndNote>
void ReadInBatches(const std::vector<CsvChunk>& ranges, const More& more, size_t threads,
                   std::string_view bytes, const Parse& parse, const ParseAndNote& parse_and_note,
                   FileMerge* merge) {
  const size_t per_batch = std::max<size_t>(2, 2 * threads);
  bool more_to_come = true;
  while (more_to_come && ranges.size() < per_batch) more_to_come = more(per_batch);
  if (ranges.empty()) return;
  merge->estimated_rows = EstimateRows(bytes, ranges.front().begin, bytes.size());
  MakeRoom(*merge, merge->estimated_rows);
  std::vector<CsvChunk> todo;                 // ranges from `at` on, a carried chunk joined (below)
  std::array<std::vector<Chunk>, 2> batches;  // parsed and merged in turn
  bool carried = false;    // todo[at] is a chunk read before, to be read again joined
  tbb::task_group merged;  // the merge of the batch before
  // Waited for when an exception leaves the loop too, since its task uses the chunks and
  // `merge` (a second exception from the task is dropped: the first one is on its way).
  struct WaitOnUnwind {
    tbb::task_group& g;
    ~WaitOnUnwind() {
      try {
        g.wait();
      } catch (...) {  // NOLINT(bugprone-empty-catch)
      }
    }
  } wait_on_unwind{merged};
  for (size_t at = 0, turn = 0;; turn ^= 1) {
    while (more_to_come && ranges.size() < at + per_batch) more_to_come = more(per_batch);
    todo.insert(todo.end(), ranges.begin() + static_cast<std::ptrdiff_t>(todo.size()),
                ranges.end());
    if (at == todo.size()) break;
    const size_t n = std::min(per_batch, todo.size() - at);
    std::vector<Chunk>& batch = batches[turn];  // emptied by its last merge
    batch.resize(n);
    for (size_t i = 0; i < n; ++i) {
      batch[i].range = todo[at + i];
      batch[i].keep_memory = true;
    }
    tbb::parallel_for(size_t{0}, n, [&](size_t i) {
      if (i == 0 && carried) {
        parse(batch[i]);
      } else {
        parse_and_note(batch[i], at + i);
      }
    });
    ReadAgainAcrossQuotedCuts(&batch, parse);
    at += n;
    const bool last = at == todo.size() && !more_to_come;
    carried = !last && batch.back().ran_out_in_quote;
    if (carried) {  // read again from its start, joined with the next batch's first range
      todo[--at] = batch.back().range;
      batch.pop_back();
    }
    merged.wait();
    merged.run([chunks = &batch, last, merge] {
      MergeBatch(chunks, last, merge);
      for (auto& ch : *chunks) {
        for (auto* ids : {&ch.ids.members, &ch.ids.claims, &ch.ids.codes}) ids->Clear();
        ch.cache.clear();
        ch.report = IngestReport{};
        ch.rows = 0;
        ch.ran_out_in_quote = false;
      }
    });
  }
  merged.wait();
}

}  // namespace

Result<std::vector<std::string>> FindTableFiles(const std::string& dir, std::string_view table,
                                                const FileSystem& files) {
  auto listed = files.List(dir);
  if (!listed.ok()) {
    return listed.status();
  }
  std::vector<std::string> out;
  for (const auto& path : *listed) {
    const std::string lower = LowerAscii(std::filesystem::path(path).filename().string());
    if (lower.rfind(table, 0) == 0 && lower.size() > 4 &&
        lower.compare(lower.size() - 4, 4, ".csv") == 0) {
      out.push_back(path);
    }
  }
  return out;
}

namespace {

// LoadTuvaTable, the lines tallied as they are read when `lean` is given (LeanRead).
Status ReadTable(std::string_view table, std::string_view bytes, const std::string& display_name,
                 const LoadOptions& options, Dataset* ds, IngestReport* report,
                 const std::function<void(size_t, size_t)>& done_with,
                 const std::function<void(size_t)>& copy_in, bool index_claim_ids, LeanRead* lean) {
  const std::vector<ColumnSpec>* spec = nullptr;
  const ColumnLookup* lookup = nullptr;
  std::vector<int> required;
  if (table == "eligibility") {
    spec = &EligibilityColumns();
    lookup = &LookupFor<EligibilityColumns>();
    required = {kEPerson, kEStart, kEEnd};
  } else if (table == "medical_claim") {
    spec = &MedicalColumns();
    lookup = &LookupFor<MedicalColumns>();
    required = {kMClaim, kMPerson, kMStart, kMEnd, options.basis == "allowed" ? kMAllowed : kMPaid};
  } else if (table == "pharmacy_claim") {
    spec = &PharmacyColumns();
    lookup = &LookupFor<PharmacyColumns>();
    required = {kRClaim, kRPerson, kRDispensing, options.basis == "allowed" ? kRAllowed : kRPaid};
  } else {
    return InvalidInput(fmt::format("unknown table '{}'", table));
  }

  const size_t body = SkipBom(bytes);
  CsvCursor header_cursor(bytes, CsvChunk{body, bytes.size(), 1});
  std::vector<std::string_view> header;
  uint64_t header_line = 0;
  std::string err;
  const auto outcome = header_cursor.Next(&header, &header_line, &err);
  if (outcome == CsvCursor::Outcome::kEnd) {
    return InvalidInput(
        fmt::format("{}: the file is empty (expected a header line)", display_name));
  }
  if (outcome == CsvCursor::Outcome::kMalformed) {
    return InvalidInput(fmt::format("{}:{}: bad header: {}", display_name, header_line, err));
  }
  if (!IsValidUtf8(header_cursor.raw())) {
    return InvalidInput(fmt::format("{}:{}: header is not UTF-8 text", display_name, header_line));
  }

  std::vector<int> col(spec->size(), -1);
  std::vector<std::string> ignored;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string h = LowerAscii(Trim(header[i]));
    const auto it = lookup->find(h);
    if (it == lookup->end()) {
      if (!IsKnownUnusedColumn(h)) {
        ignored.push_back(h);
      }
      continue;
    }
    const auto c = static_cast<size_t>(it->second);
    if (col[c] >= 0) {
      return InvalidInput(fmt::format("{}:{}: column '{}' appears twice (columns {} and {})",
                                      display_name, header_line, (*spec)[c].name, col[c] + 1,
                                      i + 1));
    }
    col[c] = static_cast<int>(i);
  }
  for (int c : required) {
    if (col[static_cast<size_t>(c)] < 0) {
      const auto& s = (*spec)[static_cast<size_t>(c)];
      std::string aliases;
      for (auto a : s.aliases) {
        aliases += fmt::format(" or '{}'", a);
      }
      return InvalidInput(fmt::format("{}: missing required column '{}'{} in the header (line {})",
                                      display_name, s.name, aliases, header_line));
    }
  }
  if (!ignored.empty()) {
    report->notes.push_back(
        fmt::format("{}: ignored unknown columns: {}", display_name, JoinLimited(ignored, 20)));
  }

  // In a distributed run the chunks are split among the ranks (their count must not depend on
  // a rank's threads); the dataset does not depend on where the chunks fall. One process reads
  // them in batches (ReadInBatches) of about kChunkBytes each, at least 16 a thread: the file
  // parsed at once (two batches of a few chunks a thread) stays the same size whatever the
  // file's, instead of growing with it.
  Distribution* dist = CurrentDistribution();
  const size_t nthreads = static_cast<size_t>(tbb::this_task_arena::max_concurrency());
  constexpr size_t kChunkBytes = size_t{1} << 20;
  const size_t pieces = dist != nullptr ? static_cast<size_t>(dist->size()) * 16
                                        : std::max(nthreads * 16, bytes.size() / kChunkBytes + 1);
  if (lean != nullptr && dist == nullptr && table == "pharmacy_claim") lean->MedicalDone(ds);
  const CsvChunk start{header_cursor.position(), 0, header_line + 1};
  // One process splits and fingerprints the file as it reads it (ReadInBatches): `ranges` grow
  // batch by batch. The ranks of a distributed run split it before they read their shares.
  FileSplit split;
  std::optional<CsvSplitter> splitter;
  if (dist == nullptr) {
    splitter.emplace(bytes, start.begin, start.first_line, pieces);
    split.chunks.reserve(splitter->pieces());
  } else {
    auto shared = SplitFile(dist, bytes, start, pieces, display_name);
    if (!shared.ok()) return shared.status();
    split = std::move(*shared);
  }
  const std::vector<CsvChunk>* ranges = &split.chunks;
  std::vector<Chunk> chunks(ranges->size());
  const auto [first, last] = dist != nullptr ? ShareOf(chunks.size(), dist->rank(), dist->size())
                                             : std::pair<size_t, size_t>{0, splitter->pieces()};
  // What needs the whole file is taken before its parsed parts are given back.
  const bool root = dist == nullptr || dist->rank() == 0;
  IngestReport file_notes;
  if (root) file_notes.NoteUnterminatedLastLine(bytes, display_name);
  Progress progress(fmt::format("reading {}", display_name), bytes.size(), "bytes");
  const size_t width = header.size();
  const auto parse = [&](Chunk& ch) {
    ch.cache.resize(spec->size());
    CsvCursor cur(bytes, ch.range);
    const size_t estimate = EstimateRows(bytes, ch.range.begin, ch.range.end);
    if (table == "eligibility") {
      Reserve(&ch.elig, estimate);
    } else if (table == "medical_claim") {
      Reserve(&ch.med, estimate, options);
    } else {
      Reserve(&ch.rx, estimate, options);
    }
    CsvFields fields;
    uint64_t line = 0;
    std::string error;
    for (;;) {
      const auto o = cur.Next(&fields, &line, &error);
      if (o == CsvCursor::Outcome::kEnd) {
        break;
      }
      ++ch.rows;
      if (o == CsvCursor::Outcome::kMalformed) {
        ch.report.AddReject(display_name, line, "", cur.raw(), error);
        continue;
      }
      if (fields.size() != width) {
        ch.report.AddReject(
            display_name, line, "", cur.raw(),
            fmt::format("expected {} fields (as in the header), found {}", width, fields.size()));
        continue;
      }
      if (!cur.raw_is_ascii() && !IsValidUtf8(cur.raw())) {
        const int bad = FindBadUtf8Field(fields);
        ch.report.AddReject(display_name, line,
                            bad >= 0 ? std::string(Trim(header[static_cast<size_t>(bad)])) : "",
                            bad >= 0 ? fields[static_cast<size_t>(bad)] : cur.raw(),
                            "bytes that are not UTF-8 text");
        continue;
      }
      Row row(fields, col, *spec, display_name, line, &ch, bytes);
      if (table == "eligibility") {
        ParseEligibilityRow(row, &ch);
      } else if (table == "medical_claim") {
        ParseMedicalRow(row, options, &ch);
      } else {
        ParsePharmacyRow(row, options, &ch);
      }
    }
    ch.ran_out_in_quote = cur.ran_out_in_quote();
  };
  // One process hashes the file's blocks while it parses them (below): a chunk's pages go back
  // once they are hashed too.
  ReleaseBehind hashed(done_with);
  const std::function<void(size_t, size_t)> release =
      dist == nullptr && done_with ? [&hashed](size_t b, size_t e) { hashed.Release(b, e); }
                                   : done_with;
  ChunkPages pages(first, last, release);
  const auto parse_and_note = [&](Chunk& ch, size_t k) {
    parse(ch);
    pages.Parsed(k, ch.ran_out_in_quote, *ranges);
    progress.Add(ch.range.end - ch.range.begin);
  };
  FileMerge merge{table, options, ds, report,          SourceFile{},
                  0,     0,       0,  index_claim_ids, dist == nullptr ? lean : nullptr};
  merge.sf.path = display_name;
  merge.sf.table = std::string(table);
  merge.sf.format = "tuva_csv";
  merge.sf.sha256 = std::move(split.fingerprint);
  merge.file_index = static_cast<uint32_t>(ds->sources.size());
  merge.first_medical = ds->medical.size();
  merge.first_pharmacy = ds->pharmacy.size();
  if (dist == nullptr) {
    report->Merge(std::move(file_notes));
    // The blocks counted last are hashed as a task beside the batch's parse, not before it.
    Fingerprinter fingerprint(bytes);
    tbb::task_group hashing;  // waited for by its destructor when an exception leaves
    const auto more = [&](size_t n) {
      hashing.wait();
      // The bytes the count reads next, and every reader after it (FileBuffer::CopyIn).
      if (copy_in) copy_in(splitter->end_after(n));
      splitter->Next(n, &split.chunks);
      const size_t end = splitter->counted_end();
      hashing.run([&fingerprint, &hashed, end] {
        fingerprint.HashTo(end);
        hashed.Reached(fingerprint.hashed_to());
      });
      return !splitter->done();
    };
    ReadInBatches(split.chunks, more, nthreads, bytes, parse, parse_and_note, &merge);
    hashing.wait();
    merge.sf.sha256 = fingerprint.Finish();
    hashed.Reached(bytes.size());
    progress.Done();
  } else {
    // Every chunk's range, the other ranks' too (rank 0 may read one of theirs again, below).
    for (size_t k = 0; k < chunks.size(); ++k) chunks[k].range = (*ranges)[k];
    tbb::parallel_for(first, last, [&](size_t k) { parse_and_note(chunks[k], k); });
    progress.Done();
    if (Status s = GatherChunks(dist, display_name, options, first, last, &chunks); !s.ok()) {
      return s;
    }
    if (dist->rank() != 0) return Status::Ok();  // rank 0 holds the dataset
    std::vector<std::pair<size_t, size_t>> again;
    ReadAgainAcrossQuotedCuts(&chunks, [&](Chunk& ch) {
      again.emplace_back(ch.range.begin, ch.range.end);
      parse(ch);
    });
    if (Status s = CheckReadAgain(bytes, split.block_digests, again, display_name); !s.ok()) {
      return s;
    }
    report->Merge(std::move(file_notes));
    MergeBatch(&chunks, true, &merge);
  }
  report->counters[std::string(table) + ".rows_read"] += merge.sf.rows_read;
  report->counters[std::string(table) + ".rows_rejected"] += merge.sf.rows_rejected;
  ds->sources.push_back(std::move(merge.sf));
  // Against every line read before, from this file and earlier ones (a lean read checked each
  // batch before it joined).
  if (merge.lean == nullptr) {
    CheckNewClaimLines(ds, merge.first_medical, merge.first_pharmacy, options.max_line_amount, {},
                       report);
  }
  return Status::Ok();
}

}  // namespace

Status LoadTuvaTable(std::string_view table, std::string_view bytes,
                     const std::string& display_name, const LoadOptions& options, Dataset* ds,
                     IngestReport* report, const std::function<void(size_t, size_t)>& done_with,
                     bool index_claim_ids) {
  return ReadTable(table, bytes, display_name, options, ds, report, done_with, {}, index_claim_ids,
                   nullptr);
}

Status LoadTuvaDirectory(const std::string& dir, const LoadOptions& options, Dataset* ds,
                         IngestReport* report, const FileSystem& files) {
  if (files.Kind(dir) != FileKind::kDirectory) {
    return NotFound(fmt::format("{}: no such data directory", dir));
  }
  struct TableWanted {
    std::string_view name;
    bool required;
  };
  const TableWanted tables[] = {
      {"eligibility", true}, {"medical_claim", true}, {"pharmacy_claim", false}};
  std::vector<std::pair<std::string_view, std::string>> reads;  // table, file: in reading order
  for (const auto& t : tables) {
    auto found = FindTableFiles(dir, t.name, files);
    if (!found.ok()) {
      return found.status();
    }
    if (t.name == "pharmacy_claim" && !options.pharmacy) {
      // Not read, and said so: a file in the folder is never passed over without a word.
      for (const auto& f : *found) report->NotePharmacyNotRead(f);
      continue;
    }
    if (found->empty()) {
      if (t.required) {
        return NotFound(fmt::format("{}: no {}*.csv file (the Tuva input-layer table '{}')", dir,
                                    t.name, t.name));
      }
      report->notes.push_back(fmt::format("{}: no {}*.csv file; table not loaded", dir, t.name));
      continue;
    }
    for (auto& f : *found) reads.emplace_back(t.name, std::move(f));
  }
  // A lean read (LeanRead) in one process, where the run asks for it.
  std::unique_ptr<LeanRead> lean;
  if (options.tally_lines != nullptr && !options.line_details && !options.diagnoses &&
      CurrentDistribution() == nullptr) {
    lean = std::make_unique<LeanRead>();
  }
  // The pages one file's copy-in gives back are copied into by the next file's (CopyInPages).
  const CopyInPages kept_pages;
  // The last file read holds claims (a medical or pharmacy table): once its claim ids are in,
  // the claim id table needs no index.
  for (size_t i = 0; i < reads.size(); ++i) {
    const std::string_view table = reads[i].first;
    const std::string& f = reads[i].second;
    auto mapped = files.MapInPlace(f);
    if (!mapped.ok()) {
      return mapped.status();
    }
    Status s = ParseUnchanged({&*mapped}, [&] {
      ReleaseInRuns pages([&](size_t b, size_t e) { mapped->Release(b, e); });
      return ReadTable(
          table, mapped->data(), f, options, ds, report,
          [&](size_t b, size_t e) { pages.Release(b, e); },
          [&](size_t end) { mapped->CopyIn(end); }, i + 1 < reads.size(), lean.get());
    });
    if (!s.ok()) {
      return s;
    }
  }
  if (lean == nullptr) {
    ClassifyMedicalClaims(ds->codes, &ds->medical);
    if (options.tally_lines != nullptr) *options.tally_lines = quality::TallyClaimLines(*ds);
    return Status::Ok();
  }
  lean->MedicalDone(ds);
  // The batches' memory and the checks' are freed before the tally's last step takes its own
  // (the heap keeps it: handing it back to the system only had it faulted in and zeroed
  // again). The pharmacy lines' claim keys are read where they are (not laid out as columns).
  const ClaimKeys keys = lean->pharmacy_checks.TakeKeys();
  quality::LineTallier tally = std::move(lean->tally);
  lean.reset();
  *options.tally_lines = tally.Finish(*ds, keys);
  return Status::Ok();
}

}  // namespace valuepact
