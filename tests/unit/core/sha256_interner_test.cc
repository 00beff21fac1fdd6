#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "valuepact/core/interner.h"
#include "valuepact/core/sha256.h"
#include "valuepact/core/suggest.h"

namespace valuepact {
namespace {

TEST(Sha256, KnownVectors) {
  // FIPS 180-4 examples.
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 h;
  const std::string a(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.Update(a);
  EXPECT_EQ(h.FinishHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, LanesGiveEachInputItsOwnDigest) {
  // Lengths about the padding's edges (55, 56, 63, 64 bytes), inputs of unequal length hashed
  // together, and more inputs than lanes.
  const std::vector<size_t> sizes = {0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, 4103};
  std::mt19937 rng(7);
  std::string bytes(8192, '\0');
  for (auto& c : bytes) c = static_cast<char>(rng());
  for (size_t n = 0; n <= 2 * kSha256Lanes + 1; ++n) {
    for (size_t turn = 0; turn < sizes.size(); ++turn) {
      std::vector<std::string_view> in;
      for (size_t j = 0; j < n; ++j) {
        const size_t size = sizes[(turn + 3 * j) % sizes.size()];
        in.push_back(std::string_view(bytes).substr(j * 131, size));
      }
      std::vector<std::array<uint8_t, 32>> out(n);
      Sha256Lanes(in.data(), n, out.data());
      for (size_t j = 0; j < n; ++j) {
        Sha256 one;
        one.Update(in[j]);
        EXPECT_EQ(out[j], one.Finish())
            << n << " inputs, input " << j << " of " << in[j].size() << " bytes";
      }
    }
  }
  EXPECT_EQ(Sha256LanesInterleaved(), Sha256LanesInterleaved());  // decided once
}

TEST(StringInterner, DenseIdsInFirstAppearanceOrder) {
  StringInterner in;
  EXPECT_EQ(in.Intern("b"), 0u);
  EXPECT_EQ(in.Intern("a"), 1u);
  EXPECT_EQ(in.Intern("b"), 0u);
  EXPECT_EQ(in.Find("a"), 1u);
  EXPECT_EQ(in.Find("zz"), StringInterner::kNone);
  for (int i = 0; i < 100000; ++i) in.Intern("k" + std::to_string(i));
  EXPECT_EQ(in.size(), 100002u);
  EXPECT_EQ(in.Get(in.Find("k99999")), "k99999");
  EXPECT_EQ(in.Intern(""), 100002u);
}

TEST(StringInterner, StoresStringsOfAnySizeAcrossGrowingBlocks) {
  StringInterner in;
  EXPECT_EQ(in.Find("a"), StringInterner::kNone);  // nothing allocated yet
  std::vector<std::string> texts;
  for (int i = 0; i < 2000; ++i) {
    // Mixed sizes: small strings, strings larger than a first block, one of several MiB.
    const size_t n = i == 1000 ? (3u << 20) : (i % 97 == 0 ? 9000 : i % 13);
    texts.push_back(std::string(n, static_cast<char>('a' + i % 26)) + std::to_string(i));
  }
  for (size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(in.Intern(texts[i]), i);
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(in.Get(static_cast<uint32_t>(i)), texts[i]);  // earlier views stay valid
    EXPECT_EQ(in.Find(texts[i]), i);
  }
  StringInterner moved = std::move(in);
  EXPECT_EQ(moved.Get(1000), texts[1000]);
  StringInterner reserved;
  reserved.Reserve(10);
  EXPECT_EQ(reserved.Intern("x"), 0u);
  EXPECT_EQ(reserved.Find("x"), 0u);
}

// A value's length is stored before its bytes, 7 bits a byte: lengths on either side of each
// extra byte come back whole, whichever way the values were added.
// Cleared, an interner is empty (ids start again from 0, old values are not found) and stores
// the values that come next, shorter or longer than the blocks it kept, whole.
TEST(StringInterner, AClearedInternerStartsAgainAndStoresEveryValueWhole) {
  StringInterner s;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::string> values;
    for (int i = 0; i < 20000 * (round + 1); ++i) {
      values.push_back("r" + std::to_string(round) + "-" + std::to_string(i) +
                       std::string((i * 37) % 300, 'x'));
    }
    values.push_back(std::string(size_t{3} << 20, static_cast<char>('a' + round)));
    for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(s.Intern(values[i]), i);
    ASSERT_EQ(s.size(), values.size());
    for (size_t i = 0; i < values.size(); ++i)
      ASSERT_EQ(s.Get(static_cast<uint32_t>(i)), values[i]);
    EXPECT_EQ(s.Find(values[7]), 7u);
    s.Clear();
    EXPECT_EQ(s.size(), 0u);
    EXPECT_EQ(s.Find(values[7]), StringInterner::kNone);
  }
  EXPECT_EQ(s.Intern("again"), 0u);
  EXPECT_EQ(s.Get(0), "again");
}

TEST(StringInterner, LengthsAtTheEncodingBoundariesComeBackWhole) {
  std::vector<std::string> texts;
  for (size_t n : {size_t{0}, size_t{1}, size_t{127}, size_t{128}, size_t{129}, size_t{16383},
                   size_t{16384}, size_t{2097151}, size_t{2097152}}) {
    texts.push_back(std::string(n, 'x'));
  }
  StringInterner one_by_one, all_at_once, merged;
  std::vector<std::string_view> views(texts.begin(), texts.end());
  ASSERT_TRUE(all_at_once.InternAllDistinct(views));
  for (const auto& t : texts) one_by_one.Intern(t);
  const std::vector<const StringInterner*> parts = {&one_by_one};
  merged.AddInOrder(parts, merged.MapAllInOrder(parts));
  for (uint32_t i = 0; i < texts.size(); ++i) {
    for (const StringInterner* in : {&one_by_one, &all_at_once, &merged}) {
      EXPECT_EQ(in->Get(i).size(), texts[i].size());
      EXPECT_EQ(in->Get(i), texts[i]);
      EXPECT_EQ(in->Find(texts[i]), i);
    }
  }
}

TEST(StringInterner, InternAllDistinctGivesIdsInOrderAndStaysUsable) {
  std::vector<std::string> owned;
  for (int i = 0; i < 50000; ++i) owned.push_back("claim-" + std::to_string(i * 7919 % 100003));
  owned.push_back("");
  std::vector<std::string_view> values(owned.begin(), owned.end());
  StringInterner in;
  ASSERT_TRUE(in.InternAllDistinct(values));
  ASSERT_EQ(in.size(), values.size());
  for (uint32_t i = 0; i < values.size(); i += 997) {
    EXPECT_EQ(in.Get(i), values[i]);
    EXPECT_EQ(in.Find(values[i]), i);
  }
  EXPECT_EQ(in.Find(""), values.size() - 1);
  EXPECT_EQ(in.Intern("claim-5"), in.Find("claim-5"));  // already there
  EXPECT_EQ(in.Intern("new value"), values.size());     // the next id
  EXPECT_EQ(in.Find("new value"), values.size());

  StringInterner twice;
  values.push_back("claim-0");
  EXPECT_FALSE(twice.InternAllDistinct(values));
}

// Stored without an index: read by id at once; Find still answers (one by one); the first
// Intern or Reserve indexes them, and every later call finds them as an indexed table does.
TEST(StringInterner, ValuesStoredWithoutAnIndexAreIndexedWhenNeeded) {
  std::vector<std::string> owned;
  for (int i = 0; i < 20000; ++i) owned.push_back("m-" + std::to_string(i * 31 % 20011));
  std::vector<std::string_view> values(owned.begin(), owned.end());
  for (const bool by_intern : {true, false}) {
    StringInterner in;
    ASSERT_TRUE(in.InternAllDistinct(values, false));
    ASSERT_EQ(in.size(), values.size());
    EXPECT_EQ(in.Get(123), values[123]);
    EXPECT_EQ(in.Find(values[19999]), 19999u);
    EXPECT_EQ(in.Find("absent"), StringInterner::kNone);
    if (by_intern) {
      EXPECT_EQ(in.Intern(values[77]), 77u);  // indexes the stored values first
    } else {
      in.Reserve(10);
    }
    EXPECT_EQ(in.Intern("new"), values.size());
    for (uint32_t i = 0; i < values.size(); i += 101) EXPECT_EQ(in.Find(values[i]), i);
    EXPECT_EQ(in.Find("new"), values.size());
  }
  // An index dropped (the claim ids once the data is read) is built again when needed.
  StringInterner dropped;
  ASSERT_TRUE(dropped.InternAllDistinct(values));
  dropped.DropIndex();
  EXPECT_EQ(dropped.Get(5), values[5]);
  EXPECT_EQ(dropped.Find(values[4321]), 4321u);
  EXPECT_EQ(dropped.Intern(values[9]), 9u);
  EXPECT_EQ(dropped.Intern("newer"), values.size());
  EXPECT_EQ(dropped.Find(values[17]), 17u);
  // The listing form (a cache section) gives the same values.
  std::string lengths, text;
  for (auto v : values) {
    const auto n = static_cast<uint32_t>(v.size());
    lengths.append(reinterpret_cast<const char*>(&n), 4);
    text.append(v);
  }
  StringInterner listed;
  ASSERT_TRUE(listed.InternAllDistinct(values.size(), lengths.data(), text.data(), false));
  for (uint32_t i = 0; i < values.size(); i += 7) EXPECT_EQ(listed.Get(i), values[i]);
}

// Append lists a value whether or not it is there: each call takes the next id, the table keeps
// every value, and Find answers a value's first appearance, also after an indexed table turns
// into a list.
TEST(StringInterner, AppendListsValuesAgain) {
  StringInterner list;
  EXPECT_EQ(list.Intern("a"), 0u);
  EXPECT_EQ(list.Append("b"), 1u);
  EXPECT_EQ(list.Append("a"), 2u);
  EXPECT_EQ(list.Append("b"), 3u);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list.Get(2), "a");
  EXPECT_EQ(list.Find("a"), 0u);
  EXPECT_EQ(list.Find("b"), 1u);
  EXPECT_EQ(list.Find("c"), StringInterner::kNone);
}

// Parts merged in parallel get the ids the serial loop gives: values already interned keep
// theirs, values repeated within and across parts take the id of their first appearance (also
// when a part lists a value more than once), and the new values are stored in that order, once
// each, and can be found afterwards.
TEST(StringInterner, MapAllInOrderGivesTheSerialIds) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    const size_t nparts = 1 + rng() % 9;
    const size_t universe = 1 + rng() % 5000;  // small universes repeat values across parts
    std::vector<StringInterner> parts(nparts);
    const bool lists = round % 2 == 1;  // parts that list a value again (Append)
    for (auto& p : parts) {
      const size_t n = rng() % 3000;
      for (size_t i = 0; i < n; ++i) {
        const std::string v = "v" + std::to_string(rng() % universe);
        if (lists) {
          p.Append(v);
        } else {
          p.Intern(v);
        }
      }
    }
    if (round % 5 == 0) parts.emplace_back();  // an empty part
    StringInterner serial, parallel;
    for (size_t i = 0; i < rng() % 200; ++i) {  // values interned before
      const std::string v = "v" + std::to_string(rng() % universe);
      serial.Intern(v);
      parallel.Intern(v);
    }
    std::vector<std::vector<uint32_t>> want;
    for (const auto& p : parts) {
      want.emplace_back();
      for (uint32_t id = 0; id < p.size(); ++id) want.back().push_back(serial.Intern(p.Get(id)));
    }
    std::vector<const StringInterner*> views;
    for (const auto& p : parts) views.push_back(&p);
    const auto maps = parallel.MapAllInOrder(views);
    EXPECT_EQ(maps, want) << "round " << round;
    parallel.AddInOrder(views, maps);
    ASSERT_EQ(parallel.size(), serial.size());
    for (uint32_t id = 0; id < serial.size(); ++id) {
      EXPECT_EQ(parallel.Get(id), serial.Get(id));
      EXPECT_EQ(parallel.Find(serial.Get(id)), id);
    }
    EXPECT_EQ(parallel.Intern("a value never seen"), serial.size());
  }
}

