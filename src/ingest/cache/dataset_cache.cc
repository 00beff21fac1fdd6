// The columnar dataset cache (ingest/dataset_cache.h).
#include "valuepact/ingest/dataset_cache.h"

#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <nlohmann/json.hpp>

#include "cache_columns.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/core/progress.h"
#include "valuepact/core/sha256.h"
#include "valuepact/ingest/dataset_partition.h"
#include "valuepact/ingest/quality/line_tally.h"
#include "valuepact/ingest/zstd_frame.h"

namespace valuepact::cache {
namespace {

namespace fs = std::filesystem;
static_assert(std::endian::native == std::endian::little, "the cache layout is little-endian");

constexpr std::string_view kTrailer = "VPDTRAIL";
constexpr const char* kTallySection = "quality.tally";
constexpr size_t kDigest = 32;

// --- Encoding of one section's raw bytes ------------------------------------------------------

template <class T>
void Put(std::string* out, T v) {
  static_assert(std::is_trivially_copyable_v<T>);
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

template <class T>
std::string ColumnBytes(const std::vector<T>& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

// u64 count, u32 length of each, then the bytes of each.
template <class Range>
std::string StringsBytes(const Range& items, size_t n) {
  std::string out;
  Put<uint64_t>(&out, n);
  size_t total = 0;
  for (const auto& s : items) {
    Put<uint32_t>(&out, static_cast<uint32_t>(std::string_view(s).size()));
    total += std::string_view(s).size();
  }
  out.reserve(out.size() + total);
  for (const auto& s : items) out.append(std::string_view(s));
  return out;
}

std::vector<std::string_view> InternerViews(const StringInterner& in) {
  std::vector<std::string_view> v(in.size());
  in.ForEach(0, in.size(), [&v](uint32_t i, std::string_view value) { v[i] = value; });
  return v;
}

// --- Writer visitor: each column becomes a named section of raw bytes --------------------------

// A section's raw bytes are a column's own memory (not copied: the dataset outlives the
// encoding) or bytes built for it (`owned`: strings, records, counters), freed once compressed.
struct Section {
  std::string name;
  std::string owned;
  std::string_view column;
  bool is_column = false;
  uint64_t raw_size = 0;  // set once compressed
  std::string_view raw() const { return is_column ? column : std::string_view(owned); }
  std::string stored;
  std::array<uint8_t, kDigest> digest{};
};

class Writer {
 public:
  std::vector<Section> sections;

  template <class T>
  void Column(const char* name, const std::vector<T>& v, uint64_t /*limit*/) {
    AddView(name, v);
  }
  void Codes(const char* name, const std::vector<uint32_t>& v, uint64_t /*limit*/) {
    AddView(name, v);
  }
  // Amounts are stored as eight-byte cents, whatever their size in memory.
  void Column(const char* name, const MoneyColumn& v, uint64_t /*limit*/) {
    std::string raw(v.size() * sizeof(int64_t), '\0');
    for (size_t i = 0; i < v.size(); ++i) {
      const int64_t cents = v[i].cents();
      std::memcpy(raw.data() + i * sizeof(int64_t), &cents, sizeof(int64_t));
    }
    Add(name, std::move(raw));
  }
  void Strings(const char* name, const std::vector<std::string>& v) {
    Add(name, StringsBytes(v, v.size()));
  }
  void Interner(const char* name, const StringInterner& in, IdLookup /*lookup*/) {
    const auto views = InternerViews(in);
    Add(name, StringsBytes(views, views.size()));
  }
  // One column per field of the records (kSourceFields, kRejectFields).
  template <class Rec, class... F>
  void Records(const std::string& name, const std::vector<Rec>& v, const std::tuple<F...>& fields) {
    std::apply([&](const auto&... f) { (RecordColumn(name, v, f), ...); }, fields);
  }
  void Counters(const std::string& name, const std::map<std::string, uint64_t>& m) {
    std::vector<std::string> keys;
    std::vector<uint64_t> values;
    for (const auto& [k, v] : m) {
      keys.push_back(k);
      values.push_back(v);
    }
    Strings((name + ".keys").c_str(), keys);
    Add(name + ".values", ColumnBytes(values));
  }
  void Count(const char* name, uint64_t v) { Add(name, ColumnBytes(std::vector<uint64_t>{v})); }
  void Bytes(const char* name, const std::string& v) { Add(name, v); }

 private:
  template <class Rec, class T>
  void RecordColumn(const std::string& name, const std::vector<Rec>& v, const Field<Rec, T>& f) {
    std::vector<T> col;
    col.reserve(v.size());
    for (const Rec& r : v) col.push_back(r.*f.member);
    if constexpr (std::is_same_v<T, std::string>) {
      Strings((name + f.suffix).c_str(), col);
    } else {
      Add(name + f.suffix, ColumnBytes(col));
    }
  }
  void Add(std::string name, std::string raw) {
    Section& s = sections.emplace_back();
    s.name = std::move(name);
    s.owned = std::move(raw);
  }
  template <class T>
  void AddView(std::string name, const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    Section& s = sections.emplace_back();
    s.name = std::move(name);
    s.column = std::string_view(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    s.is_column = true;
  }
};

// --- Reader visitor: sections back into columns, every size and id checked ---------------------

// A section as the directory lists it; `bytes` are its stored (compressed) bytes.
struct Entry {
  std::string name;
  uint64_t raw = 0, stored = 0;
  std::array<uint8_t, kDigest> digest{};
  std::string_view bytes;
};

// Where a section's decompressed bytes go: straight into a column's memory, sized by `column`
// (called on the decompressing thread, so that the columns' fresh memory is touched on every
// thread, not while planning), or into a buffer the second pass parses (strings, interners,
// records, counters).
struct Target {
  const Entry* entry;
  std::function<char*()> column;
  std::string* buffer;
};

// Two passes over VisitAll: the first (`planning`) lists the targets, each column's with its
// size from the directory, which are then decompressed in parallel; the second checks every
// column's ids and builds what is parsed from buffers.

class Reader {
 public:
  Reader(const std::map<std::string, const Entry*>* entries, std::string name)
      : entries_(entries), name_(std::move(name)) {}

  Status status = Status::Ok();
  bool planning = true;
  std::vector<Target> targets;
  // Sections this read leaves out (the claim lines read apart, LinesApart): their columns stay
  // empty, and their bytes are neither checked nor decompressed.
  std::function<bool(const std::string&)> skip;

  template <class T>
  void Column(const char* name, std::vector<T>& v, uint64_t limit) {
    if (planning) return Plan(name, &v);
    if constexpr (std::is_same_v<T, SourceRef>) {
      for (const auto& s : v) {
        if (s.file >= limit) return Fail(name, "a row refers to an input file the cache lacks");
      }
    } else if constexpr (std::is_enum_v<T>) {
      for (T x : v) {
        if (limit != 0 && static_cast<uint64_t>(x) >= limit) {
          return Fail(name, fmt::format("value {} is out of range", static_cast<uint64_t>(x)));
        }
      }
    } else if constexpr (std::is_same_v<T, uint32_t>) {
      for (uint32_t x : v) {
        if (limit != 0 && x >= limit) return Fail(name, fmt::format("id {} is out of range", x));
      }
    } else if constexpr (std::is_same_v<T, uint8_t>) {
      for (uint8_t x : v) {
        if (limit != 0 && x >= limit) return Fail(name, fmt::format("value {} is out of range", x));
      }
    }
  }
  // Eight-byte cents (the writer's Column) back into a column of amounts; the buffer is then
  // freed.
  void Column(const char* name, MoneyColumn& v, uint64_t /*limit*/) {
    const std::string* b = Find(name);
    if (b == nullptr) return;
    if (b->size() % sizeof(int64_t) != 0) {
      return Fail(name, fmt::format("{} bytes is not a whole number of values", b->size()));
    }
    const size_t n = b->size() / sizeof(int64_t);
    v.clear();
    v.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      int64_t cents = 0;
      std::memcpy(&cents, b->data() + i * sizeof(int64_t), sizeof(int64_t));
      v.push_back(Money::FromCents(cents));
    }
    buffers_.erase(name);
  }
  void Codes(const char* name, std::vector<uint32_t>& v, uint64_t limit) {
    if (planning) return Plan(name, &v);
    for (uint32_t x : v) {
      if (x != kNoCode && x >= limit) return Fail(name, fmt::format("id {} is out of range", x));
    }
  }
  void Strings(const char* name, std::vector<std::string>& v) {
    std::vector<std::string_view> views;
    if (!Views(name, &views)) return;
    v.assign(views.begin(), views.end());
  }
  // Interned straight from the section, which is then freed, with an index as `lookup` says
  // (IdLookup). `index_ids` false: a part's or a rank's chunk's, whose member and code ids are
  // read by id only and merged into tables that are indexed and checked for repeats. An id
  // table stored without an index is not checked for repeats (the section's checksum is).
  bool index_ids = true;
  void Interner(const char* name, StringInterner& in, IdLookup lookup) {
    if (Skipped(name)) return;
    Listing l;
    if (!List(name, &l)) return;
    const bool index =
        lookup == IdLookup::kLookedUp || (lookup == IdLookup::kLookedUpWhole && index_ids);
    if (!in.InternAllDistinct(l.n, l.lengths, l.text, index)) {
      return Fail(name, "a value appears twice");
    }
    buffers_.erase(name);
  }
  // The records back from their columns; every column must have the first one's length.
  template <class Rec, class... F>
  void Records(const std::string& name, std::vector<Rec>& v, const std::tuple<F...>& fields) {
    bool first = true;
    std::apply([&](const auto&... f) { (RecordColumn(name, v, f, &first), ...); }, fields);
  }
  void Counters(const std::string& name, std::map<std::string, uint64_t>& m) {
    std::vector<std::string> keys;
    std::vector<uint64_t> values;
    Strings((name + ".keys").c_str(), keys);
    Fill(name + ".values", &values);
    if (!status.ok() || planning) return;
    if (keys.size() != values.size()) return Fail(name, "its columns differ in length");
    for (size_t i = 0; i < keys.size(); ++i) m[keys[i]] = values[i];
  }
  void Count(const char* name, uint64_t& v) {
    std::vector<uint64_t> one;
    if (!Fill(name, &one)) return;
    if (one.size() != 1) return Fail(name, "expected one value");
    v = one[0];
  }
  void Bytes(const char* name, std::string& v) {
    if (std::string* b = Find(name); b != nullptr) v = std::move(*b);
  }

 private:
  bool Skipped(const std::string& name) const { return skip && skip(name); }
  template <class Rec, class T>
  void RecordColumn(const std::string& name, std::vector<Rec>& v, const Field<Rec, T>& f,
                    bool* first) {
    std::vector<T> col;
    if constexpr (std::is_same_v<T, std::string>) {
      Strings((name + f.suffix).c_str(), col);
    } else {
      Fill(name + f.suffix, &col);
    }
    if (!status.ok() || planning) return;
    if (*first) {
      v.resize(col.size());
      *first = false;
    } else if (col.size() != v.size()) {
      return Fail(name, "its columns differ in length");
    }
    for (size_t i = 0; i < col.size(); ++i) v[i].*f.member = std::move(col[i]);
  }
  const Entry* Section(const std::string& name) {
    if (!status.ok()) return nullptr;
    auto it = entries_->find(name);
    if (it == entries_->end()) {
      Fail(name, "section missing");
      return nullptr;
    }
    return it->second;
  }
  // A column's section decompresses into its memory, sized from the directory when it is.
  template <class T>
  void Plan(const std::string& name, std::vector<T>* v) {
    if (Skipped(name)) return;
    const Entry* e = Section(name);
    if (e == nullptr) return;
    if (e->raw % sizeof(T) != 0) {
      return Fail(name, fmt::format("{} bytes is not a whole number of values", e->raw));
    }
    if (e->raw / 32768 > e->bytes.size() + 1) return Fail(name, "implausible size");
    const size_t n = e->raw / sizeof(T);
    targets.push_back({e,
                       [v, n] {
                         v->resize(n);
                         return reinterpret_cast<char*>(v->data());
                       },
                       nullptr});
  }
  // When planning: lists the section for a buffer, null. Then: the buffer (null when skipped).
  std::string* Find(const std::string& name) {
    if (Skipped(name)) return nullptr;
    if (planning) {
      if (const Entry* e = Section(name); e != nullptr && buffers_.count(name) == 0) {
        targets.push_back({e, nullptr, &buffers_[name]});
      }
      return nullptr;
    }
    if (!status.ok()) return nullptr;
    auto it = buffers_.find(name);
    if (it == buffers_.end()) {
      Fail(name, "section missing");
      return nullptr;
    }
    return &it->second;
  }
  template <class T>
  bool Fill(const std::string& name, std::vector<T>* v) {
    const std::string* b = Find(name);
    if (b == nullptr) return false;
    if (b->size() % sizeof(T) != 0) {
      Fail(name, fmt::format("{} bytes is not a whole number of values", b->size()));
      return false;
    }
    v->resize(b->size() / sizeof(T));
    // T is trivially copyable (Money too: its assignments are only ref-qualified).
    if (!b->empty()) std::memcpy(static_cast<void*>(v->data()), b->data(), b->size());
    return true;
  }
  // A section listing strings: u64 count, the u32 length of each, then the bytes of each.
  struct Listing {
    uint64_t n = 0;
    const char* lengths = nullptr;
    const char* text = nullptr;
  };
  bool List(const std::string& name, Listing* out) {
    const std::string* b = Find(name);
    if (b == nullptr) return false;
    uint64_t n = 0;
    if (b->size() < 8) {
      Fail(name, "too short");
      return false;
    }
    std::memcpy(&n, b->data(), 8);
    if (n > (b->size() - 8) / 4) {
      Fail(name, "count larger than the section");
      return false;
    }
    uint64_t total = 0;
    for (uint64_t i = 0; i < n; ++i) {
      uint32_t len = 0;
      std::memcpy(&len, b->data() + 8 + i * 4, 4);
      total += len;
    }
    const uint64_t room = b->size() - 8 - n * 4;
    if (total != room) {
      Fail(name, total > room ? "a value runs past the section" : "bytes left over");
      return false;
    }
    *out = {n, b->data() + 8, b->data() + 8 + n * 4};
    return true;
  }
  bool Views(const std::string& name, std::vector<std::string_view>* out) {
    Listing l;
    if (!List(name, &l)) return false;
    out->resize(l.n);
    const char* at = l.text;
    for (uint64_t i = 0; i < l.n; ++i) {
      uint32_t len = 0;
      std::memcpy(&len, l.lengths + i * 4, 4);
      (*out)[i] = std::string_view(at, len);
      at += len;
    }
    return true;
  }
  void Fail(const std::string& section, const std::string& why) {
    if (status.ok()) {
      status = InvalidInput(
          fmt::format("{}: corrupt cache: section {}: {}; re-create it with valuepact import",
                      name_, section, why));
    }
  }

  const std::map<std::string, const Entry*>* entries_;
  std::map<std::string, std::string> buffers_;
  std::string name_;
};

// A part's place in the whole dataset (PartMaps), after the body.
template <class M, class V>
void VisitPartMaps(M& m, V& v) {
  v.Column("part.members", m.members, 0);
  v.Column("part.claim_ids", m.claim_ids, 0);
  v.Column("part.codes", m.codes, 0);
  v.Column("part.eligibility", m.eligibility, 0);
  v.Column("part.medical", m.medical, 0);
  v.Column("part.pharmacy", m.pharmacy, 0);
}

// --- Shape checks after reading -----------------------------------------------------------------

// "" when every column of every table has its table's length and the diagnosis and procedure
// rows are well formed; else what is wrong.
template <class... Cols>
bool SameLength(size_t n, const Cols&... cols) {
  return ((cols.size() == n) && ...);
}

std::string CheckOffsets(const std::vector<uint32_t>& off, size_t rows, size_t codes,
                         const char* what) {
  if (off.size() != rows + 1 || off.front() != 0 || off.back() != codes) {
    return fmt::format("the {} offsets do not fit the lines", what);
  }
  for (size_t i = 1; i < off.size(); ++i) {
    if (off[i] < off[i - 1]) return fmt::format("the {} offsets go backwards", what);
  }
  return "";
}

constexpr uint8_t kDiagnosisColumns = 25;  // diagnosis_code_1 to _25 of the Tuva layout

// Lines read without their codes (MedicalClaimTable::dx_first): one summary per line, and no
// code rows beside it.
std::string CheckDiagnosisSummary(const MedicalClaimTable& m) {
  if (!SameLength(m.size(), m.dx_first, m.dx_listed, m.dx_misshapen)) {
    return "the diagnosis summary does not fit the lines";
  }
  if (m.dx_offset.size() != 1 || m.px_offset.size() != 1 || !m.dx_code.empty() ||
      !m.px_code.empty()) {
    return "lines with both diagnosis codes and a diagnosis summary";
  }
  for (size_t i = 0; i < m.size(); ++i) {
    if (m.dx_listed[i] > kDiagnosisColumns || m.dx_misshapen[i] > m.dx_listed[i] ||
        (m.dx_listed[i] == 0) != (m.dx_first[i] == kNoCode)) {
      return fmt::format("line {}: the diagnosis summary does not add up", i + 1);
    }
  }
  return "";
}

std::string CheckShapes(const Dataset& d, const ProgramData& p) {
  const auto& e = d.eligibility;
  const auto& m = d.medical;
  const auto& r = d.pharmacy;
  const auto& g = d.demographics;
  const auto& x = d.deliveries;
  const auto& c = d.claim_versions;
  const auto& i = d.member_id_changes;
  const bool ok =
      SameLength(e.size(), e.start, e.end, e.payer, e.plan, e.sex, e.birth_date, e.death_date,
                 e.dual_status, e.medicare_status, e.orec, e.race, e.ethnicity, e.state, e.zip3,
                 e.source) &&
      SameLength(m.size(), m.claim, m.line_number, m.claim_type, m.claim_start, m.claim_end,
                 m.line_start, m.line_end, m.admission, m.discharge, m.paid_date,
                 m.place_of_service, m.bill_type, m.drg, m.revenue_code, m.hcpcs,
                 m.hcpcs_modifier_1, m.rendering_npi, m.billing_npi, m.facility_npi,
                 m.rendering_tin, m.billing_tin, m.discharge_disposition, m.paid, m.allowed,
                 m.charge, m.category, m.source) &&
      SameLength(r.size(), r.claim, r.line_number, r.dispensing_date, r.paid_date, r.ndc,
                 r.prescribing_npi, r.dispensing_npi, r.paid, r.allowed, r.source) &&
      SameLength(g.size(), g.sex, g.birth_date, g.death_date, g.dual_status, g.medicare_status,
                 g.orec, g.source) &&
      SameLength(x.size(), x.format, x.file_date, x.performance_year, x.run_out, x.member_count,
                 x.claim_count) &&
      SameLength(c.size(), c.line_number, c.member, c.part, c.adjustment_type, c.natural_key,
                 c.effective, c.loaded, c.amount, c.delivery, c.status, c.paired_with, c.source) &&
      SameLength(i.size(), i.current, i.effective, i.obsolete, i.delivery);
  const auto& pr = p.referrals;
  const auto& pe = p.enrollments;
  const auto& pv = p.visits;
  const auto& pb = p.bookings;
  const auto& px = p.events;
  const bool program_ok =
      SameLength(pr.member.size(), pr.referral_date, pr.source_text, pr.reason_text, pr.outcome,
                 pr.decision_date, pr.source) &&
      SameLength(pe.member.size(), pe.start, pe.end, pe.setting, pe.end_reason_text, pe.source) &&
      SameLength(pv.member.size(), pv.date, pv.discipline, pv.modality, pv.minutes,
                 pv.travel_minutes, pv.source) &&
      SameLength(pb.member.size(), pb.date, pb.status, pb.source) &&
      SameLength(px.member.size(), px.date, px.event, px.value, px.location_text,
                 px.preferred_location_text, px.source);
  if (!ok || !program_ok) return "a table's columns differ in length";
  for (int32_t w : c.paired_with) {
    if (w < -1 || w >= static_cast<int64_t>(c.size())) return "a claim version pairs out of range";
  }
  if (!m.diagnoses_kept()) return CheckDiagnosisSummary(m);
  if (!m.dx_listed.empty() || !m.dx_misshapen.empty()) {
    return "a diagnosis count without the lines' diagnosis summary";
  }
  std::string s = CheckOffsets(m.dx_offset, m.size(), m.dx_code.size(), "diagnosis");
  return s.empty() ? CheckOffsets(m.px_offset, m.size(), m.px_code.size(), "procedure") : s;
}

// --- Header -------------------------------------------------------------------------------------

nlohmann::ordered_json HeaderJson(const CacheOrigin& o) {
  nlohmann::ordered_json j;
  j["engine_version"] = o.engine_version;
  j["data_dir"] = o.data_dir;
  j["program_dir"] = o.program_dir;
  j["data_dir_absolute"] = o.data_dir_absolute;
  j["program_dir_absolute"] = o.program_dir_absolute;
  j["format"] = o.format;
  j["options"] = {{"basis", o.options.basis},
                  {"pharmacy", o.options.pharmacy},
                  {"diagnoses", o.options.diagnoses},
                  {"max_line_amount_cents", o.options.max_line_amount.cents()}};
  for (const auto& f : o.listing) {
    j["listing"].push_back({{"path", f.path}, {"bytes", f.bytes}, {"modified_ns", f.modified_ns}});
  }
  j["sha256"] = o.sha256;
  if (o.part.count > 0) {
    const PartInfo& p = o.part;
    j["part"] = {{"index", p.index},
                 {"count", p.count},
                 {"set", p.set},
                 {"members", p.members},
                 {"claim_ids", p.claim_ids},
                 {"codes", p.codes},
                 {"eligibility", p.eligibility},
                 {"medical", p.medical},
                 {"pharmacy", p.pharmacy}};
  }
  return j;
}

Result<CacheOrigin> ParseHeader(std::string_view text, const std::string& name) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return InvalidInput(fmt::format("{}: corrupt cache: the header is not JSON", name));
  }
  try {
    CacheOrigin o;
    o.engine_version = j.at("engine_version").get<std::string>();
    o.data_dir = j.at("data_dir").get<std::string>();
    o.program_dir = j.at("program_dir").get<std::string>();
    o.data_dir_absolute = j.at("data_dir_absolute").get<std::string>();
    o.program_dir_absolute = j.at("program_dir_absolute").get<std::string>();
    o.format = j.at("format").get<std::string>();
    const auto& op = j.at("options");
    o.options.basis = op.at("basis").get<std::string>();
    o.options.pharmacy = op.at("pharmacy").get<bool>();
    o.options.diagnoses = op.at("diagnoses").get<bool>();
    o.options.max_line_amount = Money::FromCents(op.at("max_line_amount_cents").get<int64_t>());
    if (j.contains("listing")) {
      for (const auto& f : j.at("listing")) {
        o.listing.push_back({f.at("path").get<std::string>(), f.at("bytes").get<uint64_t>(),
                             f.at("modified_ns").get<int64_t>()});
      }
    }
    o.sha256 = j.at("sha256").get<std::map<std::string, std::string>>();
    if (j.contains("part")) {
      const auto& p = j.at("part");
      o.part = {p.at("index").get<uint32_t>(),       p.at("count").get<uint32_t>(),
                p.at("set").get<std::string>(),      p.at("members").get<uint64_t>(),
                p.at("claim_ids").get<uint64_t>(),   p.at("codes").get<uint64_t>(),
                p.at("eligibility").get<uint64_t>(), p.at("medical").get<uint64_t>(),
                p.at("pharmacy").get<uint64_t>()};
      if (o.part.count == 0 || o.part.index >= o.part.count) {
        return InvalidInput(
            fmt::format("{}: corrupt cache: part {} of {}", name, o.part.index, o.part.count));
      }
    }
    return o;
  } catch (const nlohmann::json::exception& e) {
    return InvalidInput(fmt::format("{}: corrupt cache: header: {}", name, e.what()));
  }
}

// --- Framing
// --------------------------------------------------------------------------------------

class Cursor {
 public:
  explicit Cursor(std::string_view b) : b_(b) {}
  template <class T>
  bool Get(T* v) {
    if (b_.size() - at_ < sizeof(T)) return false;
    std::memcpy(v, b_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return true;
  }
  bool Take(size_t n, std::string_view* out) {
    if (b_.size() - at_ < n) return false;
    *out = b_.substr(at_, n);
    at_ += n;
    return true;
  }
  size_t at() const { return at_; }

 private:
  std::string_view b_;
  size_t at_ = 0;
};

Result<std::vector<Entry>> ReadDirectory(Cursor* c, std::string_view all, const std::string& name,
                                         std::string_view* header, bool verify) {
  // A file that still ends with the trailer was not cut short: its directory is damaged.
  const bool ends_whole =
      all.size() >= kMagic.size() + kTrailer.size() + kDigest &&
      all.substr(all.size() - kDigest - kTrailer.size(), kTrailer.size()) == kTrailer;
  const auto truncated = [&](const char* where) {
    if (ends_whole) {
      return InvalidInput(fmt::format(
          "{}: corrupt cache: its {} does not fit the file, which ends as a whole cache does; "
          "re-create it with valuepact import",
          name, where));
    }
    return InvalidInput(fmt::format(
        "{}: truncated or not a valuepact cache ({}); re-create it with valuepact import", name,
        where));
  };
  std::string_view magic;
  uint32_t version = 0, zero = 0;
  uint64_t header_len = 0, count = 0;
  if (!c->Take(kMagic.size(), &magic) || magic != kMagic) {
    return InvalidInput(fmt::format("{}: not a valuepact cache (no VPDCACHE header)", name));
  }
  if (!c->Get(&version) || !c->Get(&zero) || !c->Get(&header_len)) return truncated("header");
  if (version != kFormatVersion) {
    return InvalidInput(fmt::format(
        "{}: cache format {} is not this engine's ({}); re-create it with valuepact import", name,
        version, kFormatVersion));
  }
  if (!c->Take(header_len, header) || !c->Get(&count)) return truncated("header");
  if (count > all.size() / 16) return truncated("section count");
  std::vector<Entry> entries(count);
  for (auto& e : entries) {
    uint32_t len = 0;
    std::string_view n, d;
    if (!c->Get(&len) || !c->Take(len, &n) || !c->Get(&e.raw) || !c->Get(&e.stored) ||
        !c->Take(kDigest, &d)) {
      return truncated("section directory");
    }
    e.name = std::string(n);
    std::memcpy(e.digest.data(), d.data(), kDigest);
  }
  const size_t directory_end = c->at();
  for (auto& e : entries) {
    if (!c->Take(e.stored, &e.bytes)) return truncated(("section " + e.name).c_str());
  }
  std::string_view trailer, digest;
  if (!c->Take(kTrailer.size(), &trailer) || trailer != kTrailer || !c->Take(kDigest, &digest) ||
      c->at() != all.size()) {
    return truncated("trailer");
  }
  Sha256 h;
  h.Update(all.substr(0, directory_end));
  const auto want = h.Finish();
  if (verify && std::memcmp(want.data(), digest.data(), kDigest) != 0) {
    return InvalidInput(
        fmt::format("{}: corrupt cache: the header checksum does not match; re-create it with "
                    "valuepact import",
                    name));
  }
  return entries;
}

// The directory's sections by name; a name listed twice is corrupt.
Result<std::map<std::string, const Entry*>> ByName(const std::vector<Entry>& entries,
                                                   const std::string& name) {
  std::map<std::string, const Entry*> out;
  for (const Entry& e : entries) {
    if (!out.emplace(e.name, &e).second) {
      return InvalidInput(fmt::format("{}: corrupt cache: section {} appears twice", name, e.name));
    }
  }
  return out;
}

// Verifies and decompresses every target, in parallel; the first failure in target order.
Status DecompressTargets(const std::vector<Target>& targets, const std::string& name, bool verify) {
  std::vector<std::string> errors(targets.size());
  tbb::parallel_for(size_t{0}, targets.size(), [&](size_t i) {
    const Entry& e = *targets[i].entry;
    if (verify) {
      Sha256 h;
      h.Update(e.bytes);
      const auto got = h.Finish();
      if (std::memcmp(got.data(), e.digest.data(), kDigest) != 0) {
        errors[i] = "checksum does not match";
        return;
      }
    }
    // zstd's densest block (run-length: 4 bytes for 128 KiB) bounds what a frame can expand to,
    // so a forged size cannot make the reader allocate more than the file could hold.
    if (e.raw / 32768 > e.bytes.size() + 1 ||
        ZSTD_getFrameContentSize(e.bytes.data(), e.bytes.size()) != e.raw) {
      errors[i] = "its size does not match its frame";
      return;
    }
    char* dest = nullptr;
    if (targets[i].buffer != nullptr) {
      targets[i].buffer->resize(e.raw);
      dest = targets[i].buffer->data();
    } else {
      dest = targets[i].column();
    }
    ZSTD_DCtx* d = ThreadDecompressionContext();
    if (d == nullptr) {
      errors[i] = "out of memory for zstd";
      return;
    }
    const size_t n = ZSTD_decompressDCtx(d, dest, e.raw, e.bytes.data(), e.bytes.size());
    if (ZSTD_isError(n) || n != e.raw) {
      errors[i] = ZSTD_isError(n) ? ZSTD_getErrorName(n) : "size differs";
    }
  });
  for (size_t i = 0; i < targets.size(); ++i) {
    if (!errors[i].empty()) {
      return InvalidInput(
          fmt::format("{}: corrupt cache: section {}: {}; re-create it with valuepact import", name,
                      targets[i].entry->name, errors[i]));
    }
  }
  return Status::Ok();
}

// --- The claim lines read apart (LinesApart) -----------------------------------------------------

// Leaves out the lines' other columns, and the claim ids when no claim version names them (and
// they are not asked for).
std::function<bool(const std::string&)> SkipApart(
    const LinesApart& apart, const std::map<std::string, const Entry*>& by_name) {
  std::set<std::string> keep(apart.columns.begin(), apart.columns.end());
  const auto versions = by_name.find("claim_versions.version");
  const bool claim_ids =
      apart.claim_ids || (versions != by_name.end() && versions->second->raw > 0);
  return [keep = std::move(keep), claim_ids](const std::string& n) {
    if (n == "claim_ids") return !claim_ids;
    const bool line = n.rfind("medical.", 0) == 0 || n.rfind("pharmacy.", 0) == 0;
    return line && keep.count(n) == 0;
  };
}

// Each column read apart must hold every line of its table, as the stored tally counts them.
class ApartLengths {
 public:
  ApartLengths(const std::vector<std::string>& columns, uint64_t lines)
      : columns_(columns), lines_(lines) {}
  std::string bad;
  template <class T>
  void Column(const char* name, const std::vector<T>& v, uint64_t /*limit*/) {
    Check(name, v.size());
  }
  void Codes(const char* name, const std::vector<uint32_t>& v, uint64_t /*limit*/) {
    Check(name, v.size());
  }
  void Column(const char* name, const MoneyColumn& v, uint64_t /*limit*/) { Check(name, v.size()); }

