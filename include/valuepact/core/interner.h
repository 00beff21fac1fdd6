#pragma once
// Dense integer ids for strings (member ids, claim ids, codes), assigned in order of first
// appearance so that the same input always yields the same ids (ARCHITECTURE §3).
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "valuepact/core/allocator.h"

namespace valuepact {

uint64_t HashBytes(std::string_view s);

class StringInterner {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  // How a value is found by its id: kDirect keeps a reference and the hash a value (12
  // bytes); kGrouped a reference a group of 16 values and no hash, and Get walks the group from
  // its first value, as the hash of a value placed again is worked out again (half a byte a
  // value, for the largest tables, whose values are rarely read by id: a dataset's claim ids).
  enum class Lookup : uint8_t { kDirect, kGrouped };

  StringInterner();
  static constexpr int kGroupBits = 4;  // log2 of a group's values with Lookup::kGrouped
  explicit StringInterner(Lookup lookup)
      : group_bits_(lookup == Lookup::kGrouped ? kGroupBits : 0) {}
  StringInterner(StringInterner&& o) noexcept { *this = std::move(o); }
  StringInterner& operator=(StringInterner&& o) noexcept;

  uint32_t Intern(std::string_view s);
  // Adds `s` as the next value whether or not it is there already, and indexes nothing: the
  // table becomes a list, which MapAllInOrder and AddInOrder take as a part (a chunk's claim
  // ids: a claim's lines follow one another, so the reader compares a line's claim with the
  // line before's instead of looking it up). Find on a list answers the first appearance; Intern
  // is for tables whose values are distinct.
  uint32_t Append(std::string_view s);
  uint32_t Find(std::string_view s) const;  // kNone when absent
  std::string_view Get(uint32_t id) const { return Read(At(id)); }
  // f(id, Get(id)) for the ids [first, last) in order, each value read once (Get walks from
  // the start of its group).
  template <class F>
  void ForEach(uint32_t first, uint32_t last, const F& f) const {
    const char* p = first < last ? At(first) : nullptr;
    const uint32_t mask = GroupMask();
    for (uint32_t id = first; id < last; ++id) {
      if ((id & mask) == 0) p = groups_[id >> group_bits_];
      const std::string_view v = Read(p);
      f(id, v);
      p = v.data() + v.size();
    }
  }
  uint32_t size() const { return size_; }
  void Reserve(size_t n);
  // Room for `n` values without an index to grow: their references and hashes only (memory a
  // value not added never touches), so that adding values batch by batch does not copy them.
  void ReserveValues(size_t n) {
    groups_.reserve(GroupsFor(n));
    if (Tagged()) tags_.reserve(n);
  }
  size_t values_capacity() const { return groups_.capacity() << group_bits_; }
  // Empties the interner and keeps its memory (its table, references and blocks of text) for
  // the values that come next: a reader's table for a piece of a file, filled batch after batch,
  // then takes no fresh page for values no more than the last batch's.
  void Clear();
  // On an empty interner: gives `values` the ids 0, 1, … in order, hashing and indexing them in
  // parallel (a dataset cache's id tables). False, and the interner unusable, when a value is
  // listed twice. With `index` false the values are stored and not indexed, and not checked
  // for repeats: Get and size answer as usual, Find looks through them one by one, and the
  // first Intern indexes them (a table read by id only: a part of a split dataset before the
  // parts are joined).
  bool InternAllDistinct(const std::vector<std::string_view>& values, bool index = true);
  // The same, the values listed as the cache stores them: `n` u32 lengths one after another,
  // then their bytes one after another (neither need be aligned; the caller checked that the
  // lengths add up to the bytes there are). No value is copied but into the interner.
  bool InternAllDistinct(size_t n, const char* lengths, const char* text, bool index = true);
  // Interning every value of `parts`, part after part, each part's values in id order: each
  // part's map from its ids to the ids the serial loop would give, worked out in parallel (values
  // are grouped by the region of this table their lookup starts in, and each group looks its
  // values up and finds the first appearances of the new ones). A part may list a value more
  // than once (Append). Nothing is interned yet:
  // AddInOrder(parts, maps) does that, and may run while the maps are used. With `index` false
  // the table is left without its index afterwards (DropIndex), instead of placing every value
  // in it: for the last values added to a table no one looks up once the data is read.
  std::vector<std::vector<uint32_t>> MapAllInOrder(
      const std::vector<const StringInterner*>& parts) const;
  void AddInOrder(const std::vector<const StringInterner*>& parts,
                  const std::vector<std::vector<uint32_t>>& maps, bool index = true);

  // Frees the index: the values stay, read by id at once; Find looks through them one by one
  // and the next Intern or Reserve indexes them again (for a table no one looks up once the
  // data is read, such as the claim ids).
  void DropIndex() { slots_.clear(); }

