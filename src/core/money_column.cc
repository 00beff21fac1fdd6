#include "valuepact/core/money_column.h"

#include <algorithm>
#include <type_traits>

namespace valuepact {

// Columns of amounts are copied as bytes (the cache, the wire).
static_assert(std::is_trivially_copyable_v<Money>);

namespace {

bool RowBefore(const std::pair<uint64_t, int64_t>& w, uint64_t row) { return w.first < row; }

}  // namespace

Money MoneyColumn::Wide(size_t row) const {
  const auto it = std::lower_bound(wide_.begin(), wide_.end(), row, RowBefore);
  return Money::FromCents(it->second);
}

void MoneyColumn::DropWideFrom(size_t row) {
  wide_.erase(std::lower_bound(wide_.begin(), wide_.end(), row, RowBefore), wide_.end());
}

void MoneyColumn::Set(size_t row, Money m) {
  const auto it = std::lower_bound(wide_.begin(), wide_.end(), row, RowBefore);
  const bool was_wide = cents_[row] == kWide;
  if (Fits(m.cents())) {
    if (was_wide) wide_.erase(it);
    cents_[row] = static_cast<int32_t>(m.cents());
    return;
  }
  if (was_wide) {
    it->second = m.cents();
  } else {
    wide_.insert(it, {row, m.cents()});
    cents_[row] = kWide;
  }
}

void MoneyColumn::insert(const_iterator at, const_iterator first, const_iterator last) {
  if (at != end()) throw std::logic_error("MoneyColumn::insert: only at the end");
  if (first.column() == this) {
    const MoneyColumn copy = *this;
    insert(end(), copy.begin() + static_cast<std::ptrdiff_t>(first.row()),
           copy.begin() + static_cast<std::ptrdiff_t>(last.row()));
    return;
  }
  if (first == last) return;
  const MoneyColumn& from = *first.column();
  const size_t begin = first.row(), stop = last.row(), base = size();
  cents_.insert(cents_.end(), from.cents_.begin() + static_cast<std::ptrdiff_t>(begin),
                from.cents_.begin() + static_cast<std::ptrdiff_t>(stop));
  for (auto it = std::lower_bound(from.wide_.begin(), from.wide_.end(), begin, RowBefore);
       it != from.wide_.end() && it->first < stop; ++it) {
    wide_.emplace_back(base + (it->first - begin), it->second);
  }
}

void MoneyColumn::erase(const_iterator first, const_iterator last) {
  const size_t begin = first.row(), stop = last.row();
  KeepIf([&](size_t row) { return row < begin || row >= stop; });
}

}  // namespace valuepact
