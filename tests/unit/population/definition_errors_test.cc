// Malformed definitions give the definition's name, line and column, and a suggestion.
#include <gtest/gtest.h>

#include "valuepact/population/definition.h"

namespace valuepact::population {
namespace {

ValueSetLibrary Sets() {
  ValueSetLibrary lib;
  EXPECT_TRUE(
      lib.LoadCsv("value_set,code_system,code\nheart_failure,icd-10-cm,I50*\n", "v.csv").ok());
  return lib;
}

DefinitionError ErrorOf(const std::string& text,
                        std::map<std::string, std::string> defs = {{"serious_illness", "true"}}) {
  DefinitionError e;
  auto p = Compile(defs, {{"eligible", text}}, Sets(), &e);
  EXPECT_FALSE(p.ok()) << text;
  if (!p.ok()) {
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(p.status().message(), e.ToString());
  }
  return e;
}

TEST(DefinitionErrors, UnknownNameSuggestsTheNearest) {
  auto e = ErrorOf("serious_ilness and age >= 65");
  EXPECT_EQ(e.definition, "eligible");
  EXPECT_EQ(e.pos.line, 1);
  EXPECT_EQ(e.pos.column, 1);
  EXPECT_EQ(e.message, "unknown name 'serious_ilness' (did you mean 'serious_illness'?)");
  EXPECT_EQ(e.ToString(),
            "definition 'eligible', line 1, column 1: unknown name 'serious_ilness' (did you "
            "mean 'serious_illness'?)");
  // On the second line of a multi-line definition, after a comment.
  e = ErrorOf("age >= 65 # older adults\n  and admisions within 12 months before >= 1");
  EXPECT_EQ(e.pos.line, 2);
  EXPECT_EQ(e.pos.column, 7);
  EXPECT_EQ(e.message, "unknown name 'admisions' (did you mean 'admissions'?)");
  e = ErrorOf("diagnosis in heart_failur ever");
  EXPECT_EQ(e.pos.column, 14);
  EXPECT_EQ(e.message, "unknown value set 'heart_failur' (did you mean 'heart_failure'?)");
  // Nothing close: no suggestion.
  e = ErrorOf("zzzzqqq");
  EXPECT_EQ(e.message, "unknown name 'zzzzqqq'");
  e = ErrorOf("service_category = \"inpatiant\" ever");
  EXPECT_EQ(e.pos.column, 20);
  EXPECT_NE(e.message.find("unknown service_category \"inpatiant\""), std::string::npos);
  EXPECT_NE(e.message.find("acute_inpatient"), std::string::npos);
}

TEST(DefinitionErrors, ErrorsInsideANamedDefinitionNameIt) {
  auto e = ErrorOf("serious_illness", {{"serious_illness", "age >= 65 and\n  hart"}});
  EXPECT_EQ(e.definition, "serious_illness");
  EXPECT_EQ(e.pos.line, 2);
  EXPECT_EQ(e.pos.column, 3);
  e = ErrorOf("a", {{"a", "b or age > 90"}, {"b", "a and dual"}});
  EXPECT_EQ(e.definition, "b");
  EXPECT_EQ(e.message, "definition 'a' refers to itself (a -> b -> a)");
}

TEST(DefinitionErrors, BadWindows) {
  auto e = ErrorOf("diagnosis in heart_failure within 12 weeks before");
  EXPECT_EQ(e.pos.column, 38);
  EXPECT_EQ(e.message,
            "bad window: expected days, months or years after the number, found 'weeks'");
  e = ErrorOf("claims within 0 months before >= 1");
  EXPECT_EQ(e.pos.column, 15);
  EXPECT_NE(e.message.find("at least 1"), std::string::npos);
  e = ErrorOf("claims within 12 months ago >= 1");
  EXPECT_EQ(e.pos.column, 25);
  EXPECT_NE(e.message.find("expected 'before' or 'after'"), std::string::npos);
  e = ErrorOf("claims within twelve months before >= 1");
  EXPECT_EQ(e.pos.column, 15);
  e = ErrorOf("admissions >= 2");
  EXPECT_EQ(e.pos.column, 1);
  EXPECT_EQ(e.message,
            "bad window: 'admissions' needs a window, as in 'admissions within 12 "
            "months before >= 2'");
  e = ErrorOf("age >= 65 within 12 months before");
  EXPECT_EQ(e.pos.column, 11);
  EXPECT_NE(e.message.find("nothing to apply to"), std::string::npos);
  e = ErrorOf("age within 12 months before >= 65");
  EXPECT_EQ(e.pos.column, 5);
  e = ErrorOf("cost during periods > 5");
  EXPECT_EQ(e.pos.column, 13);
}

TEST(DefinitionErrors, TypeErrors) {
  auto e = ErrorOf("age and dual");
  EXPECT_EQ(e.pos.column, 1);
  EXPECT_NE(e.message.find("type error: 'and' needs a condition"), std::string::npos);
  e = ErrorOf("sex >= \"F\"");
  EXPECT_EQ(e.pos.column, 5);
  EXPECT_NE(e.message.find("only be compared with '=' or '!='"), std::string::npos);
  e = ErrorOf("age >= \"65\"");
  EXPECT_EQ(e.pos.column, 8);
  EXPECT_NE(e.message.find("compares numbers"), std::string::npos);
  // A claim-line condition combined with a member condition needs a window.
  e = ErrorOf("diagnosis in heart_failure and age >= 65");
  EXPECT_EQ(e.pos.column, 32);
  EXPECT_NE(e.message.find("cannot combine a claim line condition with a member condition"),
            std::string::npos);
  e = ErrorOf("procedure in heart_failure ever");
  EXPECT_EQ(e.pos.column, 14);
  EXPECT_EQ(e.message,
            "type error: value set 'heart_failure' has no hcpcs or icd-10-pcs codes, "
            "which 'procedure' needs");
  e = ErrorOf("claims(outcome = \"declined\") within 12 months before >= 1");
  EXPECT_NE(e.message.find("must be about claim lines, but it is about referrals"),
            std::string::npos);
  e = ErrorOf("heart_failure");
  EXPECT_NE(e.message.find("is a value set"), std::string::npos);
  e = ErrorOf("sex");
  EXPECT_EQ(e.message, "'sex' must be compared with a value, as in 'sex = \"F\"'");
  e = ErrorOf("diagnosis in heart_failure");
  EXPECT_NE(e.message.find("give it a window"), std::string::npos);
}

TEST(DefinitionErrors, Syntax) {
  auto e = ErrorOf("sex = \"F");
  EXPECT_EQ(e.pos.column, 7);
  EXPECT_EQ(e.message, "unterminated string: no closing '\"' before the end of the line");
  e = ErrorOf("age >= 65 and\nsex = \"F\nor dual");
  EXPECT_EQ(e.pos.line, 2);
  EXPECT_EQ(e.pos.column, 7);
  e = ErrorOf("(age >= 65 or dual");
  EXPECT_EQ(e.pos.column, 19);
  EXPECT_NE(e.message.find("expected ')' to close the '(' at line 1, column 1"), std::string::npos);
  e = ErrorOf("age >= 65)");
  EXPECT_EQ(e.pos.column, 10);
  e = ErrorOf("");
  EXPECT_NE(e.message.find("empty definition"), std::string::npos);
  e = ErrorOf("age >= 65 and");
  EXPECT_EQ(e.pos.column, 14);
  e = ErrorOf("age @ 3");
  EXPECT_EQ(e.message, "unexpected character '@'");
  e = ErrorOf("diagnosis in (I50) ever");
  EXPECT_EQ(e.pos.column, 15);
  std::string deep(500, '(');
  e = ErrorOf(deep + "dual" + std::string(500, ')'));
  EXPECT_NE(e.message.find("nested more than"), std::string::npos);
}

TEST(DefinitionErrors, DefinitionNamesAreChecked) {
  DefinitionError e;
  auto p = Compile({{"age", "dual"}}, {}, Sets(), &e);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(e.message, "'age' is a built-in term and cannot be redefined");
  p = Compile({{"heart_failure", "dual"}}, {}, Sets(), &e);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(e.message.find("both a definition and a value set"), std::string::npos);
}

}  // namespace
}  // namespace valuepact::population

