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

TEST(Trace, DamagedTraceJsonIsAnInputErrorNotAnException) {
  // A trace.json edited by hand or cut short: each is refused with a message, none throws (a
  // non-text id used to escape as a JSON type exception and end `explain`).
  const char* bad[] = {
      "",
      "not json",
      "[1]",
      R"({"nodes": 3})",
      R"({"nodes": [3]})",
      R"({"nodes": [{"label": "no id"}]})",
      R"({"nodes": [{"id": 1}]})",
      R"({"nodes": [{"id": null}]})",
      R"({"nodes": [{"id": "a", "label": 5}]})",
      R"({"nodes": [{"id": "a", "value": ["1"]}]})",
  };
  for (const char* text : bad) {
    Result<Trace> t = InvalidInput("not read");
    EXPECT_NO_THROW(t = Trace::Parse(text)) << text;
    ASSERT_FALSE(t.ok()) << text;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidInput) << text;
  }
}

TEST(Trace, ParseReadsWhatToJsonWrote) {
  Trace t;
  t.AddMoney("m", "M", Money::FromCents(12345), "a + b", {"a", "b"}, "contract");
  t.AddCount("a", "A", 3, "members", "", {}, "data");
  auto back = Trace::Parse(t.ToJson().dump(2));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->ToJson(), t.ToJson());
  // Absent and null text fields read as empty; inputs that are not text are skipped.
  auto loose = Trace::Parse(R"({"nodes": [{"id": "x", "label": null, "inputs": ["a", 2]}]})");
  ASSERT_TRUE(loose.ok()) << loose.status().message();
  EXPECT_EQ(loose->Find("x")->label, "");
  EXPECT_EQ(loose->Find("x")->inputs, (std::vector<std::string>{"a"}));
}

}  // namespace
}  // namespace valuepact