// Values added without the index afterwards (the last claim ids a load adds) keep the ids and
// bytes of the serial loop; a later lookup finds them, and a later Intern indexes them again.
TEST(StringInterner, AddInOrderWithoutTheIndexKeepsTheSerialIds) {
  std::vector<StringInterner> parts(4);
  for (size_t k = 0; k < parts.size(); ++k) {
    for (int i = 0; i < 5000; ++i) {
      parts[k].Intern("rx-" + std::to_string((i * 31 + static_cast<int>(k) * 977) % 12000));
    }
  }
  std::vector<const StringInterner*> views;
  for (const auto& p : parts) views.push_back(&p);
  StringInterner serial, unindexed;
  for (const char* before : {"one", "two"}) {
    serial.Intern(before);
    unindexed.Intern(before);
  }
  for (const auto& p : parts) {
    for (uint32_t id = 0; id < p.size(); ++id) serial.Intern(p.Get(id));
  }
  unindexed.AddInOrder(views, unindexed.MapAllInOrder(views), false);
  ASSERT_EQ(unindexed.size(), serial.size());
  for (uint32_t id = 0; id < serial.size(); ++id) ASSERT_EQ(unindexed.Get(id), serial.Get(id));
  EXPECT_EQ(unindexed.Find(serial.Get(serial.size() - 1)), serial.size() - 1);
  EXPECT_EQ(unindexed.Find("never"), StringInterner::kNone);
  EXPECT_EQ(unindexed.Intern(serial.Get(7)), 7u);
  EXPECT_EQ(unindexed.Intern("after"), serial.size());
  EXPECT_EQ(unindexed.Find(serial.Get(serial.size() / 2)), serial.size() / 2);
}

