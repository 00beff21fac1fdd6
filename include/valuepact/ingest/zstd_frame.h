#pragma once
// Bytes in one zstd frame that records its content size, and back: for what the run store keeps
// and what the ranks of a distributed run send one another.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <zstd.h>

#include "valuepact/core/status.h"

namespace valuepact {

// `workers` > 0: the frame is compressed by that many threads of zstd's own (one frame either
// way, read back as any other). Where libzstd was built without threads, by this one.
std::string ToZstdFrame(std::string_view bytes, int level, int workers = 0);
// The same frame's content given as pieces, one after another (not joined first).
std::string ToZstdFrame(const std::vector<std::string_view>& pieces, int level, int workers = 0);

// The frame's bytes; an error naming `what` when `frame` is not one whole zstd frame whose
// content size is known and at most `max_bytes`.
Result<std::string> FromZstdFrame(std::string_view frame, uint64_t max_bytes,
                                  const std::string& what);

// This thread's zstd contexts, made on first use and kept until the thread ends. A context
// costs an allocation and its tables' set-up (a fresh mapping of a hundred KiB or more, zeroed
// page by page): ZSTD_compress and ZSTD_decompress pay that at every call, which a cache of
// some sixty sections paid sixty times. What a context produces does not depend on its past:
// ZSTD_compressCCtx writes the same frame as ZSTD_compress.
ZSTD_CCtx* ThreadCompressionContext();
ZSTD_DCtx* ThreadDecompressionContext();

}  // namespace valuepact
