#include "valuepact/run/quality_run.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "valuepact/contract/contract.h"
#include "valuepact/ingest/claim_line_checks.h"
#include "valuepact/ingest/dataset_cache.h"
#include "valuepact/ingest/dataset_partition.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/run/loader.h"

namespace valuepact::run {
namespace {

// Reads a data folder for the scorecard: its claim lines tallied as they are read, as a
// spending settlement reads them (LoadOptions::tally_lines; a Tuva CSV folder in one process then
// keeps a few columns of each line), and then dropped: the scorecard reads the tally instead.
Status ReadFolderForScorecard(const QualityRequest& req, DataFormat format, LoadOptions options,
                              QualityRunResult* out,
                              std::optional<quality::ClaimLineTally>* lines) {
  quality::ClaimLineTally tally;
  options.line_details = false;  // no figure of the scorecard reads those columns
  options.tally_lines = &tally;
  if (Status s = LoadDataDirectory(req.data, format, options, &out->dataset, &out->report);
      !s.ok()) {
    return s;
  }
  out->dataset.medical = MedicalClaimTable();
  out->dataset.pharmacy = PharmacyClaimTable();
  *lines = std::move(tally);
  return Status::Ok();
}

// Reads --data for the scorecard. A data folder: ReadFolderForScorecard. A dataset cache file
// whose pharmacy claims the run takes as they were imported is read without its claim lines
// when it stores their tally (cache::LinesApart with no column): `lines` gets the tally. Another
// cache is read whole.
Status ReadForScorecard(const QualityRequest& req, DataFormat format, const LoadOptions& options,
                        QualityRunResult* out, std::optional<quality::ClaimLineTally>* lines,
                        std::optional<LoadOptions>* imported_with) {
  if (!cache::IsCacheFile(req.data)) {
    return ReadFolderForScorecard(req, format, options, out, lines);
  }
  // A run that drops the cache's pharmacy claims cannot use a tally that counts them.
  if (!(options.cache_as_imported || options.pharmacy)) {
    return LoadDataDirectory(req.data, format, options, &out->dataset, &out->report);
  }
  cache::Part apart;
  ProgramData unused;  // the scorecard reads no program data
  auto origin = cache::LoadCacheFile(req.data, options, &out->dataset, &unused, &out->report,
                                     &out->report.notes, false, &apart, {});
  if (!origin.ok()) return origin.status();
  if (Status s = CheckImportedFormat(format, req.data, origin->format); !s.ok()) return s;
  *imported_with = origin->options;
  out->dataset.FinalizeMembers();
  *lines = std::move(apart.tally);  // none: the cache was read whole
  return Status::Ok();
}

// A cache read as it was imported (no contract), with other options than a read of the folder
// by default: what the scorecard then describes, as its first finding; empty otherwise.
std::string ImportedOtherwise(const std::string& path, const LoadOptions& o) {
  std::vector<std::string> how;
  if (!o.pharmacy) how.emplace_back("its pharmacy claims left out");
  if (o.basis != "paid") how.push_back(fmt::format("the {} amounts as the basis", o.basis));
  if (o.max_line_amount != kDefaultMaxLineAmount) {
    how.push_back(fmt::format("lines above {} rejected as implausible (not above {})",
                              o.max_line_amount.ToString(), kDefaultMaxLineAmount.ToString()));
  }
  if (how.empty()) return "";
  return fmt::format(
      "{} was imported with {}: the scorecard describes the data as imported, not as the folder "
      "read with the default options; pass the contract it was imported with (--contract), or "
      "re-import it without --contract, --basis and --no-pharmacy",
      path, fmt::join(how, ", "));
}

}  // namespace

Result<QualityRunResult> QualityRun(const QualityRequest& req) {
  QualityRunResult out;
  auto format = ParseDataFormat(req.format);
  if (!format.ok()) {
    return format.status();
  }
  DataRequirements requirements;
  quality::ScorecardContext context;
  // Without a contract: the data as it is (a cache as it was imported). With one: the data as
  // the contract's runs read it (its amount basis, pharmacy, largest plausible line amount), so
  // the scorecard is the one `settle` computes.
  LoadOptions options;
  options.cache_as_imported = req.contract.empty();
  if (!req.contract.empty()) {
    ContractParseOptions po;
    po.allow_draft = true;
    auto k = LoadContract(req.contract, po);
    if (!k.ok()) {
      return k.status();
    }
    requirements = k->data_requirements;
    // The services decide whether pharmacy claims are required.
    context.pharmacy_required = k->pharmacy;
    options = DataLoadOptions(*k);
  }
  options.diagnoses = false;  // the scorecard reads only what MedicalClaimTable::dx_first keeps
  std::optional<quality::ClaimLineTally> lines;
  std::optional<LoadOptions> imported_with;
  if (Status s = ReadForScorecard(req, *format, options, &out, &lines, &imported_with); !s.ok()) {
    return s;
  }
  context.report = &out.report;
  out.scorecard = lines
                      ? quality::ComputeQualityScorecard(out.dataset, *lines, requirements, context)
                      : quality::ComputeQualityScorecard(out.dataset, requirements, context);
  if (!req.contract.empty()) {
    out.verdict = quality::EvaluateRequirements(out.scorecard, requirements);
  }
  if (imported_with && options.cache_as_imported) {
    std::string note = ImportedOtherwise(req.data, *imported_with);
    if (!note.empty()) {
      out.scorecard.findings.insert(out.scorecard.findings.begin(), std::move(note));
    }
  }
  return out;
}

}  // namespace valuepact::run