// Values are kept in groups of consecutive ids (16 with Lookup::kGrouped, one otherwise), each
// group in one block: merges, single values and blocks that fill up start and end groups
// anywhere, and every value comes back whole, by id and in order (ForEach), and is found. A
// moved-from interner is empty.
TEST(StringInterner, ValuesAddedEveryWayComeBackWholeByIdAndInOrder) {
  for (const auto lookup : {StringInterner::Lookup::kGrouped, StringInterner::Lookup::kDirect}) {
    std::mt19937_64 rng(11);
    StringInterner in(lookup);
    std::vector<std::string> want;
    const auto value = [&](size_t i) {
      const size_t len = rng() % 7 == 0 ? 200 + rng() % 3000 : rng() % 20;  // some span blocks
      return std::string(len, static_cast<char>('a' + i % 26)) + "#" + std::to_string(i);
    };
    for (int round = 0; round < 30; ++round) {
      for (size_t i = rng() % 40; i > 0; --i) {  // single values: a group left part-filled
        want.push_back(value(want.size()));
        ASSERT_EQ(in.Intern(want.back()), want.size() - 1);
      }
      std::vector<StringInterner> parts(1 + rng() % 4);
      for (auto& p : parts) {
        for (size_t i = rng() % 50; i > 0; --i) {
          want.push_back(value(want.size()));
          p.Append(want.back());
        }
      }
      std::vector<const StringInterner*> views;
      for (const auto& p : parts) views.push_back(&p);
      in.AddInOrder(views, in.MapAllInOrder(views), round % 3 != 0);
      ASSERT_EQ(in.size(), want.size()) << round;
    }
    for (uint32_t id = 0; id < want.size(); ++id) {
      ASSERT_EQ(in.Get(id), want[id]) << id;
      ASSERT_EQ(in.Find(want[id]), id) << id;
    }
    const uint32_t from = in.size() / 3;
    uint32_t next = from;
    in.ForEach(from, in.size(), [&](uint32_t id, std::string_view v) {
      ASSERT_EQ(id, next++);
      ASSERT_EQ(v, want[id]);
    });
    EXPECT_EQ(next, in.size());
    StringInterner all(lookup);  // stored all at once (a cache's id table)
    ASSERT_TRUE(all.InternAllDistinct(std::vector<std::string_view>(want.begin(), want.end())));
    for (uint32_t id = 0; id < want.size(); id += 7) ASSERT_EQ(all.Get(id), want[id]) << id;
    StringInterner moved = std::move(in);
    EXPECT_EQ(moved.Get(5), want[5]);
    EXPECT_EQ(in.size(), 0u);  // NOLINT(bugprone-use-after-move): a moved-from one is empty
    EXPECT_EQ(in.Intern("again"), 0u);
    EXPECT_EQ(in.Get(0), "again");
  }
}

