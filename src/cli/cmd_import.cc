// valuepact import: parse a data folder once into a dataset cache that --data then accepts.
#include <unistd.h>
#include <chrono>
#include <cstdio>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "valuepact/run/import_run.h"

namespace valuepact::cli {
namespace {

struct ImportArgs {
  run::ImportRequest req;
  int threads = 0;
};

std::string Mib(uint64_t bytes) { return fmt::format("{:.1f} MiB", bytes / 1048576.0); }

int RunImport(ImportArgs& a) {
  const auto limit = LimitThreads(a.threads);
  if (isatty(fileno(stderr))) {
    std::fprintf(stderr, "importing %s%s …\n", a.req.inputs.data.c_str(),
                 a.req.inputs.program.empty() ? "" : (" and " + a.req.inputs.program).c_str());
  }
  const auto start = std::chrono::steady_clock::now();
  auto r = run::ImportData(a.req);
  if (!r.ok()) return Fail(r.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& n : r->notes) std::printf("note: %s\n", n.c_str());
  std::printf(
      "read %zu files (%s): %llu members, %llu eligibility rows, %llu medical lines, %llu "
      "pharmacy lines, %llu program rows, %llu rejects\n",
      r->files, Mib(r->input_bytes).c_str(), static_cast<unsigned long long>(r->members),
      static_cast<unsigned long long>(r->eligibility_rows),
      static_cast<unsigned long long>(r->medical_lines),
      static_cast<unsigned long long>(r->pharmacy_lines),
      static_cast<unsigned long long>(r->program_rows),
      static_cast<unsigned long long>(r->rejects));
  std::printf("load options: basis=%s, pharmacy=%s, max_line_amount=%s\n", r->options.basis.c_str(),
              r->options.pharmacy ? "yes" : "no", r->options.max_line_amount.ToString().c_str());
  std::printf("wrote %s: %zu columns, %s (%s before compression) in %.1f s\n", a.req.out.c_str(),
              r->stats.sections, Mib(r->stats.stored_bytes).c_str(),
              Mib(r->stats.raw_bytes).c_str(), seconds);
  std::printf(
      "use it as --data %s with a contract whose basis, pharmacy and max_line_amount "
      "match\n",
      a.req.out.c_str());
  return 0;
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
                       "data folder: Tuva-layout CSV, CMS CCLF files, or FHIR bulk NDJSON")
           ->required();
       cmd->add_option("--program", a->req.inputs.program,
                       "folder with program data (default: the --data folder)");
       cmd->add_option("--format", a->req.inputs.format,
                       "tuva | cclf | fhir | auto (default: detect from the file names)");
       auto* contract = cmd->add_option(
           "--contract", a->req.inputs.contract,
           "contract whose basis, pharmacy and [data_requirements] max_line_amount the data is "
           "read with (default: paid basis, pharmacy included, the default amount cap)");
       cmd->add_option("--basis", a->req.basis, "paid | allowed (instead of --contract)")
           ->excludes(contract);
       cmd->add_flag("--no-pharmacy", a->req.no_pharmacy,
                     "leave pharmacy claims out (instead of --contract)")
           ->excludes(contract);
       cmd->add_option("--out", a->req.out, "the cache file to write (e.g. claims.vpd)")
           ->required();
       cmd->add_option("--level", a->req.level, "zstd compression level, 1 (fast) to 19 (small)")
           ->check(CLI::Range(1, 19))
           ->capture_default_str();
       cmd->add_option("--threads", a->threads, "worker threads (default: every core)");
       cmd->callback([a]() { SetExitCode(RunImport(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
