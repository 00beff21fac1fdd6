// The claim lines' share of the data-quality scorecard, part by part (quality/line_tally.h).
#include "valuepact/ingest/quality/line_tally.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>
#include <tbb/parallel_invoke.h>
#include <tbb/parallel_sort.h>

#include "scorecard_parts.h"
#include "valuepact/core/csv.h"
#include "valuepact/core/wire.h"
#include "valuepact/ingest/quality/quality.h"

namespace valuepact::quality {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsNdc(std::string_view v) {
  return v.size() == 11 && std::all_of(v.begin(), v.end(), IsDigit);
}

const MedicalClaimTable kNoMedicalLines;
const PharmacyClaimTable kNoPharmacyLines;

// The lines tallied — a part's, or a reader's batch — with the id tables and eligibility they
// are read against, where their rows sit in the whole, and which of their claim ids are shared.
class PartView {
 public:
  PartView(const Dataset& d, const LinePlace& place)
      : ids_(d), medical_(d.medical), pharmacy_(d.pharmacy), place_(place) {
    const auto* shared = place.shared_claims;
    if (shared == nullptr || shared->empty()) return;
    shared_.assign(d.claim_ids.size(), 0);
    for (uint32_t c = 0; c < shared_.size(); ++c) {
      shared_[c] = std::binary_search(shared->begin(), shared->end(), WholeClaim(c)) ? 1 : 0;
    }
  }
  // A batch of the whole's lines with ids of `ids`, its first rows at whole rows `*_first`.
  PartView(const Dataset& ids, const MedicalClaimTable& medical, const PharmacyClaimTable& pharmacy,
           uint64_t medical_first, uint64_t pharmacy_first)
      : ids_(ids),
        medical_(medical),
        pharmacy_(pharmacy),
        medical_first_(medical_first),
        pharmacy_first_(pharmacy_first) {}
  const Dataset& ids() const { return ids_; }
  const MedicalClaimTable& medical() const { return medical_; }
  const PharmacyClaimTable& pharmacy() const { return pharmacy_; }
  uint64_t MedicalRow(size_t i) const {
    return place_.medical_rows ? (*place_.medical_rows)[i] : medical_first_ + i;
  }
  uint64_t PharmacyRow(size_t i) const {
    return place_.pharmacy_rows ? (*place_.pharmacy_rows)[i] : pharmacy_first_ + i;
  }
  uint32_t WholeClaim(uint32_t c) const { return place_.claim_ids ? (*place_.claim_ids)[c] : c; }
  bool Shared(uint32_t c) const { return c < shared_.size() && shared_[c] != 0; }

