// A scorecard field's tally (ingest/quality/scorecard_parts.h): a code column's validity is
// tested once a code and counted on every row, and tested again against other id tables or
// another test.
#include <gtest/gtest.h>

#include "ingest/quality/scorecard_parts.h"
#include "valuepact/ingest/quality/quality.h"

namespace valuepact::quality {
namespace {

int tests_run = 0;
bool CountedNpiTest(std::string_view v) {
  ++tests_run;
  return IsValidNpi(v);
}
bool ShortCode(std::string_view v) { return v.size() <= 3; }

TEST(FieldTallier, EachCodeIsTestedOnceAndCountedOnEveryRow) {
  tests_run = 0;
  Dataset a, b;
  const uint32_t good = a.codes.Intern("1234567893");  // a valid NPI
  const uint32_t bad = a.codes.Intern("1234567890");   // its check digit wrong
  ASSERT_EQ(b.codes.Intern("999"), good);              // the same id, another code
  FieldTallier f(a);
  for (uint64_t row = 0; row < 100; ++row) {
    f.Code(good, CountedNpiTest, row);
    f.Code(bad, CountedNpiTest, row);
    f.Code(kNoCode, CountedNpiTest, row);
  }
  EXPECT_EQ(tests_run, 2);
  // Another dataset's tables: id `good` is "999" there, and fails.
  f.Rebind(b);
  f.Code(good, CountedNpiTest, 100);
  EXPECT_EQ(tests_run, 3);
  // The same tables again: what was learned of them holds.
  f.Rebind(b);
  f.Code(good, CountedNpiTest, 101);
  EXPECT_EQ(tests_run, 3);
  // Another test of the same code: "999" is short enough.
  f.Code(good, ShortCode, 102);
  const FieldTally t = f.Take();
  EXPECT_EQ(t.rows, 303u);
  EXPECT_EQ(t.present, 203u);
  EXPECT_EQ(t.invalid, 102u);
  ASSERT_EQ(t.examples.size(), 2u);
  EXPECT_EQ(t.examples[0], (std::pair<uint64_t, std::string>{0, "1234567890"}));
  EXPECT_EQ(t.examples[1], (std::pair<uint64_t, std::string>{100, "999"}));
}

}  // namespace
}  // namespace valuepact::quality
