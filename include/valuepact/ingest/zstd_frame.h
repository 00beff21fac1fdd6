#pragma once
// Bytes in one zstd frame that records its content size, and back: for what the run store keeps
// and what the ranks of a distributed run send one another.
#include <cstdint>
#include <string>
#include <string_view>

#include "valuepact/core/status.h"

namespace valuepact {

// `workers` > 0: the frame is compressed by that many threads of zstd's own (one frame either
// way, read back as any other). Where libzstd was built without threads, by this one.
std::string ToZstdFrame(std::string_view bytes, int level, int workers = 0);

// The frame's bytes; an error naming `what` when `frame` is not one whole zstd frame whose
// content size is known and at most `max_bytes`.
Result<std::string> FromZstdFrame(std::string_view frame, uint64_t max_bytes,
                                  const std::string& what);

}  // namespace valuepact