 private:
  const Dataset& ids_;
  const MedicalClaimTable& medical_;
  const PharmacyClaimTable& pharmacy_;
  LinePlace place_;
  uint64_t medical_first_ = 0, pharmacy_first_ = 0;
  std::vector<uint8_t> shared_;
};

// Grows a by-claim-id array to an entry for each of the view's claim ids, with room for as
// many as their table has room for (a reader sizes it for the whole file): batch after batch,
// the array is not copied each time it grows.
template <class T>
void GrowToClaims(const PartView& v, std::vector<T>* a, T fill) {
  const StringInterner& ids = v.ids().claim_ids;
  if (a->size() >= ids.size()) return;
  a->reserve(std::max<size_t>(ids.size(), ids.values_capacity()));
  a->resize(ids.size(), fill);
}

// Which claims have lines, and lines with a paid date, claim ids being dense. Bit 1: the claim
// has a line; bit 2: a line with a paid date.
void MarkClaims(const PartView& v, std::vector<uint8_t>* medical, std::vector<uint8_t>* pharmacy) {
  auto mark = [&](const std::vector<uint32_t>& claim, const std::vector<Date>& paid_date,
                  std::vector<uint8_t>* seen) {
    if (claim.empty()) return;
    GrowToClaims<uint8_t>(v, seen, 0);
    for (size_t i = 0; i < claim.size(); ++i) {
      (*seen)[claim[i]] |= paid_date[i] == kNoDate ? 1 : 3;
    }
  };
  mark(v.medical().claim, v.medical().paid_date, medical);
  mark(v.pharmacy().claim, v.pharmacy().paid_date, pharmacy);
}

// Distinct claims and those without a paid date, from MarkClaims. A shared claim's bits go to
// the merge.
void CountClaims(const PartView& v, const std::vector<uint8_t>& medical,
                 const std::vector<uint8_t>& pharmacy, ClaimLineTally* t) {
  auto count = [&](const std::vector<uint8_t>& seen, uint64_t* claims, uint64_t* without_paid_date,
                   std::vector<uint64_t>* shared) {
    for (uint32_t c = 0; c < seen.size(); ++c) {
      if (seen[c] == 0) continue;
      if (v.Shared(c)) {
        shared->push_back((uint64_t{v.WholeClaim(c)} << 8) | seen[c]);
        continue;
      }
      if (claims != nullptr) ++*claims;
      *without_paid_date += seen[c] == 1;
    }
  };
  count(medical, &t->medical_claims, &t->medical_claims_without_paid_date,
        &t->shared_medical_claims);
  count(pharmacy, nullptr, &t->pharmacy_claims_without_paid_date, &t->shared_pharmacy_claims);
}

// Talliers for `specs`, bound to the view's id tables (made on first use).
void BindTalliers(const PartView& v, size_t fields, std::vector<FieldTallier>* f) {
  if (f->empty()) f->assign(fields, FieldTallier(v.ids()));
  for (auto& x : *f) x.Rebind(v.ids());
}

// Completeness and validity of the medical claim fields (kMedicalFields, in order). Compiled as
// one loop (flatten), as the reader's row parse is.
__attribute__((flatten)) void MedicalFields(const PartView& v,
                                            std::vector<FieldTallier>* talliers) {
  const auto& m = v.medical();
  BindTalliers(v, std::size(kMedicalFields), talliers);
  auto& f = *talliers;
  for (size_t i = 0; i < m.size(); ++i) {
    const uint64_t row = v.MedicalRow(i);
    f[0].Present(m.member[i] != kNoCode);
    f[1].Date_(m.claim_start[i], row);
    f[2].Date_(m.claim_end[i], row);
    f[3].Date_(m.paid_date[i], row);
    f[4].Code(m.FirstDiagnosis(i), IsIcd10CmShaped, row);
    f[5].Code(m.rendering_npi[i], IsValidNpi, row);
    f[6].Code(m.billing_npi[i], IsValidNpi, row);
    if (m.claim_type[i] == ClaimType::kInstitutional) {
      f[9].Code(m.bill_type[i], IsBillType, row);
      f[10].Code(m.revenue_code[i], IsRevenueCode, row);
    } else {
      f[7].Code(m.hcpcs[i], IsHcpcsShaped, row);
      if (m.claim_type[i] == ClaimType::kProfessional) {
        f[8].Code(m.place_of_service[i], IsPlaceOfService, row);
      }
    }
  }
}

// Completeness and validity of the pharmacy claim fields (kPharmacyFields, in order).
__attribute__((flatten)) void PharmacyFields(const PartView& v,
                                             std::vector<FieldTallier>* talliers) {
  const auto& p = v.pharmacy();
  BindTalliers(v, std::size(kPharmacyFields), talliers);
  auto& f = *talliers;
  for (size_t i = 0; i < p.size(); ++i) {
    const uint64_t row = v.PharmacyRow(i);
    f[0].Code(p.ndc[i], IsNdc, row);
    f[1].Date_(p.dispensing_date[i], row);
    f[2].Date_(p.paid_date[i], row);
    f[3].Code(p.prescribing_npi[i], IsValidNpi, row);
  }
}

// Every diagnosis code, not only the first: from the codes, or from the lines' summary when
// the run read them without (MedicalClaimTable::dx_first).
void CountDiagnosisCodes(const PartView& v, ClaimLineTally* t) {
  const auto& m = v.medical();
  if (!m.diagnoses_kept()) {
    for (size_t i = 0; i < m.size(); ++i) {
      t->dx_codes += m.dx_listed[i];
      t->invalid_dx_codes += m.dx_misshapen[i];
    }
    return;
  }
  std::vector<char> dx_checked(v.ids().codes.size(), 0);  // 1 valid, 2 invalid
  for (uint32_t c : m.dx_code) {
    ++t->dx_codes;
    if (c >= dx_checked.size()) continue;
    if (dx_checked[c] == 0) dx_checked[c] = IsIcd10CmShaped(v.ids().codes.Get(c)) ? 1 : 2;
    t->invalid_dx_codes += dx_checked[c] == 2;
  }
}

// Medical lines' dates ordered and in range; amount signs and order.
void CheckDatesAndAmounts(const MedicalClaimTable& m, ClaimLineTally* t) {
  for (size_t i = 0; i < m.size(); ++i) {
    t->dates_out_of_order +=
        OutOfOrder(m.claim_start[i], m.claim_end[i]) + OutOfOrder(m.line_start[i], m.line_end[i]);
    for (Date x :
         {m.claim_start[i], m.claim_end[i], m.line_start[i], m.line_end[i], m.paid_date[i]}) {
      t->dates_out_of_range += !InRange(x);
    }
    if (m.paid[i] < Money()) ++t->negative_paid_lines;
    const bool has_allowed = m.allowed[i] != Money(), has_charge = m.charge[i] != Money();
    if (has_allowed && m.paid[i] > m.allowed[i]) ++t->paid_above_allowed;
    if (has_allowed && has_charge && m.allowed[i] > m.charge[i]) ++t->allowed_above_charge;
  }
}

// Lines whose (claim, line number) key an earlier line has, the lines added in row order, a
// batch at a time. Claim ids are dense: a bit per line number 0 to 15 of each claim finds
// repeats in one pass (2 bytes a claim: this runs at the end of a read, beside every claim id);
// other line numbers are sorted. A shared claim's keys go to the merge.
class KeyRepeats {
 public:
  // `claims`: above every claim id added (a medical table's ids are a part of the whole's).
  KeyRepeats(const PartView& v, size_t claims, std::vector<uint64_t>* shared)
      : v_(v), seen_(claims, 0), shared_(shared) {}

