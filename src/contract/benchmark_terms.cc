#include "valuepact/contract/benchmark_terms.h"
#include "contract/sections.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "contract/toml_checker.h"
#include "valuepact/contract/schema.h"
#include "valuepact/core/numbers.h"
#include "valuepact/core/params.h"

namespace valuepact {

const char* EnrollmentTypeName(EnrollmentType t) {
  switch (t) {
    case EnrollmentType::kEsrd:
      return "esrd";
    case EnrollmentType::kDisabled:
      return "disabled";
    case EnrollmentType::kAgedDual:
      return "aged_dual";
    case EnrollmentType::kAgedNonDual:
      return "aged_non_dual";
  }
  return "?";
}

const char* EnrollmentTypeLabel(EnrollmentType t) {
  switch (t) {
    case EnrollmentType::kEsrd:
      return "ESRD";
    case EnrollmentType::kDisabled:
      return "Disabled";
    case EnrollmentType::kAgedDual:
      return "Aged/dual";
    case EnrollmentType::kAgedNonDual:
      return "Aged/non-dual";
  }
  return "?";
}

namespace {

std::vector<std::string> TypeNames() {
  std::vector<std::string> v;
  v.reserve(kEnrollmentTypeCount);
  for (auto t : kEnrollmentTypes) {
    v.push_back(EnrollmentTypeName(t));
  }
  return v;
}

// A number for every type, or a table of type = number.
PerTypeRate RatePerType(const toml::table& t, const std::string& section, std::string_view key,
                        double min, double max, TomlChecker* c) {
  PerTypeRate out;
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    return out;
  }
  if (const toml::table* tt = n->as_table()) {
    const std::string sub = fmt::format("{}.{}", section, key);
    c->AllowOnly(*tt, sub, TypeNames());
    for (auto ty : kEnrollmentTypes) {
      out[static_cast<size_t>(ty)] = c->Number(*tt, sub, EnrollmentTypeName(ty), min, max, false);
    }
    return out;
  }
  if (auto v = c->Number(t, section, key, min, max, false)) {
    out.fill(*v);
  }
  return out;
}

PerTypeMoney MoneyPerType(const toml::table& t, const std::string& section, std::string_view key,
                          TomlChecker* c) {
  PerTypeMoney out;
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    return out;
  }
  if (const toml::table* tt = n->as_table()) {
    const std::string sub = fmt::format("{}.{}", section, key);
    c->AllowOnly(*tt, sub, TypeNames());
    for (auto ty : kEnrollmentTypes) {
      out[static_cast<size_t>(ty)] = c->Amount(*tt, sub, EnrollmentTypeName(ty), false, false);
    }
    return out;
  }
  if (auto v = c->Amount(t, section, key, false, false)) {
    out.fill(*v);
  }
  return out;
}

// Which cap applies: the contract's cap_rule; else the rule in force for the agreement start
// date (params/mssp/benchmark_risk_ratio_cap.csv); else none, and a cap without a rule is an
// error rather than a guess.
void ResolveRiskCap(const toml::table& t, std::optional<Date> agreement_start, TomlChecker* c,
                    BenchmarkRiskTerms* r) {
  const std::string sec = "benchmark.risk_adjustment";
  if (!r->cap_rule.empty()) {
    r->cap_source = fmt::format("contract line {}: [benchmark.risk_adjustment] cap_rule = \"{}\"",
                                r->source_line, r->cap_rule);
    if (r->cap_rule == "symmetric" && !r->cap) {
      c->Error(&t, sec, "cap", "cap_rule = \"symmetric\" needs cap (e.g. cap = 0.03)");
    }
    return;
  }
  if (!agreement_start) {
    if (r->cap) {
      c->Error(t.get("cap"), sec, "cap",
               "a cap needs its rule: give cap_rule (\"upward_only\": CMS's rule for agreement "
               "periods from 2019-07-01; \"symmetric\"; or \"demographic_plus_3\"), or "
               "[contract] agreement_start to take the rule in force on that date");
    }
    r->cap_rule = "none";
    return;
  }
  auto table = Params("mssp/benchmark_risk_ratio_cap.csv");
  if (!table.ok()) {
    c->Error(&t, sec, "cap_rule", table.status().message());
    return;
  }
  const ParamRow* row = (*table)->At(*agreement_start);
  if (row == nullptr) {
    c->Error(&t, sec, "cap_rule",
             fmt::format("no CMS risk-ratio cap rule is recorded for agreement periods starting "
                         "{} (params/mssp/benchmark_risk_ratio_cap.csv); state cap_rule",
                         agreement_start->ToString()));
    return;
  }
  r->cap_rule = row->Get("rule");
  if (!r->cap) {
    r->cap = ParseDouble(row->Get("points"));
  }
  r->cap_source = (*table)->SourceOf(*row);
}

