#include "valuepact/run/timeline_builder.h"
#include "valuepact/core/figure_ids.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "valuepact/dataset/member_months.h"
#include "valuepact/population/definition.h"

namespace valuepact::run {
namespace {

std::string PeriodText(const Period& p) {
  return fmt::format("{} to {}", p.start.ToString(), p.end.ToString());
}

// f(m) for every member of `tl`, the members shared among the threads: each call writes only
// its own member's cells (a byte each), so the Timeline is the same for any thread count.
template <class F>
void ForEachMember(const Timeline& tl, const F& f) {
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, tl.members(), 4096),
                    [&](const tbb::blocked_range<uint32_t>& r) {
                      for (uint32_t m = r.begin(); m != r.end(); ++m) f(m);
                    });
}

// Step 1: plan enrollment under the contract's payers and member-month rule. Eligibility spans
// decide alone: a payer's file that keeps a member enrolled after a death date keeps the months
// (the data-quality scorecard flags such spans).
void MarkPlanEnrollment(const Dataset& ds, const Contract& k, Timeline* tl) {
  MemberMonthOptions mmo;
  mmo.period = k.period;
  mmo.rule = k.member_months;
  for (const auto& p : k.payers) {
    const uint32_t id = ds.codes.Find(p);
    // A payer named in the contract but absent from the data matches no span.
    mmo.payers.push_back(id == kNoCode ? kNoCode - 1 : id);
  }
  const MemberMonths mm = ComputeMemberMonths(ds, mmo);
  ForEachMember(*tl, [&](uint32_t m) {
    for (int i = 0; i < tl->months(); ++i) {
      if (mm.Has(m, i)) {
        tl->Set(m, i, Timeline::kPlanEnrolled);
      }
    }
  });
}

bool ParticipantOk(const AttributionTerms& t, const std::string& provider,
                   const std::string& contract_provider) {
  if (t.participants.empty() || provider.empty() || provider == contract_provider) {
    return true;
  }
  return std::find(t.participants.begin(), t.participants.end(), provider) != t.participants.end();
}

// Step 2: attribution. Without [attribution] every plan-enrolled month is attributed.
Status MarkAttribution(const TimelineInputs& in, Timeline* tl, TimelineBuild* out) {
  const Contract& k = *in.contract;
  if (!k.attribution.declared) {
    ForEachMember(*tl, [&](uint32_t m) {
      for (int i = 0; i < tl->months(); ++i) {
        if (tl->Has(m, i, Timeline::kPlanEnrolled)) {
          tl->Set(m, i, Timeline::kAttributed);
        }
      }
    });
    return Status::Ok();
  }
  const attribution::AttributionSpec& spec = *in.attribution;
  auto result = in.attributed != nullptr ? Result<attribution::AttributionResult>(*in.attributed)
                                         : attribution::Attribute(*in.dataset, in.program, spec,
                                                                  k.period, *in.value_sets);
  if (!result.ok()) {
    return result.status();
  }
  // A member is the contract's in a month when the attribution period holding the month
  // attributes them to the contract's provider (or one of its participants).
  for (const auto& row : result->rows) {
    if (!row.attributed || !ParticipantOk(k.attribution, row.provider, spec.contract_provider)) {
      continue;
    }
    const Period& p = result->periods[static_cast<size_t>(row.period)];
    for (int i = 0; i < tl->months(); ++i) {
      const YearMonth ym = tl->MonthAt(i);
      if (ym.last_day() < p.start || ym.first_day() > p.end) {
        continue;
      }
      tl->Set(row.member, i, Timeline::kAttributed);
    }
  }
  if (spec.method == attribution::Method::kAttributionFile) {
    // The list's own dates count month by month: a month is attributed only when a listed span
    // covers a day of it.
    std::vector<std::vector<std::pair<Date, Date>>> spans(tl->members());
    int64_t unknown = 0;
    for (const auto& r : spec.file_rows) {
      const uint32_t m = in.dataset->members.Find(r.person_id);
      if (m == StringInterner::kNone) {
        ++unknown;
        continue;
      }
      if (!ParticipantOk(k.attribution, r.provider, spec.contract_provider)) {
        continue;
      }
      spans[m].emplace_back(r.start, r.end);
    }
    for (uint32_t m = 0; m < tl->members(); ++m) {
      for (int i = 0; i < tl->months(); ++i) {
        const YearMonth ym = tl->MonthAt(i);
        bool hit = false;
        for (const auto& [s, e] : spans[m]) {
          hit |= s <= ym.last_day() && (e == kNoDate || e >= ym.first_day());
        }
        if (!hit) {
          tl->Clear(m, i, Timeline::kAttributed);
        }
      }
    }
    if (unknown > 0) {
      out->notes.push_back(fmt::format(
          "{}: {} listed person ids have no eligibility, claims or program rows in the data",
          k.attribution.file, unknown));
    }
  }
  out->attribution = std::move(*result);
  return Status::Ok();
}

