#pragma once
// Shared by the libFuzzer targets in this folder. Each target calls OneThread() first: the
// library's parallel loops then run on the calling thread, so an input always takes the same
// path (coverage feedback and reproduction do not depend on scheduling) and no worker threads
// compete with the fuzzer for the machine's cores.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <tbb/global_control.h>

namespace valuepact::fuzz {

inline void OneThread() {
  static tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
}

inline std::string_view Bytes(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits `all` on "\n\x01" into at most `max_parts` parts (the last part takes the rest), so
// one input can stand for several files.
inline std::vector<std::string_view> SplitParts(std::string_view all, size_t max_parts) {
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (pos <= all.size() && parts.size() < max_parts) {
    size_t cut = all.find("\n\x01", pos);
    if (cut == std::string_view::npos || parts.size() + 1 == max_parts) cut = all.size();
    parts.push_back(all.substr(pos, cut - pos));
    pos = cut + 2;
  }
  return parts;
}

}  // namespace valuepact::fuzz
