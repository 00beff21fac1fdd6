#include "valuepact/core/interner.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include <tbb/parallel_for.h>

namespace valuepact {

uint64_t HashBytes(std::string_view s) {
  // FNV-1a over 8-byte words with a final mix; stable across runs and platforms.
  uint64_t h = 0xcbf29ce484222325ULL ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
  }
  for (; i < s.size(); ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 0x100000001b3ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

namespace {
// A new interner holds no memory; the first Intern allocates a small table and a small block,
// both growing geometrically, so an interner that sees a few strings (one per reader call, per
// test or per fuzz input) costs a few hundred bytes instead of a zero-filled megabyte.
constexpr size_t kFirstSlots = 64;     // a power of two
constexpr size_t kFirstBlock = 256;    // bytes of string storage in the first block
constexpr size_t kMaxBlock = 1 << 20;  // later blocks double up to this size

// A table holds at most three values for every four slots: probing stays short at that load,
// each slot carrying the upper bits of its value's hash, and the table of the claim ids, the
// largest, takes half the memory it would at one value for two slots.
bool Crowded(size_t values, size_t slots) { return values * 4 + 4 > slots * 3; }
// The slots for `values`: `from`, doubled until they are not crowded.
size_t SlotsFor(size_t values, size_t from = kFirstSlots) {
  while (Crowded(values, from)) from *= 2;
  return from;
}
}  // namespace

StringInterner::StringInterner() = default;

StringInterner& StringInterner::operator=(StringInterner&& o) noexcept {
  blocks_ = std::move(o.blocks_);
  spare_ = std::move(o.spare_);
  block_used_ = std::exchange(o.block_used_, 0);
  block_size_ = std::exchange(o.block_size_, 0);
  groups_ = std::move(o.groups_);
  tags_ = std::move(o.tags_);
  size_ = std::exchange(o.size_, 0);
  group_bits_ = o.group_bits_;
  slots_ = std::move(o.slots_);
  o.blocks_.clear();
  o.spare_.clear();
  o.groups_.clear();
  o.tags_.clear();
  o.slots_.clear();
  return *this;
}

void StringInterner::Reserve(size_t n) {
  ReserveValues(n);
  const bool unindexed = !Indexed();
  if (slots_.empty()) slots_ = ZeroedArray<uint32_t>(kFirstSlots);
  size_t want = SlotsFor(n, slots_.size());
  if (unindexed) {  // stored without an index (InternAllDistinct): index them now
    Rehash(SlotsFor(size_, want));
  } else if (want > slots_.size()) {
    Rehash(want);
  }
}

size_t StringInterner::StoredSize(size_t len) {
  size_t n = 1;
  for (size_t rest = len >> 7; rest != 0; rest >>= 7) ++n;
  return n + len;
}

char* StringInterner::Write(char* out, std::string_view s) {
  size_t len = s.size();
  for (; len >= 0x80; len >>= 7) *out++ = static_cast<char>((len & 0x7Fu) | 0x80u);
  *out++ = static_cast<char>(len);
  if (!s.empty()) std::memcpy(out, s.data(), s.size());
  return out + s.size();
}

char* StringInterner::NewBlock(size_t size) {
  if (!spare_.empty() && spare_.back().size >= size) {
    blocks_.push_back(std::move(spare_.back()));
    spare_.pop_back();
  } else {
    // The bytes are written before they are read: no need to zero-fill the block.
    blocks_.push_back(Block{std::make_unique_for_overwrite<char[]>(size), size});
  }
  block_size_ = blocks_.back().size;
  block_used_ = 0;
  return blocks_.back().bytes.get();
}

std::string_view StringInterner::GroupStart(uint32_t first) const {
  if ((first & GroupMask()) == 0) return {};
  const char* from = groups_[first >> group_bits_];
  const char* end = blocks_.back().bytes.get() + block_used_;
  return {from, static_cast<size_t>(end - from)};
}

void StringInterner::Store(std::string_view s) {
  const uint32_t id = size_;
  const size_t need = StoredSize(s.size());
  if (blocks_.empty() || block_used_ + need > block_size_) {
    // The group's values so far move to the new block with it.
    const std::string_view group = blocks_.empty() ? std::string_view{} : GroupStart(id);
    const size_t next = blocks_.empty() ? kFirstBlock : std::min(block_size_ * 2, kMaxBlock);
    char* base = NewBlock(std::max(next, group.size() + need));
    if (!group.empty()) {
      std::memcpy(base, group.data(), group.size());
      groups_[id >> group_bits_] = base;
      block_used_ = group.size();
    }
  }
  char* p = blocks_.back().bytes.get() + block_used_;
  block_used_ += need;
  Write(p, s);
  if ((id & GroupMask()) == 0) groups_.push_back(p);
  ++size_;
}

void StringInterner::Clear() {
  groups_.clear();
  size_ = 0;
  tags_.clear();
  std::fill(slots_.begin(), slots_.end(), 0);
  for (auto b = blocks_.rbegin(); b != blocks_.rend(); ++b) spare_.push_back(std::move(*b));
  blocks_.clear();
  block_used_ = block_size_ = 0;
}

namespace {
// A slot of a table whose slot mask is `mask` (StringInterner::slots_).
inline uint32_t Slot(uint32_t key, uint32_t id, uint32_t mask) { return (key & ~mask) | (id + 1); }
inline uint32_t SlotId(uint32_t slot, uint32_t mask) { return (slot & mask) - 1; }
inline bool TagMatches(uint32_t slot, uint32_t key, uint32_t mask) {
  return ((slot ^ key) & ~mask) == 0;
}
}  // namespace

void StringInterner::Grow() { Rehash(slots_.size() * 2); }

void StringInterner::Rehash(size_t slots) {
  slots_ = ZeroedArray<uint32_t>(slots);
  PlaceAll(0, size(), false);
}

namespace {
// Below this many values, placing them in the table is quicker on one thread.
constexpr uint32_t kParallelPlacing = 1 << 16;
}  // namespace

namespace {
// Values looked up or placed this many ahead have their slot fetched from memory first: a
// large table's slots are nearly all cache misses, and the fetches overlap.
constexpr uint32_t kFetchAhead = 16;
}  // namespace

void StringInterner::FetchSlot(uint32_t h) const {
  if (!slots_.empty()) __builtin_prefetch(slots_.data() + (h & (slots_.size() - 1)));
}

namespace {
// A region of the table is read in about this many bytes of slots (half of a core's L2 cache on
// the machines measured), and a table has at least kMinRegions, so that every thread has some.
constexpr size_t kRegionBytes = size_t{1} << 20;
constexpr size_t kMinRegions = 64;
int Log2(size_t power_of_two) { return __builtin_ctzll(power_of_two); }
}  // namespace

StringInterner::Regions StringInterner::TableRegions() const {
  Regions r;
  if (slots_.empty()) {
    r.count = kMinRegions;
    r.mask = ~uint32_t{0};
    r.shift = 32 - Log2(r.count);
    return r;
  }
  const size_t slots = slots_.size();
  r.count = std::min(slots, std::max(kMinRegions, slots * sizeof(slots_[0]) / kRegionBytes));
  r.mask = static_cast<uint32_t>(slots - 1);
  r.shift = Log2(slots) - Log2(r.count);
  return r;
}

bool StringInterner::PlaceAll(uint32_t first, uint32_t last, bool check_distinct) {
  const auto mask = static_cast<uint32_t>(slots_.size() - 1);
  std::vector<uint32_t> scratch;
  const uint32_t* const keys = KeysOf(first, last, &scratch);
  const auto key = [&](uint32_t id) { return keys[id - first]; };
  if (last - first < kParallelPlacing) {
    for (uint32_t id = first; id < last; ++id) {
      if (id + kFetchAhead < last) FetchSlot(key(id + kFetchAhead));
      const uint32_t h = key(id);
      uint32_t i = h & mask;
      for (; slots_[i] != 0; i = (i + 1) & mask) {
        if (check_distinct && TagMatches(slots_[i], h, mask) &&
            Get(SlotId(slots_[i], mask)) == Get(id)) {
          return false;
        }
      }
      slots_[i] = Slot(h, id, mask);
    }
    return true;
  }
  // Each value claims the first empty slot of its probe sequence; with `check_distinct`, one
  // that meets an equal value already placed there (whoever got there first) is a duplicate.
  // Where each value lands may differ from run to run; which id a value has never does.
  // The ids in order of the region they land in (a counting sort), placed region by region.
  const Regions regions = TableRegions();
  std::vector<uint32_t> start(regions.count + 1, 0);
  for (uint32_t id = first; id < last; ++id) ++start[regions.Of(key(id)) + 1];
  for (size_t g = 0; g < regions.count; ++g) start[g + 1] += start[g];
  // Each id with its key, so that the walk below reads them in order rather than the keys at
  // random.
  std::vector<KeyedId> order(last - first);
  {
    std::vector<uint32_t> at(start.begin(), start.end() - 1);
    for (uint32_t id = first; id < last; ++id) order[at[regions.Of(key(id))]++] = {id, key(id)};
  }
  std::atomic<bool> distinct{true};
  tbb::parallel_for(size_t{0}, regions.count, [&](size_t g) {
    for (uint32_t j = start[g]; j < start[g + 1]; ++j) {
      if (j + kFetchAhead < start[g + 1]) FetchSlot(order[j + kFetchAhead].key);
      const uint32_t id = order[j].id;
      const uint32_t h = order[j].key;
      const uint32_t mine = Slot(h, id, mask);
      for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        std::atomic_ref<uint32_t> slot(slots_[i]);
        uint32_t v = slot.load(std::memory_order_relaxed);
        if (v == 0 && slot.compare_exchange_strong(v, mine, std::memory_order_relaxed)) break;
        if (check_distinct && TagMatches(v, h, mask) && Get(SlotId(v, mask)) == Get(id)) {
          distinct.store(false, std::memory_order_relaxed);
          break;
        }
      }
    }
  });
  return distinct.load();
}

const uint32_t* StringInterner::KeysOf(uint32_t first, uint32_t last,
                                       std::vector<uint32_t>* scratch) const {
  if (Tagged()) return tags_.data() + first;
  scratch->resize(last - first);
  uint32_t* const out = scratch->data();
  const auto fill = [&](uint32_t from, uint32_t to) {
    ForEach(from, to, [&](uint32_t id, std::string_view v) { out[id - first] = KeyOf(v); });
  };
  if (last - first < kParallelPlacing) {
    fill(first, last);
    return out;
  }
  const size_t runs = (last - first + kStoreRun - 1) / kStoreRun;
  tbb::parallel_for(size_t{0}, runs, [&](size_t r) {
    const auto from = static_cast<uint32_t>(first + r * kStoreRun);
    fill(from, static_cast<uint32_t>(std::min<size_t>(last, from + kStoreRun)));
  });
  return out;
}

uint32_t StringInterner::Find(std::string_view s) const { return FindHashed(s, KeyOf(s)); }

uint32_t StringInterner::FindHashed(std::string_view s, uint32_t h) const {
  return FindWith(h, [&](uint32_t id) { return Get(id) == s; });
}

template <class Equal>
uint32_t StringInterner::FindWith(uint32_t h, const Equal& equal) const {
  if (!Indexed()) {  // stored without an index (InternAllDistinct): one by one
    uint32_t found = kNone;
    ForEach(0, size(), [&](uint32_t id, std::string_view v) {
      if (found == kNone && (Tagged() ? tags_[id] : KeyOf(v)) == h && equal(id)) found = id;
    });
    return found;
  }
  if (slots_.empty()) return kNone;
  const auto mask = static_cast<uint32_t>(slots_.size() - 1);
  for (uint32_t i = h & mask;; i = (i + 1) & mask) {
    const uint32_t v = slots_[i];
    if (v == 0) return kNone;
    if (TagMatches(v, h, mask) && equal(SlotId(v, mask))) return SlotId(v, mask);
  }
}

uint32_t StringInterner::Append(std::string_view s) {
  if (!slots_.empty()) DropIndex();  // a table with an index is a list from now on
  const uint32_t id = size_;
  Store(s);
  if (Tagged()) tags_.push_back(KeyOf(s));
  return id;
}

uint32_t StringInterner::Intern(std::string_view s) {
  if (!Indexed()) {  // stored without an index (InternAllDistinct): index them first
    Rehash(SlotsFor(size()));
  }
  if (slots_.empty()) slots_ = ZeroedArray<uint32_t>(kFirstSlots);
  const uint32_t h = KeyOf(s);
  const auto mask = static_cast<uint32_t>(slots_.size() - 1);
  uint32_t i = h & mask;
  for (;; i = (i + 1) & mask) {
    const uint32_t v = slots_[i];
    if (v == 0) break;
    if (TagMatches(v, h, mask) && Get(SlotId(v, mask)) == s) return SlotId(v, mask);
  }
  const uint32_t id = size_;
  Store(s);
  if (Tagged()) tags_.push_back(h);
  slots_[i] = Slot(h, id, mask);
  if (Crowded(size_, slots_.size())) Grow();
  return id;
}

namespace {

// Where a value stands among the parts: part << 32 | id.
inline uint64_t PartRef(size_t part, uint32_t id) { return (uint64_t{part} << 32) | id; }
constexpr uint32_t kPending = StringInterner::kNone;

// The values of one region not already interned, in part order: which part and id holds each
// value's first appearance.
class FirstAppearances {
 public:
  // keys[k][id]: the key of part k's value id.
  FirstAppearances(const std::vector<const StringInterner*>& parts,
                   const std::vector<const uint32_t*>& keys, size_t values)
      : parts_(parts), keys_(keys) {
    size_t size = 16;
    while (size < values * 2 + 2) size *= 2;
    slots_ = ZeroedArray<uint64_t>(size);
  }
  // The first appearance of part `k`'s value `id`, whose key is `h`: itself when new.
  uint64_t FirstOf(size_t k, uint32_t id, uint32_t h) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const uint64_t slot = slots_[i];
      if (slot == 0) {
        slots_[i] = PartRef(k, id) + 1;
        return PartRef(k, id);
      }
      const uint64_t ref = slot - 1;
      const StringInterner* other = parts_[ref >> 32];
      const auto other_id = static_cast<uint32_t>(ref);
      if (keys_[ref >> 32][other_id] == h && other->Get(other_id) == parts_[k]->Get(id)) return ref;
    }
  }

