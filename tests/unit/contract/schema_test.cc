// The contract key schema: the reference's key tables are generated from it, and the parser,
// --set and the scenario columns accept exactly its keys.
#include "valuepact/contract/schema.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/contract/contract.h"
#include "valuepact/contract/methodology.h"
#include "valuepact/core/file_io.h"

namespace valuepact {
namespace {

TEST(ContractSchema, ReferenceKeyTablesAreGenerated) {
  const std::string path = testing::SourceDir() + "/docs/contract-reference.md";
  auto doc = ReadWholeFile(path);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  auto fresh = RegenerateKeyTables(*doc);
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  EXPECT_TRUE(*fresh == *doc)
      << "docs/contract-reference.md key tables differ from the schema; run "
         "build/valuepact keys --update-doc docs/contract-reference.md";
  // Every table of the schema appears in the reference.
  std::set<std::string> tables;
  for (const auto& k : ContractKeys()) tables.emplace(k.doc_table);
  for (const auto& t : tables) {
    EXPECT_NE(doc->find("<!-- keys: " + t + " -->"), std::string::npos) << t;
  }
}

TEST(ContractSchema, KeysAreUniqueAndDocumented) {
  std::set<std::string> seen;
  for (const auto& k : ContractKeys()) {
    const std::string id = std::string(k.section) + "." + std::string(k.key);
    EXPECT_TRUE(seen.insert(id).second) << "twice: " << id;
    EXPECT_FALSE(k.meaning.empty()) << id;
    EXPECT_FALSE(k.default_value.empty()) << id;
  }
  EXPECT_EQ(KeysOf("benchmark.regional"),
            (std::vector<std::string>{"weight", "pmpm", "cap", "negative_cap", "national_pmpm",
                                      "times_adjusted", "description"}));
  EXPECT_EQ(MethodologyKeys(), KeysOf("methodology"));
}

TEST(ContractSchema, ParserRejectsKeysOutsideTheSchema) {
  ContractParseOptions po;
  po.allow_draft = true;
  auto k = ParseContract(
      "[contract]\nid = \"x\"\nperiod = { start = 2023-01-01, end = 2023-12-31 }\n"
      "agreement_stat = 2022-01-01\n",
      "c.toml", po);
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.status().message().find("did you mean 'agreement_start'"), std::string::npos)
      << k.status().message();
  // Every [contract] key of the schema is one the parser knows.
  for (const auto& key : KeysOf("contract")) {
    auto one = ParseContract(
        "[contract]\nid = \"x\"\nperiod = { start = 2023-01-01, end = "
        "2023-12-31 }\n" +
            key + " = 1\n",
        "c.toml", po);
    if (!one.ok()) {
      EXPECT_EQ(one.status().message().find("unknown key"), std::string::npos)
          << key << ": " << one.status().message();
    }
  }
}

TEST(ContractSchema, SetAcceptsOnlyMethodologyKeys) {
  auto k = ParseContract(
      "[contract]\nid = \"x\"\nperiod = { start = 2023-01-01, end = 2023-12-31 }\n"
      "[benchmark]\nmethod = \"target_pmpm\"\ntarget_pmpm = 1000\n"
      "[[payment]]\nid = \"s\"\nkind = \"shared_savings\"\nsharing_rate = 0.5\n",
      "c.toml");
  ASSERT_TRUE(k.ok()) << k.status().message();
  ResolveOptions o;
  o.set = {{"sharing_rate", "0.6"}};
  auto t = ResolveSharedSavingsTerms(*k, "s", o);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_DOUBLE_EQ(t->sharing_rate, 0.6);
  o.set = {{"agreement_start", "2022-01-01"}};
  EXPECT_FALSE(ResolveSharedSavingsTerms(*k, "s", o).ok());
}

}  // namespace
}  // namespace valuepact