// Step 3: the [population] eligible definition, at the index date(s) the evaluation mode says.
// Who meets the compiled definition "eligible" with windows counted from `index_date`.
Result<std::vector<uint8_t>> EligibleAt(const TimelineInputs& in,
                                        const population::Program& compiled,
                                        const population::DatasetIndex& index, Date index_date,
                                        uint32_t members) {
  const Contract& k = *in.contract;
  population::EvalContext ctx;
  ctx.dataset = in.dataset;
  ctx.program = in.program;
  ctx.index_date = index_date;
  ctx.period_end = k.period.end;
  ctx.index = &index;
  auto eval = population::Evaluate(compiled, ctx);
  if (!eval.ok()) return eval.status();
  const population::Column* col = eval->Find("eligible");
  if (col == nullptr || !col->is_bool) {
    return InvalidInput(
        fmt::format("{}: [population] eligible must be a yes/no definition", k.path));
  }
  std::vector<uint8_t> flags = col->flags;
  flags.resize(members, 0);
  return flags;
}

Status MarkPopulation(const TimelineInputs& in, Timeline* tl) {
  const Contract& k = *in.contract;
  if (k.population.eligible.empty()) {
    ForEachMember(*tl, [&](uint32_t m) {
      for (int i = 0; i < tl->months(); ++i) {
        tl->Set(m, i, Timeline::kInPopulation);
      }
    });
    return Status::Ok();
  }
  auto compiled =
      population::Compile(k.definitions, {{"eligible", k.population.eligible}}, *in.value_sets);
  if (!compiled.ok()) {
    return InvalidInput(
        fmt::format("{}: [population] eligible: {}", k.path, compiled.status().message()));
  }
  const population::DatasetIndex index(*in.dataset, in.program);
  auto evaluate_at = [&](Date index_date) {
    return EligibleAt(in, *compiled, index, index_date, tl->members());
  };
  if (k.population.evaluate == PopulationEvaluation::kPeriodStart) {
    auto flags = evaluate_at(k.period.start);
    if (!flags.ok()) {
      return flags.status();
    }
    for (uint32_t m = 0; m < tl->members(); ++m) {
      if (!(*flags)[m]) {
        continue;
      }
      for (int i = 0; i < tl->months(); ++i) {
        tl->Set(m, i, Timeline::kInPopulation);
      }
    }
    return Status::Ok();
  }
  // monthly: evaluated on the first day of each month (the period start for the first);
  // sticky: as monthly, but a member stays in from the first month they qualify.
  const bool sticky = k.population.evaluate == PopulationEvaluation::kSticky;
  std::vector<uint8_t> qualified(tl->members(), 0);
  for (int i = 0; i < tl->months(); ++i) {
    const Date index_date = std::max(tl->MonthAt(i).first_day(), k.period.start);
    auto flags = evaluate_at(index_date);
    if (!flags.ok()) {
      return flags.status();
    }
    for (uint32_t m = 0; m < tl->members(); ++m) {
      const bool in_month = (*flags)[m] != 0 || (sticky && qualified[m]);
      if (in_month) {
        tl->Set(m, i, Timeline::kInPopulation);
        qualified[m] = 1;
      }
    }
  }
  return Status::Ok();
}

// Step 4: program enrollment spans, and the setting of each program month.
void MarkProgram(const ProgramData& program, Timeline* tl) {
  const auto& pe = program.enrollments;
  const MemberIndex idx = IndexByMember(pe.member, tl->members());
  const std::vector<Period> inside = MonthsInside(tl->period());
  tbb::parallel_for(uint32_t{0}, tl->members(), [&](uint32_t m) {
    if (idx.offsets[m] == idx.offsets[m + 1]) return;  // never enrolled in the program
    for (int i = 0; i < tl->months(); ++i) {
      const Date lo = inside[static_cast<size_t>(i)].start;
      const Date hi = inside[static_cast<size_t>(i)].end;
      int best_days = 0;
      Date best_start = kNoDate;
      int8_t best = Timeline::kNoSetting;
      for (uint32_t k = idx.offsets[m]; k < idx.offsets[m + 1]; ++k) {
        const uint32_t r = idx.order[k];
        const Date s = std::max(pe.start[r], lo);
        const Date e = pe.end[r] == kNoDate ? hi : std::min(pe.end[r], hi);
        if (e < s) {
          continue;
        }
        const int days = e - s + 1;
        // Most days of the month; on a tie, the span that starts later.
        if (days > best_days || (days == best_days && pe.start[r] > best_start)) {
          best_days = days;
          best_start = pe.start[r];
          best = static_cast<int8_t>(pe.setting[r]);
        }
      }
      if (best_days > 0) {
        tl->Set(m, i, Timeline::kProgramEnrolled);
        tl->SetSetting(m, i, best);
      }
    }
  });
}

