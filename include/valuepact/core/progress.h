#pragma once
// Progress lines for long work, shown only when stderr is a terminal.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace valuepact {

class Progress {
 public:
  Progress(std::string what, uint64_t total, std::string unit);
  ~Progress();
  void Add(uint64_t n);
  void Done();
  static bool Enabled();

 private:
  void Print(bool final);
  std::string what_;
  std::string unit_;
  uint64_t total_;
  std::atomic<uint64_t> done_{0};
  std::atomic<int64_t> last_print_ms_{0};
  std::chrono::steady_clock::time_point start_;
  bool enabled_;
  bool finished_ = false;
};

}  // namespace valuepact
