#pragma once
// Dense integer ids for strings (member ids, claim ids, codes), assigned in order of first
// appearance so that the same input always yields the same ids (ARCHITECTURE §3).
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace valuepact {

uint64_t HashBytes(std::string_view s);

class StringInterner {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  StringInterner();
  StringInterner(StringInterner&&) noexcept = default;
  StringInterner& operator=(StringInterner&&) noexcept = default;

  uint32_t Intern(std::string_view s);
  uint32_t Find(std::string_view s) const;  // kNone when absent
  std::string_view Get(uint32_t id) const { return views_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(views_.size()); }
  void Reserve(size_t n);
  // On an empty interner: gives `values` the ids 0, 1, … in order, hashing and indexing them in
  // parallel (a dataset cache's id tables). False, and the interner unusable, when a value is
  // listed twice.
  bool InternAllDistinct(const std::vector<std::string_view>& values);
  // Interning every value of `parts`, part after part, each part's values in id order: each
  // part's map from its ids to the ids the serial loop would give, worked out in parallel (values
  // are grouped by hash, and each group finds its first appearances). Nothing is interned yet:
  // AddInOrder(parts, maps) does that, and may run while the maps are used.
  std::vector<std::vector<uint32_t>> MapAllInOrder(
      const std::vector<const StringInterner*>& parts) const;
  void AddInOrder(const std::vector<const StringInterner*>& parts,
                  const std::vector<std::vector<uint32_t>>& maps);

  uint64_t HashOf(uint32_t id) const { return hashes_[id]; }  // HashBytes of Get(id)

 private:
  std::string_view Store(std::string_view s);
  uint32_t FindHashed(std::string_view s, uint64_t h) const;
  void Grow();
  void Rehash(size_t slots);  // a power of two larger than twice the values
  // Puts ids [first, last) into the table (on every thread when they are many). With
  // `check_distinct`, false when one of them equals a value already there.
  bool PlaceAll(uint32_t first, uint32_t last, bool check_distinct);

  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  std::vector<std::string_view> views_;
  std::vector<uint64_t> hashes_;
  // Open addressing with linear probing. A slot holds (upper 32 bits of the hash) << 32 |
  // (id + 1), 0 = empty, so most mismatches are rejected without touching the strings.
  std::vector<uint64_t> slots_;
};

}  // namespace valuepact
