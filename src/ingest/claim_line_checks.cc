#include "valuepact/ingest/claim_line_checks.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace valuepact {
namespace {

// The columns of a claim-line table the checks read.
struct LineColumns {
  const char* table;
  const std::vector<uint32_t>& claim;
  const std::vector<int32_t>& line_number;
  const MoneyColumn& paid;
  const MoneyColumn& allowed;
  const std::vector<SourceRef>& source;
};

enum Verdict : uint8_t { kKeep = 0, kImplausible, kDuplicate };

bool Implausible(Money m, Money max) { return m > max || m < -max; }

// For each row of [first, size): kKeep, kImplausible or kDuplicate, and for a duplicate the
// row it repeats.
struct Verdicts {
  std::vector<uint8_t> verdict;
  std::vector<SourceRef> first_source;  // for kDuplicate: where the line it repeats was read
  size_t rejected = 0;
};

Verdicts Judge(const LineColumns& c, size_t first, Money max, uint32_t claim_count) {
  const size_t n = c.claim.size();
  Verdicts v;
  v.verdict.assign(n - first, kKeep);
  v.first_source.assign(n - first, SourceRef{});
  for (size_t i = first; i < n; ++i) {
    if (Implausible(c.paid[i], max) || Implausible(c.allowed[i], max)) {
      v.verdict[i - first] = kImplausible;
      ++v.rejected;
    }
  }
  // Duplicates: only claims with a new accepted line can hold one. Their rows (earlier and
  // new) are grouped by claim with a stable counting sort, so each group lists rows in table
  // order and the first row of a (claim, line) pair is the one kept.
  std::vector<uint8_t> touched(claim_count, 0);
  bool any = false;
  for (size_t i = first; i < n; ++i) {
    if (v.verdict[i - first] == kKeep && c.claim[i] < claim_count) {
      touched[c.claim[i]] = 1;
      any = true;
    }
  }
  if (!any) {
    return v;
  }
  auto candidate = [&](size_t i) {
    return c.claim[i] < claim_count && touched[c.claim[i]] &&
           (i < first || v.verdict[i - first] == kKeep);
  };
  std::vector<uint32_t> offset(static_cast<size_t>(claim_count) + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    if (candidate(i)) {
      ++offset[c.claim[i] + 1];
    }
  }
  for (size_t k = 1; k < offset.size(); ++k) {
    offset[k] += offset[k - 1];
  }
  std::vector<uint32_t> rows(offset.back());
  {
    std::vector<uint32_t> cursor(offset.begin(), offset.end() - 1);
    for (size_t i = 0; i < n; ++i) {
      if (candidate(i)) {
        rows[cursor[c.claim[i]]++] = static_cast<uint32_t>(i);
      }
    }
  }
  std::vector<std::pair<int32_t, uint32_t>> by_line;
  for (uint32_t claim = 0; claim < claim_count; ++claim) {
    const uint32_t b = offset[claim], e = offset[claim + 1];
    if (e - b < 2) {
      continue;
    }
    // Lines numbered in increasing order (the usual layout) cannot repeat a number.
    bool increasing = true;
    for (uint32_t k = b + 1; k < e && increasing; ++k) {
      increasing = c.line_number[rows[k - 1]] < c.line_number[rows[k]];
    }
    if (increasing) {
      continue;
    }
    // Pairs (line number, row) sorted: within a line number the earliest row comes first.
    by_line.clear();
    for (uint32_t k = b; k < e; ++k) {
      by_line.emplace_back(c.line_number[rows[k]], rows[k]);
    }
    std::sort(by_line.begin(), by_line.end());
    for (size_t k = 1; k < by_line.size(); ++k) {
      if (by_line[k].first != by_line[k - 1].first) {
        continue;
      }
      const uint32_t row = by_line[k].second;
      // Rows before `first` were accepted by an earlier check and stay.
      if (row < first) {
        continue;
      }
      size_t j = k;
      while (j > 0 && by_line[j - 1].first == by_line[k].first) {
        --j;
      }
      v.verdict[row - first] = kDuplicate;
      v.first_source[row - first] = c.source[by_line[j].second];
      ++v.rejected;
    }
  }
  return v;
}

// Where the rows a check reads were read: each file's path, and its count of rejected rows.
struct RejectPlaces {
  std::function<std::string(uint32_t file)> path;
  std::function<void(uint32_t file)> count_rejected;
};

// Records every row of [first, size) whose verdict is not kKeep.
void Record(const LineColumns& c, const Verdicts& v, size_t first, Money max,
            const ClaimLineFieldNames& names, const StringInterner& claim_ids,
            const RejectPlaces& places, IngestReport* report) {
  for (size_t i = first; i < c.claim.size(); ++i) {
    const uint8_t verdict = v.verdict[i - first];
    if (verdict == kKeep) {
      continue;
    }
    const SourceRef s = c.source[i];
    if (verdict == kImplausible) {
      const bool paid = Implausible(c.paid[i], max);
      report->AddReject(places.path(s.file), s.line, paid ? names.paid : names.allowed,
                        (paid ? c.paid[i] : c.allowed[i]).ToString(),
                        std::string(kRejectImplausibleAmount));
      ++report->counters[fmt::format("{}.{}", c.table, kRejectImplausibleAmount)];
    } else {
      const SourceRef f = v.first_source[i - first];
      report->AddReject(places.path(s.file), s.line, names.line_number,
                        fmt::format("claim {} line {} (first at {}:{})", claim_ids.Get(c.claim[i]),
                                    c.line_number[i], places.path(f.file), f.line),
                        std::string(kRejectDuplicateKey));
      ++report->counters[fmt::format("{}.{}", c.table, kRejectDuplicateKey)];
    }
    Reject& r = report->rejects.back();
    r.paid = c.paid[i];
    r.allowed = c.allowed[i];
    places.count_rejected(s.file);
  }
}

// The files of `ds` (CheckNewClaimLines: every row's file is among them).
RejectPlaces PlacesOf(Dataset* ds, const char* table, IngestReport* report) {
  return {[ds](uint32_t file) { return file < ds->sources.size() ? ds->sources[file].path : ""; },
          [ds, table, report](uint32_t file) {
            if (file < ds->sources.size()) ++ds->sources[file].rows_rejected;
            ++report->counters[fmt::format("{}.rows_rejected", table)];
          }};
}

// Removes rows [first, size) whose verdict is not kKeep from one column.
template <typename T>
void Compact(std::vector<T>* col, const Verdicts& v, size_t first) {
  if (col->size() <= first) {
    return;  // a column not filled yet (service categories)
  }
  size_t out = first;
  for (size_t i = first; i < col->size(); ++i) {
    if (v.verdict[i - first] == kKeep) {
      (*col)[out++] = std::move((*col)[i]);
    }
  }
  col->resize(out);
}

void Compact(MoneyColumn* col, const Verdicts& v, size_t first) {
  if (col->size() <= first) return;
  col->KeepIf(first, [&](size_t row) { return v.verdict[row - first] == kKeep; });
}

// Compressed rows (diagnoses, procedures): offsets has one entry per row plus one.
void CompactCodes(std::vector<uint32_t>* offset, std::vector<uint32_t>* codes, const Verdicts& v,
                  size_t first) {
  const size_t rows = offset->size() - 1;
  size_t out_row = first;
  uint32_t out_code = (*offset)[first];
  for (size_t i = first; i < rows; ++i) {
    const uint32_t b = (*offset)[i], e = (*offset)[i + 1];
    if (v.verdict[i - first] != kKeep) {
      continue;
    }
    for (uint32_t k = b; k < e; ++k) {
      (*codes)[out_code++] = (*codes)[k];
    }
    (*offset)[++out_row] = out_code;
  }
  offset->resize(out_row + 1);
  codes->resize(out_code);
}

// Every column of the tables is compacted below; a new column must be added there too.
static_assert(sizeof(MedicalClaimTable) ==
                  32 * sizeof(std::vector<uint32_t>) + 3 * sizeof(MoneyColumn),
              "a MedicalClaimTable column was added or removed: update CompactMedical");
static_assert(sizeof(PharmacyClaimTable) ==
                  9 * sizeof(std::vector<uint32_t>) + 2 * sizeof(MoneyColumn),
              "a PharmacyClaimTable column was added or removed: update CompactPharmacy");

void CompactMedical(MedicalClaimTable* t, const Verdicts& v, size_t first) {
  Compact(&t->claim, v, first);
  Compact(&t->line_number, v, first);
  Compact(&t->member, v, first);
  Compact(&t->claim_type, v, first);
  for (auto* col : {&t->claim_start, &t->claim_end, &t->line_start, &t->line_end, &t->admission,
                    &t->discharge, &t->paid_date}) {
    Compact(col, v, first);
  }
  for (auto* col : {&t->place_of_service, &t->bill_type, &t->drg, &t->revenue_code, &t->hcpcs,
                    &t->hcpcs_modifier_1, &t->rendering_npi, &t->billing_npi, &t->facility_npi,
                    &t->rendering_tin, &t->billing_tin, &t->discharge_disposition}) {
    Compact(col, v, first);
  }
  for (auto* col : {&t->paid, &t->allowed, &t->charge}) {
    Compact(col, v, first);
  }
  Compact(&t->category, v, first);
  if (t->diagnoses_kept()) {
    CompactCodes(&t->dx_offset, &t->dx_code, v, first);
    CompactCodes(&t->px_offset, &t->px_code, v, first);
  } else {
    Compact(&t->dx_first, v, first);
    Compact(&t->dx_listed, v, first);
    Compact(&t->dx_misshapen, v, first);
  }
  Compact(&t->source, v, first);
}

void CompactPharmacy(PharmacyClaimTable* t, const Verdicts& v, size_t first) {
  Compact(&t->claim, v, first);
  Compact(&t->line_number, v, first);
  Compact(&t->member, v, first);
  Compact(&t->dispensing_date, v, first);
  Compact(&t->paid_date, v, first);
  for (auto* col : {&t->ndc, &t->prescribing_npi, &t->dispensing_npi}) {
    Compact(col, v, first);
  }
  Compact(&t->paid, v, first);
  Compact(&t->allowed, v, first);
  Compact(&t->source, v, first);
}

}  // namespace