  void Add(const uint32_t* claim, const int32_t* line, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      const uint32_t c = claim[i];
      const int32_t l = line[i];
      if (v_.Shared(c)) {
        shared_->push_back((uint64_t{v_.WholeClaim(c)} << 32) | static_cast<uint32_t>(l));
      } else if (c < seen_.size() && l >= 0 && l < 16) {
        const auto bit = static_cast<uint16_t>(1u << l);
        repeats_ += (seen_[c] & bit) != 0;
        seen_[c] |= bit;
      } else {
        rest_.push_back((uint64_t{c} << 32) | static_cast<uint32_t>(l));
      }
    }
  }

  uint64_t Total() {
    std::sort(rest_.begin(), rest_.end());
    for (size_t i = 1; i < rest_.size(); ++i) repeats_ += rest_[i] == rest_[i - 1];
    return repeats_;
  }

 private:
  const PartView& v_;
  std::vector<uint16_t> seen_;
  std::vector<uint64_t> rest_;
  std::vector<uint64_t>* shared_;
  uint64_t repeats_ = 0;
};

uint64_t RepeatedKeys(const PartView& v, const std::vector<uint32_t>& claim,
                      const std::vector<int32_t>& line, std::vector<uint64_t>* shared) {
  size_t claims = 0;
  for (uint32_t c : claim) claims = std::max<size_t>(claims, size_t{c} + 1);
  KeyRepeats r(v, claims, shared);
  r.Add(claim.data(), line.data(), claim.size());
  return r.Total();
}