 private:
  void Check(const char* name, size_t n) {
    if (!bad.empty() || n == lines_) return;
    if (std::find(columns_.begin(), columns_.end(), name) == columns_.end()) return;
    bad = fmt::format("section {} holds {} values, for {} lines", name, n, lines_);
  }
  const std::vector<std::string>& columns_;
  uint64_t lines_;
};

// Moves the lines read into `apart`'s part, with the stored tally; "" or what is wrong.
std::string TakeLinesApart(const LinesApart& apart, const IdLimits& limits,
                           const std::string& tally_bytes, Dataset* dataset) {
  Part& p = *apart.part;
  p.dataset.medical = std::move(dataset->medical);
  p.dataset.pharmacy = std::move(dataset->pharmacy);
  dataset->medical = MedicalClaimTable{};
  dataset->pharmacy = PharmacyClaimTable{};
  auto tally = quality::DecodeTally(tally_bytes, std::string("section ") + kTallySection);
  if (!tally.ok()) return tally.status().message();
  ApartLengths medical(apart.columns, tally->medical_lines);
  ApartLengths pharmacy(apart.columns, tally->pharmacy_lines);
  VisitMedical(std::as_const(p.dataset), limits, medical);
  VisitPharmacy(std::as_const(p.dataset), limits, pharmacy);
  if (!medical.bad.empty() || !pharmacy.bad.empty()) {
    return medical.bad.empty() ? pharmacy.bad : medical.bad;
  }
  p.tally = std::move(*tally);
  return "";
}

// --- Freshness
// ------------------------------------------------------------------------------------

// `parts`: the number of parts when `path` is a split dataset's folder, else 0.
Status CheckFresh(const CacheOrigin& o, const std::string& path, uint32_t parts,
                  std::vector<std::string>* notes) {
  std::set<std::string> dirs;
  for (const auto& d : {o.data_dir_absolute, o.program_dir_absolute}) {
    std::error_code ec;
    if (!d.empty() && fs::is_directory(d, ec)) dirs.insert(d);
  }
  if (dirs.empty()) {
    // Said on the terminal too: nothing shows the cache was checked against its inputs.
    notes->push_back(fmt::format(
        "{}: the folders it was imported from ({}) are not here; the cache is used as written",
        path, o.data_dir));
    Notice(notes->back());
    return Status::Ok();
  }
  std::map<std::string, const ListedFile*> then;
  for (const auto& f : o.listing) then[f.path] = &f;
  std::map<std::string, ListedFile> now;
  for (const auto& d : dirs) {
    for (auto& f : ListFolder(d)) now[f.path] = f;
  }
  const auto stale = [&](const std::string& what) {
    return InvalidInput(fmt::format(
        "{}: stale cache: {} since it was imported; re-run valuepact {} --data {}{}{} --out {} "
        "(with the --contract it was imported for)",
        path, what, parts > 0 ? "partition" : "import", o.data_dir,
        o.program_dir.empty() ? "" : " --program " + o.program_dir,
        parts > 0 ? fmt::format(" --ranks {}", parts) : "", path));
  };
  for (const auto& [p, f] : now) {
    auto it = then.find(p);
    if (it == then.end()) return stale(p + " was added");
    if (it->second->bytes != f.bytes || it->second->modified_ns != f.modified_ns) {
      return stale(fmt::format("{} changed ({} → {} bytes, modified {} → {})", p, it->second->bytes,
                               f.bytes, FormatModified(it->second->modified_ns),
                               FormatModified(f.modified_ns)));
    }
  }
  for (const auto& [p, f] : then) {
    if (now.count(p) == 0) return stale(p + " was removed");
  }
  return Status::Ok();
}

}  // namespace

bool IsCacheFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  auto head = ReadFileHead(path, kMagic.size());
  return head.ok() && *head == kMagic;
}

namespace {

// A path as import's readers named it (under a folder as it was given, ImportRequest) made
// absolute as the listing's paths are.
std::string AsListed(const CacheOrigin& o, const std::string& p) {
  if (fs::path(p).is_absolute()) return fs::path(p).lexically_normal().string();
  for (const auto& [given, absolute] : {std::pair{o.data_dir, o.data_dir_absolute},
                                        std::pair{o.program_dir, o.program_dir_absolute}}) {
    if (given.empty()) continue;
    const fs::path rel = fs::path(p).lexically_relative(fs::path(given).lexically_normal());
    if (!rel.empty() && *rel.begin() != "..") {
      return (fs::path(absolute) / rel).lexically_normal().string();
    }
  }
  return p;
}

}  // namespace

namespace {

// Why a file IsCacheFile refuses is not a cache: "it is empty", or its first bytes.
std::string NotACacheBecause(const std::string& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec) && fs::file_size(path, ec) == 0 && !ec) return "it is empty";
  return fmt::format("its first {} bytes are not a cache's", kMagic.size());
}

}  // namespace