void CheckNewClaimLines(Dataset* ds, size_t first_medical, size_t first_pharmacy,
                        Money max_line_amount, const ClaimLineFieldNames& names,
                        IngestReport* report) {
  const uint32_t claims = ds->claim_ids.size();
  if (first_medical < ds->medical.size()) {
    auto& t = ds->medical;
    const LineColumns c{"medical_claim", t.claim, t.line_number, t.paid, t.allowed, t.source};
    const Verdicts v = Judge(c, first_medical, max_line_amount, claims);
    if (v.rejected > 0) {
      Record(c, v, first_medical, max_line_amount, names, ds->claim_ids,
             PlacesOf(ds, c.table, report), report);
      CompactMedical(&t, v, first_medical);
    }
  }
  if (first_pharmacy < ds->pharmacy.size()) {
    auto& t = ds->pharmacy;
    const LineColumns c{"pharmacy_claim", t.claim, t.line_number, t.paid, t.allowed, t.source};
    const Verdicts v = Judge(c, first_pharmacy, max_line_amount, claims);
    if (v.rejected > 0) {
      Record(c, v, first_pharmacy, max_line_amount, names, ds->claim_ids,
             PlacesOf(ds, c.table, report), report);
      CompactPharmacy(&t, v, first_pharmacy);
    }
  }
}

}  // namespace valuepact

