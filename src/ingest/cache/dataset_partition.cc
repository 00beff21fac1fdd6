// A dataset split by member into parts, and put back together (ingest/dataset_partition.h).
#include "valuepact/ingest/dataset_partition.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <type_traits>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "cache_columns.h"
#include "valuepact/core/distributed.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/progress.h"
#include "valuepact/core/sha256.h"

namespace valuepact::cache {
namespace {

namespace fs = std::filesystem;

// --- Columns, told apart by the ids they hold ---------------------------------------------------

// The visitors of cache_columns.h get each column's id limit; these limits say which id table a
// column refers to instead.
constexpr uint64_t kTag = uint64_t{1} << 40;
const IdLimits kSpaceLimits{kTag + 1, kTag + 2, kTag + 3, kTag + 4, kTag + 5, kTag + 6};

// The id tables a column's values may refer to (index into IdMaps), or none.
enum Space : uint8_t { kMember = 0, kClaim, kCode, kPlain };
constexpr size_t kIdTables = 3;
using IdMaps = std::array<const std::vector<uint32_t>*, kIdTables>;

// One column, whatever its type: its bytes, and how to size and free it.
struct Slot {
  std::string name;
  Space space = kPlain;
  void* column = nullptr;  // a std::vector<T>
  size_t width = 0;        // sizeof(T)
  void (*resize)(void*, size_t) = nullptr;
  size_t (*size)(const void*) = nullptr;
  char* (*data)(void*) = nullptr;
  void (*release)(void*) = nullptr;
  // A column of amounts (MoneyColumn) is moved row by row through these, not as bytes.
  Money (*get)(const void*, size_t) = nullptr;
  void (*set)(void*, size_t, Money) = nullptr;
};

template <class Vec>
Slot MakeSlot(const char* name, Vec& v, Space space) {
  using V = std::remove_const_t<Vec>;
  using T = typename V::value_type;
  static_assert(std::is_trivially_copyable_v<T>);
  Slot s;
  s.name = name;
  s.space = space;
  s.column = const_cast<V*>(&v);  // a source's columns are only read
  s.width = sizeof(T);
  s.resize = [](void* p, size_t n) { static_cast<V*>(p)->resize(n); };
  s.size = [](const void* p) { return static_cast<const V*>(p)->size(); };
  s.data = [](void* p) { return reinterpret_cast<char*>(static_cast<V*>(p)->data()); };
  s.release = [](void* p) { V().swap(*static_cast<V*>(p)); };
  return s;
}

template <class Vec>
Slot MakeMoneySlot(const char* name, Vec& v) {
  using V = MoneyColumn;
  Slot s;
  s.name = name;
  s.column = const_cast<V*>(&v);  // a source's columns are only read
  s.width = sizeof(Money);
  s.resize = [](void* p, size_t n) { static_cast<V*>(p)->resize(n); };
  s.size = [](const void* p) { return static_cast<const V*>(p)->size(); };
  s.release = [](void* p) { V().swap(*static_cast<V*>(p)); };
  s.get = [](const void* p, size_t row) { return (*static_cast<const V*>(p))[row]; };
  s.set = [](void* p, size_t row, Money m) { static_cast<V*>(p)->Set(row, m); };
  return s;
}

// The diagnosis and procedure rows: their offsets and codes are moved apart (MoveRagged).
bool IsRagged(std::string_view name) {
  return name == "medical.dx_offset" || name == "medical.px_offset" || name == "medical.dx_code" ||
         name == "medical.px_code";
}

// A cache_columns.h visitor listing the per-row columns it is shown.
class SlotLister {
 public:
  std::vector<Slot> slots;
  template <class Vec>
  void Column(const char* name, Vec& v, uint64_t limit) {
    using T = typename std::remove_const_t<Vec>::value_type;
    if constexpr (std::is_same_v<std::remove_const_t<Vec>, MoneyColumn>) {
      slots.push_back(MakeMoneySlot(name, v));
    } else {
      if (IsRagged(name)) return;
      Space space = kPlain;
      if constexpr (std::is_same_v<T, uint32_t>) {
        if (limit == kSpaceLimits.members) space = kMember;
        if (limit == kSpaceLimits.claims) space = kClaim;
      }
      slots.push_back(MakeSlot(name, v, space));
    }
  }
  template <class Vec>
  void Codes(const char* name, Vec& v, uint64_t limit) {
    if (IsRagged(name)) return;
    slots.push_back(MakeSlot(name, v, limit == kSpaceLimits.codes ? kCode : kPlain));
  }
  // Strings (delivery formats) move with their tables, whole.
  template <class... A>
  void Strings(A&&... /*unused*/) {}
};

// The tables split by member: eligibility, medical and pharmacy (in that order).
constexpr size_t kRowTables = 3;

template <class D>
std::vector<Slot> RowTableSlots(D& d, size_t table) {
  SlotLister l;
  if (table == 0) VisitEligibility(d, kSpaceLimits, l);
  if (table == 1) VisitMedical(d, kSpaceLimits, l);
  if (table == 2) VisitPharmacy(d, kSpaceLimits, l);
  return l.slots;
}

// The tables part 0 holds whole.
template <class D, class P>
std::vector<Slot> WholeTableSlots(D& d, P& p) {
  SlotLister l;
  VisitMembers(d, kSpaceLimits, l);
  VisitProgram(p, kSpaceLimits, l);
  return l.slots;
}

size_t RowCount(const Dataset& d, size_t table) {
  return table == 0 ? d.eligibility.size() : table == 1 ? d.medical.size() : d.pharmacy.size();
}

const std::vector<uint32_t>& MemberColumn(const Dataset& d, size_t table) {
  return table == 0 ? d.eligibility.member : table == 1 ? d.medical.member : d.pharmacy.member;
}

uint32_t MapId(Space space, uint32_t v, const IdMaps& maps) {
  if (space == kPlain || (space == kCode && v == kNoCode)) return v;
  return (*maps[space])[v];
}

// dst[to[i]] = src[from[i]] for i < n, ids mapped; a null `from` or `to` is 0, 1, 2, …
void MoveRows(const Slot& src, const Slot& dst, size_t n, const uint32_t* from, const uint32_t* to,
              const IdMaps& maps) {
  if (src.get != nullptr) {  // amounts: one after another, since a wide one is kept aside
    for (size_t i = 0; i < n; ++i) {
      dst.set(dst.column, to != nullptr ? to[i] : i,
              src.get(src.column, from != nullptr ? from[i] : i));
    }
    return;
  }
  const char* s = src.data(src.column);
  char* d = dst.data(dst.column);
  const size_t w = src.width;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 8192), [&](const auto& r) {
    for (size_t i = r.begin(); i < r.end(); ++i) {
      const size_t a = from != nullptr ? from[i] : i, b = to != nullptr ? to[i] : i;
      if (src.space == kPlain) {
        std::memcpy(d + b * w, s + a * w, w);
        continue;
      }
      uint32_t v = 0;
      std::memcpy(&v, s + a * 4, 4);
      v = MapId(src.space, v, maps);
      std::memcpy(d + b * 4, &v, 4);
    }
  });
}