void ParseRisk(const toml::table& t, std::optional<Date> agreement_start, bool from_aggregates,
               TomlChecker* c, BenchmarkRiskTerms* r) {
  const std::string sec = "benchmark.risk_adjustment";
  c->AllowOnly(t, sec, KeysOf(sec));
  r->enabled = true;
  r->source_line = static_cast<int>(t.source().begin.line);
  r->model = c->Choice(t, sec, "model", {"V24", "V28", "blend"}, false).value_or("");
  r->cap = c->Number(t, sec, "cap", 0.0, 1.0, false);
  r->cap_rule = c->Choice(t, sec, "cap_rule",
                          {"upward_only", "symmetric", "demographic_plus_3", "none"}, false)
                    .value_or("");
  ResolveRiskCap(t, agreement_start, c, r);
  r->performance_mean_score = RatePerType(t, sec, "performance_mean_score", 1e-6, 100.0, c);
  r->baseline_mean_score = RatePerType(t, sec, "baseline_mean_score", 1e-6, 100.0, c);
  r->demographic_ratio = RatePerType(t, sec, "demographic_ratio", 1e-6, 100.0, c);
  if (t.contains("demographic_ratio") && r->cap_rule != "demographic_plus_3") {
    c->Error(t.get("demographic_ratio"), sec, "demographic_ratio",
             "only used with cap_rule = \"demographic_plus_3\"");
  }
  bool all_supplied = true;
  for (size_t i = 0; i < kEnrollmentTypeCount; ++i) {
    all_supplied &= r->performance_mean_score[i].has_value() &&
                    r->baseline_mean_score[i].has_value() &&
                    (r->cap_rule != "demographic_plus_3" || r->demographic_ratio[i].has_value());
  }
  if (!all_supplied && r->model.empty() && !from_aggregates) {
    c->Error(&t, sec, "model",
             "required when a mean score is computed from the claims (give model = \"V24\", "
             "\"V28\" or \"blend\", or supply performance_mean_score and baseline_mean_score "
             "for every enrollment type)");
  }
}

// The weight: one number, a { lower_spending, higher_spending } pair, or absent.
void ParseRegionalWeight(const toml::table& t, TomlChecker* c, RegionalTerms* g) {
  const std::string sec = "benchmark.regional";
  const toml::node* w = t.get("weight");
  if (w == nullptr) {
    return;
  }
  if (const toml::table* wt = w->as_table()) {
    c->AllowOnly(*wt, sec + ".weight", {"lower_spending", "higher_spending"});
    g->lower_spending_weight = c->Number(*wt, sec + ".weight", "lower_spending", 0.0, 1.0, true);
    g->higher_spending_weight = c->Number(*wt, sec + ".weight", "higher_spending", 0.0, 1.0, true);
  } else {
    g->weight = c->Number(t, sec, "weight", 0.0, 1.0, true);
  }
  g->weight_source = fmt::format("contract line {}: [benchmark.regional] weight",
                                 static_cast<int>(w->source().begin.line));
}

// The rules of the agreement period's parameter row that the contract does not state: weights,
// caps, and (from 2024) the offset and the single value.
void TakeRegionalRow(const ParamTable& table, const ParamRow& row, bool need_weight,
                     RegionalTerms* g) {
  if (need_weight) {
    g->lower_spending_weight = ParseDouble(row.Get("lower_spending_weight"));
    g->higher_spending_weight = ParseDouble(row.Get("higher_spending_weight"));
    g->weight_source = table.SourceOf(row);
  }
  if (!g->cap) {
    g->cap = ParseDouble(row.Get("positive_cap"));
    g->negative_cap = ParseDouble(row.Get("negative_cap"));
    g->cap_source = table.SourceOf(row);
  }
  g->offset = row.Get("offset") == "dual_and_risk";
  g->single_value = row.Get("single_value") == "yes";
  if (g->offset || g->single_value) {
    g->rules_source = table.SourceOf(row);
  }
}