 private:
  const std::vector<const StringInterner*>& parts_;
  const std::vector<const uint32_t*>& keys_;
  ZeroedArray<uint64_t> slots_;
};

}  // namespace

std::vector<std::vector<uint32_t>> StringInterner::MapAllInOrder(
    const std::vector<const StringInterner*>& parts) const {
  const size_t nparts = parts.size();
  const Regions regions = TableRegions();
  std::vector<std::vector<uint32_t>> maps(nparts);
  // 1. Each part's values grouped by the region of the table their lookup starts in, each with
  // its key (read in order here, and then in order again group by group).
  std::vector<std::vector<std::vector<KeyedId>>> grouped(nparts);
  std::vector<std::vector<uint32_t>> scratch(nparts);
  std::vector<const uint32_t*> keys(nparts);
  tbb::parallel_for(size_t{0}, nparts, [&](size_t k) {
    const StringInterner& p = *parts[k];
    keys[k] = p.KeysOf(0, p.size(), &scratch[k]);
    maps[k].resize(p.size());
    grouped[k].resize(regions.count);
    for (uint32_t id = 0; id < p.size(); ++id) {
      grouped[k][regions.Of(keys[k][id])].push_back({id, keys[k][id]});
    }
  });
  // 2. Each group, walked in part order: values already here take their ids, and the others
  // find their first appearance (within a part too, when it lists a value again).
  std::vector<std::vector<uint64_t>> first(nparts);
  for (size_t k = 0; k < nparts; ++k) first[k].assign(parts[k]->size(), 0);
  tbb::parallel_for(size_t{0}, regions.count, [&](size_t g) {
    size_t values = 0;
    for (size_t k = 0; k < nparts; ++k) values += grouped[k][g].size();
    if (values == 0) return;
    std::optional<FirstAppearances> group;  // made when the first new value comes
    for (size_t k = 0; k < nparts; ++k) {
      const StringInterner& p = *parts[k];
      const std::vector<KeyedId>& ids = grouped[k][g];
      for (size_t j = 0; j < ids.size(); ++j) {
        if (j + kFetchAhead < ids.size()) FetchSlot(ids[j + kFetchAhead].key);
        const uint32_t id = ids[j].id, h = ids[j].key;
        const uint32_t here = FindWith(h, [&](uint32_t mine) { return Get(mine) == p.Get(id); });
        if (here != kNone) {
          maps[k][id] = here;
          continue;
        }
        if (!group) group.emplace(parts, keys, values);
        first[k][id] = group->FirstOf(k, id, h);
        maps[k][id] = kPending;
      }
    }
  });
  grouped.clear();
  // 3. First appearances take new ids in part order, then id order.
  std::vector<uint32_t> base(nparts + 1, size());
  std::vector<uint32_t> fresh(nparts, 0);
  tbb::parallel_for(size_t{0}, nparts, [&](size_t k) {
    for (uint32_t id = 0; id < parts[k]->size(); ++id) {
      fresh[k] += maps[k][id] == kPending && first[k][id] == PartRef(k, id);
    }
  });
  for (size_t k = 0; k < nparts; ++k) base[k + 1] = base[k] + fresh[k];
  tbb::parallel_for(size_t{0}, nparts, [&](size_t k) {
    uint32_t next = base[k];
    for (uint32_t id = 0; id < parts[k]->size(); ++id) {
      if (maps[k][id] == kPending && first[k][id] == PartRef(k, id)) maps[k][id] = next++;
    }
  });
  // 4. Later appearances take the id of the first.
  tbb::parallel_for(size_t{0}, nparts, [&](size_t k) {
    for (uint32_t id = 0; id < parts[k]->size(); ++id) {
      if (maps[k][id] != kPending) continue;
      const uint64_t ref = first[k][id];
      maps[k][id] = maps[ref >> 32][static_cast<uint32_t>(ref)];
    }
  });
  return maps;
}