// Every id column of the tables, values mapped in place (part 0's whole tables).
void MapInPlace(const std::vector<Slot>& slots, const IdMaps& maps) {
  for (const Slot& s : slots) {
    if (s.space != kPlain) MoveRows(s, s, s.size(s.column), nullptr, nullptr, maps);
  }
}

// The diagnosis (or procedure) rows of the source's lines `from` into the destination's lines
// `to`, whose offsets `dst_off` are already set; codes mapped.
void MoveRagged(const std::vector<uint32_t>& src_off, const std::vector<uint32_t>& src_codes,
                size_t n, const uint32_t* from, const uint32_t* to,
                const std::vector<uint32_t>& dst_off, std::vector<uint32_t>* dst_codes,
                const IdMaps& maps) {
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 8192), [&](const auto& r) {
    for (size_t i = r.begin(); i < r.end(); ++i) {
      const size_t a = from != nullptr ? from[i] : i, b = to != nullptr ? to[i] : i;
      uint32_t at = dst_off[b];
      for (uint32_t j = src_off[a]; j < src_off[a + 1]; ++j) {
        (*dst_codes)[at++] = MapId(kCode, src_codes[j], maps);
      }
    }
  });
}

// --- Splitting ----------------------------------------------------------------------------------

using RowLists = std::array<std::vector<uint32_t>, kRowTables>;

// What every part's split needs: each part's rows of each split table (in order, found in one
// pass), and which ids some row refers to (the others, referred to by nothing, go to part 0 so
// that the parts hold every id).
struct SplitPlan {
  uint32_t count = 1;
  std::vector<RowLists> rows;  // by part
  std::array<std::vector<uint8_t>, kIdTables> used;
};

const StringInterner& IdTable(const Dataset& d, size_t space) {
  return space == kMember ? d.members : space == kClaim ? d.claim_ids : d.codes;
}

StringInterner& IdTable(Dataset& d, size_t space) {
  return space == kMember ? d.members : space == kClaim ? d.claim_ids : d.codes;
}

// Marks the ids that rows `rows` (null: every row, `n` of them) of the columns refer to.
void MarkIds(const std::vector<Slot>& slots, const uint32_t* rows, size_t n,
             std::array<std::vector<uint8_t>, kIdTables>* marks) {
  for (const Slot& s : slots) {
    if (s.space == kPlain || s.size(s.column) == 0) continue;
    const auto* v = reinterpret_cast<const uint32_t*>(s.data(s.column));
    auto& m = (*marks)[s.space];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t x = v[rows != nullptr ? rows[i] : i];
      if (s.space != kCode || x != kNoCode) m[x] = 1;
    }
  }
}

void MarkRaggedCodes(const MedicalClaimTable& m, const uint32_t* rows, size_t n,
                     std::vector<uint8_t>* marks) {
  if (!m.diagnoses_kept()) return;
  for (const auto* t : {&m.dx_offset, &m.px_offset}) {
    const auto& codes = t == &m.dx_offset ? m.dx_code : m.px_code;
    for (size_t i = 0; i < n; ++i) {
      const size_t r = rows != nullptr ? rows[i] : i;
      for (uint32_t j = (*t)[r]; j < (*t)[r + 1]; ++j) (*marks)[codes[j]] = 1;
    }
  }
}

std::array<std::vector<uint8_t>, kIdTables> EmptyMarks(const Dataset& d) {
  std::array<std::vector<uint8_t>, kIdTables> marks;
  for (size_t s = 0; s < kIdTables; ++s) marks[s].assign(IdTable(d, s).size(), 0);
  return marks;
}

SplitPlan PlanSplit(const Dataset& d, const ProgramData& p, uint32_t count) {
  SplitPlan plan;
  plan.count = count;
  std::vector<uint32_t> member_part(d.member_count());
  tbb::parallel_for(uint32_t{0}, d.member_count(),
                    [&](uint32_t m) { member_part[m] = PartOfMember(d.members.Get(m), count); });
  plan.rows.resize(count);
  for (size_t t = 0; t < kRowTables; ++t) {
    const auto& member = MemberColumn(d, t);
    for (size_t r = 0; r < member.size(); ++r) {
      plan.rows[member_part[member[r]]][t].push_back(static_cast<uint32_t>(r));
    }
  }
  plan.used = EmptyMarks(d);
  for (size_t t = 0; t < kRowTables; ++t) {
    MarkIds(RowTableSlots(d, t), nullptr, RowCount(d, t), &plan.used);
  }
  MarkRaggedCodes(d.medical, nullptr, d.medical.size(), &plan.used[kCode]);
  for (const Slot& s : WholeTableSlots(d, p)) MarkIds({s}, nullptr, s.size(s.column), &plan.used);
  return plan;
}