void AddPopulationTrace(const Contract& k, const Timeline& tl, Trace* tr) {
  const int64_t plan = tl.CountMonths(Timeline::kPlanEnrolled);
  tr->AddCount(std::string(figure::kPlanMemberMonths), "Plan-enrolled member-months", plan,
               "member_months", "count of (member, month) pairs meeting the enrollment rule", {},
               "data: " + PlanEnrollmentRule(k) + " [contract.payers, contract.member_months]");
  std::vector<std::string> inputs = {std::string(figure::kPlanMemberMonths)};
  std::string formula = "plan-enrolled";
  if (k.attribution.declared) {
    const int64_t both = tl.CountMonths(Timeline::kPlanEnrolled | Timeline::kAttributed);
    std::string how =
        fmt::format("[attribution] method = \"{}\"", AttributionMethodName(k.attribution.method));
    if (!k.attribution.file.empty()) {
      how += fmt::format(", file = \"{}\"", k.attribution.file);
    }
    tr->AddCount(std::string(figure::kAttributedMemberMonths),
                 "Plan-enrolled and attributed member-months", both, "member_months",
                 "plan-enrolled member-months in which the member is attributed to the provider",
                 {std::string(figure::kPlanMemberMonths)},
                 how + " (attribution.csv gives each member's rationale)");
    inputs = {std::string(figure::kAttributedMemberMonths)};
    formula += " ∧ attributed";
  }
  if (!k.population.eligible.empty()) {
    const int64_t eligible =
        tl.CountMonths(Timeline::kPlanEnrolled | Timeline::kAttributed | Timeline::kInPopulation);
    std::string used;
    for (const auto& [name, text] : k.definitions) {
      if (k.population.eligible.find(name) != std::string::npos) {
        used += fmt::format("; {} = \"{}\"", name, text);
      }
    }
    tr->AddCount(std::string(figure::kEligibleMemberMonths),
                 "Member-months meeting the eligibility definition", eligible, "member_months",
                 fmt::format("eligible = \"{}\"{}", k.population.eligible, used), inputs,
                 fmt::format("[population] eligible, evaluate = \"{}\" (docs/definitions.md)",
                             PopulationEvaluationName(k.population.evaluate)));
    inputs = {std::string(figure::kEligibleMemberMonths)};
    formula += " ∧ meeting [population] eligible";
  }
  tr->AddCount(std::string(figure::kMemberMonths), "Member-months", tl.PopulationMonths().Total(),
               "member_months", "count of (member, month) pairs: " + formula, inputs,
               "data: the run's Timeline (docs/contract-reference.md, \"Population\")");
  tr->AddCount(
      std::string(figure::kMembers), "Members in the population",
      tl.CountMembers(Timeline::kPlanEnrolled | Timeline::kAttributed | Timeline::kInPopulation),
      "members", "members with at least one member-month", {std::string(figure::kMemberMonths)},
      "data: the run's Timeline");
}

}  // namespace

std::string PlanEnrollmentRule(const Contract& k) {
  std::string payers;
  for (const auto& p : k.payers) {
    payers += (payers.empty() ? "" : ", ") + p;
  }
  return fmt::format("eligibility spans with payer in [{}] overlapping {} of a month of {}",
                     payers.empty() ? "any payer" : payers,
                     k.member_months == MemberMonthRule::kAnyDay ? "any day" : "every day",
                     PeriodText(k.period));
}

Result<TimelineBuild> BuildTimeline(const TimelineInputs& in, Trace* trace) {
  TimelineBuild out;
  out.timeline = Timeline(in.contract->period, in.dataset->member_count());
  Timeline& tl = out.timeline;
  MarkPlanEnrollment(*in.dataset, *in.contract, &tl);
  if (Status s = MarkAttribution(in, &tl, &out); !s.ok()) {
    return s;
  }
  if (Status s = MarkPopulation(in, &tl); !s.ok()) {
    return s;
  }
  MarkProgram(*in.program, &tl);
  AddPopulationTrace(*in.contract, tl, trace);
  return out;
}

}  // namespace valuepact::run