// Terms the contract leaves out, from the rules in force for its agreement period.
void ResolveRegionalFromParams(const toml::table& t, const AgreementInfo& agreement, TomlChecker* c,
                               RegionalTerms* g) {
  const std::string sec = "benchmark.regional";
  const bool need_weight = !g->weight && !g->lower_spending_weight;
  if (!agreement.start) {
    if (need_weight) {
      c->Error(&t, sec, "weight",
               "required: give weight (one number or { lower_spending, higher_spending }), or "
               "[contract] agreement_start to take CMS's schedule for that agreement period");
    }
    return;  // no cap unless the contract states one
  }
  if (!need_weight && g->cap && *agreement.start < Date::FromCivil(2024, 1, 1)) {
    return;
  }
  if (g->times_adjusted == 0) {
    c->Error(&t, sec, "times_adjusted",
             "which time the benchmark is regionally adjusted picks CMS's weight: give "
             "times_adjusted, or [contract] agreement_period");
    return;
  }
  auto table = Params("mssp/regional_adjustment.csv");
  if (!table.ok()) {
    c->Error(&t, sec, "weight", table.status().message());
    return;
  }
  const std::string times = std::to_string(std::min(g->times_adjusted, 4));
  const ParamRow* row = (*table)->At(*agreement.start, {times});
  if (row == nullptr) {
    c->Error(&t, sec, need_weight ? "weight" : "cap",
             fmt::format("no CMS regional adjustment rule is recorded for agreement periods "
                         "starting {} (params/mssp/regional_adjustment.csv): state weight and cap",
                         agreement.start->ToString()));
    return;
  }
  TakeRegionalRow(**table, *row, need_weight, g);
}

void ParseRegional(const toml::table& t, const BenchmarkParseContext& ctx, TomlChecker* c,
                   RegionalTerms* g) {
  const AgreementInfo& agreement = ctx.agreement;
  const std::string sec = "benchmark.regional";
  c->AllowOnly(t, sec, KeysOf(sec));
  g->source_line = static_cast<int>(t.source().begin.line);
  ParseRegionalWeight(t, c, g);
  g->pmpm = MoneyPerType(t, sec, "pmpm", c);
  if (!t.contains("pmpm") && !ctx.from_aggregates) {
    c->Error(&t, sec, "pmpm", "required key is missing");
  }
  g->cap = c->Number(t, sec, "cap", 0.0, 1.0, false);
  g->negative_cap = c->Number(t, sec, "negative_cap", 0.0, 1.0, false);
  if (g->negative_cap && !g->cap) {
    c->Error(t.get("negative_cap"), sec, "negative_cap",
             "give cap too (negative_cap bounds only the negative adjustments)");
  }
  if (g->cap) {
    g->cap_source = fmt::format("contract line {}: [benchmark.regional] cap", g->source_line);
    if (!g->negative_cap) {
      g->negative_cap = g->cap;  // one cap bounds both directions
    }
  }
  g->national_pmpm = MoneyPerType(t, sec, "national_pmpm", c);
  g->times_adjusted = static_cast<int>(
      c->Integer(t, sec, "times_adjusted", 1, 20, false).value_or(agreement.period));
  ResolveRegionalFromParams(t, agreement, c, g);
  if (g->cap && !t.contains("national_pmpm") && !ctx.from_aggregates) {
    c->Error(&t, sec, "national_pmpm",
             "the cap is a share of national per capita FFS spending of the last baseline year "
             "(42 CFR 425.601(a)(8)(ii)(C)): give national_pmpm per enrollment type");
  }
}

// The blended update's rules (params/mssp/benchmark_update.csv for the agreement start): the
// ACPT's weight in the three-way blend and the regional risk growth cap, from 2024.
void ResolveUpdateRules(const toml::table& t, const AgreementInfo& agreement, bool from_aggregates,
                        TomlChecker* c, BenchmarkTerms* b) {
  b->acpt_weight = c->Number(t, "benchmark", "acpt_weight", 0.0, 1.0, false);
  if (b->acpt_weight) {
    b->update_source = fmt::format("contract line {}: [benchmark] acpt_weight",
                                   t.get("acpt_weight")->source().begin.line);
  }
  if (!from_aggregates || !agreement.start) {
    return;
  }
  auto table = Params("mssp/benchmark_update.csv");
  if (!table.ok()) {
    c->Error(&t, "benchmark", "acpt_weight", table.status().message());
    return;
  }
  const ParamRow* row = (*table)->At(*agreement.start);
  if (row == nullptr) {
    if (!b->acpt_weight) {
      b->acpt_weight = 0.0;  // before July 2019: the contract's update_factor or a two-way blend
      b->update_source = "no CMS update rule recorded for this agreement start: two-way blend";
    }
    return;
  }
  b->regional_risk_growth_cap_points = ParseDouble(row->Get("regional_risk_growth_cap_points"));
  if (!b->acpt_weight) {
    b->acpt_weight = ParseFraction(row->Get("acpt_weight"));
    b->update_source = (*table)->SourceOf(*row);
  }
}

