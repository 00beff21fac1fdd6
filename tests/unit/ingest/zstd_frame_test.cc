// One zstd frame from a file given whole or in pieces, with zstd's threads or without.
#include "valuepact/ingest/zstd_frame.h"

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace valuepact {
namespace {

TEST(ZstdFrame, PiecesGiveTheFrameOfTheirBytesInOrder) {
  std::string all;
  for (int i = 0; all.size() < (size_t{5} << 20); ++i) all += fmt::format("P{:08},{}\n", i, i % 97);
  // Uneven cuts, an empty piece among them, and none at all.
  const std::vector<std::string_view> pieces = {std::string_view(all).substr(0, 7),
                                                {},
                                                std::string_view(all).substr(7, 300000),
                                                std::string_view(all).substr(300007)};
  for (const int workers : {0, 2}) {
    for (const auto& given : {pieces, std::vector<std::string_view>{all}}) {
      const std::string frame = ToZstdFrame(given, 1, workers);
      ASSERT_FALSE(frame.empty());
      EXPECT_LT(frame.size(), all.size() / 2);
      auto back = FromZstdFrame(frame, all.size(), "frame");
      ASSERT_TRUE(back.ok()) << back.status().message();
      EXPECT_TRUE(*back == all) << "workers " << workers << ", pieces " << given.size();
    }
  }
  auto empty = FromZstdFrame(ToZstdFrame(std::vector<std::string_view>{}, 3), 10, "empty");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  // A file given whole, on the thread's context that has just made frames of pieces, is the
  // frame ZSTD_compress gives at its level (its last piece goes with the frame's end).
  const std::string_view small = std::string_view(all).substr(0, 4096);
  std::string expected(ZSTD_compressBound(small.size()), '\0');
  expected.resize(ZSTD_compress(expected.data(), expected.size(), small.data(), small.size(), 3));
  EXPECT_EQ(ToZstdFrame(small, 3), expected);
}

}  // namespace
}  // namespace valuepact
