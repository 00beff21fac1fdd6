// [comparison] inputs for MetricsRun (metrics_run.h): the comparison definition evaluated at the
// period start, and CMS-HCC scores when the contract asks for risk adjustment.
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "valuepact/population/definition.h"
#include "valuepact/risk/dataset_scoring.h"
#include "valuepact/run/metrics_run.h"

namespace valuepact::run {
namespace {

// The comparison's scores: the contract's model, else V28 from payment year 2024, else V24.
Result<std::vector<double>> RiskScores(const RunInputs& in, const ComparisonTerms& terms,
                                       int payment_year, std::vector<std::string>* notes) {
  if (!in.refdata->available()) {
    return InvalidInput(
        "[comparison] risk_adjust = true needs the CMS-HCC reference tables: pass --refdata DIR "
        "or set VALUEPACT_REFDATA (docs/risk-adjustment.md)");
  }
  return MemberRiskScores(in, terms.model, payment_year, "comparison risk scores", notes);
}

}  // namespace

Result<std::vector<double>> MemberRiskScores(const RunInputs& in, std::string model,
                                             int payment_year, const std::string& what,
                                             std::vector<std::string>* notes) {
  if (model.empty()) model = payment_year >= 2024 ? "V28" : "V24";
  auto prepared = risk::PrepareDatasetScoring(in.dataset, *in.refdata, model, payment_year);
  if (!prepared.ok()) return prepared.status();
  for (const auto& n : prepared->scorer.notes()) {
    notes->push_back(fmt::format("{}, payment year {}: {}", what, payment_year, n));
  }
  const auto& members = prepared->members;
  const auto results = prepared->scorer.ScoreAll(members, nullptr);
  std::vector<double> scores(in.dataset.member_count(), std::numeric_limits<double>::quiet_NaN());
  for (size_t i = 0; i < members.size(); ++i) {
    const uint32_t m = in.dataset.members.Find(members[i].person_id);
    if (m != StringInterner::kNone && m < scores.size()) scores[m] = results[i].final_score;
  }
  notes->push_back(fmt::format("{}: CMS-HCC {}, payment year {} (diagnoses of {})", what, model,
                               payment_year, payment_year - 1));
  return scores;
}

Result<metrics::ComparisonInputs> PrepareComparison(const RunInputs& in, const Timeline& tl,
                                                    std::vector<std::string>* notes) {
  const Contract& k = in.contract;
  const ComparisonTerms& terms = *k.comparison;
  metrics::ComparisonInputs out;
  out.dataset = &in.dataset;
  out.contract = &k;
  out.timeline = &tl;
  if (terms.risk_adjust) {
    auto scores = RiskScores(
        in, terms, terms.payment_year != 0 ? terms.payment_year : k.period.start.year(), notes);
    if (!scores.ok()) {
      return scores.status();
    }
    out.risk_scores = std::move(*scores);
  }
  auto compiled =
      population::Compile(k.definitions, {{"comparison", terms.population}}, in.value_sets);
  if (!compiled.ok()) {
    return InvalidInput(fmt::format("{}: [comparison] population (line {}): {}", k.path,
                                    terms.source_line, compiled.status().message()));
  }
  const population::DatasetIndex index(in.dataset, &in.program);
  population::EvalContext ctx;
  ctx.dataset = &in.dataset;
  ctx.program = &in.program;
  ctx.risk_scores = terms.risk_adjust ? &out.risk_scores : nullptr;
  ctx.index_date = k.period.start;
  ctx.period_end = k.period.end;
  ctx.index = &index;
  auto eval = population::Evaluate(*compiled, ctx);
  if (!eval.ok()) {
    return InvalidInput(fmt::format("{}: [comparison] population (line {}): {}", k.path,
                                    terms.source_line, eval.status().message()));
  }
  const population::Column* col = eval->Find("comparison");
  if (col == nullptr || !col->is_bool) {
    return InvalidInput(
        fmt::format("{}: [comparison] population (line {}) must be a yes/no "
                    "definition",
                    k.path, terms.source_line));
  }
  out.in_definition = col->flags;
  out.in_definition.resize(in.dataset.member_count(), 0);
  return out;
}

}  // namespace valuepact::run
