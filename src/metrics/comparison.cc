// Enrolled vs comparison (comparison.h).
#include "valuepact/metrics/comparison.h"

#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "metrics/member_events.h"
#include "valuepact/core/csv.h"
#include "valuepact/core/money.h"
#include "valuepact/dataset/member_months.h"

namespace valuepact::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct MeasureSpec {
  const char* metric;
  const char* unit;
  const char* counted;  // what the numerator sums
  double scale;         // from sum per member-month to the unit
};
constexpr std::array<MeasureSpec, 4> kMeasures = {{
    {"pmpm_total", "USD PMPM", "paid amount (cents)", 0.01},
    {"acute_admissions_per_1000", "per 1,000 member-years", "acute stays", 12000.0},
    {"bed_days_per_1000", "per 1,000 member-years", "bed days", 12000.0},
    {"ed_visits_per_1000", "per 1,000 member-years", "ED visits", 12000.0},
}};

int64_t Outcome(const ComparisonMember& m, size_t measure) {
  switch (measure) {
    case 0:
      return m.paid_cents;
    case 1:
      return m.stays;
    case 2:
      return m.bed_days;
    default:
      return m.ed_visits;
  }
}

// A member's group and counted months: enrolled members in their program months of the
// population; comparison members (in the definition, never in the program in the period) in
// their plan-enrolled months. Returns false when the member is in neither group.
bool CountedMonths(const ComparisonInputs& in, uint32_t m, std::vector<uint8_t>* months,
                   bool* enrolled) {
  const Timeline& tl = *in.timeline;
  months->assign(static_cast<size_t>(tl.months()), 0);
  bool any_program = false, any_enrolled = false;
  for (int i = 0; i < tl.months(); ++i) {
    any_program |= tl.Has(m, i, Timeline::kProgramEnrolled);
    if (tl.ProgramMonth(m, i) && tl.InPopulation(m, i)) {
      (*months)[static_cast<size_t>(i)] = 1;
      any_enrolled = true;
    }
  }
  *enrolled = any_enrolled;
  if (any_enrolled) {
    return true;
  }
  if (any_program || m >= in.in_definition.size() || in.in_definition[m] == 0) {
    return false;
  }
  bool any = false;
  for (int i = 0; i < tl.months(); ++i) {
    const bool plan = tl.Has(m, i, Timeline::kPlanEnrolled);
    (*months)[static_cast<size_t>(i)] = plan ? 1 : 0;
    any |= plan;
  }
  return any;
}

// The member's paid amounts (the contract's services and claim-month rule), acute stays, bed
// days and ED visits in the counted months.
void Outcomes(const ComparisonInputs& in, const MemberIndex& med, const MemberIndex& rx,
              const std::vector<uint8_t>& months, ComparisonMember* out) {
  const Dataset& ds = *in.dataset;
  const Contract& k = *in.contract;
  const Timeline& tl = *in.timeline;
  const uint32_t m = out->member;
  auto counted = [&](YearMonth ym) {
    const int i = tl.IndexOf(ym);
    return i >= 0 && months[static_cast<size_t>(i)] != 0;
  };
  std::vector<uint32_t> lines(med.order.begin() + med.offsets[m],
                              med.order.begin() + med.offsets[m + 1]);
  if (k.medical) {
    for (uint32_t l : lines) {
      if (counted(MedicalLineMonth(ds.medical, l, k.claim_month))) {
        out->paid_cents += ds.medical.paid[l].cents();
      }
    }
  }
  if (k.pharmacy) {
    for (uint32_t p = rx.offsets[m]; p < rx.offsets[m + 1]; ++p) {
      const uint32_t l = rx.order[p];
      const Date d = ds.pharmacy.dispensing_date[l];
      if (d != kNoDate && counted(YearMonth::Of(d))) {
        out->paid_cents += ds.pharmacy.paid[l].cents();
      }
    }
  }
  const MemberEvents ev = BuildMemberEvents(ds, lines, k.period);
  for (const MetricEvent& s : ev.acute) {
    if (counted(YearMonth::Of(s.start))) {
      ++out->stays;
      out->bed_days += s.days;
    }
  }
  for (const MetricEvent& v : ev.ed_visits) {
    out->ed_visits += counted(YearMonth::Of(v.start)) ? 1 : 0;
  }
  for (uint8_t c : months) {
    out->member_months += c;
  }
}

