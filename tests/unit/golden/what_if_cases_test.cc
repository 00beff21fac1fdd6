// What-if against settle on every golden settle case (docs/what-if.md). Each case is settled and
// recorded; its aggregates must reproduce its settlement to the cent. Then every numeric term of
// every [[payment]] table (and a target PMPM) is changed, one at a time, and the what-if must
// either give every layer and the net exactly as a `settle` of the changed contract on the same
// data does, or refuse because the change needs something the settlement did not count — never a
// different figure. A change the contract rules refuse is refused by both.
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "golden_case.h"
#include "test_paths.h"
#include "valuepact/core/file_io.h"
#include "valuepact/review/what_if.h"

namespace valuepact::golden {
namespace {

namespace fs = std::filesystem;

fs::path CasesRoot() { return fs::path(testing::SourceDir()) / "tests" / "cases"; }

struct Settled {
  int exit = 0;
  std::string output;
  nlohmann::json summary;
};

// The case run from a copy of its folder (so a changed contract sits where the original did),
// reading its data where the source tree has it, recorded in `store`.
Settled Settle(GoldenCase c, const fs::path& case_dir, const fs::path& copy,
               const std::string& contract_text, const fs::path& out, const std::string& store) {
  fs::remove_all(copy);
  fs::copy(case_dir, copy, fs::copy_options::recursive);
  std::ofstream(copy / c.contract, std::ios::trunc) << contract_text;
  if (!c.data.empty()) c.data = fs::weakly_canonical(case_dir / c.data).string();
  Settled s;
  s.exit = testing::RunCommand(CommandLine(c, copy, out) + " --store '" + store + "'", &s.output);
  if (auto text = ReadWholeFile((out / "summary.json").string()); text.ok()) {
    s.summary = nlohmann::json::parse(*text, nullptr, false);
  }
  return s;
}

// Every numeric term of every [[payment]] table, and benchmark.target_pmpm, with a changed value:
// a rate (≤ 1) halved, anything larger grown by a quarter.
std::vector<TermEdit> Edits(const std::string& contract_text) {
  std::vector<TermEdit> out;
  const toml::table t = toml::parse(contract_text);
  auto change = [&](const std::string& key, const toml::node& n) {
    if (const auto* d = n.as_floating_point()) {
      const double v = d->get();
      out.push_back({key, fmt::format("{}", v <= 1 ? v / 2 : v * 1.25)});
    } else if (const auto* i = n.as_integer()) {
      out.push_back({key, fmt::format("{}", i->get() * 5 / 4 + 1)});
    }
  };
  if (const auto* layers = t.get_as<toml::array>("payment")) {
    for (const auto& l : *layers) {
      const auto* layer = l.as_table();
      const auto* id = layer == nullptr ? nullptr : layer->get_as<std::string>("id");
      if (id == nullptr) continue;
      for (const auto& [k, v] : *layer) {
        const std::string key = fmt::format("payment.{}.{}", id->get(), k.str());
        if (const auto* inner = v.as_table()) {
          for (const auto& [k2, v2] : *inner) change(key + "." + std::string(k2.str()), v2);
        } else {
          change(key, v);
        }
      }
    }
  }
  if (const auto* b = t["benchmark"]["target_pmpm"].node()) change("benchmark.target_pmpm", *b);
  return out;
}

// The what-if's figures against the settle's summary.json: "" when every layer and the net agree.
std::string Differences(const nlohmann::ordered_json& w, const nlohmann::json& summary) {
  std::string d;
  if (w["net_payer_to_provider"]["what_if"] != summary["net_payer_to_provider"]) {
    d += fmt::format("net: what-if {}, settle {}; ",
                     w["net_payer_to_provider"]["what_if"].get<std::string>(),
                     summary["net_payer_to_provider"].dump());
  }
  for (const auto& l : summary["layers"]) {
    bool found = false;
    for (const auto& x : w["layers"]) {
      if (x["id"] != l["id"]) continue;
      found = true;
      if (x["what_if"] != l["amount"]) {
        d += fmt::format("layer {}: what-if {}, settle {}; ", l["id"].get<std::string>(),
                         x["what_if"].get<std::string>(), l["amount"].dump());
      }
    }
    if (!found) d += fmt::format("layer {} missing from the what-if; ", l["id"].dump());
  }
  return d;
}

class WhatIfCaseTest : public ::testing::TestWithParam<std::string> {};

TEST_P(WhatIfCaseTest, EqualsASettleOfTheChangedContract) {
  const std::string name = GetParam();
  GoldenCase c;
  const fs::path case_dir = CasesRoot() / name;
  ASSERT_TRUE(LoadCase(case_dir, "tests/cases/" + name, &c).empty());
  if (const std::string why = SkipReason(c); !why.empty()) GTEST_SKIP() << why;
  const fs::path work = testing::TempDir("what_if_" + name);
  fs::remove_all(work);
  fs::create_directories(work);
  const std::string store = (work / "runs.sqlite").string();
  const std::string original = *ReadWholeFile((case_dir / c.contract).string());
  const Settled base = Settle(c, case_dir, work / "case", original, work / "out", store);
  ASSERT_TRUE(base.summary.is_object()) << base.output;
  auto opened = RunStore::Open(store);
  ASSERT_TRUE(opened.ok());
  auto record = (*opened)->Get("#1", true);
  ASSERT_TRUE(record.ok()) << record.status().message();
  auto run = review::PrepareWhatIf(*record);
  ASSERT_TRUE(run.ok()) << run.status().message();  // the aggregates reproduce the settlement

  int compared = 0, refused = 0;
  std::string refusals;
  const auto edits = Edits(original);
  for (size_t i = 0; i < edits.size(); ++i) {
    const TermEdit& e = edits[i];
    SCOPED_TRACE(e.key + " = " + e.value);
    auto what_if = review::WhatIf(*run, {e});
    auto changed = ChangeContractTerms(original, c.contract, {e});
    ASSERT_TRUE(changed.ok()) << changed.status().message();
    const Settled s =
        Settle(c, case_dir, work / "case", changed->text, work / fmt::format("out-{}", i), store);
    if (!what_if.ok()) {
      // Refused: the changed contract is invalid for settle too, or the what-if says what it
      // would need.
      const std::string why = what_if.status().message();
      EXPECT_TRUE(s.exit == 2 || why.find("settle the changed contract") != std::string::npos)
          << why << "\nsettle exit " << s.exit << "\n"
          << s.output;
      ++refused;
      refusals += e.key + ": " + why + "\n";
      continue;
    }
    ASSERT_TRUE(s.summary.is_object()) << "the what-if answered but settle failed:\n" << s.output;
    EXPECT_EQ(Differences(*what_if, s.summary), "");
    ++compared;
  }
  RecordProperty("compared", compared);
  RecordProperty("refused", refused);
  RecordProperty("refusals", refusals);
  EXPECT_GT(compared, 0) << "no term of the case could be compared";
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (char& ch : n) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

// The cases that settle (the others check examples, compute metrics or expect an error).
std::vector<std::string> SettleCases() {
  std::vector<std::string> out;
  for (const auto& name : CaseDirectories(CasesRoot())) {
    GoldenCase c;
    if (LoadCase(CasesRoot() / name, name, &c).empty() && c.command == "settle" &&
        !c.expect_error) {
      out.push_back(name);
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Cases, WhatIfCaseTest, ::testing::ValuesIn(SettleCases()), TestName);

}  // namespace
}  // namespace valuepact::golden
