#pragma once
// Settles a contract on a run's loaded data: the population's spending (from the Timeline),
// the benchmark, the data gate, and every payment layer through the one layer loop, with a
// trace node for every figure. Takes typed tables only: the run pipeline (run/) loads files,
// builds the Timeline and writes reports.
#include <array>
#include <string>
#include <vector>

#include "valuepact/benchmark/aggregate_benchmark.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/trace.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/measures.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/dataset/timeline.h"
#include "valuepact/ingest/quality/quality.h"
#include "valuepact/refdata/reference_data.h"
#include "valuepact/settlement/layer_loop.h"
#include "valuepact/settlement/population_spending.h"
#include "valuepact/settlement/what_if.h"

namespace valuepact {

using MemberResult = MemberSpending;

// The population's spending (members, member-months, in-scope claims by member and category)
// and what the contract makes of it.
struct SettlementResult : PopulationSpending {
  std::string contract_id;
  Period period;
  Money truncated_total;   // after the first shared-savings layer's member truncation
  Money expenditure_pmpm;  // truncated_total / member_months, rounded to the cent
  std::optional<Money> truncation_threshold;  // of that layer, when it truncates
  bool truncation_from_percentile = false;
  Money benchmark_total;
  Money benchmark_pmpm;
  std::vector<LayerResult> layers;
  Money net_payer_to_provider;
  // Why spending-based layers were withheld (or losses waived); empty when they paid as
  // computed. A non-empty list, or a failed data requirement, makes `settle` exit 1.
  std::vector<std::string> data_gate_reasons;
  std::string data_gate;  // "" | withheld_data | no_downside | warn
  bool requirements_failed = false;
  ClaimRowCounts claim_rows;  // claim rows read and rejected (the reject-share gate)
  Trace trace;
  std::vector<std::string> notes;
  // What the layer loop read, for what-if (settlement/what_if.h).
  WhatIfBase what_if;
};

struct SettleInputs {
  const Dataset* dataset = nullptr;
  const ProgramData* program = nullptr;  // may be empty, never null
  const Timeline* timeline = nullptr;
  const MeasureTable* measures = nullptr;
  // MSR bands for a variable MSR, CMS-HCC tables for a computed historical benchmark.
  const ReferenceData* refdata = nullptr;
  const AggregateBenchmarkInputs* cms_figures = nullptr;  // [benchmark] cms_figures, when given
  // The verdict on the contract's [data_requirements], when it has the section.
  const quality::QualityVerdict* verdict = nullptr;
  // [[episode]] reconciliations the run computed, for episode_reconciliation layers.
  const std::map<std::string, EpisodeAmount>* episode_amounts = nullptr;
  // Every member's claim lines already tallied (a distributed settlement on a split dataset,
  // whose claim lines stay on their ranks), or null: tallied from `dataset`.
  const MemberLinesTable* member_lines = nullptr;
};

// Whether any shared-savings layer of the contract can need the MSR band table.
bool NeedsMsrBands(const Contract& contract);

// `trace` holds the population nodes the Timeline builder added; the result's trace continues
// it.
Result<SettlementResult> Settle(const Contract& contract, const SettleInputs& inputs, Trace trace);

}  // namespace valuepact
