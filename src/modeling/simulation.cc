#include "valuepact/modeling/simulation.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "valuepact/core/progress.h"
#include "valuepact/core/random.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/layers/layer.h"
#include "valuepact/settlement/aggregate.h"

namespace valuepact::modeling {
namespace {

// An unbiased draw in [0, n) (Lemire's multiply-and-reject).
size_t Below(SplitMix64* g, size_t n) {
  const auto bound = static_cast<uint64_t>(n);
  unsigned __int128 m = static_cast<unsigned __int128>(g->Next()) * bound;
  auto low = static_cast<uint64_t>(m);
  if (low < bound) {
    const uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(g->Next()) * bound;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<size_t>(m >> 64);
}

// Year i's generator: its own stream, whatever thread settles it.
SplitMix64 YearGenerator(uint64_t seed, int year) {
  SplitMix64 mix(seed ^ (0xd1b54a32d192ed03ULL * (static_cast<uint64_t>(year) + 1)));
  return SplitMix64(mix.Next());
}

// A drawn population's totals.
struct DrawnYear {
  int64_t member_months = 0;
  int64_t members = 0;
  std::array<int64_t, 3> program_months{};
  std::vector<Money> spend;  // population members' spending, before truncation
  Money total_spend;
};

DrawnYear Draw(const SimulationBase& base, int64_t n, SplitMix64* g) {
  DrawnYear d;
  d.spend.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const MemberYear& m = base.members[Below(g, base.members.size())];
    for (size_t s = 0; s < 3; ++s) d.program_months[s] += m.program_months[s];
    if (m.member_months == 0) continue;
    d.member_months += m.member_months;
    ++d.members;
    d.spend.push_back(m.spend);
    d.total_spend += m.spend;
  }
  return d;
}

// A change made ready: its contract, and the first shared-savings layer's terms (for the
// member truncation, which the aggregate engine takes as already applied).
struct PreparedChange {
  Contract contract;
  const ContractChange* change = nullptr;
  std::optional<SharedSavingsTerms> truncation_terms;
};

Result<PreparedChange> Prepare(const Contract& k, const ContractChange& c) {
  PreparedChange p;
  p.contract = k;
  p.change = &c;
  if (c.adjust_contract) c.adjust_contract(&p.contract);
  for (const auto& layer : p.contract.payments) {
    if (layer.kind != "shared_savings") continue;
    ResolveOptions ro;
    ro.set = c.set;
    auto terms = ResolveSharedSavingsTerms(p.contract, layer.id, ro);
    if (!terms.ok()) return terms.status();
    if (c.adjust_terms) c.adjust_terms(&*terms);
    p.truncation_terms = *terms;
    break;
  }
  return p;
}

std::map<std::string, std::string> Inputs(const SimulationBase& base, const DrawnYear& d,
                                          Money expenditure) {
  std::map<std::string, std::string> in = base.held;
  in["member_months"] = std::to_string(d.member_months);
  in["members"] = std::to_string(d.members);
  in["assigned_beneficiaries"] = std::to_string(d.members);
  in["expenditure_total"] = expenditure.ToString();
  int64_t program = 0;
  for (size_t s = 0; s < 3; ++s) {
    in[fmt::format("program_member_months_{}", kCareSettingNames[s])] =
        std::to_string(d.program_months[s]);
    program += d.program_months[s];
  }
  in["program_member_months"] = std::to_string(program);
  for (const auto& [key, rate] : base.per_member_month) {
    in[key] = std::to_string(std::llround(rate * static_cast<double>(d.member_months)));
  }
  if (base.benchmark_pmpm) in["benchmark_pmpm"] = base.benchmark_pmpm->ToString();
  return in;
}

struct YearOutcome {
  Money net;
  Money shared;
  double savings_rate = 0;
  std::vector<std::string> notes;
};

Result<YearOutcome> SettleYear(const PreparedChange& p, const SimulationBase& base,
                               const DrawnYear& d, const SharedSavingsContext& ctx) {
  Money expenditure = d.total_spend;
  if (p.truncation_terms) {
    expenditure -= ComputeMemberTruncation(*p.truncation_terms, d.spend).excess;
  }
  auto r = EvaluateAggregate(p.contract, Inputs(base, d, expenditure), p.change->set, ctx,
                             p.change->adjust_terms);
  if (!r.ok()) return r.status();
  YearOutcome o;
  o.net = r->net_payer_to_provider;
  o.notes = std::move(r->notes);
  if (r->shared) {
    o.shared = r->shared->amount;
    o.savings_rate = r->shared->savings_rate;
  }
  return o;
}

OutcomeDistribution Summarize(const std::vector<YearOutcome>& years) {
  OutcomeDistribution out;
  long double sum = 0;
  int64_t savings = 0, losses = 0;
  std::vector<double> rates;
  for (const auto& y : years) {
    out.net.push_back(y.net);
    sum += static_cast<long double>(y.net.cents());
    savings += y.shared.cents() > 0 ? 1 : 0;
    losses += y.shared.cents() < 0 ? 1 : 0;
    rates.push_back(y.savings_rate);
  }
  const auto k = static_cast<double>(years.size());
  std::vector<Money> sorted = out.net;
  std::sort(sorted.begin(), sorted.end());
  std::sort(rates.begin(), rates.end());
  auto rate_at = [&](double p) {
    const auto at = static_cast<size_t>(std::max(1.0, std::ceil(p * k))) - 1;
    return rates[std::min(at, rates.size() - 1)];
  };
  out.mean = RoundCentsHalfAway(sum / static_cast<long double>(years.size()));
  out.p5 = NearestRank(sorted, 0.05);
  out.p50 = NearestRank(sorted, 0.50);
  out.p95 = NearestRank(sorted, 0.95);
  out.min = sorted.front();
  out.max = sorted.back();
  out.probability_savings = static_cast<double>(savings) / k;
  out.probability_losses = static_cast<double>(losses) / k;
  out.savings_rate_p5 = rate_at(0.05);
  out.savings_rate_p50 = rate_at(0.50);
  out.savings_rate_p95 = rate_at(0.95);
  out.notes = years.front().notes;
  return out;
}

// Composes a change with the removal of one term.
ContractChange Without(const ContractChange& base, const std::string& label,
                       const std::function<void(SharedSavingsTerms*)>& remove) {
  ContractChange c = base;
  c.label = label;
  auto first = base.adjust_terms;
  c.adjust_terms = [first, remove](SharedSavingsTerms* t) {
    if (first) first(t);
    remove(t);
  };
  return c;
}

}  // namespace

Money NearestRank(const std::vector<Money>& sorted, double p) {
  const double rank = std::ceil(p * static_cast<double>(sorted.size()));
  const size_t at = static_cast<size_t>(std::max(1.0, rank)) - 1;
  return sorted[std::min(at, sorted.size() - 1)];
}

std::vector<std::pair<std::string, ContractChange>> ProtectiveTerms(const Contract& k,
                                                                    const SetOverrides& set) {
  std::vector<std::pair<std::string, ContractChange>> out;
  const PaymentLayerTerms* layer = nullptr;
  for (const auto& p : k.payments) {
    if (p.kind == "shared_savings") {
      layer = &p;
      break;
    }
  }
  if (layer == nullptr) return out;
  ResolveOptions ro;
  ro.set = set;
  auto terms = ResolveSharedSavingsTerms(k, layer->id, ro);
  if (!terms.ok()) return out;
  const SharedSavingsTerms& t = *terms;
  const ContractChange none;
  if (t.member_truncation || t.truncation_percentile) {
    out.emplace_back(t.member_truncation ? "member_truncation" : "truncation_percentile",
                     Without(none, "without member truncation (stop-loss)", [](auto* s) {
                       s->member_truncation.reset();
                       s->truncation_percentile.reset();
                     }));
  }
  if (!t.has_corridor() && (t.minimum_savings_rate > 0 || t.msr_method != MsrMethod::kFixed)) {
    out.emplace_back("minimum_savings_rate",
                     Without(none, "without the minimum savings rate", [](auto* s) {
                       s->msr_method = MsrMethod::kFixed;
                       s->minimum_savings_rate = 0;
                       s->elected_msr.reset();
                       s->elected_variable = false;
                       s->small_population = "bands";
                       s->small_population_threshold = 0;
                     }));
  }
  if (!t.has_corridor() && t.two_sided && (t.minimum_loss_rate > 0 || t.symmetric_mlr)) {
    out.emplace_back("minimum_loss_rate",
                     Without(none, "without the minimum loss rate", [](auto* s) {
                       s->minimum_loss_rate = 0;
                       s->symmetric_mlr = false;
                     }));
  }
  if (t.savings_cap) {
    out.emplace_back("savings_cap", Without(none, "without the savings cap",
                                            [](auto* s) { s->savings_cap.reset(); }));
  }
  if (t.two_sided && (t.loss_cap || t.loss_cap_revenue)) {
    out.emplace_back("loss_cap", Without(none, "without the loss limit", [](auto* s) {
                       s->loss_cap.reset();
                       s->loss_cap_revenue.reset();
                     }));
  }
  return out;
}

Result<std::vector<OutcomeDistribution>> SimulateChanges(
    const Contract& k, const SimulationBase& base, const SimulationOptions& o,
    const SharedSavingsContext& ctx, const std::vector<ContractChange>& changes) {
  if (base.members.empty()) {
    return InvalidInput("no member-years to draw from: the contract's population is empty");
  }
  if (o.years <= 0) return InvalidInput("--years must be 1 or more");
  const int64_t n = o.members > 0 ? o.members : static_cast<int64_t>(base.members.size());
  std::vector<PreparedChange> prepared;
  for (const auto& c : changes) {
    auto p = Prepare(k, c);
    if (!p.ok()) return p.status();
    prepared.push_back(std::move(*p));
  }
  const auto years = static_cast<size_t>(o.years);
  std::vector<std::vector<YearOutcome>> out(prepared.size(), std::vector<YearOutcome>(years));
  std::vector<std::string> errors(years);
  Progress progress("simulating settlement years", years, "years");
  tbb::parallel_for(size_t{0}, years, [&](size_t y) {
    SplitMix64 g = YearGenerator(o.seed, static_cast<int>(y));
    const DrawnYear d = Draw(base, n, &g);
    for (size_t c = 0; c < prepared.size(); ++c) {
      auto r = SettleYear(prepared[c], base, d, ctx);
      if (!r.ok()) {
        errors[y] = r.status().message();
        return;
      }
      out[c][y] = std::move(*r);
      if (y > 0) out[c][y].notes.clear();  // kept for the first year only
    }
    progress.Add(1);
  });
  progress.Done();
  for (size_t y = 0; y < years; ++y) {
    if (!errors[y].empty()) {
      return InvalidInput(fmt::format("simulated year {}: {}", y + 1, errors[y]));
    }
  }
  std::vector<OutcomeDistribution> dists;
  dists.reserve(out.size());
  for (const auto& years_of_change : out) dists.push_back(Summarize(years_of_change));
  return dists;
}

Result<SimulationResult> Simulate(const Contract& k, const SimulationBase& base,
                                  const SimulationOptions& o, const SharedSavingsContext& ctx,
                                  const ContractChange& change) {
  std::vector<ContractChange> changes = {change};
  std::vector<std::pair<std::string, std::string>> names;
  if (o.protective_terms) {
    Contract changed = k;
    if (change.adjust_contract) change.adjust_contract(&changed);
    for (auto& [term, c] : ProtectiveTerms(changed, change.set)) {
      changes.push_back(Without(change, c.label, c.adjust_terms));
      names.emplace_back(term, c.label);
    }
  }
  auto d = SimulateChanges(k, base, o, ctx, changes);
  if (!d.ok()) return d.status();
  SimulationResult r;
  r.members = o.members > 0 ? o.members : static_cast<int64_t>(base.members.size());
  r.years = o.years;
  r.seed = o.seed;
  r.net = std::move((*d)[0]);
  for (const auto& n : r.net.notes) r.notes.push_back("first simulated year: " + n);
  for (size_t i = 0; i < names.size(); ++i) {
    r.terms.push_back({names[i].first, names[i].second, std::move((*d)[i + 1])});
  }
  for (const auto& p : k.payments) {
    if (p.kind == "shared_savings") {
      r.shared_layer_id = p.id;
      break;
    }
  }
  if (r.shared_layer_id.empty()) {
    r.notes.push_back(
        "the contract has no shared-savings layer: no year earns savings or owes "
        "losses; the distribution is of the other layers' payments");
  }
  r.notes.insert(r.notes.end(), base.notes.begin(), base.notes.end());
  return r;
}

}  // namespace valuepact::modeling
