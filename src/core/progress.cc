#include "valuepact/core/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "valuepact/core/distributed.h"

namespace valuepact {
namespace {
std::atomic<bool> print_notices{false};
}  // namespace

void SetPrintNotices(bool on) { print_notices.store(on, std::memory_order_relaxed); }

void Notice(std::string_view text) {
  if (!print_notices.load(std::memory_order_relaxed) || OnPeerRank()) return;
  std::fprintf(stderr, "note: %.*s\n", static_cast<int>(text.size()), text.data());
}

bool Progress::Enabled() {
  static const bool enabled = isatty(STDERR_FILENO) != 0 && std::getenv("CI") == nullptr;
  return enabled;
}

Progress::Progress(std::string what, uint64_t total, std::string unit)
    : what_(std::move(what)),
      unit_(std::move(unit)),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      enabled_(Enabled()) {}

Progress::~Progress() { Done(); }

void Progress::Add(uint64_t n) {
  done_.fetch_add(n, std::memory_order_relaxed);
  if (!enabled_) return;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - start_)
                       .count();
  int64_t last = last_print_ms_.load(std::memory_order_relaxed);
  if (now - last >= 200 &&
      last_print_ms_.compare_exchange_strong(last, now, std::memory_order_relaxed)) {
    Print(false);
  }
}

void Progress::Print(bool final) {
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const uint64_t d = done_.load(std::memory_order_relaxed);
  std::string line;
  if (total_ > 0) {
    line = fmt::format("\r{}: {:>5.1f}% ({} / {} {}) {:.1f}s", what_, 100.0 * d / total_, d, total_,
                       unit_, secs);
  } else {
    line = fmt::format("\r{}: {} {} {:.1f}s", what_, d, unit_, secs);
  }
  std::fputs(line.c_str(), stderr);
  if (final) std::fputs("\n", stderr);
  std::fflush(stderr);
}

void Progress::Done() {
  if (finished_) return;
  finished_ = true;
  if (enabled_) Print(true);
}

}  // namespace valuepact
