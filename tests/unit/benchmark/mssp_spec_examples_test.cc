// CMS's own worked examples (MSSP methodology specifications v11, transcribed in
// ../shared/oracles/mssp_spec_v11_worked_examples.csv), replayed through the engine's rules.
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/core/csv.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/numbers.h"
#include "valuepact/risk/risk_ratio.h"

namespace valuepact {
namespace {

struct SpecExample {
  std::string case_id, topic, inputs, field, expected;
};

std::vector<SpecExample> ReadSpecExamples() {
  std::vector<SpecExample> out;
  auto text = ReadWholeFile(testing::SharedDir() + "/oracles/mssp_spec_v11_worked_examples.csv");
  if (!text.ok()) return out;
  size_t begin = 0;
  uint64_t line = 1;
  while (begin < text->size() && (*text)[begin] == '#') {
    begin = text->find('\n', begin) + 1;
    ++line;
  }
  CsvCursor cur(*text, CsvChunk{begin, text->size(), line});
  std::vector<std::string_view> f;
  std::string err;
  bool header = true;
  while (cur.Next(&f, &line, &err) == CsvCursor::Outcome::kRecord) {
    if (header || f.size() < 6) {
      header = false;
      continue;
    }
    out.push_back({std::string(f[0]), std::string(f[2]), std::string(f[3]), std::string(f[4]),
                   std::string(f[5])});
  }
  return out;
}

// "BY3 1.031; PY 1.054" -> {BY3: 1.031, PY: 1.054}
std::map<std::string, double> Pairs(const std::string& inputs) {
  std::map<std::string, double> out;
  size_t pos = 0;
  while (pos < inputs.size()) {
    size_t end = inputs.find(';', pos);
    if (end == std::string::npos) end = inputs.size();
    const std::string part = inputs.substr(pos, end - pos);
    const size_t start = part.find_first_not_of(' ');
    const size_t space = part.find(' ', start);
    if (start != std::string::npos && space != std::string::npos) {
      if (auto v = ParseDouble(part.substr(space + 1))) out[part.substr(start, space - start)] = *v;
    }
    pos = end + 1;
  }
  return out;
}

// Section 3.6.2: the PY / BY3 risk ratio of each enrollment type is capped at a 3% rise, with no
// floor (agreement periods from July 2019).
TEST(MsspSpecExamples, RiskRatioCapIsUpwardOnly) {
  VP_REQUIRE_SHARED();
  int checked = 0;
  for (const auto& e : ReadSpecExamples()) {
    if (e.case_id.rfind("ex_riskcap_", 0) != 0) continue;
    const auto in = Pairs(e.inputs);
    ASSERT_TRUE(in.count("BY3") && in.count("PY")) << e.case_id << ": " << e.inputs;
    auto r =
        risk::ComputeRiskRatio(in.at("PY"), in.at("BY3"), 0.03, risk::RiskCapRule::kUpwardOnly);
    ASSERT_TRUE(r.ok()) << e.case_id;
    // The document prints three decimals.
    EXPECT_EQ(fmt::format("{:.3f}", r->ratio), e.expected) << e.case_id;
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

}  // namespace
}  // namespace valuepact
