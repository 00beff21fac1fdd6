#include "valuepact/ingest/zstd_frame.h"

#include <zstd.h>

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

std::string ToZstdFrame(std::string_view bytes, int level, int workers) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  size_t n = 0;
  if (workers > 0) {
    ZSTD_CCtx* c = ZSTD_createCCtx();
    if (c == nullptr) return {};
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(c, ZSTD_c_nbWorkers, workers);  // an error without threads: ignored
    ZSTD_CCtx_setPledgedSrcSize(c, bytes.size());          // the frame records its content size
    n = ZSTD_compress2(c, out.data(), out.size(), bytes.data(), bytes.size());
    ZSTD_freeCCtx(c);
  } else {
    ZSTD_CCtx* c = ThreadCompressionContext();
    if (c == nullptr) return {};
    n = ZSTD_compressCCtx(c, out.data(), out.size(), bytes.data(), bytes.size(), level);
  }
  if (ZSTD_isError(n) != 0) return {};  // cannot happen with a bound-sized buffer
  out.resize(n);
  return out;
}

Result<std::string> FromZstdFrame(std::string_view frame, uint64_t max_bytes,
                                  const std::string& what) {
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > max_bytes) {
    return InvalidInput(what + " is not a valid zstd frame");
  }
  std::string out(static_cast<size_t>(size), '\0');
  ZSTD_DCtx* d = ThreadDecompressionContext();
  if (d == nullptr) return IoError(what + ": out of memory for zstd");
  const size_t n = ZSTD_decompressDCtx(d, out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) != 0 || n != out.size()) return InvalidInput(what + " is corrupt (zstd)");
  return out;
}

}  // namespace valuepact
