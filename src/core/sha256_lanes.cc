// Sha256Lanes (sha256.h): several independent SHA-256 digests, their rounds interleaved.
//
// One SHA-256 is a chain: each pair of rounds (the SHA extensions' sha256rnds2) waits for the
// one before, so a single digest leaves the processor's SHA unit idle most cycles. Digests of
// independent inputs have no such dependency between them: computing up to kSha256Lanes of
// them in one loop, a round of each in turn, keeps the unit busy. The rounds are those of FIPS
// 180-4 §6.2.2 in the SHA extensions' state layout (ABEF / CDGH); padding is §5.1.1.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "valuepact/core/sha256.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define VALUEPACT_SHA_LANES 1
#endif

namespace valuepact {
namespace {

constexpr size_t kBlock = 64;  // bytes a SHA-256 block

#ifdef VALUEPACT_SHA_LANES

alignas(16) constexpr uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

alignas(16) constexpr uint32_t kInitial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

// A digest's state as the SHA extensions hold it: words A, B, E, F and C, D, G, H.
struct State {
  __m128i abef;
  __m128i cdgh;
};

bool HasShaExtensions() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
  const bool sse41 = (c & bit_SSE4_1) != 0, ssse3 = (c & bit_SSSE3) != 0;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
  return sse41 && ssse3 && (b & bit_SHA) != 0;
}

#define VALUEPACT_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

VALUEPACT_SHA_TARGET State Initial() {
  const __m128i dcba = _mm_shuffle_epi32(_mm_load_si128(reinterpret_cast<const __m128i*>(kInitial)),
                                         0xB1);  // C D A B
  const __m128i efgh =
      _mm_shuffle_epi32(_mm_load_si128(reinterpret_cast<const __m128i*>(kInitial + 4)), 0x1B);
  return {_mm_alignr_epi8(dcba, efgh, 8), _mm_blend_epi16(efgh, dcba, 0xF0)};
}

// `blocks` blocks of each of N inputs (at[j], 64 bytes a block) into states[j], the rounds of
// the N digests taking turns. Round group i (rounds 4i to 4i + 3) adds the message schedule's
// words w[i mod 4]; groups 3 to 14 finish the words of group i + 1 (sha256msg2) and groups 1
// to 12 start those of group i + 3 (sha256msg1).
template <int N>
VALUEPACT_SHA_TARGET void Compress(State* states, const unsigned char* const* at, size_t blocks) {
  const __m128i big_endian = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  for (size_t b = 0; b < blocks; ++b) {
    __m128i w[N][4];
    State s[N];
    for (int j = 0; j < N; ++j) s[j] = states[j];
#pragma GCC unroll 16
    for (size_t i = 0; i < 16; ++i) {
      const __m128i k = _mm_load_si128(reinterpret_cast<const __m128i*>(kRound + 4 * i));
#pragma GCC unroll 4
      for (int j = 0; j < N; ++j) {
        if (i < 4) {
          const auto* p = reinterpret_cast<const __m128i*>(at[j] + b * kBlock + 16 * i);
          w[j][i] = _mm_shuffle_epi8(_mm_loadu_si128(p), big_endian);
        }
        const __m128i& cur = w[j][i & 3];
        __m128i m = _mm_add_epi32(cur, k);
        s[j].cdgh = _mm_sha256rnds2_epu32(s[j].cdgh, s[j].abef, m);
        if (i >= 3 && i <= 14) {
          __m128i& next = w[j][(i + 1) & 3];
          next = _mm_add_epi32(next, _mm_alignr_epi8(cur, w[j][(i + 3) & 3], 4));
          next = _mm_sha256msg2_epu32(next, cur);
        }
        m = _mm_shuffle_epi32(m, 0x0E);
        s[j].abef = _mm_sha256rnds2_epu32(s[j].abef, s[j].cdgh, m);
        if (i >= 1 && i <= 12) w[j][(i + 3) & 3] = _mm_sha256msg1_epu32(w[j][(i + 3) & 3], cur);
      }
    }
    for (int j = 0; j < N; ++j) {
      states[j].abef = _mm_add_epi32(states[j].abef, s[j].abef);
      states[j].cdgh = _mm_add_epi32(states[j].cdgh, s[j].cdgh);
    }
  }
}

VALUEPACT_SHA_TARGET std::array<uint8_t, 32> Digest(const State& s) {
  const __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
  alignas(16) uint32_t h[8];
  _mm_store_si128(reinterpret_cast<__m128i*>(h), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_store_si128(reinterpret_cast<__m128i*>(h + 4), _mm_alignr_epi8(dchg, feba, 8));
  std::array<uint8_t, 32> out{};
  for (size_t i = 0; i < 8; ++i) {
    for (size_t byte = 0; byte < 4; ++byte) {
      out[4 * i + byte] = static_cast<uint8_t>(h[i] >> (24 - 8 * byte));
    }
  }
  return out;
}

// The last bytes of an input (fewer than a block), its end mark and its length in bits: one
// block or two.
VALUEPACT_SHA_TARGET void Finish(State* s, std::string_view in) {
  unsigned char tail[2 * kBlock] = {};
  const size_t rest = in.size() % kBlock;
  if (rest != 0) std::memcpy(tail, in.data() + in.size() - rest, rest);
  tail[rest] = 0x80;
  const size_t blocks = rest + 9 <= kBlock ? 1 : 2;
  const uint64_t bits = static_cast<uint64_t>(in.size()) * 8;
  for (size_t i = 0; i < 8; ++i) {
    tail[blocks * kBlock - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  }
  const unsigned char* at[1] = {tail};
  Compress<1>(s, at, blocks);
}

template <int N>
VALUEPACT_SHA_TARGET void Lanes(const std::string_view* in, std::array<uint8_t, 32>* out) {
  State s[N];
  const unsigned char* at[N];
  size_t together = SIZE_MAX;
  for (int j = 0; j < N; ++j) {
    s[j] = Initial();
    at[j] = reinterpret_cast<const unsigned char*>(in[j].data());
    together = std::min(together, in[j].size() / kBlock);
  }
  Compress<N>(s, at, together);  // the blocks every input has
  for (int j = 0; j < N; ++j) {
    const size_t mine = in[j].size() / kBlock;
    at[j] += together * kBlock;
    Compress<1>(&s[j], &at[j], mine - together);
    Finish(&s[j], in[j]);
    out[j] = Digest(s[j]);
  }
}

#endif  // VALUEPACT_SHA_LANES

}  // namespace

bool Sha256LanesInterleaved() {
#ifdef VALUEPACT_SHA_LANES
  static const bool has = HasShaExtensions();
  return has;
#else
  return false;
#endif
}

void Sha256Lanes(const std::string_view* in, size_t n, std::array<uint8_t, 32>* out) {
  for (size_t now = 0; n > 0; in += now, out += now, n -= now) {
    now = std::min(n, kSha256Lanes);
#ifdef VALUEPACT_SHA_LANES
    if (Sha256LanesInterleaved()) {
      switch (now) {
        case 1:
          Lanes<1>(in, out);
          break;
        case 2:
          Lanes<2>(in, out);
          break;
        case 3:
          Lanes<3>(in, out);
          break;
        default:
          Lanes<4>(in, out);
          break;
      }
      continue;
    }
#endif
    for (size_t j = 0; j < now; ++j) {
      Sha256 h;
      h.Update(in[j]);
      out[j] = h.Finish();
    }
  }
}

}  // namespace valuepact
