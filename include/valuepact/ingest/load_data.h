#pragma once
// One entry point for every input format: Tuva-layout CSV, CMS CCLF, FHIR bulk NDJSON. The CLI
// commands (settle, metrics, risk, quality) take `--format tuva|cclf|fhir|auto` and call this.
#include <string>
#include <string_view>

#include "valuepact/core/files.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/ingest/tuva_reader.h"

namespace valuepact {

enum class DataFormat { kAuto, kTuva, kCclf, kFhir };

const char* DataFormatName(DataFormat f);  // "auto", "tuva", "cclf", "fhir"
// "tuva" (also "csv"), "cclf", "fhir", "auto"; anything else is kInvalidInput.
Result<DataFormat> ParseDataFormat(std::string_view text);

// Looks at the file names in `dir`: Tuva tables (eligibility*.csv / medical_claim*.csv) first,
// then CCLF names (a ZC<type> token), then FHIR (.ndjson, or .json holding FHIR resources).
// kNotFound when nothing matches, with a message that lists what each format needs.
Result<DataFormat> DetectFormat(const std::string& dir, const FileSystem& files = RealFiles());

// Loads `dir` in `format` (kAuto: DetectFormat) into `dataset`, then finalizes member
// demographics (Dataset::FinalizeMembers) so every caller can read member_info. `options`
// applies to the Tuva reader; max_line_amount to every reader; the CCLF reader otherwise uses
// its defaults (denied claims excluded, Part D read unless options.pharmacy is false). Call
// FinalizeMembers again after reading anything that adds members (program data).
// Every file is found and read through `files`; a folder that cannot be read is an error naming
// it, never a shorter walk.
Status LoadDataDirectory(const std::string& dir, DataFormat format, const LoadOptions& options,
                         Dataset* dataset, IngestReport* report,
                         const FileSystem& files = RealFiles());

// The --format a command was given against the one the dataset cache at `path` was imported in
// (`imported`, a DataFormatName): kInvalidInput naming both when they differ; kAuto takes any.
Status CheckImportedFormat(DataFormat format, const std::string& path, const std::string& imported);

}  // namespace valuepact
