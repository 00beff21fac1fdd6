#include "cli/run_flags.h"

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "cli/command.h"
#include "valuepact/core/distributed.h"
#include "valuepact/store/run_store.h"
#ifdef VALUEPACT_WITH_MPI
#include "valuepact/distributed/mpi.h"
#endif

namespace valuepact::cli {

void AddInputFlags(CLI::App* cmd, run::InputPaths* p, unsigned which) {
  if (which & kDataFlags) {
    cmd->add_option("--data", p->data,
                    "data folder: Tuva-layout CSV (eligibility*.csv, medical_claim*.csv, "
                    "pharmacy_claim*.csv), CMS CCLF files, or FHIR bulk NDJSON; or a dataset cache "
                    "written by valuepact import")
        ->required();
    cmd->add_option("--program", p->program,
                    "folder with program data (referrals.csv, enrollments.csv, visits.csv, "
                    "events.csv); default: the --data folder");
    cmd->add_option("--format", p->format,
                    "tuva | cclf | fhir | auto (default: detect from the file names)");
  }
  if (which & kValueSetFlag) {
    cmd->add_flag("--allow-outside-paths", p->allow_outside_paths,
                  "let the contract name files outside its own folder (absolute paths, '..')");
    cmd->add_option("--value-sets", p->value_sets,
                    "folder of value-set CSV files for [definitions] (repeatable; default: "
                    "valuesets/ beside the contract, then $VALUEPACT_VALUESETS, then the shipped "
                    "valuesets/)");
  }
  if (which & kRefdataFlag) {
    cmd->add_option("--refdata", p->refdata,
                    std::string("reference tables folder ") + kRefdataDefaultHelp);
  }
  if (which & kDistributedFlag) {
    cmd->add_flag("--distributed", p->distributed,
                  "run as one rank of mpirun -np N: every rank parses a share of the CSV rows, "
                  "or reads its own part of a dataset split by valuepact partition; rank 0 "
                  "writes the same results as one process (docs/scaling.md)");
  }
  if (which & kMeasuresFlag) {
    cmd->add_option("--measures", p->measures,
                    "CSV of measured values (measure,value[,source]) for quality_incentive and "
                    "data_reporting_incentive layers");
  }
}

int WithDistribution(const run::InputPaths& p, const std::function<int()>& command) {
  return WithDistribution(
      p.distributed, [&p] { return run::ReadDataAsPeer(p); }, command);
}

namespace {

// The number of processes the launcher started together, from the variables Open MPI's mpirun
// and PMI launchers (Slurm's srun, MPICH) give each process; 1 when started alone.
long ProcessesStartedTogether() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* v = std::getenv(name); v != nullptr) {
      char* end = nullptr;
      const long n = std::strtol(v, &end, 10);
      if (end != v && *end == '\0' && n > 0) return n;
    }
  }
  return 1;
}

}  // namespace

int WithDistribution(bool distributed, const std::function<Status()>& peer,
                     const std::function<int()>& command) {
  if (!distributed) {
    if (const long n = ProcessesStartedTogether(); n > 1) {
      std::fprintf(stderr,
                   "valuepact: warning: started as one of %ld processes (mpirun) without "
                   "--distributed: each runs the whole command alone and writes the same "
                   "outputs; add --distributed to share the work (docs/scaling.md)\n",
                   n);
    }
    return command();
  }
#ifndef VALUEPACT_WITH_MPI
  return Fail(InvalidInput(
      "--distributed: this valuepact was built without MPI (install OpenMPI and configure with "
      "-DVALUEPACT_MPI=ON; docs/scaling.md)"));
#else
  auto dist = distributed::StartMpi();
  if (!dist.ok()) return Fail(dist.status());
  SetCurrentDistribution(dist->get());
  int code = 0;
  if ((*dist)->rank() != 0) {
    if (Status s = peer(); !s.ok()) {
      std::fprintf(stderr, "valuepact (rank %d): %s\n", (*dist)->rank(), s.message().c_str());
      code = ExitCodeFor(s);
    }
  } else {
    code = command();
  }
  // Whatever happened, no rank is left waiting for another; each ends with its own code, but a
  // rank that failed only because another stopped first ends with that rank's (mpirun exits
  // with the first non-zero code, which is then the same whichever process ends first). Rank 0
  // takes that code before it tells the others it is done, so that a rank that only waited on
  // rank 0 ends with the code of the rank that failed, not with rank 0's own.
  const auto code_of_cause = [&] {
    if (const int other = (*dist)->StoppedByOtherWithCode(); code != 0 && other > 0) code = other;
  };
  if ((*dist)->rank() == 0) code_of_cause();
  (*dist)->Done(code);
  code_of_cause();
  SetCurrentDistribution(nullptr);
  return code;
#endif
}

void AddStoreFlags(CLI::App* cmd, StoreFlags* f) {
  cmd->add_option("--store", f->store,
                  "run store to record the run in: a SQLite file or a postgresql:// URL "
                  "(default: $VALUEPACT_STORE, else ~/.local/share/valuepact/runs.sqlite)");
  cmd->add_flag("--no-store", f->no_store, "do not record the run in a run store");
  // A run that is recorded keeps its files compressed as it writes them, for the store.
  cmd->parse_complete_callback([f] {
    if (!f->no_store) KeepRunFilesForStore();
  });
}

Result<std::string> RecordInStore(const StoreFlags& f, const std::string& command,
                                  const std::string& out) {
  if (f.no_store) return std::string();
  auto r = RecordFolder(f.store, command, out);
  if (!r.ok()) return r.status();
  return fmt::format("Recorded run {} (record #{}) in {}", r->run_id.substr(0, 16), r->record_id,
                     f.store.empty() ? DefaultStoreLocation() : f.store);
}

}  // namespace valuepact::cli
