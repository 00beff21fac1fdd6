// Target prices and reconciliation of one definition's episodes (episodes.h,
// docs/episodes.md "Target prices" and "Reconciliation").
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "valuepact/episodes/episodes.h"

namespace valuepact::episodes {
namespace {

Money NearestRank(const std::vector<Money>& sorted, double p) {
  const double rank = std::ceil(p * static_cast<double>(sorted.size()));
  const size_t at = static_cast<size_t>(std::max(1.0, rank)) - 1;
  return sorted[std::min(at, sorted.size() - 1)];
}

// A baseline family's price: mean of the winsorized totals, trended, discounted.
TargetPrice BaselinePrice(const EpisodeTerms& e, const std::string& family,
                          std::vector<Money> totals, double years, Trace* tr) {
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
  return t;
}

Status Prices(const Dataset& ds, const ProgramData* program, const Contract& k,
              const EpisodeTerms& e, std::vector<TargetPrice>* out, Trace* tr) {
  const EpisodeTargetTerms& g = e.target;
  if (g.price) {
    out->push_back({e.id, "*", *g.price, "contract"});
    tr->AddMoney(fmt::format("episodes.{}.target.price", e.id),
                 fmt::format("{}: target price", e.id), *g.price, "contract term", {},
                 fmt::format("[[episode]] {}.target.price", e.id));
    return Status::Ok();
  }
  for (const auto& [family, price] : g.by_family) {
    out->push_back({e.id, family, price, "contract"});
    tr->AddMoney(fmt::format("episodes.{}.target.{}.price", e.id, family),
                 fmt::format("{} {}: target price", e.id, family), price, "contract term", {},
                 fmt::format("[[episode]] {}.target.by_family.{}", e.id, family));
  }
  if (!g.baseline) return Status::Ok();
  std::map<std::string, std::vector<Money>> totals;
  for (const Episode& b : ConstructEpisodes(ds, k, e, *g.baseline, nullptr, program)) {
    if (b.counted()) totals[b.family].push_back(b.total_paid);
  }
  const double years =
      static_cast<double>(k.period.first_month() - g.baseline->first_month()) / 12.0;
  for (auto& [family, list] : totals) {
    out->push_back(BaselinePrice(e, family, list, years, tr));
  }
  return Status::Ok();
}

const TargetPrice* PriceFor(const std::vector<TargetPrice>& prices, const Episode& ep) {
  for (const auto& t : prices) {
    if (t.definition == ep.definition && (t.family == "*" || t.family == ep.family)) return &t;
  }
  return nullptr;
}

Reconciliation Reconcile(const EpisodeTerms& e, std::vector<Episode>* eps,
                         const std::vector<TargetPrice>& prices, Trace* tr,
                         std::vector<std::string>* notes) {
  Reconciliation r;
  r.definition = e.id;
  std::map<std::string, int64_t> missing;
  for (Episode& ep : *eps) {
    if (!ep.counted()) continue;
    const TargetPrice* t = PriceFor(prices, ep);
    if (t == nullptr) {
      ++r.without_target;
      ++missing[ep.family];
      continue;
    }
    ep.target = t->price;
    ++r.episodes;
    r.target_total += t->price;
    r.actual_total += ep.total_paid;
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
               fmt::format("Σ target prices of {} reconciled episodes", r.episodes), {},
               fmt::format("[[episode]] {}.target", e.id));
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

Status PriceAndReconcile(const Dataset& ds, const ProgramData* program, const Contract& k,
                         const EpisodeTerms& e, std::vector<Episode>* eps, EpisodeResult* out,
                         Trace* tr) {
  if (!e.target.declared) return Status::Ok();
  std::vector<TargetPrice> prices;
  if (Status s = Prices(ds, program, k, e, &prices, tr); !s.ok()) return s;
  out->reconciliations.push_back(Reconcile(e, eps, prices, tr, &out->notes));
  for (auto& p : prices) out->targets.push_back(std::move(p));
  return Status::Ok();
}

}  // namespace valuepact::episodes
