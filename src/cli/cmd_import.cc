// valuepact import: parse a data folder once into a dataset cache that --data then accepts.
// valuepact partition: the same read, split by member into one cache per rank of a distributed run.
#include <unistd.h>
#include <chrono>
#include <cstdio>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "valuepact/ingest/dataset_cache.h"
#include "valuepact/run/import_run.h"

namespace valuepact::cli {
namespace {

struct ImportArgs {
  run::ImportRequest req;
  int threads = 0;
  std::string verify;  // --verify CACHE
};

struct PartitionArgs {
  run::PartitionRequest req;
  int threads = 0;
};

std::string Mib(uint64_t bytes) { return fmt::format("{:.1f} MiB", bytes / 1048576.0); }

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// What was read, and with which load options.
void PrintRead(const run::ImportSummary& r, const std::string& what) {
  for (const auto& n : r.notes) std::printf("note: %s\n", n.c_str());
  std::printf(
      "read %s: %llu members, %llu eligibility rows, %llu medical lines, %llu pharmacy lines, "
      "%llu program rows, %llu rejects\n",
      what.c_str(), static_cast<unsigned long long>(r.members),
      static_cast<unsigned long long>(r.eligibility_rows),
      static_cast<unsigned long long>(r.medical_lines),
      static_cast<unsigned long long>(r.pharmacy_lines),
      static_cast<unsigned long long>(r.program_rows), static_cast<unsigned long long>(r.rejects));
  std::printf("load options: basis=%s, pharmacy=%s, max_line_amount=%s\n", r.options.basis.c_str(),
              r.options.pharmacy ? "yes" : "no", r.options.max_line_amount.ToString().c_str());
}

// --verify CACHE: the cache against its folders, by content; 1 when they changed since.
int RunVerify(const ImportArgs& a) {
  const auto limit = LimitThreads(a.threads);
  if (isatty(fileno(stderr))) {
    std::fprintf(stderr, "hashing the files %s was imported from …\n", a.verify.c_str());
  }
  auto v = cache::VerifyCacheAgainstFolders(a.verify);
  if (!v.ok()) return Fail(v.status());
  const cache::CacheOrigin& o = v->origin;
  const bool two = !o.program_dir.empty();
  const std::string folders = o.data_dir + (two ? " and " + o.program_dir : "");
  if (v->differences.empty()) {
    std::printf(
        "%s: %s %s what was imported: %zu files read hashed again (%s), none added or "
        "removed\n",
        a.verify.c_str(), folders.c_str(), two ? "hold" : "holds", v->files_hashed,
        Mib(v->bytes_hashed).c_str());
    return 0;
  }
  for (const auto& d : v->differences) std::printf("- %s\n", d.c_str());
  const size_t n = v->differences.size();
  return Fail(
      Status(StatusCode::kFailedCheck,
             fmt::format("{}: stale: {} {} from what was imported ({} difference{}); "
                         "re-run valuepact import with the options it was imported with",
                         a.verify, folders, two ? "differ" : "differs", n, n == 1 ? "" : "s")));
}

int RunImport(ImportArgs& a) {
  if (!a.verify.empty()) {
    const run::ImportRequest& r = a.req;
    if (!r.inputs.data.empty() || !r.out.empty() || !r.inputs.program.empty() ||
        !r.inputs.contract.empty() || !r.basis.empty() || r.no_pharmacy) {
      return Fail(InvalidInput(
          "--verify takes the cache alone (it records its folders and options): give it no "
          "--data, --out, --program, --contract, --basis or --no-pharmacy"));
    }
    return RunVerify(a);
  }
  if (a.req.inputs.data.empty() || a.req.out.empty()) {
    return Fail(InvalidInput("--data and --out are required (or --verify CACHE)"));
  }
  const auto limit = LimitThreads(a.threads);
  if (isatty(fileno(stderr))) {
    std::fprintf(stderr, "importing %s%s …\n", a.req.inputs.data.c_str(),
                 a.req.inputs.program.empty() ? "" : (" and " + a.req.inputs.program).c_str());
  }
  const auto start = std::chrono::steady_clock::now();
  auto r = run::ImportData(a.req);
  if (!r.ok()) return Fail(r.status());
  const double seconds = SecondsSince(start);
  PrintRead(*r, fmt::format("{} files ({})", r->files, Mib(r->input_bytes)));
  std::printf("wrote %s: %zu columns, %s (%s before compression) in %.1f s\n", a.req.out.c_str(),
              r->stats.sections, Mib(r->stats.stored_bytes).c_str(),
              Mib(r->stats.raw_bytes).c_str(), seconds);
  std::printf(
      "use it as --data %s with a contract whose basis, pharmacy and max_line_amount "
      "match\n",
      a.req.out.c_str());
  return 0;
}

int RunPartition(PartitionArgs& a) {
  const auto limit = LimitThreads(a.threads);
  if (isatty(fileno(stderr))) std::fprintf(stderr, "reading %s …\n", a.req.inputs.data.c_str());
  const auto start = std::chrono::steady_clock::now();
  auto r = run::PartitionData(a.req);
  if (!r.ok()) return Fail(r.status());
  const double seconds = SecondsSince(start);
  PrintRead(r->whole, a.req.inputs.data);
  for (const auto& p : r->parts) {
    std::printf(
        "wrote %s: %llu members, %llu eligibility rows, %llu medical lines, %llu pharmacy "
        "lines, %s\n",
        p.path.c_str(), static_cast<unsigned long long>(p.members),
        static_cast<unsigned long long>(p.eligibility), static_cast<unsigned long long>(p.medical),
        static_cast<unsigned long long>(p.pharmacy), Mib(p.stats.stored_bytes).c_str());
  }
  std::printf("split into %zu parts in %.1f s\n", r->parts.size(), seconds);
  std::printf(
      "run it as mpirun -np %zu valuepact <command> ... --data %s --distributed (each rank reads "
      "its own part), or give --data %s to one process\n",
      r->parts.size(), a.req.out.c_str(), a.req.out.c_str());
  return 0;
}

// The options of a read as a run would read: the folders, and the load options.
void AddReadOptions(CLI::App* cmd, run::ImportRequest* r, int* threads) {
  cmd->add_option("--program", r->inputs.program,
                  "folder with program data (default: the --data folder)");
  cmd->add_option("--format", r->inputs.format,
                  "tuva | cclf | fhir | auto (default: detect from the file names)");
  auto* contract = cmd->add_option(
      "--contract", r->inputs.contract,
      "contract whose basis, pharmacy and [data_requirements] max_line_amount the data is read "
      "with (default: paid basis, pharmacy included, the default amount cap)");
  cmd->add_option("--basis", r->basis, "paid | allowed (instead of --contract)")
      ->excludes(contract);
  cmd->add_flag("--no-pharmacy", r->no_pharmacy,
                "leave pharmacy claims out (instead of --contract)")
      ->excludes(contract);
  cmd->add_option("--level", r->level, "zstd compression level, 1 (fast) to 19 (small)")
      ->check(CLI::Range(1, 19))
      ->capture_default_str();
  cmd->add_option("--threads", *threads, "worker threads (default: every core)");
}

static RegisterCommand reg(
    {"import", 18, [](CLI::App& app) {
       auto a = std::make_shared<ImportArgs>();
       auto* cmd = app.add_subcommand(
           "import",
           "Read a data folder once (Tuva CSV, CCLF or FHIR, plus program data) and write a "
           "compressed columnar cache of the parsed tables, rejects and notes. Every command's "
           "--data takes the cache file in place of the folder and gives the same results, run id "
           "included, without parsing again. A cache is refused when the files it came from "
           "changed, when it is damaged, or when the run needs other load options.");
       cmd->add_option("--data", a->req.inputs.data,
                       "data folder: Tuva-layout CSV, CMS CCLF files, or FHIR bulk NDJSON "
                       "(required, but with --verify)");
       cmd->add_option("--out", a->req.out,
                       "the cache file to write (e.g. claims.vpd; required, but with --verify)");
       cmd->add_option("--verify", a->verify,
                       "check the cache CACHE against the folders it was imported from by "
                       "content: every file it read is hashed again (SHA-256) and compared with "
                       "the digest recorded at import, and files added or removed are listed. "
                       "Runs check only sizes and modification times. Exit 0: unchanged; 1: "
                       "changed (each difference listed); 2: not a cache, or its folders are not "
                       "here")
           ->type_name("CACHE");
       AddReadOptions(cmd, &a->req, &a->threads);
       cmd->callback([a]() { SetExitCode(RunImport(*a)); });
     }});

static RegisterCommand reg_partition(
    {"partition", 19, [](CLI::App& app) {
       auto a = std::make_shared<PartitionArgs>();
       auto* cmd = app.add_subcommand(
           "partition",
           "Split a dataset by member into N parts, one dataset cache per rank of a distributed "
           "run (mpirun -np N ... --distributed), each holding the eligibility and claim lines "
           "of the members a stable hash of the member id gives it. Each rank then reads only "
           "its own part; the results are the same bytes as one process on the folder, run id "
           "included. Reads a data folder as import does, or a dataset cache as it was "
           "imported (docs/scaling.md).");
       cmd->add_option("--data", a->req.inputs.data,
                       "data folder (Tuva-layout CSV, CMS CCLF files, FHIR bulk NDJSON), a "
                       "dataset cache (.vpd) or a folder of parts")
           ->required();
       cmd->add_option("--ranks", a->req.ranks, "how many parts: the ranks the runs will have")
           ->required()
           ->check(CLI::Range(1, 4096));
       cmd->add_option("--out", a->req.out,
                       "the folder to write part-0-of-N.vpd … into (created when absent; part "
                       "files already there are replaced)")
           ->required();
       AddReadOptions(cmd, &a->req, &a->threads);
       cmd->callback([a]() { SetExitCode(RunPartition(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
