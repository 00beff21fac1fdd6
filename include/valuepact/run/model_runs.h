#pragma once
// The program-economics runs (`valuepact model …`, docs/modeling.md) on a contract and its data:
// the same loading, Timeline and settlement every other command uses, so the member-months,
// program months and spending a model reads are the ones `settle` pays on.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/modeling/assumptions.h"
#include "valuepact/modeling/cost_model.h"
#include "valuepact/modeling/roi.h"
#include "valuepact/modeling/simulation.h"
#include "valuepact/run/loader.h"
#include "valuepact/run/timeline_builder.h"
#include "valuepact/settlement/settlement.h"

namespace valuepact::run {

// A contract, its data, the Timeline and the settlement of the data as it is.
struct ModelData {
  std::unique_ptr<RunInputs> inputs;
  Timeline timeline;
  SettlementResult settlement;
  std::vector<std::string> notes;
};

Result<ModelData> LoadModelData(const InputPaths& paths, const FileSystem& files = RealFiles());

// The care actually delivered: completed visits in program member-months of the contract's
// population and period, priced at the assumptions' hourly costs.
modeling::ActualCost ActualCareCost(const ModelData& data, const modeling::Assumptions& a);

// The member-years the risk simulation draws from: each population member's member-months and
// in-scope spending (as `settle` counts them) and program months by setting; the program counts
// other layers pay on (assessments, outlier member-months, ACP discussions) per population
// member-month; the measures held at the data's values.
Result<modeling::SimulationBase> SimulationBaseOf(const ModelData& data);

// The shared-savings engine's context (the MSR band table, when the reference data has it).
SharedSavingsContext SharedContextOf(const RunInputs& in);

// ROI inputs read from run folders.
// Savings from `valuepact metrics` output (monitoring.json): the enrolled − comparison paid PMPM
// difference (risk-adjusted when present) × the enrolled member-months, as savings when negative.
Result<Money> SavingsFromMetrics(const std::string& metrics_dir, std::string* source);
// Payments from a settle run folder (summary.json): the layers paid to the program, all of them
// or those listed.
Result<Money> PaymentsFromSettlement(const std::string& run_dir,
                                     const std::vector<std::string>& layers, std::string* source);
// Payments from a `model ramp` folder (ramp.csv): the projected revenue over its months.
Result<Money> PaymentsFromRamp(const std::string& ramp_dir, std::string* source);

}  // namespace valuepact::run
