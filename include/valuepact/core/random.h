#pragma once
// A small deterministic random generator (SplitMix64) for synthetic data: fully specified, so
// the same seed gives the same bytes on every platform and library version.
#include <array>
#include <cmath>
#include <cstdint>

namespace valuepact {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Inclusive range.
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }
  double Normal() {
    // Box-Muller; glibc's log/cos give the same results run to run on one platform.
    const double u1 = std::max(Uniform(), 1e-300), u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double LogNormal(double mu, double sigma) { return std::exp(mu + sigma * Normal()); }
  int Poisson(double lambda) {
    const double l = std::exp(-lambda);
    int k = 0;
    double p = 1.0;
    do {
      ++k;
      p *= Uniform();
    } while (p > l && k < 50);
    return k - 1;
  }
  // Index drawn by cumulative weights (percentages summing to 100).
  template <size_t N>
  size_t Pick(const std::array<int, N>& weights) {
    int u = Between(0, 99);
    for (size_t i = 0; i < N; ++i) {
      if (u < weights[i]) return i;
      u -= weights[i];
    }
    return N - 1;
  }

 private:
  uint64_t s_;
};

}  // namespace valuepact
