#include "valuepact/layers/shared_savings.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace valuepact {
namespace {

std::string Pct(double r) { return fmt::format("{:.6g}%", r * 100.0); }

// The share of the sharing rate that quality leaves (mssp-parameters.md §5).
struct QualityEffect {
  double factor = 1.0;  // final sharing rate = sharing rate × factor
  bool met = true;      // a standard (or the alternative one) is met
  std::string formula;
};

QualityEffect ApplyQuality(const SharedSavingsTerms& t, double score, bool standard_met,
                           bool alternative_met) {
  QualityEffect q;
  switch (t.quality_method) {
    case QualityMethod::kMultiplier:
      // 42 CFR 425.604(d), 425.606(d), 425.610(d): sharing rate × quality score, and nothing
      // when the quality performance standard is not met (425.502(d)(2)(iii)(B)).
      q.met = standard_met;
      q.factor = standard_met ? score : 0.0;
      q.formula = standard_met ? "quality standard met: sharing rate × quality score"
                               : "quality standard not met: no savings are shared";
      break;
    case QualityMethod::kStandard:
      // 42 CFR 425.512(a)(3): meeting the standard earns the full rate (PY2021-2022).
      q.met = standard_met;
      q.factor = standard_met ? 1.0 : 0.0;
      q.formula = standard_met ? "quality standard met: the full sharing rate"
                               : "quality standard not met: no savings are shared";
      break;
    case QualityMethod::kSlidingScale:
      // 42 CFR 425.512(a)(5)(ii): the alternative standard earns rate × quality score.
      q.met = standard_met || alternative_met;
      q.factor = standard_met ? 1.0 : alternative_met ? score : 0.0;
      q.formula = standard_met      ? "quality standard met: the full sharing rate"
                  : alternative_met ? "alternative quality standard met: sharing rate × "
                                      "quality score (sliding scale)"
                                    : "no quality standard met: no savings are shared";
      break;
  }
  return q;
}

// Σ over bands of provider share × the part of `amount` (as a share of benchmark) in the band.
long double CorridorAmount(const std::vector<CorridorBand>& bands, long double amount,
                           long double benchmark, std::string* formula) {
  long double total = 0;
  for (const auto& b : bands) {
    const long double lo = static_cast<long double>(b.from) * benchmark;
    const long double hi = b.to ? static_cast<long double>(*b.to) * benchmark : amount;
    const long double slice = std::max<long double>(0, std::min(amount, hi) - lo);
    if (slice <= 0) {
      continue;
    }
    total += static_cast<long double>(b.provider_share) * slice;
    *formula += fmt::format("{}{} × {} (band {} to {})", formula->empty() ? "" : " + ",
                            Pct(b.provider_share), RoundToCents(slice).ToString(), Pct(b.from),
                            b.to ? Pct(*b.to) : std::string("no limit"));
  }
  return total;
}

}  // namespace

