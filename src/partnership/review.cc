// What a partnership record says (partnership.h): gaps and overlaps in who does what, each
// partner's readiness, the next meeting due, open and overdue actions; and a dataset's payer mix.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "valuepact/partnership/partnership.h"
#include "valuepact/population/definition.h"

namespace valuepact::partnership {
namespace {

std::vector<ActivityFinding> Findings(const Partnership& p, std::vector<std::string>* activities) {
  std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> by;
  for (const auto& r : p.responsibilities) {
    if (by.count(r.activity) == 0) activities->push_back(r.activity);
    auto& [resp, acc] = by[r.activity];
    if (r.role == 'R') resp.insert(r.party);
    if (r.role == 'A') acc.insert(r.party);
  }
  std::vector<ActivityFinding> out;
  for (const auto& a : *activities) {
    const auto& [resp, acc] = by[a];
    ActivityFinding f{a, {resp.begin(), resp.end()}, {acc.begin(), acc.end()}, ""};
    auto add = [&](const char* problem) {
      f.problem = problem;
      out.push_back(f);
    };
    if (resp.empty()) add("gap");
    if (resp.size() > 1) add("overlap");
    if (acc.empty()) add("no_accountable");
    if (acc.size() > 1) add("several_accountable");
  }
  return out;
}

std::vector<Readiness> Ready(const Partnership& p) {
  std::vector<Readiness> out;
  std::map<std::string, std::vector<const CompetencyScore*>> by;
  std::vector<std::string> order;
  for (const auto& s : p.readiness) {
    if (by.count(s.partner) == 0) order.push_back(s.partner);
    by[s.partner].push_back(&s);
  }
  for (const auto& partner : order) {
    auto& list = by[partner];
    double sw = 0, sws = 0;
    for (const auto* s : list) {
      sw += s->weight;
      sws += s->weight * s->score;
    }
    Readiness r;
    r.partner = partner;
    r.score = sw > 0 ? sws / sw : 0;
    r.rating = r.score >= p.ready_at        ? "ready"
               : r.score >= p.developing_at ? "developing"
                                            : "not_ready";
    std::stable_sort(
        list.begin(), list.end(),
        [](const CompetencyScore* a, const CompetencyScore* b) { return a->score < b->score; });
    r.weakest.assign(list.begin(),
                     list.begin() + static_cast<long>(std::min<size_t>(3, list.size())));
    out.push_back(r);
  }
  return out;
}

std::string PartyName(const Partnership& p, const std::string& id) {
  for (const auto& x : p.parties) {
    if (x.id == id) return x.name;
  }
  return id;
}

std::string Names(const Partnership& p, const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + PartyName(p, id);
  return out.empty() ? "no one" : out;
}

}  // namespace

Review ReviewPartnership(const Partnership& p, Date as_of) {
  Review r;
  r.as_of = as_of;
  r.findings = Findings(p, &r.activities);
  r.readiness = Ready(p);
  for (const auto& m : p.meetings) {
    if (m.date <= as_of && (!r.last_meeting || m.date > *r.last_meeting)) r.last_meeting = m.date;
  }
  if (!r.last_meeting) {
    r.next_meeting_due = p.start;
  } else {
    // The early cadence while the next meeting would still fall in the early months.
    auto next = [&](const std::string& every) {
      return population::AddMonths(*r.last_meeting, every == "monthly" ? 1 : 3);
    };
    const Date early_end = population::AddMonths(p.start, p.cadence.early_months);
    r.next_meeting_due =
        next(p.cadence.early) < early_end ? next(p.cadence.early) : next(p.cadence.then);
  }
  r.meeting_overdue = as_of > r.next_meeting_due;
  for (const auto& a : p.actions) {
    if (a.status != "open") continue;
    r.open.push_back(&a);
    if (a.due < as_of) r.overdue.push_back(&a);
  }
  return r;
}

std::string ReviewMarkdown(const Partnership& p, const Review& r) {
  std::string out = fmt::format("# Partnership: {}\n\nAs of {}. Started {}.{}\n\n## Parties\n\n",
                                p.name, r.as_of.ToString(), p.start.ToString(),
                                p.contract.empty() ? "" : " Contract: `" + p.contract + "`.");
  for (const auto& x : p.parties) {
    out += fmt::format("- **{}** ({}, `{}`)", x.name, x.kind, x.id);
    for (const auto& c : p.contacts) {
      if (c.party == x.id) {
        out +=
            fmt::format("; {} — {}{}", c.name, c.role, c.email.empty() ? "" : " <" + c.email + ">");
      }
    }
    out += "\n";
  }
  out += fmt::format("\n## Who does what\n\n{} activities. ", r.activities.size());
  if (r.findings.empty()) out += "Each has one party responsible and one accountable.\n";
  for (const auto& f : r.findings) {
    if (&f == &r.findings.front()) {
      out += "\n\n| activity | finding | responsible | accountable |\n|---|---|---|---|\n";
    }
    const char* what = f.problem == "gap"       ? "**gap**: no one is responsible"
                       : f.problem == "overlap" ? "**overlap**: more than one party is responsible"
                       : f.problem == "no_accountable" ? "no one is accountable"
                                                       : "more than one party is accountable";
    out += fmt::format("| {} | {} | {} | {} |\n", f.activity, what, Names(p, f.responsible),
                       Names(p, f.accountable));
  }
  out += "\n## Readiness\n\n";
  if (r.readiness.empty()) out += "No evaluation (readiness.csv).\n";
  for (const auto& x : r.readiness) {
    std::string weak;
    for (const auto* s : x.weakest) {
      weak += fmt::format("{}{} {:.1f}", weak.empty() ? "" : ", ", s->competency, s->score);
    }
    out += fmt::format(
        "- {}: **{:.2f}** of 5, {} (ready at {:.1f}, developing at {:.1f}); weakest: {}\n",
        PartyName(p, x.partner), x.score, x.rating, p.ready_at, p.developing_at, weak);
  }
  out += fmt::format("\n## Governance\n\n- Meetings: {} held; last {}; next due {}{}.\n",
                     p.meetings.size(), r.last_meeting ? r.last_meeting->ToString() : "none",
                     r.next_meeting_due.ToString(), r.meeting_overdue ? " (**overdue**)" : "");
  out += fmt::format("- Cadence: {} for the first {} months, then {}.\n", p.cadence.early,
                     p.cadence.early_months, p.cadence.then);
  out += fmt::format("- Action items: {} open, {} overdue.\n", r.open.size(), r.overdue.size());
  for (const auto* a : r.overdue) {
    out += fmt::format("  - **overdue** `{}` {} — {}, due {}\n", a->id, a->description,
                       PartyName(p, a->owner), a->due.ToString());
  }
  for (const auto& v : p.versions) {
    out +=
        fmt::format("- Contract version {} effective {}{}: {}\n", v.version, v.effective.ToString(),
                    v.file.empty() ? "" : " (`" + v.file + "`)", v.changes);
  }
  for (const auto& t : p.triggers) {
    out += fmt::format("- Reopen trigger `{}` fired {}: {}\n", t.trigger, t.date.ToString(),
                       t.decision.empty() ? "no decision recorded" : t.decision);
  }
  return out;
}

nlohmann::ordered_json ReviewJson(const Partnership& p, const Review& r) {
  nlohmann::ordered_json j;
  j["partnership"] = {
      {"id", p.id}, {"name", p.name}, {"start", p.start.ToString()}, {"contract", p.contract}};
  j["as_of"] = r.as_of.ToString();
  j["parties"] = nlohmann::ordered_json::array();
  for (const auto& x : p.parties) {
    j["parties"].push_back({{"id", x.id}, {"name", x.name}, {"kind", x.kind}});
  }
  j["activities"] = r.activities;
  // The matrix itself: each activity's role per party (R, A, C or I), as responsibilities.csv
  // gives it.
  j["matrix"] = nlohmann::ordered_json::array();
  for (const auto& activity : r.activities) {
    nlohmann::ordered_json roles = nlohmann::ordered_json::object();
    for (const auto& x : p.responsibilities) {
      if (x.activity != activity) continue;
      std::string role = roles.value(x.party, "");
      role += x.role;
      roles[x.party] = role;
    }
    j["matrix"].push_back({{"activity", activity}, {"roles", roles}});
  }
  j["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : r.findings) {
    j["findings"].push_back({{"activity", f.activity},
                             {"problem", f.problem},
                             {"responsible", f.responsible},
                             {"accountable", f.accountable}});
  }
  j["readiness"] = nlohmann::ordered_json::array();
  for (const auto& x : r.readiness) {
    j["readiness"].push_back({{"partner", x.partner}, {"score", x.score}, {"rating", x.rating}});
  }
  j["meetings"] = {{"held", p.meetings.size()},
                   {"last", r.last_meeting ? r.last_meeting->ToString() : ""},
                   {"next_due", r.next_meeting_due.ToString()},
                   {"overdue", r.meeting_overdue}};
  j["meetings"]["list"] = nlohmann::ordered_json::array();
  for (const auto& m : p.meetings) {
    j["meetings"]["list"].push_back({{"date", m.date.ToString()},
                                     {"kind", m.kind},
                                     {"agenda", m.agenda},
                                     {"decisions", m.decisions}});
  }
  j["actions"] = {{"open", r.open.size()}, {"overdue", nlohmann::ordered_json::array()}};
  for (const auto* a : r.overdue) {
    j["actions"]["overdue"].push_back(
        {{"id", a->id}, {"owner", a->owner}, {"due", a->due.ToString()}});
  }
  j["actions"]["list"] = nlohmann::ordered_json::array();
  for (const auto& a : p.actions) {
    const bool overdue = std::find(r.overdue.begin(), r.overdue.end(), &a) != r.overdue.end();
    j["actions"]["list"].push_back({{"id", a.id},
                                    {"action", a.description},
                                    {"owner", a.owner},
                                    {"raised", a.raised.ToString()},
                                    {"due", a.due.ToString()},
                                    {"status", a.status},
                                    {"overdue", overdue}});
  }
  j["contract_versions"] = nlohmann::ordered_json::array();
  for (const auto& v : p.versions) {
    j["contract_versions"].push_back(
        {{"version", v.version}, {"effective", v.effective.ToString()}, {"changes", v.changes}});
  }
  j["triggers_fired"] = nlohmann::ordered_json::array();
  for (const auto& t : p.triggers) {
    j["triggers_fired"].push_back(
        {{"date", t.date.ToString()}, {"trigger", t.trigger}, {"decision", t.decision}});
  }
  return j;
}

std::vector<PayerShare> PayerMix(const Dataset& ds) {
  const auto& e = ds.eligibility;
  std::map<uint32_t, std::set<uint32_t>> members;
  std::map<uint32_t, Money> paid;
  // Each member's spans, to date their claims.
  std::vector<std::vector<size_t>> spans(ds.member_count());
  for (size_t i = 0; i < e.size(); ++i) {
    members[e.payer[i]].insert(e.member[i]);
    if (e.member[i] < spans.size()) spans[e.member[i]].push_back(i);
  }
  auto charge = [&](uint32_t m, Date d, Money amount) {
    if (m >= spans.size() || d == kNoDate) return;
    for (size_t i : spans[m]) {
      if (e.start[i] <= d && (e.end[i] == kNoDate || d <= e.end[i])) {
        paid[e.payer[i]] += amount;
        return;
      }
    }
  };
  for (size_t i = 0; i < ds.medical.size(); ++i) {
    charge(ds.medical.member[i], ds.medical.claim_start[i], ds.medical.paid[i]);
  }
  for (size_t i = 0; i < ds.pharmacy.size(); ++i) {
    charge(ds.pharmacy.member[i], ds.pharmacy.dispensing_date[i], ds.pharmacy.paid[i]);
  }
  std::vector<PayerShare> out;
  int64_t all_members = 0;
  Money all_paid;
  for (const auto& [payer, set] : members) {
    PayerShare s;
    s.payer = payer == kNoCode ? "(none)" : std::string(ds.codes.Get(payer));
    s.members = static_cast<int64_t>(set.size());
    s.paid = paid[payer];
    all_members += s.members;
    all_paid += s.paid;
    out.push_back(s);
  }
  for (auto& s : out) {
    s.member_share =
        all_members > 0 ? static_cast<double>(s.members) / static_cast<double>(all_members) : 0;
    s.paid_share = all_paid.cents() != 0
                       ? static_cast<double>(s.paid.cents()) / static_cast<double>(all_paid.cents())
                       : 0;
  }
  std::sort(out.begin(), out.end(), [](const PayerShare& a, const PayerShare& b) {
    if (a.members != b.members) return a.members > b.members;
    if (a.paid != b.paid) return a.paid > b.paid;
    return a.payer < b.payer;
  });
  return out;
}

}  // namespace valuepact::partnership
