#include "valuepact/ingest/quality/quality.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <tbb/parallel_invoke.h>
#include <tbb/parallel_sort.h>

#include <fmt/format.h>

namespace valuepact::quality {

// --- Field checks ------------------------------------------------------------------------------

namespace {
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAlnumUpper(char c) { return IsDigit(c) || IsUpper(c); }
}  // namespace

bool IsIcd10CmShaped(std::string_view c) {
  // ICD-10-CM: a letter, a digit, then 1 to 5 letters/digits (3 to 7 characters in all).
  if (c.size() < 3 || c.size() > 7) return false;
  if (!IsUpper(c[0]) || !IsDigit(c[1])) return false;
  for (size_t i = 2; i < c.size(); ++i) {
    if (!IsAlnumUpper(c[i])) return false;
  }
  return true;
}

bool IsValidNpi(std::string_view npi) {
  // 45 CFR 162.406: the NPI check digit is the Luhn digit computed over "80840" + 9 digits.
  if (npi.size() != 10) return false;
  for (char ch : npi) {
    if (!IsDigit(ch)) return false;
  }
  int sum = 24;  // the Luhn contribution of the 80840 prefix
  for (int i = 8; i >= 0; --i) {
    int d = npi[static_cast<size_t>(i)] - '0';
    if ((8 - i) % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - sum % 10) % 10 == npi[9] - '0';
}

bool IsHcpcsShaped(std::string_view c) {
  // CPT (5 digits), CPT category II/III (4 digits + F/T/U/M), HCPCS level II (letter + 4 digits).
  if (c.size() != 5) return false;
  if (std::all_of(c.begin(), c.end(), IsDigit)) return true;
  if (IsUpper(c[0]) && std::all_of(c.begin() + 1, c.end(), IsDigit)) return true;
  return std::all_of(c.begin(), c.begin() + 4, IsDigit) && IsUpper(c[4]);
}

bool IsPlaceOfService(std::string_view c) {
  return c.size() == 2 && IsDigit(c[0]) && IsDigit(c[1]) && c != "00";
}

bool IsBillType(std::string_view c) {
  // UB-04 type of bill: facility digit 1-8, classification, frequency; a leading 0 is allowed.
  if (c.size() == 4 && c[0] == '0') c.remove_prefix(1);
  return c.size() == 3 && c[0] >= '1' && c[0] <= '8' && IsAlnumUpper(c[1]) && IsAlnumUpper(c[2]);
}

bool IsRevenueCode(std::string_view c) {
  return c.size() == 4 && std::all_of(c.begin(), c.end(), IsDigit);
}

namespace {

const Date kLowestDate = Date::FromCivil(1900, 1, 1), kHighestDate = Date::FromCivil(2100, 12, 31);

bool InRange(Date d) { return d == kNoDate || (d >= kLowestDate && d <= kHighestDate); }

class FieldScorer {
 public:
  FieldScorer(const Dataset& ds, std::string table, std::string field, std::string check,
              bool required = false)
      : ds_(ds) {
    q_.table = std::move(table);
    q_.field = std::move(field);
    q_.check = std::move(check);
    q_.required = required;
  }
  // A code column: present when not kNoCode; `valid` may be null (completeness only).
  void Code(uint32_t id, bool (*valid)(std::string_view)) {
    ++q_.rows;
    if (id == kNoCode) return;
    ++q_.present;
    if (valid == nullptr) return;
    const std::string_view v = ds_.codes.Get(id);
    if (!valid(v)) Invalid(v);
  }
  void Date_(Date d) {
    ++q_.rows;
    if (d == kNoDate) return;
    ++q_.present;
    if (!InRange(d)) Invalid(d.ToString());
  }
  void Present(bool present) {
    ++q_.rows;
    q_.present += present;
  }
  void Invalid(std::string_view v) {
    ++q_.invalid;
    if (q_.examples.size() < 5 &&
        std::find(q_.examples.begin(), q_.examples.end(), v) == q_.examples.end()) {
      q_.examples.emplace_back(v);
    }
  }
  FieldQuality Take() { return std::move(q_); }

 private:
  const Dataset& ds_;
  FieldQuality q_;
};

constexpr double kMinTrailingClaims = 10.0;

// Claim lags (whole days, none negative) as counts: at_most[d] is how many lags are d days or
// fewer. Counting instead of sorting: a lag is a small number of days, and a payer's feed has
// tens of millions of lines.
class LagCounts {
 public:
  explicit LagCounts(const std::vector<int32_t>& lags) : n_(lags.size()) {
    if (lags.empty()) return;
    at_most_.assign(static_cast<size_t>(*std::max_element(lags.begin(), lags.end())) + 1, 0);
    for (int32_t lag : lags) ++at_most_[static_cast<size_t>(lag)];
    for (size_t d = 1; d < at_most_.size(); ++d) at_most_[d] += at_most_[d - 1];
  }
  uint64_t size() const { return n_; }
  int32_t Max() const { return at_most_.empty() ? 0 : static_cast<int32_t>(at_most_.size() - 1); }
  // Lags of `days` days or fewer.
  uint64_t AtMost(int32_t days) const {
    if (days < 0 || at_most_.empty()) return 0;
    return static_cast<size_t>(days) < at_most_.size() ? at_most_[static_cast<size_t>(days)] : n_;
  }
  // Nearest-rank percentile: the smallest lag with at least p of the lags at or below it.
  int32_t Percentile(double p) const {
    if (n_ == 0) return 0;
    uint64_t rank = static_cast<uint64_t>(std::ceil(p * static_cast<double>(n_)));
    rank = std::clamp<uint64_t>(rank, 1, n_);
    return static_cast<int32_t>(std::lower_bound(at_most_.begin(), at_most_.end(), rank) -
                                at_most_.begin());
  }

 private:
  uint64_t n_ = 0;
  std::vector<uint64_t> at_most_;
};

std::string Pct(double x) { return fmt::format("{:.2f}%", x * 100.0); }

// Lines whose (claim, line number) key an earlier line has. Claim ids are dense: a bit per line
// number 0 to 63 of each claim finds repeats in one pass; other line numbers are sorted.
uint64_t RepeatedKeys(const std::vector<uint32_t>& claim, const std::vector<int32_t>& line,
                      size_t claims) {
  std::vector<uint64_t> seen(claims, 0);
  std::vector<uint64_t> rest;
  uint64_t repeats = 0;
  for (size_t i = 0; i < claim.size(); ++i) {
    const uint32_t c = claim[i];
    const int32_t l = line[i];
    if (c < claims && l >= 0 && l < 64) {
      const uint64_t bit = uint64_t{1} << l;
      repeats += (seen[c] & bit) != 0;
      seen[c] |= bit;
    } else {
      rest.push_back((uint64_t{c} << 32) | static_cast<uint32_t>(l));
    }
  }
  std::sort(rest.begin(), rest.end());
  for (size_t i = 1; i < rest.size(); ++i) repeats += rest[i] == rest[i - 1];
  return repeats;
}

// Every diagnosis code, not only the first: from the codes, or from the lines' summary when
// the run read them without (MedicalClaimTable::dx_first).
void CountDiagnosisCodes(const Dataset& ds, QualityScorecard* s) {
  const auto& m = ds.medical;
  if (!m.diagnoses_kept()) {
    for (size_t i = 0; i < m.size(); ++i) {
      s->dx_codes += m.dx_listed[i];
      s->invalid_dx_codes += m.dx_misshapen[i];
    }
    return;
  }
  std::vector<char> dx_checked(ds.codes.size(), 0);  // 1 valid, 2 invalid
  for (uint32_t c : m.dx_code) {
    ++s->dx_codes;
    if (c >= dx_checked.size()) continue;
    if (dx_checked[c] == 0) dx_checked[c] = IsIcd10CmShaped(ds.codes.Get(c)) ? 1 : 2;
    s->invalid_dx_codes += dx_checked[c] == 2;
  }
}

}  // namespace

// --- The scorecard's steps: each reads the dataset and fills its own part of the scorecard, so
// the independent ones run at once (ComputeQualityScorecard).

// Distinct claims, and those without a paid date. Claim ids are dense: a bitmap counts
// distinct claims without hashing. Bit 1: the claim has a line; bit 2: a line with a paid date.
void CountClaims(const Dataset& ds, QualityScorecard* s) {
  auto count = [&](const std::vector<uint32_t>& claim, const std::vector<Date>& paid_date,
                   uint64_t* claims, uint64_t* without_paid_date) {
    std::vector<uint8_t> seen(ds.claim_ids.size(), 0);
    for (size_t i = 0; i < claim.size(); ++i) {
      seen[claim[i]] |= paid_date[i] == kNoDate ? 1 : 3;
    }
    for (uint8_t f : seen) {
      if (claims != nullptr) *claims += f != 0;
      *without_paid_date += f == 1;
    }
  };
  count(ds.medical.claim, ds.medical.paid_date, &s->medical_claims,
        &s->medical_claims_without_paid_date);
  count(ds.pharmacy.claim, ds.pharmacy.paid_date, nullptr, &s->pharmacy_claims_without_paid_date);
}

// Completeness and validity of the medical claim fields.
std::vector<FieldQuality> MedicalFields(const Dataset& ds) {
  const auto& m = ds.medical;
  FieldScorer member(ds, "medical_claim", "person_id", "", true);
  FieldScorer claim_start(ds, "medical_claim", "claim_start_date", "date 1900-2100", true);
  FieldScorer claim_end(ds, "medical_claim", "claim_end_date", "date 1900-2100", true);
  FieldScorer paid_date(ds, "medical_claim", "paid_date", "date 1900-2100");
  FieldScorer dx(ds, "medical_claim", "diagnosis_code_1", "ICD-10-CM shape", true);
  FieldScorer rendering(ds, "medical_claim", "rendering_npi",
                        "NPI check digit (Luhn, prefix 80840)");
  FieldScorer billing(ds, "medical_claim", "billing_npi", "NPI check digit (Luhn, prefix 80840)");
  FieldScorer hcpcs(ds, "medical_claim", "hcpcs_code (professional, DME)",
                    "CPT/HCPCS shape (5 characters)");
  FieldScorer pos(ds, "medical_claim", "place_of_service_code (professional)", "two digits 01-99");
  FieldScorer bill(ds, "medical_claim", "bill_type_code (institutional)",
                   "type of bill: facility 1-8, classification, frequency");
  FieldScorer rev(ds, "medical_claim", "revenue_center_code (institutional)", "four digits");
  for (size_t i = 0; i < m.size(); ++i) {
    member.Present(m.member[i] != kNoCode);
    claim_start.Date_(m.claim_start[i]);
    claim_end.Date_(m.claim_end[i]);
    paid_date.Date_(m.paid_date[i]);
    dx.Code(m.FirstDiagnosis(i), IsIcd10CmShaped);
    rendering.Code(m.rendering_npi[i], IsValidNpi);
    billing.Code(m.billing_npi[i], IsValidNpi);
    if (m.claim_type[i] == ClaimType::kInstitutional) {
      bill.Code(m.bill_type[i], IsBillType);
      rev.Code(m.revenue_code[i], IsRevenueCode);
    } else {
      hcpcs.Code(m.hcpcs[i], IsHcpcsShaped);
      if (m.claim_type[i] == ClaimType::kProfessional) {
        pos.Code(m.place_of_service[i], IsPlaceOfService);
      }
    }
  }
  std::vector<FieldQuality> out;
  for (auto* f : {&member, &claim_start, &claim_end, &paid_date, &dx, &rendering, &billing, &hcpcs,
                  &pos, &bill, &rev}) {
    out.push_back(f->Take());
  }
  return out;
}

// Completeness and validity of the pharmacy claim fields (when there are any) and then of the
// eligibility fields.
std::vector<FieldQuality> PharmacyAndEligibilityFields(const Dataset& ds) {
  std::vector<FieldQuality> out;
  const auto& p = ds.pharmacy;
  if (p.size() > 0) {
    FieldScorer ndc(ds, "pharmacy_claim", "ndc_code", "11 digits", true);
    FieldScorer disp(ds, "pharmacy_claim", "dispensing_date", "date 1900-2100", true);
    FieldScorer paid(ds, "pharmacy_claim", "paid_date", "date 1900-2100");
    FieldScorer presc(ds, "pharmacy_claim", "prescribing_provider_npi",
                      "NPI check digit (Luhn, prefix 80840)");
    for (size_t i = 0; i < p.size(); ++i) {
      ndc.Code(p.ndc[i], [](std::string_view v) {
        return v.size() == 11 && std::all_of(v.begin(), v.end(), IsDigit);
      });
      disp.Date_(p.dispensing_date[i]);
      paid.Date_(p.paid_date[i]);
      presc.Code(p.prescribing_npi[i], IsValidNpi);
    }
    for (auto* f : {&ndc, &disp, &paid, &presc}) out.push_back(f->Take());
  }
  const auto& e = ds.eligibility;
  FieldScorer birth(ds, "eligibility", "birth_date", "date 1900-2100", true);
  FieldScorer sex(ds, "eligibility", "gender", "", true);
  FieldScorer start(ds, "eligibility", "enrollment_start_date", "date 1900-2100", true);
  FieldScorer end(ds, "eligibility", "enrollment_end_date", "date 1900-2100", true);
  for (size_t i = 0; i < e.size(); ++i) {
    birth.Date_(e.birth_date[i]);
    sex.Present(e.sex[i] != 'U');
    start.Date_(e.start[i]);
    end.Date_(e.end[i]);
  }
  for (auto* f : {&birth, &sex, &start, &end}) out.push_back(f->Take());
  return out;
}

// Dates ordered and in range; amount signs and order.
void CheckDatesAndAmounts(const Dataset& ds, QualityScorecard* s) {
  const auto& m = ds.medical;
  const auto& e = ds.eligibility;
  auto order = [&](Date a, Date b) {
    if (a != kNoDate && b != kNoDate && a > b) ++s->dates_out_of_order;
  };
  auto range = [&](Date d) { s->dates_out_of_range += !InRange(d); };
  for (size_t i = 0; i < m.size(); ++i) {
    order(m.claim_start[i], m.claim_end[i]);
    order(m.line_start[i], m.line_end[i]);
    for (Date d :
         {m.claim_start[i], m.claim_end[i], m.line_start[i], m.line_end[i], m.paid_date[i]}) {
      range(d);
    }
    if (m.paid[i] < Money()) ++s->negative_paid_lines;
    const bool has_allowed = m.allowed[i] != Money(), has_charge = m.charge[i] != Money();
    if (has_allowed && m.paid[i] > m.allowed[i]) ++s->paid_above_allowed;
    if (has_allowed && has_charge && m.allowed[i] > m.charge[i]) ++s->allowed_above_charge;
  }
  for (size_t i = 0; i < e.size(); ++i) {
    order(e.start[i], e.end[i]);
    order(e.birth_date[i], e.death_date[i]);
    range(e.start[i]);
    range(e.end[i]);
    range(e.birth_date[i]);
  }
}

// Repeated claim line keys and eligibility spans (the rejected duplicates counted already).
void CountDuplicates(const Dataset& ds, QualityScorecard* s) {
  const auto& e = ds.eligibility;
  const size_t claims = ds.claim_ids.size();
  s->duplicate_medical_lines = RepeatedKeys(ds.medical.claim, ds.medical.line_number, claims) +
                               s->duplicate_medical_lines_rejected;
  s->duplicate_pharmacy_lines = RepeatedKeys(ds.pharmacy.claim, ds.pharmacy.line_number, claims) +
                                s->duplicate_pharmacy_lines_rejected;
  std::vector<std::tuple<uint32_t, int32_t, int32_t>> spans(e.size());
  for (size_t i = 0; i < e.size(); ++i) {
    spans[i] = {e.member[i], e.start[i].days(), e.end[i].days()};
  }
  std::sort(spans.begin(), spans.end());
  for (size_t i = 1; i < spans.size(); ++i) {
    s->duplicate_eligibility_rows += spans[i] == spans[i - 1];
  }
}

// A line's service date: its own start, or its claim's.
Date ServiceDate(const MedicalClaimTable& m, size_t i) {
  return m.line_start[i] != kNoDate ? m.line_start[i] : m.claim_start[i];
}

// Enrollment: spans by member (and their overlaps), then each line's service month against them.
void CheckEnrollment(const Dataset& ds, QualityScorecard* s) {
  const auto& m = ds.medical;
  const auto& e = ds.eligibility;
  std::vector<std::vector<std::pair<Date, Date>>> spans(ds.member_count());
  for (size_t i = 0; i < e.size(); ++i) {
    if (e.member[i] < spans.size() && e.start[i] != kNoDate && e.end[i] != kNoDate) {
      spans[e.member[i]].emplace_back(e.start[i], e.end[i]);
    }
  }
  for (auto& list : spans) {
    std::sort(list.begin(), list.end());
    Date reach = kNoDate;
    bool overlap = false;
    for (const auto& [a, b] : list) {
      if (reach != kNoDate && a <= reach) {
        ++s->overlapping_spans;
        overlap = true;
      }
      if (reach == kNoDate || b > reach) reach = b;
    }
    s->members_with_overlaps += overlap;
  }
  for (size_t i = 0; i < m.size(); ++i) {
    const Date d = ServiceDate(m, i);
    if (d == kNoDate || m.member[i] >= spans.size()) continue;
    ++s->lines_with_service_month;
    const YearMonth ym = YearMonth::Of(d);
    const Date first = ym.first_day(), last = ym.last_day();
    bool enrolled = false;
    for (const auto& [a, b] : spans[m.member[i]]) {
      if (a <= last && b >= first) {
        enrolled = true;
        break;
      }
    }
    s->lines_without_enrollment += !enrolled;
  }
  s->enrollment_match =
      s->lines_with_service_month
          ? 1.0 - static_cast<double>(s->lines_without_enrollment) / s->lines_with_service_month
          : 1.0;
}

// Claim lag: paid date minus the claim's through date (the line date when there is none).
LagCounts MeasureLag(const MedicalClaimTable& m, LagQuality* q) {
  std::vector<int32_t> lags;
  for (size_t i = 0; i < m.size(); ++i) {
    const Date served = m.claim_end[i] != kNoDate ? m.claim_end[i] : ServiceDate(m, i);
    if (m.paid_date[i] == kNoDate || served == kNoDate) continue;
    if (q->as_of == kNoDate || m.paid_date[i] > q->as_of) q->as_of = m.paid_date[i];
    const int32_t lag = m.paid_date[i] - served;
    ++q->claims;
    if (lag < 0) {
      ++q->negative;
      continue;
    }
    lags.push_back(lag);
    const int b = lag <= 30    ? 0
                  : lag <= 60  ? 1
                  : lag <= 90  ? 2
                  : lag <= 180 ? 3
                  : lag <= 365 ? 4
                               : 5;
    ++q->buckets[b];
  }
  LagCounts counts(lags);
  q->p50 = counts.Percentile(0.50);
  q->p90 = counts.Percentile(0.90);
  q->p99 = counts.Percentile(0.99);
  q->max = counts.Max();
  return counts;
}

// Lines, paid and distinct claims by line service month. Months whose paid amounts add up
// beyond the range of money are listed in `paid_overflow`: their cost figures are left out (a
// finding says so) instead of wrapping.
struct MonthTally {
  std::map<int32_t, MonthQuality> months;
  std::set<int32_t> paid_overflow;
};

MonthTally TallyMonths(const MedicalClaimTable& m) {
  MonthTally t;
  std::vector<uint64_t> month_claims;  // (month index, claim) keys; distinct pairs counted below
  month_claims.reserve(m.size());
  // A slot per month of the dates InRange accepts (1900-01 to 2100-12).
  const int32_t first = YearMonth::Of(kLowestDate).index();
  std::vector<MonthQuality> slot(
      static_cast<size_t>(YearMonth::Of(kHighestDate).index() - first + 1));
  std::vector<uint8_t> used(slot.size(), 0), overflow(slot.size(), 0);
  for (size_t i = 0; i < m.size(); ++i) {
    const Date d = ServiceDate(m, i);
    if (d == kNoDate || !InRange(d)) continue;
    const YearMonth ym = YearMonth::Of(d);
    const auto k = static_cast<size_t>(ym.index() - first);
    used[k] = 1;
    ++slot[k].lines;
    if (!slot[k].paid.AddChecked(m.paid[i])) overflow[k] = 1;
    month_claims.push_back((static_cast<uint64_t>(static_cast<uint32_t>(ym.index())) << 32) |
                           m.claim[i]);
  }
  for (size_t k = 0; k < slot.size(); ++k) {
    if (used[k] == 0) continue;
    const auto index = static_cast<int32_t>(k) + first;
    slot[k].month = YearMonth::FromIndex(index);
    t.months.emplace(index, slot[k]);
    if (overflow[k] != 0) t.paid_overflow.insert(index);
  }
  tbb::parallel_sort(month_claims.begin(), month_claims.end());
  for (size_t i = 0; i < month_claims.size(); ++i) {
    if (i > 0 && month_claims[i] == month_claims[i - 1]) continue;
    ++t.months[static_cast<int32_t>(month_claims[i] >> 32)].claims;
  }
  return t;
}

// Month over month: calendar gaps filled (an empty month shows as a drop to zero), each month
// against the trailing three, and its completion by the lag distribution.
std::vector<MonthQuality> CompareMonths(MonthTally* t, double drop, Date as_of,
                                        const LagCounts& lag_counts) {
  const std::set<int32_t>& paid_overflow = t->paid_overflow;
  std::vector<MonthQuality> full;
  for (auto& [idx, mq] : t->months) {
    if (paid_overflow.count(idx) != 0) mq.paid = Money();
    if (!full.empty()) {
      for (int32_t g = full.back().month.index() + 1; g < mq.month.index(); ++g) {
        MonthQuality empty;
        empty.month = YearMonth::FromIndex(g);
        full.push_back(empty);
      }
    }
    full.push_back(mq);
  }
  for (size_t i = 0; i < full.size(); ++i) {
    auto& mq = full[i];
    const size_t n = std::min<size_t>(3, i);
    if (n > 0) {
      double c = 0;
      Money paid;
      bool paid_known = paid_overflow.count(mq.month.index()) == 0;
      for (size_t k = i - n; k < i; ++k) {
        c += static_cast<double>(full[k].claims);
        paid_known = paid_known && paid_overflow.count(full[k].month.index()) == 0 &&
                     paid.AddChecked(full[k].paid);
      }
      mq.trailing_claims = c / static_cast<double>(n);
      mq.trailing_paid =
          paid_known ? RoundCentsHalfAway(static_cast<long double>(paid.cents()) / n) : Money();
      mq.volume_ratio = mq.trailing_claims > 0 ? mq.claims / mq.trailing_claims : 0;
      mq.cost_ratio = mq.trailing_paid.cents() > 0
                          ? static_cast<double>(mq.paid.cents()) / mq.trailing_paid.cents()
                          : 0;
      // Below ten claims a month the trailing average is noise, not a baseline.
      mq.sudden_drop = mq.trailing_claims >= kMinTrailingClaims &&
                       (mq.volume_ratio < 1.0 - drop || (paid_known && mq.cost_ratio < 1.0 - drop));
    }
    // Completion: share of the lag distribution already elapsed at the as-of date for a claim
    // served at the end of the month.
    if (as_of != kNoDate && lag_counts.size() > 0) {
      const int32_t elapsed = as_of - mq.month.last_day();
      mq.completion = elapsed < 0 ? 0.0
                                  : static_cast<double>(lag_counts.AtMost(elapsed)) /
                                        static_cast<double>(lag_counts.size());
    }
  }
  return full;
}

QualityScorecard ComputeQualityScorecard(const Dataset& ds, const DataRequirements& req,
                                         const ScorecardContext& ctx) {
  QualityScorecard s;
  s.members = ds.member_count();
  s.medical_lines = ds.medical.size();
  s.pharmacy_lines = ds.pharmacy.size();
  s.eligibility_rows = ds.eligibility.size();
  s.pharmacy_required = ctx.pharmacy_required;
  if (ctx.report != nullptr) {
    s.rejected_lines = ctx.report->RejectTotals();
    auto counter = [&](const std::string& key) -> uint64_t {
      auto it = ctx.report->counters.find(key);
      return it == ctx.report->counters.end() ? 0 : it->second;
    };
    s.duplicate_medical_lines_rejected =
        counter(fmt::format("medical_claim.{}", kRejectDuplicateKey));
    s.duplicate_pharmacy_lines_rejected =
        counter(fmt::format("pharmacy_claim.{}", kRejectDuplicateKey));
  }
  // The steps fill distinct parts of the scorecard; each is one pass in row order, so the
  // figures do not depend on which runs first.
  std::vector<FieldQuality> medical_fields, other_fields;
  std::optional<LagCounts> lag_counts;
  MonthTally tally;
  tbb::parallel_invoke([&] { CountClaims(ds, &s); }, [&] { medical_fields = MedicalFields(ds); },
                       [&] { CountDiagnosisCodes(ds, &s); },
                       [&] { other_fields = PharmacyAndEligibilityFields(ds); },
                       [&] { CheckDatesAndAmounts(ds, &s); }, [&] { CountDuplicates(ds, &s); },
                       [&] { CheckEnrollment(ds, &s); },
                       [&] { lag_counts.emplace(MeasureLag(ds.medical, &s.lag)); },
                       [&] { tally = TallyMonths(ds.medical); });
  s.fields = std::move(medical_fields);
  s.fields.insert(s.fields.end(), other_fields.begin(), other_fields.end());
  const double drop = req.max_volume_drop.value_or(0.5);
  s.months = CompareMonths(&tally, drop, s.lag.as_of, *lag_counts);
  const std::set<int32_t>& paid_overflow = tally.paid_overflow;

  for (size_t i = 0; i < ds.deliveries.size(); ++i) {
    s.deliveries.push_back({ds.deliveries.name[i], ds.deliveries.format[i],
                            ds.deliveries.file_date[i], ds.deliveries.member_count[i],
                            ds.deliveries.claim_count[i]});
  }

  // Findings, most serious first: data that cannot be settled on, then what was refused.
  auto table_empty = [&](const char* table, const char* what) {
    s.findings.push_back(fmt::format("{} has no rows: {}", table, what));
  };
  if (s.medical_lines == 0) {
    table_empty("medical_claim",
                "there is no claim to measure spending, diagnoses or utilization on");
  }
  if (s.eligibility_rows == 0) {
    table_empty("eligibility", "no member is enrolled, so there are no member-months");
  }
  if (s.pharmacy_required && s.pharmacy_lines == 0) {
    table_empty("pharmacy_claim",
                "the contract's services include pharmacy but no pharmacy claim was read");
  }
  for (const auto& f : s.fields) {
    if (f.required && f.rows > 0 && f.present == 0) {
      s.findings.push_back(
          fmt::format("{}.{} is empty on all {} rows (0% complete)", f.table, f.field, f.rows));
    }
  }
  if (s.medical_claims_without_paid_date > 0) {
    s.findings.push_back(
        fmt::format("{} of {} medical claims have no paid date{}",
                    s.medical_claims_without_paid_date, s.medical_claims,
                    s.lag.claims == 0 ? ": claim lag and completion cannot be measured"
                                      : "; claim lag and completion are measured on the others"));
  }
  if (s.pharmacy_claims_without_paid_date > 0) {
    s.findings.push_back(
        fmt::format("{} pharmacy claims have no paid date", s.pharmacy_claims_without_paid_date));
  }
  if (!paid_overflow.empty()) {
    std::string named;
    for (const int32_t idx : paid_overflow) {
      named += (named.empty() ? "" : ", ") + YearMonth::FromIndex(idx).ToString();
    }
    s.findings.push_back(fmt::format(
        "paid amounts of {} add up to more than a money figure can hold (about 92 quadrillion "
        "dollars): the claim lines' amounts are wrong; those months' cost figures are left out",
        named));
  }
  for (const auto& t : s.rejected_lines) {
    if (t.rows == 0) continue;
    s.findings.push_back("claim lines rejected and not counted, " + DescribeRejectTotal(t));
  }
  {
    std::vector<const MonthQuality*> drops;
    for (const auto& mq : s.months) {
      if (mq.sudden_drop && mq.completion >= 0.9) drops.push_back(&mq);
    }
    if (!drops.empty()) {
      std::string list;
      for (size_t i = 0; i < drops.size() && i < 6; ++i) {
        const auto& mq = *drops[i];
        list += fmt::format("{}{} ({} claims, {} paid; trailing average {:.1f} claims, {})",
                            i ? "; " : "", mq.month.ToString(), mq.claims, mq.paid.ToString(),
                            mq.trailing_claims, mq.trailing_paid.ToString());
      }
      if (drops.size() > 6) list += fmt::format("; and {} more", drops.size() - 6);
      if (s.lag.claims > 0) {
        s.findings.push_back(fmt::format(
            "{} month(s) that should be at least 90% complete dropped by more than {:.0f}% "
            "against the trailing three-month average, which suggests a missing file: {}",
            drops.size(), drop * 100, list));
      } else {
        // Without paid dates every month counts as complete; say that it is not known.
        s.findings.push_back(fmt::format(
            "{} month(s) dropped by more than {:.0f}% against the trailing three-month average; "
            "without paid dates their completion is unknown, so a missing file and claims not "
            "yet paid cannot be told apart: {}",
            drops.size(), drop * 100, list));
      }
    }
  }
  if (s.lines_without_enrollment > 0) {
    s.findings.push_back(fmt::format(
        "{} of {} claim lines ({}) fall in a month with no enrollment for their member",
        s.lines_without_enrollment, s.lines_with_service_month, Pct(1.0 - s.enrollment_match)));
  }
  if (s.overlapping_spans > 0) {
    s.findings.push_back(
        fmt::format("{} eligibility spans overlap an earlier span of the same "
                    "member ({} members)",
                    s.overlapping_spans, s.members_with_overlaps));
  }
  if (s.duplicate_medical_lines > s.duplicate_medical_lines_rejected) {
    s.findings.push_back(
        fmt::format("{} medical lines repeat a claim id and line number",
                    s.duplicate_medical_lines - s.duplicate_medical_lines_rejected));
  }
  if (s.invalid_dx_codes > 0) {
    s.findings.push_back(fmt::format("{} of {} diagnosis codes ({}) are not ICD-10-CM shaped",
                                     s.invalid_dx_codes, s.dx_codes, Pct(s.invalid_dx_share())));
  }
  if (s.dates_out_of_order > 0) {
    s.findings.push_back(
        fmt::format("{} start dates fall after their end dates", s.dates_out_of_order));
  }
  if (s.paid_above_allowed + s.allowed_above_charge > 0) {
    s.findings.push_back(
        fmt::format("{} lines paid more than allowed, {} allowed more than charged",
                    s.paid_above_allowed, s.allowed_above_charge));
  }
  if (s.lag.negative > 0) {
    s.findings.push_back(
        fmt::format("{} lines were paid before their service date", s.lag.negative));
  }
  return s;
}

// --- Requirements ------------------------------------------------------------------------------

QualityVerdict EvaluateRequirements(const QualityScorecard& s, const DataRequirements& r) {
  QualityVerdict v;
  auto add = [&](std::string name, std::string required, std::string actual, int status,
                 std::string why) {
    static const char* kStatus[] = {"pass", "fail", "not_evaluated"};
    v.checks.push_back(
        {std::move(name), std::move(required), std::move(actual), kStatus[status], std::move(why)});
    if (status == 1) v.passed = false;
  };
  // A requested check the data cannot answer fails: an unmeasured threshold is not met.
  if (r.min_enrollment_match) {
    if (s.lines_with_service_month == 0) {
      add("min_enrollment_match", fmt::format(">= {:.4f}", *r.min_enrollment_match), "-", 1,
          "cannot be measured: no claim line has a service date");
    } else {
      add("min_enrollment_match", fmt::format(">= {:.4f}", *r.min_enrollment_match),
          fmt::format("{:.6f}", s.enrollment_match),
          s.enrollment_match >= *r.min_enrollment_match ? 0 : 1,
          "share of claim lines whose member is enrolled in the service month");
    }
  }
  if (r.max_invalid_dx_share) {
    add("max_invalid_dx_share", fmt::format("<= {:.4f}", *r.max_invalid_dx_share),
        fmt::format("{:.6f}", s.invalid_dx_share()),
        s.invalid_dx_share() <= *r.max_invalid_dx_share ? 0 : 1,
        "share of diagnosis codes that are not ICD-10-CM shaped");
  }
  if (r.max_lag_days_p90) {
    if (s.lag.claims == 0) {
      add("max_lag_days_p90", fmt::format("<= {}", *r.max_lag_days_p90), "-", 1,
          "cannot be measured: no line has both a paid date and a service date");
    } else {
      add("max_lag_days_p90", fmt::format("<= {}", *r.max_lag_days_p90), std::to_string(s.lag.p90),
          s.lag.p90 <= *r.max_lag_days_p90 ? 0 : 1,
          "90th percentile of paid date minus service date, in days");
    }
  }
  if (r.delivery_day_of_month) {
    std::vector<std::string> late;
    size_t dated = 0;
    for (const auto& d : s.deliveries) {
      if (d.file_date == kNoDate) continue;
      ++dated;
      if (static_cast<int>(d.file_date.day()) > *r.delivery_day_of_month) {
        late.push_back(fmt::format("{} ({})", d.name, d.file_date.ToString()));
      }
    }
    if (dated == 0) {
      add("delivery_day_of_month", fmt::format("<= day {}", *r.delivery_day_of_month), "-", 2,
          "the data carries no delivery dates (CSV input, or file names without a date)");
    } else {
      std::string actual = late.empty() ? fmt::format("all {} deliveries on time", dated)
                                        : fmt::format("{} late: ", late.size());
      for (size_t i = 0; i < late.size(); ++i) actual += (i ? ", " : "") + late[i];
      add("delivery_day_of_month", fmt::format("<= day {}", *r.delivery_day_of_month), actual,
          late.empty() ? 0 : 1, "every delivery dated on or before this day of its month");
    }
  }
  if (r.max_duplicate_share) {
    add("max_duplicate_share", fmt::format("<= {:.4f}", *r.max_duplicate_share),
        fmt::format("{:.6f}", s.duplicate_share()),
        s.duplicate_share() <= *r.max_duplicate_share ? 0 : 1,
        "medical lines repeating a claim id and line number");
  }
  if (r.min_completeness) {
    std::string worst;
    double lowest = 1.0;
    bool any = false;
    for (const auto& f : s.fields) {
      if (f.rows == 0) continue;
      any = true;
      if (f.completeness() < lowest) {
        lowest = f.completeness();
        worst = f.table + "." + f.field;
      }
    }
    if (!any) {
      add("min_completeness", fmt::format(">= {:.4f}", *r.min_completeness), "-", 1,
          "cannot be measured: no scored field has a row");
    } else {
      add("min_completeness", fmt::format(">= {:.4f}", *r.min_completeness),
          worst.empty() ? "1.000000" : fmt::format("{:.6f} ({})", lowest, worst),
          lowest >= *r.min_completeness ? 0 : 1, "the least complete scored field");
    }
  }
  if (r.max_invalid_npi_share) {
    double worst = 0;
    std::string which;
    for (const auto& f : s.fields) {
      if (f.field.find("npi") != std::string::npos && f.invalid_share() > worst) {
        worst = f.invalid_share();
        which = f.table + "." + f.field;
      }
    }
    add("max_invalid_npi_share", fmt::format("<= {:.4f}", *r.max_invalid_npi_share),
        which.empty() ? "0.000000" : fmt::format("{:.6f} ({})", worst, which),
        worst <= *r.max_invalid_npi_share ? 0 : 1, "NPIs failing the check digit, per field");
  }
  if (r.max_overlapping_spans) {
    add("max_overlapping_spans", fmt::format("<= {}", *r.max_overlapping_spans),
        std::to_string(s.overlapping_spans),
        static_cast<int64_t>(s.overlapping_spans) <= *r.max_overlapping_spans ? 0 : 1,
        "eligibility spans overlapping an earlier span of the same member");
  }
  if (r.fail_on_volume_drop && s.lag.claims == 0) {
    add("fail_on_volume_drop", "no sudden drop in a complete month", "-", 1,
        "cannot be measured: month completion needs lines with both a paid date and a service "
        "date");
  } else if (r.fail_on_volume_drop) {
    std::string months;
    for (const auto& mq : s.months) {
      if (mq.sudden_drop && mq.completion >= 0.9) {
        months += (months.empty() ? "" : ", ") + mq.month.ToString();
      }
    }
    add("fail_on_volume_drop", "no sudden drop in a complete month",
        months.empty() ? "none" : months, months.empty() ? 0 : 1,
        fmt::format("volume or cost below {:.0f}% of the trailing three-month average",
                    (1.0 - r.max_volume_drop.value_or(0.5)) * 100));
  }
  // Always, after the requested checks (whose order callers rely on): data without claims or
  // enrollment cannot be settled on, whatever the thresholds say.
  auto table = [&](const char* name, uint64_t rows, const char* why) {
    add(name, "> 0 rows", fmt::format("{} rows", rows), rows > 0 ? 0 : 1, why);
  };
  table("medical_claim_rows", s.medical_lines, "medical claim lines read and accepted");
  table("eligibility_rows", s.eligibility_rows, "eligibility spans read and accepted");
  if (s.pharmacy_required) {
    table("pharmacy_claim_rows", s.pharmacy_lines,
          "pharmacy claim lines read and accepted (the contract's services include pharmacy)");
  }
  return v;
}

}  // namespace valuepact::quality
