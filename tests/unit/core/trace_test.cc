// Trace ids are unique: a second node under an existing id is rejected and reported.
#include "valuepact/core/trace.h"

#include <gtest/gtest.h>

namespace valuepact {
namespace {

TEST(Trace, AddingAnExistingIdIsRejectedAndReported) {
  Trace t;
  EXPECT_TRUE(t.Add({"a", "A", "input", "1", "count", {}, "test"}));
  EXPECT_TRUE(t.CheckUnique().ok());
  EXPECT_FALSE(t.Add({"a", "A again", "input", "2", "count", {}, "test"}));
  // The first node stays; the run that made the second fails.
  EXPECT_EQ(t.Find("a")->value, "1");
  EXPECT_EQ(t.nodes().size(), 1u);
  const Status s = t.CheckUnique();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("(a)"), std::string::npos) << s.message();
  t.AddMoney("m", "M", Money::FromCents(100), "x", {}, "test");
  t.AddMoney("m", "M", Money::FromCents(200), "x", {}, "test");
  EXPECT_EQ(t.Find("m")->value, "1.00");
}

}  // namespace
}  // namespace valuepact