Result<CacheVerification> VerifyCacheAgainstFolders(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return NotFound(fmt::format("{}: no such file", path));
  if (!IsCacheFile(path)) {
    return InvalidInput(
        fmt::format("{}: not a valuepact dataset cache: {}", path, NotACacheBecause(path)));
  }
  CacheVerification out;
  {
    auto bytes = MapFileStable(path);
    if (!bytes.ok()) return bytes.status();
    auto origin = ReadCacheHeader(bytes->data(), path);
    if (!origin.ok()) return origin.status();
    out.origin = std::move(*origin);
  }
  const CacheOrigin& o = out.origin;
  std::vector<std::string> dirs;
  for (const auto& d : {o.data_dir_absolute, o.program_dir_absolute}) {
    std::error_code ec;
    if (!d.empty() && fs::is_directory(d, ec)) dirs.push_back(d);
  }
  if (dirs.empty()) {
    return NotFound(fmt::format(
        "{}: the folders it was imported from ({}) are not here: nothing to verify it against",
        path, o.data_dir));
  }
  std::map<std::string, uint64_t> then, now;
  for (const auto& f : o.listing) then[f.path] = f.bytes;
  for (const auto& d : dirs) {
    for (const auto& f : ListFolder(d)) now[f.path] = f.bytes;
  }
  for (const auto& [p, size] : now) {
    if (then.count(p) == 0) out.differences.push_back(p + ": added since the import");
  }
  for (const auto& [p, size] : then) {
    if (now.count(p) == 0) out.differences.push_back(p + ": removed since the import");
  }
  // The files read, hashed again in parallel; those not read differ only by their size.
  std::map<std::string, std::string> digests;  // by the listing's paths
  for (const auto& [p, digest] : o.sha256) digests[AsListed(o, p)] = digest;
  const std::vector<std::pair<std::string, std::string>> read(digests.begin(), digests.end());
  std::vector<std::string> found(read.size());
  std::vector<uint64_t> sizes(read.size(), 0);
  tbb::parallel_for(size_t{0}, read.size(), [&](size_t i) {
    const auto& [p, want] = read[i];
    if (now.count(p) == 0) return;  // reported as removed
    auto bytes = MapFileStable(p);
    if (!bytes.ok()) {
      found[i] = fmt::format("{}: cannot be read again: {}", p, bytes.status().message());
      return;
    }
    sizes[i] = bytes->data().size();
    const std::string got = Sha256Hex(bytes->data());
    if (got != want) {
      found[i] = fmt::format(
          "{}: its content differs from what was imported (SHA-256 {}… then, "
          "{}… now)",
          p, want.substr(0, 16), got.substr(0, 16));
    }
  });
  for (size_t i = 0; i < read.size(); ++i) {
    out.files_hashed += now.count(read[i].first);
    out.bytes_hashed += sizes[i];
    if (!found[i].empty()) out.differences.push_back(std::move(found[i]));
  }
  for (const auto& [p, size] : then) {
    auto it = now.find(p);
    if (digests.count(p) == 0 && it != now.end() && it->second != size) {
      out.differences.push_back(
          fmt::format("{}: {} bytes then, {} now (not read: not hashed)", p, size, it->second));
    }
  }
  std::sort(out.differences.begin(), out.differences.end());
  return out;
}

