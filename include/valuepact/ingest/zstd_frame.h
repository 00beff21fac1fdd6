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

// One frame of `bytes` at `level`, on this thread's context.
std::string ToZstdFrame(std::string_view bytes, int level);
// The same frame's content given as pieces, one after another (not joined first).
std::string ToZstdFrame(const std::vector<std::string_view>& pieces, int level);

// The content cut into segments of `segment_bytes` (the last one shorter), each its own frame,
// compressed on the run's threads at once, and the frames one after another: what zstd's own
// threads would do for a large file, without their set-up (a context and fresh buffers each
// time) and with every thread busy. The cuts depend on the content's size alone, so the bytes do
// not depend on the thread count.
std::string ToZstdFrames(const std::vector<std::string_view>& pieces, int level,
                         size_t segment_bytes);

// The content of `frame` (one zstd frame, or several one after another as ToZstdFrames writes
// them); an error naming `what` when it is not whole frames whose content sizes are known and
// add up to at most `max_bytes`.
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
