#pragma once
// Progress lines for long work, shown only when stderr is a terminal; and notes a person
// should see as they happen.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

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

// Notes the person running a command should see at once, besides where the run records them
// (its notes in summary.json and quality.json): a dataset cache used without being checked
// against the folders it was imported from. The command-line tool prints them on stderr as
// "note: …" (on rank 0 alone in a distributed run); elsewhere (the server, the tests, a library
// user) they are only recorded, and Notice does nothing.
void SetPrintNotices(bool on);
void Notice(std::string_view text);

}  // namespace valuepact