Status NotDataError(const std::string& path) {
  if (fs::path(path).extension() == ".vpd") {
    return InvalidInput(fmt::format(
        "--data {}: not a valuepact dataset cache: {} (the file is damaged, or another kind of "
        "file); import the data again with valuepact import",
        path, NotACacheBecause(path)));
  }
  return InvalidInput(fmt::format("--data {}: not a folder (nor a dataset cache)", path));
}

std::vector<ListedFile> ListFolder(const std::string& dir) {
  std::vector<ListedFile> out;
  std::error_code ec;
  const fs::path root = fs::absolute(dir, ec);
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e2;
    if (!it->is_regular_file(e2)) continue;
    const auto size = it->file_size(e2);
    const auto time = it->last_write_time(e2);
    const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::file_clock::to_sys(time).time_since_epoch())
                           .count();
    out.push_back({it->path().lexically_normal().string(), size, ns});
  }
  std::sort(out.begin(), out.end(),
            [](const ListedFile& a, const ListedFile& b) { return a.path < b.path; });
  return out;
}

namespace {

// Compresses and checksums every section, in parallel; the first failure in section order.
Status CompressSections(std::vector<Section>* sections, int level, const std::string& path) {
  std::vector<std::string> errors(sections->size());
  // Each section is compressed into its thread's scratch space (freed on return), then kept at
  // its size: the sections' stored bytes are not each held at the worst case's size.
  tbb::enumerable_thread_specific<std::string> scratches;
  tbb::parallel_for(size_t{0}, sections->size(), [&](size_t i) {
    Section& s = (*sections)[i];
    std::string& scratch = scratches.local();
    const std::string_view raw = s.raw();
    scratch.resize(std::max(scratch.size(), ZSTD_compressBound(raw.size())));
    ZSTD_CCtx* c = ThreadCompressionContext();
    if (c == nullptr) {
      errors[i] = "out of memory for zstd";
      return;
    }
    const size_t n =
        ZSTD_compressCCtx(c, scratch.data(), scratch.size(), raw.data(), raw.size(), level);
    if (ZSTD_isError(n)) {
      errors[i] = ZSTD_getErrorName(n);
      return;
    }
    s.stored.assign(scratch.data(), n);
    s.raw_size = raw.size();
    s.column = {};
    std::string().swap(s.owned);
    Sha256 h;
    h.Update(s.stored);
    s.digest = h.Finish();
  });
  for (size_t i = 0; i < errors.size(); ++i) {
    if (!errors[i].empty()) {
      return IoError(fmt::format("{}: compressing {}: {}", path, (*sections)[i].name, errors[i]));
    }
  }
  return Status::Ok();
}

// The magic, format version, header and section directory: what the trailer's digest covers.
std::string HeadBytes(const CacheOrigin& origin, const std::vector<Section>& sections,
                      CacheStats* st) {
  const std::string header = HeaderJson(origin).dump();
  std::string head;
  head.append(kMagic);
  Put<uint32_t>(&head, kFormatVersion);
  Put<uint32_t>(&head, 0);
  Put<uint64_t>(&head, header.size());
  head.append(header);
  Put<uint64_t>(&head, sections.size());
  for (const Section& s : sections) {
    Put<uint32_t>(&head, static_cast<uint32_t>(s.name.size()));
    head.append(s.name);
    Put<uint64_t>(&head, s.raw_size);
    Put<uint64_t>(&head, s.stored.size());
    head.append(reinterpret_cast<const char*>(s.digest.data()), kDigest);
    st->raw_bytes += s.raw_size;
    st->stored_bytes += s.stored.size();
  }
  st->sections = sections.size();
  return head;
}

}  // namespace