// Many values are placed in the table on every thread: merged into an empty interner (the
// table grows) and into one with room to spare (it does not, and is read in many regions), from
// parts that list values again, and interned all at once; the ids, the bytes and every lookup
// are those of the serial loop, and a repeated value is found.
TEST(StringInterner, ManyValuesPlacedInParallelKeepTheSerialIds) {
  std::vector<StringInterner> parts(3);
  for (size_t k = 0; k < parts.size(); ++k) {
    for (int i = 0; i < 60000; ++i) {
      const std::string v =
          "claim-" + std::to_string((i * 7919 + static_cast<int>(k) * 30011) % 150001);
      parts[k].Append(v);
      if (i % 5 == 0) parts[k].Append(v);  // listed twice in a row, as a claim's lines are
    }
  }
  std::vector<const StringInterner*> views;
  for (const auto& p : parts) views.push_back(&p);
  for (const auto [roomy, lookup] : {std::pair{false, StringInterner::Lookup::kDirect},
                                     std::pair{true, StringInterner::Lookup::kDirect},
                                     std::pair{false, StringInterner::Lookup::kGrouped},
                                     std::pair{true, StringInterner::Lookup::kGrouped}}) {
    StringInterner serial, parallel(lookup);
    if (roomy) parallel.Reserve(1 << 20);
    serial.Intern("before");
    parallel.Intern("before");
    for (const auto& p : parts) {
      for (uint32_t id = 0; id < p.size(); ++id) serial.Intern(p.Get(id));
    }
    const auto maps = parallel.MapAllInOrder(views);
    parallel.AddInOrder(views, maps);
    ASSERT_EQ(parallel.size(), serial.size()) << roomy;
    for (uint32_t id = 0; id < serial.size(); ++id) {
      ASSERT_EQ(parallel.Get(id), serial.Get(id)) << roomy;
      ASSERT_EQ(parallel.Find(serial.Get(id)), id) << roomy;
    }
    EXPECT_EQ(parallel.Intern("after"), serial.size());
  }
  std::vector<std::string> owned;
  for (int i = 0; i < 100000; ++i) owned.push_back("m" + std::to_string(i));
  std::vector<std::string_view> values(owned.begin(), owned.end());
  for (const auto lookup : {StringInterner::Lookup::kDirect, StringInterner::Lookup::kGrouped}) {
    StringInterner all(lookup);
    ASSERT_TRUE(all.InternAllDistinct(values));
    for (uint32_t i = 0; i < values.size(); ++i) ASSERT_EQ(all.Find(values[i]), i);
    std::vector<std::string_view> again = values;
    again.push_back("m77777");
    StringInterner twice(lookup);
    EXPECT_FALSE(twice.InternAllDistinct(again));
  }
}