// The same, of the keys a reader kept instead of the columns (ClaimKeys), decoded a batch at a
// time.
uint64_t RepeatedKeys(const PartView& v, const ClaimKeys& keys, std::vector<uint64_t>* shared) {
  constexpr size_t kBatch = size_t{1} << 14;
  KeyRepeats r(v, static_cast<size_t>(keys.claim_bound()), shared);
  ClaimKeys::Reader read(keys);
  std::vector<uint32_t> claim(kBatch);
  std::vector<int32_t> line(kBatch);
  while (const size_t n = read.Next(claim.data(), line.data(), kBatch)) {
    r.Add(claim.data(), line.data(), n);
  }
  return r.Total();
}

// Each member's enrollment spans as month indices: a span covers a day of a month exactly when
// the month lies between the span's first and last months. Members interned after the spans
// were made (claims of persons without eligibility) get none.
using MonthSpans = std::vector<std::vector<std::pair<int32_t, int32_t>>>;
void MakeSpans(const Dataset& d, MonthSpans* spans, bool* made) {
  if (!*made) {
    *made = true;
    spans->assign(d.member_count(), {});
    const auto& e = d.eligibility;
    for (size_t i = 0; i < e.size(); ++i) {
      if (e.member[i] < spans->size() && e.start[i] != kNoDate && e.end[i] != kNoDate) {
        (*spans)[e.member[i]].emplace_back(YearMonth::Of(e.start[i]).index(),
                                           YearMonth::Of(e.end[i]).index());
      }
    }
  }
  if (spans->size() < d.member_count()) spans->resize(d.member_count());
}

// Each line's service month against its member's enrollment spans (a member's spans and lines
// are never in two parts).
void CheckEnrollment(const MedicalClaimTable& m, const MonthSpans& spans, ClaimLineTally* t) {
  for (size_t i = 0; i < m.size(); ++i) {
    const Date day = ServiceDate(m, i);
    if (day == kNoDate || m.member[i] >= spans.size()) continue;
    ++t->lines_with_service_month;
    const int32_t month = YearMonth::Of(day).index();
    const auto& list = spans[m.member[i]];
    t->lines_without_enrollment += std::none_of(list.begin(), list.end(), [&](const auto& s) {
      return s.first <= month && s.second >= month;
    });
  }
}

// Claim lag: paid date minus the claim's through date (the line date when there is none).
void MeasureLag(const MedicalClaimTable& m, ClaimLineTally* t) {
  for (size_t i = 0; i < m.size(); ++i) {
    const Date served = m.claim_end[i] != kNoDate ? m.claim_end[i] : ServiceDate(m, i);
    if (m.paid_date[i] == kNoDate || served == kNoDate) continue;
    if (t->as_of == kNoDate || m.paid_date[i] > t->as_of) t->as_of = m.paid_date[i];
    const int32_t lag = m.paid_date[i] - served;
    ++t->lag_claims;
    if (lag < 0) {
      ++t->lag_negative;
      continue;
    }
    const auto days = static_cast<size_t>(lag);
    if (days >= t->lag_days.size()) t->lag_days.resize(days + 1, 0);
    ++t->lag_days[days];
    const int b = lag <= 30    ? 0
                  : lag <= 60  ? 1
                  : lag <= 90  ? 2
                  : lag <= 180 ? 3
                  : lag <= 365 ? 4
                               : 5;
    ++t->lag_buckets[static_cast<size_t>(b)];
  }
}

