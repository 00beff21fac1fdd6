#pragma once
// SHA-256 (FIPS 180-4), used for run ids and input file fingerprints.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace valuepact {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  // Call once; the object is finished afterwards.
  std::array<uint8_t, 32> Finish();
  std::string FinishHex();

 private:
  evp_md_ctx_st* ctx_;
};

std::string Sha256Hex(std::string_view data);

// The SHA-256 digests of n independent inputs, out[j] of in[j]. Where the processor has the
// SHA extensions, up to kSha256Lanes digests are computed together, their rounds interleaved:
// on a 2-core AMD EPYC, 4 MiB inputs hash at about 3.1 GB/s four at a time against 1.9 GB/s
// one at a time. Elsewhere each is hashed as Sha256 does. The digests are the same either way.
inline constexpr size_t kSha256Lanes = 4;
void Sha256Lanes(const std::string_view* in, size_t n, std::array<uint8_t, 32>* out);
// True when Sha256Lanes interleaves (the processor has the SHA extensions).
bool Sha256LanesInterleaved();

}  // namespace valuepact
