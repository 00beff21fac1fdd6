#include "valuepact/settlement/program_layers.h"

#include <fmt/format.h>

namespace valuepact {
namespace {

const char* UnitName(const std::string& kind) {
  if (kind == "assessment_fee") return "completed assessments";
  if (kind == "outlier_supplement") return "member-months above the service threshold";
  if (kind == "acp_incentive") return "documented advance care planning discussions";
  return "units";
}

}  // namespace

ProgramLayerOutcome ComputeProgramLayer(const PaymentLayerTerms& p, const ProgramLayerInputs& in,
                                        const std::string& prefix, const std::string& clause,
                                        Trace* tr) {
  ProgramLayerOutcome o;
  const ProgramLayerTerms& g = p.program;
  o.amount_id = prefix + ".amount";
  tr->AddMoney(prefix + ".rate", fmt::format("{}: amount per unit", p.label), g.amount,
               "contract term", {}, clause + ".amount");
  std::vector<std::string> inputs = {prefix + ".rate"};
  std::string formula;
  int64_t units = 0;
  if (p.kind == "assessment_fee" || p.kind == "outlier_supplement" || p.kind == "acp_incentive") {
    // Seed 002: the assessment fee pays "in instances where the patient is found to not meet
    // the contract's eligibility criteria" too, so every completed assessment counts.
    if (!in.units) {
      o.branch = "no_input";
      o.note = fmt::format("no count of {} was given: the layer pays nothing", UnitName(p.kind));
      tr->AddMoney(o.amount_id, fmt::format("{}: payment", p.label), Money(), o.note, inputs,
                   clause);
      return o;
    }
    units = *in.units;
    std::string what = UnitName(p.kind);
    if (p.kind == "outlier_supplement" && g.threshold) {
      what += fmt::format(" (more than {:g} services in the month)", *g.threshold);
    }
    tr->AddCount(prefix + ".units", fmt::format("{}: {}", p.label, what), units, "count", "input",
                 {}, in.units_source);
    inputs.push_back(prefix + ".units");
    formula = fmt::format("{} × {}", g.amount.ToString(), units);
    o.branch = units > 0 ? "paid" : "condition_not_met";
  } else {
    // quality_incentive / data_reporting_incentive: pay when the measure meets the threshold.
    if (!in.measure) {
      o.branch = "no_input";
      o.note = "no measured value was given: the incentive is not earned";
      tr->AddMoney(o.amount_id, fmt::format("{}: payment", p.label), Money(), o.note, inputs,
                   clause);
      return o;
    }
    const double v = *in.measure;
    const double th = g.threshold.value_or(0);
    tr->AddRate(prefix + ".measure",
                fmt::format("{}: {}", p.label,
                            p.kind == "data_reporting_incentive"
                                ? "share of required data submitted complete"
                                : (g.measure.empty() ? "quality measure" : g.measure)),
                v, "input", {}, in.measure_source);
    tr->AddRate(prefix + ".threshold", fmt::format("{}: threshold", p.label), th, "contract term",
                {}, clause + ".threshold");
    inputs.push_back(prefix + ".measure");
    inputs.push_back(prefix + ".threshold");
    const bool met = g.higher_is_better ? v >= th : v <= th;
    formula = fmt::format("{} {} {} {}: ", FormatRate(v), g.higher_is_better ? "≥" : "≤",
                          FormatRate(th), met ? "condition met" : "condition not met");
    if (!met) {
      o.branch = "condition_not_met";
      o.note = "the measure did not meet the threshold";
      tr->AddMoney(o.amount_id, fmt::format("{}: payment", p.label), Money(), formula + "0", inputs,
                   clause);
      return o;
    }
    o.branch = "paid";
    if (g.basis == "per_member_month") {
      units = in.member_months;
      formula += fmt::format("{} × {} member-months", g.amount.ToString(), units);
      if (!in.member_months_id.empty()) inputs.push_back(in.member_months_id);
    } else if (g.basis == "per_member") {
      units = in.members;
      formula += fmt::format("{} × {} members", g.amount.ToString(), units);
      if (!in.members_id.empty()) inputs.push_back(in.members_id);
    } else {
      units = 1;
      formula += fmt::format("{} once for the period", g.amount.ToString());
    }
  }
  o.amount = g.amount * units;
  if (g.cap && o.amount > *g.cap) {
    o.amount = *g.cap;
    formula += fmt::format(", capped at {}", g.cap->ToString());
    tr->AddMoney(prefix + ".cap", fmt::format("{}: cap per period", p.label), *g.cap,
                 "contract term", {}, clause + ".cap");
    inputs.push_back(prefix + ".cap");
  }
  formula += " (exact in cents; no rounding needed)";
  tr->AddMoney(o.amount_id, fmt::format("{}: payment", p.label), o.amount, formula, inputs, clause);
  return o;
}

}  // namespace valuepact
