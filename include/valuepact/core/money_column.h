#pragma once
// A column of amounts, four bytes a row: every amount from -21,474,836.47 to 21,474,836.47 is
// kept as its cents in an int32; a larger one (rare: a claim line's amount is checked against
// LoadOptions::max_line_amount, $10,000,000.00 unless a run raises it) is kept whole beside the
// column, by row, and its row holds a mark. Reading a row gives the Money it was given, whatever
// its size, so a column of amounts takes half the memory of a std::vector<Money> and loses
// nothing. The interface is the part of std::vector's that the dataset's columns use.
#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <utility>
#include <vector>

#include "valuepact/core/money.h"

namespace valuepact {

class MoneyColumn {
 public:
  using value_type = Money;
  using size_type = size_t;

  // A row's Money, by value (the column holds no Money to refer to).
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = Money;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Money;

    const_iterator() = default;
    const_iterator(const MoneyColumn* column, size_t row) : column_(column), row_(row) {}
    Money operator*() const { return (*column_)[row_]; }
    Money operator[](difference_type n) const { return (*column_)[Offset(n)]; }
    const_iterator& operator++() {
      ++row_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++row_;
      return before;
    }
    const_iterator& operator--() {
      --row_;
      return *this;
    }
    const_iterator operator--(int) {
      const_iterator before = *this;
      --row_;
      return before;
    }
    const_iterator& operator+=(difference_type n) {
      row_ = Offset(n);
      return *this;
    }
    const_iterator& operator-=(difference_type n) { return *this += -n; }
    friend const_iterator operator+(const_iterator i, difference_type n) { return i += n; }
    friend const_iterator operator+(difference_type n, const_iterator i) { return i += n; }
    friend const_iterator operator-(const_iterator i, difference_type n) { return i -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return static_cast<difference_type>(a.row_) - static_cast<difference_type>(b.row_);
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.row_ == b.row_;
    }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) {
      return a.row_ <=> b.row_;
    }
    size_t row() const { return row_; }
    const MoneyColumn* column() const { return column_; }

   private:
    size_t Offset(difference_type n) const {
      return static_cast<size_t>(static_cast<difference_type>(row_) + n);
    }
    const MoneyColumn* column_ = nullptr;
    size_t row_ = 0;
  };
  using iterator = const_iterator;

  MoneyColumn() = default;
  MoneyColumn(std::initializer_list<Money> values) {
    reserve(values.size());
    for (const Money m : values) push_back(m);
  }
  explicit MoneyColumn(size_t n) : cents_(n, 0) {}  // n rows of 0.00

  size_t size() const { return cents_.size(); }
  bool empty() const { return cents_.empty(); }
  size_t capacity() const { return cents_.capacity(); }
  void reserve(size_t n) { cents_.reserve(n); }
  void shrink_to_fit() {
    cents_.shrink_to_fit();
    wide_.shrink_to_fit();
  }
  void clear() {
    cents_.clear();
    wide_.clear();
  }
  void resize(size_t n) {
    if (n < cents_.size()) DropWideFrom(n);
    cents_.resize(n, 0);
  }
  void swap(MoneyColumn& o) noexcept {
    cents_.swap(o.cents_);
    wide_.swap(o.wide_);
  }

  Money operator[](size_t row) const {
    const int32_t c = cents_[row];
    if (c == kWide) [[unlikely]] {
      return Wide(row);
    }
    return Money::FromCents(c);
  }
  Money back() const { return (*this)[size() - 1]; }

  void push_back(Money m) {
    if (Fits(m.cents())) [[likely]] {
      cents_.push_back(static_cast<int32_t>(m.cents()));
      return;
    }
    wide_.emplace_back(cents_.size(), m.cents());
    cents_.push_back(kWide);
  }
  // Gives row `row` (< size()) the amount `m`.
  void Set(size_t row, Money m);

  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

  // Appends the rows [first, last) of another column (`at` is end(); anything else throws).
  void insert(const_iterator at, const_iterator first, const_iterator last);
  // Keeps the rows from `first` on for which keep(row) is true, in order, and every row before
  // `first` (compacting the column in place).
  template <class Keep>
  void KeepIf(size_t first, const Keep& keep);

  friend bool operator==(const MoneyColumn& a, const MoneyColumn& b) {
    return a.cents_ == b.cents_ && a.wide_ == b.wide_;
  }

 private:
  static constexpr int32_t kWide = std::numeric_limits<int32_t>::min();
  static bool Fits(int64_t cents) {
    return cents > std::numeric_limits<int32_t>::min() &&
           cents <= std::numeric_limits<int32_t>::max();
  }
  Money Wide(size_t row) const;
  size_t FirstWideFrom(size_t row) const;  // the index in wide_ of the first wide row >= row
  void DropWideFrom(size_t row) { wide_.resize(FirstWideFrom(row)); }

  std::vector<int32_t> cents_;
  std::vector<std::pair<uint64_t, int64_t>> wide_;  // (row, cents) of the marked rows, by row
};

template <class Keep>
void MoneyColumn::KeepIf(size_t first, const Keep& keep) {
  size_t w = FirstWideFrom(first);  // the next wide row to look at
  size_t out = first, out_w = w;
  for (size_t row = first; row < cents_.size(); ++row) {
    const bool wide = cents_[row] == kWide;
    if (!keep(row)) {
      w += wide;
      continue;
    }
    if (wide) wide_[out_w++] = {out, wide_[w++].second};
    cents_[out++] = cents_[row];
  }
  cents_.resize(out);
  wide_.resize(out_w);
}

}  // namespace valuepact