// The whole dataset's claim ids whose lines fall in more than one part, increasing: each part's
// stored scorecard tally leaves their lines to the merge (quality::LinePlace).
std::vector<uint32_t> SharedClaimsOf(const Dataset& d, const SplitPlan& plan) {
  constexpr uint32_t kNoPart = UINT32_MAX, kParts = UINT32_MAX - 1;
  std::vector<uint32_t> part_of(d.claim_ids.size(), kNoPart);
  for (uint32_t k = 0; k < plan.count; ++k) {
    for (const auto& [t, claim] :
         {std::pair{size_t{1}, &d.medical.claim}, {2, &d.pharmacy.claim}}) {
      for (uint32_t r : plan.rows[k][t]) {
        uint32_t& at = part_of[(*claim)[r]];
        at = at == kNoPart || at == k ? k : kParts;
      }
    }
  }
  std::vector<uint32_t> out;
  for (uint32_t c = 0; c < part_of.size(); ++c) {
    if (part_of[c] == kParts) out.push_back(c);
  }
  return out;
}

// The local ids of a part: the whole dataset's ids it keeps, in increasing order (`list`), and
// the way back (`local`, kNone for an id it does not keep).
struct LocalIds {
  std::vector<uint32_t> list, local;
};

LocalIds KeepMarked(const std::vector<uint8_t>& marks) {
  LocalIds ids;
  ids.local.assign(marks.size(), StringInterner::kNone);
  for (size_t g = 0; g < marks.size(); ++g) {
    if (marks[g] == 0) continue;
    ids.local[g] = static_cast<uint32_t>(ids.list.size());
    ids.list.push_back(static_cast<uint32_t>(g));
  }
  return ids;
}

// `index` false: the part's ids are only read by id before they are written.
void InternListed(const StringInterner& whole, const std::vector<uint32_t>& list,
                  StringInterner* out, bool index) {
  std::vector<std::string_view> views(list.size());
  for (size_t i = 0; i < list.size(); ++i) views[i] = whole.Get(list[i]);
  out->InternAllDistinct(views, index);  // distinct: they are distinct in `whole`
}

// The medical lines `rows` of the whole dataset, with their diagnosis and procedure rows.
void SplitRagged(const MedicalClaimTable& whole, const std::vector<uint32_t>& rows,
                 const IdMaps& maps, MedicalClaimTable* part) {
  if (!whole.diagnoses_kept()) return;  // {0} and empty, as constructed
  for (const auto* off : {&whole.dx_offset, &whole.px_offset}) {
    const bool dx = off == &whole.dx_offset;
    std::vector<uint32_t>& out_off = dx ? part->dx_offset : part->px_offset;
    std::vector<uint32_t>& out_codes = dx ? part->dx_code : part->px_code;
    out_off.assign(rows.size() + 1, 0);
    for (size_t i = 0; i < rows.size(); ++i) {
      out_off[i + 1] = out_off[i] + ((*off)[rows[i] + 1] - (*off)[rows[i]]);
    }
    out_codes.resize(out_off.back());
    MoveRagged(*off, dx ? whole.dx_code : whole.px_code, rows.size(), rows.data(), nullptr, out_off,
               &out_codes, maps);
  }
}

// The ids the part keeps: those its rows refer to; part 0 adds those of the tables it holds
// whole and those nothing refers to.
std::array<LocalIds, kIdTables> IdsOfPart(const Dataset& d, const ProgramData& p,
                                          const SplitPlan& plan, const RowLists& rows,
                                          uint32_t index) {
  auto marks = EmptyMarks(d);
  for (size_t t = 0; t < kRowTables; ++t) {
    MarkIds(RowTableSlots(d, t), rows[t].data(), rows[t].size(), &marks);
  }
  MarkRaggedCodes(d.medical, rows[1].data(), rows[1].size(), &marks[kCode]);
  if (index == 0) {
    for (const Slot& s : WholeTableSlots(d, p)) MarkIds({s}, nullptr, s.size(s.column), &marks);
    for (size_t s = 0; s < kIdTables; ++s) {
      for (size_t g = 0; g < marks[s].size(); ++g) marks[s][g] |= plan.used[s][g] == 0 ? 1 : 0;
    }
  }
  std::array<LocalIds, kIdTables> ids;
  for (size_t s = 0; s < kIdTables; ++s) ids[s] = KeepMarked(marks[s]);
  return ids;
}

// The rows of the split tables, ids mapped to the part's.
void CopyRows(const Dataset& d, const RowLists& rows, const IdMaps& to_local, Dataset* out) {
  for (size_t t = 0; t < kRowTables; ++t) {
    const auto src = RowTableSlots(d, t);
    const auto dst = RowTableSlots(*out, t);
    for (size_t c = 0; c < src.size(); ++c) {
      if (src[c].size(src[c].column) != RowCount(d, t)) continue;  // a column not kept
      dst[c].resize(dst[c].column, rows[t].size());
      MoveRows(src[c], dst[c], rows[t].size(), rows[t].data(), nullptr, to_local);
    }
  }
  SplitRagged(d.medical, rows[1], to_local, &out->medical);
}

// What part 0 holds whole: the tables not split by member, the program data, the report.
void CopyWhole(const Dataset& d, const ProgramData& p, const IngestReport& report,
               const IdMaps& to_local, Part* part) {
  Dataset& out = part->dataset;
  out.demographics = d.demographics;
  out.deliveries = d.deliveries;
  out.claim_versions = d.claim_versions;
  out.member_id_changes = d.member_id_changes;
  part->program.referrals = p.referrals;
  part->program.enrollments = p.enrollments;
  part->program.visits = p.visits;
  part->program.bookings = p.bookings;
  part->program.events = p.events;
  std::vector<uint32_t> all(p.text.size());
  for (uint32_t i = 0; i < p.text.size(); ++i) all[i] = i;
  InternListed(p.text, all, &part->program.text, true);
  MapInPlace(WholeTableSlots(out, part->program), to_local);
  part->report = report;
}

