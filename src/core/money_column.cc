#include "valuepact/core/money_column.h"

#include <algorithm>
#include <stdexcept>
#include <type_traits>

namespace valuepact {

// Columns of amounts are copied as bytes (the cache, the wire).
static_assert(std::is_trivially_copyable_v<Money>);

namespace {

bool RowBefore(const std::pair<uint64_t, int64_t>& w, uint64_t row) { return w.first < row; }

}  // namespace

size_t MoneyColumn::FirstWideFrom(size_t row) const {
  return static_cast<size_t>(std::lower_bound(wide_.begin(), wide_.end(), row, RowBefore) -
                             wide_.begin());
}

Money MoneyColumn::Wide(size_t row) const {
  return Money::FromCents(wide_[FirstWideFrom(row)].second);
}

void MoneyColumn::Set(size_t row, Money m) {
  const bool was_wide = cents_[row] == kWide;
  if (Fits(m.cents())) {
    if (was_wide) wide_.erase(wide_.begin() + static_cast<std::ptrdiff_t>(FirstWideFrom(row)));
    cents_[row] = static_cast<int32_t>(m.cents());
    return;
  }
  const auto at = wide_.begin() + static_cast<std::ptrdiff_t>(FirstWideFrom(row));
  if (was_wide) {
    at->second = m.cents();
  } else {
    wide_.insert(at, {row, m.cents()});
    cents_[row] = kWide;
  }
}

void MoneyColumn::insert(const_iterator at, const_iterator first, const_iterator last) {
  if (at != end() || (first != last && first.column() == this)) {
    throw std::logic_error("MoneyColumn::insert: only another column's rows, at the end");
  }
  if (first == last) return;
  const MoneyColumn& from = *first.column();
  const size_t begin = first.row(), stop = last.row(), base = size();
  cents_.insert(cents_.end(), from.cents_.begin() + static_cast<std::ptrdiff_t>(begin),
                from.cents_.begin() + static_cast<std::ptrdiff_t>(stop));
  for (size_t w = from.FirstWideFrom(begin); w < from.wide_.size() && from.wide_[w].first < stop;
       ++w) {
    wide_.emplace_back(base + (from.wide_[w].first - begin), from.wide_[w].second);
  }
}

}  // namespace valuepact
