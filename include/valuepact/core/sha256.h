#pragma once
// SHA-256 (FIPS 180-4), used for run ids and input file fingerprints.
#include <array>
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

}  // namespace valuepact