// Ratio ΣY ÷ ΣX with members as clusters: the delta-method variance
// n ÷ (n − 1) × Σ (y − R x)² ÷ (ΣX)²; no standard error under 2 members.
struct Ratio {
  std::optional<double> value, se;
};
Ratio RatioOf(const std::vector<std::pair<double, double>>& yx) {
  long double sy = 0, sx = 0;
  for (const auto& [y, x] : yx) {
    sy += y;
    sx += x;
  }
  Ratio r;
  if (sx <= 0) {
    return r;
  }
  const long double ratio = sy / sx;
  r.value = static_cast<double>(ratio);
  const size_t n = yx.size();
  if (n >= 2) {
    long double ss = 0;
    for (const auto& [y, x] : yx) {
      const long double e = y - ratio * x;
      ss += e * e;
    }
    r.se = static_cast<double>(std::sqrt(ss * n / (n - 1)) / sx);
  }
  return r;
}

std::string Num(const std::optional<double>& v) { return v ? FormatRate(*v) : "n/a"; }

std::optional<double> Scaled(const std::optional<double>& v, double k) {
  return v ? std::optional<double>(*v * k) : std::nullopt;
}

std::optional<double> Minus(const std::optional<double>& a, const std::optional<double>& b) {
  return a && b ? std::optional<double>(*a - *b) : std::nullopt;
}

std::optional<double> RootSumSquares(const std::optional<double>& a,
                                     const std::optional<double>& b) {
  return a && b ? std::optional<double>(std::sqrt(*a * *a + *b * *b)) : std::nullopt;
}

// The pooled member-month weighted mean risk score of scored members.
double MeanRisk(const std::vector<ComparisonMember>& members) {
  long double rm = 0, mm = 0;
  for (const auto& x : members) {
    if (!std::isnan(x.risk_score)) {
      rm += x.risk_score * static_cast<double>(x.member_months);
      mm += static_cast<double>(x.member_months);
    }
  }
  return mm > 0 ? static_cast<double>(rm / mm) : kNaN;
}

void GroupFigures(const std::vector<ComparisonMember>& members, bool enrolled, size_t measure,
                  bool adjust, double mean_risk, std::optional<double> pooled_adjusted,
                  GroupRate* g) {
  const double scale = kMeasures[measure].scale;
  std::vector<std::pair<double, double>> observed, risk_weighted;
  for (const auto& x : members) {
    if (x.enrolled != enrolled) {
      continue;
    }
    const auto y = static_cast<double>(Outcome(x, measure));
    ++g->members;
    g->member_months += x.member_months;
    g->sum += Outcome(x, measure);
    observed.emplace_back(y, static_cast<double>(x.member_months));
    if (adjust && !std::isnan(x.risk_score)) {
      ++g->scored_members;
      risk_weighted.emplace_back(y, x.risk_score * static_cast<double>(x.member_months));
    }
  }
  const Ratio o = RatioOf(observed);
  g->rate = Scaled(o.value, scale);
  g->se = Scaled(o.se, scale);
  if (!adjust) {
    return;
  }
  // Rate per unit of risk × the pooled mean risk = (O ÷ E) × the pooled rate.
  const Ratio a = RatioOf(risk_weighted);
  if (a.value && !std::isnan(mean_risk)) {
    g->adjusted_rate = *a.value * mean_risk * scale;
    g->adjusted_se = Scaled(a.se, mean_risk * scale);
    if (pooled_adjusted && *pooled_adjusted != 0) {
      g->observed_to_expected = *a.value * mean_risk * scale / *pooled_adjusted;
    }
  }
}