// Part `index`; its rows are taken from the plan.
Part SplitOne(const Dataset& d, const ProgramData& p, const IngestReport& report, SplitPlan* split,
              uint32_t index) {
  const SplitPlan& plan = *split;
  Part part;
  RowLists rows = std::move(split->rows[index]);
  auto ids = IdsOfPart(d, p, plan, rows, index);
  for (size_t s = 0; s < kIdTables; ++s) {
    InternListed(IdTable(d, s), ids[s].list, &IdTable(part.dataset, s), false);
  }
  const IdMaps to_local{&ids[kMember].local, &ids[kClaim].local, &ids[kCode].local};
  part.dataset.sources = d.sources;
  CopyRows(d, rows, to_local, &part.dataset);
  if (index == 0) CopyWhole(d, p, report, to_local, &part);
  part.info = {index,
               plan.count,
               "",
               d.members.size(),
               d.claim_ids.size(),
               d.codes.size(),
               d.eligibility.size(),
               d.medical.size(),
               d.pharmacy.size()};
  part.maps = {std::move(ids[kMember].list), std::move(ids[kClaim].list),
               std::move(ids[kCode].list),   std::move(rows[0]),
               std::move(rows[1]),           std::move(rows[2])};
  return part;
}

// --- Joining ------------------------------------------------------------------------------------

const std::vector<uint32_t>& IdMap(const PartMaps& m, size_t space) {
  return space == kMember ? m.members : space == kClaim ? m.claim_ids : m.codes;
}

const std::vector<uint32_t>& RowMap(const PartMaps& m, size_t table) {
  return table == 0 ? m.eligibility : table == 1 ? m.medical : m.pharmacy;
}

uint64_t RowTotal(const PartInfo& info, size_t table) {
  return table == 0 ? info.eligibility : table == 1 ? info.medical : info.pharmacy;
}

uint64_t IdTotal(const PartInfo& info, size_t space) {
  return space == kMember ? info.members : space == kClaim ? info.claim_ids : info.codes;
}

constexpr const char* kTableNames[kRowTables] = {"eligibility", "medical", "pharmacy"};
constexpr const char* kIdNames[kIdTables] = {"members", "claim_ids", "codes"};

// "DIR: part-K-of-N.vpd: why; split it again …": a part that does not fit the others.
Status Corrupt(const std::string& name, size_t k, size_t n, const std::string& why) {
  return InvalidInput(fmt::format("{}: {}: {}; split it again with valuepact partition", name,
                                  PartFileName(static_cast<uint32_t>(k), static_cast<uint32_t>(n)),
                                  why));
}

// Part `k` is in its place, of the same split as part 0, and its maps fit its tables.
std::string CheckPlace(const std::vector<Part>& parts, size_t k) {
  const Part& p = parts[k];
  const PartInfo& i = p.info;
  const PartInfo& first = parts[0].info;
  if (i.count != parts.size() || i.index != k) {
    return fmt::format("it says it is part {} of {}", i.index, i.count);
  }
  if (i.set != first.set || i.members != first.members || i.claim_ids != first.claim_ids ||
      i.codes != first.codes || i.eligibility != first.eligibility || i.medical != first.medical ||
      i.pharmacy != first.pharmacy) {
    return fmt::format("it and {} come from different splits",
                       PartFileName(0, static_cast<uint32_t>(parts.size())));
  }
  for (size_t s = 0; s < kIdTables; ++s) {
    const auto& m = IdMap(p.maps, s);
    if (m.size() != IdTable(p.dataset, s).size()) {
      return fmt::format("its {} do not fit their map", kIdNames[s]);
    }
    if (std::any_of(m.begin(), m.end(), [&](uint32_t g) { return g >= IdTotal(i, s); })) {
      return fmt::format("a {} id out of range", kIdNames[s]);
    }
  }
  for (size_t t = 0; t < kRowTables; ++t) {
    const auto& m = RowMap(p.maps, t);
    if (m.size() != RowCount(p.dataset, t)) {
      return fmt::format("its {} rows do not fit their map", kTableNames[t]);
    }
    if (std::any_of(m.begin(), m.end(), [&](uint32_t g) { return g >= RowTotal(i, t); })) {
      return fmt::format("a {} row out of range", kTableNames[t]);
    }
  }
  return "";
}

// What only part 0 holds is in no other, and every part lists part 0's input files.
std::string CheckContents(const std::vector<Part>& parts, size_t k) {
  const Part& p = parts[k];
  const Dataset& d = p.dataset;
  if (k > 0 && (d.demographics.size() + d.deliveries.size() + d.claim_versions.size() +
                        d.member_id_changes.size() >
                    0 ||
                !p.program.empty() || !p.report.rejects.empty())) {
    return "it holds what only part 0 holds";
  }
  const auto& sources = parts[0].dataset.sources;
  if (d.sources.size() != sources.size()) return "it lists other input files than part 0";
  for (size_t f = 0; f < sources.size(); ++f) {
    if (d.sources[f].sha256 != sources[f].sha256) return "it lists other input files than part 0";
  }
  return "";
}

// Every row of the whole is in one part, every id in one part or more: the whole's sizes are
// bounded by the parts' before anything is sized by them.
std::string CheckWholeSizes(const std::vector<Part>& parts) {
  const PartInfo& first = parts[0].info;
  for (size_t t = 0; t < kRowTables; ++t) {
    uint64_t rows = 0;
    for (const Part& p : parts) rows += RowMap(p.maps, t).size();
    if (rows != RowTotal(first, t)) {
      return fmt::format("the parts hold {} {} rows, not {}", rows, kTableNames[t],
                         RowTotal(first, t));
    }
  }
  for (size_t s = 0; s < kIdTables; ++s) {
    uint64_t ids = 0;
    for (const Part& p : parts) ids += IdMap(p.maps, s).size();
    if (IdTotal(first, s) > ids) {
      return fmt::format("the parts hold fewer {} than the whole", kIdNames[s]);
    }
  }
  return "";
}

Status CheckParts(const std::vector<Part>& parts, const std::string& name) {
  for (size_t k = 0; k < parts.size(); ++k) {
    std::string why = CheckPlace(parts, k);
    if (why.empty()) why = CheckContents(parts, k);
    if (!why.empty()) return Corrupt(name, k, parts.size(), why);
  }
  const std::string why = CheckWholeSizes(parts);
  if (why.empty()) return Status::Ok();
  return InvalidInput(fmt::format("{}: {}; split it again with valuepact partition", name, why));
}