// CMS's benchmark-year weights for the agreement period (params/mssp/baseline_year_weights.csv):
// 10/30/60 for an ACO's first agreement period, equal thereafter.
void ResolveBaselineWeights(const toml::table& t, const AgreementInfo& agreement, TomlChecker* c,
                            BenchmarkTerms* b) {
  if (agreement.period == 0) {
    c->Error(&t, "benchmark", "baseline_weights",
             "CMS weights the benchmark years by agreement period (10/30/60 in the first, equal "
             "in later ones): give [contract] agreement_period or baseline_weights");
    return;
  }
  auto table = Params("mssp/baseline_year_weights.csv");
  if (!table.ok()) {
    c->Error(&t, "benchmark", "baseline_weights", table.status().message());
    return;
  }
  const ParamRow* row =
      (*table)->At(*agreement.start, {agreement.period == 1 ? "first" : "subsequent"});
  if (row == nullptr) {
    c->Error(&t, "benchmark", "baseline_weights",
             fmt::format("no CMS benchmark-year weights are recorded for agreement periods "
                         "starting {} (params/mssp/baseline_year_weights.csv): give "
                         "baseline_weights",
                         agreement.start->ToString()));
    return;
  }
  b->baseline_weights.clear();
  for (const char* col : {"by1", "by2", "by3"}) {
    b->baseline_weights.push_back(ParseFraction(row->Get(col)).value_or(0.0));
  }
  b->baseline_weights_source = (*table)->SourceOf(*row);
}

}  // namespace