Result<std::string> EncodeCache(const Dataset& dataset, const ProgramData& program,
                                const IngestReport& report, const CacheOrigin& origin, int level,
                                CacheStats* stats, const PartMaps* maps,
                                const quality::ClaimLineTally* tally) {
  Writer w;
  IdLimits limits;
  VisitAll(dataset, program, report, &limits, w);
  if (origin.part.count > 0) {
    if (maps == nullptr) return Status(StatusCode::kInternal, "a part written without its maps");
    VisitPartMaps(*maps, w);
  }
  if (tally != nullptr) w.Bytes(kTallySection, quality::EncodeTally(*tally));
  if (Status s = CompressSections(&w.sections, level, "cache"); !s.ok()) return s;
  CacheStats st;
  std::string file = HeadBytes(origin, w.sections, &st);
  Sha256 h;
  h.Update(file);
  const auto digest = h.Finish();
  file.reserve(file.size() + st.stored_bytes + kTrailer.size() + kDigest);
  for (Section& s : w.sections) {
    file.append(s.stored);
    std::string().swap(s.stored);
  }
  file.append(kTrailer);
  file.append(reinterpret_cast<const char*>(digest.data()), kDigest);
  if (stats != nullptr) *stats = st;
  return file;
}

Status WriteCache(const std::string& path, const Dataset& dataset, const ProgramData& program,
                  const IngestReport& report, const CacheOrigin& origin, int level,
                  CacheStats* stats, const PartMaps* maps, const quality::ClaimLineTally* tally) {
  std::optional<quality::ClaimLineTally> whole;
  if (tally == nullptr && origin.part.count == 0) {
    whole = quality::TallyClaimLines(dataset);
    tally = &*whole;
  }
  auto encoded = EncodeCache(dataset, program, report, origin, level, stats, maps, tally);
  if (!encoded.ok()) return encoded.status();
  const std::string& file = *encoded;
  // A temporary file of this process's own: two imports to one path each put a whole file in
  // place, the last one staying, and neither takes the other's for its own.
  const std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
  std::error_code ec;
  if (Status s = WriteFileSynced(tmp, file); !s.ok()) {
    fs::remove(tmp, ec);
    return s;
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code removed;
    fs::remove(tmp, removed);
    return IoError(fmt::format("{}: cannot move the cache into place: {}", path, ec.message()));
  }
  return Status::Ok();
}