// comparison.<metric>.difference<suffix> and its .se: enrolled − comparison, and
// √(se_enrolled² + se_comparison²) for independent groups.
void AddDifference(const ComparisonMeasure& c, const std::string& suffix,
                   const std::optional<double>& enrolled, const std::optional<double>& comparison,
                   const std::optional<double>& difference, const std::optional<double>& se_e,
                   const std::optional<double>& se_c, const std::optional<double>& se, Trace* tr) {
  const std::string base = "comparison." + c.metric;
  const std::string id = base + ".difference" + suffix;
  const char* adjusted = suffix.empty() ? "" : ", adjusted for risk";
  tr->Add({id,
           fmt::format("{}: enrolled − comparison{}", c.metric, adjusted),
           fmt::format("{} − {}; standard error {}", Num(enrolled), Num(comparison), Num(se)),
           Num(difference),
           c.unit,
           {base + ".enrolled" + suffix, base + ".comparison" + suffix},
           "docs/metrics.md, Enrolled vs comparison",
           ""});
  tr->Add({id + ".se",
           fmt::format("{}: standard error of the difference{}", c.metric, adjusted),
           fmt::format("√({}² + {}²), each group's by the delta method with members as clusters",
                       Num(se_e), Num(se_c)),
           Num(se),
           c.unit,
           {id},
           "docs/metrics.md, Enrolled vs comparison",
           ""});
}

void AddNodes(const ComparisonMeasure& c, bool adjusted, Trace* tr) {
  const std::string base = "comparison." + c.metric;
  for (const auto* g : {&c.enrolled, &c.comparison}) {
    const std::string who = g == &c.enrolled ? "enrolled" : "comparison";
    const std::string id = fmt::format("{}.{}", base, who);
    tr->Add({id,
             fmt::format("{} of the {} group", c.metric, who),
             fmt::format("{} ÷ {} member-months of {} members, in the unit; standard error {} "
                         "(members as clusters)",
                         g->sum, g->member_months, g->members, Num(g->se)),
             Num(g->rate),
             c.unit,
             {},
             "data: restricted/comparison_members.csv lists each member's months and outcomes",
             ""});
    if (adjusted) {
      tr->Add({id + ".adjusted",
               fmt::format("{} of the {} group, adjusted for risk", c.metric, who),
               fmt::format("observed ÷ expected {} × the pooled rate; {} scored members; "
                           "standard error {}",
                           Num(g->observed_to_expected), g->scored_members, Num(g->adjusted_se)),
               Num(g->adjusted_rate),
               c.unit,
               {"comparison.mean_risk"},
               "expected = the member's risk score × member-months × the pooled rate per unit "
               "of risk",
               ""});
      tr->Add({id + ".observed_to_expected",
               fmt::format("{} of the {} group: observed ÷ expected", c.metric, who),
               "the group's rate per unit of risk ÷ the pooled rate per unit of risk",
               Num(g->observed_to_expected),
               "ratio",
               {id + ".adjusted"},
               "docs/metrics.md, Enrolled vs comparison",
               ""});
    }
  }
  AddDifference(c, "", c.enrolled.rate, c.comparison.rate, c.difference, c.enrolled.se,
                c.comparison.se, c.difference_se, tr);
  if (adjusted) {
    AddDifference(c, ".adjusted", c.enrolled.adjusted_rate, c.comparison.adjusted_rate,
                  c.adjusted_difference, c.enrolled.adjusted_se, c.comparison.adjusted_se,
                  c.adjusted_difference_se, tr);
  }
}

}  // namespace

