// UpdateGeneratedDoc (cli/command.h): documents whose tables are generated from a catalogue.
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "valuepact/core/file_io.h"

namespace valuepact::cli {

int UpdateGeneratedDoc(const std::string& path, bool check_only, const std::string& what,
                       const std::string& fix,
                       const std::function<Result<std::string>(const std::string&)>& regenerate) {
  auto doc = ReadWholeFile(path);
  if (!doc.ok()) {
    return Fail(doc.status());
  }
  auto fresh = regenerate(*doc);
  if (!fresh.ok()) {
    return Fail(InvalidInput(fmt::format("{}: {}", path, fresh.status().message())));
  }
  if (*fresh == *doc) {
    std::printf("%s: %s are up to date\n", path.c_str(), what.c_str());
    return 0;
  }
  if (check_only) {
    std::fprintf(stderr, "%s: %s differ from the catalogue; run %s %s\n", path.c_str(),
                 what.c_str(), fix.c_str(), path.c_str());
    return 1;
  }
  if (Status s = WriteWholeFile(path, *fresh); !s.ok()) {
    return Fail(s);
  }
  std::printf("%s: %s regenerated\n", path.c_str(), what.c_str());
  return 0;
}

}  // namespace valuepact::cli
