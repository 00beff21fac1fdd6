#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "valuepact/core/allocator.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/money.h"
#include "valuepact/core/progress.h"
#include "valuepact/core/status.h"
#include "valuepact/run/loader.h"

namespace valuepact::cli {

namespace {
int g_exit_code = 0;
}

std::vector<CommandSpec>& Registry() {
  static std::vector<CommandSpec> registry;
  return registry;
}

void SetExitCode(int code) { g_exit_code = code; }

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kFailedCheck:
      return 1;
    case StatusCode::kInvalidInput:
    case StatusCode::kNotFound:
      return 2;
    default:
      return 3;
  }
}

int Fail(const Status& s) {
  std::fprintf(stderr, "valuepact: %s\n", s.message().c_str());
  const int code = ExitCodeFor(s);
  SetExitCode(code);
  return code;
}

}  // namespace valuepact::cli

namespace {

int RunMain(int argc, char** argv) {
  using namespace valuepact::cli;
  // One run per process: large claims files are memory-mapped (core/file_io.h; `serve` turns
  // it off, and so does VALUEPACT_MAP_FILES=0).
  const char* map_files = std::getenv("VALUEPACT_MAP_FILES");
  valuepact::SetMapDataFiles(map_files == nullptr || std::string_view(map_files) != "0");
  // ...and keeps the memory it frees for its next columns (core/allocator.h; `serve` gives it
  // back, and so does VALUEPACT_KEEP_FREED_MEMORY=0).
  const char* keep_freed = std::getenv("VALUEPACT_KEEP_FREED_MEMORY");
  if (keep_freed == nullptr || std::string_view(keep_freed) != "0") {
    valuepact::KeepFreedMemory(true);
  }
  // ...and prints the notes a person should see at once (core/progress.h; `serve` does not).
  valuepact::SetPrintNotices(true);
  CLI::App app{
      "valuepact — settle value-based payment contracts between payers and providers, and "
      "explain every dollar."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("valuepact ") + VALUEPACT_VERSION);
  auto specs = Registry();
  std::sort(specs.begin(), specs.end(), [](const CommandSpec& a, const CommandSpec& b) {
    return a.order != b.order ? a.order < b.order : a.name < b.name;
  });
  for (const auto& s : specs) s.add(app);
  // No exception reaches the shell: usage errors exit 2, anything else 3 with its message.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const valuepact::MoneyOverflow& e) {
    std::fprintf(stderr, "valuepact: %s\n", valuepact::run::DescribeOverflow(e).c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "valuepact: internal error: %s\n", e.what());
    return 3;
  } catch (...) {
    std::fprintf(stderr, "valuepact: internal error\n");
    return 3;
  }
  return g_exit_code;
}

}  // namespace

// Nothing thrown reaches the shell, not even while the commands are being set up.
int main(int argc, char** argv) {
  try {
    return RunMain(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "valuepact: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "valuepact: internal error\n");
  }
  return 3;
}
