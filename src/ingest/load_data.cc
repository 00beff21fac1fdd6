#include "valuepact/ingest/load_data.h"

#include <filesystem>

#include <fmt/format.h>

#include "valuepact/core/distributed.h"
#include "valuepact/ingest/cclf/cclf_reader.h"
#include "valuepact/ingest/dataset_cache.h"
#include "valuepact/ingest/dataset_partition.h"
#include "valuepact/ingest/fhir/fhir_reader.h"
#include "valuepact/ingest/quality/line_tally.h"

namespace valuepact {

const char* DataFormatName(DataFormat f) {
  switch (f) {
    case DataFormat::kAuto:
      return "auto";
    case DataFormat::kTuva:
      return "tuva";
    case DataFormat::kCclf:
      return "cclf";
    case DataFormat::kFhir:
      return "fhir";
  }
  return "auto";
}

Result<DataFormat> ParseDataFormat(std::string_view text) {
  if (text == "auto" || text.empty()) return DataFormat::kAuto;
  if (text == "tuva" || text == "csv") return DataFormat::kTuva;
  if (text == "cclf") return DataFormat::kCclf;
  if (text == "fhir") return DataFormat::kFhir;
  return InvalidInput(fmt::format("--format: expected tuva, cclf, fhir or auto, found '{}'", text));
}

Result<DataFormat> DetectFormat(const std::string& dir, const FileSystem& files) {
  if (const FileKind kind = files.Kind(dir); kind != FileKind::kDirectory) {
    if (kind == FileKind::kMissing) return NotFound("no such data directory: " + dir);
    return cache::NotDataError(dir);
  }
  for (const char* table : {"eligibility", "medical_claim"}) {
    auto found = FindTableFiles(dir, table, files);
    if (!found.ok()) return found.status();
    if (!found->empty()) return DataFormat::kTuva;
  }
  auto cclf = cclf::LooksLikeCclfDirectory(dir, files);
  if (!cclf.ok()) return cclf.status();
  if (*cclf) return DataFormat::kCclf;
  auto fhir = fhir::LooksLikeFhirDirectory(dir, files);
  if (!fhir.ok()) return fhir.status();
  if (*fhir) return DataFormat::kFhir;
  return NotFound(fmt::format(
      "{}: cannot tell the data format. Expected Tuva tables (eligibility*.csv, "
      "medical_claim*.csv), CCLF files (names with ZC1..ZC9, ZCA, ZCB, ZC0 such as "
      "P.A1234.ACO.ZC1Y24.D240208.T1234560) or FHIR bulk files (*.ndjson); or pass --format",
      dir));
}

Status CheckImportedFormat(DataFormat format, const std::string& path,
                           const std::string& imported) {
  if (format == DataFormat::kAuto || DataFormatName(format) == imported) return Status::Ok();
  return InvalidInput(
      fmt::format("--format {}: {} was imported as {}", DataFormatName(format), path, imported));
}

Status LoadDataDirectory(const std::string& dir, DataFormat format, const LoadOptions& options,
                         Dataset* dataset, IngestReport* report, const FileSystem& files) {
  // Only Tuva CSV files and a split dataset's parts are shared among the ranks of a distributed
  // run: rank 0 alone reads a cache, CCLF and FHIR deliveries (docs/scaling.md).
  if (cache::IsCachePath(dir) && OnPeerRank()) {
    return cache::IsPartitionFolder(dir) ? cache::SendPartToRoot(dir) : Status::Ok();
  }
  if (cache::IsCachePath(dir)) {
    ProgramData unused;  // the claims commands that call this read no program data
    auto origin =
        cache::LoadCacheFile(dir, options, dataset, &unused, report, &report->notes, true);
    if (!origin.ok()) return origin.status();
    if (Status s = CheckImportedFormat(format, dir, origin->format); !s.ok()) return s;
    if (options.tally_lines != nullptr) *options.tally_lines = quality::TallyClaimLines(*dataset);
    dataset->FinalizeMembers();
    return Status::Ok();
  }
  if (format == DataFormat::kAuto) {
    auto detected = DetectFormat(dir, files);
    if (!detected.ok()) return detected.status();
    format = *detected;
    report->notes.push_back(fmt::format("{}: read as {} (detected)", dir, DataFormatName(format)));
  }
  if (format != DataFormat::kTuva && OnPeerRank()) return Status::Ok();
  Status s = InvalidInput("unknown data format");
  switch (format) {
    case DataFormat::kTuva:
      s = LoadTuvaDirectory(dir, options, dataset, report, files);
      break;
    case DataFormat::kCclf: {
      cclf::CclfOptions o;
      o.read_part_d = options.pharmacy;
      o.max_line_amount = options.max_line_amount;
      s = cclf::LoadCclfDirectory(dir, o, dataset, report, files);
      break;
    }
    case DataFormat::kFhir: {
      fhir::FhirOptions o;
      o.max_line_amount = options.max_line_amount;
      o.pharmacy = options.pharmacy;
      s = fhir::LoadFhirDirectory(dir, dataset, report, o, files);
      break;
    }
    case DataFormat::kAuto:
      break;
  }
  if (!s.ok()) return s;
  // A Tuva CSV read tallies its lines itself (LoadOptions::tally_lines).
  if (options.tally_lines != nullptr && format != DataFormat::kTuva) {
    *options.tally_lines = quality::TallyClaimLines(*dataset);
  }
  // No one looks a claim id up once the data is read: its index goes (a cache's is never built).
  dataset->claim_ids.DropIndex();
  // Every caller gets member demographics, whatever the format.
  dataset->FinalizeMembers();
  return Status::Ok();
}

}  // namespace valuepact
