// libFuzzer target for the program data reader (referrals, enrollments, visits, events): the
// input is split on "\n\x01" into up to four files; the first byte of each part picks its table.
// The persons are interned next to a member the claims already named, as in a run.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "valuepact/ingest/program/program_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  valuepact::Dataset ds;
  (void)ds.members.Intern("A");
  valuepact::ProgramData program;
  valuepact::IngestReport report;
  for (std::string_view part : valuepact::fuzz::SplitParts(valuepact::fuzz::Bytes(data, size), 4)) {
    const unsigned char pick = part.empty() ? 0 : static_cast<unsigned char>(part[0]);
    if (!part.empty()) part.remove_prefix(1);
    const std::string_view table = valuepact::kProgramTables[pick % 4];
    (void)valuepact::LoadProgramTable(table, part, std::string(table) + ".csv", &ds, &program,
                                      &report);
  }
  ds.FinalizeMembers();
  return 0;
}
