#include "valuepact/settlement/shared_savings.h"

#include <algorithm>

#include <fmt/format.h>

namespace valuepact {

SharedSavingsOutcome ComputeSharedSavings(const SharedSavingsTerms& t,
                                          const SharedSavingsInputs& in,
                                          const std::string& prefix, const std::string& clause,
                                          Trace* trace) {
  SharedSavingsOutcome o;
  auto sid = [&](const char* step) { return prefix + "." + step; };
  o.savings = in.benchmark - in.expenditure;
  trace->AddMoney(sid("savings"), "Savings (benchmark minus expenditure)", o.savings,
                  "benchmark − expenditure", {in.benchmark_id, in.expenditure_id}, clause);
  o.amount_id = sid("amount");
  if (in.benchmark.cents() <= 0) {
    o.branch = "no_benchmark";
    trace->AddMoney(o.amount_id, "Shared savings/losses amount", Money(),
                    "benchmark is zero: no savings rate can be computed, amount is 0",
                    {in.benchmark_id}, clause);
    return o;
  }
  o.savings_rate = static_cast<double>(o.savings.cents()) / static_cast<double>(in.benchmark.cents());
  trace->AddRate(sid("savings_rate"), "Savings rate", o.savings_rate, "savings ÷ benchmark",
                 {sid("savings"), in.benchmark_id}, clause);
  trace->AddRate(sid("minimum_savings_rate"), "Minimum savings rate (MSR)",
                 t.minimum_savings_rate, "contract term", {},
                 clause + ".minimum_savings_rate");
  const long double benchmark = in.benchmark.as_units();
  const long double savings = o.savings.as_units();
  std::vector<std::string> inputs;
  std::string formula;
  if (o.savings_rate >= t.minimum_savings_rate && o.savings.cents() > 0) {
    o.branch = "shared_savings";
    trace->AddRate(sid("sharing_rate"), "Sharing rate", t.sharing_rate, "contract term", {},
                   clause + ".sharing_rate");
    trace->AddRate(sid("quality_score"), "Quality score", t.quality_score, "contract term", {},
                   clause + ".quality_score");
    o.unrounded = static_cast<long double>(t.sharing_rate) * t.quality_score * savings;
    formula = fmt::format("savings rate {} ≥ MSR {}: sharing rate × quality score × savings",
                          FormatRate(o.savings_rate), FormatRate(t.minimum_savings_rate));
    inputs = {sid("savings_rate"), sid("minimum_savings_rate"), sid("sharing_rate"),
              sid("quality_score"), sid("savings")};
    if (t.savings_cap) {
      const long double cap = static_cast<long double>(*t.savings_cap) * benchmark;
      trace->AddRate(sid("savings_cap_rate"), "Savings cap (share of benchmark)", *t.savings_cap,
                     "contract term", {}, clause + ".savings_cap");
      trace->AddMoney(sid("savings_cap"), "Savings cap", RoundToCents(cap),
                      "savings cap rate × benchmark", {sid("savings_cap_rate"), in.benchmark_id},
                      clause + ".savings_cap");
      inputs.push_back(sid("savings_cap"));
      if (o.unrounded > cap) {
        o.unrounded = cap;
        o.capped = true;
        formula += ", capped at savings cap × benchmark";
      } else {
        formula += " (below the savings cap)";
      }
    }
  } else if (t.loss_sharing_rate && o.savings_rate <= -t.minimum_loss_rate &&
             o.savings.cents() < 0) {
    o.branch = "shared_losses";
    trace->AddRate(sid("minimum_loss_rate"), "Minimum loss rate (MLR)", t.minimum_loss_rate,
                   "contract term", {}, clause + ".minimum_loss_rate");
    trace->AddRate(sid("loss_sharing_rate"), "Loss sharing rate", *t.loss_sharing_rate,
                   "contract term", {}, clause + ".loss_sharing_rate");
    o.unrounded = -static_cast<long double>(*t.loss_sharing_rate) * (-savings);
    formula = fmt::format("savings rate {} ≤ −MLR {}: −loss sharing rate × losses",
                          FormatRate(o.savings_rate), FormatRate(t.minimum_loss_rate));
    inputs = {sid("savings_rate"), sid("minimum_loss_rate"), sid("loss_sharing_rate"),
              sid("savings")};
    if (t.loss_cap) {
      const long double cap = static_cast<long double>(*t.loss_cap) * benchmark;
      trace->AddRate(sid("loss_cap_rate"), "Loss cap (share of benchmark)", *t.loss_cap,
                     "contract term", {}, clause + ".loss_cap");
      trace->AddMoney(sid("loss_cap"), "Loss cap", RoundToCents(cap),
                      "loss cap rate × benchmark", {sid("loss_cap_rate"), in.benchmark_id},
                      clause + ".loss_cap");
      inputs.push_back(sid("loss_cap"));
      if (o.unrounded < -cap) {
        o.unrounded = -cap;
        o.capped = true;
        formula += ", capped at loss cap × benchmark";
      } else {
        formula += " (within the loss cap)";
      }
    }
  } else {
    o.branch = "within_corridor";
    o.unrounded = 0;
    if (o.savings.cents() >= 0) {
      formula = fmt::format("savings rate {} is below the MSR {}: nothing is shared",
                            FormatRate(o.savings_rate), FormatRate(t.minimum_savings_rate));
    } else if (!t.loss_sharing_rate) {
      formula = fmt::format("savings rate {} is negative and the contract is one-sided: no "
                            "losses are shared",
                            FormatRate(o.savings_rate));
    } else {
      trace->AddRate(sid("minimum_loss_rate"), "Minimum loss rate (MLR)", t.minimum_loss_rate,
                     "contract term", {}, clause + ".minimum_loss_rate");
      formula = fmt::format("savings rate {} is inside the corridor (−MLR {}, MSR {}): nothing "
                            "is shared",
                            FormatRate(o.savings_rate), FormatRate(t.minimum_loss_rate),
                            FormatRate(t.minimum_savings_rate));
      inputs.push_back(sid("minimum_loss_rate"));
    }
    inputs.insert(inputs.begin(), {sid("savings_rate"), sid("minimum_savings_rate")});
  }
  o.amount = RoundToCents(o.unrounded);
  formula += "; rounded once to the cent, half away from zero";
  trace->AddMoney(o.amount_id, "Shared savings (+) or losses (−) amount", o.amount, formula,
                  inputs, clause);
  return o;
}

}  // namespace valuepact
