#pragma once
// Each subcommand lives in its own cmd_*.cc and registers itself here; main.cc adds them to the
// CLI11 app in a fixed order (by `order`, then name) so --help is stable.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tbb/global_control.h>
#include <CLI/CLI.hpp>

#include "valuepact/core/status.h"

namespace valuepact::cli {

struct CommandSpec {
  std::string name;
  int order;                           // position in --help
  std::function<void(CLI::App&)> add;  // adds the subcommand and sets its callback
};

std::vector<CommandSpec>& Registry();

struct RegisterCommand {
  explicit RegisterCommand(CommandSpec spec) { Registry().push_back(std::move(spec)); }
};

// Exit codes: 0 ok, 1 a check failed (examples, data requirements), 2 bad input or usage,
// 3 internal or I/O error.
int ExitCodeFor(const valuepact::Status& s);
// Prints "valuepact: <message>" to stderr and returns the exit code for the status.
int Fail(const valuepact::Status& s);

// Regenerates the generated parts of a document (`regenerate`: the whole new text from the old)
// and writes it back, or with `check_only` exits 1 when it differs. `what` names the parts in
// messages ("key tables"); `fix` is the command that regenerates them.
int UpdateGeneratedDoc(
    const std::string& path, bool check_only, const std::string& what, const std::string& fix,
    const std::function<valuepact::Result<std::string>(const std::string&)>& regenerate);

// Subcommand callbacks set this; main returns it.
void SetExitCode(int code);

// --threads N: caps TBB's worker threads for the lifetime of the returned object
// (N <= 0: no cap, every core).
inline std::unique_ptr<tbb::global_control> LimitThreads(int n) {
  if (n <= 0) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<size_t>(n));
}

}  // namespace valuepact::cli
