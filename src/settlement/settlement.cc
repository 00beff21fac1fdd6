#include "valuepact/settlement/settlement.h"
#include "valuepact/core/figure_ids.h"

#include <filesystem>

#include <fmt/format.h>

#include "valuepact/benchmark/historical_benchmark.h"
#include "valuepact/settlement/program_quantities.h"

namespace valuepact {
namespace {

Status ComputeBenchmark(const Contract& k, const SettleInputs& in, SettlementResult* r) {
  Trace& tr = r->trace;
  if (k.benchmark.method == "historical") {
    const MemberMonths months = in.timeline->PopulationMonths();
    HistoricalBenchmarkInputs hin;
    hin.performance_months = &months;
    hin.refdata = in.refdata;
    hin.cms_figures = in.cms_figures;
    auto hb = ComputeHistoricalBenchmark(*in.dataset, k, hin, &tr);
    if (!hb.ok()) {
      return hb.status();
    }
    r->benchmark_total = hb->total;
    r->benchmark_pmpm = hb->pmpm;
    for (auto& note : hb->notes) {
      r->notes.push_back(std::move(note));
    }
    return Status::Ok();
  }
  r->benchmark_pmpm = k.benchmark.target_pmpm;
  r->benchmark_total = k.benchmark.target_pmpm * r->member_months;
  tr.AddMoney(std::string(figure::kBenchmarkPmpm), "Benchmark per member per month",
              r->benchmark_pmpm, "contract term", {}, "benchmark.target_pmpm");
  tr.AddMoney(std::string(figure::kBenchmarkTotal), "Benchmark", r->benchmark_total,
              "target PMPM × member-months",
              {std::string(figure::kBenchmarkPmpm), std::string(figure::kMemberMonths)},
              "benchmark.method = \"target_pmpm\"");
  return Status::Ok();
}

// Data that cannot be trusted does not pay (docs/contract-reference.md, "Data gates"): no
// in-scope claims, no population or negative spending withhold every spending-based layer; a
// failed [data_requirements] check does what `on_fail` says.
// Claim rows read and rejected, as trace figures the reject-share gate stands on.
void AddClaimRowFigures(const Dataset& ds, SettlementResult* r) {
  r->claim_rows = CountClaimRows(ds);
  Trace& tr = r->trace;
  const std::string read(figure::kClaimRowsRead), rejected(figure::kClaimRowsRejected);
  tr.AddCount(read, "Claim rows read", static_cast<int64_t>(r->claim_rows.read), "rows",
              "data rows of the claims files (medical, pharmacy, FHIR resources)", {},
              "the input files (summary.json inputs)");
  tr.AddCount(rejected, "Claim rows rejected", static_cast<int64_t>(r->claim_rows.rejected), "rows",
              "rows refused by the readers and the claim-line checks (rejects.csv)", {},
              "rejects.csv");
  tr.AddRate(std::string(figure::kClaimRejectShare), "Share of claim rows rejected",
             r->claim_rows.share(), "claim rows rejected ÷ claim rows read", {rejected, read},
             "[data_requirements] warn_reject_share / max_reject_share");
}

DataGate DecideDataGate(const Contract& k, const SettleInputs& in, SettlementResult* r) {
  std::vector<std::string>& why = r->data_gate_reasons;
  if (r->in_scope.lines == 0) {
    why.push_back("the data has no in-scope claim lines");
  }
  if (r->member_months == 0) {
    why.push_back("the population has no member-months");
  }
  if (r->expenditure_total.cents() < 0) {
    why.push_back(fmt::format("total spending is negative ({})", r->expenditure_total.ToString()));
  }
  const DataRequirements& req = k.data_requirements;
  if (r->claim_rows.share() > req.max_reject_share) {
    why.push_back(
        fmt::format("{} of {} claim rows ({:.1f}%) were rejected, more than [data_requirements] "
                    "max_reject_share ({:.1f}%)",
                    r->claim_rows.rejected, r->claim_rows.read, 100 * r->claim_rows.share(),
                    100 * req.max_reject_share));
  }
  if (!why.empty()) {
    r->data_gate = "withheld_data";
    return DataGate::kWithhold;
  }
  if (in.verdict == nullptr || in.verdict->passed) {
    return DataGate::kOpen;
  }
  r->requirements_failed = true;
  for (const auto& c : in.verdict->checks) {
    if (c.status == "fail") {
      why.push_back(fmt::format("[data_requirements] {}: required {}, found {}", c.name, c.required,
                                c.actual));
    }
  }
  switch (k.data_requirements.on_fail) {
    case DataFailAction::kWarn:
      r->data_gate = "warn";
      return DataGate::kOpen;
    case DataFailAction::kNoDownside:
      r->data_gate = "no_downside";
      return DataGate::kNoDownside;
    case DataFailAction::kWithhold:
      break;
  }
  r->data_gate = "withheld_data";
  return DataGate::kWithhold;
}

std::string GateReason(const SettlementResult& r) {
  std::string s;
  for (const auto& w : r.data_gate_reasons) {
    s += (s.empty() ? "" : "; ") + w;
  }
  return s;
}

// The summary's truncated expenditure is the first shared-savings layer's.
void AddTruncatedTotal(const LayerLoopResult& loop, SettlementResult* r) {
  Trace& tr = r->trace;
  Money excess;
  std::vector<std::string> inputs = {std::string(figure::kExpenditureTotal)};
  std::string formula = "no truncation term: equal to expenditure before truncation";
  std::string source = "contract";
  if (!loop.first_shared_id.empty()) {
    const LayerOutcome& o = loop.outcomes.at(loop.first_shared_id);
    if (o.truncation.threshold) {
      excess = o.truncation.excess;
      r->truncation_threshold = o.truncation.threshold;
      r->truncation_from_percentile = o.truncation.from_percentile;
      inputs.push_back(fmt::format("layer.{}.truncation_excess", loop.first_shared_id));
      formula = "expenditure before truncation − spending above the member truncation";
      source =
          fmt::format("[[payment]] id = \"{}\": {}", loop.first_shared_id,
                      o.truncation.from_percentile ? "truncation_percentile" : "member_truncation");
    }
  }
  r->truncated_total = r->expenditure_total - excess;
  for (auto& row : r->member_rows) {
    row.truncated_spend = r->truncation_threshold && row.spend > *r->truncation_threshold
                              ? *r->truncation_threshold
                              : row.spend;
  }
  tr.AddMoney(std::string(figure::kTruncatedTotal), "Expenditure after member truncation",
              r->truncated_total, formula, inputs, source);
  if (r->member_months > 0) {
    r->expenditure_pmpm =
        RoundToCents(r->truncated_total.as_units() / static_cast<long double>(r->member_months));
  }
  tr.AddMoney(std::string(figure::kExpenditurePmpm), "Expenditure per member per month",
              r->expenditure_pmpm, "truncated expenditure ÷ member-months, rounded to the cent",
              {std::string(figure::kTruncatedTotal), std::string(figure::kMemberMonths)},
              "derived");
}

// What the layer loop read, for what-if: the spending side, the gate and the MSR bands (the
// quantities were recorded as they were asked for).
void KeepWhatIfBase(const Contract& k, const SpendingInputs& spending, const LayerLoopInputs& li,
                    SettlementResult* r) {
  WhatIfBase& b = r->what_if;
  b.contract_id = k.id;
  b.members = r->members;
  b.member_months = r->member_months;
  b.member_spend = *spending.member_spend;
  b.benchmark_method = k.benchmark.method;
  b.benchmark_total = spending.benchmark_total;
  b.benchmark_id = spending.benchmark_id;
  b.expenditure = spending.expenditure;
  b.expenditure_id = spending.expenditure_id;
  b.member_spend_source = spending.member_spend_source;
  b.facts = spending.facts;
  b.gate = li.gate;
  b.gate_reason = li.gate_reason;
  // The bands the settlement used, if any: a what-if that needs them otherwise says so.
  if (const MsrBandTable* bands = li.shared_context.msr_bands; bands != nullptr) {
    b.msr_bands = bands->bands();
    // Named as under the reference tables' folder: the run's files carry no machine's paths.
    const std::filesystem::path path(bands->path());
    b.msr_bands_path = (path.parent_path().filename() / path.filename()).string();
  }
  b.layers = r->layers;
  b.net = r->net_payer_to_provider;
}

}  // namespace

bool NeedsMsrBands(const Contract& k) {
  for (const auto& p : k.payments) {
    if (p.kind == "shared_savings" && NeedsMsrBands(p.shared_savings)) {
      return true;
    }
  }
  return false;
}

Result<SettlementResult> Settle(const Contract& k, const SettleInputs& in, Trace trace) {
  SettlementResult r;
  r.contract_id = k.id;
  r.period = k.period;
  r.trace = std::move(trace);
  auto population =
      ComputePopulationSpending(*in.dataset, k, *in.timeline, &r.trace, in.member_lines);
  if (!population.ok()) return population.status();
  static_cast<PopulationSpending&>(r) = std::move(*population);

  if (Status s = ComputeBenchmark(k, in, &r); !s.ok()) {
    return s;
  }
  AddClaimRowFigures(*in.dataset, &r);
  const DataGate gate = DecideDataGate(k, in, &r);

  std::vector<Money> member_spend;
  member_spend.reserve(r.member_rows.size());
  for (const auto& row : r.member_rows) {
    member_spend.push_back(row.spend);
  }
  SpendingInputs spending;
  spending.benchmark_total = r.benchmark_total;
  spending.benchmark_id = std::string(figure::kBenchmarkTotal);
  spending.expenditure = r.expenditure_total;
  spending.expenditure_id = std::string(figure::kExpenditureTotal);
  spending.member_spend = &member_spend;
  spending.member_spend_source = "Σ of each population member's in-scope claim lines";
  spending.facts.assigned_beneficiaries = r.members;

  TimelineQuantities quantities(*in.dataset, *in.program, *in.timeline, *in.measures, r.members,
                                r.member_months);
  quantities.SetEpisodeAmounts(in.episode_amounts);
  WhatIfBase& base = r.what_if;
  RecordingQuantities recorded(&quantities, &base.quantities);
  LayerLoopInputs li;
  li.contract = &k;
  li.quantities = &recorded;
  li.spending = &spending;
  li.resolve_terms = [](const PaymentLayerTerms& p) -> Result<SharedSavingsTerms> {
    return p.shared_savings;
  };
  if (NeedsMsrBands(k)) {
    if (in.refdata == nullptr) {
      return InvalidInput("a variable MSR needs the reference tables");
    }
    auto bands = in.refdata->MsrBands();
    if (!bands.ok()) {
      return bands.status();
    }
    li.shared_context.msr_bands = *bands;
  }
  li.gate = gate;
  li.gate_reason = GateReason(r);
  auto loop = RunLayers(li, &r.trace);
  if (!loop.ok()) {
    return loop.status();
  }
  r.layers = loop->layers;
  r.net_payer_to_provider = loop->net_payer_to_provider;
  KeepWhatIfBase(k, spending, li, &r);
  for (auto& n : loop->notes) {
    r.notes.push_back(std::move(n));
  }
  AddTruncatedTotal(*loop, &r);
  return r;
}

}  // namespace valuepact