// Lines, paid and distinct claims by line service month (1900-01 to 2100-12), over the lines
// added in row order. Distinct (month, claim) pairs: a claim counts in the month of its first
// line at once; a line in another month of the claim goes to `later` (most claims have all
// lines in one month), whose distinct pairs Finish counts.
class MonthTally {
 public:
  void Add(const PartView& v, ClaimLineTally* t) {
    constexpr int32_t kUnseen = std::numeric_limits<int32_t>::min();
    const auto& m = v.medical();
    if (m.size() == 0) return;
    if (slot_.empty()) {
      const int32_t months = YearMonth::Of(kHighestDate).index() - first_ + 1;
      slot_.resize(static_cast<size_t>(months));
      used_.assign(slot_.size(), 0);
    }
    GrowToClaims(v, &first_month_, kUnseen);
    for (size_t i = 0; i < m.size(); ++i) {
      const Date d = ServiceDate(m, i);
      if (d == kNoDate || !InRange(d)) continue;
      const YearMonth ym = YearMonth::Of(d);
      const auto k = static_cast<size_t>(ym.index() - first_);
      used_[k] = 1;
      ++slot_[k].lines;
      slot_[k].paid += m.paid[i].cents();
      const uint64_t month = static_cast<uint32_t>(ym.index());
      const uint32_t c = m.claim[i];
      if (v.Shared(c)) {
        t->shared_month_claims.push_back((month << 32) | v.WholeClaim(c));
      } else if (first_month_[c] == kUnseen) {
        first_month_[c] = ym.index();
        ++slot_[k].claims;
      } else if (first_month_[c] != ym.index()) {
        later_.push_back((month << 32) | c);
      }
    }
  }
  // Once the last medical line is added: the first month of each claim is not read again
  // (Finish needs only `later`).
  void MedicalDone() { std::vector<int32_t>().swap(first_month_); }
  void Finish(ClaimLineTally* t) {
    tbb::parallel_sort(later_.begin(), later_.end());
    for (size_t i = 0; i < later_.size(); ++i) {
      if (i > 0 && later_[i] == later_[i - 1]) continue;
      ++slot_[static_cast<size_t>(static_cast<int32_t>(later_[i] >> 32) - first_)].claims;
    }
    for (size_t k = 0; k < slot_.size(); ++k) {
      if (used_[k] != 0) t->months[static_cast<int32_t>(k) + first_] = slot_[k];
    }
  }

 private:
  const int32_t first_ = YearMonth::Of(kLowestDate).index();
  std::vector<int32_t> first_month_;
  std::vector<uint64_t> later_;
  std::vector<MonthLines> slot_;
  std::vector<uint8_t> used_;
};

void MergeFields(std::vector<FieldTally>* into, std::vector<FieldTally> from) {
  if (into->empty()) {
    *into = std::move(from);
    return;
  }
  for (size_t f = 0; f < into->size() && f < from.size(); ++f) {
    FieldTally& a = (*into)[f];
    FieldTally& b = from[f];
    a.rows += b.rows;
    a.present += b.present;
    a.invalid += b.invalid;
    // Each part's first five distinct values hold the whole's first five (by first sight).
    auto all = std::move(a.examples);
    all.insert(all.end(), std::make_move_iterator(b.examples.begin()),
               std::make_move_iterator(b.examples.end()));
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    a.examples.clear();
    for (auto& e : all) {
      if (a.examples.size() == 5) break;
      if (std::none_of(a.examples.begin(), a.examples.end(),
                       [&](const auto& k) { return k.second == e.second; })) {
        a.examples.push_back(std::move(e));
      }
    }
  }
}

template <class T>
void Append(std::vector<T>* into, std::vector<T>* from) {
  into->insert(into->end(), from->begin(), from->end());
}

void PutFields(WireWriter* w, const std::vector<FieldTally>& fields) {
  w->Put<uint64_t>(fields.size());
  for (const auto& f : fields) {
    w->Put(f.rows);
    w->Put(f.present);
    w->Put(f.invalid);
    w->Put<uint64_t>(f.examples.size());
    for (const auto& [row, value] : f.examples) {
      w->Put(row);
      w->PutString(value);
    }
  }
}