// The whole dataset's id tables from the parts' (each id in at least one part, the same value
// wherever it is).
Status JoinIds(const std::vector<Part>& parts, const std::string& name, Dataset* out) {
  for (size_t s = 0; s < kIdTables; ++s) {
    std::vector<std::string_view> values(IdTotal(parts[0].info, s));
    std::vector<uint8_t> seen(values.size(), 0);
    for (const Part& p : parts) {
      const auto& map = IdMap(p.maps, s);
      const StringInterner& local = IdTable(p.dataset, s);
      uint32_t two = StringInterner::kNone;  // an id with two values
      local.ForEach(0, static_cast<uint32_t>(map.size()), [&](uint32_t i, std::string_view v) {
        if (two != StringInterner::kNone) return;
        if (seen[map[i]] != 0 && values[map[i]] != v) {
          two = map[i];
          return;
        }
        values[map[i]] = v;
        seen[map[i]] = 1;
      });
      if (two != StringInterner::kNone) {
        return InvalidInput(
            fmt::format("{}: {} id {} has two values in the parts; split it "
                        "again with valuepact partition",
                        name, kIdNames[s], two));
      }
    }
    if (std::find(seen.begin(), seen.end(), 0) != seen.end() ||
        !IdTable(*out, s).InternAllDistinct(values, s != kClaim)) {  // as a cache's (ReadCache)
      return InvalidInput(fmt::format(
          "{}: the parts do not hold every one of the {} once; split it again with valuepact "
          "partition",
          name, kIdNames[s]));
    }
  }
  return Status::Ok();
}

// Each row of the whole table in exactly one part.
Status CheckRowsCovered(const std::vector<Part>& parts, size_t t, const std::string& name) {
  std::vector<uint8_t> seen(RowTotal(parts[0].info, t), 0);
  for (const Part& p : parts) {
    for (uint32_t g : RowMap(p.maps, t)) {
      if (seen[g] != 0) {
        return InvalidInput(
            fmt::format("{}: {} row {} is in two parts; split it again with "
                        "valuepact partition",
                        name, kTableNames[t], g));
      }
      seen[g] = 1;
    }
  }
  if (std::find(seen.begin(), seen.end(), 0) != seen.end()) {
    return InvalidInput(fmt::format(
        "{}: the parts do not hold every {} row once; split it again with valuepact partition",
        name, kTableNames[t]));
  }
  return Status::Ok();
}

IdMaps ToWhole(const PartMaps& m) { return {&m.members, &m.claim_ids, &m.codes}; }

// Column by column, each part's rows into their places; a part's column is freed once moved.
Status JoinRows(std::vector<Part>* parts, size_t t, const std::string& name, Dataset* out) {
  if (Status s = CheckRowsCovered(*parts, t, name); !s.ok()) return s;
  const uint64_t total = RowTotal((*parts)[0].info, t);
  const auto dst = RowTableSlots(*out, t);
  std::vector<std::vector<Slot>> src;
  for (Part& p : *parts) src.push_back(RowTableSlots(p.dataset, t));
  for (size_t c = 0; c < dst.size(); ++c) {
    bool kept = false;  // a column a run may leave empty (the diagnosis summary)
    for (size_t k = 0; k < parts->size(); ++k) {
      kept = kept || src[k][c].size(src[k][c].column) > 0;
    }
    dst[c].resize(dst[c].column, kept ? total : 0);
    for (size_t k = 0; k < parts->size(); ++k) {
      const auto& rows = RowMap((*parts)[k].maps, t);
      if (src[k][c].size(src[k][c].column) != (kept ? rows.size() : 0)) {
        return Corrupt(name, k, parts->size(),
                       fmt::format("column {} does not fit its rows", dst[c].name));
      }
      if (kept) {
        MoveRows(src[k][c], dst[c], rows.size(), nullptr, rows.data(), ToWhole((*parts)[k].maps));
      }
      src[k][c].release(src[k][c].column);
    }
  }
  return Status::Ok();
}

Status JoinRagged(std::vector<Part>* parts, const std::string& name, MedicalClaimTable* out) {
  if (!out->diagnoses_kept()) return Status::Ok();  // {0} and empty, as constructed
  for (const bool dx : {true, false}) {
    std::vector<uint32_t>& off = dx ? out->dx_offset : out->px_offset;
    std::vector<uint32_t>& codes = dx ? out->dx_code : out->px_code;
    off.assign(out->size() + 1, 0);
    for (const Part& p : *parts) {
      const auto& m = p.dataset.medical;
      const auto& src = dx ? m.dx_offset : m.px_offset;
      if (src.size() != p.maps.medical.size() + 1) {
        return Corrupt(name, p.info.index, parts->size(), "medical lines without their codes");
      }
      for (size_t i = 0; i < p.maps.medical.size(); ++i) {
        off[p.maps.medical[i] + 1] = src[i + 1] - src[i];
      }
    }
    uint64_t sum = 0;
    for (size_t r = 1; r < off.size(); ++r) {
      sum += off[r];
      if (sum > UINT32_MAX) return InvalidInput(name + ": too many codes");
      off[r] = static_cast<uint32_t>(sum);
    }
    codes.resize(sum);
    for (Part& p : *parts) {
      auto& m = p.dataset.medical;
      MoveRagged(dx ? m.dx_offset : m.px_offset, dx ? m.dx_code : m.px_code, p.maps.medical.size(),
                 nullptr, p.maps.medical.data(), off, &codes, ToWhole(p.maps));
    }
  }
  return Status::Ok();
}

// --- Parts whose claim lines stay on their ranks --------------------------------------------

// A copy of an id table, stored without an index (as a part's are).
StringInterner CopyIds(const StringInterner& from) {
  std::vector<std::string_view> values(from.size());
  from.ForEach(0, from.size(), [&values](uint32_t i, std::string_view v) { values[i] = v; });
  StringInterner out;
  out.InternAllDistinct(values, false);
  return out;
}

