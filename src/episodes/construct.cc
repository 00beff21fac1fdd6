// Building one definition's episodes from the claims (episodes.h).
#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "metrics/member_events.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/episodes/episodes.h"
#include "valuepact/population/definition.h"

namespace valuepact::episodes {
namespace {

std::string Normalized(std::string_view code) {
  std::string s;
  for (char c : code) {
    if (c != '.' && c != ' ') s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

std::string WithoutLeadingZeros(std::string s) {
  while (s.size() > 1 && s.front() == '0') s.erase(s.begin());
  return s;
}

bool InList(const std::vector<std::string>& list, const std::string& code) {
  for (const auto& x : list) {
    if (!x.empty() && x.back() == '*' ? code.rfind(x.substr(0, x.size() - 1), 0) == 0 : x == code) {
      return true;
    }
  }
  return false;
}

std::string CodeOf(const Dataset& ds, uint32_t id) {
  return id == kNoCode ? std::string() : Normalized(ds.codes.Get(id));
}

// The triggering DRG of a stay ("" with a procedure trigger), or nullopt when it does not
// trigger: the first of its lines, in data order, with a listed code.
std::optional<std::string> Trigger(const Dataset& ds, const EpisodeTerms& e,
                                   const TriggerLines* flags, const std::vector<uint32_t>& lines) {
  const auto& t = ds.medical;
  for (uint32_t i : lines) {
    const std::string drg = CanonicalDrg(CodeOf(ds, t.drg[i]));
    if (!drg.empty() &&
        std::find(e.trigger.drg.begin(), e.trigger.drg.end(), drg) != e.trigger.drg.end()) {
      return drg;
    }
  }
  for (uint32_t i : lines) {
    const std::string code = CodeOf(ds, t.hcpcs[i]);
    if (!code.empty() && InList(e.trigger.hcpcs, code)) return std::string();
  }
  if (flags != nullptr && !flags->stay.empty()) {
    for (uint32_t i : lines) {
      if (flags->stay[i] != 0) return std::string();
    }
  }
  return std::nullopt;
}

std::string FamilyOf(const EpisodeTerms& e, const std::string& drg) {
  for (const auto& [name, codes] : e.drg_families) {
    if (std::find(codes.begin(), codes.end(), drg) != codes.end()) return name;
  }
  return e.id;
}

bool HomeLine(const Dataset& ds, const EpisodeTerms& e, uint32_t i) {
  const auto& t = ds.medical;
  const std::string pos = WithoutLeadingZeros(CodeOf(ds, t.place_of_service[i]));
  for (const auto& p : e.home.place_of_service) {
    if (!pos.empty() && WithoutLeadingZeros(Normalized(p)) == pos) return true;
  }
  return !e.home.revenue_code.empty() && InList(e.home.revenue_code, metrics::RevenueCode(ds, i));
}

// Home when a line of the stay has a home code, or when more than half of the member's
// professional lines within the stay that state a place of service are home lines (a supply
// delivered home during a hospital stay does not make it a stay at home).
std::string Setting(const Dataset& ds, const EpisodeTerms& e, const Period& stay,
                    const std::vector<uint32_t>& stay_lines,
                    const std::vector<uint32_t>& member_lines) {
  for (uint32_t i : stay_lines) {
    if (HomeLine(ds, e, i)) return "home";
  }
  int home = 0, stated = 0;
  for (uint32_t i : member_lines) {
    const Date d = ds.medical.claim_start[i];
    if (ds.medical.claim_type[i] != ClaimType::kProfessional || d == kNoDate || d < stay.start ||
        d > stay.end || ds.medical.place_of_service[i] == kNoCode) {
      continue;
    }
    ++stated;
    home += HomeLine(ds, e, i) ? 1 : 0;
  }
  return 2 * home > stated ? "home" : "hospital";
}

// An anchor: a triggering acute stay, or a program stay (trigger.program, from program data or
// the claims).
struct Anchor {
  uint32_t member = 0;
  Date start, end;
  bool open = false;  // a program stay without an end date
  std::vector<uint32_t> lines;
  std::string disposition, drg, family, setting;
};

// Why an anchor is not counted ("" when it is).
std::string Exclusion(const Dataset& ds, const EpisodeTerms& e, const Anchor& stay,
                      const Timeline* tl) {
  const uint32_t m = stay.member;
  const std::string person(ds.members.Get(m));
  if (std::find(e.exclude_members.begin(), e.exclude_members.end(), person) !=
      e.exclude_members.end()) {
    return "member excluded by the contract (exclude_members)";
  }
  if (e.in_population_only && tl != nullptr) {
    const int month = tl->IndexOf(YearMonth::Of(stay.start));
    if (month < 0 || m >= tl->members() || !tl->InPopulation(m, month)) {
      return "admitted outside the member's population months";
    }
  }
  const std::string disposition = WithoutLeadingZeros(Normalized(stay.disposition));
  if (e.exclude_death_in_anchor && disposition == "20") {
    return "died in the anchor stay (discharge disposition 20)";
  }
  if (e.exclude_transfers && disposition == "2") {
    return "transferred to another acute hospital (discharge disposition 02)";
  }
  if (!e.exclude_diagnoses.empty()) {
    const auto& t = ds.medical;
    for (uint32_t i : stay.lines) {
      for (uint32_t d = t.dx_offset[i]; d < t.dx_offset[i + 1]; ++d) {
        const std::string dx = CodeOf(ds, t.dx_code[d]);
        if (InList(e.exclude_diagnoses, dx)) {
          return fmt::format("diagnosis {} on the anchor stay (exclude_diagnoses)", dx);
        }
      }
    }
  }
  return "";
}

bool CountsInWindow(const EpisodeTerms& e, ServiceCategory c) {
  if (e.services.empty()) return true;
  const std::string name = ServiceCategoryName(c);
  return std::find(e.services.begin(), e.services.end(), name) != e.services.end();
}

// The window's lines and amounts, readmissions and ED visits.
void FillWindow(const Dataset& ds, const Contract& k, const EpisodeTerms& e,
                const metrics::MemberEvents& ev, const std::vector<uint32_t>& med,
                const std::vector<uint32_t>& rx, Episode* ep) {
  const bool paid = k.basis == AmountBasis::kPaid;
  const auto& t = ds.medical;
  for (uint32_t i : ep->anchor_lines) ep->anchor_paid += paid ? t.paid[i] : t.allowed[i];
  const Date from = ep->discharge + 1;
  auto in_window = [&](Date d) { return d != kNoDate && d >= from && d <= ep->window_end; };
  if (k.medical) {
    for (uint32_t i : med) {
      if (!in_window(t.claim_start[i]) || !CountsInWindow(e, t.category[i])) continue;
      if (std::binary_search(ep->anchor_lines.begin(), ep->anchor_lines.end(), i)) continue;
      ep->post_medical.push_back(i);
      ep->post_paid += paid ? t.paid[i] : t.allowed[i];
    }
  }
  if (k.pharmacy && CountsInWindow(e, ServiceCategory::kPharmacy)) {
    const auto& p = ds.pharmacy;
    for (uint32_t i : rx) {
      if (!in_window(p.dispensing_date[i])) continue;
      ep->post_pharmacy.push_back(i);
      ep->post_paid += paid ? p.paid[i] : p.allowed[i];
    }
  }
  ep->total_paid = ep->anchor_paid + ep->post_paid;
  for (const auto& s : ev.acute) ep->readmissions += in_window(s.start) ? 1 : 0;
  for (const auto& v : ev.ed_visits) ep->ed_visits += in_window(v.start) ? 1 : 0;
}

// The member's program enrollment spans as anchors (trigger.program): the span is the stay; its
// lines are the member's medical lines starting within it.
void ProgramAnchors(const Dataset& ds, const EpisodeTerms& e, const ProgramData* program,
                    uint32_t member, const std::vector<uint32_t>& med, std::vector<Anchor>* out) {
  if (e.trigger.program.empty() || program == nullptr) return;
  const ProgramEnrollmentTable& t = program->enrollments;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t.member[i] != member) continue;
    Anchor a;
    a.member = member;
    a.start = t.start[i];
    a.open = t.end[i] == kNoDate;
    a.end = a.open ? a.start : t.end[i];
    for (uint32_t line : med) {
      const Date d = ds.medical.claim_start[line];
      if (d != kNoDate && d >= a.start && d <= a.end) a.lines.push_back(line);
    }
    a.family = e.trigger.program;
    a.setting = std::string(kCareSettingNames[static_cast<size_t>(t.setting[i])]);
    out->push_back(std::move(a));
  }
}

// The member's program admissions from the claims (trigger.claims): the lines meeting the rule,
// by their service dates; a line starting no more than gap_days after the admission's end so
// far joins it. The admission's lines are all the member's lines that start within it; its
// disposition is that of the matching line that ends last.
void ClaimsAnchors(const Dataset& ds, const EpisodeTerms& e, const TriggerLines& flags,
                   uint32_t member, const std::vector<uint32_t>& med, std::vector<Anchor>* out) {
  struct Hit {
    Period dates;
    uint32_t line;
  };
  std::vector<Hit> hits;
  for (uint32_t i : med) {
    if (flags.claims.empty() || flags.claims[i] == 0) continue;
    if (auto d = metrics::ServiceDates(ds, i)) hits.push_back({*d, i});
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return std::tie(a.dates.start, a.dates.end, a.line) <
           std::tie(b.dates.start, b.dates.end, b.line);
  });
  std::vector<std::pair<Period, uint32_t>> spans;  // admission, its last-ending line
  for (const Hit& h : hits) {
    if (spans.empty() || h.dates.start > spans.back().first.end + e.trigger.claims.gap_days) {
      spans.push_back({h.dates, h.line});
    } else if (h.dates.end >= spans.back().first.end) {
      spans.back() = {{spans.back().first.start, h.dates.end}, h.line};
    }
  }
  for (const auto& [span, last] : spans) {
    Anchor a;
    a.member = member;
    a.start = span.start;
    a.end = span.end;
    for (uint32_t line : med) {
      const Date d = ds.medical.claim_start[line];
      if (d != kNoDate && d >= a.start && d <= a.end) a.lines.push_back(line);
    }
    const uint32_t disp = ds.medical.discharge_disposition[last];
    a.disposition = disp == kNoCode ? "" : std::string(ds.codes.Get(disp));
    a.family = e.trigger.program;
    a.setting = Setting(ds, e, span, a.lines, med);
    out->push_back(std::move(a));
  }
}

// Every anchor of the member: triggering acute stays and program admissions, by start.
std::vector<Anchor> Anchors(const Dataset& ds, const EpisodeTerms& e, const ProgramData* program,
                            const TriggerLines* flags, const metrics::MemberEvents& ev,
                            uint32_t member, const std::vector<uint32_t>& med) {
  std::vector<Anchor> out;
  for (const auto& stay : ev.acute) {
    if (!e.trigger.stays()) break;
    const auto drg = Trigger(ds, e, flags, stay.lines);
    if (!drg) continue;
    Anchor a;
    a.member = stay.member;
    a.start = stay.start;
    a.end = stay.end;
    a.lines = stay.lines;
    a.disposition = stay.disposition;
    a.drg = *drg;
    a.family = drg->empty() ? e.id : FamilyOf(e, *drg);
    a.setting = Setting(ds, e, {stay.start, stay.end}, stay.lines, med);
    out.push_back(std::move(a));
  }
  if (e.trigger.claims.declared) {
    if (flags != nullptr) ClaimsAnchors(ds, e, *flags, member, med, &out);
  } else {
    ProgramAnchors(ds, e, program, member, med, &out);
  }
  std::stable_sort(out.begin(), out.end(), [](const Anchor& a, const Anchor& b) {
    return std::tie(a.start, a.end) < std::tie(b.start, b.end);
  });
  return out;
}

// One member's episodes of the definition, in admission order.
std::vector<Episode> MemberEpisodes(const Dataset& ds, const Contract& k, const EpisodeTerms& e,
                                    const Period& period, const Timeline* tl,
                                    const ProgramData* program, const TriggerLines* flags,
                                    uint32_t member, const std::vector<uint32_t>& med,
                                    const std::vector<uint32_t>& rx) {
  std::vector<Episode> out;
  if (med.empty() &&
      (program == nullptr || e.trigger.program.empty() || e.trigger.claims.declared)) {
    return out;
  }
  // Stays are read over all the member's lines: a window opened before the period can absorb
  // a stay in it, and windows run past the period's end.
  const Period all{Date::FromDays(-1000000), Date::FromDays(1000000)};
  const metrics::MemberEvents ev = metrics::BuildMemberEvents(ds, med, all);
  std::optional<Date> open_until;  // the window of the member's last episode
  std::vector<Episode> all_episodes;
  for (Anchor& a : Anchors(ds, e, program, flags, ev, member, med)) {
    if (open_until && a.start <= *open_until && !all_episodes.empty()) {
      Episode& open = all_episodes.back();
      ++open.folded_stays;
      if (e.extend_on_overlap) {
        open.window_end = std::max(open.window_end, a.end + e.window_days);
        open_until = open.window_end;
      }
      continue;
    }
    Episode ep;
    ep.definition = e.id;
    ep.member = a.member;
    ep.admit = a.start;
    ep.discharge = a.end;
    ep.window_end = a.end + e.window_days;
    ep.drg = a.drg;
    ep.family = a.family;
    ep.setting = a.setting;
    ep.excluded = a.open ? "the program stay is still open (no end date): no window yet"
                         : Exclusion(ds, e, a, tl);
    std::sort(a.lines.begin(), a.lines.end());
    ep.anchor_lines = std::move(a.lines);
    open_until = ep.window_end;
    all_episodes.push_back(std::move(ep));
  }
  for (auto& ep : all_episodes) {
    if (ep.admit < period.start || ep.admit > period.end) continue;
    FillWindow(ds, k, e, ev, med, rx, &ep);
    out.push_back(std::move(ep));
  }
  return out;
}

// Lines meeting a claim line condition of the definition language.
Result<std::vector<uint8_t>> LineCondition(const Dataset& ds, const Contract& k,
                                           const ProgramData* program,
                                           const population::ValueSetLibrary* value_sets,
                                           const std::string& name, const std::string& text) {
  if (value_sets == nullptr) {
    return InvalidInput(fmt::format("{}: {} needs the value sets to be loaded", k.path, name));
  }
  auto compiled =
      population::CompileLineCondition(k.definitions, {name, text}, *value_sets, nullptr);
  if (!compiled.ok()) {
    return InvalidInput(fmt::format("{}: {}", k.path, compiled.status().message()));
  }
  population::EvalContext ctx;
  ctx.dataset = &ds;
  ctx.program = program;
  ctx.index_date = k.period.start;
  ctx.period_end = k.period.end;
  auto ev = population::Evaluate(*compiled, ctx);
  if (!ev.ok()) return ev.status();
  return std::move(ev->columns.at(0).flags);
}

// A line with a listed place of service or revenue code (trigger.claims).
bool ClaimsCodeLine(const Dataset& ds, const EpisodeClaimsRule& r, uint32_t i) {
  const std::string pos = WithoutLeadingZeros(CodeOf(ds, ds.medical.place_of_service[i]));
  for (const auto& p : r.place_of_service) {
    if (!pos.empty() && WithoutLeadingZeros(p) == pos) return true;
  }
  return !r.revenue_code.empty() && InList(r.revenue_code, metrics::RevenueCode(ds, i));
}

}  // namespace