std::vector<FieldTally> GetFields(WireReader* r) {
  std::vector<FieldTally> out;
  const auto n = r->Get<uint64_t>();
  for (uint64_t i = 0; i < n && r->ok() && i < 64; ++i) {
    FieldTally f;
    f.rows = r->Get<uint64_t>();
    f.present = r->Get<uint64_t>();
    f.invalid = r->Get<uint64_t>();
    const auto k = r->Get<uint64_t>();
    for (uint64_t j = 0; j < k && r->ok() && j < 5; ++j) {
      const auto row = r->Get<uint64_t>();
      f.examples.emplace_back(row, r->GetString());
    }
    out.push_back(std::move(f));
  }
  return out;
}

// The counters of a tally, in one order for writing and reading.
template <class T, class F>
void ForEachCount(T& t, F&& f) {
  for (auto* x : {&t.medical_lines, &t.pharmacy_lines, &t.dx_codes, &t.invalid_dx_codes,
                  &t.dates_out_of_order, &t.dates_out_of_range, &t.negative_paid_lines,
                  &t.paid_above_allowed, &t.allowed_above_charge, &t.lines_with_service_month,
                  &t.lines_without_enrollment, &t.medical_claims,
                  &t.medical_claims_without_paid_date, &t.pharmacy_claims_without_paid_date,
                  &t.medical_repeats, &t.pharmacy_repeats, &t.lag_claims, &t.lag_negative}) {
    f(*x);
  }
  for (auto& b : t.lag_buckets) f(b);
}

template <class T, class F>
void ForEachKeyList(T& t, F&& f) {
  for (auto* x : {&t.lag_days, &t.shared_medical_claims, &t.shared_pharmacy_claims,
                  &t.shared_medical_keys, &t.shared_pharmacy_keys, &t.shared_month_claims}) {
    f(*x);
  }
}

}  // namespace

// What the passes keep between the batches of lines they are given, in row order. Each pass
// fills its own members, so the passes of one batch run at once.
struct LineTallyState {
  ClaimLineTally fields_and_months;  // lines, fields, claims, months
  ClaimLineTally dx, dates, enrollment, lag;
  std::vector<FieldTallier> medical_fields, pharmacy_fields;
  std::vector<uint8_t> medical_claims, pharmacy_claims;  // MarkClaims
  MonthSpans spans;
  bool spans_made = false;
  MonthTally months;
  bool medical_finished = false;  // FinishMedical: `medical` holds the medical lines' claims
  ClaimLineTally medical;

  void Add(const PartView& v) {
    fields_and_months.medical_lines += v.medical().size();
    fields_and_months.pharmacy_lines += v.pharmacy().size();
    tbb::parallel_invoke(
        [&] { MarkClaims(v, &medical_claims, &pharmacy_claims); },
        [&] { MedicalFields(v, &medical_fields); }, [&] { PharmacyFields(v, &pharmacy_fields); },
        [&] { CountDiagnosisCodes(v, &dx); }, [&] { CheckDatesAndAmounts(v.medical(), &dates); },
        [&] {
          if (v.medical().size() == 0) return;  // the spans are for medical lines only
          MakeSpans(v.ids(), &spans, &spans_made);
          CheckEnrollment(v.medical(), spans, &enrollment);
        },
        [&] { MeasureLag(v.medical(), &lag); }, [&] { months.Add(v, &fields_and_months); });
  }

  // The medical lines' distinct claims and repeated keys (`keys`: every medical line's, in row
  // order), once every medical line is added. What only medical lines are checked against
  // goes: the members' enrollment spans and each claim's first month.
  void FinishMedical(const PartView& whole, const ClaimKeys& keys) {
    CountClaims(whole, medical_claims, {}, &medical);
    medical.medical_repeats = RepeatedKeys(whole, keys, &medical.shared_medical_keys);
    std::vector<uint8_t>().swap(medical_claims);
    MonthSpans().swap(spans);
    spans_made = false;
    months.MedicalDone();
    medical_finished = true;
  }

