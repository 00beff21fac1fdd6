#include "valuepact/ingest/cclf/cclf_reader.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "cclf_fields.h"
#include "valuepact/core/file_io.h"
#include "valuepact/dataset/service_category.h"
#include "valuepact/ingest/cclf/cclf_control.h"
#include "valuepact/ingest/cclf/cclf_file_name.h"
#include "valuepact/ingest/cclf/cclf_layout.h"
#include "valuepact/ingest/cclf/claim_versions.h"
#include "valuepact/ingest/demographics.h"

namespace valuepact::cclf {
namespace {

constexpr const char* kFormat = "cclf";

// ---------------------------------------------------------------------------------------------
// Files, deliveries and records

struct Line {
  std::string_view raw;
  uint32_t line = 0;
};

struct FileInfo {
  const CclfInput* input = nullptr;
  CclfFileName name;
  uint32_t source = 0;    // index in Dataset::sources
  uint32_t delivery = 0;  // index in deliveries (sorted)
  uint32_t record_length = 0;
  std::vector<Line> lines;  // accepted records
};

struct Delivery {
  std::string key;
  CclfFileName name;  // of its first file (date, year, kind)
  std::map<char, FileInfo*> files;
};

const char* TableFor(char t) {
  switch (t) {
    case '0':
      return "cclf_control";
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
      return "medical_claim";
    case '7':
      return "pharmacy_claim";
    case '8':
      return "eligibility";
    case '9':
      return "member_id_xref";
    default:
      return "cclf_demo_codes";
  }
}

bool KnownLength(const CclfLayout& l, uint32_t len) {
  return len == l.record_length || len == l.legacy_length ||
         (l.file_type == '7' && len == kCclf7ExtendedLength);
}

std::string FileLabel(char t) { return fmt::format("CCLF{}", t); }

// A reader-wide context so per-file helpers stay short.
struct Ctx {
  const CclfOptions* options;
  Dataset* ds;
  IngestReport* report;
  std::vector<std::unique_ptr<FileInfo>> files;
  std::vector<Delivery> deliveries;

  const std::string& Name(const FileInfo& f) const { return f.input->name; }
  void Reject(FileInfo& f, uint32_t line, std::string field, std::string_view value,
              std::string reason) {
    report->AddReject(f.input->name, line, std::move(field), value, std::move(reason));
    ++ds->sources[f.source].rows_rejected;
    ++report->counters[fmt::format("cclf{}.rows_rejected", Lower(f.name.file_type))];
  }
  // A field whose value is unusable but whose row is kept (the value becomes null).
  void Ignored(FileInfo& f, uint32_t line, std::string field, std::string_view value,
               const std::string& reason) {
    report->AddReject(f.input->name, line, std::move(field), value,
                      "value ignored (row kept): " + reason);
    ++report->counters[fmt::format("cclf{}.values_ignored", Lower(f.name.file_type))];
  }
  void Count(char type, const char* what, uint64_t n = 1) {
    report->counters[fmt::format("cclf{}.{}", Lower(type), what)] += n;
  }
  static char Lower(char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); }
};

// Splits a file into records, checking each against the record length.
void SplitRecords(Ctx& ctx, FileInfo& f) {
  const std::string_view data = f.input->bytes;
  size_t pos = 0;
  uint32_t line_no = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    const bool last = nl == std::string_view::npos;
    if (last) {
      nl = data.size();
    }
    std::string_view raw = data.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') {
      raw.remove_suffix(1);
    }
    if (raw.empty()) {
      if (last) {
        break;
      }
      // A blank line inside a fixed-width file is not a record; it is reported, not counted.
      ctx.Reject(f, line_no, "", raw, "blank line where a record was expected");
      continue;
    }
    ++ctx.ds->sources[f.source].rows_read;
    if (raw.size() > f.record_length) {
      // Trailing blanks beyond the length are padding some producers add; anything else means
      // the record does not have the announced layout.
      if (TrimBlanks(raw.substr(f.record_length)).empty()) {
        raw = raw.substr(0, f.record_length);
      } else {
        ctx.Reject(f, line_no, "", raw.substr(0, 200),
                   fmt::format("record is {} bytes; the record length for {} is {}", raw.size(),
                               FileLabel(f.name.file_type), f.record_length));
        continue;
      }
    }
    size_t bad = raw.size();
    for (size_t i = 0; i < raw.size(); ++i) {
      const auto c = static_cast<unsigned char>(raw[i]);
      if ((c < 0x20 && c != '\t') || c >= 0x7F) {
        bad = i;
        break;
      }
    }
    if (bad != raw.size()) {
      ctx.Reject(f, line_no, "", raw.substr(0, 200),
                 fmt::format("byte {} (0x{:02X}) is not printable ASCII; CCLF records are ASCII",
                             bad + 1, static_cast<unsigned>(static_cast<unsigned char>(raw[bad]))));
      continue;
    }
    if (raw.size() < f.record_length) {
      ctx.Count(f.name.file_type, "short_records_padded");
    }
    f.lines.push_back({raw, line_no});
  }
}

// ---------------------------------------------------------------------------------------------
// MBI cross-reference (IP 3.1 / 5.1.1)

class MbiMap {
 public:
  void Add(std::string_view previous, std::string_view current) {
    if (previous.empty() || current.empty() || previous == current) {
      return;
    }
    map_[std::string(previous)] = std::string(current);  // the latest delivery wins
  }
  // The most recent MBI: follows chains A -> B -> C; a cycle stops where it closes.
  std::string_view Resolve(std::string_view mbi) const {
    std::string_view cur = mbi;
    for (size_t steps = 0; steps <= map_.size(); ++steps) {
      auto it = map_.find(std::string(cur));
      if (it == map_.end()) {
        return cur;
      }
      cur = it->second;
      if (cur == mbi) {
        return cur;
      }
    }
    return cur;
  }
  bool empty() const { return map_.empty(); }

 private:
  std::unordered_map<std::string, std::string> map_;
};

// ---------------------------------------------------------------------------------------------
// Helpers shared by the claim files

std::string NormalizeDx(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '.' || c == ' ') {
      continue;
    }
    out.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
  }
  return out;
}

uint32_t CodeOrNone(Dataset* ds, std::string_view s) {
  return s.empty() ? kNoCode : ds->codes.Intern(s);
}

bool AllDigits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