Result<CacheOrigin> ReadCacheHeader(std::string_view bytes, const std::string& name) {
  Cursor c(bytes);
  std::string_view header;
  auto entries = ReadDirectory(&c, bytes, name, &header, true);
  if (!entries.ok()) return entries.status();
  return ParseHeader(header, name);
}

Result<CacheOrigin> ReadCache(std::string_view bytes, const std::string& name, Dataset* dataset,
                              ProgramData* program, IngestReport* report, bool verify_checksums,
                              const std::function<void()>& decompressed, PartMaps* maps,
                              bool index_ids, const LinesApart* apart) {
  Cursor c(bytes);
  std::string_view header;
  auto entries = ReadDirectory(&c, bytes, name, &header, verify_checksums);
  if (!entries.ok()) return entries.status();
  auto origin = ParseHeader(header, name);
  if (!origin.ok()) return origin.status();
  const bool part = origin->part.count > 0;
  if (part && maps == nullptr) {
    return InvalidInput(fmt::format(
        "{}: one part (part-{}-of-{}) of a dataset split by valuepact partition; give --data the "
        "folder that holds every part",
        name, origin->part.index, origin->part.count));
  }
  auto by_name = ByName(*entries, name);
  if (!by_name.ok()) return by_name.status();
  Reader r(&*by_name, name);
  r.index_ids = index_ids && !part;
  // The lines apart from a dataset (or part) that stores its tally; else every section.
  const bool lines_apart = apart != nullptr && by_name->count(kTallySection) > 0;
  if (lines_apart) r.skip = SkipApart(*apart, *by_name);
  std::string tally;
  IdLimits limits;
  const auto visit = [&] {
    VisitAll(*dataset, *program, *report, &limits, r);
    if (part) VisitPartMaps(*maps, r);
    if (lines_apart) r.Bytes(kTallySection, tally);
  };
  visit();
  if (!r.status.ok()) return r.status;
  if (Status s = DecompressTargets(r.targets, name, verify_checksums); !s.ok()) return s;
  if (decompressed) decompressed();  // `bytes`, `header` and `entries` are not read after this
  r.planning = false;
  visit();
  if (!r.status.ok()) return r.status;
  if (lines_apart) {
    if (const std::string bad = TakeLinesApart(*apart, limits, tally, dataset); !bad.empty()) {
      return InvalidInput(
          fmt::format("{}: corrupt cache: {}; re-create it with valuepact import", name, bad));
    }
  }
  if (const std::string bad = CheckShapes(*dataset, *program); !bad.empty()) {
    return InvalidInput(
        fmt::format("{}: corrupt cache: {}; re-create it with valuepact import", name, bad));
  }
  if (origin->options.diagnoses && !dataset->medical.diagnoses_kept()) {
    return InvalidInput(fmt::format(
        "{}: corrupt cache: its header says the diagnosis codes were kept, but the lines hold "
        "only their summary; re-create it with valuepact import",
        name));
  }
  return origin;
}