// What rank 0 joins of a part whose claim lines stay on its rank: the part without its medical
// and pharmacy lines (and without its claim ids, unless `keep_claim_ids`: the claim versions
// name them), as a part of a split whose whole has no lines. `full` keeps its lines, its id
// tables and its eligibility, unless `spent` (nothing reads `full` afterwards: everything moves
// out of it); what only part 0 holds moves out of it either way.
Part WithoutLines(Part* full, bool keep_claim_ids, bool spent) {
  Part p;
  Dataset& d = p.dataset;
  Dataset& f = full->dataset;
  if (spent) {
    d.members = std::move(f.members);
    d.codes = std::move(f.codes);
    if (keep_claim_ids) d.claim_ids = std::move(f.claim_ids);
    d.sources = std::move(f.sources);
    d.eligibility = std::move(f.eligibility);
  } else {
    d.members = CopyIds(f.members);
    d.codes = CopyIds(f.codes);
    if (keep_claim_ids) d.claim_ids = CopyIds(f.claim_ids);
    d.sources = f.sources;
    d.eligibility = f.eligibility;
  }
  d.demographics = std::move(f.demographics);
  d.deliveries = std::move(f.deliveries);
  d.claim_versions = std::move(f.claim_versions);
  d.member_id_changes = std::move(f.member_id_changes);
  p.program = std::move(full->program);
  p.report = std::move(full->report);
  p.info = full->info;
  p.info.medical = p.info.pharmacy = 0;
  if (!keep_claim_ids) p.info.claim_ids = 0;
  p.maps.members = full->maps.members;
  p.maps.codes = full->maps.codes;
  p.maps.eligibility = full->maps.eligibility;
  if (keep_claim_ids) p.maps.claim_ids = full->maps.claim_ids;
  return p;
}

// --- Files --------------------------------------------------------------------------------------

// The parts' files in a folder: index → count for each part-K-of-N.vpd.
std::multimap<uint32_t, uint32_t> ListPartFiles(const std::string& dir) {
  std::multimap<uint32_t, uint32_t> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    uint32_t k = 0, c = 0;
    const char* p = n.data();
    const char* e = n.data() + n.size();
    if (n.rfind("part-", 0) != 0) continue;
    auto r1 = std::from_chars(p + 5, e, k);
    if (r1.ec != std::errc() || std::string_view(r1.ptr, e - r1.ptr).rfind("-of-", 0) != 0) {
      continue;
    }
    auto r2 = std::from_chars(r1.ptr + 4, e, c);
    if (r2.ec != std::errc() || std::string_view(r2.ptr, e - r2.ptr) != ".vpd") continue;
    if (PartFileName(k, c) == n) out.emplace(k, c);
  }
  return out;
}

// How many parts the folder's split has (every part file must say the same).
Result<uint32_t> PartCount(const std::string& dir) {
  std::set<uint32_t> counts;
  for (const auto& [k, c] : ListPartFiles(dir)) counts.insert(c);
  if (counts.empty()) return NotFound(fmt::format("{}: no part-K-of-N.vpd file", dir));
  if (counts.size() > 1) {
    return InvalidInput(
        fmt::format("{}: holds parts of splits into {} and {}; keep one split's parts in a folder",
                    dir, *counts.begin(), *counts.rbegin()));
  }
  return *counts.begin();
}

std::string PartPath(const std::string& dir, uint32_t k, uint32_t n) {
  return (fs::path(dir) / PartFileName(k, n)).string();
}

// The part read is part `k` of `n`; it keeps its place and `origin` the part's origin.
Status CheckPartPlace(CacheOrigin* o, const std::string& name, uint32_t k, uint32_t n, Part* part,
                      CacheOrigin* origin) {
  if (o->part.count != n || o->part.index != k) {
    return InvalidInput(fmt::format("{}: holds part-{}-of-{}, not part-{}-of-{}", name,
                                    o->part.index, o->part.count, k, n));
  }
  part->info = o->part;
  *origin = std::move(*o);
  return Status::Ok();
}

// The part `k` of `n` a rank sent; its bytes are freed once they are read.
Status ReadSentPart(std::string* bytes, const std::string& name, uint32_t k, uint32_t n, Part* part,
                    CacheOrigin* origin) {
  auto o = ReadCache(
      *bytes, name, &part->dataset, &part->program, &part->report, true,
      [bytes] { std::string().swap(*bytes); }, &part->maps);
  if (!o.ok()) return o.status();
  return CheckPartPlace(&*o, name, k, n, part, origin);
}

// A folder of `parts` parts given to a run of `ranks` ranks.
Status WrongRankCount(const std::string& dir, uint32_t parts, int ranks) {
  return InvalidInput(
      fmt::format("{}: holds a split into {} parts; run it with mpirun -np {} (this run has {} "
                  "{})",
                  dir, parts, parts, ranks, ranks == 1 ? "rank" : "ranks"));
}

// A part file this process reads itself (in a distributed run, rank k's own part k); `apart`:
// with its claim lines apart (LinesApart).
Status ReadPartFile(const std::string& dir, uint32_t k, uint32_t n, bool distributed, Part* part,
                    CacheOrigin* origin, const LinesApart* apart = nullptr) {
  const std::string path = PartPath(dir, k, n);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (distributed) {
      return NotFound(fmt::format("{}: {} is missing on rank {}", dir, PartFileName(k, n), k));
    }
    return NotFound(fmt::format(
        "{}: {} is missing: one process reads every part of a split into {} (with mpirun -np {} "
        "… --distributed each rank reads only its own)",
        dir, PartFileName(k, n), n, n));
  }
  auto o =
      ReadCacheFile(path, path, &part->dataset, &part->program, &part->report, &part->maps, apart);
  if (!o.ok()) return o.status();
  return CheckPartPlace(&*o, path, k, n, part, origin);
}