 private:
  // A value is stored as its length (7 bits a byte, low bits first, the top bit set on every
  // byte but the last) and then its bytes. Values are stored in id order, and the values of a
  // group of ids (one id, or 16 with Lookup::kGrouped) one after another in one block: groups_
  // point at each group's first value, and a value is found by walking its group from there.
  // With its 32-bit hash (tags_) that is 12 bytes a value besides its text; grouped, with no
  // hash kept, half a byte: claim ids, nearly one per pharmacy line, are most of a dataset's
  // values.
  uint32_t GroupMask() const { return (1u << group_bits_) - 1; }
  size_t GroupsFor(size_t values) const { return (values + GroupMask()) >> group_bits_; }
  const char* At(uint32_t id) const {
    const char* p = groups_[id >> group_bits_];
    for (uint32_t k = id & GroupMask(); k != 0; --k) {
      const std::string_view v = Read(p);
      p = v.data() + v.size();
    }
    return p;
  }
  static std::string_view Read(const char* p) {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    size_t len = u[0] & 0x7Fu;
    int at = 1;
    for (int shift = 7; (u[at - 1] & 0x80u) != 0; shift += 7) {
      len |= size_t{u[at++] & 0x7Fu} << shift;
    }
    return {p + at, len};
  }
  // The table's key of a value: the upper 32 bits of HashBytes (its low bits pick the slot,
  // the others are the tag kept in the slot beside the id).
  static uint32_t KeyOf(std::string_view s) { return static_cast<uint32_t>(HashBytes(s) >> 32); }
  bool Tagged() const { return group_bits_ == 0; }  // tags_ kept
  // The keys of the values [first, last): tags_ there, or worked out into `scratch` (in
  // parallel when they are many).
  const uint32_t* KeysOf(uint32_t first, uint32_t last, std::vector<uint32_t>* scratch) const;
  static size_t StoredSize(size_t len);               // the length's bytes and the value's
  static char* Write(char* out, std::string_view s);  // returns the end
  void Store(std::string_view s);                     // as the value of id size()
  // Where the values of the group of id `first` before it are, in the last block: their bytes,
  // which a new block starts with (so that a group is in one block).
  std::string_view GroupStart(uint32_t first) const;
  template <class Equal>
  uint32_t FindWith(uint32_t h, const Equal& equal) const;  // equal(id): the value is id's
  uint32_t FindHashed(std::string_view s, uint32_t h) const;
  void FetchSlot(uint32_t h) const;  // asks for the slot of key `h` ahead of its use
  void Grow();
  void Rehash(size_t slots);  // a power of two, not crowded (at most three values in four)
  // Puts ids [first, last) into the table (on every thread when they are many). With
  // `check_distinct`, false when one of them equals a value already there.
  bool PlaceAll(uint32_t first, uint32_t last, bool check_distinct);
  struct KeyedId {  // a value's id and key, side by side
    uint32_t id;
    uint32_t key;
  };
  // The table read in regions of contiguous slots, each small enough to stay in a core's cache:
  // values looked up or placed region by region cost a cache miss a region instead of one a
  // value (a dataset's claim ids fill a table of a hundred megabytes and more). With no slots
  // yet, the regions are ranges of hashes.
  struct Regions {
    size_t count = 1;  // a power of two
    int shift = 0;
    uint32_t mask = 0;  // the table's slot mask, or all bits with no slots
    size_t Of(uint32_t key) const { return static_cast<size_t>((key & mask) >> shift); }
  };
  Regions TableRegions() const;
  // InternAllDistinct from `values(first, last, f)`, which calls f(i, value) for the values
  // [first, last) in order.
  template <class Values>
  bool StoreAll(size_t n, const Values& values, bool index);
  static constexpr size_t kStoreRun = 4096;  // StoreAll's values per task
  bool Indexed() const { return !slots_.empty() || size_ == 0; }

  struct Block {
    std::unique_ptr<char[]> bytes;
    size_t size = 0;
  };
  char* NewBlock(size_t size);  // a block of `size` bytes at least, a spare one if it fits
  std::vector<Block> blocks_;
  std::vector<Block> spare_;  // left by Clear, the first block last
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  std::vector<const char*> groups_;
  std::vector<uint32_t> tags_;  // KeyOf each value, kDirect only
  uint32_t size_ = 0;
  int group_bits_ = 0;  // log2 of a group's values
  // Open addressing with linear probing. With 2^b slots, a slot's low b bits hold id + 1 (0 =
  // empty; ids stay below the slots, three values in four at most) and its upper 32 - b bits
  // those of the value's key, whose low b bits picked the slot: most mismatches are rejected
  // without touching the strings, and a slot takes 4 bytes. Zeroed as calloc gives it: a large
  // table's pages are first touched by the threads that place the values.
  ZeroedArray<uint32_t> slots_;
};

}  // namespace valuepact
