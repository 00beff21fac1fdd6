#include "valuepact/run/loader.h"
#include "valuepact/core/numbers.h"

#include <malloc.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/distributed.h"
#include "valuepact/core/params.h"
#include "valuepact/core/sha256.h"
#include "valuepact/ingest/dataset_cache.h"
#include "valuepact/ingest/dataset_partition.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/ingest/program/program_reader.h"
#include "valuepact/population/definition.h"
#include "valuepact/refdata/refdata_dir.h"
#include "valuepact/run/line_tallies.h"

namespace valuepact::run {
namespace {

namespace fs = std::filesystem;

std::string Resolve(const std::string& contract_path, const std::string& relative) {
  const fs::path p(relative);
  return p.is_absolute() ? relative : (fs::path(contract_path).parent_path() / p).string();
}

// A file a contract names stays inside the contract's folder (no absolute path, no "..") unless
// the user allows otherwise (--allow-outside-paths): a contract received from the other party
// cannot make the run read /etc/shadow.
Result<std::string> ResolveConfined(const InputPaths& p, const std::string& relative,
                                    const char* key, const char* section = "[attribution]") {
  const fs::path rel(relative);
  const fs::path normal = rel.lexically_normal();
  const bool outside = rel.is_absolute() || normal.empty() || *normal.begin() == "..";
  if (outside && !p.allow_outside_paths) {
    return InvalidInput(
        fmt::format("{}: {} {} = \"{}\" is outside the contract's folder; keep the file beside the "
                    "contract, or pass --allow-outside-paths",
                    p.contract, section, key, relative));
  }
  return Resolve(p.contract, relative);
}

// Value sets: each --value-sets folder; else valuesets/ beside the contract, else
// $VALUEPACT_VALUESETS, else the valuesets/ folder shipped beside the build directory. Never
// the working directory's.
std::vector<std::string> ValueSetDirs(const InputPaths& p, const FileSystem& files) {
  if (!p.value_sets.empty()) return p.value_sets;
  std::vector<std::string> candidates = {
      (fs::path(p.contract).parent_path() / "valuesets").string()};
  if (const char* env = std::getenv("VALUEPACT_VALUESETS"); env != nullptr && *env != '\0') {
    candidates.push_back(env);
  }
  if (const std::string checkout = ExecutableCheckoutDir(); !checkout.empty()) {
    candidates.push_back((fs::path(checkout) / "valuesets").string());
  }
  for (const auto& c : candidates) {
    if (files.Kind(c) == FileKind::kDirectory) return {c};
  }
  return {};
}

Status LoadValueSets(const InputPaths& p, const FileSystem& files, RunInputs* in) {
  for (const auto& dir : ValueSetDirs(p, files)) {
    if (files.Kind(dir) != FileKind::kDirectory) {
      return NotFound(fmt::format("--value-sets {}: no such folder", dir));
    }
    auto list = files.List(dir);
    if (!list.ok()) return list.status();
    for (const auto& path : *list) {
      if (fs::path(path).extension() != ".csv") continue;
      auto bytes = files.Read(path);
      if (!bytes.ok()) return bytes.status();
      if (Status s = in->value_sets.LoadCsv(*bytes, path); !s.ok()) return s;
      in->files.push_back({"value_set", path, Sha256Hex(*bytes), 0, ""});
    }
    in->value_set_dirs.push_back(dir);
  }
  return Status::Ok();
}

// Every definition (and [population] eligible) compiles against the loaded value sets: an
// unknown term, value set or a broken expression is an error before any data is read.
Status CheckDefinitions(const RunInputs& in) {
  const Contract& k = in.contract;
  std::string where = in.value_set_dirs.empty() ? "no value-set folder was found"
                                                : "value sets from " + in.value_set_dirs[0];
  for (const auto& e : k.episodes) {
    for (const auto& [key, text] :
         {std::pair{"trigger.definition", e.trigger.definition},
          std::pair{"trigger.claims.definition", e.trigger.claims.definition}}) {
      if (text.empty()) continue;
      const std::string name = fmt::format("episode {} {}", e.id, key);
      auto line = population::CompileLineCondition(k.definitions, {name, text}, in.value_sets);
      if (!line.ok()) {
        return InvalidInput(fmt::format("{}: [[episode]] {}: {} ({})", k.path, e.id,
                                        line.status().message(), where));
      }
    }
  }
  if (k.definitions.empty() && k.population.eligible.empty()) return Status::Ok();
  // Every definition (claim line conditions too, which other definitions use), then the rule.
  auto compiled = population::Compile(k.definitions, {}, in.value_sets);
  if (compiled.ok() && !k.population.eligible.empty()) {
    compiled =
        population::Compile(k.definitions, {{"eligible", k.population.eligible}}, in.value_sets);
  }
  if (!compiled.ok()) {
    return InvalidInput(fmt::format("{}: [definitions]/[population]: {} ({})", k.path,
                                    compiled.status().message(), where));
  }
  return Status::Ok();
}

// The payer attribution list and provider directory the [attribution] section names.
Status LoadAttributionFiles(const InputPaths& p, const FileSystem& files, RunInputs* in) {
  const Contract& k = in->contract;
  in->attribution = attribution::MakeAttributionSpec(k.attribution, k.provider);
  auto read = [&](const std::string& relative, const char* role) -> Result<std::string> {
    auto resolved = ResolveConfined(p, relative, role);
    if (!resolved.ok()) return resolved.status();
    const std::string path = *resolved;
    auto bytes = files.Read(path);
    if (!bytes.ok()) {
      return InvalidInput(
          fmt::format("{}: [attribution] {}: {}", k.path, role, bytes.status().message()));
    }
    in->files.push_back({role, path, Sha256Hex(*bytes), 0, ""});
    return bytes;
  };
  if (!k.attribution.file.empty()) {
    auto bytes = read(k.attribution.file, "attribution_file");
    if (!bytes.ok()) return bytes.status();
    auto rows = attribution::ParseAttributionFile(*bytes, Resolve(k.path, k.attribution.file));
    if (!rows.ok()) return rows.status();
    in->attribution.file_rows = std::move(*rows);
  }
  if (!k.attribution.providers_file.empty()) {
    auto bytes = read(k.attribution.providers_file, "providers");
    if (!bytes.ok()) return bytes.status();
    auto dir =
        attribution::ParseProviderDirectory(*bytes, Resolve(k.path, k.attribution.providers_file));
    if (!dir.ok()) return dir.status();
    in->attribution.providers = std::move(*dir);
  }
  return Status::Ok();
}

// CMS's figures the [benchmark] section names (cms_figures), read and hashed into the run id.
Status LoadBenchmarkFigures(const InputPaths& p, const FileSystem& files, RunInputs* in) {
  const Contract& k = in->contract;
  if (k.benchmark.cms_figures.empty()) return Status::Ok();
  auto path = ResolveConfined(p, k.benchmark.cms_figures, "cms_figures", "[benchmark]");
  if (!path.ok()) return path.status();
  auto bytes = files.Read(*path);
  if (!bytes.ok()) {
    return InvalidInput(
        fmt::format("{}: [benchmark] cms_figures: {}", k.path, bytes.status().message()));
  }
  in->files.push_back({"cms_figures", *path, Sha256Hex(*bytes), 0, ""});
  auto figures = AggregateBenchmarkInputs::Parse(*bytes, *path);
  if (!figures.ok()) return figures.status();
  in->cms_figures = std::move(*figures);
  return Status::Ok();
}

// The size and modification time of every file read, as they were when it was read.
void ApplyStamps(const StampingFileSystem& files, RunInputs* in) {
  for (auto& f : in->files) {
    if (const FileStamp* st = files.StampOf(f.path)) {
      f.bytes = st->size;
      f.modified = FormatModified(st->modified_ns);
    }
  }
}

// A CCLF0 control file announces each file's record count: a delivery with fewer or more
// records is incomplete or mixed, and the run says no.
Status CheckControlCounts(const RunInputs& r) {
  std::string found;
  size_t n = 0;
  for (const auto& x : r.report.rejects) {
    if (x.reason.rfind("CCLF0 announces", 0) != 0) continue;  // a count or a missing file
    if (n++ < 3) found += fmt::format("\n  {}:{}: {}", x.file, x.line, x.reason);
  }
  if (n == 0) return Status::Ok();
  if (n > 3) found += fmt::format("\n  … and {} more", n - 3);
  return InvalidInput(fmt::format(
      "the CCLF delivery is incomplete: {} file(s) are missing or do not have the record count "
      "their CCLF0 announces:{}",
      n, found));
}

// Where the folders a run read were, and the full SHA-256 of a file it read (null: not taken).
struct ReadFolders {
  std::string data_dir, program_dir;
  std::function<const std::string*(const std::string&)> sha256_of;
};

// [[data_requirements.file]]: each agreed file was read, with the agreed rows and SHA-256.
Status CheckExpectedFiles(const ReadFolders& d, const RunInputs& r) {
  const Contract& k = r.contract;
  for (const auto& e : k.data_requirements.files) {
    const SourceFile* src = nullptr;
    std::string read_path;
    for (const std::string& dir : {d.data_dir, d.program_dir}) {
      const std::string want = (fs::path(dir) / e.path).lexically_normal().string();
      for (const auto& s : r.dataset.sources) {
        if (fs::path(s.path).lexically_normal().string() == want) {
          src = &s;
          read_path = s.path;
        }
      }
      if (src != nullptr) break;
    }
    const std::string where =
        fmt::format("{}:{}: [[data_requirements.file]] path = \"{}\"", k.path, e.line, e.path);
    if (src == nullptr) {
      return InvalidInput(fmt::format("{}: the run did not read this file (looked in {}{})", where,
                                      d.data_dir,
                                      d.program_dir != d.data_dir ? " and " + d.program_dir : ""));
    }
    if (e.rows && *e.rows != src->rows_read) {
      return InvalidInput(fmt::format(
          "{}: {} has {} data rows, the contract expects {}: the delivery is incomplete or not "
          "the agreed one",
          where, read_path, src->rows_read, *e.rows));
    }
    if (!e.sha256.empty()) {
      const std::string* got = d.sha256_of(read_path);
      if (got == nullptr || *got != e.sha256) {
        return InvalidInput(
            fmt::format("{}: {} has SHA-256 {}, the contract expects {}: not the agreed file",
                        where, read_path, got ? *got : "(not computed)", e.sha256));
      }
    }
  }
  return Status::Ok();
}

// The data from a cache written by `valuepact import`: the same tables, report and sources the
// folders gave when it was imported, checked against the contract as a folder's would be.
Status LoadCachedData(const InputPaths& p, RunInputs* in) {
  RunInputs& r = *in;
  if (!p.program.empty()) {
    return InvalidInput(fmt::format(
        "--program {}: {} is a dataset cache, which holds the program data it was imported with; "
        "give --program to valuepact import instead",
        p.program, p.data));
  }
  std::vector<std::string> notes;
  if (LinesReadApart(p, r.contract)) r.lines = std::make_unique<cache::Part>();
  auto origin = cache::LoadCacheFile(p.data, DataLoadOptions(r.contract, p.codes_as_contract_needs),
                                     &r.dataset, &r.program, &r.report, &notes, false,
                                     r.lines.get(), LineColumnsReadApart(r.contract));
  if (!origin.ok()) return origin.status();
  // A cache file that stores no tally was read whole.
  if (r.lines != nullptr && !cache::IsPartitionFolder(p.data) && !r.lines->tally) r.lines.reset();
  auto f = ParseDataFormat(p.format);
  if (!f.ok()) return f.status();
  if (Status s = CheckImportedFormat(*f, p.data, origin->format); !s.ok()) return s;
  for (auto& n : notes) r.report.notes.push_back(std::move(n));
  r.dataset.FinalizeMembers();
  if (Status s = CheckControlCounts(r); !s.ok()) return s;
  const std::map<std::string, std::string>& sums = origin->sha256;
  ReadFolders d{origin->data_dir,
                origin->program_dir.empty() ? origin->data_dir : origin->program_dir,
                [&sums](const std::string& path) -> const std::string* {
                  auto it = sums.find(fs::path(path).lexically_normal().string());
                  return it == sums.end() ? nullptr : &it->second;
                }};
  return CheckExpectedFiles(d, r);
}

}  // namespace

Result<std::unique_ptr<ReferenceData>> OpenReferenceData(const std::string& refdata_flag,
                                                         const std::string& contract_path) {
  auto dir = ResolveRefdataDir(refdata_flag, contract_path);
  if (!dir.ok()) {
    if (!refdata_flag.empty()) return dir.status();
    return std::make_unique<ReferenceData>();  // a rule that needs a table says so
  }
  return std::make_unique<ReferenceData>(*dir);
}

const MsrBandTable* OptionalMsrBands(const ReferenceData& refdata) {
  if (!refdata.available()) return nullptr;
  auto bands = refdata.MsrBands();
  return bands.ok() ? *bands : nullptr;
}

Result<MeasureTable> ParseMeasures(std::string_view bytes, const std::string& path) {
  MeasureTable t;
  t.path = path;
  CsvCursor cur(bytes, CsvChunk{SkipBom(bytes), bytes.size(), 1});
  std::vector<std::string_view> f;
  uint64_t line = 0;
  std::string err;
  if (cur.Next(&f, &line, &err) != CsvCursor::Outcome::kRecord || f.size() < 2 ||
      f[0] != "measure" || f[1] != "value") {
    return InvalidInput(fmt::format("{}:1: expected the header measure,value[,source]", path));
  }
  const std::string name = fs::path(path).filename().string();
  for (;;) {
    const auto o = cur.Next(&f, &line, &err);
    if (o == CsvCursor::Outcome::kEnd) break;
    if (o == CsvCursor::Outcome::kMalformed) {
      return InvalidInput(fmt::format("{}:{}: {}", path, line, err));
    }
    if (f.size() < 2 || f.size() > 3) {
      return InvalidInput(
          fmt::format("{}:{}: expected 2 or 3 fields, found {}", path, line, f.size()));
    }
    const std::string key(f[0]);
    const std::string text(f[1]);
    const auto parsed = ParseDouble(text);
    if (key.empty() || !parsed) {
      return InvalidInput(fmt::format("{}:{}: value: '{}' is not a number", path, line, text));
    }
    const double v = *parsed;
    if (t.by_name.count(key)) {
      return InvalidInput(fmt::format("{}:{}: measure '{}' is given twice", path, line, key));
    }
    t.by_name[key] = {v, f.size() > 2 ? std::string(f[2]) : "", fmt::format("{}:{}", name, line)};
  }
  return t;
}

Result<std::unique_ptr<RunInputs>> LoadContractInputs(const InputPaths& p,
                                                      const FileSystem& unstamped) {
  const StampingFileSystem files(unstamped);
  auto in = std::make_unique<RunInputs>();
  switch (files.Kind(p.contract)) {
    case FileKind::kMissing:
      return InvalidInput(fmt::format("{}: no such contract file", p.contract));
    case FileKind::kDirectory:
      return InvalidInput(
          fmt::format("{}: is a folder; give the contract's TOML file (e.g. {}/contract.toml)",
                      p.contract, p.contract));
    case FileKind::kOther:
      return InvalidInput(fmt::format("{}: not a regular file", p.contract));
    case FileKind::kRegular:
      break;
  }
  auto bytes = files.Read(p.contract);
  if (!bytes.ok()) return InvalidInput(bytes.status().message());
  ContractParseOptions po;
  po.allow_draft = p.allow_draft;
  auto k = ParseContract(*bytes, p.contract, po);
  if (!k.ok()) return k.status();
  in->contract = std::move(*k);
  in->files.push_back({"contract", p.contract, Sha256Hex(*bytes), 0, ""});
  if (Status s = LoadValueSets(p, files, in.get()); !s.ok()) return s;
  if (Status s = CheckDefinitions(*in); !s.ok()) return s;
  if (Status s = LoadAttributionFiles(p, files, in.get()); !s.ok()) return s;
  if (Status s = LoadBenchmarkFigures(p, files, in.get()); !s.ok()) return s;
  auto refdata = OpenReferenceData(p.refdata, p.contract);
  if (!refdata.ok()) return refdata.status();
  in->refdata = std::move(*refdata);
  if (!p.measures.empty()) {
    auto mbytes = files.Read(p.measures);
    if (!mbytes.ok()) return InvalidInput("--measures: " + mbytes.status().message());
    auto m = ParseMeasures(*mbytes, p.measures);
    if (!m.ok()) return m.status();
    in->measures = std::move(*m);
    in->files.push_back({"measures", p.measures, Sha256Hex(*mbytes), 0, ""});
  }
  ApplyStamps(files, in.get());
  return in;
}

Result<std::unique_ptr<RunInputs>> LoadRunInputs(const InputPaths& p, const FileSystem& files) {
  auto in = LoadContractInputs(p, files);
  if (!in.ok()) return in.status();
  if (Status s = LoadData(p, files, in->get()); !s.ok()) return s;
  return in;
}

bool ContractUsesCodes(const Contract& k) {
  return k.benchmark.method != "target_pmpm" || !k.preset.empty() || !k.definitions.empty() ||
         !k.population.eligible.empty() || k.attribution.method != AttributionMethod::kEnrolled ||
         k.comparison.has_value() || !k.episodes.empty();
}

LoadOptions DataLoadOptions(const Contract& k, bool codes_as_contract_needs) {
  LoadOptions lo;
  lo.basis = k.basis == AmountBasis::kPaid ? "paid" : "allowed";
  lo.pharmacy = k.pharmacy;
  lo.max_line_amount = k.data_requirements.max_line_amount;
  lo.claim_month = k.claim_month;
  lo.diagnoses = !codes_as_contract_needs || ContractUsesCodes(k);
  return lo;
}

LoadOptions FolderLoadOptions(const InputPaths& p, const Contract& k) {
  LoadOptions lo = DataLoadOptions(k, p.codes_as_contract_needs);
  // Plurality attribution reads the lines' TINs; a rank's parsed chunks travel whole.
  lo.line_details = !p.lines_apart || p.distributed || !LinesOnlyForSpending(k) ||
                    k.attribution.method == AttributionMethod::kPlurality;
  return lo;
}

Status ReadDataFolders(const InputPaths& p, const LoadOptions& lo, const StampingFileSystem& files,
                       Dataset* dataset, ProgramData* program, IngestReport* report) {
  const std::string program_dir = p.program.empty() ? p.data : p.program;
  const FileKind kind = files.Kind(p.data);
  if (kind == FileKind::kMissing) return NotFound(fmt::format("--data {}: no such folder", p.data));
  if (kind != FileKind::kDirectory) {
    return cache::NotDataError(p.data);
  }
  auto f = ParseDataFormat(p.format);
  if (!f.ok()) return f.status();
  if (Status s = LoadDataDirectory(p.data, *f, lo, dataset, report, files); !s.ok()) return s;
  if (OnPeerRank()) return Status::Ok();  // rank 0 alone reads the program data
  if (files.Kind(program_dir) != FileKind::kDirectory) {
    return InvalidInput(fmt::format("--program {}: not a folder", program_dir));
  }
  if (Status s = LoadProgramDirectory(program_dir, files, dataset, program, report); !s.ok()) {
    return s;
  }
  // Program data can name persons claims do not: demographics cover every member.
  dataset->FinalizeMembers();
  for (auto& s : dataset->sources) {
    if (const FileStamp* st = files.StampOf(s.path)) {
      s.bytes = st->size;
      s.modified = FormatModified(st->modified_ns);
    }
  }
  return Status::Ok();
}

Status ReadDataAsPeer(InputPaths p) {
  p.allow_draft = true;
  auto in = LoadContractInputs(p);
  if (!in.ok()) return in.status();
  if (cache::IsPartitionFolder(p.data)) {
    if (!LinesStayOnRanks(p, (*in)->contract)) return cache::SendPartToRoot(p.data);
    cache::Part own;
    if (Status s = cache::SendPartToRoot(p.data, &own, LineColumnsReadApart((*in)->contract));
        !s.ok()) {
      return s;
    }
    if (AttributesOnRanks((*in)->contract)) {
      if (Status s = SendAttribution(own, **in); !s.ok()) return s;
    }
    return SendLineTallies(own, (*in)->contract);
  }
  if (cache::IsCacheFile(p.data)) return Status::Ok();  // rank 0 reads the cache alone
  const StampingFileSystem files(RealFiles());
  RunInputs& r = **in;
  return ReadDataFolders(p, DataLoadOptions(r.contract, p.codes_as_contract_needs), files,
                         &r.dataset, &r.program, &r.report);
}

namespace {

// A settlement whose terms read the lines only for spending and use no diagnosis or procedure
// code (FolderLoadOptions, no diagnoses) reads them apart from the dataset, as from a cache
// (LinesReadApart): the reader tallied the scorecard's claim-line figures as it read them
// (LoadOptions::tally_lines); the lines and the tally move to `in->lines`, and the claim ids go
// (unless claim versions name them).
void TakeLinesApart(quality::ClaimLineTally tally, RunInputs* in) {
  RunInputs& r = *in;
  r.lines = std::make_unique<cache::Part>();
  Dataset& lines = r.lines->dataset;
  std::swap(lines.medical, r.dataset.medical);
  std::swap(lines.pharmacy, r.dataset.pharmacy);
  r.lines->tally = std::move(tally);
  // The spending tally reads of the lines only SpendingLineColumns: their claim keys and
  // sources, which the reader's checks and tally read, go.
  const auto free = [](auto*... column) {
    (std::remove_reference_t<decltype(*column)>().swap(*column), ...);
  };
  free(&lines.medical.claim, &lines.pharmacy.claim, &lines.medical.line_number,
       &lines.pharmacy.line_number, &lines.medical.source, &lines.pharmacy.source);
  // Nothing reads a claim id once the lines are tallied, but a claim version's.
  if (r.dataset.claim_versions.size() == 0) {
    r.dataset.claim_ids = StringInterner(StringInterner::Lookup::kGrouped);
  }
  // What went is handed back to the system before the settlement's own tallies take theirs.
  malloc_trim(0);
}

}  // namespace

Status LoadData(const InputPaths& p, const FileSystem& unstamped, RunInputs* in) {
  if (cache::IsCachePath(p.data)) return LoadCachedData(p, in);
  StampingFileSystem files(unstamped);
  RunInputs& r = *in;
  const std::string program_dir = p.program.empty() ? p.data : p.program;
  for (const auto& e : r.contract.data_requirements.files) {
    if (!e.sha256.empty()) {
      files.HashFully(
          {(fs::path(p.data) / e.path).string(), (fs::path(program_dir) / e.path).string()});
    }
  }
  LoadOptions lo = FolderLoadOptions(p, r.contract);
  // A settlement whose terms read the lines only for spending takes them apart, as from a cache
  // (LinesReadApart), with the scorecard's tally the reader takes as it reads them.
  quality::ClaimLineTally tally;
  const bool apart = !lo.line_details && !lo.diagnoses;
  if (apart) lo.tally_lines = &tally;
  if (Status s = ReadDataFolders(p, lo, files, &r.dataset, &r.program, &r.report); !s.ok()) {
    return s;
  }
  if (Status s = CheckControlCounts(r); !s.ok()) return s;
  if (Status s = CheckExpectedFiles(
          {p.data, program_dir, [&files](const std::string& path) { return files.Sha256Of(path); }},
          r);
      !s.ok()) {
    return s;
  }
  if (apart) TakeLinesApart(std::move(tally), &r);
  return Status::Ok();
}

std::string ComputeRunId(const RunInputs& in) {
  Sha256 h;
  h.Update("valuepact-run-v3\n");
  h.Update(fmt::format("engine {}\n", VALUEPACT_VERSION));
  h.Update("params " + ParamsFingerprint() + "\n");  // the program rules built into the engine
  h.Update("contract " + Sha256Hex(in.contract.bytes) + "\n");
  for (const auto& s : in.dataset.sources) {
    h.Update(fmt::format("input {} {} {}\n", s.format, s.table, s.sha256));
  }
  for (const auto& f : in.files) {
    if (f.role == "contract") continue;
    h.Update(fmt::format("{} {} {}\n", f.role, fs::path(f.path).filename().string(), f.sha256));
  }
  for (const auto& t : in.refdata->Versions()) {
    h.Update("refdata " + t.file + " " + t.sha256 + "\n");
  }
  for (const auto& o : in.options) h.Update("option " + o + "\n");
  return h.FinishHex();
}

std::string DescribeOverflow(const MoneyOverflow& e) {
  return fmt::format(
      "{}: an amount in the contract or the data is larger than any real figure (check the "
      "contract's amounts and [data_requirements] max_line_amount)",
      e.what());
}

nlohmann::ordered_json ResolvedSources(const RunInputs& in) {
  nlohmann::ordered_json j;
  j["value_sets"] = in.value_set_dirs;
  j["reference_tables"] = in.refdata->dir();
  j["options"] = in.options;
  return j;
}

nlohmann::ordered_json DataSourcesJson(const Dataset& ds) {
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (const auto& s : ds.sources) {
    inputs.push_back({{"path", s.path},
                      {"table", s.table},
                      {"format", s.format},
                      {"sha256", s.sha256},
                      {"bytes", s.bytes},
                      {"modified", s.modified},
                      {"rows_read", s.rows_read},
                      {"rows_rejected", s.rows_rejected}});
  }
  return inputs;
}

void AddProvenance(const RunInputs& in, nlohmann::ordered_json* j) {
  const Contract& k = in.contract;
  if (!j->contains("contract_id")) (*j)["contract_id"] = k.id;
  std::string version = k.version;
  nlohmann::ordered_json inputs = DataSourcesJson(in.dataset);
  for (const auto& f : in.files) {
    if (version.empty() && f.role == "contract") version = f.sha256.substr(0, 12);
    inputs.push_back({{"path", f.path},
                      {"table", f.role},
                      {"sha256", f.sha256},
                      {"bytes", f.bytes},
                      {"modified", f.modified}});
  }
  for (const auto& t : in.refdata->Versions()) {
    inputs.push_back({{"path", in.refdata->dir() + "/" + t.file},
                      {"table", "refdata"},
                      {"sha256", t.sha256},
                      {"bytes", t.bytes},
                      {"modified", t.modified}});
  }
  (*j)["contract_version"] = version;
  (*j)["engine_version"] = VALUEPACT_VERSION;
  (*j)["inputs"] = std::move(inputs);
}

std::string DescribeResolvedSources(const RunInputs& in) {
  std::string sets;
  for (const auto& d : in.value_set_dirs) sets += (sets.empty() ? "" : ", ") + d;
  return fmt::format("value sets from {}; reference tables from {}", sets.empty() ? "none" : sets,
                     in.refdata->dir().empty() ? "none" : in.refdata->dir());
}

}  // namespace valuepact::run