namespace {

// Why the pharmacy claims of a cache cannot be left aside so that the run reads what a read of
// the folder without them gives (empty when they can): CCLF and FHIR deliveries count Part D
// claims among a delivery's claims and members, and a member first listed on a pharmacy line
// would keep an id; a Tuva folder's pharmacy files are read last and leave nothing else behind.
std::string WhyPharmacyStays(const Dataset& d) {
  for (const SourceFile& f : d.sources) {
    if (f.format == "cclf" || f.format == "fhir") {
      return fmt::format("its {} deliveries count them among their claims", f.format);
    }
  }
  std::vector<uint8_t> listed(d.members.size(), 0);
  for (const auto* col : {&d.eligibility.member, &d.medical.member, &d.demographics.member}) {
    for (uint32_t m : *col) listed[m] = 1;
  }
  for (uint32_t m : d.pharmacy.member) {
    if (listed[m] == 0) {
      return fmt::format("member {} is listed on pharmacy lines only", d.members.Get(m));
    }
  }
  return "";
}

// Leaves a Tuva cache's pharmacy claims aside (WhyPharmacyStays is empty) as a read of the
// folder without them would: no pharmacy line, reject or counter. (The list of files read
// keeps the pharmacy files, with the other rows' references into it, and the count of amounts
// rounded is not kept by table; the commands that leave pharmacy claims aside, risk and
// quality, report neither.)
void LeavePharmacyAside(const std::string& path, Dataset* d, IngestReport* report,
                        std::vector<std::string>* notes) {
  d->pharmacy = PharmacyClaimTable{};
  std::set<std::string> files;
  for (const SourceFile& f : d->sources) {
    if (f.table == "pharmacy_claim") files.insert(f.path);
  }
  std::erase_if(report->rejects, [&](const Reject& r) { return files.count(r.file) != 0; });
  std::erase_if(report->counters,
                [](const auto& c) { return c.first.rfind("pharmacy_claim.", 0) == 0; });
  for (const auto& f : files) report->NotePharmacyNotRead(f);
  notes->push_back(fmt::format("{}: pharmacy claims in the cache are not used", path));
}

// The advice for a run whose load options are import's defaults, as those of a command that
// takes no contract (risk, partnership payer-mix) are; empty for another run.
// `no_pharmacy`: the cache's pharmacy claims cannot be left aside (WhyPharmacyStays).
std::string NoContractHint(const LoadOptions& wanted, bool no_pharmacy) {
  if (wanted.basis != "paid" || wanted.max_line_amount != kDefaultMaxLineAmount) return "";
  return fmt::format(
      "; for a command that takes no contract, re-import without --contract or --basis{}",
      wanted.pharmacy ? " or --no-pharmacy"
      : no_pharmacy   ? ", and with --no-pharmacy"
                      : "");
}

// The checks of LoadCacheFile on the options the cache was parsed with (`o`) against a run's.
Status CheckLoadOptions(const std::string& path, const LoadOptions& o, const LoadOptions& wanted,
                        bool drop_pharmacy_ok, Dataset* dataset, IngestReport* report,
                        std::vector<std::string>* notes) {
  if (wanted.cache_as_imported) return Status::Ok();
  const bool leave_pharmacy = drop_pharmacy_ok && o.pharmacy && !wanted.pharmacy;
  const std::string pharmacy_stays = leave_pharmacy ? WhyPharmacyStays(*dataset) : "";
  // One message names every import option the run needs otherwise.
  if (o.basis != wanted.basis || o.max_line_amount != wanted.max_line_amount) {
    return InvalidInput(fmt::format(
        "{}: imported with basis={}, max_line_amount={}; this run needs basis={}, "
        "max_line_amount={}: re-import with valuepact import --contract CONTRACT (which takes "
        "them from the contract){}",
        path, o.basis, o.max_line_amount.ToString(), wanted.basis,
        wanted.max_line_amount.ToString(), NoContractHint(wanted, !pharmacy_stays.empty())));
  }
  if (!leave_pharmacy && o.pharmacy != wanted.pharmacy) {
    return InvalidInput(fmt::format(
        "{}: imported with pharmacy={}, this run needs pharmacy={}: re-import with valuepact "
        "import --contract CONTRACT (which takes it from the contract){}",
        path, o.pharmacy, wanted.pharmacy, wanted.pharmacy ? NoContractHint(wanted, false) : ""));
  }
  if (!pharmacy_stays.empty()) {
    return InvalidInput(fmt::format(
        "{}: imported with pharmacy claims, which this run leaves out, and they cannot be "
        "left out of the imported data as a read of the folder would ({}): re-import it "
        "with valuepact import --no-pharmacy, or give the data folder",
        path, pharmacy_stays));
  }
  if (!o.diagnoses && wanted.diagnoses) {
    return InvalidInput(fmt::format(
        "{}: imported without the claim lines' diagnosis and procedure codes, which this run "
        "needs: re-import it with valuepact import (which keeps them)",
        path));
  }
  if (leave_pharmacy) LeavePharmacyAside(path, dataset, report, notes);
  return Status::Ok();
}

}  // namespace

