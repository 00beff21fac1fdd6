#include "valuepact/core/distributed.h"

#include <atomic>

namespace valuepact {
namespace {
std::atomic<Distribution*> g_distribution{nullptr};
}

Distribution* CurrentDistribution() { return g_distribution.load(); }
void SetCurrentDistribution(Distribution* distribution) { g_distribution.store(distribution); }

}  // namespace valuepact
