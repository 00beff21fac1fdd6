#pragma once
// Reader for Tuva Project input-layer CSV tables (eligibility, medical_claim, pharmacy_claim),
// found in a directory by table name (e.g. medical_claim*.csv). Accepts current Tuva names and
// older aliases (patient_id -> person_id, ms_drg_code -> drg_code). Multi-threaded over
// memory-mapped files; results are identical for any thread count.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/files.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/member_months.h"
#include "valuepact/ingest/claim_line_checks.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/ingest/quality/line_tally.h"

namespace valuepact {

struct LoadOptions {
  // Which amount column the run needs ("paid" or "allowed"); that column is then required.
  std::string basis = "paid";
  bool pharmacy = true;  // read pharmacy_claim*.csv when present (else a note names each)
  // Keep the medical lines' diagnosis and procedure codes. False (a run whose engines use none,
  // run::DataLoadOptions) keeps only what the data-quality scorecard reports of them
  // (MedicalClaimTable::dx_first). Tuva CSV only; the other readers always keep them.
  bool diagnoses = true;
  // Keep the columns only metrics, episodes, plurality attribution and population definitions
  // read: medical admission and discharge dates, hcpcs_modifier_1, facility_npi, rendering_tin,
  // billing_tin and discharge_disposition; pharmacy dispensing_npi. False (a settlement whose
  // terms read the lines only for spending, run::ReadDataFolders) still checks every field a
  // row is rejected on, and leaves those columns empty (MedicalClaimTable::details_kept). Tuva
  // CSV in one process only; the other readers and a rank's parsed chunks always keep them.
  bool line_details = true;
  // Where a run that reads the claim lines only for spending and the data-quality scorecard
  // (run::FolderLoadOptions) wants the scorecard's claim-line figures (quality/line_tally.h).
  // Given, with line_details and diagnoses false, a Tuva CSV directory read in one process
  // tallies them batch by batch as the lines are read and keeps of each line only its claim
  // key, member, claim date (claim_month, below), amount of the basis and service category:
  // every other column (the source too) is left empty, and the claim-line checks run on each
  // batch before it joins its table (FreshLineChecker, which keeps where each line was read),
  // with the same verdicts. Once the medical files are read, the medical lines' claim keys and
  // line numbers go with the medical claims' ids (the checks and the scorecard's figures by
  // claim are taken by then), and the pharmacy files' claim ids start again from 0. Any other
  // read keeps its columns and tallies the lines once they are all read
  // (quality::TallyClaimLines).
  quality::ClaimLineTally* tally_lines = nullptr;
  // The claim date a medical line's month comes from (Contract::claim_month). A lean read (above)
  // keeps of each medical line only that date, the other when it is empty (MedicalLineDate),
  // in that date's column, and leaves the other column empty.
  ClaimMonthRule claim_month = ClaimMonthRule::kClaimStart;
  // A claim line whose paid or allowed amount is larger than this in absolute value is
  // rejected as implausible_amount (every input format).
  Money max_line_amount = kDefaultMaxLineAmount;
  // A dataset cache given as --data is taken with whatever options it was imported with
  // instead of the four above (a data-quality scorecard without a contract describes the data
  // as it was imported). Not a parse option: a CSV read ignores it and a cache does not record it.
  bool cache_as_imported = false;
};

// Loads every table found in `dir`. A directory without an eligibility or medical_claim file,
// or a file missing a required column, is an error (kNotFound / kInvalidInput) that names the
// file and the column. Bad rows are rejected into `report`, never dropped silently; claim lines
// also go through the duplicate_key and implausible_amount checks (claim_line_checks.h).
// Member demographics are not finalized here: LoadDataDirectory does that for every format.
Status LoadTuvaDirectory(const std::string& dir, const LoadOptions& options, Dataset* dataset,
                         IngestReport* report, const FileSystem& files = RealFiles());

// Reads one table's CSV bytes (as if from a file called `display_name`) into the dataset.
// Used by the directory loader and by fuzz targets. `done_with(begin, end)`, when given, is
// called once the reader will not look at bytes [begin, end) again (FileBytes::Release), so the
// memory of a large file goes back while its rows are parsed. `index_claim_ids` false: the
// dataset's claim id table is left without its index once this table's ids are added
// (StringInterner::DropIndex), for the last file of a load that adds claim ids (no one looks a
// claim id up once the data is read).
Status LoadTuvaTable(std::string_view table, std::string_view bytes,
                     const std::string& display_name, const LoadOptions& options, Dataset* dataset,
                     IngestReport* report,
                     const std::function<void(size_t, size_t)>& done_with = {},
                     bool index_claim_ids = true);

// Files in `dir` whose names start with `table` and end with .csv, sorted by name.
Result<std::vector<std::string>> FindTableFiles(const std::string& dir, std::string_view table,
                                                const FileSystem& files = RealFiles());

}  // namespace valuepact
