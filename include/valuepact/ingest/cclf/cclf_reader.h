#pragma once
// Reader for CMS CCLF deliveries (CCLF0-9, A, B; IP v38 layouts). Fills the dataset with
// final-action claims after claim-version resolution, beneficiary demographics and enrollment,
// and keeps the full version history (Dataset::claim_versions) and the delivery list.
//
// Rules implemented (docs/input-formats.md, "CMS CCLF"):
// - every MBI is replaced by its most recent MBI from the latest CCLF9 (chains followed);
// - Part A versions are grouped by CLM_BLG_PRVDR_OSCAR_NUM (PRVDR_OSCAR_NUM on older records) +
//   CLM_FROM_DT + CLM_THRU_DT + MBI; Part B by CLM_CNTL_NUM + CLM_LINE_NUM + MBI; Part D keeps the
//   most recent event per IP natural key;
// - identical rows redelivered in several files count once;
// - denied claims (CLM_MDCR_NPMT_RSN_CD), denied Part B claims (CLM_CARR_PMT_DNL_CD = 0) and
//   denied Part B lines (CLM_PRCSG_IND_CD other than A, R, S, O) are excluded after resolution;
// - CCLF2 line payments are used only when they add up to the CCLF1 header payment;
// - CCLF0 record counts and lengths are checked against what was read;
// - final-action lines go through the duplicate_key and implausible_amount checks
//   (claim_line_checks.h); versions of one claim are history, not duplicates.
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/files.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/claim_line_checks.h"
#include "valuepact/ingest/ingest_report.h"

namespace valuepact::cclf {

struct CclfOptions {
  bool exclude_denied = true;  // IP 3.2 calls this optional; on by default
  bool read_part_d = true;
  // Final-action lines paying more than this in absolute value are rejected as
  // implausible_amount (claim_line_checks.h).
  Money max_line_amount = kDefaultMaxLineAmount;
};

// One input file: its name (used for the file type, delivery and reports) and its bytes.
struct CclfInput {
  std::string name;
  std::string_view bytes;
};

// Reads every CCLF file below `dir` (recursively; names must carry a ZC<t> token, other files
// are noted and skipped). kNotFound when there is none.
Status LoadCclfDirectory(const std::string& dir, const CclfOptions& options, Dataset* dataset,
                         IngestReport* report, const FileSystem& files = RealFiles());

// Reads the given files (all deliveries at once). Used by the directory loader, tests and the
// fuzz target. Never crashes on hostile bytes: bad rows are rejected into `report`.
Status LoadCclfFiles(const std::vector<CclfInput>& files, const CclfOptions& options,
                     Dataset* dataset, IngestReport* report);

// True when `dir` holds at least one file whose name carries a CCLF ZC<t> token.
Result<bool> LooksLikeCclfDirectory(const std::string& dir, const FileSystem& files = RealFiles());

}  // namespace valuepact::cclf
