// Dataset::FinalizeMembers: each member's demographics from the span that starts last (spans
// that start the same day: the later row), a field it leaves empty from the spans before.
#include <string>

#include <gtest/gtest.h>

#include "spans.h"
#include "valuepact/dataset/dataset.h"

namespace valuepact {
namespace {

void AddSpan(Dataset* ds, const std::string& person, Date start, char sex, uint32_t dual) {
  testing::AddSpan(ds, person, start, start + 30, kNoCode, sex, dual);
}

Date Day(int y, unsigned m, unsigned d) { return Date::FromCivil(y, m, d); }

// `spread`: the years between the earliest and the latest start (a wide spread takes the
// comparison sort, a narrow one the count per day; both give the same order).
void ExpectLatestSpanWins(int spread) {
  Dataset ds;
  const int y = 2018;
  AddSpan(&ds, "A", Day(y, 3, 1), 'F', kNoCode);  // latest start: its sex, no dual status
  AddSpan(&ds, "A", Day(y, 1, 1), 'M', 7);        // earlier: its dual status stays
  AddSpan(&ds, "B", Day(y, 5, 1), 'M', 1);
  AddSpan(&ds, "B", Day(y, 5, 1), 'F', 2);  // same start, later row: wins
  AddSpan(&ds, "C", Day(y - spread, 1, 1), 'F', 3);
  AddSpan(&ds, "C", Day(y + spread, 1, 1), 'U', kNoCode);  // latest, empty: earlier values
  ds.FinalizeMembers();
  const auto id = [&](const char* p) { return ds.members.Find(p); };
  EXPECT_EQ(ds.member_info.sex[id("A")], 'F');
  EXPECT_EQ(ds.member_info.dual_status[id("A")], 7u);
  EXPECT_EQ(ds.member_info.sex[id("B")], 'F');
  EXPECT_EQ(ds.member_info.dual_status[id("B")], 2u);
  EXPECT_EQ(ds.member_info.sex[id("C")], 'F');
  EXPECT_EQ(ds.member_info.dual_status[id("C")], 3u);
}

TEST(FinalizeMembers, TheLatestSpanWinsStartsCloseTogether) { ExpectLatestSpanWins(0); }

TEST(FinalizeMembers, TheLatestSpanWinsStartsCenturiesApart) { ExpectLatestSpanWins(150); }

}  // namespace
}  // namespace valuepact
