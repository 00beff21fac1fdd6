#include "valuepact/run/import_run.h"

#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "valuepact/contract/contract.h"
#include "valuepact/core/file_io.h"
#include "valuepact/ingest/load_data.h"

namespace valuepact::run {
namespace {

namespace fs = std::filesystem;

std::string Absolute(const std::string& path) {
  std::error_code ec;
  const fs::path a = fs::absolute(path, ec);
  return ec ? path : a.lexically_normal().string();
}

// The contract's load options (or the defaults), then --basis and --no-pharmacy.
Result<LoadOptions> OptionsFor(const ImportRequest& r) {
  LoadOptions lo;
  if (!r.inputs.contract.empty()) {
    auto bytes = ReadWholeFile(r.inputs.contract);
    if (!bytes.ok()) return InvalidInput("--contract: " + bytes.status().message());
    ContractParseOptions po;
    po.allow_draft = true;
    auto k = ParseContract(*bytes, r.inputs.contract, po);
    if (!k.ok()) return k.status();
    lo = DataLoadOptions(*k);
  }
  if (!r.basis.empty()) {
    if (r.basis != "paid" && r.basis != "allowed") {
      return InvalidInput(fmt::format("--basis: expected paid or allowed, found '{}'", r.basis));
    }
    lo.basis = r.basis;
  }
  if (r.no_pharmacy) lo.pharmacy = false;
  return lo;
}

// The folders read, each once (the program folder defaults to the data folder).
std::vector<std::string> Folders(const InputPaths& p) {
  std::vector<std::string> dirs = {p.data};
  if (!p.program.empty() && Absolute(p.program) != Absolute(p.data)) dirs.push_back(p.program);
  return dirs;
}

// `path` with its symbolic links resolved (as far as it exists), for comparing places.
std::string Resolved(const std::string& path) {
  std::error_code ec;
  const fs::path r = fs::weakly_canonical(Absolute(path), ec);
  return ec ? Absolute(path) : r.lexically_normal().string();
}

// A cache written inside a folder it lists (or in its place) would be stale the moment it
// exists; compared with symbolic links resolved, so that a link to the folder is the folder.
Status CheckOutside(const std::string& out, const std::vector<std::string>& dirs) {
  const std::string o = Resolved(out);
  for (const auto& d : dirs) {
    const std::string a = Resolved(d);
    if (o.size() >= a.size() && o.compare(0, a.size(), a) == 0 &&
        (o.size() == a.size() || o[a.size()] == '/')) {
      return InvalidInput(fmt::format(
          "--out {}: is {}{}, the folder being imported (a file added there makes the cache "
          "stale); write it elsewhere",
          out, o.size() == a.size() ? "" : "inside ", d));
    }
  }
  return Status::Ok();
}

// Every file under the folders, by the path the readers will use, for HashFully.
std::vector<std::string> PathsAsRead(const std::vector<std::string>& dirs) {
  std::vector<std::string> out;
  for (const auto& d : dirs) {
    const fs::path root = Absolute(d);
    for (const auto& f : cache::ListFolder(d)) {
      out.push_back((fs::path(d) / fs::path(f.path).lexically_relative(root)).string());
    }
  }
  return out;
}

cache::CacheOrigin MakeOrigin(const ImportRequest& r, const std::vector<std::string>& dirs,
                              const LoadOptions& lo, const std::string& format,
                              const StampingFileSystem& files, const Dataset& ds) {
  cache::CacheOrigin o;
  o.engine_version = VALUEPACT_VERSION;
  o.data_dir = r.inputs.data;
  o.program_dir = r.inputs.program;
  o.data_dir_absolute = Absolute(r.inputs.data);
  o.program_dir_absolute = r.inputs.program.empty() ? "" : Absolute(r.inputs.program);
  o.format = format;
  o.options = lo;
  std::map<std::string, cache::ListedFile> listing;
  for (const auto& d : dirs) {
    for (auto& f : cache::ListFolder(d)) listing[f.path] = f;
  }
  for (auto& [path, f] : listing) o.listing.push_back(std::move(f));
  for (const auto& s : ds.sources) {
    if (const std::string* sum = files.Sha256Of(s.path)) {
      o.sha256[fs::path(s.path).lexically_normal().string()] = *sum;
    }
  }
  return o;
}

ImportSummary Summarize(const RunInputs& in, const LoadOptions& lo) {
  ImportSummary s;
  const Dataset& d = in.dataset;
  const ProgramData& p = in.program;
  s.files = d.sources.size();
  for (const auto& f : d.sources) s.input_bytes += f.bytes;
  s.members = d.member_count();
  s.eligibility_rows = d.eligibility.size();
  s.medical_lines = d.medical.size();
  s.pharmacy_lines = d.pharmacy.size();
  s.program_rows = p.referrals.size() + p.enrollments.size() + p.visits.size() + p.bookings.size() +
                   p.events.size();
  s.rejects = in.report.rejects.size();
  s.options = lo;
  s.notes = in.report.notes;
  return s;
}

}  // namespace

namespace {

// What import and partition read: the folders parsed as a run would (or, for partition, a cache
// or split dataset as it was imported), and where it came from.
struct Imported {
  std::unique_ptr<RunInputs> in = std::make_unique<RunInputs>();
  LoadOptions options;
  cache::CacheOrigin origin;
};

Result<Imported> ReadCached(const ImportRequest& r) {
  if (!r.inputs.contract.empty() || !r.basis.empty() || r.no_pharmacy ||
      !r.inputs.program.empty()) {
    return InvalidInput(fmt::format(
        "--data {}: a dataset cache keeps the load options and program data it was imported "
        "with; leave out --contract, --basis, --no-pharmacy and --program",
        r.inputs.data));
  }
  auto format = ParseDataFormat(r.inputs.format);
  if (!format.ok()) return format.status();
  Imported out;
  LoadOptions as_imported;
  as_imported.cache_as_imported = true;
  RunInputs& in = *out.in;
  auto origin = cache::LoadCacheFile(r.inputs.data, as_imported, &in.dataset, &in.program,
                                     &in.report, &in.report.notes);
  if (!origin.ok()) return origin.status();
  if (Status s = CheckImportedFormat(*format, r.inputs.data, origin->format); !s.ok()) return s;
  out.origin = std::move(*origin);
  out.options = out.origin.options;
  return out;
}

Result<Imported> ReadForImport(const ImportRequest& r, bool cache_ok) {
  const InputPaths& p = r.inputs;
  if (cache_ok && cache::IsCachePath(p.data)) return ReadCached(r);
  auto lo = OptionsFor(r);
  if (!lo.ok()) return lo.status();
  const FileKind kind = RealFiles().Kind(p.data);
  if (kind == FileKind::kMissing) {
    return NotFound(fmt::format("--data {}: no such folder", p.data));
  }
  if (kind != FileKind::kDirectory || cache::IsPartitionFolder(p.data)) {
    return InvalidInput(fmt::format("--data {}: not a folder{}", p.data,
                                    cache::IsCachePath(p.data) ? " (it is a dataset cache already)"
                                    : cache_ok ? ", a dataset cache nor a folder of parts"
                                               : ""));
  }
  const auto dirs = Folders(p);
  if (Status s = CheckOutside(r.out, dirs); !s.ok()) return s;
  auto format = ParseDataFormat(p.format);
  if (!format.ok()) return format.status();
  if (*format == DataFormat::kAuto) {
    auto detected = DetectFormat(p.data);
    if (!detected.ok()) return detected.status();
    format = *detected;
  }
  StampingFileSystem files(RealFiles());
  files.HashFully(PathsAsRead(dirs));
  Imported out;
  RunInputs& in = *out.in;
  if (Status s = ReadDataFolders(p, *lo, files, &in.dataset, &in.program, &in.report); !s.ok()) {
    return s;
  }
  out.options = *lo;
  out.origin = MakeOrigin(r, dirs, *lo, DataFormatName(*format), files, in.dataset);
  return out;
}

}  // namespace

Result<ImportSummary> ImportData(const ImportRequest& r) {
  if (std::error_code ec; fs::is_directory(r.out, ec)) {
    return InvalidInput(
        fmt::format("--out {}: is a folder; give the name of the cache file to write (for example "
                    "feed.vpd, outside the folders being imported)",
                    r.out));
  }
  auto read = ReadForImport(r, false);
  if (!read.ok()) return read.status();
  const RunInputs& in = *read->in;
  ImportSummary summary = Summarize(in, read->options);
  if (Status s = cache::WriteCache(r.out, in.dataset, in.program, in.report, read->origin, r.level,
                                   &summary.stats);
      !s.ok()) {
    return s;
  }
  return summary;
}

Result<PartitionSummary> PartitionData(const PartitionRequest& r) {
  if (r.ranks < 1) return InvalidInput("--ranks: at least 1");
  auto read = ReadForImport(r, true);
  if (!read.ok()) return read.status();
  const RunInputs& in = *read->in;
  // Parts written inside the folders a cache came from would make them stale too.
  std::vector<std::string> origins;
  for (const auto& d : {read->origin.data_dir_absolute, read->origin.program_dir_absolute}) {
    if (!d.empty()) origins.push_back(d);
  }
  if (Status s = CheckOutside(r.out, origins); !s.ok()) return s;
  PartitionSummary out;
  out.whole = Summarize(in, read->options);
  auto parts = cache::WritePartitions(r.out, r.ranks, in.dataset, in.program, in.report,
                                      read->origin, r.level);
  if (!parts.ok()) return parts.status();
  out.parts = std::move(*parts);
  return out;
}

}  // namespace valuepact::run