Result<SharedSavingsOutcome> ComputeSharedSavings(const SharedSavingsTerms& t,
                                                  const SharedSavingsInputs& in,
                                                  const SharedSavingsContext& ctx,
                                                  const std::string& prefix,
                                                  const std::string& clause, Trace* trace) {
  SharedSavingsOutcome o;
  auto sid = [&](const char* step) { return prefix + "." + step; };
  auto src = [&](const char* term) { return t.SourceOf(term, clause + "." + term); };
  o.savings = in.benchmark - in.expenditure;
  trace->AddMoney(sid("savings"), "Savings (benchmark minus expenditure)", o.savings,
                  "benchmark − expenditure", {in.benchmark_id, in.expenditure_id},
                  t.SourceOf("savings", clause));
  o.amount_id = sid("amount");
  if (in.benchmark.cents() <= 0) {
    o.branch = "no_benchmark";
    o.note = "benchmark is zero: no savings rate can be computed";
    trace->AddMoney(o.amount_id, "Shared savings/losses amount", Money(),
                    "benchmark is zero: no savings rate can be computed, amount is 0",
                    {in.benchmark_id}, clause);
    return o;
  }
  o.savings_rate =
      static_cast<double>(o.savings.cents()) / static_cast<double>(in.benchmark.cents());
  trace->AddRate(sid("savings_rate"), "Savings rate", o.savings_rate, "savings ÷ benchmark",
                 {sid("savings"), in.benchmark_id}, clause);

  // ---- minimum savings and loss rates (mssp-parameters.md §2) --------------------------------
  MsrMethod method = t.msr_method;
  const std::optional<int64_t> n = in.assigned_beneficiaries;
  if (n) {
    trace->AddCount(sid("assigned_beneficiaries"), "Assigned beneficiaries", *n, "members", "input",
                    {}, "inputs.assigned_beneficiaries");
  }
  bool small = n && *n < t.small_population_threshold;
  std::string msr_formula = "contract term";
  std::string msr_source = src("minimum_savings_rate");
  std::vector<std::string> msr_inputs;
  double msr = t.minimum_savings_rate;
  if (small && t.small_population == "variable") {
    // 42 CFR 425.110(b): below 5,000 the MSR/MLR is set by the ACO's size.
    method = MsrMethod::kVariable;
  }
  bool variable = method == MsrMethod::kVariable;
  if (method == MsrMethod::kElected) {
    std::optional<double> election = in.elected_msr ? in.elected_msr : t.elected_msr;
    bool ev = in.elected_msr ? false : (in.elected_variable || t.elected_variable);
    if (in.elected_variable) {
      ev = true;
    }
    if (ev) {
      variable = true;
      msr_formula = "elected: variable (by assigned beneficiaries)";
    } else if (election) {
      msr = *election;
      msr_formula = fmt::format("elected fixed rate {}", Pct(msr));
      msr_source = in.elected_msr ? "inputs.elected_msr" : src("elected_msr");
    } else {
      return InvalidInput(fmt::format(
          "{}: the MSR is elected but no election is given: set elected_msr = 0, 0.005, 0.01, "
          "0.015, 0.02 or \"variable\" in the contract, or an elected_msr input "
          "(42 CFR 425.606(b)(1)(ii), 425.610(b)(1), 425.605(b)(2))",
          clause));
    }
  }
  if (variable) {
    if (!n) {
      return InvalidInput(
          fmt::format("{}: a variable MSR needs the number of assigned beneficiaries (input "
                      "assigned_beneficiaries)",
                      clause));
    }
    if (ctx.msr_bands == nullptr) {
      return NotFound(fmt::format(
          "{}: a variable MSR needs the MSR band table (mssp/minimum_savings_rate_bands.csv in "
          "the reference tables: --refdata or $VALUEPACT_REFDATA)",
          clause));
    }
    auto look = ctx.msr_bands->Rate(*n);
    if (!look.ok()) {
      return look.status();
    }
    msr = look->rate;
    msr_formula = look->formula;
    msr_source = look->source;
    msr_inputs.push_back(sid("assigned_beneficiaries"));
  }
  o.minimum_savings_rate = msr;
  // Corridors replace the MSR, MLR and sharing rate: their bands say who keeps what.
  const bool corridor = t.has_corridor();
  if (!corridor) {
    trace->AddRate(sid("minimum_savings_rate"), "Minimum savings rate (MSR)", msr, msr_formula,
                   msr_inputs, msr_source);
  }
  double mlr = t.minimum_loss_rate;
  const bool two_sided = t.two_sided;
  if (two_sided && !corridor) {
    std::string f = "contract term";
    std::string s = src("minimum_loss_rate");
    // The elected or variable MLR equals the MSR (42 CFR 425.606(b)(1)(ii), 425.610(b)(1)).
    if (t.symmetric_mlr || variable || method == MsrMethod::kElected) {
      mlr = msr;
      f = "equal to the MSR (symmetric)";
      s = src("symmetric_mlr");
    }
    o.minimum_loss_rate = mlr;
    trace->AddRate(sid("minimum_loss_rate"), "Minimum loss rate (MLR)", mlr, f,
                   {sid("minimum_savings_rate")}, s);
  }

  // ---- quality and the final sharing rate -----------------------------------------------------
  const double score = in.quality_score.value_or(t.quality_score);
  const bool met = in.quality_standard_met.value_or(true);
  const bool alt = in.alternative_quality_standard_met.value_or(false);
  const QualityEffect q = ApplyQuality(t, score, met, alt);
  if (!corridor) {
    trace->AddRate(sid("sharing_rate"), "Sharing rate", t.sharing_rate, "contract term", {},
                   src("sharing_rate"));
  }
  trace->AddRate(sid("quality_score"), "Quality score", score,
                 in.quality_score ? "input" : "contract term", {},
                 in.quality_score ? "inputs.quality_score" : src("quality_score"));
  const long double fsr_ld = static_cast<long double>(t.sharing_rate) * q.factor;
  o.final_sharing_rate = static_cast<double>(fsr_ld);
  if (corridor) {
    trace->AddRate(sid("final_sharing_rate"), "Quality effect on the provider's share", q.factor,
                   q.formula, {sid("quality_score")}, src("quality_method"));
  } else {
    trace->AddRate(sid("final_sharing_rate"), "Final sharing rate", o.final_sharing_rate, q.formula,
                   {sid("sharing_rate"), sid("quality_score")}, src("quality_method"));
  }

  // ---- shared loss rate -----------------------------------------------------------------------
  if (two_sided && !t.has_corridor()) {
    double lsr = 0;
    std::string f;
    std::vector<std::string> li;
    switch (t.loss_rate_method) {
      case LossRateMethod::kFlat:
        lsr = t.loss_sharing_rate.value_or(0.0);
        f = "contract term (flat)";
        break;
      case LossRateMethod::kOneMinusFinalSharingRate:
        // 42 CFR 425.606(f), 425.610(f): 1 − final sharing rate.
        lsr = 1.0 - o.final_sharing_rate;
        f = fmt::format("1 − final sharing rate = 1 − {}", FormatRate(o.final_sharing_rate));
        li.push_back(sid("final_sharing_rate"));
        break;
      case LossRateMethod::kOneMinusQuality:
        // 42 CFR 425.610(f)(2), (f)(4): 1 − 0.75 × quality score; failed standard → ceiling.
        if (q.met) {
          lsr = 1.0 - t.loss_quality_factor * score;
          f = fmt::format("1 − {} × quality score {}", FormatRate(t.loss_quality_factor),
                          FormatRate(score));
        } else {
          lsr = t.loss_rate_quality_failed.value_or(t.loss_rate_ceiling.value_or(1.0));
          f = "quality standard not met: the rate for a failed standard";
        }
        li.push_back(sid("quality_score"));
        break;
    }
    if (t.loss_rate_method != LossRateMethod::kFlat && !q.met && t.loss_rate_quality_failed) {
      lsr = *t.loss_rate_quality_failed;
      f = "quality standard not met: the rate for a failed standard";
    }
    if (t.loss_rate_floor && lsr < *t.loss_rate_floor) {
      lsr = *t.loss_rate_floor;
      f += fmt::format(", raised to the floor {}", Pct(*t.loss_rate_floor));
    }
    if (t.loss_rate_ceiling && lsr > *t.loss_rate_ceiling) {
      lsr = *t.loss_rate_ceiling;
      f += fmt::format(", lowered to the ceiling {}", Pct(*t.loss_rate_ceiling));
    }
    o.shared_loss_rate = lsr;
    trace->AddRate(sid("loss_sharing_rate"), "Shared loss rate", lsr, f, li,
                   src(t.loss_rate_method == LossRateMethod::kFlat ? "loss_sharing_rate"
                                                                   : "loss_rate_method"));
  }

  const long double benchmark = in.benchmark.as_units();
  const long double savings = o.savings.as_units();
  std::vector<std::string> inputs;
  std::string formula;

  // The performance payment limit with sequestration before or after it (mssp-parameters.md
  // §1: the PUF reproduces min(0.98·S·FSR, cap·B)).
  auto pay_provider = [&](long double gross) {
    long double v = gross;
    if (t.sequestration > 0) {
      trace->AddRate(sid("sequestration"), "Sequestration of payments to the provider",
                     t.sequestration, "contract term", {}, src("sequestration"));
      inputs.push_back(sid("sequestration"));
    }
    auto sequester = [&] {
      if (t.sequestration > 0) {
        v *= 1.0L - static_cast<long double>(t.sequestration);
        formula += fmt::format(", less {} sequestration", Pct(t.sequestration));
      }
    };
    if (t.sequestration_before_cap) {
      sequester();
    }
    if (t.savings_cap) {
      const long double cap = static_cast<long double>(*t.savings_cap) * benchmark;
      trace->AddRate(sid("savings_cap_rate"), "Savings cap (share of benchmark)", *t.savings_cap,
                     "contract term", {}, src("savings_cap"));
      trace->AddMoney(sid("savings_cap"), "Savings cap", RoundToCents(cap),
                      "savings cap rate × benchmark", {sid("savings_cap_rate"), in.benchmark_id},
                      src("savings_cap"));
      inputs.push_back(sid("savings_cap"));
      if (v > cap) {
        v = cap;
        o.capped = true;
        o.limit_applied = "performance_payment_limit";
        formula += ", capped at savings cap × benchmark";
      } else {
        formula += " (below the savings cap)";
      }
    }
    if (!t.sequestration_before_cap) {
      sequester();
    }
    return v;
  };

  auto loss_limit = [&](long double loss) {
    long double v = loss;
    std::optional<long double> bench_leg, rev_leg;
    if (t.loss_cap && t.loss_limit_form != LossLimitForm::kRevenue) {
      bench_leg = static_cast<long double>(*t.loss_cap) * benchmark;
      trace->AddRate(sid("loss_cap_rate"), "Loss cap (share of benchmark)", *t.loss_cap,
                     "contract term", {}, src("loss_cap"));
      trace->AddMoney(sid("loss_cap"), "Loss cap", RoundToCents(*bench_leg),
                      "loss cap rate × benchmark", {sid("loss_cap_rate"), in.benchmark_id},
                      src("loss_cap"));
      inputs.push_back(sid("loss_cap"));
    }
    if (t.loss_cap_revenue && t.loss_limit_form != LossLimitForm::kBenchmark) {
      if (in.participant_revenue) {
        rev_leg =
            static_cast<long double>(*t.loss_cap_revenue) * in.participant_revenue->as_units();
        trace->AddMoney(sid("participant_revenue"), "ACO participants' revenue",
                        *in.participant_revenue, "input", {}, "inputs.participant_revenue_total");
        trace->AddRate(sid("loss_cap_revenue_rate"), "Loss cap (share of participant revenue)",
                       *t.loss_cap_revenue, "contract term", {}, src("loss_cap_revenue"));
        trace->AddMoney(sid("loss_cap_revenue"), "Revenue-based loss cap", RoundToCents(*rev_leg),
                        "revenue loss cap rate × participant revenue",
                        {sid("loss_cap_revenue_rate"), sid("participant_revenue")},
                        src("loss_cap_revenue"));
        inputs.push_back(sid("loss_cap_revenue"));
      } else if (!bench_leg) {
        o.note = "no participant revenue given: the revenue-based loss limit is not applied";
      } else {
        o.note = "no participant revenue given: only the benchmark-based loss limit applies";
      }
    }
    // 42 CFR 425.605(d)(1)(iii)(D): the revenue leg applies unless it exceeds the benchmark leg.
    std::optional<long double> limit;
    std::string which;
    if (rev_leg && (!bench_leg || *rev_leg <= *bench_leg)) {
      limit = rev_leg;
      which = "loss_limit_revenue";
    } else if (bench_leg) {
      limit = bench_leg;
      which = "loss_limit_benchmark";
    }
    if (limit) {
      if (v > *limit) {
        v = *limit;
        o.capped = true;
        o.limit_applied = which;
        formula += which == "loss_limit_revenue" ? ", capped at the revenue-based loss limit"
                                                 : ", capped at loss cap × benchmark";
      } else {
        formula += " (within the loss cap)";
      }
    }
    // Extreme and uncontrollable circumstances reduce losses after the rate and the limit
    // (42 CFR 425.606(i), 425.610(i), 425.605(f)).
    const double frac = in.loss_reduction_fraction.value_or(t.loss_reduction_fraction);
    if (frac > 0) {
      if (t.extreme_uncontrollable) {
        trace->AddRate(sid("loss_reduction_fraction"),
                       "Extreme and uncontrollable circumstances: share of losses forgiven", frac,
                       in.loss_reduction_fraction ? "input" : "contract term", {},
                       src("extreme_uncontrollable"));
        inputs.push_back(sid("loss_reduction_fraction"));
        v -= v * static_cast<long double>(frac);
        formula +=
            fmt::format(", reduced by {} for extreme and uncontrollable circumstances", Pct(frac));
      } else {
        o.note =
            "loss_reduction_fraction given but the terms have no extreme-and-uncontrollable "
            "relief: ignored";
      }
    }
    return v;
  };

  const bool below_small = small && t.small_population == "no_sharing";
  if (t.has_corridor()) {
    // ---- risk corridors: each band of the savings (loss) rate has its own provider share ----
    if (o.savings.cents() > 0 && !t.savings_corridor.empty()) {
      std::string bands;
      const long double share = CorridorAmount(t.savings_corridor, savings, benchmark, &bands);
      o.branch = share > 0 ? "shared_savings" : "within_corridor";
      o.unrounded = share * q.factor;
      formula = fmt::format("savings corridor: {}", bands.empty() ? "no band pays" : bands);
      if (q.factor != 1.0) {
        formula += fmt::format(", × quality effect {}", FormatRate(q.factor));
      }
      inputs = {sid("savings"), sid("final_sharing_rate")};
      if (o.unrounded > 0) {
        o.unrounded = pay_provider(o.unrounded);
      }
      if (o.unrounded <= 0) {
        o.note = "savings inside the band the payer keeps";
      }
      o.final_sharing_rate = static_cast<double>(o.unrounded / savings);
    } else if (o.savings.cents() < 0 && (t.corridor_symmetric || !t.loss_corridor.empty())) {
      const auto& bands = t.loss_corridor.empty() ? t.savings_corridor : t.loss_corridor;
      std::string text;
      const long double share = CorridorAmount(bands, -savings, benchmark, &text);
      o.branch = share > 0 ? "shared_losses" : "within_corridor";
      formula = fmt::format("loss corridor: {}", text.empty() ? "no band applies" : text);
      inputs = {sid("savings")};
      o.unrounded = -loss_limit(share);
      o.shared_loss_rate = static_cast<double>(-o.unrounded / -savings);
    } else {
      o.branch = "within_corridor";
      formula = o.savings.cents() < 0 ? "losses and the corridor is one-sided: nothing is shared"
                                      : "no savings: nothing is shared";
      inputs = {sid("savings_rate")};
    }
  } else if (below_small) {
    o.branch = "small_population";
    o.note = fmt::format("fewer than {} assigned beneficiaries: the contract shares nothing",
                         t.small_population_threshold);
    formula = o.note;
    inputs = {sid("assigned_beneficiaries")};
  } else if (o.savings_rate >= msr && o.savings.cents() > 0) {
    // Savings at or above the MSR: the final sharing rate applies to all savings, first dollar
    // (42 CFR 425.604(d), 425.605(d)(1)(i)(B)(1), 425.606(d), 425.610(d)).
    o.branch = "shared_savings";
    o.unrounded = fsr_ld * savings;
    formula = fmt::format("savings rate {} ≥ MSR {}: final sharing rate × savings",
                          FormatRate(o.savings_rate), FormatRate(msr));
    inputs = {sid("savings_rate"), sid("minimum_savings_rate"), sid("final_sharing_rate"),
              sid("savings")};
    if (!q.met) {
      o.note = "quality standard not met: no shared savings";
    }
    if (o.unrounded > 0) {
      o.unrounded = pay_provider(o.unrounded);
    }
  } else if (t.low_revenue_half_rate && in.low_revenue.value_or(false) && n &&
             *n >= t.small_population_threshold && o.savings.cents() > 0 && q.met) {
    // 42 CFR 425.605(h)(2): low-revenue BASIC ACOs below the MSR share at half the rate.
    o.branch = "half_rate_savings";
    o.unrounded = 0.5L * fsr_ld * savings;
    o.final_sharing_rate = static_cast<double>(0.5L * fsr_ld);
    formula = fmt::format(
        "savings rate {} is below the MSR {} and the ACO is low-revenue with at least {} "
        "beneficiaries: ½ × final sharing rate × savings",
        FormatRate(o.savings_rate), FormatRate(msr), t.small_population_threshold);
    inputs = {sid("savings_rate"), sid("minimum_savings_rate"), sid("final_sharing_rate"),
              sid("savings")};
    o.note = "half-rate rule for low-revenue ACOs below the MSR";
    o.unrounded = pay_provider(o.unrounded);
  } else if (two_sided && o.savings.cents() < 0 && o.savings_rate <= -mlr) {
    // Losses at or beyond the MLR: shared loss rate × all losses, up to the loss limit.
    o.branch = "shared_losses";
    const long double lsr = static_cast<long double>(o.shared_loss_rate.value_or(0));
    formula = fmt::format("savings rate {} ≤ −MLR {}: −shared loss rate × losses",
                          FormatRate(o.savings_rate), FormatRate(mlr));
    inputs = {sid("savings_rate"), sid("minimum_loss_rate"), sid("loss_sharing_rate"),
              sid("savings")};
    o.unrounded = -loss_limit(lsr * (-savings));
  } else {
    o.branch = "within_corridor";
    o.unrounded = 0;
    if (o.savings.cents() >= 0) {
      formula = fmt::format("savings rate {} is below the MSR {}: nothing is shared",
                            FormatRate(o.savings_rate), FormatRate(msr));
      if (o.savings.cents() > 0) {
        o.note = "savings below the MSR";
      }
    } else if (!two_sided) {
      formula = fmt::format(
          "savings rate {} is negative and the contract is one-sided: no losses are shared",
          FormatRate(o.savings_rate));
      o.note = "losses, but the arrangement is one-sided";
    } else {
      formula =
          fmt::format("savings rate {} is inside the corridor (−MLR {}, MSR {}): nothing is shared",
                      FormatRate(o.savings_rate), FormatRate(mlr), FormatRate(msr));
      inputs.push_back(sid("minimum_loss_rate"));
      o.note = "losses below the MLR";
    }
    inputs.insert(inputs.begin(), {sid("savings_rate"), sid("minimum_savings_rate")});
  }
  o.amount = RoundToCents(o.unrounded);
  formula += "; rounded once to the cent, half away from zero";
  trace->AddMoney(o.amount_id, "Shared savings (+) or losses (−) amount", o.amount, formula, inputs,
                  t.preset.empty() ? clause : t.SourceOf("amount", clause));
  return o;
}

bool NeedsMsrBands(const SharedSavingsTerms& s) {
  return s.msr_method == MsrMethod::kVariable || s.elected_variable ||
         s.small_population == "variable";
}

}  // namespace valuepact