Result<TriggerLines> TriggerLineFlags(const Dataset& ds, const Contract& k, const EpisodeTerms& e,
                                      const population::ValueSetLibrary* value_sets,
                                      const ProgramData* program) {
  TriggerLines out;
  if (!e.trigger.definition.empty()) {
    auto f =
        LineCondition(ds, k, program, value_sets,
                      fmt::format("episode {} trigger.definition", e.id), e.trigger.definition);
    if (!f.ok()) return f.status();
    out.stay = std::move(*f);
  }
  const EpisodeClaimsRule& r = e.trigger.claims;
  if (r.declared) {
    std::vector<uint8_t> f(ds.medical.size(), 0);
    if (!r.definition.empty()) {
      auto d =
          LineCondition(ds, k, program, value_sets,
                        fmt::format("episode {} trigger.claims.definition", e.id), r.definition);
      if (!d.ok()) return d.status();
      f = std::move(*d);
    }
    tbb::parallel_for(size_t{0}, f.size(), [&](size_t i) {
      if (f[i] == 0 && ClaimsCodeLine(ds, r, static_cast<uint32_t>(i))) f[i] = 1;
    });
    out.claims = std::move(f);
  }
  return out;
}

std::vector<Episode> ConstructEpisodes(const Dataset& ds, const Contract& k, const EpisodeTerms& e,
                                       const Period& period, const Timeline* tl,
                                       const ProgramData* program, const TriggerLines* flags) {
  const uint32_t n = ds.member_count();
  const MemberIndex med = IndexByMember(ds.medical.member, n);
  const MemberIndex rx = IndexByMember(ds.pharmacy.member, n);
  std::vector<std::vector<Episode>> by_member(n);
  tbb::parallel_for(uint32_t{0}, n, [&](uint32_t m) {
    const std::vector<uint32_t> ml(med.order.begin() + med.offsets[m],
                                   med.order.begin() + med.offsets[m + 1]);
    const std::vector<uint32_t> rl(rx.order.begin() + rx.offsets[m],
                                   rx.order.begin() + rx.offsets[m + 1]);
    by_member[m] = MemberEpisodes(ds, k, e, period, tl, program, flags, m, ml, rl);
  });
  std::vector<Episode> out;
  for (auto& v : by_member) {
    for (auto& ep : v) out.push_back(std::move(ep));
  }
  std::sort(out.begin(), out.end(), [&](const Episode& a, const Episode& b) {
    const auto pa = ds.members.Get(a.member), pb = ds.members.Get(b.member);
    return std::tie(pa, a.admit) < std::tie(pb, b.admit);
  });
  for (size_t i = 0; i < out.size(); ++i) out[i].id = fmt::format("{}-{}", e.id, i + 1);
  return out;
}

}  // namespace valuepact::episodes
