#pragma once
// Large text (a population's member-level files) made in blocks of rows on the run's threads.
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include <tbb/parallel_for.h>

namespace valuepact {

// The text of rows 0 .. n-1 in blocks of `rows_per_block` rows, each block formatted on a thread
// of its own; `append(i, &out)` appends row i's text. The blocks one after another are the text
// in row order, whatever the threads. A block reserves `bytes_per_row` a row before it starts
// (room not yet written is address space, not memory).
template <typename Append>
std::vector<std::string> RowsInBlocks(size_t n, size_t rows_per_block, size_t bytes_per_row,
                                      const Append& append) {
  std::vector<std::string> blocks((n + rows_per_block - 1) / rows_per_block);
  tbb::parallel_for(size_t{0}, blocks.size(), [&](size_t b) {
    std::string& out = blocks[b];
    const size_t first = b * rows_per_block, last = std::min(n, first + rows_per_block);
    out.reserve((last - first) * bytes_per_row);
    for (size_t i = first; i < last; ++i) append(i, &out);
  });
  return blocks;
}

}  // namespace valuepact
