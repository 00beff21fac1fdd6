// libFuzzer target for the partnership record's reader (docs/partnership.md): the input is split
// into partnership.toml and the four CSV files of a record folder, held in memory. Any bytes
// must be refused with the problems listed, or give a record that `partnership check` reviews
// and writes as JSON.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "valuepact/core/files.h"
#include "valuepact/partnership/partnership.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  const auto parts = valuepact::fuzz::SplitParts(valuepact::fuzz::Bytes(data, size),
                                                 std::size(valuepact::partnership::kRecordFiles));
  valuepact::MemoryFileSystem files;
  for (size_t i = 0; i < parts.size(); ++i) {
    files.Put(std::string("record/") + valuepact::partnership::kRecordFiles[i],
              std::string(parts[i]));
  }
  auto p = valuepact::partnership::LoadPartnership("record", files);
  if (!p.ok()) return 0;
  const auto review =
      valuepact::partnership::ReviewPartnership(*p, valuepact::Date::FromCivil(2018, 10, 1));
  (void)valuepact::partnership::ReviewJson(*p, review).dump();
  (void)valuepact::partnership::ReviewMarkdown(*p, review);
  return 0;
}