void StringInterner::AddInOrder(const std::vector<const StringInterner*>& parts,
                                const std::vector<std::vector<uint32_t>>& maps, bool index) {
  // Part k's first appearances took the ids [first[k], first[k + 1]) in its id order
  // (MapAllInOrder); its other values have ids below first[k], or repeat one of those.
  const size_t nparts = parts.size();
  std::vector<uint32_t> top(nparts, 0);
  std::vector<size_t> bytes(nparts, 0);
  tbb::parallel_for(size_t{0}, nparts, [&](size_t k) {
    for (uint32_t id : maps[k]) top[k] = std::max(top[k], id + 1);
  });
  std::vector<uint32_t> first(nparts + 1, size());
  for (size_t k = 0; k < nparts; ++k) first[k + 1] = std::max(first[k], top[k]);
  const uint32_t old = size(), total = first[nparts];
  if (total == old) return;
  // Part k's new values, in its id order: its ids mapped to first[k], first[k] + 1, ... (a
  // value the part lists again maps to the id it took already).
  const auto each_new = [&](size_t k, const auto& f) {
    uint32_t next = first[k];
    parts[k]->ForEach(0, parts[k]->size(), [&](uint32_t id, std::string_view v) {
      if (maps[k][id] == next) f(id, next++, v);
    });
  };
  tbb::parallel_for(size_t{0}, nparts, [&](size_t k) {
    each_new(k, [&](uint32_t, uint32_t, std::string_view v) { bytes[k] += StoredSize(v.size()); });
  });
  // Their bytes in one new block, in id order, after those of the values of the last group
  // that are here already; part by part.
  const std::string_view group = GroupStart(old);
  std::vector<size_t> at(nparts + 1, group.size());
  for (size_t k = 0; k < nparts; ++k) at[k + 1] = at[k] + bytes[k];
  char* const base = NewBlock(std::max(at[nparts], kFirstBlock));
  block_used_ = at[nparts];
  if (!group.empty()) {
    std::memcpy(base, group.data(), group.size());
    groups_[old >> group_bits_] = base;
  }
  groups_.resize(GroupsFor(total));
  if (Tagged()) tags_.resize(total);
  size_ = total;
  tbb::parallel_for(size_t{0}, nparts, [&](size_t k) {
    char* out = base + at[k];
    std::vector<uint32_t> scratch;
    const uint32_t* keys = Tagged() ? parts[k]->KeysOf(0, parts[k]->size(), &scratch) : nullptr;
    each_new(k, [&](uint32_t id, uint32_t mine, std::string_view v) {
      if ((mine & GroupMask()) == 0) groups_[mine >> group_bits_] = out;
      if (keys != nullptr) tags_[mine] = keys[id];
      out = Write(out, v);
    });
  });
  if (!index) {
    DropIndex();
    return;
  }
  // The table: grown (every value placed again), or the new values placed.
  const size_t slots = SlotsFor(total, std::max(slots_.size(), kFirstSlots));
  if (slots != slots_.size()) {
    Rehash(slots);
  } else {
    PlaceAll(old, total, false);
  }
}

