#include "valuepact/core/csv.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace valuepact {
namespace {

struct Rec {
  uint64_t line;
  std::vector<std::string> fields;
  bool malformed;
};

std::vector<Rec> ParseAll(std::string_view data, size_t chunks = 1) {
  std::vector<Rec> out;
  for (const auto& c : SplitCsvChunks(data, SkipBom(data), 1, chunks)) {
    CsvCursor cur(data, c);
    std::vector<std::string_view> f;
    uint64_t line = 0;
    std::string err;
    for (;;) {
      const auto o = cur.Next(&f, &line, &err);
      if (o == CsvCursor::Outcome::kEnd) break;
      Rec r{line, {}, o == CsvCursor::Outcome::kMalformed};
      for (auto v : f) r.fields.emplace_back(v);
      out.push_back(r);
    }
  }
  return out;
}

TEST(Csv, QuotedFieldsWithCommasQuotesAndNewlines) {
  const auto r = ParseAll("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(r[1].line, 2u);
  EXPECT_EQ(r[2].line, 4u);  // physical line numbers count the newline inside quotes
  EXPECT_EQ(r[2].fields, (std::vector<std::string>{"last", "", ""}));
}

TEST(Csv, CrLfBomAndMissingFinalNewline) {
  const auto r = ParseAll(
      "\xEF\xBB\xBF"
      "a,b\r\n1,2\r\n\"3\",4");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(r[2].fields, (std::vector<std::string>{"3", "4"}));
}

TEST(Csv, BlankLinesAreSkippedButCounted) {
  const auto r = ParseAll("a\n\n\nb\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].line, 4u);
}

TEST(Csv, UnterminatedQuoteAndTextAfterQuoteAreMalformed) {
  // An unclosed quote makes its own line malformed; the next line is read again as a record.
  auto r = ParseAll("a,b\n\"open,2\n3,4\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[1].malformed);
  EXPECT_EQ(r[1].line, 2u);
  EXPECT_FALSE(r[2].malformed);
  EXPECT_EQ(r[2].line, 3u);
  EXPECT_EQ(r[2].fields, (std::vector<std::string>{"3", "4"}));
  r = ParseAll("a,b\n\"x\"y,2\n3,4\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[1].malformed);
  EXPECT_FALSE(r[2].malformed);
}

TEST(Csv, ChunkedParsingEqualsSequentialParsing) {
  // Large input with quoted newlines near every chunk boundary.
  std::string s = "id,text\n";
  for (int i = 0; i < 200000; ++i) {
    s += std::to_string(i) + (i % 3 == 0 ? ",\"multi\nline, \"\"quoted\"\"\"\n" : ",plain\n");
  }
  const auto one = ParseAll(s, 1);
  const auto many = ParseAll(s, 16);
  ASSERT_EQ(one.size(), many.size());
  for (size_t i = 0; i < one.size(); ++i) {
    ASSERT_EQ(one[i].fields, many[i].fields) << i;
    ASSERT_EQ(one[i].line, many[i].line) << i;
  }
  EXPECT_GT(SplitCsvChunks(s, 0, 1, 16).size(), 1u);
}

// A split taken a few pieces at a time gives the chunks of the split taken at once, whatever
// the step, each chunk as soon as the piece it ends in is counted: with quoted newlines, a
// quoted field longer than a piece (pieces with no record start), and a stray quote that puts
// later cuts inside quoted fields.
TEST(Csv, ASplitTakenAFewPiecesAtATimeGivesTheSameChunks) {
  std::string s = "id,text\n";
  const size_t begin = s.size();
  for (int i = 0; i < 300000; ++i) {
    s += std::to_string(i) + (i % 3 == 0 ? ",\"multi\nline\"\n" : ",plain\n");
    if (i == 100000) s += "7,\"" + std::string(size_t{3} << 20, 'x') + "\"\n";
    if (i == 200000) s += "stray\"quote,x\n";
  }
  const auto whole = SplitCsvChunks(s, begin, 2, 24);
  EXPECT_LT(whole.size(), CsvSplitter(s, begin, 2, 24).pieces());  // pieces with no cut
  for (size_t step : {1, 2, 3, 100}) {
    CsvSplitter split(s, begin, 2, 24);
    EXPECT_EQ(split.begin(), begin);
    std::vector<CsvChunk> chunks;
    while (!split.done()) {
      split.Next(step, &chunks);
      for (const auto& c : chunks) ASSERT_LE(c.end, split.counted_end());
    }
    EXPECT_EQ(split.counted_end(), s.size());
    ASSERT_EQ(chunks.size(), whole.size()) << step;
    for (size_t i = 0; i < chunks.size(); ++i) {
      EXPECT_EQ(chunks[i].begin, whole[i].begin);
      EXPECT_EQ(chunks[i].end, whole[i].end);
      EXPECT_EQ(chunks[i].first_line, whole[i].first_line);
    }
  }
}

TEST(Csv, LongRecordsSplitAcrossBlocksKeepEveryField) {
  // Fields that cross sixteen-byte blocks, CRLF and LF ends, a carriage return inside a field
  // (kept: only the one before the newline ends the record), empty fields, and a quote late in
  // a long record (read as quoted from the record's start).
  const auto r = ParseAll(
      "a_rather_long_header,b,c,d_is_long_too\r\n"
      "0123456789abcdefghij,,x\ry,last field here\r\n"
      ",,,\n"
      "one two three four five six,\"seven, eight\",nine\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].fields,
            (std::vector<std::string>{"a_rather_long_header", "b", "c", "d_is_long_too"}));
  EXPECT_EQ(r[1].fields,
            (std::vector<std::string>{"0123456789abcdefghij", "", "x\ry", "last field here"}));
  EXPECT_EQ(r[2].fields, (std::vector<std::string>{"", "", "", ""}));
  EXPECT_EQ(r[3].fields,
            (std::vector<std::string>{"one two three four five six", "seven, eight", "nine"}));
  EXPECT_EQ(r[3].line, 4u);
}

// A record split on the fast path says whether it is plain ASCII (then valid UTF-8 without
// another look); any other record says nothing.
TEST(Csv, PlainAsciiRecordsAreMarked) {
  const std::string data =
      "an ascii record, long enough to split by blocks\n"
      "caf\xC3\xA9 is two bytes of UTF-8 past the first block\n"
      "caf\xE9 is one byte that is not UTF-8, past the first block\n"
      "\"quoted\",record that takes the general path\n";
  CsvCursor cur(data, {0, data.size(), 1});
  std::vector<std::string_view> f;
  uint64_t line = 0;
  std::string err;
  std::vector<bool> ascii;
  std::vector<bool> valid;
  while (cur.Next(&f, &line, &err) != CsvCursor::Outcome::kEnd) {
    ascii.push_back(cur.raw_is_ascii());
    valid.push_back(IsValidUtf8(cur.raw()));
  }
  EXPECT_EQ(ascii, (std::vector<bool>{true, false, false, false}));
  EXPECT_EQ(valid, (std::vector<bool>{true, true, false, true}));
}

TEST(Csv, UnquotedRecordsSplitAsAPlainSplitDoes) {
  // Many unquoted records of every length, against splitting each line on commas by hand.
  std::string s;
  std::vector<std::vector<std::string>> want;
  uint32_t seed = 7;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  for (int row = 0; row < 3000; ++row) {
    const size_t n = 1 + (next() >> 8) % 12;
    std::vector<std::string> fields;
    for (size_t f = 0; f < n; ++f) {
      fields.emplace_back((next() >> 8) % 23, static_cast<char>('a' + (row + f) % 26));
    }
    if (n == 1 && fields[0].empty()) fields[0] = "z";  // a blank line is no record
    for (size_t f = 0; f < n; ++f) s += (f > 0 ? "," : "") + fields[f];
    s += (next() >> 8) % 2 == 0 ? "\n" : "\r\n";
    want.push_back(fields);
  }
  for (size_t chunks : {1, 5}) {
    const auto r = ParseAll(s, chunks);
    ASSERT_EQ(r.size(), want.size());
    for (size_t i = 0; i < r.size(); ++i) {
      ASSERT_EQ(r[i].fields, want[i]) << i;
      ASSERT_EQ(r[i].line, i + 1) << i;
    }
  }
}

// A text of every kind of record the split meets: plain ones of all widths (empty fields,
// fields across sixteen-byte blocks, CRLF and LF), quoted ones (doubled quotes, commas and a
// newline inside), a stray quote, blank lines, a wide record and one without a final newline.
std::string MixedRecords() {
  std::string s = "h1,h2,h3\n";
  uint32_t seed = 11;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  for (int row = 0; row < 2000; ++row) {
    const size_t n = 1 + (next() >> 8) % 40;
    for (size_t f = 0; f < n; ++f) {
      if (f > 0) s += ',';
      s += std::string((next() >> 8) % 19, static_cast<char>('a' + (row + f) % 26));
    }
    switch ((next() >> 8) % 9) {
      case 0:
        s += ",\"quoted, \"\"doubled\"\"\nover a line\"";
        break;
      case 1:
        s += ",\"stray";
        break;
      case 2:
        s += "\n";
        break;
      default:
        break;
    }
    s += (next() >> 8) % 3 == 0 ? "\r\n" : "\n";
  }
  for (int f = 0; f < 300; ++f) s += fmt::format("{}w{}", f == 0 ? "" : ",", f);
  s += "\nno,final,newline";
  return s;
}

// What a cursor reads from `data` through CsvFields, a record a row of strings (its outcome
// first).
std::vector<std::vector<std::string>> ReadThroughFields(std::string_view data) {
  std::vector<std::vector<std::string>> out;
  CsvCursor cur(data, {0, data.size(), 1});
  CsvFields f;
  uint64_t line = 0;
  std::string err;
  for (;;) {
    const auto o = cur.Next(&f, &line, &err);
    if (o == CsvCursor::Outcome::kEnd) break;
    std::vector<std::string> row{fmt::format("{}:{}", line, static_cast<int>(o))};
    for (size_t k = 0; k < f.size(); ++k) row.emplace_back(f[k]);
    out.push_back(std::move(row));
  }
  return out;
}

// The fields a cursor holds are those it copies out, on the quick path and the general one.
TEST(Csv, FieldsHeldByTheCursorAreTheFieldsCopiedOut) {
  const std::string data = MixedRecords();
  const auto held = ReadThroughFields(data);
  const auto copied = ParseAll(data);
  ASSERT_EQ(held.size(), copied.size());
  for (size_t i = 0; i < held.size(); ++i) {
    const Rec& r = copied[i];
    EXPECT_EQ(held[i].front(), fmt::format("{}:{}", r.line, r.malformed ? 2 : 0)) << i;
    EXPECT_EQ(std::vector<std::string>(held[i].begin() + 1, held[i].end()), r.fields) << i;
  }
}

// The field ends of a block written all at once (AVX-512) or one by one give the same fields.
TEST(Csv, FieldEndsWrittenAtOnceOrOneByOneGiveTheSameFields) {
  const std::string data = MixedRecords();
  const bool was = UseWideCsvSplit(false);
  const auto one_by_one = ReadThroughFields(data);
  UseWideCsvSplit(true);
  const bool at_once_used = UseWideCsvSplit(true);  // set only where the processor has it
  const auto at_once = ReadThroughFields(data);
  UseWideCsvSplit(was);
  EXPECT_EQ(at_once, one_by_one);
  if (!at_once_used) GTEST_SKIP() << "this processor has no AVX-512: only one way was read";
}

// Records with more fields than the quick split starts with room for, up to the cap and one
// past it: each is split whole (the last near the cap by the general path), and the one past
// the cap is a malformed record, after which reading goes on.
TEST(Csv, RecordsOfManyFieldsUpToTheCap) {
  std::string data;
  const std::vector<size_t> counts{70, 1000, kMaxCsvFields - 20, kMaxCsvFields, kMaxCsvFields + 1};
  for (size_t n : counts) {
    for (size_t f = 0; f < n; ++f) data += f == 0 ? "v0" : fmt::format(",v{}", f % 7);
    data += '\n';
  }
  data += "after,the,cap\n";
  CsvCursor cur(data, {0, data.size(), 1});
  std::vector<std::string_view> f;
  uint64_t line = 0;
  std::string err;
  for (size_t k = 0; k + 1 < counts.size(); ++k) {
    ASSERT_EQ(cur.Next(&f, &line, &err), CsvCursor::Outcome::kRecord) << counts[k];
    ASSERT_EQ(f.size(), counts[k]);
    EXPECT_EQ(f.front(), "v0");
    EXPECT_EQ(f.back(), fmt::format("v{}", (counts[k] - 1) % 7));
    EXPECT_EQ(line, k + 1);
  }
  EXPECT_EQ(cur.Next(&f, &line, &err), CsvCursor::Outcome::kMalformed);
  ASSERT_EQ(cur.Next(&f, &line, &err), CsvCursor::Outcome::kRecord);
  EXPECT_EQ(f, (std::vector<std::string_view>{"after", "the", "cap"}));
  EXPECT_EQ(line, counts.size() + 1);
}

TEST(Csv, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain ascii text, long enough for the fast path"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));           // Latin-1
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
}

TEST(Csv, AppendFieldQuotesWhenNeeded) {
  std::string o;
  AppendCsvField(&o, "a,b");
  o += ',';
  AppendCsvField(&o, "say \"x\"");
  o += ',';
  AppendCsvField(&o, "plain");
  EXPECT_EQ(o, "\"a,b\",\"say \"\"x\"\"\",plain");
}

}  // namespace
}  // namespace valuepact

namespace valuepact {
namespace {

TEST(CsvTable, ReadsHeaderRowsAndLinesAndNamesABadRecord) {
  const auto t = ReadCsvTable("a,b\n1,\"x,y\"\n\n2,z\n", "t.csv");
  ASSERT_TRUE(t.ok) << t.error;
  EXPECT_EQ(t.table.Column("b"), 1);
  EXPECT_EQ(t.table.Column("c"), -1);
  ASSERT_EQ(t.table.rows.size(), 2u);
  EXPECT_EQ(t.table.rows[0][1], "x,y");
  EXPECT_EQ(t.table.lines[1], 4u);
  const auto short_row = ReadCsvTable("a,b\n1\n", "t.csv");
  EXPECT_FALSE(short_row.ok);
  EXPECT_EQ(short_row.error, "t.csv:2: 1 fields where the header has 2");
  EXPECT_FALSE(ReadCsvTable("", "e.csv").ok);
}

}  // namespace
}  // namespace valuepact