namespace valuepact {

void SourceRuns::Append(const std::vector<SourceRef>& rows) {
  for (const SourceRef& s : rows) {
    const bool follows =
        !runs_.empty() && runs_.back().first.file == s.file &&
        uint64_t{runs_.back().first.line} + (rows_ - runs_.back().first_row) == uint64_t{s.line};
    if (!follows) runs_.push_back({rows_, s});
    ++rows_;
  }
}

SourceRef SourceRuns::At(size_t row) const {
  // The last run starting at or before `row`.
  const auto after = std::upper_bound(runs_.begin(), runs_.end(), row,
                                      [](size_t r, const Run& run) { return r < run.first_row; });
  const Run& run = *std::prev(after);
  return {run.first.file, static_cast<uint32_t>(run.first.line + (row - run.first_row))};
}

namespace {
// A claim key's first byte: how its claim is given (the top two bits) and its line number (the
// low six, or kLineFollows).
constexpr uint8_t kSameClaim = 0, kNextClaim = 1, kClaimFollows = 2;
constexpr uint8_t kLineFollows = 63;

void PutVarint(uint64_t v, std::vector<uint8_t>* out) {
  for (; v >= 0x80; v >>= 7) out->push_back(static_cast<uint8_t>(v | 0x80));
  out->push_back(static_cast<uint8_t>(v));
}
uint64_t GetVarint(const uint8_t** p) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t b = *(*p)++;
    v |= uint64_t{b & 0x7Fu} << shift;
    if ((b & 0x80) == 0) return v;
  }
}
// A line number as an unsigned number, small in magnitude either side of 0 (zigzag).
uint32_t Zigzag(int32_t v) {
  return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31);
}
int32_t Unzigzag(uint64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(v >> 1) ^ (0u - static_cast<uint32_t>(v & 1)));
}
}  // namespace