  // The tally of every line added; `whole` holds them all (claim and line number, for the
  // repeated keys; after FinishMedical, of the pharmacy lines, unless `pharmacy_keys` holds
  // them). After FinishMedical, `medical_claims` is empty and `medical` holds what it counted.
  ClaimLineTally Finish(const PartView& whole, const ClaimKeys* pharmacy_keys = nullptr) {
    ClaimLineTally t = std::move(fields_and_months);
    ClaimLineTally repeats;
    tbb::parallel_invoke(
        [&] { CountClaims(whole, medical_claims, pharmacy_claims, &t); },
        [&] {
          if (!medical_finished) {
            repeats.medical_repeats =
                RepeatedKeys(whole, whole.medical().claim, whole.medical().line_number,
                             &repeats.shared_medical_keys);
          }
          repeats.pharmacy_repeats =
              pharmacy_keys != nullptr
                  ? RepeatedKeys(whole, *pharmacy_keys, &repeats.shared_pharmacy_keys)
                  : RepeatedKeys(whole, whole.pharmacy().claim, whole.pharmacy().line_number,
                                 &repeats.shared_pharmacy_keys);
        },
        [&] { months.Finish(&t); });
    t.medical_fields = TakeAll(&medical_fields);
    t.pharmacy_fields = TakeAll(&pharmacy_fields);
    if (t.medical_fields.empty()) t.medical_fields.resize(std::size(kMedicalFields));
    if (t.pharmacy_fields.empty()) t.pharmacy_fields.resize(std::size(kPharmacyFields));
    for (ClaimLineTally* x : {&dx, &dates, &repeats, &medical, &enrollment, &lag}) {
      MergeTally(&t, std::move(*x));
    }
    return t;
  }
};

ClaimLineTally TallyClaimLines(const Dataset& part, const LinePlace& place) {
  const PartView v(part, place);
  LineTallyState s;
  s.Add(v);
  return s.Finish(v);
}

LineTallier::LineTallier() : state_(std::make_unique<LineTallyState>()) {}
LineTallier::~LineTallier() = default;
LineTallier::LineTallier(LineTallier&&) noexcept = default;
LineTallier& LineTallier::operator=(LineTallier&&) noexcept = default;

void LineTallier::AddMedical(const Dataset& ids, const MedicalClaimTable& lines,
                             uint64_t first_row) {
  state_->Add(PartView(ids, lines, kNoPharmacyLines, first_row, 0));
}

void LineTallier::AddPharmacy(const Dataset& ids, const PharmacyClaimTable& lines,
                              uint64_t first_row) {
  state_->Add(PartView(ids, kNoMedicalLines, lines, 0, first_row));
}

void LineTallier::FinishMedical(const Dataset& whole, const ClaimKeys& keys) {
  state_->FinishMedical(PartView(whole, LinePlace{}), keys);
}

ClaimLineTally LineTallier::Finish(const Dataset& whole, const ClaimKeys& pharmacy_keys) {
  ClaimLineTally t = state_->Finish(PartView(whole, LinePlace{}), &pharmacy_keys);
  state_ = std::make_unique<LineTallyState>();
  return t;
}

void MergeTally(ClaimLineTally* into, ClaimLineTally from) {
  std::vector<uint64_t*> mine;
  ForEachCount(*into, [&](uint64_t& x) { mine.push_back(&x); });
  size_t i = 0;
  ForEachCount(from, [&](uint64_t& x) { *mine[i++] += x; });
  MergeFields(&into->medical_fields, std::move(from.medical_fields));
  MergeFields(&into->pharmacy_fields, std::move(from.pharmacy_fields));
  if (from.lag_days.size() > into->lag_days.size()) into->lag_days.resize(from.lag_days.size(), 0);
  for (size_t d = 0; d < from.lag_days.size(); ++d) into->lag_days[d] += from.lag_days[d];
  if (into->as_of == kNoDate || (from.as_of != kNoDate && from.as_of > into->as_of)) {
    into->as_of = from.as_of;
  }
  for (const auto& [month, m] : from.months) {
    MonthLines& x = into->months[month];
    x.lines += m.lines;
    x.paid += m.paid;
    x.claims += m.claims;
  }
  Append(&into->shared_medical_claims, &from.shared_medical_claims);
  Append(&into->shared_pharmacy_claims, &from.shared_pharmacy_claims);
  Append(&into->shared_medical_keys, &from.shared_medical_keys);
  Append(&into->shared_pharmacy_keys, &from.shared_pharmacy_keys);
  Append(&into->shared_month_claims, &from.shared_month_claims);
}

