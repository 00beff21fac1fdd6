#include "valuepact/ingest/zstd_frame.h"

#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>

#include <tbb/parallel_for.h>

namespace valuepact {
namespace {

// Frees a thread's contexts when the thread ends.
struct ThreadContexts {
  ZSTD_CCtx* compress = nullptr;
  ZSTD_DCtx* decompress = nullptr;
  ThreadContexts() = default;
  ThreadContexts(const ThreadContexts&) = delete;
  ThreadContexts& operator=(const ThreadContexts&) = delete;
  ~ThreadContexts() {
    ZSTD_freeCCtx(compress);
    ZSTD_freeDCtx(decompress);
  }
};

thread_local ThreadContexts contexts;

}  // namespace

ZSTD_CCtx* ThreadCompressionContext() {
  if (contexts.compress == nullptr) contexts.compress = ZSTD_createCCtx();
  return contexts.compress;
}

ZSTD_DCtx* ThreadDecompressionContext() {
  if (contexts.decompress == nullptr) contexts.decompress = ZSTD_createDCtx();
  return contexts.decompress;
}

namespace {

// Compresses `pieces` as one frame with `c`, set up by the caller; into a buffer of zstd's bound
// that is not cleared first, the bytes written copied out: a population's members.csv (a hundred
// MB) used to have its whole bound zeroed, page by page, for a frame a fifth of its size.
std::string CompressPieces(ZSTD_CCtx* c, const std::vector<std::string_view>& pieces) {
  size_t total = 0;
  for (const std::string_view p : pieces) total += p.size();
  ZSTD_CCtx_setPledgedSrcSize(c, total);  // the frame records its content size
  const size_t bound = ZSTD_compressBound(total);
  const auto buffer = std::make_unique_for_overwrite<char[]>(bound);
  ZSTD_outBuffer out{buffer.get(), bound, 0};
  // The last piece goes with the frame's end: a file given whole is compressed as ZSTD_compress2
  // would, without being copied into zstd's window first.
  for (size_t i = 0; i + 1 < pieces.size(); ++i) {
    ZSTD_inBuffer in{pieces[i].data(), pieces[i].size(), 0};
    while (in.pos < in.size) {
      if (ZSTD_isError(ZSTD_compressStream2(c, &out, &in, ZSTD_e_continue)) != 0) return {};
    }
  }
  const std::string_view last = pieces.empty() ? std::string_view() : pieces.back();
  ZSTD_inBuffer in{last.data(), last.size(), 0};
  for (;;) {  // with a bound-sized buffer, zstd needs no room to flush between calls
    const size_t left = ZSTD_compressStream2(c, &out, &in, ZSTD_e_end);
    if (ZSTD_isError(left) != 0) return {};
    if (left == 0) break;
  }
  return {buffer.get(), out.pos};
}

}  // namespace

std::string ToZstdFrame(const std::vector<std::string_view>& pieces, int level) {
  ZSTD_CCtx* const c = ThreadCompressionContext();
  if (c == nullptr) return {};
  ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level);
  std::string frame = CompressPieces(c, pieces);
  ZSTD_CCtx_reset(c, ZSTD_reset_session_and_parameters);  // the thread's context as it was
  return frame;
}

std::string ToZstdFrame(std::string_view bytes, int level) {
  return ToZstdFrame(std::vector<std::string_view>{bytes}, level);
}

std::string ToZstdFrames(const std::vector<std::string_view>& pieces, int level,
                         size_t segment_bytes) {
  // The segments, each as the parts of the pieces it covers.
  std::vector<std::vector<std::string_view>> segments(1);
  size_t room = segment_bytes;
  for (std::string_view p : pieces) {
    while (!p.empty()) {
      if (room == 0) {
        segments.emplace_back();
        room = segment_bytes;
      }
      const size_t n = std::min(room, p.size());
      segments.back().push_back(p.substr(0, n));
      p.remove_prefix(n);
      room -= n;
    }
  }
  std::vector<std::string> frames(segments.size());
  std::atomic<bool> failed{false};
  tbb::parallel_for(size_t{0}, segments.size(), [&](size_t i) {
    frames[i] = ToZstdFrame(segments[i], level);
    if (frames[i].empty()) failed = true;
  });
  if (failed) return {};
  size_t size = 0;
  for (const auto& f : frames) size += f.size();
  std::string out;
  out.reserve(size);
  for (const auto& f : frames) out += f;
  return out;
}

namespace {

// The content size of the frames in `bytes`, one after another; nullopt when they are not whole
// frames that each record their content size, or when the sizes add up to more than `max`.
std::optional<uint64_t> ContentSize(std::string_view bytes, uint64_t max) {
  if (bytes.empty()) return std::nullopt;
  uint64_t total = 0;
  while (!bytes.empty()) {
    const size_t n = ZSTD_findFrameCompressedSize(bytes.data(), bytes.size());
    if (ZSTD_isError(n) != 0) return std::nullopt;
    const unsigned long long size = ZSTD_getFrameContentSize(bytes.data(), n);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > max - total) {
      return std::nullopt;
    }
    total += size;
    bytes.remove_prefix(n);
  }
  return total;
}

}  // namespace

Result<std::string> FromZstdFrame(std::string_view frame, uint64_t max_bytes,
                                  const std::string& what) {
  const std::optional<uint64_t> size = ContentSize(frame, max_bytes);
  if (!size) return InvalidInput(what + " is not a valid zstd frame");
  std::string out(static_cast<size_t>(*size), '\0');
  ZSTD_DCtx* d = ThreadDecompressionContext();
  if (d == nullptr) return IoError(what + ": out of memory for zstd");
  const size_t n = ZSTD_decompressDCtx(d, out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) != 0 || n != out.size()) return InvalidInput(what + " is corrupt (zstd)");
  return out;
}

}  // namespace valuepact