bool ParseLineNumber(std::string_view s, int32_t* out) {
  if (!AllDigits(s)) {
    return false;
  }
  while (s.size() > 1 && s.front() == '0') {
    s.remove_prefix(1);
  }
  if (s.size() > 9) {
    return false;
  }
  int32_t v = 0;
  for (char c : s) {
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

bool ParseAdjustmentType(std::string_view s, AdjustmentType* out) {
  // X(02) holding one digit, justification undocumented: trimmed by RecordView (IP §3).
  if (s == "0") {
    *out = AdjustmentType::kOriginal;
  } else if (s == "1") {
    *out = AdjustmentType::kCancellation;
  } else if (s == "2") {
    *out = AdjustmentType::kAdjustment;
  } else {
    return false;
  }
  return true;
}

// A parsed claim-version row common to Part A, B and D.
struct VersionRow {
  FileInfo* file = nullptr;
  Line line;
  std::string_view uniq;
  std::string mbi;  // most recent MBI
  AdjustmentType type = AdjustmentType::kOriginal;
  Date effective = kNoDate, loaded = kNoDate;
  Money amount;
  int32_t line_number = 0;
  std::string key;  // natural key text
};

struct DateOrReject {
  bool ok = true;
  Date value = kNoDate;
};

// Parses a date field; on error either rejects the row (fatal) or nulls the value.
DateOrReject ReadDate(Ctx& ctx, FileInfo& f, const Line& l, const RecordView& r, const Fld& fld,
                      bool fatal) {
  auto d = ParseCclfDate(r.Get(fld));
  if (d.ok()) {
    return {true, *d};
  }
  const std::string reason = "expected a date YYYY-MM-DD: " + d.status().message();
  if (fatal) {
    ctx.Reject(f, l.line, fld.name, r.Get(fld), reason);
    return {false, kNoDate};
  }
  ctx.Ignored(f, l.line, fld.name, r.Get(fld), reason);
  return {true, kNoDate};
}

bool ReadAmount(Ctx& ctx, FileInfo& f, const Line& l, const RecordView& r, const Fld& fld,
                bool fatal, Money* out) {
  auto m = ParseCclfAmount(r.Get(fld));
  if (m.ok()) {
    if (m->rounded) {
      ++ctx.report->rounded_amounts;
    }
    *out = m->value;
    return true;
  }
  const std::string reason = "expected a signed decimal amount: " + m.status().message();
  if (fatal) {
    ctx.Reject(f, l.line, fld.name, r.Get(fld), reason);
    return false;
  }
  ctx.Ignored(f, l.line, fld.name, r.Get(fld), reason);
  *out = Money();
  return true;
}

// Files of one type across all deliveries, in delivery order.
std::vector<FileInfo*> FilesOfType(Ctx& ctx, char type) {
  std::vector<FileInfo*> out;
  for (auto& d : ctx.deliveries) {
    auto it = d.files.find(type);
    if (it != d.files.end()) {
      out.push_back(it->second);
    }
  }
  return out;
}

// Keeps one copy of each record id: identical redeliveries are dropped (IP 5.1: de-duplicate
// before netting); a changed redelivery replaces the earlier copy (later deliveries carry the
// longer, more complete layout). Returns the index of the row to keep, per id.
template <typename Row>
void Deduplicate(Ctx& ctx, char type, std::vector<Row>* rows,
                 const std::function<std::string(const Row&)>& id_of,
                 const std::function<std::string_view(const Row&)>& raw_of) {
  std::unordered_map<std::string, size_t> seen;
  std::vector<char> keep(rows->size(), 1);
  for (size_t i = 0; i < rows->size(); ++i) {
    std::string id = id_of((*rows)[i]);
    auto [it, inserted] = seen.emplace(std::move(id), i);
    if (inserted) {
      continue;
    }
    const Row& prev = (*rows)[it->second];
    if (TrimBlanks(raw_of(prev)) == TrimBlanks(raw_of((*rows)[i]))) {
      keep[i] = 0;
      ctx.Count(type, "duplicate_records_removed");
    } else {
      keep[it->second] = 0;
      it->second = i;
      ctx.Count(type, "redelivered_records_replaced");
    }
  }
  std::vector<Row> out;
  out.reserve(rows->size());
  for (size_t i = 0; i < rows->size(); ++i) {
    if (keep[i]) {
      out.push_back(std::move((*rows)[i]));
    }
  }
  *rows = std::move(out);
}

SourceRef Ref(const FileInfo& f, const Line& l) { return SourceRef{f.source, l.line}; }

// ---------------------------------------------------------------------------------------------
// The loader

class Loader {
 public:
  explicit Loader(Ctx& ctx) : ctx_(ctx), ds_(ctx.ds) {}

  void Run() {
    const size_t first_medical = ds_->medical.size(), first_pharmacy = ds_->pharmacy.size();
    ReadXref();
    ReadBeneficiaries();
    ReadPartA();
    ReadPartB('5');
    ReadPartB('6');
    if (ctx_.options->read_part_d) {
      ReadPartD();
    } else {
      for (FileInfo* f : FilesOfType(ctx_, '7')) ctx_.report->NotePharmacyNotRead(ctx_.Name(*f));
    }
    CountDemoCodes();
    WriteXrefTable();
    WriteDeliveries();
    // On final-action lines only, in delivery, file and record order: the versions of a claim
    // were resolved above and are not duplicates of each other.
    CheckNewClaimLines(ds_, first_medical, first_pharmacy, ctx_.options->max_line_amount,
                       {"CLM_LINE_NUM", "CLM_LINE_CVRD_PD_AMT", "CLM_LINE_ALOWD_CHRG_AMT"},
                       ctx_.report);
    ClassifyMedicalClaims(ds_->codes, &ds_->medical);
  }

 private:
  Ctx& ctx_;
  Dataset* ds_;
  MbiMap mbi_;
  struct XrefRow {
    std::string previous, current;
    Date effective, obsolete;
    uint32_t delivery;
  };
  std::vector<XrefRow> xref_rows_;
  std::vector<std::set<uint32_t>> delivery_members_;
  std::vector<uint64_t> delivery_versions_;

  std::string Mbi(std::string_view delivered) { return std::string(mbi_.Resolve(delivered)); }

  void AddVersionRow(const VersionRow& v, char part, uint32_t delivery, uint32_t member,
                     uint32_t key_code, char status, int32_t paired) {
    auto& t = ds_->claim_versions;
    t.version.push_back(ds_->claim_ids.Intern(v.uniq));
    t.line_number.push_back(v.line_number);
    t.member.push_back(member);
    t.part.push_back(part);
    t.adjustment_type.push_back(static_cast<int8_t>(v.type));
    t.natural_key.push_back(key_code);
    t.effective.push_back(v.effective);
    t.loaded.push_back(v.loaded);
    t.amount.push_back(v.amount);
    t.delivery.push_back(delivery);
    t.status.push_back(status);
    t.paired_with.push_back(paired);
    t.source.push_back(Ref(*v.file, v.line));
    if (delivery < delivery_versions_.size()) {
      ++delivery_versions_[delivery];
    }
  }

  // Appends one medical line with every column set to "empty"; the caller fills what it has.
  size_t NewMedicalRow() {
    auto& m = ds_->medical;
    m.claim.push_back(0);
    m.line_number.push_back(0);
    m.member.push_back(0);
    m.claim_type.push_back(ClaimType::kUnknown);
    for (auto* v : {&m.claim_start, &m.claim_end, &m.line_start, &m.line_end, &m.admission,
                    &m.discharge, &m.paid_date}) {
      v->push_back(kNoDate);
    }
    for (auto* v : {&m.place_of_service, &m.bill_type, &m.drg, &m.revenue_code, &m.hcpcs,
                    &m.hcpcs_modifier_1, &m.rendering_npi, &m.billing_npi, &m.facility_npi,
                    &m.rendering_tin, &m.billing_tin, &m.discharge_disposition}) {
      v->push_back(kNoCode);
    }
    m.paid.push_back(Money());
    m.allowed.push_back(Money());
    m.charge.push_back(Money());
    m.category.push_back(ServiceCategory::kOther);
    m.source.push_back(SourceRef{});
    return m.member.size() - 1;
  }
  void CloseCodes(const std::vector<uint32_t>& dx, const std::vector<uint32_t>& px) {
    auto& m = ds_->medical;
    m.dx_code.insert(m.dx_code.end(), dx.begin(), dx.end());
    m.dx_offset.push_back(static_cast<uint32_t>(m.dx_code.size()));
    m.px_code.insert(m.px_code.end(), px.begin(), px.end());
    m.px_offset.push_back(static_cast<uint32_t>(m.px_code.size()));
  }

  // --- CCLF9 ---------------------------------------------------------------------------------
  void ReadXref() {
    const CclfLayout& l = *CclfLayoutFor('9');
    const Fld ind = ResolveField(l, "HICN_MBI_XREF_IND"), crnt = ResolveField(l, "CRNT_NUM"),
              prvs = ResolveField(l, "PRVS_NUM"), eff = ResolveField(l, "PRVS_ID_EFCTV_DT"),
              obs = ResolveField(l, "PRVS_ID_OBSLT_DT");
    for (FileInfo* f : FilesOfType(ctx_, '9')) {
      for (const Line& line : f->lines) {
        RecordView r(line.raw, f->record_length);
        const std::string_view kind = r.Get(ind);
        if (!kind.empty() && kind != "M") {
          // Pre-2018 HICN cross-references: members are MBIs, so these rows map nothing.
          ctx_.Count('9', "hicn_rows_ignored");
          continue;
        }
        const std::string_view cur = r.Get(crnt), prev = r.Get(prvs);
        if (cur.empty() || prev.empty()) {
          ctx_.Reject(*f, line.line, cur.empty() ? "CRNT_NUM" : "PRVS_NUM", line.raw,
                      "an MBI cross-reference needs both the current and the previous MBI");
          continue;
        }
        auto e = ReadDate(ctx_, *f, line, r, eff, false);
        auto o = ReadDate(ctx_, *f, line, r, obs, false);
        if (prev == cur) {
          ctx_.Count('9', "self_references_ignored");
          continue;
        }
        mbi_.Add(prev, cur);
        xref_rows_.push_back({std::string(prev), std::string(cur), e.value, o.value, f->delivery});
      }
    }
    if (FilesOfType(ctx_, '9').empty() && !FilesOfType(ctx_, '8').empty()) {
      ctx_.report->notes.push_back(
          "CCLF: no CCLF9 (MBI cross-reference) file; MBIs are used as delivered");
    }
  }

  void WriteXrefTable() {
    auto& t = ds_->member_id_changes;
    for (const auto& x : xref_rows_) {
      t.previous.push_back(ds_->codes.Intern(x.previous));
      t.current.push_back(ds_->members.Intern(mbi_.Resolve(x.current)));
      t.effective.push_back(x.effective);
      t.obsolete.push_back(x.obsolete);
      t.delivery.push_back(x.delivery);
    }
  }

  // --- CCLF8 ---------------------------------------------------------------------------------
  struct Bene {
    uint32_t member;
    char sex;
    Date birth, death;
    uint32_t dual, status, orec;
    uint32_t race, state, zip3;  // normalised (ingest/demographics.h); kNoCode when absent
    SourceRef source;
    uint32_t delivery;
  };

  // BENE_RACE_CD, BENE_FIPS_STATE_CD and BENE_ZIP_CD, normalised as every reader does; a code
  // outside the data dictionary is kept out (noted as ignored), never guessed.
  void ReadBeneficiaryPlace(FileInfo& f, const Line& line, const RecordView& r, const Fld& race,
                            const Fld& state, const Fld& zip, Bene* b) {
    const auto code = [&](std::string_view v) {
      return v.empty() ? kNoCode : ds_->codes.Intern(v);
    };
    const std::string_view rc = r.Get(race);
    b->race = code(ingest::CmsRaceLabel(rc));
    if (!rc.empty() && b->race == kNoCode) {
      ctx_.Ignored(f, line.line, "BENE_RACE_CD", rc, "expected a race code 0-6");
    }
    const std::string_view sc = r.Get(state);
    b->state = code(ingest::StateFromFips(sc));
    if (!sc.empty() && b->state == kNoCode) {
      ctx_.Ignored(f, line.line, "BENE_FIPS_STATE_CD", sc, "not a FIPS state code");
    }
    b->zip3 = code(ingest::Zip3(r.Get(zip)));
  }

  void ReadBeneficiaries() {
    const CclfLayout& l = *CclfLayoutFor('8');
    const Fld mbi = ResolveField(l, "BENE_MBI_ID"), dob = ResolveField(l, "BENE_DOB"),
              sex = ResolveField(l, "BENE_SEX_CD"), mstat = ResolveField(l, "BENE_MDCR_STUS_CD"),
              dual = ResolveField(l, "BENE_DUAL_STUS_CD"), dod = ResolveField(l, "BENE_DEATH_DT"),
              orec = ResolveField(l, "BENE_ORGNL_ENTLMT_RSN_CD"),
              race = ResolveField(l, "BENE_RACE_CD"), state = ResolveField(l, "BENE_FIPS_STATE_CD"),
              zip = ResolveField(l, "BENE_ZIP_CD");
    std::vector<Bene> benes;
    for (FileInfo* f : FilesOfType(ctx_, '8')) {
      for (const Line& line : f->lines) {
        RecordView r(line.raw, f->record_length);
        const std::string_view id = r.Get(mbi);
        if (id.empty()) {
          ctx_.Reject(*f, line.line, "BENE_MBI_ID", r.Get(mbi), "missing MBI");
          continue;
        }
        Bene b;
        b.member = ds_->members.Intern(Mbi(id));
        const std::string_view s = r.Get(sex);
        b.sex = s == "1" ? 'M' : (s == "2" ? 'F' : 'U');
        if (!s.empty() && s != "0" && s != "1" && s != "2") {
          ctx_.Ignored(*f, line.line, "BENE_SEX_CD", s, "expected 0, 1 or 2");
        }
        b.birth = ReadDate(ctx_, *f, line, r, dob, false).value;
        b.death = ReadDate(ctx_, *f, line, r, dod, false).value;
        b.dual = CodeOrNone(ds_, r.Get(dual));
        b.status = CodeOrNone(ds_, r.Get(mstat));
        b.orec = CodeOrNone(ds_, r.Get(orec));
        ReadBeneficiaryPlace(*f, line, r, race, state, zip, &b);
        b.source = Ref(*f, line);
        b.delivery = f->delivery;
        delivery_members_[f->delivery].insert(b.member);
        benes.push_back(b);
        // The beneficiary's demographics hold even when the delivery gives no enrollment
        // period (public samples name neither a year nor a date).
        ds_->demographics.Add(b.member, b.sex, b.birth, b.death, b.dual, b.status, b.orec,
                              b.source);
      }
    }
    // Enrollment: CCLF8 has no coverage dates; a beneficiary listed in a delivery is taken as
    // assigned for the months that delivery covers (docs/input-formats.md, "Enrollment").
    struct Span {
      Date start, end;
    };
    std::map<uint32_t, std::vector<Span>> spans;
    std::map<uint32_t, const Bene*> latest;
    uint64_t without = 0;
    for (const Bene& b : benes) {
      latest[b.member] = &b;  // deliveries are in date order; the last row wins
      const auto& d = ctx_.deliveries[b.delivery].name;
      int year = d.performance_year;
      if (year == 0 && d.has_file_date) {
        year = d.file_date.year();
      }
      if (year == 0) {
        ++without;
        continue;
      }
      Date start = Date::FromCivil(year, 1, 1);
      Date end = Date::FromCivil(year, 12, 31);
      if (!d.run_out && d.has_file_date && d.file_date.year() == year) {
        end = YearMonth::Of(d.file_date).last_day();
      }
      if (b.death != kNoDate && b.death < end) {
        end = b.death;
      }
      if (end < start) {
        continue;
      }
      spans[b.member].push_back({start, end});
    }
    if (without > 0) {
      ctx_.report->notes.push_back(fmt::format(
          "CCLF8: {} beneficiary rows come from deliveries whose file names give neither a "
          "performance year nor a file date; no enrollment spans were made for them",
          without));
      ctx_.Count('8', "rows_without_enrollment_period", without);
    }
    const uint32_t medicare = ds_->codes.Intern("medicare");
    for (auto& [member, list] : spans) {
      std::sort(list.begin(), list.end(),
                [](const Span& a, const Span& b) { return a.start < b.start; });
      std::vector<Span> merged;
      for (const Span& s : list) {
        if (!merged.empty() && s.start <= merged.back().end + 1) {
          merged.back().end = std::max(merged.back().end, s.end);
        } else {
          merged.push_back(s);
        }
      }
      const Bene& b = *latest[member];
      const auto& dn = ctx_.deliveries[b.delivery].name;
      for (const Span& s : merged) {
        auto& e = ds_->eligibility;
        e.member.push_back(member);
        e.start.push_back(s.start);
        e.end.push_back(s.end);
        e.payer.push_back(medicare);
        e.plan.push_back(CodeOrNone(ds_, dn.program_id));
        e.sex.push_back(b.sex);
        e.birth_date.push_back(b.birth);
        e.death_date.push_back(b.death);
        e.dual_status.push_back(b.dual);
        e.medicare_status.push_back(b.status);
        e.orec.push_back(b.orec);
        e.race.push_back(b.race);
        e.ethnicity.push_back(kNoCode);  // CCLF8's one race code carries no separate ethnicity
        e.state.push_back(b.state);
        e.zip3.push_back(b.zip3);
        e.source.push_back(b.source);
      }
    }
  }

  // --- Part A: CCLF1 headers with CCLF2 lines, CCLF3 procedures, CCLF4 diagnoses ---------------
  struct PartALine {
    FileInfo* file;
    Line line;
    std::string uniq;
    int32_t number = 0;
    Date from = kNoDate, thru = kNoDate;
    uint32_t revenue = kNoCode, hcpcs = kNoCode, modifier = kNoCode;
    Money paid;
  };
  struct CodeRow {
    FileInfo* file;
    Line line;
    std::string uniq;
    int32_t seq = 0;
    std::string id;  // dedupe id
    uint32_t code = kNoCode;
  };

  template <typename T>
  static std::unordered_map<std::string, std::vector<const T*>> ByUniq(const std::vector<T>& v) {
    std::unordered_map<std::string, std::vector<const T*>> out;
    for (const auto& x : v) {
      out[x.uniq].push_back(&x);
    }
    return out;
  }

  void ReadPartA() {
    const CclfLayout& l1 = *CclfLayoutFor('1');
    const Fld uniq = ResolveField(l1, "CUR_CLM_UNIQ_ID"), mbi = ResolveField(l1, "BENE_MBI_ID"),
              oscar = ResolveField(l1, "PRVDR_OSCAR_NUM"),
              blg_oscar = ResolveField(l1, "CLM_BLG_PRVDR_OSCAR_NUM"),
              type_cd = ResolveField(l1, "CLM_TYPE_CD"), from = ResolveField(l1, "CLM_FROM_DT"),
              thru = ResolveField(l1, "CLM_THRU_DT"),
              fac = ResolveField(l1, "CLM_BILL_FAC_TYPE_CD"),
              cls = ResolveField(l1, "CLM_BILL_CLSFCTN_CD"),
              freq = ResolveField(l1, "CLM_BILL_FREQ_CD"), pdx = ResolveField(l1, "PRNCPL_DGNS_CD"),
              npmt = ResolveField(l1, "CLM_MDCR_NPMT_RSN_CD"),
              pmt = ResolveField(l1, "CLM_PMT_AMT"), drg = ResolveField(l1, "DGNS_DRG_CD"),
              stus = ResolveField(l1, "BENE_PTNT_STUS_CD"),
              fac_npi = ResolveField(l1, "FAC_PRVDR_NPI_NUM"),
              blg_npi = ResolveField(l1, "CLM_BLG_PRVDR_NPI_NUM"),
              atnd_npi = ResolveField(l1, "ATNDG_PRVDR_NPI_NUM"),
              clm_atnd_npi = ResolveField(l1, "CLM_ATNDG_PRVDR_NPI_NUM"),
              adj = ResolveField(l1, "CLM_ADJSMT_TYPE_CD"), eff = ResolveField(l1, "CLM_EFCTV_DT"),
              ld = ResolveField(l1, "CLM_IDR_LD_DT"),
              chrg = ResolveField(l1, "CLM_MDCR_INSTNL_TOT_CHRG_AMT");
    struct Header {
      VersionRow v;
      std::string_view type_cd, bill_type_fac, bill_type_cls, bill_type_freq, pdx, npmt, drg,
          status, facility_npi, billing_npi, attending_npi;
      Date from, thru;
      Money charge;
    };
    std::vector<Header> headers;
    for (FileInfo* f : FilesOfType(ctx_, '1')) {
      for (const Line& line : f->lines) {
        RecordView r(line.raw, f->record_length);
        Header h;
        h.v.file = f;
        h.v.line = line;
        h.v.uniq = r.Get(uniq);
        if (!AllDigits(h.v.uniq)) {
          ctx_.Reject(*f, line.line, "CUR_CLM_UNIQ_ID", h.v.uniq, "expected a numeric claim id");
          continue;
        }
        const std::string_view m = r.Get(mbi);
        if (m.empty()) {
          ctx_.Reject(*f, line.line, "BENE_MBI_ID", m, "missing MBI");
          continue;
        }
        if (!ParseAdjustmentType(r.Get(adj), &h.v.type)) {
          ctx_.Reject(*f, line.line, "CLM_ADJSMT_TYPE_CD", r.Get(adj),
                      "expected 0 (original), 1 (cancellation) or 2 (adjustment)");
          continue;
        }
        auto fd = ReadDate(ctx_, *f, line, r, from, true);
        if (!fd.ok) {
          continue;
        }
        auto td = ReadDate(ctx_, *f, line, r, thru, true);
        if (!td.ok) {
          continue;
        }
        auto ed = ReadDate(ctx_, *f, line, r, eff, true);
        if (!ed.ok) {
          continue;
        }
        if (!ReadAmount(ctx_, *f, line, r, pmt, true, &h.v.amount)) {
          continue;
        }
        h.v.loaded = ReadDate(ctx_, *f, line, r, ld, false).value;
        ReadAmount(ctx_, *f, line, r, chrg, false, &h.charge);
        h.v.effective = ed.value;
        h.from = fd.value;
        h.thru = td.value;
        h.v.mbi = Mbi(m);
        // IP 5.1.2: the claims-sourced CCN since 2022, the PECOS CCN on older records.
        std::string_view ccn = r.Get(blg_oscar);
        if (ccn.empty()) {
          ccn = r.Get(oscar);
        }
        h.v.key = fmt::format("A|{}|{}|{}|{}", ccn, fd.value.days(), td.value.days(), h.v.mbi);
        h.type_cd = r.Get(type_cd);
        h.bill_type_fac = r.Get(fac);
        h.bill_type_cls = r.Get(cls);
        h.bill_type_freq = r.Get(freq);
        h.pdx = r.Get(pdx);
        h.npmt = r.Get(npmt);
        h.drg = r.Get(drg);
        h.status = r.Get(stus);
        h.facility_npi = r.Get(fac_npi);
        h.billing_npi = r.Get(blg_npi);
        if (h.billing_npi.empty()) {
          h.billing_npi = h.facility_npi;
        }
        if (h.facility_npi.empty()) {
          h.facility_npi = h.billing_npi;
        }
        h.attending_npi = r.Get(atnd_npi);
        if (h.attending_npi.empty()) {
          h.attending_npi = r.Get(clm_atnd_npi);
        }
        headers.push_back(std::move(h));
      }
    }
    Deduplicate<Header>(
        ctx_, '1', &headers, [](const Header& h) { return std::string(h.v.uniq); },
        [](const Header& h) { return h.v.line.raw; });

    // Companion rows, keyed by CUR_CLM_UNIQ_ID.
    std::vector<PartALine> lines = ReadRevenueLines();
    std::vector<CodeRow> procs = ReadCodeRows('3', "CLM_PRCDR_CD", false);
    std::vector<CodeRow> dxs = ReadCodeRows('4', "CLM_DGNS_CD", true);
    auto lines_by = ByUniq(lines);
    auto procs_by = ByUniq(procs);
    auto dxs_by = ByUniq(dxs);

    std::vector<VersionInput> in;
    std::unordered_map<std::string, uint32_t> groups;
    for (const Header& h : headers) {
      auto [it, _] = groups.emplace(h.v.key, static_cast<uint32_t>(groups.size()));
      in.push_back({it->second, h.v.type, h.v.effective, h.v.uniq, h.v.amount});
    }
    const auto out = ResolveFinalAction(in);
    const size_t base = ds_->claim_versions.size();
    std::unordered_set<std::string> used_uniq;
    for (size_t i = 0; i < headers.size(); ++i) {
      const Header& h = headers[i];
      const bool denied = ctx_.options->exclude_denied && !h.npmt.empty();
      char status = h.v.type == AdjustmentType::kCancellation ? 'X'
                    : out[i].final_action                     ? (denied ? 'D' : 'F')
                                                              : 'C';
      const uint32_t member = ds_->members.Intern(h.v.mbi);
      AddVersionRow(h.v, 'A', h.v.file->delivery, member, ds_->codes.Intern(h.v.key), status,
                    out[i].paired_with < 0 ? -1 : static_cast<int32_t>(base + out[i].paired_with));
      used_uniq.insert(std::string(h.v.uniq));
      if (status == 'D') {
        ctx_.Count('1', "denied_claims_excluded");
      }
      if (status != 'F') {
        continue;
      }
      ctx_.Count('1', "final_action_claims");
      EmitPartAClaim(h.v, member, h, lines_by, procs_by, dxs_by);
    }
    // Companion rows whose header is not in the data cannot be placed on a claim.
    auto orphans = [&](auto& rows, char type) {
      for (const auto& row : rows) {
        if (!used_uniq.count(row.uniq)) {
          ctx_.Reject(*row.file, row.line.line, "CUR_CLM_UNIQ_ID", row.uniq,
                      "no CCLF1 claim header with this CUR_CLM_UNIQ_ID in the data");
        }
      }
      (void)type;
    };
    orphans(lines, '2');
    orphans(procs, '3');
    orphans(dxs, '4');
  }

  template <typename Header>
  void EmitPartAClaim(
      const VersionRow& v, uint32_t member, const Header& h,
      const std::unordered_map<std::string, std::vector<const PartALine*>>& lines_by,
      const std::unordered_map<std::string, std::vector<const CodeRow*>>& procs_by,
      const std::unordered_map<std::string, std::vector<const CodeRow*>>& dxs_by) {
    const std::string uniq(v.uniq);
    std::vector<const PartALine*> lines;
    if (auto it = lines_by.find(uniq); it != lines_by.end()) {
      lines = it->second;
    }
    std::sort(lines.begin(), lines.end(),
              [](const PartALine* a, const PartALine* b) { return a->number < b->number; });
    // Diagnoses: principal first, then CCLF4 in sequence order; each code once.
    std::vector<uint32_t> dx, px;
    auto add_unique = [](std::vector<uint32_t>* list, uint32_t c) {
      if (c != kNoCode && std::find(list->begin(), list->end(), c) == list->end()) {
        list->push_back(c);
      }
    };
    const std::string pdx = NormalizeDx(h.pdx);
    if (!pdx.empty()) {
      add_unique(&dx, ds_->codes.Intern(pdx));
    }
    auto sorted_codes = [](std::vector<const CodeRow*> rows) {
      std::sort(rows.begin(), rows.end(), [](const CodeRow* a, const CodeRow* b) {
        return a->seq != b->seq ? a->seq < b->seq : a->line.line < b->line.line;
      });
      return rows;
    };
    if (auto it = dxs_by.find(uniq); it != dxs_by.end()) {
      for (const CodeRow* c : sorted_codes(it->second)) {
        add_unique(&dx, c->code);
      }
    }
    if (auto it = procs_by.find(uniq); it != procs_by.end()) {
      for (const CodeRow* c : sorted_codes(it->second)) {
        add_unique(&px, c->code);
      }
    }
    // IP 3.5: the header payment is authoritative; line payments only when they add up to it.
    Money line_sum;
    for (const PartALine* l : lines) {
      line_sum += l->paid;
    }
    const bool use_lines = !lines.empty() && line_sum == v.amount;
    if (!lines.empty() && !use_lines) {
      ctx_.Count('1', "claims_paid_at_header");
    }
    const uint32_t claim = ds_->claim_ids.Intern(v.uniq);
    std::string bill_type;
    if (!h.bill_type_fac.empty()) {
      bill_type = std::string(h.bill_type_fac) + std::string(h.bill_type_cls) +
                  std::string(h.bill_type_freq);
    }
    const bool inpatient =
        h.type_cd == "60" || h.type_cd == "61" || h.type_cd == "20" || h.type_cd == "30";
    const size_t n = lines.empty() ? 1 : lines.size();
    for (size_t k = 0; k < n; ++k) {
      const PartALine* l = lines.empty() ? nullptr : lines[k];
      const size_t i = NewMedicalRow();
      auto& m = ds_->medical;
      m.claim[i] = claim;
      m.line_number[i] = l ? l->number : 1;
      m.member[i] = member;
      m.claim_type[i] = ClaimType::kInstitutional;
      m.claim_start[i] = h.from;
      m.claim_end[i] = h.thru;
      m.line_start[i] = l && l->from != kNoDate ? l->from : h.from;
      m.line_end[i] = l && l->thru != kNoDate ? l->thru : h.thru;
      if (inpatient) {
        m.admission[i] = h.from;
        m.discharge[i] = h.thru;
      }
      m.paid_date[i] = v.effective;
      m.bill_type[i] = CodeOrNone(ds_, bill_type);
      m.drg[i] = CodeOrNone(ds_, h.drg);
      if (l) {
        m.revenue_code[i] = l->revenue;
        m.hcpcs[i] = l->hcpcs;
        m.hcpcs_modifier_1[i] = l->modifier;
      }
      m.billing_npi[i] = CodeOrNone(ds_, h.billing_npi);
      m.facility_npi[i] = CodeOrNone(ds_, h.facility_npi);
      m.rendering_npi[i] = CodeOrNone(ds_, h.attending_npi);
      m.discharge_disposition[i] = CodeOrNone(ds_, h.status);
      if (use_lines) {
        m.paid.Set(i, l->paid);
      } else if (k == 0) {
        m.paid.Set(i, v.amount);
      }
      if (k == 0) {
        m.charge.Set(i, h.charge);
      }
      m.source[i] = l ? Ref(*l->file, l->line) : Ref(*v.file, v.line);
      CloseCodes(dx, px);
    }
  }

  std::vector<PartALine> ReadRevenueLines() {
    const CclfLayout& l = *CclfLayoutFor('2');
    const Fld uniq = ResolveField(l, "CUR_CLM_UNIQ_ID"), num = ResolveField(l, "CLM_LINE_NUM"),
              from = ResolveField(l, "CLM_LINE_FROM_DT"),
              thru = ResolveField(l, "CLM_LINE_THRU_DT"),
              rev = ResolveField(l, "CLM_LINE_PROD_REV_CTR_CD"),
              hcpcs = ResolveField(l, "CLM_LINE_HCPCS_CD"),
              mod = ResolveField(l, "HCPCS_1_MDFR_CD"),
              paid = ResolveField(l, "CLM_LINE_CVRD_PD_AMT"),
              rev_dt = ResolveField(l, "CLM_LINE_INSTNL_REV_CTR_DT");
    std::vector<PartALine> out;
    for (FileInfo* f : FilesOfType(ctx_, '2')) {
      for (const Line& line : f->lines) {
        RecordView r(line.raw, f->record_length);
        PartALine p;
        p.file = f;
        p.line = line;
        p.uniq = std::string(r.Get(uniq));
        if (!AllDigits(p.uniq)) {
          ctx_.Reject(*f, line.line, "CUR_CLM_UNIQ_ID", p.uniq, "expected a numeric claim id");
          continue;
        }
        if (!ParseLineNumber(r.Get(num), &p.number)) {
          ctx_.Reject(*f, line.line, "CLM_LINE_NUM", r.Get(num), "expected a line number");
          continue;
        }
        if (!ReadAmount(ctx_, *f, line, r, paid, true, &p.paid)) {
          continue;
        }
        p.from = ReadDate(ctx_, *f, line, r, from, false).value;
        p.thru = ReadDate(ctx_, *f, line, r, thru, false).value;
        if (p.from == kNoDate) {
          p.from = ReadDate(ctx_, *f, line, r, rev_dt, false).value;
        }
        if (p.thru == kNoDate) {
          p.thru = p.from;
        }
        p.revenue = CodeOrNone(ds_, r.Get(rev));
        p.hcpcs = CodeOrNone(ds_, r.Get(hcpcs));
        p.modifier = CodeOrNone(ds_, r.Get(mod));
        out.push_back(std::move(p));
      }
    }
    Deduplicate<PartALine>(
        ctx_, '2', &out, [](const PartALine& p) { return p.uniq + "|" + std::to_string(p.number); },
        [](const PartALine& p) { return p.line.raw; });
    return out;
  }

  std::vector<CodeRow> ReadCodeRows(char type, const char* code_field, bool diagnosis) {
    const CclfLayout& l = *CclfLayoutFor(type);
    const Fld uniq = ResolveField(l, "CUR_CLM_UNIQ_ID"), seq = ResolveField(l, "CLM_VAL_SQNC_NUM"),
              code = ResolveField(l, code_field);
    const Fld prod = diagnosis ? ResolveField(l, "CLM_PROD_TYPE_CD") : Fld{};
    std::vector<CodeRow> out;
    for (FileInfo* f : FilesOfType(ctx_, type)) {
      for (const Line& line : f->lines) {
        RecordView r(line.raw, f->record_length);
        CodeRow c;
        c.file = f;
        c.line = line;
        c.uniq = std::string(r.Get(uniq));
        if (!AllDigits(c.uniq)) {
          ctx_.Reject(*f, line.line, "CUR_CLM_UNIQ_ID", c.uniq, "expected a numeric claim id");
          continue;
        }
        const std::string_view s = r.Get(seq);
        if (!s.empty() && !ParseLineNumber(s, &c.seq)) {
          ctx_.Ignored(*f, line.line, "CLM_VAL_SQNC_NUM", s, "expected a sequence number");
        }
        const std::string norm = NormalizeDx(r.Get(code));
        if (norm.empty()) {
          ctx_.Reject(*f, line.line, code_field, r.Get(code), "missing code");
          continue;
        }
        c.code = ds_->codes.Intern(norm);
        c.id = c.uniq + "|" + std::string(diagnosis ? r.Get(prod) : std::string_view()) + "|" +
               std::string(s) + "|" + norm;
        out.push_back(std::move(c));
      }
    }
    Deduplicate<CodeRow>(
        ctx_, type, &out, [](const CodeRow& c) { return c.id; },
        [](const CodeRow& c) { return c.line.raw; });
    return out;
  }

  // --- Part B: CCLF5 (physician) and CCLF6 (DME) ----------------------------------------------
  void ReadPartB(char type) {
    const CclfLayout& l = *CclfLayoutFor(type);
    const bool dme = type == '6';
    const Fld uniq = ResolveField(l, "CUR_CLM_UNIQ_ID"), num = ResolveField(l, "CLM_LINE_NUM"),
              mbi = ResolveField(l, "BENE_MBI_ID"), from = ResolveField(l, "CLM_FROM_DT"),
              thru = ResolveField(l, "CLM_THRU_DT"), pos = ResolveField(l, "CLM_POS_CD"),
              lfrom = ResolveField(l, "CLM_LINE_FROM_DT"),
              lthru = ResolveField(l, "CLM_LINE_THRU_DT"),
              hcpcs = ResolveField(l, "CLM_LINE_HCPCS_CD"),
              paid = ResolveField(l, "CLM_LINE_CVRD_PD_AMT"),
              dnl = ResolveField(l, "CLM_CARR_PMT_DNL_CD"),
              prcsg = ResolveField(l, "CLM_PRCSG_IND_CD"),
              adj = ResolveField(l, "CLM_ADJSMT_TYPE_CD"), eff = ResolveField(l, "CLM_EFCTV_DT"),
              ld = ResolveField(l, "CLM_IDR_LD_DT"), cntl = ResolveField(l, "CLM_CNTL_NUM"),
              allowed = ResolveField(l, "CLM_LINE_ALOWD_CHRG_AMT");
    const Fld rnpi = ResolveField(l, dme ? "PAYTO_PRVDR_NPI_NUM" : "RNDRG_PRVDR_NPI_NUM");
    const Fld rnpi2 = ResolveField(l, dme ? "CLM_BLG_PRVDR_NPI_NUM" : "CLM_RNDRG_PRVDR_NPI_NUM");
    const Fld mod = dme ? Fld{} : ResolveField(l, "HCPCS_1_MDFR_CD");
    const Fld tin = dme ? Fld{} : ResolveField(l, "CLM_RNDRG_PRVDR_TAX_NUM");
    const Fld line_dx = dme ? Fld{} : ResolveField(l, "CLM_LINE_DGNS_CD");
    std::vector<Fld> dx_fields;
    if (!dme) {
      for (int k = 1; k <= 12; ++k) {
        static const char* kNames[] = {"CLM_DGNS_1_CD",  "CLM_DGNS_2_CD",  "CLM_DGNS_3_CD",
                                       "CLM_DGNS_4_CD",  "CLM_DGNS_5_CD",  "CLM_DGNS_6_CD",
                                       "CLM_DGNS_7_CD",  "CLM_DGNS_8_CD",  "CLM_DGNS_9_CD",
                                       "CLM_DGNS_10_CD", "CLM_DGNS_11_CD", "CLM_DGNS_12_CD"};
        dx_fields.push_back(ResolveField(l, kNames[k - 1]));
      }
    }
    struct BLine {
      VersionRow v;
      Date from = kNoDate, thru = kNoDate, lfrom = kNoDate, lthru = kNoDate;
      std::string_view pos, hcpcs, mod, npi, tin, dnl, prcsg;
      Money allowed;
      std::vector<uint32_t> dx;
    };
    std::vector<BLine> rows;
    for (FileInfo* f : FilesOfType(ctx_, type)) {
      for (const Line& line : f->lines) {
        RecordView r(line.raw, f->record_length);
        BLine b;
        b.v.file = f;
        b.v.line = line;
        b.v.uniq = r.Get(uniq);
        if (!AllDigits(b.v.uniq)) {
          ctx_.Reject(*f, line.line, "CUR_CLM_UNIQ_ID", b.v.uniq, "expected a numeric claim id");
          continue;
        }
        if (!ParseLineNumber(r.Get(num), &b.v.line_number)) {
          ctx_.Reject(*f, line.line, "CLM_LINE_NUM", r.Get(num), "expected a line number");
          continue;
        }
        const std::string_view m = r.Get(mbi);
        if (m.empty()) {
          ctx_.Reject(*f, line.line, "BENE_MBI_ID", m, "missing MBI");
          continue;
        }
        const std::string_view control = r.Get(cntl);
        if (control.empty()) {
          ctx_.Reject(*f, line.line, "CLM_CNTL_NUM", control,
                      "missing claim control number (Part B natural key)");
          continue;
        }
        if (!ParseAdjustmentType(r.Get(adj), &b.v.type)) {
          ctx_.Reject(*f, line.line, "CLM_ADJSMT_TYPE_CD", r.Get(adj),
                      "expected 0 (original), 1 (cancellation) or 2 (adjustment)");
          continue;
        }
        auto ed = ReadDate(ctx_, *f, line, r, eff, true);
        if (!ed.ok) {
          continue;
        }
        if (!ReadAmount(ctx_, *f, line, r, paid, true, &b.v.amount)) {
          continue;
        }
        b.v.effective = ed.value;
        b.v.loaded = ReadDate(ctx_, *f, line, r, ld, false).value;
        b.from = ReadDate(ctx_, *f, line, r, from, false).value;
        b.thru = ReadDate(ctx_, *f, line, r, thru, false).value;
        b.lfrom = ReadDate(ctx_, *f, line, r, lfrom, false).value;
        b.lthru = ReadDate(ctx_, *f, line, r, lthru, false).value;
        ReadAmount(ctx_, *f, line, r, allowed, false, &b.allowed);
        b.pos = r.Get(pos);
        b.hcpcs = r.Get(hcpcs);
        if (!dme) {
          b.mod = r.Get(mod);
          b.tin = r.Get(tin);
        }
        b.npi = r.Get(rnpi);
        if (b.npi.empty()) {
          b.npi = r.Get(rnpi2);
        }
        b.dnl = r.Get(dnl);
        b.prcsg = r.Get(prcsg);
        for (const Fld& d : dx_fields) {
          const std::string code = NormalizeDx(r.Get(d));
          if (code.empty()) {
            continue;
          }
          const uint32_t c = ds_->codes.Intern(code);
          if (std::find(b.dx.begin(), b.dx.end(), c) == b.dx.end()) {
            b.dx.push_back(c);
          }
        }
        if (!dme) {
          const std::string code = NormalizeDx(r.Get(line_dx));
          if (!code.empty()) {
            const uint32_t c = ds_->codes.Intern(code);
            if (std::find(b.dx.begin(), b.dx.end(), c) == b.dx.end()) {
              b.dx.push_back(c);
            }
          }
        }
        b.v.mbi = Mbi(m);
        // Control number + line + most recent MBI (IP 5.1.2 plus the line, as tuva does).
        b.v.key = fmt::format("{}|{}|{}|{}", dme ? 'M' : 'B', control, b.v.line_number, b.v.mbi);
        rows.push_back(std::move(b));
      }
    }
    Deduplicate<BLine>(
        ctx_, type, &rows,
        [](const BLine& b) {
          return std::string(b.v.uniq) + "|" + std::to_string(b.v.line_number);
        },
        [](const BLine& b) { return b.v.line.raw; });
    std::vector<VersionInput> in;
    std::unordered_map<std::string, uint32_t> groups;
    for (const BLine& b : rows) {
      auto [it, _] = groups.emplace(b.v.key, static_cast<uint32_t>(groups.size()));
      in.push_back({it->second, b.v.type, b.v.effective, b.v.uniq, b.v.amount});
    }
    const auto out = ResolveFinalAction(in);
    const size_t base = ds_->claim_versions.size();
    for (size_t i = 0; i < rows.size(); ++i) {
      const BLine& b = rows[i];
      // IP 3.2: CLM_CARR_PMT_DNL_CD 0 denies the claim; CLM_PRCSG_IND_CD other than A (allowed),
      // R (reprocessed), S (secondary payer) or O (other) denies the line. A blank indicator is
      // treated as allowed (nothing says otherwise).
      const bool claim_denied = b.dnl == "0" || b.dnl == "00";
      const bool line_denied = !(b.prcsg.empty() || b.prcsg == "A" || b.prcsg == "R" ||
                                 b.prcsg == "S" || b.prcsg == "O");
      const bool denied = ctx_.options->exclude_denied && (claim_denied || line_denied);
      const char status = b.v.type == AdjustmentType::kCancellation ? 'X'
                          : out[i].final_action                     ? (denied ? 'D' : 'F')
                                                                    : 'C';
      const uint32_t member = ds_->members.Intern(b.v.mbi);
      AddVersionRow(b.v, dme ? 'M' : 'B', b.v.file->delivery, member, ds_->codes.Intern(b.v.key),
                    status,
                    out[i].paired_with < 0 ? -1 : static_cast<int32_t>(base + out[i].paired_with));
      if (status == 'D') {
        ctx_.Count(type, "denied_lines_excluded");
      }
      if (status != 'F') {
        continue;
      }
      ctx_.Count(type, "final_action_lines");
      const size_t k = NewMedicalRow();
      auto& m = ds_->medical;
      m.claim[k] = ds_->claim_ids.Intern(b.v.uniq);
      m.line_number[k] = b.v.line_number;
      m.member[k] = member;
      m.claim_type[k] = dme ? ClaimType::kDme : ClaimType::kProfessional;
      m.claim_start[k] = b.from != kNoDate ? b.from : b.lfrom;
      m.claim_end[k] = b.thru != kNoDate ? b.thru : b.lthru;
      m.line_start[k] = b.lfrom != kNoDate ? b.lfrom : b.from;
      m.line_end[k] = b.lthru != kNoDate ? b.lthru : m.line_start[k];
      m.paid_date[k] = b.v.effective;
      m.place_of_service[k] = CodeOrNone(ds_, b.pos);
      m.hcpcs[k] = CodeOrNone(ds_, b.hcpcs);
      m.hcpcs_modifier_1[k] = CodeOrNone(ds_, b.mod);
      if (dme) {
        m.billing_npi[k] = CodeOrNone(ds_, b.npi);
      } else {
        m.rendering_npi[k] = CodeOrNone(ds_, b.npi);
        m.rendering_tin[k] = CodeOrNone(ds_, b.tin);
      }
      m.paid.Set(k, b.v.amount);
      m.allowed.Set(k, b.allowed);
      m.source[k] = Ref(*b.v.file, b.v.line);
      CloseCodes(b.dx, {});
    }
  }

  // --- Part D: CCLF7 -------------------------------------------------------------------------
  void ReadPartD() {
    const CclfLayout& l = *CclfLayoutFor('7');
    const Fld uniq = ResolveField(l, "CUR_CLM_UNIQ_ID"), mbi = ResolveField(l, "BENE_MBI_ID"),
              ndc = ResolveField(l, "CLM_LINE_NDC_CD"), type_cd = ResolveField(l, "CLM_TYPE_CD"),
              from = ResolveField(l, "CLM_LINE_FROM_DT"),
              sq = ResolveField(l, "PRVDR_SRVC_ID_QLFYR_CD"),
              sid = ResolveField(l, "CLM_SRVC_PRVDR_GNRC_ID_NUM"),
              dsp = ResolveField(l, "CLM_DSPNSNG_STUS_CD"),
              pq = ResolveField(l, "PRVDR_PRSBNG_ID_QLFYR_CD"),
              pid = ResolveField(l, "CLM_PRSBNG_PRVDR_GNRC_ID_NUM"),
              adj = ResolveField(l, "CLM_ADJSMT_TYPE_CD"), eff = ResolveField(l, "CLM_EFCTV_DT"),
              ld = ResolveField(l, "CLM_IDR_LD_DT"),
              rx = ResolveField(l, "CLM_LINE_RX_SRVC_RFRNC_NUM"),
              fill = ResolveField(l, "CLM_LINE_RX_FILL_NUM");
    // The 230-byte CCLF7 moved the prescriber id to 196-230 (see cclf_layout.h).
    const Fld pid_ext{195, 35, "CLM_PRSBNG_PRVDR_GNRC_ID_NUM"};
    struct Event {
      VersionRow v;
      uint32_t delivery;
      Date fill_date;
      std::string_view ndc, type_cd, service_qual, service_id, prescriber_qual, prescriber_id;
    };
    std::vector<Event> events;
    for (FileInfo* f : FilesOfType(ctx_, '7')) {
      for (const Line& line : f->lines) {
        RecordView r(line.raw, f->record_length);
        Event e;
        e.v.file = f;
        e.v.line = line;
        e.delivery = f->delivery;
        e.v.uniq = r.Get(uniq);
        if (!AllDigits(e.v.uniq)) {
          ctx_.Reject(*f, line.line, "CUR_CLM_UNIQ_ID", e.v.uniq, "expected a numeric claim id");
          continue;
        }
        const std::string_view m = r.Get(mbi);
        if (m.empty()) {
          ctx_.Reject(*f, line.line, "BENE_MBI_ID", m, "missing MBI");
          continue;
        }
        if (!ParseAdjustmentType(r.Get(adj), &e.v.type)) {
          ctx_.Reject(*f, line.line, "CLM_ADJSMT_TYPE_CD", r.Get(adj),
                      "expected 0 (original), 1 (cancellation) or 2 (adjustment)");
          continue;
        }
        auto fd = ReadDate(ctx_, *f, line, r, from, true);
        if (!fd.ok) {
          continue;
        }
        e.fill_date = fd.value;
        e.v.effective = ReadDate(ctx_, *f, line, r, eff, false).value;
        e.v.loaded = ReadDate(ctx_, *f, line, r, ld, false).value;
        e.ndc = r.Get(ndc);
        e.type_cd = r.Get(type_cd);
        e.service_qual = r.Get(sq);
        e.service_id = r.Get(sid);
        e.prescriber_qual = r.Get(pq);
        e.prescriber_id = f->record_length == kCclf7ExtendedLength ? r.Get(pid_ext) : r.Get(pid);
        e.v.mbi = Mbi(m);
        // IP 5.1.2 Part D natural key, plus the most recent MBI.
        e.v.key = fmt::format("D|{}|{}|{}|{}|{}|{}|{}", fd.value.days(), e.service_qual,
                              e.service_id, r.Get(dsp), r.Get(rx), r.Get(fill), e.v.mbi);
        events.push_back(std::move(e));
      }
    }
    Deduplicate<Event>(
        ctx_, '7', &events, [](const Event& e) { return std::string(e.v.uniq); },
        [](const Event& e) { return e.v.line.raw; });
    // IP 3.3: CCLF7 holds final-action events within a file; across deliveries the most recent
    // event per key wins. Missing effective dates (common) fall back to delivery order.
    auto rank = [](AdjustmentType t) {
      return t == AdjustmentType::kOriginal ? 0 : (t == AdjustmentType::kAdjustment ? 1 : 2);
    };
    std::unordered_map<std::string, size_t> latest;
    for (size_t i = 0; i < events.size(); ++i) {
      auto [it, inserted] = latest.emplace(events[i].v.key, i);
      if (inserted) {
        continue;
      }
      const Event& a = events[it->second];
      const Event& b = events[i];
      auto later = [&]() {
        if (a.v.effective != kNoDate && b.v.effective != kNoDate &&
            a.v.effective != b.v.effective) {
          return b.v.effective > a.v.effective;
        }
        if (a.delivery != b.delivery) {
          return b.delivery > a.delivery;
        }
        if (rank(a.v.type) != rank(b.v.type)) {
          return rank(b.v.type) > rank(a.v.type);
        }
        return CompareUniqueIds(b.v.uniq, a.v.uniq) > 0;
      };
      if (later()) {
        it->second = i;
      }
    }
    for (size_t i = 0; i < events.size(); ++i) {
      const Event& e = events[i];
      const bool is_latest = latest[e.v.key] == i;
      // A deleted event (CLM_TYPE_CD 03 or a cancellation) leaves nothing for its key.
      const bool deletion = e.v.type == AdjustmentType::kCancellation || e.type_cd == "03";
      const char status = deletion ? 'X' : (is_latest ? 'F' : 'S');
      const uint32_t member = ds_->members.Intern(e.v.mbi);
      AddVersionRow(e.v, 'D', e.delivery, member, ds_->codes.Intern(e.v.key), status, -1);
      if (status != 'F') {
        continue;
      }
      ctx_.Count('7', "final_action_events");
      auto& p = ds_->pharmacy;
      p.claim.push_back(ds_->claim_ids.Intern(e.v.uniq));
      p.line_number.push_back(1);
      p.member.push_back(member);
      p.dispensing_date.push_back(e.fill_date);
      p.paid_date.push_back(e.v.effective);
      p.ndc.push_back(CodeOrNone(ds_, e.ndc));
      // Qualifier 01 = NPI; other qualifiers identify the provider some other way.
      p.prescribing_npi.push_back(e.prescriber_qual == "01" ? CodeOrNone(ds_, e.prescriber_id)
                                                            : kNoCode);
      p.dispensing_npi.push_back(e.service_qual == "01" ? CodeOrNone(ds_, e.service_id) : kNoCode);
      // CCLF7 carries no plan-paid or gross drug cost amounts (IP v38 layout).
      p.paid.push_back(Money());
      p.allowed.push_back(Money());
      p.source.push_back(Ref(*e.v.file, e.v.line));
    }
  }

  void CountDemoCodes() {
    for (char t : {'A', 'B'}) {
      uint64_t n = 0;
      for (FileInfo* f : FilesOfType(ctx_, t)) {
        n += f->lines.size();
      }
      if (n > 0) {
        ctx_.Count(t, "rows_checked_not_mapped", n);
      }
    }
  }

  void WriteDeliveries() {
    auto& t = ds_->deliveries;
    for (size_t i = 0; i < ctx_.deliveries.size(); ++i) {
      const auto& d = ctx_.deliveries[i];
      t.name.push_back(d.key);
      t.format.push_back(kFormat);
      t.file_date.push_back(d.name.has_file_date ? d.name.file_date : kNoDate);
      t.performance_year.push_back(d.name.performance_year);
      t.run_out.push_back(d.name.run_out ? 1 : 0);
      t.member_count.push_back(delivery_members_[i].size());
      t.claim_count.push_back(delivery_versions_[i]);
    }
  }

 public:
  void Prepare() {
    delivery_members_.resize(ctx_.deliveries.size());
    delivery_versions_.assign(ctx_.deliveries.size(), 0);
  }
};

// Checks a delivery's files against its CCLF0 (IP §5): counts and lengths.
void CheckControl(Ctx& ctx, Delivery& d) {
  auto cit = d.files.find('0');
  if (cit == d.files.end()) {
    for (auto& [type, f] : d.files) {
      f->record_length = CclfLayoutFor(type)->record_length;
    }
    if (!d.files.empty()) {
      ctx.report->notes.push_back(fmt::format(
          "CCLF delivery {}: no CCLF0 file; record counts unchecked, IP v38 lengths assumed",
          d.key));
    }
    for (auto& [type, f] : d.files) {
      SplitRecords(ctx, *f);
    }
    return;
  }
  FileInfo& c = *cit->second;
  ++ctx.ds->sources[c.source].rows_read;
  const auto entries = ParseCclfControl(c.input->bytes, c.input->name, ctx.report);
  std::map<char, const CclfControlEntry*> by_type;
  for (const auto& e : entries) {
    by_type[e.file_type] = &e;
  }
  for (auto& [type, f] : d.files) {
    if (type == '0') {
      continue;
    }
    const CclfLayout& l = *CclfLayoutFor(type);
    auto it = by_type.find(type);
    if (it == by_type.end()) {
      f->record_length = l.record_length;
      ctx.report->notes.push_back(
          fmt::format("CCLF delivery {}: {} is not listed in CCLF0; IP v38 length {} assumed",
                      d.key, FileLabel(type), l.record_length));
    } else {
      f->record_length = it->second->record_length;
    }
    SplitRecords(ctx, *f);
    if (it != by_type.end()) {
      // Every non-blank line is a record, accepted or rejected.
      const uint64_t records = ctx.ds->sources[f->source].rows_read;
      if (records != it->second->record_count) {
        ctx.report->AddReject(
            c.input->name, it->second->line, "Number of records",
            std::to_string(it->second->record_count),
            fmt::format("CCLF0 announces {} records for {} but {} has {}", it->second->record_count,
                        FileLabel(type), f->input->name, records));
        ++ctx.report->counters["cclf0.mismatches"];
      }
    }
  }
  for (const auto& e : entries) {
    const CclfLayout& l = *CclfLayoutFor(e.file_type);
    if (!KnownLength(l, e.record_length)) {
      ctx.report->AddReject(c.input->name, e.line, "Length of record",
                            std::to_string(e.record_length),
                            fmt::format("{} record length {} is not a known layout length "
                                        "(IP v38: {}, 2018 layout: {}); fields past {} are read "
                                        "as blank",
                                        FileLabel(e.file_type), e.record_length, l.record_length,
                                        l.legacy_length, e.record_length));
      ++ctx.report->counters["cclf0.unknown_lengths"];
    }
    if (d.files.count(e.file_type) == 0 && e.record_count > 0) {
      ctx.report->AddReject(
          c.input->name, e.line, "File Type", FileLabel(e.file_type),
          fmt::format("CCLF0 announces {} records for {} but the delivery has "
                      "no {} file",
                      e.record_count, FileLabel(e.file_type), FileLabel(e.file_type)));
      ++ctx.report->counters["cclf0.missing_files"];
    }
  }
}

}  // namespace

Status LoadCclfFiles(const std::vector<CclfInput>& inputs, const CclfOptions& options,
                     Dataset* dataset, IngestReport* report) {
  Ctx ctx{&options, dataset, report, {}, {}};
  std::map<std::string, size_t> delivery_index;
  std::vector<FileInfo*> ordered;
  for (const auto& in : inputs) {
    auto name = ParseCclfFileName(in.name);
    if (!name) {
      report->notes.push_back(
          fmt::format("CCLF: ignored {} (no ZC<type> token in the file name)", in.name));
      continue;
    }
    auto f = std::make_unique<FileInfo>();
    f->input = &in;
    f->name = *name;
    ordered.push_back(f.get());
    ctx.files.push_back(std::move(f));
  }
  if (ctx.files.empty()) {
    return NotFound("no CCLF files (names with a ZC<type> token) found");
  }
  // Deliveries in time order: file date, then run-out after regular, then name.
  std::map<std::string, Delivery> by_key;
  for (FileInfo* f : ordered) {
    Delivery& d = by_key[f->name.delivery_key];
    if (d.key.empty()) {
      d.key = f->name.delivery_key;
      d.name = f->name;
    }
    if (d.files.count(f->name.file_type)) {
      report->notes.push_back(fmt::format("CCLF delivery {}: second {} file {} ignored", d.key,
                                          FileLabel(f->name.file_type), f->input->name));
      continue;
    }
    d.files[f->name.file_type] = f;
  }
  for (auto& [k, d] : by_key) {
    ctx.deliveries.push_back(std::move(d));
  }
  std::stable_sort(ctx.deliveries.begin(), ctx.deliveries.end(),
                   [](const Delivery& a, const Delivery& b) {
                     const int32_t da = a.name.has_file_date ? a.name.file_date.days() : -1;
                     const int32_t db = b.name.has_file_date ? b.name.file_date.days() : -1;
                     if (da != db) {
                       return da < db;
                     }
                     if (a.name.run_out != b.name.run_out) {
                       return !a.name.run_out;
                     }
                     return a.key < b.key;
                   });
  for (uint32_t i = 0; i < ctx.deliveries.size(); ++i) {
    for (auto& [type, f] : ctx.deliveries[i].files) {
      f->delivery = i;
      f->source = static_cast<uint32_t>(dataset->sources.size());
      dataset->sources.push_back(SourceFile{f->input->name, TableFor(type), kFormat,
                                            FingerprintBytes(f->input->bytes), 0, 0, 0, ""});
      report->NoteUnterminatedLastLine(f->input->bytes, f->input->name);
    }
  }
  for (auto& d : ctx.deliveries) {
    CheckControl(ctx, d);
  }
  Loader loader(ctx);
  loader.Prepare();
  loader.Run();
  for (const auto& f : ctx.files) {
    const auto& s = dataset->sources[f->source];
    report->counters[fmt::format("cclf{}.rows_read", Ctx::Lower(f->name.file_type))] += s.rows_read;
  }
  return Status::Ok();
}

namespace {

// The CCLF files at any depth below `dir` (others into *other); a folder that cannot be read is
// an error, never a shorter list.
Result<std::vector<std::string>> CclfFilesBelow(const std::string& dir, const FileSystem& files,
                                                std::vector<std::string>* other) {
  auto all = files.ListRecursive(dir);
  if (!all.ok()) {
    return all.status();
  }
  std::vector<std::string> out;
  for (const auto& p : *all) {
    if (ParseCclfFileName(std::filesystem::path(p).filename().string())) {
      out.push_back(p);
    } else if (other) {
      other->push_back(p);
    }
  }
  return out;
}

}  // namespace

Result<bool> LooksLikeCclfDirectory(const std::string& dir, const FileSystem& files) {
  auto found = CclfFilesBelow(dir, files, nullptr);
  if (!found.ok()) {
    return found.status();
  }
  return !found->empty();
}

Status LoadCclfDirectory(const std::string& dir, const CclfOptions& options, Dataset* dataset,
                         IngestReport* report, const FileSystem& files) {
  if (files.Kind(dir) != FileKind::kDirectory) {
    return NotFound("no such directory: " + dir);
  }
  std::vector<std::string> other;
  auto found = CclfFilesBelow(dir, files, &other);
  if (!found.ok()) {
    return found.status();
  }
  const std::vector<std::string>& paths = *found;
  if (paths.empty()) {
    return NotFound(
        fmt::format("{}: no CCLF files (names with a ZC<type> token such as "
                    "P.A1234.ACO.ZC1Y24.D240208.T1234560)",
                    dir));
  }
  for (const auto& p : other) {
    report->notes.push_back(fmt::format("CCLF: ignored {} (not a CCLF file name{})", p,
                                        p.ends_with(".zip") ? "; extract the zip first" : ""));
  }
  std::vector<FileBytes> maps;
  std::vector<CclfInput> inputs;
  maps.reserve(paths.size());
  for (const auto& p : paths) {
    auto m = files.MapInPlace(p);
    if (!m.ok()) {
      return m.status();
    }
    maps.push_back(std::move(m).value());
  }
  std::vector<const FileBytes*> taken;
  for (size_t i = 0; i < paths.size(); ++i) {
    inputs.push_back({paths[i], maps[i].data()});
    taken.push_back(&maps[i]);
  }
  return ParseUnchanged(taken, [&] { return LoadCclfFiles(inputs, options, dataset, report); });
}

}  // namespace valuepact::cclf
