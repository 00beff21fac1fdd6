#include "valuepact/population/cohort.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/member_months.h"

namespace valuepact::population {
namespace {

Result<Evaluation> Run(const Program& program, const CohortInputs& in, Date index) {
  EvalContext ctx;
  ctx.dataset = in.dataset;
  ctx.program = in.program;
  ctx.risk_scores = in.risk_scores;
  ctx.index_date = index;
  ctx.period_end = in.period.end;
  ctx.index = in.index;
  return Evaluate(program, ctx);
}

std::string FormatNumber(double v) {
  if (std::isnan(v)) return "";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{:.6f}", v);
}

}  // namespace

int64_t Cohort::size() const {
  int64_t n = 0;
  for (uint8_t f : in()) n += f;
  return n;
}

std::string Cohort::ToCsv(const Dataset& ds) const {
  std::string out = "person_id,status";
  std::vector<const Column*> cols{evaluation.Find(root)};
  for (const auto& c : criteria) {
    if (const Column* col = evaluation.Find(c)) cols.push_back(col);
  }
  for (const Column* c : cols) out += "," + c->name;
  out += '\n';
  const auto& flags = in();
  for (uint32_t m = 0; m < flags.size(); ++m) {
    AppendCsvField(&out, ds.members.Get(m));
    out += flags[m] ? ",in" : ",out";
    for (const Column* c : cols) {
      out += ',';
      out += c->is_bool ? (c->flags[m] ? "1" : "0") : FormatNumber(c->values[m]);
    }
    out += '\n';
  }
  return out;
}

Result<Cohort> ComputeCohort(const Program& program, const std::string& root,
                             const CohortInputs& in) {
  const OutputInfo* o = program.FindOutput(root);
  if (o == nullptr) return NotFound(fmt::format("no compiled rule named '{}'", root));
  if (!o->is_bool) {
    return InvalidInput(fmt::format("'{}' is a number; a cohort needs a condition", root));
  }
  auto e = Run(program, in, in.EffectiveIndex());
  if (!e.ok()) return e.status();
  Cohort c;
  c.root = root;
  c.criteria = o->criteria;
  c.evaluation = std::move(*e);
  return c;
}

nlohmann::ordered_json Funnel::ToJson() const {
  auto counts = [](const FunnelCounts& c) {
    nlohmann::ordered_json j;
    j["eligible"] = c.eligible;
    j["referred"] = c.referred;
    j["assessed"] = c.assessed;
    j["enrolled"] = c.enrolled;
    j["active"] = c.active;
    return j;
  };
  nlohmann::ordered_json j;
  j["stages"] = {"eligible", "referred", "assessed", "enrolled", "active"};
  j["total"] = counts(total);
  j["by_month"] = nlohmann::ordered_json::array();
  for (const auto& m : months) {
    nlohmann::ordered_json x;
    x["month"] = m.month.ToString();
    const nlohmann::ordered_json c = counts(m.counts);
    for (const auto& [k, v] : c.items()) x[k] = v;
    j["by_month"].push_back(std::move(x));
  }
  return j;
}

Result<Funnel> ComputeFunnel(const Program& program, const std::string& root,
                             const CohortInputs& in) {
  const Dataset& ds = *in.dataset;
  const uint32_t n = ds.member_count();
  const Period period = in.period;
  auto base = ComputeCohort(program, root, in);
  if (!base.ok()) return base.status();
  const std::vector<uint8_t> eligible = base->in();
  static const ProgramData kEmpty;
  const ProgramData& p = in.program != nullptr ? *in.program : kEmpty;

  // First dated program milestones of each member inside the period.
  const Date kNever = Date::FromDays(std::numeric_limits<int32_t>::max());
  std::vector<Date> referred(n, kNever), assessed(n, kNever), enrolled(n, kNever),
      visited(n, kNever);
  for (size_t r = 0; r < p.referrals.size(); ++r) {
    const uint32_t m = p.referrals.member[r];
    const Date d = p.referrals.referral_date[r];
    if (m < n && period.Contains(d)) referred[m] = std::min(referred[m], d);
  }
  for (size_t r = 0; r < p.events.size(); ++r) {
    const uint32_t m = p.events.member[r];
    const Date d = p.events.date[r];
    if (m < n && p.events.event[r] == ProgramEvent::kInitialAssessment && period.Contains(d) &&
        d >= referred[m]) {
      assessed[m] = std::min(assessed[m], d);
    }
  }
  for (size_t r = 0; r < p.enrollments.size(); ++r) {
    const uint32_t m = p.enrollments.member[r];
    const Date d = p.enrollments.start[r];
    if (m < n && period.Contains(d) && d >= assessed[m]) enrolled[m] = std::min(enrolled[m], d);
  }
  for (size_t r = 0; r < p.visits.size(); ++r) {
    const uint32_t m = p.visits.member[r];
    const Date d = p.visits.date[r];
    if (m < n && period.Contains(d) && d >= enrolled[m]) visited[m] = std::min(visited[m], d);
  }
  Funnel f;
  // Stage membership: each stage requires the previous one.
  std::vector<uint8_t> s_ref(n), s_ass(n), s_enr(n), s_act(n);
  for (uint32_t m = 0; m < n; ++m) {
    s_ref[m] = eligible[m] && referred[m] != kNever;
    s_ass[m] = s_ref[m] && assessed[m] != kNever;
    s_enr[m] = s_ass[m] && enrolled[m] != kNever;
    s_act[m] = s_enr[m] && visited[m] != kNever;
    f.total.eligible += eligible[m];
    f.total.referred += s_ref[m];
    f.total.assessed += s_ass[m];
    f.total.enrolled += s_enr[m];
    f.total.active += s_act[m];
  }
  // By month: eligible is re-evaluated with the month's first day as the index date; the other
  // stages count members of the total stage whose first milestone falls in the month, except
  // active, which counts enrolled members with a visit in the month.
  std::vector<uint8_t> visit_in_month;
  for (YearMonth ym = period.first_month(); ym <= period.last_month(); ym = ym + 1) {
    FunnelMonth fm;
    fm.month = ym;
    const Date first = std::max(ym.first_day(), period.start);
    const Date last = std::min(ym.last_day(), period.end);
    auto e = Run(program, in, first);
    if (!e.ok()) return e.status();
    const auto& flags = e->Find(root)->flags;
    visit_in_month.assign(n, 0);
    for (size_t r = 0; r < p.visits.size(); ++r) {
      const uint32_t m = p.visits.member[r];
      if (m < n && p.visits.date[r] >= first && p.visits.date[r] <= last) visit_in_month[m] = 1;
    }
    auto in_month = [&](Date d) { return d >= first && d <= last; };
    for (uint32_t m = 0; m < n; ++m) {
      fm.counts.eligible += flags[m];
      fm.counts.referred += s_ref[m] && in_month(referred[m]);
      fm.counts.assessed += s_ass[m] && in_month(assessed[m]);
      fm.counts.enrolled += s_enr[m] && in_month(enrolled[m]);
      fm.counts.active += s_enr[m] && visit_in_month[m];
    }
    f.months.push_back(fm);
  }
  return f;
}

std::vector<int64_t> MemberCostCents(const Dataset& ds, const Period& p) {
  std::vector<int64_t> cost(ds.member_count(), 0);
  const auto& med = ds.medical;
  for (size_t l = 0; l < med.size(); ++l) {
    const Date d = med.line_start[l] != kNoDate ? med.line_start[l] : med.claim_start[l];
    if (p.Contains(d)) cost[med.member[l]] += med.paid[l].cents();
  }
  const auto& ph = ds.pharmacy;
  for (size_t r = 0; r < ph.size(); ++r) {
    if (p.Contains(ph.dispensing_date[r])) cost[ph.member[r]] += ph.paid[r].cents();
  }
  return cost;
}

namespace {

DefinitionSummary Summarize(const std::string& name, const std::vector<uint8_t>& in,
                            const std::vector<int64_t>& cost, const MemberMonths& mm) {
  DefinitionSummary s;
  s.name = name;
  std::vector<int64_t> costs;
  int64_t total = 0;
  for (uint32_t m = 0; m < in.size(); ++m) {
    if (!in[m]) continue;
    ++s.members;
    s.member_months += m < mm.members() ? mm.Count(m) : 0;
    costs.push_back(cost[m]);
    total += cost[m];
  }
  s.cost = Money::FromCents(total);
  if (s.member_months > 0) s.pmpm = static_cast<double>(total) / 100.0 / s.member_months;
  if (!costs.empty()) {
    const double mean = static_cast<double>(total) / costs.size();
    double ss = 0;
    for (int64_t c : costs) ss += (c - mean) * (c - mean);
    const double sd = std::sqrt(ss / costs.size());
    s.cost_cv = mean > 0 ? sd / mean : 0;
    std::sort(costs.begin(), costs.end(), std::greater<>());
    const size_t k = static_cast<size_t>(std::ceil(0.05 * costs.size()));
    int64_t top = 0;
    for (size_t i = 0; i < k; ++i) top += costs[i];
    s.top5_share = total > 0 ? static_cast<double>(top) / total : 0;
  }
  return s;
}

nlohmann::ordered_json SummaryJson(const DefinitionSummary& s) {
  nlohmann::ordered_json j;
  j["definition"] = s.name;
  j["members"] = s.members;
  j["member_months"] = s.member_months;
  j["cost"] = s.cost.ToString();
  j["pmpm"] = FormatRate(s.pmpm);
  j["cost_cv"] = FormatRate(s.cost_cv);
  j["top5_share"] = FormatRate(s.top5_share);
  return j;
}

}  // namespace

nlohmann::ordered_json Comparison::ToJson() const {
  nlohmann::ordered_json j;
  j["a"] = SummaryJson(a);
  j["b"] = SummaryJson(b);
  j["overlap"] = {
      {"both", both}, {"only_a", only_a}, {"only_b", only_b}, {"jaccard", FormatRate(jaccard)}};
  return j;
}

std::string Comparison::ToText() const {
  std::string out = fmt::format("{:<34}{:>16}{:>16}\n", "", a.name, b.name);
  auto row = [&](const char* label, const std::string& x, const std::string& y) {
    out += fmt::format("{:<34}{:>16}{:>16}\n", label, x, y);
  };
  row("members", std::to_string(a.members), std::to_string(b.members));
  row("member-months", std::to_string(a.member_months), std::to_string(b.member_months));
  row("cost (paid, period)", a.cost.ToString(), b.cost.ToString());
  row("PMPM", fmt::format("{:.2f}", a.pmpm), fmt::format("{:.2f}", b.pmpm));
  row("coefficient of variation of cost", fmt::format("{:.3f}", a.cost_cv),
      fmt::format("{:.3f}", b.cost_cv));
  row("share of cost in top 5% members", fmt::format("{:.1f}%", 100 * a.top5_share),
      fmt::format("{:.1f}%", 100 * b.top5_share));
  out += fmt::format("overlap: {} in both, {} only in {}, {} only in {} (Jaccard {:.3f})\n", both,
                     only_a, a.name, only_b, b.name, jaccard);
  return out;
}

Result<Comparison> CompareDefinitions(const Program& program, const std::string& a,
                                      const std::string& b, const CohortInputs& in) {
  auto ca = ComputeCohort(program, a, in);
  if (!ca.ok()) return ca.status();
  auto cb = ComputeCohort(program, b, in);
  if (!cb.ok()) return cb.status();
  const Dataset& ds = *in.dataset;
  MemberMonthOptions mo;
  mo.period = in.period;
  const MemberMonths mm = ComputeMemberMonths(ds, mo);
  const std::vector<int64_t> cost = MemberCostCents(ds, in.period);
  Comparison c;
  c.a = Summarize(a, ca->in(), cost, mm);
  c.b = Summarize(b, cb->in(), cost, mm);
  const auto& fa = ca->in();
  const auto& fb = cb->in();
  for (size_t m = 0; m < fa.size(); ++m) {
    c.both += fa[m] && fb[m];
    c.only_a += fa[m] && !fb[m];
    c.only_b += !fa[m] && fb[m];
  }
  const int64_t any = c.both + c.only_a + c.only_b;
  c.jaccard = any > 0 ? static_cast<double>(c.both) / any : 0;
  return c;
}

Result<std::vector<OutreachCandidate>> RankCandidates(const Program& program,
                                                      const std::string& root,
                                                      const CohortInputs& in) {
  auto cohort = ComputeCohort(program, root, in);
  if (!cohort.ok()) return cohort.status();
  // The score's parts are themselves definitions, so they mean exactly what the language says.
  std::vector<NamedExpression> parts = {
      {"admissions", "admissions within 12 months before"},
      {"ed_visits", "ed_visits within 12 months before"},
      {"cost", "cost within 12 months before"},
      {"referred", "referred within 100 years before"},
  };
  if (in.risk_scores != nullptr) parts.push_back({"risk", "risk_score"});
  auto sp = Compile({}, parts, ValueSetLibrary());
  if (!sp.ok()) return sp.status();
  auto e = Run(*sp, in, in.EffectiveIndex());
  if (!e.ok()) return e.status();
  const Dataset& ds = *in.dataset;
  const Date index = in.EffectiveIndex();
  // "referred within 100 years before" excludes the index date itself; count it too.
  std::vector<uint8_t> referred_today(ds.member_count(), 0);
  if (in.program != nullptr) {
    for (size_t r = 0; r < in.program->referrals.size(); ++r) {
      if (in.program->referrals.referral_date[r] == index) {
        referred_today[in.program->referrals.member[r]] = 1;
      }
    }
  }
  std::vector<OutreachCandidate> out;
  const auto& flags = cohort->in();
  for (uint32_t m = 0; m < flags.size(); ++m) {
    if (!flags[m] || e->Find("referred")->flags[m] || referred_today[m]) continue;
    OutreachCandidate c;
    c.member = m;
    c.admissions = e->Find("admissions")->values[m];
    c.ed_visits = e->Find("ed_visits")->values[m];
    c.cost = e->Find("cost")->values[m];
    c.risk_score = in.risk_scores != nullptr ? e->Find("risk")->values[m]
                                             : std::numeric_limits<double>::quiet_NaN();
    c.score = 3 * c.admissions + 2 * c.ed_visits + c.cost / 10000.0 +
              (std::isnan(c.risk_score) ? 0 : c.risk_score);
    out.push_back(c);
  }
  std::stable_sort(out.begin(), out.end(), [&](const auto& x, const auto& y) {
    if (x.score != y.score) return x.score > y.score;
    return ds.members.Get(x.member) < ds.members.Get(y.member);
  });
  return out;
}

std::string CandidatesCsv(const Dataset& ds, const std::vector<OutreachCandidate>& c) {
  std::string out = "rank,person_id,score,admissions_12m,ed_visits_12m,cost_12m,risk_score\n";
  for (size_t i = 0; i < c.size(); ++i) {
    out += std::to_string(i + 1) + ",";
    AppendCsvField(&out, ds.members.Get(c[i].member));
    out += fmt::format(",{:.4f},{},{},{:.2f},{}\n", c[i].score, FormatNumber(c[i].admissions),
                       FormatNumber(c[i].ed_visits), c[i].cost, FormatNumber(c[i].risk_score));
  }
  return out;
}

}  // namespace valuepact::population
