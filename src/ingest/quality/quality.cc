#include "valuepact/ingest/quality/quality.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <tbb/parallel_invoke.h>
#include <tbb/parallel_sort.h>

#include <fmt/format.h>

#include "scorecard_parts.h"
#include "valuepact/ingest/quality/line_tally.h"

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

constexpr double kMinTrailingClaims = 10.0;

// Claim lags (whole days, none negative) as counts: at_most[d] is how many lags are d days or
// fewer. Counting instead of sorting: a lag is a small number of days, and a payer's feed has
// tens of millions of lines.
class LagCounts {
 public:
  explicit LagCounts(const std::vector<uint64_t>& by_days) : at_most_(by_days) {
    for (size_t d = 1; d < at_most_.size(); ++d) at_most_[d] += at_most_[d - 1];
    n_ = at_most_.empty() ? 0 : at_most_.back();
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

// --- The eligibility's share of the scorecard (the claim lines' is in line_tally.cc) ----------

std::vector<FieldTally> EligibilityFields(const Dataset& ds) {
  const auto& e = ds.eligibility;
  std::vector<FieldTallier> f(std::size(kEligibilityFields), FieldTallier(ds));
  for (size_t i = 0; i < e.size(); ++i) {
    f[0].Date_(e.birth_date[i], i);
    f[1].Present(e.sex[i] != 'U');
    f[2].Date_(e.start[i], i);
    f[3].Date_(e.end[i], i);
  }
  return TakeAll(&f);
}

// Spans' dates ordered and in range, repeated spans, and spans overlapping an earlier one.
void CheckSpans(const Dataset& ds, QualityScorecard* s) {
  const auto& e = ds.eligibility;
  for (size_t i = 0; i < e.size(); ++i) {
    s->dates_out_of_order +=
        OutOfOrder(e.start[i], e.end[i]) + OutOfOrder(e.birth_date[i], e.death_date[i]);
    for (Date d : {e.start[i], e.end[i], e.birth_date[i]}) s->dates_out_of_range += !InRange(d);
  }
  std::vector<std::tuple<uint32_t, int32_t, int32_t>> spans(e.size());
  for (size_t i = 0; i < e.size(); ++i) {
    spans[i] = {e.member[i], e.start[i].days(), e.end[i].days()};
  }
  // Eligibility files usually list a member's spans together and in order: then nothing moves.
  if (!std::is_sorted(spans.begin(), spans.end())) tbb::parallel_sort(spans.begin(), spans.end());
  for (size_t i = 1; i < spans.size(); ++i) {
    s->duplicate_eligibility_rows += spans[i] == spans[i - 1];
  }
  // By member, in start order: a span starting on or before the reach of the earlier ones.
  uint32_t member = 0;
  Date reach = kNoDate;
  bool overlap = false;
  for (size_t i = 0; i <= spans.size(); ++i) {
    if (i == spans.size() || std::get<0>(spans[i]) != member) {
      s->members_with_overlaps += overlap;
      if (i == spans.size()) break;
      member = std::get<0>(spans[i]);
      reach = kNoDate;
      overlap = false;
    }
    const auto [m, a, b] = spans[i];
    if (a == kNoDate.days() || b == kNoDate.days() || m >= ds.member_count()) continue;
    if (reach != kNoDate && a <= reach.days()) {
      ++s->overlapping_spans;
      overlap = true;
    }
    if (reach == kNoDate || b > reach.days()) reach = Date::FromDays(b);
  }
}

// --- The claim lines' tally, finished ------------------------------------------------------------

FieldQuality FromTally(const FieldSpec& spec, const FieldTally& t) {
  FieldQuality f;
  f.table = spec.table;
  f.field = spec.field;
  f.check = spec.check;
  f.required = spec.required;
  f.rows = t.rows;
  f.present = t.present;
  f.invalid = t.invalid;
  for (const auto& e : t.examples) f.examples.push_back(e.second);
  return f;
}

// Sorted keys: how many repeat the one before.
uint64_t Repeats(std::vector<uint64_t> keys) {
  tbb::parallel_sort(keys.begin(), keys.end());
  uint64_t n = 0;
  for (size_t i = 1; i < keys.size(); ++i) n += keys[i] == keys[i - 1];
  return n;
}

// Shared claims' bits (line_tally.h), joined claim by claim: `claims` gets the distinct claims,
// `without` those whose lines have no paid date.
void CountSharedClaims(std::vector<uint64_t> bits, uint64_t* claims, uint64_t* without) {
  tbb::parallel_sort(bits.begin(), bits.end());
  for (size_t i = 0; i < bits.size();) {
    uint64_t flags = 0;
    size_t j = i;
    for (; j < bits.size() && bits[j] >> 8 == bits[i] >> 8; ++j) flags |= bits[j] & 0xff;
    if (claims != nullptr) ++*claims;
    *without += flags == 1;
    i = j;
  }
}

void FinishClaimCounts(const ClaimLineTally& t, QualityScorecard* s) {
  s->medical_claims = t.medical_claims;
  s->medical_claims_without_paid_date = t.medical_claims_without_paid_date;
  s->pharmacy_claims_without_paid_date = t.pharmacy_claims_without_paid_date;
  CountSharedClaims(t.shared_medical_claims, &s->medical_claims,
                    &s->medical_claims_without_paid_date);
  CountSharedClaims(t.shared_pharmacy_claims, nullptr, &s->pharmacy_claims_without_paid_date);
  s->duplicate_medical_lines =
      t.medical_repeats + Repeats(t.shared_medical_keys) + s->duplicate_medical_lines_rejected;
  s->duplicate_pharmacy_lines =
      t.pharmacy_repeats + Repeats(t.shared_pharmacy_keys) + s->duplicate_pharmacy_lines_rejected;
  s->dx_codes = t.dx_codes;
  s->invalid_dx_codes = t.invalid_dx_codes;
  s->dates_out_of_order += t.dates_out_of_order;
  s->dates_out_of_range += t.dates_out_of_range;
  s->negative_paid_lines = t.negative_paid_lines;
  s->paid_above_allowed = t.paid_above_allowed;
  s->allowed_above_charge = t.allowed_above_charge;
  s->lines_with_service_month = t.lines_with_service_month;
  s->lines_without_enrollment = t.lines_without_enrollment;
  s->enrollment_match =
      s->lines_with_service_month
          ? 1.0 - static_cast<double>(s->lines_without_enrollment) / s->lines_with_service_month
          : 1.0;
}

LagCounts FinishLag(const ClaimLineTally& t, LagQuality* q) {
  q->as_of = t.as_of;
  q->claims = t.lag_claims;
  q->negative = t.lag_negative;
  q->buckets.assign(t.lag_buckets.begin(), t.lag_buckets.end());
  LagCounts counts(t.lag_days);
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

MonthTally FinishMonths(const ClaimLineTally& t) {
  MonthTally out;
  for (const auto& [index, m] : t.months) {
    MonthQuality& q = out.months[index];
    q.month = YearMonth::FromIndex(index);
    q.lines = m.lines;
    q.claims = m.claims;
    if (m.paid > std::numeric_limits<int64_t>::max() ||
        m.paid < std::numeric_limits<int64_t>::min()) {
      out.paid_overflow.insert(index);
    } else {
      q.paid = Money::FromCents(static_cast<int64_t>(m.paid));
    }
  }
  std::vector<uint64_t> keys = t.shared_month_claims;
  tbb::parallel_sort(keys.begin(), keys.end());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0 && keys[i] == keys[i - 1]) continue;
    ++out.months[static_cast<int32_t>(keys[i] >> 32)].claims;
  }
  return out;
}

}  // namespace

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
  return ComputeQualityScorecard(ds, TallyClaimLines(ds), req, ctx);
}

