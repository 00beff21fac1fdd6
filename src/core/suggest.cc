#include "valuepact/core/suggest.h"

#include <algorithm>

namespace valuepact {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

namespace {

// The edit distance of a and b when it is below `limit`, else `limit`. Only cells within
// `limit` of the diagonal can stay below it (Ukkonen's band), so a row costs O(limit), and a row
// whose smallest entry reaches the limit ends the computation. Short names use the stack.
size_t BoundedEditDistance(std::string_view a, std::string_view b, size_t limit) {
  constexpr size_t kStack = 64;
  size_t stack[2][kStack + 2];
  std::vector<size_t> heap;
  size_t* prev = stack[0];
  size_t* cur = stack[1];
  const size_t m = b.size();
  if (m > kStack) {
    heap.resize(2 * (m + 2));
    prev = heap.data();
    cur = heap.data() + m + 2;
  }
  for (size_t j = 0; j <= m; ++j) prev[j] = std::min(j, limit);
  for (size_t i = 1; i <= a.size(); ++i) {
    const size_t lo = i > limit ? i - limit : 1;
    const size_t hi = std::min(m, i + limit);
    if (lo > hi) return limit;
    cur[lo - 1] = lo == 1 ? std::min(i, limit) : limit;
    size_t row_min = cur[lo - 1];
    for (size_t j = lo; j <= hi; ++j) {
      const size_t d =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1] ? 1u : 0u)});
      cur[j] = std::min(d, limit);
      row_min = std::min(row_min, cur[j]);
    }
    if (hi < m) cur[hi + 1] = limit;
    if (row_min >= limit) return limit;
    std::swap(prev, cur);
  }
  return std::min(prev[m], limit);
}

}  // namespace

std::string NearestName(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    // The distance is at least the difference in length: such a candidate cannot be nearer,
    // and a long mistyped name is not compared letter by letter with every short one.
    const size_t gap = name.size() > c.size() ? name.size() - c.size() : c.size() - name.size();
    if (gap >= best_d) continue;
    const size_t d = BoundedEditDistance(name, c, best_d);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace valuepact