Result<CacheOrigin> ReadCacheFile(const std::string& path, const std::string& name,
                                  Dataset* dataset, ProgramData* program, IngestReport* report,
                                  PartMaps* maps, const LinesApart* apart) {
  // With the lines apart, most sections are left unread: a mapped file (where the process maps
  // data files) brings in only the pages of those read.
  auto bytes =
      apart != nullptr && MapDataFiles() ? MapFileStable(path) : ReadFileStable(path, kNoSizeCap);
  if (!bytes.ok()) return bytes.status();
  // The file's bytes are freed once decompressed, before the id tables are built (the peak).
  Status unchanged = Status::Ok();
  auto origin = ReadCache(
      bytes->data(), name, dataset, program, report, true,
      [&bytes, &unchanged] {
        unchanged = bytes->CheckUnchanged();
        *bytes = FileBuffer();
      },
      maps, true, apart);
  if (origin.ok() && !unchanged.ok()) return unchanged;
  return origin;
}

Result<CacheOrigin> LoadCacheFile(const std::string& path, const LoadOptions& wanted,
                                  Dataset* dataset, ProgramData* program, IngestReport* report,
                                  std::vector<std::string>* notes, bool drop_pharmacy_ok,
                                  Part* lines, const std::vector<std::string>& line_columns) {
  Result<CacheOrigin> origin = CacheOrigin{};
  uint32_t parts = 0;
  if (IsPartitionFolder(path)) {
    origin = ReadPartitionFolder(path, dataset, program, report, &parts, lines, line_columns);
  } else if (lines != nullptr && !drop_pharmacy_ok) {
    const LinesApart apart{line_columns, lines};
    origin = ReadCacheFile(path, path, dataset, program, report, nullptr, &apart);
  } else {
    origin = ReadCacheFile(path, path, dataset, program, report);
  }
  if (!origin.ok()) return origin.status();
  if (origin->engine_version != VALUEPACT_VERSION) {
    return InvalidInput(
        fmt::format("{}: written by valuepact {}, this is {}: re-create it with valuepact import",
                    path, origin->engine_version, VALUEPACT_VERSION));
  }
  if (Status s =
          CheckLoadOptions(path, origin->options, wanted, drop_pharmacy_ok, dataset, report, notes);
      !s.ok()) {
    return s;
  }
  if (Status s = CheckFresh(*origin, path, parts, notes); !s.ok()) return s;
  return origin;
}

}  // namespace valuepact::cache