QualityScorecard ComputeQualityScorecard(const Dataset& ds, const ClaimLineTally& lines,
                                         const DataRequirements& req, const ScorecardContext& ctx) {
  QualityScorecard s;
  s.members = ds.member_count();
  s.medical_lines = lines.medical_lines;
  s.pharmacy_lines = lines.pharmacy_lines;
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
  for (size_t f = 0; f < std::size(kMedicalFields) && f < lines.medical_fields.size(); ++f) {
    s.fields.push_back(FromTally(kMedicalFields[f], lines.medical_fields[f]));
  }
  if (s.pharmacy_lines > 0) {
    for (size_t f = 0; f < std::size(kPharmacyFields) && f < lines.pharmacy_fields.size(); ++f) {
      s.fields.push_back(FromTally(kPharmacyFields[f], lines.pharmacy_fields[f]));
    }
  }
  const auto eligibility = EligibilityFields(ds);
  for (size_t f = 0; f < eligibility.size(); ++f) {
    s.fields.push_back(FromTally(kEligibilityFields[f], eligibility[f]));
  }
  CheckSpans(ds, &s);
  FinishClaimCounts(lines, &s);
  const LagCounts lag_counts = FinishLag(lines, &s.lag);
  MonthTally tally = FinishMonths(lines);
  const double drop = req.max_volume_drop.value_or(0.5);
  s.months = CompareMonths(&tally, drop, s.lag.as_of, lag_counts);
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
