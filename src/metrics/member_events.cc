// A member's utilization events (member_events.h).
#include "metrics/member_events.h"

#include <algorithm>
#include <string>
#include <tuple>

namespace valuepact::metrics {
namespace {

struct Interval {
  Date start, end;
  uint32_t line;
};

// [start (else the fallback start), end (else the fallback end)] of a line; nothing without a
// start. An end before the start is taken as the start (one day).
bool IntervalOf(Date start, Date start_fallback, Date end, Date end_fallback, uint32_t line,
                Interval* out) {
  const Date s = start != kNoDate ? start : start_fallback;
  Date e = end != kNoDate ? end : end_fallback;
  if (s == kNoDate) {
    return false;
  }
  if (e == kNoDate || e < s) {
    e = s;
  }
  *out = {s, e, line};
  return true;
}

// A stay's line: [admission, else claim start; discharge, else claim end].
bool StayInterval(const MedicalClaimTable& t, uint32_t i, Interval* out) {
  return IntervalOf(t.admission[i], t.claim_start[i], t.discharge[i], t.claim_end[i], i, out);
}

// A service's line: line dates, else claim dates.
bool ServiceInterval(const MedicalClaimTable& t, uint32_t i, Interval* out) {
  return IntervalOf(t.line_start[i], t.claim_start[i], t.line_end[i], t.claim_end[i], i, out);
}

// Lines whose intervals overlap or touch (next start ≤ the stay's end so far) form one stay:
// admit = earliest start, discharge = latest end, disposition = that of the line with the latest
// end (on a tie, the later line in the data).
std::vector<MetricEvent> Stays(const Dataset& ds, std::vector<Interval> iv, const char* kind) {
  std::sort(iv.begin(), iv.end(), [](const Interval& a, const Interval& b) {
    return std::tie(a.start, a.end, a.line) < std::tie(b.start, b.end, b.line);
  });
  std::vector<MetricEvent> out;
  uint32_t latest_line = 0;
  for (const Interval& x : iv) {
    if (out.empty() || x.start > out.back().end) {
      MetricEvent e;
      e.kind = kind;
      e.member = ds.medical.member[x.line];
      e.start = x.start;
      e.end = x.end;
      out.push_back(e);
      latest_line = x.line;
    } else if (x.end > out.back().end || (x.end == out.back().end && x.line > latest_line)) {
      out.back().end = std::max(out.back().end, x.end);
      latest_line = x.line;
    }
    out.back().lines.push_back(x.line);
    const uint32_t d = ds.medical.discharge_disposition[latest_line];
    out.back().disposition = d == kNoCode ? "" : std::string(ds.codes.Get(d));
  }
  for (auto& e : out) {
    e.days = std::max<int64_t>(1, e.end - e.start);
    std::sort(e.lines.begin(), e.lines.end());
  }
  return out;
}

// Distinct days covered by the intervals, inside the period.
std::vector<Date> Days(const std::vector<Interval>& iv, const Period& period) {
  std::vector<Date> days;
  for (const Interval& x : iv) {
    const Date s = std::max(x.start, period.start), e = std::min(x.end, period.end);
    for (Date d = s; d <= e; d = d + 1) {
      days.push_back(d);
    }
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

// One event per distinct date of service, with the lines of that date.
std::vector<MetricEvent> Visits(const Dataset& ds, std::vector<Interval> iv, const char* kind) {
  std::sort(iv.begin(), iv.end(), [](const Interval& a, const Interval& b) {
    return std::tie(a.start, a.line) < std::tie(b.start, b.line);
  });
  std::vector<MetricEvent> out;
  for (const Interval& x : iv) {
    if (out.empty() || out.back().start != x.start) {
      MetricEvent e;
      e.kind = kind;
      e.member = ds.medical.member[x.line];
      e.start = e.end = x.start;
      out.push_back(e);
    }
    out.back().lines.push_back(x.line);
  }
  return out;
}

bool IcuRevenue(const std::string& rev) {
  return rev.rfind("020", 0) == 0 || rev.rfind("021", 0) == 0;
}

}  // namespace

std::optional<Period> ServiceDates(const Dataset& ds, uint32_t line) {
  Interval iv;
  if (!ServiceInterval(ds.medical, line, &iv)) return std::nullopt;
  return Period{iv.start, iv.end};
}

std::string RevenueCode(const Dataset& ds, uint32_t line) {
  const uint32_t c = ds.medical.revenue_code[line];
  if (c == kNoCode) {
    return "";
  }
  std::string s(ds.codes.Get(c));
  while (s.size() < 4) {
    s.insert(s.begin(), '0');
  }
  return s;
}

MemberEvents BuildMemberEvents(const Dataset& ds, const std::vector<uint32_t>& lines,
                               const Period& period) {
  const MedicalClaimTable& t = ds.medical;
  std::vector<Interval> acute, snf, hh, ed, obs, hospice, icu;
  for (uint32_t i : lines) {
    Interval stay{}, service{};
    const bool has_stay = StayInterval(t, i, &stay);
    const bool has_service = ServiceInterval(t, i, &service);
    const std::string rev = RevenueCode(ds, i);
    // Stays take admission/discharge dates; episodes and visits take service dates.
    std::vector<Interval>* target = nullptr;
    bool by_stay = false;
    switch (t.category[i]) {
      case ServiceCategory::kAcuteInpatient:
        target = &acute;
        by_stay = true;
        break;
      case ServiceCategory::kSnf:
        target = &snf;
        by_stay = true;
        break;
      case ServiceCategory::kHomeHealth:
        target = &hh;
        break;
      case ServiceCategory::kEmergency:
        target = &ed;
        break;
      case ServiceCategory::kHospice:
        target = &hospice;
        break;
      default:
        break;
    }
    if (target != nullptr && (by_stay ? has_stay : has_service)) {
      target->push_back(by_stay ? stay : service);
    }
    if (has_service && rev == "0762") {
      obs.push_back(service);
    }
    if (has_service && IcuRevenue(rev)) {
      icu.push_back(service);
    }
  }
  MemberEvents ev;
  ev.acute = Stays(ds, std::move(acute), "acute_stay");
  ev.snf = Stays(ds, std::move(snf), "snf_stay");
  ev.home_health = Stays(ds, std::move(hh), "home_health_episode");
  for (auto& s : ev.acute) {
    s.icu = std::any_of(s.lines.begin(), s.lines.end(),
                        [&](uint32_t l) { return IcuRevenue(RevenueCode(ds, l)); });
  }
  ev.ed_visits = Visits(ds, std::move(ed), "ed_visit");
  ev.observation_stays = Visits(ds, std::move(obs), "observation_stay");
  ev.hospice_days = Days(hospice, period);
  ev.icu_days = Days(icu, period);
  return ev;
}

}  // namespace valuepact::metrics