void ParseBenchmarkTerms(const toml::table& t, const BenchmarkParseContext& ctx, TomlChecker* c,
                         BenchmarkTerms* b) {
  b->source_line = static_cast<int>(t.source().begin.line);
  auto method = c->Choice(t, "benchmark", "method", {"target_pmpm", "historical"}, true);
  if (!method) {
    return;
  }
  b->method = *method;
  if (b->method == "target_pmpm") {
    c->AllowOnly(t, "benchmark", {"method", "target_pmpm", "description"});
    if (auto v = c->Amount(t, "benchmark", "target_pmpm", false, true)) {
      b->target_pmpm = *v;
    }
    return;
  }
  std::vector<std::string> keys = KeysOf("benchmark");
  keys.erase(std::remove(keys.begin(), keys.end(), "target_pmpm"), keys.end());
  c->AllowOnly(t, "benchmark", keys);
  b->cms_figures = c->String(t, "benchmark", "cms_figures", false).value_or("");
  if (t.contains("cms_figures") && b->cms_figures.empty()) {
    c->Error(t.get("cms_figures"), "benchmark", "cms_figures", "must not be empty");
  }
  // With CMS's figures, regional and national figures and risk scores may come from the CSV.
  BenchmarkParseContext figures_ctx = ctx;
  figures_ctx.from_aggregates = ctx.from_aggregates || !b->cms_figures.empty();
  const AgreementInfo& agreement = ctx.agreement;
  b->performance_year =
      static_cast<int>(c->Integer(t, "benchmark", "performance_year", 1990, 2100, false)
                           .value_or(ctx.period_start_year));
  const toml::array* arr = t.get_as<toml::array>("baseline");
  if (ctx.from_aggregates && !t.contains("baseline")) {
    // The baseline figures come from the inputs CSV.
  } else if (arr == nullptr || !arr->is_array_of_tables() || arr->empty()) {
    c->Error(t.contains("baseline") ? t.get("baseline") : &t, "benchmark", "baseline",
             "method = \"historical\" needs one to three [[benchmark.baseline]] tables");
  } else {
    if (arr->size() > 3) {
      c->Error(arr, "benchmark", "baseline",
               fmt::format("{} baseline years given; at most three (42 CFR 425.601(a)(1))",
                           arr->size()));
    }
    int i = 0;
    for (const auto& e : *arr) {
      const toml::table& bt = *e.as_table();
      const std::string sec = fmt::format("benchmark.baseline[{}]", ++i);
      c->AllowOnly(bt, sec, KeysOf("benchmark.baseline"));
      BaselineYearTerms y;
      y.source_line = static_cast<int>(bt.source().begin.line);
      y.year = static_cast<int>(c->Integer(bt, sec, "year", 1990, 2100, true).value_or(0));
      y.expenditure_pmpm = MoneyPerType(bt, sec, "expenditure_pmpm", c);
      y.trend_factor = RatePerType(bt, sec, "trend_factor", 1e-6, 100.0, c);
      y.completion_factor = c->Number(bt, sec, "completion_factor", 1.0, 2.0, false).value_or(1.0);
      if (!b->baselines.empty() && y.year != 0 && y.year <= b->baselines.back().year) {
        c->Error(bt.get("year"), sec, "year",
                 fmt::format("baseline years must increase (the previous one is {})",
                             b->baselines.back().year));
      }
      if (y.year != 0 && b->performance_year != 0 && y.year >= b->performance_year) {
        c->Error(bt.get("year"), sec, "year",
                 fmt::format("a baseline year must come before the performance year {}",
                             b->performance_year));
      }
      b->baselines.push_back(y);
    }
  }
  // BY1..BY3 from an inputs CSV; otherwise one weight per [[benchmark.baseline]].
  const size_t years = ctx.from_aggregates ? 3 : b->baselines.size();
  if (const toml::node* w = t.get("baseline_weights")) {
    const toml::array* wa = w->as_array();
    if (wa == nullptr) {
      c->Error(w, "benchmark", "baseline_weights", "expected a list of numbers, oldest year first");
    } else {
      double sum = 0;
      for (const auto& x : *wa) {
        auto v = x.value<double>();
        if (!v || *v < 0 || *v > 1) {
          c->Error(&x, "benchmark", "baseline_weights", "each weight is a number in [0, 1]");
          continue;
        }
        b->baseline_weights.push_back(*v);
        sum += *v;
      }
      if (b->baseline_weights.size() == wa->size() && wa->size() != years) {
        c->Error(w, "benchmark", "baseline_weights",
                 fmt::format("{} weights for {} baseline years", wa->size(), years));
      } else if (b->baseline_weights.size() == wa->size() && std::fabs(sum - 1.0) > 1e-9) {
        c->Error(w, "benchmark", "baseline_weights",
                 fmt::format("weights sum to {}; they must sum to 1", sum));
      }
    }
    b->baseline_weights_source =
        fmt::format("contract line {}: [benchmark] baseline_weights", w->source().begin.line);
  } else if (years == 3 && agreement.start) {
    ResolveBaselineWeights(t, agreement, c, b);
  } else if (ctx.from_aggregates) {
    c->Error(&t, "benchmark", "baseline_weights",
             "required: give the weights of BY1, BY2 and BY3, or [contract] agreement_start "
             "(and agreement_period) to take CMS's weights for that agreement period");
  } else {
    // Equal weights (42 CFR 425.603: rebased benchmarks of 2017-2019 weight the years equally).
    b->baseline_weights.assign(b->baselines.size(),
                               b->baselines.empty() ? 0.0 : 1.0 / b->baselines.size());
    b->baseline_weights_source = "equal weights (no baseline_weights term)";
  }
  b->annual_trend = RatePerType(t, "benchmark", "annual_trend", -0.5, 1.0, c);
  b->update_factor = RatePerType(t, "benchmark", "update_factor", 1e-6, 100.0, c);
  ResolveUpdateRules(t, agreement, figures_ctx.from_aggregates, c, b);
  if (const toml::node* r = t.get("risk_adjustment")) {
    if (const toml::table* rt = r->as_table()) {
      ParseRisk(*rt, agreement.start, figures_ctx.from_aggregates, c, &b->risk);
    } else {
      c->Error(r, "benchmark", "risk_adjustment", "expected a table");
    }
  }
  if (const toml::node* r = t.get("regional")) {
    if (const toml::table* rt = r->as_table()) {
      b->regional.emplace();
      ParseRegional(*rt, figures_ctx, c, &*b->regional);
    } else {
      c->Error(r, "benchmark", "regional", "expected a table { weight = ..., pmpm = ... }");
    }
  }
  if (figures_ctx.from_aggregates && !b->regional && agreement.start) {
    // CMS adjusts every benchmark of an agreement period from July 2019 toward its region.
    b->regional.emplace();
    b->regional->source_line = b->source_line;
    b->regional->times_adjusted = agreement.period;
    ResolveRegionalFromParams(t, agreement, c, &*b->regional);
  }
  if (const toml::node* r = t.get("truncation")) {
    if (const toml::table* rt = r->as_table()) {
      c->AllowOnly(*rt, "benchmark.truncation", KeysOf("benchmark.truncation"));
      b->truncation.amount = c->Amount(*rt, "benchmark.truncation", "amount", false, false);
      b->truncation.percentile =
          c->Number(*rt, "benchmark.truncation", "percentile", 1e-9, 1.0, false);
      if (b->truncation.amount.has_value() == b->truncation.percentile.has_value()) {
        c->Error(r, "benchmark", "truncation", "give exactly one of amount or percentile");
      }
    } else {
      c->Error(r, "benchmark", "truncation",
               "expected a table { amount = ... } or { percentile = ... }");
    }
  }
}

}  // namespace valuepact
