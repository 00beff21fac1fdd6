#pragma once
// A distributed settlement on a dataset split by member (`valuepact partition`) whose claim lines
// stay on their ranks (docs/scaling.md, "Claim lines stay on their ranks"). Rank 0 joins the
// parts without their medical and pharmacy lines and builds the Timeline; every rank, rank 0
// included, tallies its own part's lines — each member's spending by scope and category
// (settlement/population_spending.h) and the data-quality scorecard's claim-line figures
// (ingest/quality/line_tally.h) — and rank 0 adds the tallies up. The exchange:
//
//   1. every rank sends rank 0 the whole dataset's ids of its part's claim ids;
//   2. rank 0 sends every rank the population's member-months (one bit each, for every member
//      of the whole dataset) and the claim ids that lines in two parts carry;
//   3. every rank sends rank 0 its tallies.
//
// The figures are those of one process on the whole dataset, byte for byte: a member's lines
// are all in one part, and the scorecard's tally says where each part's rows and ids sit in the
// whole.
#include <string>
#include <vector>

#include "valuepact/attribution/attribution.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/timeline.h"
#include "valuepact/ingest/dataset_partition.h"
#include "valuepact/ingest/quality/line_tally.h"
#include "valuepact/run/loader.h"
#include "valuepact/settlement/population_spending.h"

namespace valuepact::run {

// The contract's terms read claim lines for nothing but the population's spending, plurality
// attribution and the data-quality scorecard: a target-PMPM benchmark, no preset, no
// [definitions] or [population] expression, no [comparison], no [[episode]], and no quality or
// data-reporting layer whose measure is a catalogue metric computed on the claims.
bool LinesOnlyForSpending(const Contract& contract);

// This run keeps the claim lines on their ranks: the command asks for it
// (InputPaths::lines_apart), it runs under mpirun with --distributed, --data is a folder of
// parts, and LinesOnlyForSpending holds. The same answer on every rank.
bool LinesStayOnRanks(const InputPaths& paths, const Contract& contract);

// This run reads the claim lines apart from the dataset (RunInputs::lines): they stay on their
// ranks (LinesStayOnRanks), or --data is a dataset cache file, the command asks for it,
// LinesOnlyForSpending holds and the attribution is not plurality. From the cache, only the
// columns each member's spending reads are read (SpendingLineColumns), with the scorecard's
// claim-line tally the cache stores (cache::LinesApart).
bool LinesReadApart(const InputPaths& paths, const Contract& contract);

// The claim-line columns TallyMemberLines reads under the contract's services and basis, as the
// cache names them ("medical.paid").
std::vector<std::string> SpendingLineColumns(const Contract& contract);

// The columns a run whose lines are read apart reads of them: SpendingLineColumns, or none
// (every column) when the ranks attribute by plurality, which reads more of their own part.
std::vector<std::string> LineColumnsReadApart(const Contract& contract);

// What the ranks' tallies add up to.
struct LineTallies {
  quality::ClaimLineTally lines;  // the scorecard's claim-line figures
  MemberLinesTable members;       // by member id of the whole dataset
};

// Plurality attribution reads each member's primary-care lines: with the lines on their ranks,
// every rank attributes its own members (a member's eligibility and lines are in one part) and
// rank 0 puts the rows together, before it builds the Timeline. Rank 0's side returns the
// attribution of every member (ids of the whole dataset); the other ranks' send theirs.
bool AttributesOnRanks(const Contract& contract);
Result<attribution::AttributionResult> GatherAttribution(const cache::Part& own,
                                                         const RunInputs& inputs);
Status SendAttribution(const cache::Part& own, const RunInputs& inputs);

// Rank 0: its side of the exchange, with `own` its own part (whole) and `whole` the dataset
// joined without lines; returns every rank's tallies added up.
Result<LineTallies> GatherLineTallies(const Dataset& whole, const cache::Part& own,
                                      const Contract& contract, const Timeline& timeline);

// A rank other than 0: its side of the exchange, on its own part (whole).
Status SendLineTallies(const cache::Part& own, const Contract& contract);

// One process on lines read from a cache apart (LinesReadApart): each member's spending tallied
// from the columns read, and the scorecard's figures as the cache stores them.
LineTallies TallyLinesReadApart(const cache::Part& lines, const Contract& contract,
                                const Timeline& timeline);

}  // namespace valuepact::run
