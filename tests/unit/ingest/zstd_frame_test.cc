// One zstd frame from a file given whole or in pieces; frames of its segments one after another.
#include "valuepact/ingest/zstd_frame.h"

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>

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
  for (const auto& given : {pieces, std::vector<std::string_view>{all}}) {
    const std::string frame = ToZstdFrame(given, 1);
    ASSERT_FALSE(frame.empty());
    EXPECT_LT(frame.size(), all.size() / 2);
    auto back = FromZstdFrame(frame, all.size(), "frame");
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_TRUE(*back == all) << "pieces " << given.size();
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

// A large content as frames of its segments, one after another: read back whole, the same bytes
// on one thread or several, and refused when cut short or larger than the reader allows.
TEST(ZstdFrame, SegmentsAsFramesReadBackAsTheirContent) {
  std::string all;
  for (int i = 0; all.size() < (size_t{3} << 20) + 12345; ++i) {
    all += fmt::format("P{:08},{},{}\n", i, i % 89, i * 7);
  }
  const std::vector<std::string_view> pieces = {std::string_view(all).substr(0, 1000000),
                                                {},
                                                std::string_view(all).substr(1000000, 7),
                                                std::string_view(all).substr(1000007)};
  for (const size_t segment : {size_t{1} << 20, size_t{700001}, size_t{64} << 20}) {
    const std::string frames = ToZstdFrames(pieces, 1, segment);
    ASSERT_FALSE(frames.empty());
    auto back = FromZstdFrame(frames, all.size(), "frames");
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_TRUE(*back == all) << segment;
    std::string one_thread;
    {
      const tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
      one_thread = ToZstdFrames(pieces, 1, segment);
    }
    EXPECT_EQ(one_thread, frames) << segment;
    // Cut inside its last frame, or read with room for one byte less: refused.
    EXPECT_FALSE(
        FromZstdFrame(std::string_view(frames).substr(0, frames.size() - 3), all.size(), "cut")
            .ok());
    EXPECT_FALSE(FromZstdFrame(frames, all.size() - 1, "large").ok());
  }
  // A frame for each whole segment and one for the rest; one where the segment holds it all.
  const auto frames_in = [](std::string_view bytes) {
    int n = 0;
    for (; !bytes.empty(); ++n) {
      const size_t size = ZSTD_findFrameCompressedSize(bytes.data(), bytes.size());
      if (ZSTD_isError(size) != 0) return -1;
      bytes.remove_prefix(size);
    }
    return n;
  };
  EXPECT_EQ(frames_in(ToZstdFrames(pieces, 1, size_t{1} << 20)), 4);
  EXPECT_EQ(ToZstdFrames(pieces, 1, size_t{64} << 20), ToZstdFrame(pieces, 1));
  auto empty = FromZstdFrame(ToZstdFrames({}, 1, 1024), 0, "empty");
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace valuepact