void ClaimKeys::Append(uint32_t claim, int32_t line) {
  const uint8_t how = rows_ > 0 && claim == last_claim_ ? kSameClaim
                      : claim == next_claim_            ? kNextClaim
                                                        : kClaimFollows;
  const bool small = line >= 0 && line < kLineFollows;
  bytes_.push_back(static_cast<uint8_t>(how << 6 | (small ? line : kLineFollows)));
  if (how == kClaimFollows) PutVarint(claim, &bytes_);
  if (!small) PutVarint(Zigzag(line), &bytes_);
  last_claim_ = claim;
  next_claim_ = std::max<uint64_t>(next_claim_, uint64_t{claim} + 1);
  ++rows_;
}

namespace {
// The key at *p, after keys whose last claim is `last` and highest claim is below `next`; *p
// moves past it, and `last` and `next` take it in.
void DecodeKey(const uint8_t** p, uint32_t* last, uint64_t* next, uint32_t* claim, int32_t* line) {
  const uint8_t first = *(*p)++;
  const auto how = static_cast<uint8_t>(first >> 6);
  *claim = how == kSameClaim   ? *last
           : how == kNextClaim ? static_cast<uint32_t>(*next)
                               : static_cast<uint32_t>(GetVarint(p));
  const uint8_t small = first & kLineFollows;
  *line = small != kLineFollows ? small : Unzigzag(GetVarint(p));
  *last = *claim;
  *next = std::max<uint64_t>(*next, uint64_t{*claim} + 1);
}
}  // namespace

template <class F>
void ClaimKeys::ForEach(const F& f) const {
  const uint8_t* p = bytes_.data();
  uint32_t last = 0;
  uint64_t next = 0;
  for (size_t row = 0; row < rows_; ++row) {
    uint32_t claim = 0;
    int32_t line = 0;
    DecodeKey(&p, &last, &next, &claim, &line);
    f(row, claim, line);
  }
}

size_t ClaimKeys::Reader::Next(uint32_t* claim, int32_t* line, size_t max) {
  const size_t n = std::min(max, keys_.rows_ - row_);
  for (size_t i = 0; i < n; ++i) DecodeKey(&p_, &last_, &next_, claim + i, line + i);
  row_ += n;
  return n;
}

int32_t FreshLineChecker::Last(uint32_t claim) const {
  const uint8_t b = last_[claim];
  return b == kWide ? wide_.at(claim) : b;
}

void FreshLineChecker::SetLast(uint32_t claim, int32_t line) {
  uint8_t& b = last_[claim];
  if (line >= 1 && line < kWide) {
    if (b == kWide) wide_.erase(claim);
    b = static_cast<uint8_t>(line);
    return;
  }
  b = kWide;
  wide_[claim] = line;
}

