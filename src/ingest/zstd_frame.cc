#include "valuepact/ingest/zstd_frame.h"

#include <zstd.h>

namespace valuepact {

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
    n = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), level);
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
  const size_t n = ZSTD_decompress(out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) != 0 || n != out.size()) return InvalidInput(what + " is corrupt (zstd)");
  return out;
}

}  // namespace valuepact