template <class Values>
bool StringInterner::StoreAll(size_t n, const Values& values, bool index) {
  if (size_ != 0) return false;
  // Values in runs of kStoreRun: where each run's values are stored (no offset per value is
  // held).
  constexpr size_t kRun = kStoreRun;
  const size_t runs = (n + kRun - 1) / kRun;
  const auto run_end = [n](size_t r) { return std::min(n, (r + 1) * kRun); };
  std::vector<size_t> stored(runs + 1, 0);
  tbb::parallel_for(size_t{0}, runs, [&](size_t r) {
    values(r * kRun, run_end(r),
           [&](size_t, std::string_view v) { stored[r + 1] += StoredSize(v.size()); });
  });
  for (size_t r = 0; r < runs; ++r) stored[r + 1] += stored[r];
  // One block holds every value (written before it is read: not zero-filled).
  char* const base = NewBlock(std::max<size_t>(stored[runs], 1));
  block_used_ = stored[runs];
  groups_.resize(GroupsFor(n));
  if (Tagged()) tags_.resize(n);
  size_ = static_cast<uint32_t>(n);
  static_assert(kRun % (size_t{1} << kGroupBits) == 0, "a run starts a group");
  tbb::parallel_for(size_t{0}, runs, [&](size_t r) {
    char* out = base + stored[r];
    values(r * kRun, run_end(r), [&](size_t i, std::string_view v) {
      if ((i & GroupMask()) == 0) groups_[i >> group_bits_] = out;
      if (Tagged()) tags_[i] = KeyOf(v);
      out = Write(out, v);
    });
  });
  if (!index) return true;
  slots_ = ZeroedArray<uint32_t>(SlotsFor(n));
  return PlaceAll(0, static_cast<uint32_t>(n), true);
}