std::string EncodeTally(const ClaimLineTally& t) {
  WireWriter w;
  ForEachCount(t, [&](const uint64_t& x) { w.Put(x); });
  w.Put(t.as_of.days());
  PutFields(&w, t.medical_fields);
  PutFields(&w, t.pharmacy_fields);
  ForEachKeyList(t, [&](const std::vector<uint64_t>& x) { w.PutArray(x); });
  w.Put<uint64_t>(t.months.size());
  for (const auto& [month, m] : t.months) {
    w.Put(month);
    w.Put(m.lines);
    w.Put(m.paid);
    w.Put(m.claims);
  }
  return w.Take();
}

Result<ClaimLineTally> DecodeTally(std::string_view bytes, const std::string& name) {
  WireReader r(bytes);
  ClaimLineTally t;
  ForEachCount(t, [&](uint64_t& x) { x = r.Get<uint64_t>(); });
  t.as_of = Date::FromDays(r.Get<int32_t>());
  t.medical_fields = GetFields(&r);
  t.pharmacy_fields = GetFields(&r);
  ForEachKeyList(t, [&](std::vector<uint64_t>& x) { x = r.GetArray<uint64_t>(); });
  const auto months = r.Get<uint64_t>();
  for (uint64_t i = 0; i < months && r.ok(); ++i) {
    const auto month = r.Get<int32_t>();
    MonthLines& m = t.months[month];
    m.lines = r.Get<uint64_t>();
    m.paid = r.Get<__int128>();
    m.claims = r.Get<uint64_t>();
  }
  // What a tally can hold: months of dates from 1900 to 2100 (TallyMonths), and lags shorter
  // than the days from year 1 to year 9999.
  const int32_t first = YearMonth::Of(kLowestDate).index();
  const int32_t last = YearMonth::Of(kHighestDate).index();
  bool months_ok =
      t.months.empty() || (t.months.begin()->first >= first && t.months.rbegin()->first <= last);
  // A month's paid total is a sum of its lines' amounts (int64 cents each), and a dataset has
  // fewer than 2^32 lines: so that sums over parts stay far inside 128 bits.
  for (const auto& [month, m] : t.months) {
    const __int128 most =
        static_cast<__int128>(std::numeric_limits<int64_t>::max()) * static_cast<__int128>(m.lines);
    months_ok = months_ok && m.lines <= (uint64_t{1} << 32) && m.paid <= most && m.paid >= -most;
  }
  constexpr size_t most_days = size_t{10000} * 366;
  // Examples are text the readers checked (a row that is not UTF-8 is rejected).
  bool text_ok = true;
  for (const auto* fields : {&t.medical_fields, &t.pharmacy_fields}) {
    for (const auto& f : *fields) {
      for (const auto& e : f.examples) text_ok = text_ok && IsValidUtf8(e.second);
    }
  }
  if (!r.done() || t.medical_fields.size() != std::size(kMedicalFields) ||
      t.pharmacy_fields.size() != std::size(kPharmacyFields) || !months_ok || !text_ok ||
      t.lag_days.size() > most_days) {
    return InvalidInput(fmt::format("{}: a damaged data-quality tally", name));
  }
  return t;
}

}  // namespace valuepact::quality
