#pragma once
// The input flags every run command shares (--data, --program, --format, --value-sets,
// --refdata, --measures), added to a subcommand in one place so they read the same everywhere.
#include <functional>

#include <CLI/CLI.hpp>

#include "valuepact/run/loader.h"

namespace valuepact::cli {

enum InputFlags : unsigned {
  kDataFlags = 1,         // --data (required), --program, --format
  kValueSetFlag = 2,      // --value-sets
  kRefdataFlag = 4,       // --refdata
  kMeasuresFlag = 8,      // --measures
  kDistributedFlag = 16,  // --distributed (the command then runs through WithDistribution)
};

// The --refdata help text's default, one wording for every command.
inline constexpr const char* kRefdataDefaultHelp =
    "(default: $VALUEPACT_REFDATA, then refdata/ beside the contract, then shared/refdata beside "
    "the valuepact checkout; never the working directory)";

void AddInputFlags(CLI::App* cmd, run::InputPaths* paths, unsigned which);

// Where a command records its run (docs/run-store.md): --store LOCATION (a SQLite file or a
// postgresql:// URL; default $VALUEPACT_STORE, else the user's data folder), or --no-store.
struct StoreFlags {
  std::string store;
  bool no_store = false;
};
void AddStoreFlags(CLI::App* cmd, StoreFlags* flags);
// Records the output folder `out` as a run of `command` unless --no-store; the line that says
// where ("" with --no-store).
Result<std::string> RecordInStore(const StoreFlags& flags, const std::string& command,
                                  const std::string& out);

// Runs `command` (returns the exit code) as this process's part of the run: directly, or with
// --distributed as one rank of an mpirun — rank 0 runs `command`, the other ranks read their
// share of the data for it (run::ReadDataAsPeer). A failure on any rank ends them all.
int WithDistribution(const run::InputPaths& paths, const std::function<int()>& command);
// The same with what the other ranks do given: `peer` reads this rank's share of the data.
int WithDistribution(bool distributed, const std::function<Status()>& peer,
                     const std::function<int()>& command);

}  // namespace valuepact::cli
