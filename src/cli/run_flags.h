#pragma once
// The input flags every run command shares (--data, --program, --format, --value-sets,
// --refdata, --measures), added to a subcommand in one place so they read the same everywhere.
#include <CLI/CLI.hpp>

#include "valuepact/run/loader.h"

namespace valuepact::cli {

enum InputFlags : unsigned {
  kDataFlags = 1,     // --data (required), --program, --format
  kValueSetFlag = 2,  // --value-sets
  kRefdataFlag = 4,   // --refdata
  kMeasuresFlag = 8,  // --measures
};

// The --refdata help text's default, one wording for every command.
inline constexpr const char* kRefdataDefaultHelp =
    "(default: $VALUEPACT_REFDATA, then refdata/ beside the contract, then shared/refdata beside "
    "the valuepact checkout; never the working directory)";

void AddInputFlags(CLI::App* cmd, run::InputPaths* paths, unsigned which);

}  // namespace valuepact::cli
