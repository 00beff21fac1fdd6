// libFuzzer target for the trace reader `explain` uses on a run's trace.json: any bytes must
// either be refused with an error or give a trace whose figures all explain, and a trace read
// back from its own JSON must be the same trace.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "valuepact/core/trace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  auto trace = valuepact::Trace::Parse(valuepact::fuzz::Bytes(data, size));
  if (!trace.ok()) return 0;
  // Explain a bounded number of figures (plus one that is not there) to keep each run short.
  size_t explained = 0;
  for (const auto& node : trace->nodes()) {
    if (explained++ == 16) break;
    (void)trace->Explain(node.id);
  }
  (void)trace->Explain("no such figure");
  const std::string json = trace->ToJson().dump(1);
  auto again = valuepact::Trace::Parse(json);
  if (!again.ok() || again->ToJson().dump(1) != json) __builtin_trap();
  return 0;
}