// The own part of a rank whose claim lines stay with it: `lines` gets the part (with
// `line_columns` of its lines only, when it stores its tally) and the part returned is the same
// without lines, to send to rank 0 (without its claim ids unless `keep` says, once the part is
// read, that rank 0 needs them). `claim_ids`: the claim ids are read even with the lines apart
// (a rank other than 0 knows before it reads that rank 0 needs them; rank 0 needs them when
// its part's claim versions name them, and then they are read).
Result<Part> ReadOwnPart(const std::string& dir, uint32_t k, uint32_t n,
                         const std::vector<std::string>& line_columns, bool claim_ids, Part* lines,
                         CacheOrigin* origin,
                         const std::function<Result<bool>(const Part&)>& keep) {
  Part read;
  const LinesApart apart{line_columns, lines, claim_ids};
  if (Status s =
          ReadPartFile(dir, k, n, true, &read, origin, line_columns.empty() ? nullptr : &apart);
      !s.ok()) {
    return s;
  }
  auto keep_claim_ids = keep(read);
  if (!keep_claim_ids.ok()) return keep_claim_ids.status();
  if (!lines->tally) {  // read whole: the lines are the part's
    *lines = std::move(read);
    return WithoutLines(lines, *keep_claim_ids, false);
  }
  // Read apart: `lines` has its columns and tally; the rest of what was read goes to rank 0.
  lines->info = read.info;
  lines->maps = read.maps;
  return WithoutLines(&read, *keep_claim_ids, true);
}

// A folder the parts may be written into: absent, empty, or holding only part files (removed).
Status PrepareFolder(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return IoError(fmt::format("{}: cannot create the folder: {}", dir, ec.message()));
    return Status::Ok();
  }
  if (!fs::is_directory(dir, ec)) return InvalidInput(fmt::format("--out {}: not a folder", dir));
  const auto parts = ListPartFiles(dir);
  std::vector<fs::path> old;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    const bool part = std::any_of(parts.begin(), parts.end(), [&](const auto& kc) {
      return PartFileName(kc.first, kc.second) == n;
    });
    if (!part) {
      return InvalidInput(fmt::format(
          "--out {}: holds {}, which is not a part; give an empty or new folder", dir, n));
    }
    old.push_back(it->path());
  }
  for (const auto& p : old) fs::remove(p, ec);
  return Status::Ok();
}

// The same for every part of one split: what the parts came from and how they were cut.
std::string SetId(const CacheOrigin& o, const PartInfo& i) {
  std::string text = fmt::format("valuepact-parts\n{} {} {} {} {} {} {}\n{} {} {}\n", i.count,
                                 i.members, i.claim_ids, i.codes, i.eligibility, i.medical,
                                 i.pharmacy, o.engine_version, o.data_dir_absolute, o.format);
  for (const auto& [path, sum] : o.sha256) text += fmt::format("{} {}\n", path, sum);
  for (const auto& f : o.listing) text += fmt::format("{} {} {}\n", f.path, f.bytes, f.modified_ns);
  return Sha256Hex(text).substr(0, 32);
}

}  // namespace

uint32_t PartOfMember(std::string_view member_id, uint32_t count) {
  uint64_t h = 14695981039346656037ull;
  for (const char c : member_id) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return static_cast<uint32_t>(h % count);
}

std::string PartFileName(uint32_t index, uint32_t count) {
  return fmt::format("part-{}-of-{}.vpd", index, count);
}

bool IsPartitionFolder(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) && !ListPartFiles(path).empty();
}

bool IsCachePath(const std::string& path) { return IsCacheFile(path) || IsPartitionFolder(path); }

std::vector<Part> SplitDataset(const Dataset& dataset, const ProgramData& program,
                               const IngestReport& report, uint32_t count) {
  SplitPlan plan = PlanSplit(dataset, program, count);
  std::vector<Part> parts;
  for (uint32_t k = 0; k < count; ++k) {
    parts.push_back(SplitOne(dataset, program, report, &plan, k));
  }
  return parts;
}

Status JoinParts(std::vector<Part>* parts, const std::string& name, Dataset* dataset,
                 ProgramData* program, IngestReport* report) {
  if (parts->empty()) return InvalidInput(name + ": no parts");
  if (Status s = CheckParts(*parts, name); !s.ok()) return s;
  if (Status s = JoinIds(*parts, name, dataset); !s.ok()) return s;
  // The whole dataset's id tables hold their own copies: the parts' are not read again.
  for (Part& p : *parts) {
    for (size_t s = 0; s < kIdTables; ++s) IdTable(p.dataset, s) = StringInterner();
  }
  for (size_t t = 0; t < kRowTables; ++t) {
    if (Status s = JoinRows(parts, t, name, dataset); !s.ok()) return s;
  }
  if (Status s = JoinRagged(parts, name, &dataset->medical); !s.ok()) return s;
  Part& first = (*parts)[0];
  dataset->sources = std::move(first.dataset.sources);
  dataset->demographics = std::move(first.dataset.demographics);
  dataset->deliveries = std::move(first.dataset.deliveries);
  dataset->claim_versions = std::move(first.dataset.claim_versions);
  dataset->member_id_changes = std::move(first.dataset.member_id_changes);
  program->referrals = std::move(first.program.referrals);
  program->enrollments = std::move(first.program.enrollments);
  program->visits = std::move(first.program.visits);
  program->bookings = std::move(first.program.bookings);
  program->events = std::move(first.program.events);
  program->text = std::move(first.program.text);
  MapInPlace(WholeTableSlots(*dataset, *program), ToWhole(first.maps));
  *report = std::move(first.report);
  parts->clear();
  return Status::Ok();
}

