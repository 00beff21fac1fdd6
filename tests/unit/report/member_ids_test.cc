#include "valuepact/report/member_ids.h"

#include <gtest/gtest.h>

namespace valuepact {
namespace {

StringInterner Members() {
  StringInterner m;
  for (const char* id : {"1EG4TE5MK73", "P1", "A", "123", "1234567", "Ann", "ab-12_c"})
    m.Intern(id);
  return m;
}

TEST(MemberIdGuard, FindsWholeTokensOnly) {
  const StringInterner m = Members();
  const MemberIdGuard g(m);
  EXPECT_EQ(g.FindIn("risk.2024.P1.score"), "P1");
  EXPECT_EQ(g.FindIn("member 1EG4TE5MK73 has no months"), "1EG4TE5MK73");
  EXPECT_EQ(g.FindIn("id ab-12_c here"), "ab-12_c");
  EXPECT_EQ(g.FindIn("P10 and XP1 are other people"), "");
  // Words and small numbers are not looked for: they cannot be told from text.
  EXPECT_EQ(g.FindIn("A total of 123 members; Ann"), "");
  EXPECT_EQ(g.FindIn("1234567"), "1234567");
}

TEST(MemberIdGuard, RedactsTextButNotNumbers) {
  const StringInterner m = Members();
  const MemberIdGuard g(m);
  std::string text = "P1 and 1EG4TE5MK73, not P10";
  EXPECT_EQ(g.Redact(&text), 2u);
  EXPECT_EQ(text, "[member] and [member], not P10");
  nlohmann::ordered_json j = {
      {"notes", {"eligibility of P1 ends after death"}}, {"total", "1234567"}, {"count", 3}};
  EXPECT_EQ(g.Redact(&j), 1u);
  EXPECT_EQ(j["notes"][0], "eligibility of [member] ends after death");
  EXPECT_EQ(j["total"], "1234567");  // a figure is never rewritten
  EXPECT_EQ(g.FindIn(j.dump()), "1234567");
}

}  // namespace
}  // namespace valuepact