Result<ComparisonResult> ComputeComparison(const ComparisonInputs& in, Trace* tr) {
  const Contract& k = *in.contract;
  ComparisonResult r;
  r.label = k.comparison ? k.comparison->label : "Enrolled vs comparison";
  r.risk_adjusted = !in.risk_scores.empty();
  const Dataset& ds = *in.dataset;
  if (Status s = RequireLineDetails(ds, "the comparison group's metrics"); !s.ok()) return s;
  const MemberIndex med = IndexByMember(ds.medical.member, ds.member_count());
  const MemberIndex rx = IndexByMember(ds.pharmacy.member, ds.member_count());
  std::vector<uint8_t> months;
  for (uint32_t m = 0; m < ds.member_count() && m < in.timeline->members(); ++m) {
    ComparisonMember x;
    x.member = m;
    if (!CountedMonths(in, m, &months, &x.enrolled)) {
      continue;
    }
    Outcomes(in, med, rx, months, &x);
    x.risk_score = r.risk_adjusted && m < in.risk_scores.size() ? in.risk_scores[m] : kNaN;
    r.members.push_back(x);
  }
  r.mean_risk = r.risk_adjusted ? MeanRisk(r.members) : kNaN;
  if (r.risk_adjusted) {
    int64_t unscored = 0;
    for (const auto& x : r.members) {
      unscored += std::isnan(x.risk_score) ? 1 : 0;
    }
    if (unscored > 0) {
      r.notes.push_back(fmt::format(
          "{} member(s) of the two groups have no risk score (no birth date): they count in the "
          "observed figures, not in the adjusted ones",
          unscored));
    }
    // No scored member: not applicable, never a plausible 0.
    tr->Add({"comparison.mean_risk",
             "Pooled mean risk score of both groups",
             "Σ score × member-months ÷ Σ member-months over scored members of both groups",
             std::isnan(r.mean_risk) ? "n/a" : FormatRate(r.mean_risk),
             "score",
             {},
             "CMS-HCC scores (docs/risk-adjustment.md)",
             ""});
  }
  for (size_t i = 0; i < kMeasures.size(); ++i) {
    ComparisonMeasure c;
    c.metric = kMeasures[i].metric;
    c.unit = kMeasures[i].unit;
    std::optional<double> pooled;
    if (r.risk_adjusted) {
      // The pooled rate both groups' O/E are against: all scored members' outcome per
      // member-month.
      std::vector<std::pair<double, double>> all;
      for (const auto& x : r.members) {
        if (!std::isnan(x.risk_score)) {
          all.emplace_back(static_cast<double>(Outcome(x, i)),
                           static_cast<double>(x.member_months));
        }
      }
      pooled = Scaled(RatioOf(all).value, kMeasures[i].scale);
    }
    GroupFigures(r.members, true, i, r.risk_adjusted, r.mean_risk, pooled, &c.enrolled);
    GroupFigures(r.members, false, i, r.risk_adjusted, r.mean_risk, pooled, &c.comparison);
    c.difference = Minus(c.enrolled.rate, c.comparison.rate);
    c.difference_se = RootSumSquares(c.enrolled.se, c.comparison.se);
    c.adjusted_difference = Minus(c.enrolled.adjusted_rate, c.comparison.adjusted_rate);
    c.adjusted_difference_se = RootSumSquares(c.enrolled.adjusted_se, c.comparison.adjusted_se);
    AddNodes(c, r.risk_adjusted, tr);
    r.measures.push_back(std::move(c));
  }
  if (r.measures.front().enrolled.members == 0 || r.measures.front().comparison.members == 0) {
    r.notes.push_back(
        fmt::format("the {} group is empty: no difference",
                    r.measures.front().enrolled.members == 0 ? "enrolled" : "comparison"));
  }
  return r;
}

std::string ComparisonMembersCsv(const ComparisonResult& r, const Dataset& ds) {
  std::string out =
      "person_id,group,member_months,paid,acute_stays,bed_days,ed_visits,risk_score\n";
  for (const auto& x : r.members) {
    std::string id(ds.members.Get(x.member));
    std::string field;
    AppendCsvField(&field, id);
    out +=
        fmt::format("{},{},{},{},{},{},{},{}\n", field, x.enrolled ? "enrolled" : "comparison",
                    x.member_months, Money::FromCents(x.paid_cents).ToString(), x.stays, x.bed_days,
                    x.ed_visits, std::isnan(x.risk_score) ? "" : FormatRate(x.risk_score));
  }
  return out;
}