// A slot keeps of a value's hash only the bits its id leaves: in a table of millions of slots,
// a few bits. Values whose kept bits match are told apart by their text, in a table filled
// every way, and a value not there is never found.
TEST(StringInterner, ALargeTableTellsApartValuesWhoseSlotsKeepFewHashBits) {
  constexpr int kValues = 1'600'000;  // 2^22 slots: 10 bits of each hash kept beside the id
  std::vector<std::string> owned;
  owned.reserve(kValues);
  for (int i = 0; i < kValues; ++i) owned.push_back("C" + std::to_string(i * 3));
  const std::vector<std::string_view> values(owned.begin(), owned.end());
  for (const auto lookup : {StringInterner::Lookup::kDirect, StringInterner::Lookup::kGrouped}) {
    StringInterner all(lookup);
    ASSERT_TRUE(all.InternAllDistinct(values));
    StringInterner one_by_one(lookup);
    for (int i = 0; i < kValues; ++i) ASSERT_EQ(one_by_one.Intern(values[i]), uint32_t(i));
    for (const StringInterner* in : {&all, &one_by_one}) {
      for (int i = 0; i < kValues; i += 3) ASSERT_EQ(in->Find(values[i]), uint32_t(i));
      for (int i = 1; i < 150'000; i += 3) {  // "C1", "C4", ...: none of them is there
        ASSERT_EQ(in->Find("C" + std::to_string(i)), StringInterner::kNone) << i;
      }
    }
    EXPECT_EQ(one_by_one.Intern("C3"), 1u);
    EXPECT_EQ(one_by_one.Intern("C1"), uint32_t(kValues));
  }
}

TEST(Suggest, NearestName) {
  EXPECT_EQ(NearestName("minimum_saving_rate", {"minimum_savings_rate", "sharing_rate"}),
            "minimum_savings_rate");
  EXPECT_EQ(NearestName("zzz", {"minimum_savings_rate"}), "");
  // Candidates whose length alone puts them out of reach are skipped, with the same answer.
  EXPECT_EQ(NearestName("rate", {"minimum_savings_rate", "rates", "date"}), "rates");
  EXPECT_EQ(NearestName(std::string(100000, 'k'), {"minimum_savings_rate", "sharing_rate"}), "");
}

}  // namespace
}  // namespace valuepact

namespace valuepact {
namespace {

// NearestName bounds its edit distance; it must choose what the full distance would choose.
TEST(Suggest, NearestNameAgreesWithTheFullEditDistance) {
  const std::vector<std::string> names = {
      "sharing_rate", "minimum_savings_rate", "savings_cap", "loss_cap", "rates",
      "date",         "benchmark_method",     "b",           ""};
  const std::vector<std::string> probes = {"sharng_rate",
                                           "minimum_saving_rate",
                                           "saving_cap",
                                           "los_cap",
                                           "rate",
                                           "dat",
                                           "benchmark",
                                           "a",
                                           "zzzzzzzz",
                                           "loss_caps",
                                           "sharing_rates_x",
                                           ""};
  for (const auto& p : probes) {
    std::string want;
    size_t best = std::max<size_t>(2, p.size() / 3) + 1;
    for (const auto& n : names) {
      const size_t d = EditDistance(p, n);
      if (d < best) {
        best = d;
        want = n;
      }
    }
    EXPECT_EQ(NearestName(p, names), want) << p;
  }
}

}  // namespace
}  // namespace valuepact