namespace valuepact::population {
namespace {

// Mutations of valid definitions (deleted, duplicated and replaced bytes) either compile or fail
// with a position inside the text; none crashes. The fuzz target covers far more inputs.
TEST(DefinitionErrors, MutatedDefinitionsNeverCrash) {
  const std::vector<std::string> seeds = {
      "claims(diagnosis in heart_failure) within 12 months before >= 2 and not dual",
      "(event = \"death\" and location = \"home\") within 2 months after or age < 70",
      "admissions >= 2 within 12 months before or sex in (\"F\", \"U\")",
      "serious_illness and cost(service_category = \"acute_inpatient\") during period > 5000.5"};
  const std::string alphabet = "()\",=<>!#*\n abcinotw0123456789_";
  uint64_t state = 42;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (int i = 0; i < 3000; ++i) {
    std::string text = seeds[next() % seeds.size()];
    const int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = next() % text.size();
      switch (next() % 3) {
        case 0:
          text.erase(at, 1 + next() % 5);
          break;
        case 1:
          text.insert(at, text.substr(at, 1 + next() % 8));
          break;
        default:
          text[at] = alphabet[next() % alphabet.size()];
          break;
      }
    }
    DefinitionError e;
    auto p = Compile({{"serious_illness", "dual"}}, {{"x", text}}, Sets(), &e);
    if (!p.ok()) {
      EXPECT_GE(e.pos.line, 1) << text;
      EXPECT_GE(e.pos.column, 1) << text;
    }
  }
}

}  // namespace
}  // namespace valuepact::population