bool StringInterner::InternAllDistinct(const std::vector<std::string_view>& values, bool index) {
  return StoreAll(
      values.size(),
      [&values](size_t first, size_t last, const auto& f) {
        for (size_t i = first; i < last; ++i) f(i, values[i]);
      },
      index);
}

bool StringInterner::InternAllDistinct(size_t n, const char* lengths, const char* text,
                                       bool index) {
  const auto length = [lengths](size_t i) {
    uint32_t len = 0;
    std::memcpy(&len, lengths + 4 * i, 4);
    return size_t{len};
  };
  // Where each run of values starts in `text` (the runs of StoreAll).
  constexpr size_t kRun = kStoreRun;
  const size_t runs = (n + kRun - 1) / kRun;
  std::vector<size_t> listed(runs + 1, 0);
  tbb::parallel_for(size_t{0}, runs, [&](size_t r) {
    for (size_t i = r * kRun; i < std::min(n, (r + 1) * kRun); ++i) listed[r + 1] += length(i);
  });
  for (size_t r = 0; r < runs; ++r) listed[r + 1] += listed[r];
  return StoreAll(
      n,
      [&](size_t first, size_t last, const auto& f) {
        const char* in = text + listed[first / kRun];
        for (size_t i = first; i < last; ++i) {
          f(i, std::string_view(in, length(i)));
          in += length(i);
        }
      },
      index);
}

}  // namespace valuepact
