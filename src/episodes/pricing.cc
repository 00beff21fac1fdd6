// Target prices and reconciliation of one definition's episodes (episodes.h,
// docs/episodes.md "Target prices" and "Reconciliation").
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "valuepact/episodes/episodes.h"

namespace valuepact::episodes {
namespace {

// What target.risk_adjust needs: which parts, and the scores of the period's year and of the
// baseline's.
struct RiskInputs {
  bool hcc = false, age = false, dual = false;
  std::vector<double> scores, baseline_scores;
  // With a baseline, each year's scores are divided by that year's mean over every scored
  // member of the data (so a year with less diagnosis history, or another model version, does
  // not move the targets' level); the means and how many members they cover.
  std::optional<std::pair<double, int64_t>> mean_now, mean_base;
  int min_cell = 11;
  bool any() const { return hcc || age || dual; }
  bool cells() const { return age || dual; }
};

// Divides the scores by their mean over the scored members; returns the mean and the count
// (nullopt when no member is scored).
std::optional<std::pair<double, int64_t>> Relative(std::vector<double>* scores) {
  long double sum = 0;
  int64_t n = 0;
  for (double x : *scores) {
    if (std::isnan(x)) continue;
    sum += x;
    ++n;
  }
  if (n == 0 || sum <= 0) return std::nullopt;
  const double mean = static_cast<double>(sum / static_cast<long double>(n));
  for (double& x : *scores) x /= mean;
  return std::pair{mean, n};
}

// CMS-HCC scores a payment year on the diagnoses of the year before: every month of that year
// must have claims, or the scores would be demographic only and the targets biased against the
// year that has them.
Status CheckDiagnosisYear(const Dataset& ds, const EpisodeTerms& e, int payment_year,
                          const char* which, const std::string& path) {
  std::set<int> months;
  for (Date d : ds.medical.claim_start) {
    if (d != kNoDate && d.year() == payment_year - 1) months.insert(static_cast<int>(d.month()));
  }
  std::vector<std::string> missing;
  for (int m = 1; m <= 12; ++m) {
    if (months.count(m) == 0) missing.push_back(fmt::format("{}-{:02}", payment_year - 1, m));
  }
  if (missing.empty()) return Status::Ok();
  return InvalidInput(fmt::format(
      "{}: [[episode]] {}: target.risk_adjust = cms_hcc scores the {} ({}) on the diagnoses of "
      "{}, but the data has no claims dated in {}: give the data for that year, or adjust by age "
      "and dual status instead",
      path, e.id, which, payment_year, payment_year - 1, fmt::join(missing, ", ")));
}

Result<RiskInputs> LoadRisk(const EpisodeInputs& in, const EpisodeTerms& e) {
  RiskInputs r;
  const auto& list = e.target.risk_adjust;
  auto has = [&](const char* x) { return std::find(list.begin(), list.end(), x) != list.end(); };
  r.hcc = has("cms_hcc");
  r.age = has("age");
  r.dual = has("dual");
  r.min_cell = e.target.min_cell;
  if (!r.hcc) return r;
  if (!in.risk_scores_for_year) {
    return InvalidInput(fmt::format(
        "{}: [[episode]] {}: target.risk_adjust = cms_hcc needs the CMS-HCC reference tables "
        "(--refdata DIR or VALUEPACT_REFDATA)",
        in.contract->path, e.id));
  }
  const int year = in.contract->period.start.year();
  if (Status s = CheckDiagnosisYear(*in.dataset, e, year, "period's episodes", in.contract->path);
      !s.ok()) {
    return s;
  }
  if (e.target.baseline) {
    if (Status s = CheckDiagnosisYear(*in.dataset, e, e.target.baseline->start.year(),
                                      "baseline's episodes", in.contract->path);
        !s.ok()) {
      return s;
    }
  }
  auto now = in.risk_scores_for_year(year);
  if (!now.ok()) return now.status();
  r.scores = std::move(*now);
  if (e.target.baseline) {
    auto before = in.risk_scores_for_year(e.target.baseline->start.year());
    if (!before.ok()) return before.status();
    r.baseline_scores = std::move(*before);
    r.mean_now = Relative(&r.scores);
    r.mean_base = Relative(&r.baseline_scores);
  }
  return r;
}

double ScoreOf(const std::vector<double>& scores, uint32_t member) {
  return member < scores.size() ? scores[member] : std::nan("");
}

// The age band (at admission) and dual status cell of an episode, e.g. "75-84|dual".
std::string CellOf(const Dataset& ds, const RiskInputs& r, const Episode& ep) {
  std::string cell;
  const MemberTable& mi = ds.member_info;
  if (r.age) {
    const Date birth = ep.member < mi.birth_date.size() ? mi.birth_date[ep.member] : kNoDate;
    const int age = birth == kNoDate ? -1 : FullYears(birth, ep.admit);
    cell = age < 0    ? "age_unknown"
           : age < 65 ? "under_65"
           : age < 75 ? "65-74"
           : age < 85 ? "75-84"
                      : "85+";
  }
  if (r.dual) {
    const uint32_t c = ep.member < mi.dual_status.size() ? mi.dual_status[ep.member] : kNoCode;
    const bool dual = c != kNoCode && IsDualStatusCode(ds.codes.Get(c));
    cell += (cell.empty() ? "" : "|") + std::string(dual ? "dual" : "non_dual");
  }
  return cell;
}

Money NearestRank(const std::vector<Money>& sorted, double p) {
  const double rank = std::ceil(p * static_cast<double>(sorted.size()));
  const size_t at = static_cast<size_t>(std::max(1.0, rank)) - 1;
  return sorted[std::min(at, sorted.size() - 1)];
}

// The baseline side of the risk adjustment: the scored episodes' mean CMS-HCC score, and each
// age/dual cell's winsorized mean over the family's.
void BaselineRisk(const Dataset& ds, const EpisodeTerms& e, const std::vector<const Episode*>& eps,
                  const RiskInputs& risk, TargetPrice* t) {
  auto held = [&](Money m) {
    if (t->floor && m < *t->floor) m = *t->floor;
    if (t->ceiling && m > *t->ceiling) m = *t->ceiling;
    return static_cast<long double>(m.cents());
  };
  if (risk.hcc) {
    long double sum = 0;
    for (const Episode* b : eps) {
      const double s = ScoreOf(risk.baseline_scores, b->member);
      if (std::isnan(s)) continue;
      sum += s;
      ++t->scored_baseline;
    }
    if (t->scored_baseline > 0) {
      t->mean_risk = static_cast<double>(sum / static_cast<long double>(t->scored_baseline));
    }
  }
  if (!risk.cells()) return;
  long double all = 0;
  std::map<std::string, std::pair<int64_t, long double>> sums;
  for (const Episode* b : eps) {
    all += held(b->total_paid);
    auto& [n, sum] = sums[CellOf(ds, risk, *b)];
    ++n;
    sum += held(b->total_paid);
  }
  const long double family_mean = all / static_cast<long double>(eps.size());
  for (const auto& [cell, x] : sums) {
    const auto& [n, sum] = x;
    const bool credible = n >= e.target.min_cell && family_mean > 0;
    t->cells[cell] = {
        n, credible ? static_cast<double>(sum / static_cast<long double>(n) / family_mean) : 1.0};
  }
}

// Each payment year's mean CMS-HCC score over the scored members (the scale of that year's
// relative scores).
void AddYearMeans(const EpisodeInputs& in, const EpisodeTerms& e, const RiskInputs& risk,
                  Trace* tr) {
  const std::string clause = fmt::format("[[episode]] {}.target.risk_adjust", e.id);
  const int years[] = {in.contract->period.start.year(),
                       e.target.baseline ? e.target.baseline->start.year() : 0};
  const std::optional<std::pair<double, int64_t>>* means[] = {&risk.mean_now, &risk.mean_base};
  for (int i = 0; i < 2; ++i) {
    if (!*means[i]) continue;
    tr->AddRate(fmt::format("episodes.{}.risk.{}.mean_score", e.id, years[i]),
                fmt::format("{}: mean CMS-HCC score, payment year {}", e.id, years[i]),
                (*means[i])->first,
                fmt::format("mean over {} scored members; that year's scores are divided by it",
                            (*means[i])->second),
                {}, clause);
  }
}

// The baseline's mean CMS-HCC score and cell ratios, when the target is risk-adjusted.
void AddRiskNodes(const EpisodeTerms& e, const TargetPrice& t, const std::string& p, Trace* tr) {
  const std::string clause = fmt::format("[[episode]] {}.target.risk_adjust", e.id);
  if (t.mean_risk) {
    tr->AddRate(
        p + ".mean_risk", fmt::format("{} {}: baseline mean CMS-HCC score", e.id, t.family),
        *t.mean_risk,
        fmt::format("mean relative score of {} of {} baseline episodes' members (scored for {})",
                    t.scored_baseline, t.baseline_episodes, e.target.baseline->start.year()),
        {}, clause);
  }
  for (const auto& [cell, x] : t.cells) {
    tr->AddRate(
        fmt::format("{}.cell.{}", p, cell),
        fmt::format("{} {}: cost ratio of cell {}", e.id, t.family, cell), x.second,
        x.first >= e.target.min_cell
            ? fmt::format("winsorized mean of the cell's {} baseline episodes ÷ the "
                          "family's winsorized mean",
                          x.first)
            : fmt::format("{} baseline episodes, under min_cell {}: 1", x.first, e.target.min_cell),
        {p + ".winsorized_mean"}, clause);
  }
}

// A baseline family's price: mean of the winsorized totals, trended, discounted.
TargetPrice BaselinePrice(const Dataset& ds, const EpisodeTerms& e, const std::string& family,
                          const std::vector<const Episode*>& eps, const RiskInputs& risk,
                          double years, Trace* tr) {
  std::vector<Money> totals;
  totals.reserve(eps.size());
  for (const Episode* b : eps) totals.push_back(b->total_paid);
  const EpisodeTargetTerms& g = e.target;
  TargetPrice t;
  t.definition = e.id;
  t.family = family;
  t.source = "baseline";
  t.baseline_episodes = static_cast<int64_t>(totals.size());
  std::sort(totals.begin(), totals.end());
  long double sum = 0, wsum = 0;
  if (g.winsorize_low > 0) t.floor = NearestRank(totals, g.winsorize_low);
  if (g.winsorize_high < 1) t.ceiling = NearestRank(totals, g.winsorize_high);
  for (Money m : totals) {
    sum += static_cast<long double>(m.cents());
    Money w = m;
    if (t.floor && w < *t.floor) w = *t.floor;
    if (t.ceiling && w > *t.ceiling) w = *t.ceiling;
    wsum += static_cast<long double>(w.cents());
  }
  const auto n = static_cast<long double>(totals.size());
  t.baseline_mean = RoundCentsHalfAway(sum / n);
  t.winsorized_mean = RoundCentsHalfAway(wsum / n);
  t.trend_factor = std::pow(1.0 + g.trend, years);
  t.discount = g.discount;
  t.price = RoundCentsHalfAway(wsum / n * static_cast<long double>(t.trend_factor) *
                               (1.0L - static_cast<long double>(g.discount)));
  BaselineRisk(ds, e, eps, risk, &t);
  const std::string p = fmt::format("episodes.{}.target.{}", e.id, family);
  const std::string clause = fmt::format("[[episode]] {}.target", e.id);
  tr->AddMoney(p + ".baseline_mean", fmt::format("{} {}: baseline mean total", e.id, family),
               t.baseline_mean,
               fmt::format("Σ totals ÷ {} baseline episodes ({} to {})", t.baseline_episodes,
                           g.baseline->start.ToString(), g.baseline->end.ToString()),
               {}, clause + ".baseline");
  std::string wformula = "no winsorizing";
  if (t.floor || t.ceiling) {
    wformula = fmt::format(
        "each total held within [{}, {}] (nearest-rank P{} and P{}), then the "
        "mean",
        t.floor ? t.floor->ToString() : "−∞", t.ceiling ? t.ceiling->ToString() : "∞",
        g.winsorize_low * 100, g.winsorize_high * 100);
  }
  tr->AddMoney(p + ".winsorized_mean", fmt::format("{} {}: winsorized mean", e.id, family),
               t.winsorized_mean, wformula, {p + ".baseline_mean"}, clause + ".winsorize_low");
  tr->AddRate(p + ".trend_factor", fmt::format("{} {}: trend factor", e.id, family), t.trend_factor,
              fmt::format("(1 + {}) ^ {} years", FormatRate(g.trend), years), {},
              clause + ".trend");
  tr->AddMoney(p + ".price", fmt::format("{} {}: target price", e.id, family), t.price,
               fmt::format("winsorized mean (unrounded) × trend factor × (1 − {}), rounded to the "
                           "cent",
                           FormatRate(g.discount)),
               {p + ".winsorized_mean", p + ".trend_factor"}, clause + ".discount");
  AddRiskNodes(e, t, p, tr);
  return t;
}

Status Prices(const EpisodeInputs& in, const EpisodeTerms& e, const TriggerLines* flags,
              const RiskInputs& risk, std::vector<TargetPrice>* out, Trace* tr) {
  const Contract& k = *in.contract;
  const EpisodeTargetTerms& g = e.target;
  if (g.price) {
    out->push_back({e.id, "*", *g.price, "contract"});
    if (risk.hcc) out->back().mean_risk = 1.0;
    tr->AddMoney(fmt::format("episodes.{}.target.price", e.id),
                 fmt::format("{}: target price", e.id), *g.price, "contract term", {},
                 fmt::format("[[episode]] {}.target.price", e.id));
    return Status::Ok();
  }
  for (const auto& [family, price] : g.by_family) {
    out->push_back({e.id, family, price, "contract"});
    if (risk.hcc) out->back().mean_risk = 1.0;
    tr->AddMoney(fmt::format("episodes.{}.target.{}.price", e.id, family),
                 fmt::format("{} {}: target price", e.id, family), price, "contract term", {},
                 fmt::format("[[episode]] {}.target.by_family.{}", e.id, family));
  }
  if (!g.baseline) return Status::Ok();
  const std::vector<Episode> base =
      ConstructEpisodes(*in.dataset, k, e, *g.baseline, nullptr, in.program, flags);
  std::map<std::string, std::vector<const Episode*>> by_family;
  for (const Episode& b : base) {
    if (b.counted()) by_family[b.family].push_back(&b);
  }
  const double years =
      static_cast<double>(k.period.first_month() - g.baseline->first_month()) / 12.0;
  for (const auto& [family, list] : by_family) {
    out->push_back(BaselinePrice(*in.dataset, e, family, list, risk, years, tr));
  }
  return Status::Ok();
}

const TargetPrice* PriceFor(const std::vector<TargetPrice>& prices, const Episode& ep) {
  for (const auto& t : prices) {
    if (t.definition == ep.definition && (t.family == "*" || t.family == ep.family)) return &t;
  }
  return nullptr;
}

// An episode's risk factor: its CMS-HCC score over the price's mean, times its age/dual cell's
// ratio (a cell the baseline did not see: 1). *unscored counts episodes without a score.
double RiskFactor(const Dataset& ds, const RiskInputs& risk, const TargetPrice& t,
                  const Episode& ep, int64_t* unscored) {
  double f = 1.0;
  if (risk.hcc) {
    const double score = ScoreOf(risk.scores, ep.member);
    if (!std::isnan(score) && t.mean_risk && *t.mean_risk > 0) {
      f *= score / *t.mean_risk;
    } else {
      ++*unscored;
    }
  }
  if (risk.cells()) {
    auto it = t.cells.find(CellOf(ds, risk, ep));
    if (it != t.cells.end()) f *= it->second.second;
  }
  return f;
}

Reconciliation Reconcile(const Dataset& ds, const EpisodeTerms& e, const RiskInputs& risk,
                         std::vector<Episode>* eps, const std::vector<TargetPrice>& prices,
                         Trace* tr, std::vector<std::string>* notes) {
  Reconciliation r;
  r.definition = e.id;
  std::map<std::string, int64_t> missing;
  int64_t unscored = 0;
  for (Episode& ep : *eps) {
    if (!ep.counted()) continue;
    const TargetPrice* t = PriceFor(prices, ep);
    if (t == nullptr) {
      ++r.without_target;
      ++missing[ep.family];
      continue;
    }
    ep.target = t->price;
    if (risk.any()) {
      ep.risk_factor = RiskFactor(ds, risk, *t, ep, &unscored);
      ep.target = RoundCentsHalfAway(static_cast<long double>(t->price.cents()) *
                                     static_cast<long double>(*ep.risk_factor));
    }
    ++r.episodes;
    r.target_total += *ep.target;
    r.actual_total += ep.total_paid;
  }
  if (unscored > 0) {
    notes->push_back(fmt::format(
        "episode {}: {} reconciled episodes have no CMS-HCC score (or their family's baseline has "
        "none); their targets are not adjusted for it",
        e.id, unscored));
  }
  for (const auto& [family, n] : missing) {
    notes->push_back(
        fmt::format("episode {}: {} counted episodes of family {} have no target price and are not "
                    "reconciled (no baseline episodes of the family, or no by_family price)",
                    e.id, n, family));
  }
  const EpisodeReconciliationTerms& rt = e.reconciliation;
  r.raw = r.target_total - r.actual_total;
  r.after_quality = r.raw;
  if (r.raw.cents() > 0 && rt.quality_adjustment < 1.0) {
    r.after_quality = RoundCentsHalfAway(static_cast<long double>(r.raw.cents()) *
                                         static_cast<long double>(rt.quality_adjustment));
  }
  r.amount = r.after_quality;
  const long double target = static_cast<long double>(r.target_total.cents());
  if (rt.stop_gain) {
    const Money cap = RoundCentsHalfAway(target * static_cast<long double>(*rt.stop_gain));
    if (r.amount > cap) r.amount = cap, r.limit_applied = "stop_gain";
  }
  if (rt.stop_loss) {
    const Money floor = -RoundCentsHalfAway(target * static_cast<long double>(*rt.stop_loss));
    if (r.amount < floor) r.amount = floor, r.limit_applied = "stop_loss";
  }
  const std::string p = fmt::format("episodes.{}.reconciliation", e.id);
  const std::string clause = fmt::format("[[episode]] {}.reconciliation", e.id);
  tr->AddMoney(p + ".target_total", fmt::format("{}: aggregate target", e.id), r.target_total,
               risk.any() ? fmt::format("Σ over {} reconciled episodes of the target price × the "
                                        "episode's risk factor ({}), each rounded to the cent "
                                        "(restricted/episodes.csv: target, target_risk_factor)",
                                        r.episodes, fmt::join(e.target.risk_adjust, ", "))
                          : fmt::format("Σ target prices of {} reconciled episodes", r.episodes),
               {}, fmt::format("[[episode]] {}.target", e.id));
  tr->AddMoney(p + ".actual_total", fmt::format("{}: aggregate actual", e.id), r.actual_total,
               "Σ episode totals of the same episodes", {"episodes." + e.id + ".total_paid"},
               fmt::format("[[episode]] {}", e.id));
  tr->AddMoney(p + ".raw", fmt::format("{}: target − actual", e.id), r.raw,
               "aggregate target − aggregate actual (> 0: the provider spent less than target)",
               {p + ".target_total", p + ".actual_total"}, clause);
  tr->AddMoney(p + ".after_quality", fmt::format("{}: after quality", e.id), r.after_quality,
               r.raw.cents() > 0 ? fmt::format("target − actual × quality adjustment {}",
                                               FormatRate(rt.quality_adjustment))
                                 : "a loss is not adjusted for quality",
               {p + ".raw"}, clause + ".quality_adjustment");
  std::string formula = "no limit binds";
  if (r.limit_applied == "stop_gain") {
    formula = fmt::format("stop-gain: at most {} × aggregate target", FormatRate(*rt.stop_gain));
  } else if (r.limit_applied == "stop_loss") {
    formula = fmt::format("stop-loss: at least −{} × aggregate target", FormatRate(*rt.stop_loss));
  }
  r.amount_id = p + ".amount";
  tr->AddMoney(r.amount_id, fmt::format("{}: reconciliation (payer → provider)", e.id), r.amount,
               formula, {p + ".after_quality", p + ".target_total"},
               r.limit_applied.empty() ? clause : clause + "." + r.limit_applied);
  return r;
}

}  // namespace

Status PriceAndReconcile(const EpisodeInputs& in, const EpisodeTerms& e, const TriggerLines* flags,
                         std::vector<Episode>* eps, EpisodeResult* out, Trace* tr) {
  if (!e.target.declared) return Status::Ok();
  auto risk = LoadRisk(in, e);
  if (!risk.ok()) return risk.status();
  AddYearMeans(in, e, *risk, tr);
  std::vector<TargetPrice> prices;
  if (Status s = Prices(in, e, flags, *risk, &prices, tr); !s.ok()) return s;
  out->reconciliations.push_back(Reconcile(*in.dataset, e, *risk, eps, prices, tr, &out->notes));
  for (auto& p : prices) out->targets.push_back(std::move(p));
  return Status::Ok();
}

}  // namespace valuepact::episodes
