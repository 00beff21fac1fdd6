// Before and after program enrollment (before_after.h).
#include "valuepact/metrics/before_after.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "metrics/member_events.h"
#include "valuepact/dataset/member_months.h"

namespace valuepact::metrics {
namespace {

constexpr int kWindows[] = {6, 12};
constexpr const char* kSide[] = {"before", "after"};

// The member's first program enrollment starting in the period, as a month; none otherwise.
std::vector<YearMonth> EnrollmentMonths(const Dataset& ds, const ProgramData& program,
                                        const Period& period, std::vector<bool>* has) {
  std::vector<YearMonth> first(ds.member_count());
  has->assign(ds.member_count(), false);
  std::vector<Date> start(ds.member_count(), kNoDate);
  const auto& e = program.enrollments;
  for (size_t r = 0; r < e.size(); ++r) {
    const uint32_t m = e.member[r];
    if (m >= start.size() || e.start[r] < period.start || e.start[r] > period.end) {
      continue;
    }
    if (start[m] == kNoDate || e.start[r] < start[m]) {
      start[m] = e.start[r];
    }
  }
  for (uint32_t m = 0; m < start.size(); ++m) {
    if (start[m] != kNoDate) {
      first[m] = YearMonth::Of(start[m]);
      (*has)[m] = true;
    }
  }
  return first;
}

// Plan enrollment under the contract's payers and rule, over the period widened by 12 months.
MemberMonths PlanMonths(const Dataset& ds, const Contract& k) {
  MemberMonthOptions o;
  const YearMonth from = YearMonth::Of(k.period.start) + (-12);
  const YearMonth to = YearMonth::Of(k.period.end) + 12;
  o.period = {Date::FromCivil(from.year(), from.month(), 1),
              Date::FromCivil(to.year(), to.month(), DaysInMonth(to.year(), to.month()))};
  o.rule = k.member_months;
  for (const auto& p : k.payers) {
    const uint32_t id = ds.codes.Find(p);
    o.payers.push_back(id == kNoCode ? kNoCode - 1 : id);
  }
  return ComputeMemberMonths(ds, o);
}

void AddSide(const BeforeAfterWindow& w, int side, const std::string& members_id, Trace* tr) {
  const std::string pre = fmt::format("before_after.{}m.{}", w.months, kSide[side]);
  const int64_t mm = w.member_months[side];
  const std::string mm_text =
      fmt::format("{} member-months ({} members × {})", mm, w.members, w.months);
  const std::string src =
      fmt::format("data: medical claims of the {} months {} each member's program enrollment month",
                  w.months, side == 0 ? "before" : "from");
  tr->Add({pre + ".pmpm_total",
           fmt::format("Paid PMPM, {} months {} enrollment", w.months, kSide[side]),
           fmt::format("{} ÷ {}", Money::FromCents(w.paid_cents[side]).ToString(), mm_text),
           mm == 0 ? "n/a"
                   : Money::FromCents(std::llround(static_cast<double>(w.paid_cents[side]) /
                                                   static_cast<double>(mm)))
                         .ToString(),
           "USD PMPM",
           {members_id},
           src,
           ""});
  for (auto [name, count, what] :
       {std::tuple{"acute_admissions_per_1000", w.acute_stays[side], "acute stays admitted"},
        std::tuple{"bed_days_per_1000", w.bed_days[side], "bed days of those stays"},
        std::tuple{"ed_visits_per_1000", w.ed_visits[side], "ED visits"}}) {
    tr->Add({fmt::format("{}.{}", pre, name),
             fmt::format("{} per 1,000, {} months {} enrollment", what, w.months, kSide[side]),
             fmt::format("{} {} × 12,000 ÷ {}", count, what, mm_text),
             mm == 0 ? "n/a"
                     : FormatRate(static_cast<double>(count) * 12000.0 / static_cast<double>(mm)),
             "per 1,000 member-years",
             {members_id},
             src,
             ""});
  }
}

}  // namespace

Result<BeforeAfterResult> ComputeBeforeAfter(const Dataset& ds, const ProgramData& program,
                                             const Contract& k, Trace* tr) {
  if (Status s = RequireLineDetails(ds, "the before-and-after metrics"); !s.ok()) return s;
  BeforeAfterResult r;
  std::vector<bool> has;
  const std::vector<YearMonth> first = EnrollmentMonths(ds, program, k.period, &has);
  const MemberMonths plan = PlanMonths(ds, k);
  const MemberIndex med = IndexByMember(ds.medical.member, ds.member_count());
  for (int w : kWindows) {
    BeforeAfterWindow win;
    win.months = w;
    r.windows.push_back(win);
  }
  for (uint32_t m = 0; m < ds.member_count(); ++m) {
    if (!has[m]) {
      continue;
    }
    ++r.program_members;
    std::vector<uint32_t> lines(med.order.begin() + med.offsets[m],
                                med.order.begin() + med.offsets[m + 1]);
    const Period wide{Date::FromCivil(first[m].year(), first[m].month(), 1) - 400,
                      Date::FromCivil(first[m].year(), first[m].month(), 1) + 400};
    const MemberEvents ev = BuildMemberEvents(ds, lines, wide);
    for (BeforeAfterWindow& win : r.windows) {
      bool enrolled = true;
      for (int d = -win.months; d < win.months && enrolled; ++d) {
        const int i = plan.IndexOf(first[m] + d);
        enrolled = i >= 0 && plan.Has(m, i);
      }
      if (!enrolled) {
        ++win.excluded_members;
        continue;
      }
      ++win.members;
      // Side of a month relative to the enrollment month: -1 outside both windows.
      auto side = [&](YearMonth ym) {
        const int d = ym - first[m];
        return d < -win.months || d >= win.months ? -1 : (d < 0 ? 0 : 1);
      };
      for (int s : {0, 1}) {
        win.member_months[s] += win.months;
      }
      for (uint32_t l : lines) {
        const int s = side(MedicalLineMonth(ds.medical, l, k.claim_month));
        if (s >= 0 && __builtin_add_overflow(win.paid_cents[s], ds.medical.paid[l].cents(),
                                             &win.paid_cents[s])) {
          return InvalidInput("before/after: paid amounts left the range of cents");
        }
      }
      for (const auto& stay : ev.acute) {
        const int s = side(YearMonth::Of(stay.start));
        win.acute_stays[s < 0 ? 0 : s] += s >= 0 ? 1 : 0;
        win.bed_days[s < 0 ? 0 : s] += s >= 0 ? stay.days : 0;
      }
      for (const auto& v : ev.ed_visits) {
        const int s = side(YearMonth::Of(v.start));
        win.ed_visits[s < 0 ? 0 : s] += s >= 0 ? 1 : 0;
      }
    }
  }
  for (const BeforeAfterWindow& w : r.windows) {
    const std::string members_id = fmt::format("before_after.{}m.members", w.months);
    tr->AddCount(
        members_id,
        fmt::format("Program members enrolled in the plan {} months before and after", w.months),
        w.members, "members",
        fmt::format("{} of {} members with a first program enrollment in the period "
                    "({} without plan enrollment in every month of both windows)",
                    w.members, r.program_members, w.excluded_members),
        {}, "data: program enrollments and eligibility spans (the contract's payers)");
    AddSide(w, 0, members_id, tr);
    AddSide(w, 1, members_id, tr);
  }
  return r;
}

}  // namespace valuepact::metrics
