#include "valuepact/settlement/program_quantities.h"
#include "valuepact/core/figure_ids.h"

#include "valuepact/settlement/layer_loop.h"

#include <fmt/format.h>

namespace valuepact {
namespace {

constexpr const char* kProgramMonthRule =
    "a month in which the member is plan-enrolled and attributed and a program enrollment span "
    "(enrollments.csv, blank end = open) covers at least one day of the month inside the period";

std::string Join(const std::vector<std::string>& parts, size_t limit = 40) {
  std::string o;
  for (size_t i = 0; i < parts.size() && i < limit; ++i) {
    o += (i ? ", " : "") + parts[i];
  }
  if (parts.size() > limit) {
    o += fmt::format(", … and {} more", parts.size() - limit);
  }
  return o;
}

}  // namespace

std::string TimelineQuantities::Origin(const SourceRef& s) const {
  const std::string path =
      s.file < ds_.sources.size() ? ds_.sources[s.file].path : std::string("?");
  const size_t slash = path.find_last_of('/');
  return fmt::format("{}:{}", slash == std::string::npos ? path : path.substr(slash + 1), s.line);
}

Result<LayerQuantity> TimelineQuantities::Get(const std::string& name,
                                              const PaymentLayerTerms& layer, Trace* trace) {
  if (name == figure::kMemberMonths || name == figure::kMembers) {
    LayerQuantity q;
    q.known = true;
    q.trace_id = name;
    q.count = name == figure::kMembers ? members_ : member_months_;
    return q;
  }
  // Layer-specific counts are not shared between layers.
  const std::string key = name == "program.outlier_member_months" ? name + "/" + layer.id : name;
  if (auto it = cache_.find(key); it != cache_.end()) {
    return it->second;
  }
  LayerQuantity q;
  if (name == "program.member_months" || name.rfind("program.member_months.", 0) == 0) {
    q = ProgramMonths(name, trace);
  } else if (name == "program.initial_assessments") {
    q = InitialAssessments(trace);
  } else if (name == "program.acp_members" || name == "program.acp_events") {
    q = Acp(name == "program.acp_events", trace);
  } else if (name == "program.outlier_member_months") {
    q = OutlierMonths(layer, trace);
  } else if (name.rfind("measure.", 0) == 0) {
    q = Measure(name.substr(8), trace);
  } else if (name.rfind("episode.", 0) == 0) {
    q = Episode(name);
  } else {
    return InvalidInput(fmt::format("internal: unknown layer quantity '{}'", name));
  }
  cache_[key] = q;
  return q;
}

// Program member-months, in total or in one care setting; one evidence node per member.
LayerQuantity TimelineQuantities::ProgramMonths(const std::string& name, Trace* trace) {
  int setting = -1;
  std::string setting_name;
  if (name != "program.member_months") {
    setting_name = name.substr(std::string("program.member_months.").size());
    setting = ProgramEnumIndex(kCareSettingNames, setting_name);
  }
  LayerQuantity q;
  q.known = true;
  q.trace_id = name;
  std::vector<std::string> inputs;
  for (uint32_t m = 0; m < tl_.members(); ++m) {
    std::vector<std::string> months;
    int in_setting = 0;
    for (int i = 0; i < tl_.months(); ++i) {
      if (!tl_.ProgramMonth(m, i)) {
        continue;
      }
      const int8_t raw = tl_.setting(m, i);
      const int s = raw < 0 ? -1 : static_cast<int>(static_cast<uint8_t>(raw));
      months.push_back(fmt::format("{} {}", tl_.MonthAt(i).ToString(),
                                   s >= 0 ? kCareSettingNames[static_cast<size_t>(s)] : "?"));
      in_setting += setting < 0 || s == setting;
    }
    if (months.empty()) {
      continue;
    }
    const std::string pid(ds_.members.Get(m));
    const std::string id = "program.member." + pid;
    if (trace->Find(id) == nullptr) {
      trace
          ->AddCount(id, fmt::format("Program member-months of member {}", pid),
                     static_cast<int64_t>(months.size()), "member_months",
                     "months (setting): " + Join(months), {},
                     std::string("data: enrollments.csv; ") + kProgramMonthRule)
          .member = pid;
    }
    if (in_setting == 0) {
      continue;
    }
    q.count += in_setting;
    inputs.push_back(id);
  }
  trace->AddCount(
      q.trace_id,
      setting_name.empty() ? std::string("Program member-months")
                           : fmt::format("Program member-months in the setting {}", setting_name),
      q.count, "member_months",
      setting_name.empty()
          ? "Σ over members of their program member-months"
          : "Σ over members of their program member-months whose setting is " + setting_name +
                " (the span covering most days of the month; the "
                "later-starting span on a tie)",
      inputs, std::string("data: enrollments.csv; ") + kProgramMonthRule);
  return q;
}

// Initial assessments dated in the period for persons plan-enrolled in the assessment's month,
// eligible or not (seed 002).
LayerQuantity TimelineQuantities::InitialAssessments(Trace* trace) {
  const auto& ev = program_.events;
  std::map<uint32_t, std::vector<std::string>> by_member;
  LayerQuantity q;
  q.known = true;
  q.trace_id = "program.initial_assessments";
  for (size_t r = 0; r < ev.size(); ++r) {
    if (ev.event[r] != ProgramEvent::kInitialAssessment) {
      continue;
    }
    if (!tl_.period().Contains(ev.date[r])) {
      continue;
    }
    const int i = tl_.IndexOf(YearMonth::Of(ev.date[r]));
    if (i < 0 || ev.member[r] >= tl_.members() ||
        !tl_.Has(ev.member[r], i, Timeline::kPlanEnrolled)) {
      continue;
    }
    by_member[ev.member[r]].push_back(
        fmt::format("{} ({})", ev.date[r].ToString(), Origin(ev.source[r])));
    ++q.count;
  }
  std::vector<std::string> inputs;
  for (const auto& [m, rows] : by_member) {
    const std::string pid(ds_.members.Get(m));
    const std::string id = fmt::format("{}.{}", q.trace_id, pid);
    trace
        ->AddCount(id, fmt::format("Initial assessments of member {}", pid),
                   static_cast<int64_t>(rows.size()), "count", Join(rows), {}, "data: events.csv")
        .member = pid;
    inputs.push_back(id);
  }
  trace->AddCount(q.trace_id, "Initial assessments", q.count, "count",
                  "initial_assessment events dated in the period for persons plan-enrolled in "
                  "the event's month, whether or not found eligible or enrolled",
                  inputs, "data: events.csv (event = initial_assessment)");
  return q;
}

// Advance-care-planning discussions dated in the period on a day inside one of the member's
// program enrollment spans, in a program member-month.
LayerQuantity TimelineQuantities::Acp(bool events, Trace* trace) {
  const auto& ev = program_.events;
  const auto& pe = program_.enrollments;
  const MemberIndex spans = IndexByMember(pe.member, tl_.members());
  std::map<uint32_t, std::vector<std::string>> by_member;
  for (size_t r = 0; r < ev.size(); ++r) {
    if (ev.event[r] != ProgramEvent::kAcpDiscussion) {
      continue;
    }
    const Date d = ev.date[r];
    const uint32_t m = ev.member[r];
    if (!tl_.period().Contains(d) || m >= tl_.members()) {
      continue;
    }
    const int i = tl_.IndexOf(YearMonth::Of(d));
    if (i < 0 || !tl_.ProgramMonth(m, i)) {
      continue;
    }
    bool inside = false;
    for (uint32_t k = spans.offsets[m]; k < spans.offsets[m + 1] && !inside; ++k) {
      const uint32_t s = spans.order[k];
      inside = pe.start[s] <= d && (pe.end[s] == kNoDate || d <= pe.end[s]);
    }
    if (inside) {
      by_member[m].push_back(fmt::format("{} ({})", d.ToString(), Origin(ev.source[r])));
    }
  }
  LayerQuantity q;
  q.known = true;
  q.trace_id = events ? "program.acp_events" : "program.acp_members";
  std::vector<std::string> inputs;
  for (const auto& [m, rows] : by_member) {
    const std::string pid(ds_.members.Get(m));
    const std::string id = fmt::format("program.acp.{}", pid);
    if (trace->Find(id) == nullptr) {
      trace
          ->AddCount(id, fmt::format("Advance-care-planning discussions of member {}", pid),
                     static_cast<int64_t>(rows.size()), "count", Join(rows), {},
                     "data: events.csv (event = acp_discussion)")
          .member = pid;
    }
    inputs.push_back(id);
    q.count += events ? static_cast<int64_t>(rows.size()) : 1;
  }
  trace->AddCount(q.trace_id,
                  events ? "Advance-care-planning discussions" : "Members with an ACP discussion",
                  q.count, "count",
                  events ? "acp_discussion events in the period, on a day inside a program "
                           "enrollment span, in a program member-month"
                         : "distinct members with at least one such acp_discussion event",
                  inputs, "data: events.csv (event = acp_discussion), enrollments.csv");
  return q;
}

// Program member-months whose visits (or visit minutes) exceed the layer's threshold.
LayerQuantity TimelineQuantities::OutlierMonths(const PaymentLayerTerms& layer, Trace* trace) {
  const bool minutes = layer.program.measure == "minutes";
  const double threshold = layer.program.threshold.value_or(0);
  const auto& v = program_.visits;
  std::map<std::pair<uint32_t, int>, int64_t> per_month;
  for (size_t r = 0; r < v.size(); ++r) {
    const int i = tl_.IndexOf(YearMonth::Of(v.date[r]));
    if (i < 0 || v.member[r] >= tl_.members()) {
      continue;
    }
    per_month[{v.member[r], i}] += minutes ? v.minutes[r] : 1;
  }
  LayerQuantity q;
  q.known = true;
  q.trace_id = fmt::format("layer.{}.units", layer.id);
  std::map<uint32_t, std::vector<std::string>> by_member;
  for (const auto& [key, n] : per_month) {
    const auto [m, i] = key;
    if (!tl_.ProgramMonth(m, i) || static_cast<double>(n) <= threshold) {
      continue;
    }
    by_member[m].push_back(fmt::format("{}: {}", tl_.MonthAt(i).ToString(), n));
    ++q.count;
  }
  std::vector<std::string> inputs;
  for (const auto& [m, rows] : by_member) {
    const std::string pid(ds_.members.Get(m));
    const std::string id = fmt::format("{}.{}", q.trace_id, pid);
    trace
        ->AddCount(
            id, fmt::format("{}: outlier months of member {}", layer.label, pid),
            static_cast<int64_t>(rows.size()), "member_months",
            fmt::format("{} per month: {}", minutes ? "visit minutes" : "visits", Join(rows)), {},
            "data: visits.csv")
        .member = pid;
    inputs.push_back(id);
  }
  trace->AddCount(q.trace_id,
                  fmt::format("{}: program member-months with more than {:g} {}", layer.label,
                              threshold, minutes ? "visit minutes" : "visits"),
                  q.count, "member_months",
                  fmt::format("program member-months in which the member's {} dated in the month "
                              "exceed {:g}",
                              minutes ? "visit minutes" : "visits", threshold),
                  inputs, LayerClause(layer) + ".threshold; data: visits.csv");
  return q;
}

LayerQuantity TimelineQuantities::Measure(const std::string& measure, Trace* trace) {
  LayerQuantity q;
  q.trace_id = "measure." + measure;
  const auto it = measures_.by_name.find(measure);
  if (const auto nc = measures_.not_computable.find(measure);
      it == measures_.by_name.end() && nc != measures_.not_computable.end()) {
    q.missing = nc->second;
    return q;
  }
  if (it == measures_.by_name.end()) {
    q.missing =
        measures_.path.empty()
            ? fmt::format("no measured value for '{}' (give it with --measures FILE)", measure)
            : fmt::format("{} has no row for measure '{}'", measures_.path, measure);
    return q;
  }
  q.known = true;
  q.value = it->second.value;
  if (!it->second.computed_id.empty()) {
    trace->AddRate(q.trace_id, fmt::format("Measure {}", measure), q.value,
                   "the catalogue metric computed from the data", {it->second.computed_id},
                   "docs/metrics.md (" + it->second.origin + ")");
    return q;
  }
  trace->AddRate(q.trace_id, fmt::format("Measure {}", measure), q.value, "input", {},
                 fmt::format("measures file {}{}", it->second.origin,
                             it->second.source.empty() ? "" : " (" + it->second.source + ")"));
  return q;
}

// "episode.<id>.reconciliation": the amount the run computed for the [[episode]].
LayerQuantity TimelineQuantities::Episode(const std::string& name) const {
  LayerQuantity q;
  const std::string id = name.substr(8, name.rfind('.') - 8);
  q.missing = fmt::format("no reconciliation of [[episode]] {} was computed", id);
  if (episodes_ == nullptr) return q;
  const auto it = episodes_->find(id);
  if (it == episodes_->end()) return q;
  q.known = true;
  q.amount = it->second.amount;
  q.trace_id = it->second.trace_id;
  return q;
}

}  // namespace valuepact
