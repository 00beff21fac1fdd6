#pragma once
// Reader for FHIR bulk data (NDJSON, one resource per line; or a JSON file holding one resource
// or a searchset Bundle): ExplanationOfBenefit, Patient and Coverage as published by CMS Blue
// Button / BCDA (R4 CARIN Blue Button profiles; the STU3 shapes of BCDA v1 are accepted too).
//
// Unknown elements are ignored. A resource with the wrong structure where the reader needs a
// value (e.g. `item` not an array, an amount that is not a number, no patient reference) is
// rejected with its file, line and JSON path; other resource types are counted and skipped.
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/files.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/claim_line_checks.h"
#include "valuepact/ingest/ingest_report.h"

namespace valuepact::fhir {

struct FhirInput {
  std::string name;
  std::string_view bytes;
};

struct FhirOptions {
  // Claim lines paying more than this in absolute value are rejected as implausible_amount;
  // lines repeating an ExplanationOfBenefit's item sequence as duplicate_key
  // (claim_line_checks.h).
  Money max_line_amount = kDefaultMaxLineAmount;
  // False when the run's services leave out pharmacy claims: a pharmacy ExplanationOfBenefit
  // is then passed over as soon as its type is read (no line, member, claim id or reject comes
  // of it), and the export's notes say how many were.
  bool pharmacy = true;
};

// Reads every .ndjson / .json file below `dir` (recursively, in name order; also extension-less
// files that start with '{'). kNotFound when there is none.
Status LoadFhirDirectory(const std::string& dir, Dataset* dataset, IngestReport* report,
                         const FhirOptions& options = {}, const FileSystem& files = RealFiles());

// Reads the given files as one export. A name ending in .ndjson is read line by line; any other
// name is read as one JSON document. Never crashes on hostile bytes. Patients and Coverages
// give member demographics (Dataset::demographics) and Coverage periods enrollment spans.
Status LoadFhirFiles(const std::vector<FhirInput>& files, Dataset* dataset, IngestReport* report,
                     const FhirOptions& options = {});

// True when `dir` holds an .ndjson file, or a .json file whose first resource is FHIR.
Result<bool> LooksLikeFhirDirectory(const std::string& dir, const FileSystem& files = RealFiles());

}  // namespace valuepact::fhir
