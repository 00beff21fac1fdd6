#pragma once
// Loads everything one run reads, once (ARCHITECTURE §1): the contract (typed and validated,
// definitions compiled against the value sets), the claims data in any supported format,
// program data, the attribution list and provider directory the contract names, a measures
// file, value sets and the reference tables the contract needs. Small files go through the
// FileSystem interface; claims files are read by the format readers (ingest/).
//
// RunInputs is immutable once loaded and may be read from any thread.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/attribution/attribution.h"
#include "valuepact/benchmark/aggregate_benchmark.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/files.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/measures.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/ingest/dataset_partition.h"
#include "valuepact/ingest/ingest_report.h"
#include "valuepact/ingest/tuva_reader.h"
#include "valuepact/population/value_set.h"
#include "valuepact/refdata/reference_data.h"

namespace valuepact::run {

struct InputPaths {
  std::string contract;
  std::string data;     // "" : the contract alone (validate, check)
  std::string program;  // "" : the data folder
  std::string format = "auto";
  std::string refdata;                  // --refdata ("" : $VALUEPACT_REFDATA, then defaults)
  std::string measures;                 // --measures CSV ("" : none)
  std::vector<std::string> value_sets;  // --value-sets ("" : beside the contract, then defaults)
  bool allow_draft = false;             // population commands on a contract being drafted
  bool allow_outside_paths = false;     // files the contract names may lie outside its folder
  bool distributed = false;             // --distributed: one of the ranks of an mpirun
  // The command computes nothing from diagnosis or procedure codes beyond what the contract's
  // terms use (settle, metrics, quality): the data is then read without them when the terms use
  // none (ContractUsesCodes). Commands that score risk, build episodes or take expressions of
  // their own leave it false.
  bool codes_as_contract_needs = false;
  // The command can read the claim lines apart from the dataset (settle: run/line_tallies.h): on
  // their ranks in a distributed run on a folder of parts, or only the columns it needs from a
  // dataset cache. Whether it does depends on the contract too.
  bool lines_apart = false;
};

// A file the run read besides the claims files, with its hash (for the run id).
struct InputFile {
  std::string role;  // contract | attribution_file | providers | measures | value_set | refdata
  std::string path;
  std::string sha256;
  uint64_t bytes = 0;    // the file's size when read
  std::string modified;  // its modification time when read (ISO 8601 UTC; "" when unknown)
};

struct RunInputs {
  Contract contract;
  Dataset dataset;
  ProgramData program;
  IngestReport report;
  population::ValueSetLibrary value_sets;
  std::vector<std::string> value_set_dirs;  // the folders actually loaded
  attribution::AttributionSpec attribution;
  MeasureTable measures;
  std::optional<AggregateBenchmarkInputs> cms_figures;  // [benchmark] cms_figures
  // Tables load on first use and are recorded for the run id.
  std::unique_ptr<ReferenceData> refdata = std::make_unique<ReferenceData>();
  std::vector<InputFile> files;
  // The command's options that change results ("format=cclf", "index_date=2018-07-01"),
  // hashed into the run id.
  std::vector<std::string> options;
  // The claim lines read apart (run/line_tallies.h): this rank's own part, whole, when they stay
  // on their ranks; or the columns spending reads from a cache, with the scorecard tally it
  // stores (`lines->tally`). `dataset` then holds no medical or pharmacy line.
  std::unique_ptr<cache::Part> lines;
};

// The contract alone, with its definitions compiled against the value sets: what `validate`
// checks and every command needs first.
Result<std::unique_ptr<RunInputs>> LoadContractInputs(const InputPaths& paths,
                                                      const FileSystem& files = RealFiles());
// The contract and then the data (paths.data must be set).
Result<std::unique_ptr<RunInputs>> LoadRunInputs(const InputPaths& paths,
                                                 const FileSystem& files = RealFiles());

// Adds the data (claims, eligibility, program data) to inputs holding a loaded contract.
// paths.data is a folder, or a dataset cache written by `valuepact import` (then the program
// data comes from the cache and paths.program must be empty).
Status LoadData(const InputPaths& paths, const FileSystem& files, RunInputs* inputs);

// What a rank other than 0 does in a distributed run (core/distributed.h): reads the contract
// (drafts allowed) and its share of the Tuva CSV files, taking part in every exchange rank 0
// makes, and keeps nothing; a cache, CCLF and FHIR deliveries and program data are left to rank
// 0. Errors are those rank 0 meets on the same inputs.
Status ReadDataAsPeer(InputPaths paths);

// True unless the contract's terms can be computed without a single diagnosis or procedure
// code: a target-PMPM benchmark (a historical one scores CMS-HCC risk), no preset, no
// [definitions] or population expression, no claims-based attribution, no [comparison], no
// [[episode]]. Errs on the side of reading the codes.
bool ContractUsesCodes(const Contract& contract);

// How a contract's claims are read: its amount basis, whether pharmacy counts, its largest
// plausible line amount, and — with `codes_as_contract_needs` — whether the diagnosis and
// procedure codes are kept (LoadOptions::diagnoses; always, without it).
LoadOptions DataLoadOptions(const Contract& contract, bool codes_as_contract_needs = false);

// The same, for reading a data folder: a settlement (paths.lines_apart) in one process whose
// terms read the claim lines only for spending (LinesOnlyForSpending) and attribute other than
// by plurality reads them without the columns only metrics, episodes, plurality attribution and
// definitions read (LoadOptions::line_details). A distributed run keeps them.
LoadOptions FolderLoadOptions(const InputPaths& paths, const Contract& contract);
// Such a settlement, when its terms use no diagnosis or procedure code either, reads the lines
// apart from the dataset, as from a cache: LoadData has the reader tally the scorecard's
// claim-line figures as it reads them (LoadOptions::tally_lines), then moves the lines and the
// tally to RunInputs::lines and frees the claim ids (unless claim versions name them).

// Reads the data folder (paths.format) and the program folder (paths.program, else paths.data)
// through `files`, finalizes member demographics and records each source file's size and time.
Status ReadDataFolders(const InputPaths& paths, const LoadOptions& options,
                       const StampingFileSystem& files, Dataset* dataset, ProgramData* program,
                       IngestReport* report);

// The reference folder: --refdata, else $VALUEPACT_REFDATA, else refdata/ beside the contract,
// else <checkout>/../shared/refdata (refdata/refdata_dir.h); never the working directory's. An
// explicit folder that does not exist is an error; otherwise "" when none is found.
Result<std::unique_ptr<ReferenceData>> OpenReferenceData(const std::string& refdata_flag,
                                                         const std::string& contract_path = "");

// The MSR band table when the folder has one (worked examples and scenarios may need it for any
// year); null otherwise.
const MsrBandTable* OptionalMsrBands(const ReferenceData& refdata);

// Reads `measure,value[,source]`.
Result<MeasureTable> ParseMeasures(std::string_view bytes, const std::string& path);

// sha256 over the engine version, the contract bytes, every input file (claims, program data,
// attribution list, providers, measures, value sets, each with its format or role), every
// reference table loaded so far and the options that change results (call it after the run
// has computed).
std::string ComputeRunId(const RunInputs& inputs);

// An amount that left the range of cents, as an input error message: the contract's amounts or
// the data's are larger than any real figure.
std::string DescribeOverflow(const MoneyOverflow& e);

// Where the run's value sets and reference tables came from, and its result-changing options:
// {"value_sets": [...], "reference_tables": "...", "options": [...]} for summary.json.
nlohmann::ordered_json ResolvedSources(const RunInputs& inputs);
// The data files a dataset was read from, for summary.json's inputs: path, table, format,
// SHA-256, size, modification time, rows read and rejected.
nlohmann::ordered_json DataSourcesJson(const Dataset& dataset);

// The run's provenance in summary.json: contract_id (when absent), contract_version ([contract]
// version, else the first 12 hex digits of the contract file's SHA-256), engine_version, and
// inputs — every file read (data as DataSourcesJson, contract, value sets) and reference table
// with its SHA-256.
// The run store takes the contract, data and reference-table hashes from it.
void AddProvenance(const RunInputs& inputs, nlohmann::ordered_json* summary);

// "value sets from X; reference tables from Y" for the terminal ("none" when not found).
std::string DescribeResolvedSources(const RunInputs& inputs);

}  // namespace valuepact::run