Result<std::vector<PartSummary>> WritePartitions(const std::string& dir, uint32_t count,
                                                 const Dataset& dataset, const ProgramData& program,
                                                 const IngestReport& report,
                                                 const CacheOrigin& origin, int level) {
  if (count == 0) return InvalidInput("--ranks: at least 1");
  if (Status s = PrepareFolder(dir); !s.ok()) return s;
  SplitPlan plan = PlanSplit(dataset, program, count);
  const std::vector<uint32_t> shared = SharedClaimsOf(dataset, plan);
  std::vector<PartSummary> out;
  Progress progress("writing parts", count, "parts");
  for (uint32_t k = 0; k < count; ++k) {
    Part part = SplitOne(dataset, program, report, &plan, k);
    CacheOrigin o = origin;
    o.part = part.info;
    o.part.set = SetId(origin, part.info);
    PartSummary sum;
    sum.path = PartPath(dir, k, count);
    std::vector<uint8_t> seen(dataset.member_count(), 0);
    for (size_t t = 0; t < kRowTables; ++t) {
      for (uint32_t r : RowMap(part.maps, t)) seen[MemberColumn(dataset, t)[r]] = 1;
    }
    sum.members = static_cast<uint64_t>(std::count(seen.begin(), seen.end(), 1));
    sum.eligibility = part.maps.eligibility.size();
    sum.medical = part.maps.medical.size();
    sum.pharmacy = part.maps.pharmacy.size();
    // The part's share of the scorecard's claim-line figures, as a rank would tally it.
    const quality::LinePlace place{&part.maps.medical, &part.maps.pharmacy, &part.maps.claim_ids,
                                   &shared};
    const quality::ClaimLineTally tally = quality::TallyClaimLines(part.dataset, place);
    if (Status s = WriteCache(sum.path, part.dataset, part.program, part.report, o, level,
                              &sum.stats, &part.maps, &tally);
        !s.ok()) {
      return s;
    }
    out.push_back(std::move(sum));
    progress.Add(1);
  }
  progress.Done();
  return out;
}

Result<CacheOrigin> ReadPartitionFolder(const std::string& dir, Dataset* dataset,
                                        ProgramData* program, IngestReport* report,
                                        uint32_t* count_out, Part* lines,
                                        const std::vector<std::string>& line_columns) {
  auto count = PartCount(dir);
  if (!count.ok()) return count.status();
  const uint32_t n = *count;
  if (count_out != nullptr) *count_out = n;
  Distribution* dist = CurrentDistribution();
  if (dist != nullptr && static_cast<uint32_t>(dist->size()) != n) {
    return WrongRankCount(dir, n, dist->size());
  }
  std::vector<Part> parts(n);
  std::vector<std::string> sent;  // the other ranks' parts, in a distributed run
  CacheOrigin origin;
  uint32_t first = 0;  // the first part still to read
  if (dist != nullptr && lines != nullptr) {
    // Part 0 first: whether the claim ids go to rank 0 depends on what it holds.
    auto own = ReadOwnPart(dir, 0, n, line_columns, false, lines, &origin,
                           [dist](const Part& p) -> Result<bool> {
                             const bool keep = p.dataset.claim_versions.size() > 0;
                             auto b = dist->BroadcastFromRoot(keep ? "1" : "0");
                             if (!b.ok()) return b.status();
                             return keep;
                           });
    if (!own.ok()) return own.status();
    parts[0] = std::move(*own);
    first = 1;
  }
  if (dist != nullptr) {
    auto got = dist->GatherToRoot({});
    if (!got.ok()) return got.status();
    sent = std::move(*got);
  }
  for (uint32_t k = first; k < n; ++k) {
    CacheOrigin o;
    const Status read =
        dist != nullptr && k > 0
            ? ReadSentPart(&sent[k], PartPath(dir, k, n) + fmt::format(" (from rank {})", k), k, n,
                           &parts[k], &o)
            : ReadPartFile(dir, k, n, dist != nullptr, &parts[k], &o);
    if (!read.ok()) return read;
    if (k == 0) origin = std::move(o);
  }
  if (Status s = JoinParts(&parts, dir, dataset, program, report); !s.ok()) return s;
  origin.part = PartInfo{};
  return origin;
}

namespace {

// SendPartToRoot keeping the claim lines: the part is read here, and sent without them.
Status SendPartWithoutLines(Distribution* dist, const std::string& dir, Part* lines,
                            const std::vector<std::string>& line_columns) {
  const auto k = static_cast<uint32_t>(dist->rank()), n = static_cast<uint32_t>(dist->size());
  // The check rank 0 makes before it sends anything: this rank says so too, not only that rank
  // 0 stopped.
  auto count = PartCount(dir);
  if (!count.ok()) return count.status();
  if (*count != n) return WrongRankCount(dir, *count, static_cast<int>(n));
  auto keep = dist->BroadcastFromRoot({});
  if (!keep.ok()) return keep.status();
  CacheOrigin origin;
  const bool keep_claim_ids = *keep == "1";
  auto own = ReadOwnPart(dir, k, n, line_columns, keep_claim_ids, lines, &origin,
                         [keep_claim_ids](const Part&) -> Result<bool> { return keep_claim_ids; });
  if (!own.ok()) return own.status();
  Part part = std::move(*own);
  origin.part = part.info;
  auto bytes = EncodeCache(part.dataset, part.program, part.report, origin, 1, nullptr, &part.maps);
  if (!bytes.ok()) return bytes.status();
  auto sent = dist->GatherToRoot(*bytes);
  return sent.ok() ? Status::Ok() : sent.status();
}

}  // namespace

Status SendPartToRoot(const std::string& dir, Part* lines,
                      const std::vector<std::string>& line_columns) {
  Distribution* dist = CurrentDistribution();
  if (dist == nullptr) {
    return Status(StatusCode::kInternal, "SendPartToRoot outside a distributed run");
  }
  if (lines != nullptr) return SendPartWithoutLines(dist, dir, lines, line_columns);
  const auto k = static_cast<uint32_t>(dist->rank()), n = static_cast<uint32_t>(dist->size());
  const std::string path = PartPath(dir, k, n);
  auto bytes = ReadFileStable(path, kNoSizeCap);
  if (!bytes.ok()) {
    auto count = PartCount(dir);
    if (count.ok() && *count != n) return WrongRankCount(dir, *count, static_cast<int>(n));
    return bytes.status();
  }
  auto header = ReadCacheHeader(bytes->data(), path);
  if (!header.ok()) return header.status();
  if (header->part.count != n || header->part.index != k) {
    return InvalidInput(fmt::format("{}: holds part-{}-of-{}, not part-{}-of-{}", path,
                                    header->part.index, header->part.count, k, n));
  }
  auto sent = dist->GatherToRoot(bytes->data());
  return sent.ok() ? Status::Ok() : sent.status();
}

}  // namespace valuepact::cache