namespace {

nlohmann::ordered_json Opt(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json GroupJson(const GroupRate& g, bool adjusted) {
  nlohmann::ordered_json j = {{"members", g.members},
                              {"member_months", g.member_months},
                              {"sum", g.sum},
                              {"rate", Opt(g.rate)},
                              {"se", Opt(g.se)}};
  if (adjusted) {
    j["scored_members"] = g.scored_members;
    j["observed_to_expected"] = Opt(g.observed_to_expected);
    j["adjusted_rate"] = Opt(g.adjusted_rate);
    j["adjusted_se"] = Opt(g.adjusted_se);
  }
  return j;
}

std::string Fixed(const std::optional<double>& v, int decimals) {
  return v ? fmt::format("{:.{}f}", *v, decimals) : "n/a";
}

}  // namespace

nlohmann::ordered_json ComparisonResult::ToJson() const {
  nlohmann::ordered_json j;
  j["label"] = label;
  j["risk_adjusted"] = risk_adjusted;
  if (risk_adjusted) {
    j["mean_risk"] =
        std::isnan(mean_risk) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(mean_risk);
  }
  j["measures"] = nlohmann::ordered_json::array();
  for (const auto& c : measures) {
    nlohmann::ordered_json m = {{"metric", c.metric},
                                {"unit", c.unit},
                                {"enrolled", GroupJson(c.enrolled, risk_adjusted)},
                                {"comparison", GroupJson(c.comparison, risk_adjusted)},
                                {"difference", Opt(c.difference)},
                                {"difference_se", Opt(c.difference_se)}};
    if (risk_adjusted) {
      m["adjusted_difference"] = Opt(c.adjusted_difference);
      m["adjusted_difference_se"] = Opt(c.adjusted_difference_se);
    }
    j["measures"].push_back(std::move(m));
  }
  j["notes"] = notes;
  return j;
}

std::string ComparisonResult::ToMarkdown() const {
  std::string md = fmt::format("## {}\n\n", label);
  const auto& first = measures.front();
  md += fmt::format(
      "Enrolled: {} members, {} member-months (program months). Comparison: {} members, {} "
      "member-months (plan-enrolled months). Standard errors treat members as clusters; the "
      "difference's is √(se² + se²), and ±1.96 × it gives a 95% interval.\n\n",
      first.enrolled.members, first.enrolled.member_months, first.comparison.members,
      first.comparison.member_months);
  md += "| measure | enrolled | comparison | difference | standard error |";
  md += risk_adjusted ? " O/E enrolled | O/E comparison | adjusted difference | standard error |\n"
                        "|---|---|---|---|---|---|---|---|---|\n"
                      : "\n|---|---|---|---|---|\n";
  for (const auto& c : measures) {
    const int d = c.metric == "pmpm_total" ? 2 : 1;
    md +=
        fmt::format("| {} | {} | {} | {} | {} |", c.metric, Fixed(c.enrolled.rate, d),
                    Fixed(c.comparison.rate, d), Fixed(c.difference, d), Fixed(c.difference_se, d));
    if (risk_adjusted) {
      md += fmt::format(" {} | {} | {} | {} |", Fixed(c.enrolled.observed_to_expected, 3),
                        Fixed(c.comparison.observed_to_expected, 3),
                        Fixed(c.adjusted_difference, d), Fixed(c.adjusted_difference_se, d));
    }
    md += "\n";
  }
  if (risk_adjusted) {
    md += fmt::format(
        "\nPooled mean risk score {}; expected = score × member-months × the pooled "
        "rate per unit of risk.\n",
        std::isnan(mean_risk) ? "n/a" : FormatRate(mean_risk));
  }
  for (const auto& n : notes) {
    md += "\n- " + n;
  }
  return md + "\n";
}

}  // namespace valuepact::metrics
