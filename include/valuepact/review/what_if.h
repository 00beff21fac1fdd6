#pragma once
// What-if on a recorded settle run (docs/what-if.md): the run's contract with changed terms,
// settled on the aggregates the run kept (settlement/what_if.h). `valuepact what-if` and the
// server's POST /api/runs/{run}/what-if answer with the same JSON.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/contract/contract.h"
#include "valuepact/contract/edit.h"
#include "valuepact/settlement/what_if.h"
#include "valuepact/store/run_store.h"

namespace valuepact::review {

// A settle run made ready: its contract text and terms, and its aggregates, checked to give the
// run's settlement to the cent.
struct WhatIfRun {
  std::string run_id;
  std::string contract_text;
  Contract contract;
  WhatIfBase base;
};

// `r` with its files' contents. Errors when the run is not a settle run, was recorded without
// its contract text or aggregates (an older engine), or its aggregates do not reproduce it.
Result<WhatIfRun> PrepareWhatIf(const RunRecord& r);

// The keys a what-if may change: [[payment]] terms ("payment.<id>.<term>") and, for a
// target_pmpm benchmark, "benchmark.target_pmpm". Anything else changes who or what is counted.
Status CheckWhatIfKey(const WhatIfRun& run, const std::string& key);

// The settlement under the edits: the changes (before, after), the net, the benchmark and every
// layer as settled, under the what-if and the change, the shared-savings figures, notes.
Result<nlohmann::ordered_json> WhatIf(const WhatIfRun& run, const std::vector<TermEdit>& edits);

// The terms a what-if can change on this run, for sliders: each [[payment]] number (and number in
// an inline table) and a target PMPM, with its value, a label, and a range (rates 0–1; amounts 0
// to twice the value). A term whose change the run's aggregates cannot answer (an outlier
// threshold, say) is left out.
nlohmann::ordered_json WhatIfTerms(const WhatIfRun& run);

}  // namespace valuepact::review