template <typename Table>
void FreshLineChecker::CheckLines(const char* name, const Dataset& ds, Table* fresh,
                                  const FreshFile& file, Money max,
                                  const ClaimLineFieldNames& names, IngestReport* report) {
  const LineColumns c{name,        fresh->claim,   fresh->line_number,
                      fresh->paid, fresh->allowed, fresh->source};
  const size_t n = fresh->claim.size();
  Verdicts v;
  v.verdict.assign(n, kKeep);
  v.first_source.assign(n, SourceRef{});
  if (last_.size() < ds.claim_ids.size()) {
    // Room for as many claims as the id table has room for (a reader sizes it for the whole
    // file), so that the claims' last lines are not copied each time a batch brings more.
    last_.reserve(std::max<size_t>(ds.claim_ids.values_capacity(), ds.claim_ids.size()));
    last_.resize(ds.claim_ids.size(), 0);
  }
  // A line of a claim whose numbers have risen so far is new when it is above the last; the
  // other lines wait until the claim's accepted lines are gathered (`pending`).
  std::vector<uint8_t> pending(n, 0);
  std::unordered_map<uint32_t, std::vector<std::pair<int32_t, SourceRef>>> gather;
  for (size_t i = 0; i < n; ++i) {
    if (Implausible(c.paid[i], max) || Implausible(c.allowed[i], max)) {
      v.verdict[i] = kImplausible;
      ++v.rejected;
      continue;
    }
    const uint32_t claim = c.claim[i];
    const int32_t line = c.line_number[i];
    if (exact_.count(claim) == 0 && gather.count(claim) == 0) {
      if (last_[claim] == 0 || line > Last(claim)) {
        SetLast(claim, line);
        continue;
      }
      gather[claim];  // its lines accepted so far are read below
    }
    pending[i] = 1;
  }
  if (!gather.empty()) {
    // Lines of the table first, then this batch's accepted before any pending one.
    keys_.ForEach([&](size_t r, uint32_t claim, int32_t line) {
      auto it = gather.find(claim);
      if (it != gather.end()) it->second.emplace_back(line, accepted_.At(r));
    });
    for (size_t i = 0; i < n; ++i) {
      auto it = gather.find(c.claim[i]);
      if (it != gather.end() && v.verdict[i] == kKeep && pending[i] == 0) {
        it->second.emplace_back(c.line_number[i], c.source[i]);
      }
    }
    for (auto& [claim, lines] : gather) exact_[claim] = std::move(lines);
  }
  for (size_t i = 0; i < n; ++i) {
    if (pending[i] == 0) continue;
    auto& lines = exact_[c.claim[i]];
    auto same = std::find_if(lines.begin(), lines.end(),
                             [&](const auto& l) { return l.first == c.line_number[i]; });
    if (same == lines.end()) {
      lines.emplace_back(c.line_number[i], c.source[i]);
    } else {
      v.verdict[i] = kDuplicate;
      v.first_source[i] = same->second;
      ++v.rejected;
    }
  }
  const auto accept = [&] {
    for (size_t i = 0; i < fresh->claim.size(); ++i) {
      keys_.Append(fresh->claim[i], fresh->line_number[i]);
    }
    accepted_.Append(fresh->source);
  };
  if (v.rejected == 0) {
    accept();
    return;
  }
  const RejectPlaces places{
      [&](uint32_t f) { return f == file.index ? file.path : ds.sources[f].path; },
      [&](uint32_t) { ++*file.rows_rejected; }};
  Record(c, v, 0, max, names, ds.claim_ids, places, report);
  if constexpr (std::is_same_v<Table, MedicalClaimTable>) {
    CompactMedical(fresh, v, 0);
  } else {
    CompactPharmacy(fresh, v, 0);
  }
  accept();
}

void FreshLineChecker::Check(const Dataset& ds, MedicalClaimTable* fresh, const FreshFile& file,
                             Money max, const ClaimLineFieldNames& names, IngestReport* report) {
  CheckLines("medical_claim", ds, fresh, file, max, names, report);
}

void FreshLineChecker::Check(const Dataset& ds, PharmacyClaimTable* fresh, const FreshFile& file,
                             Money max, const ClaimLineFieldNames& names, IngestReport* report) {
  CheckLines("pharmacy_claim", ds, fresh, file, max, names, report);
}

}  // namespace valuepact
