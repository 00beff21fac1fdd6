// restricted/what_if_base.json: the members' amounts are written as text in parallel blocks;
// the file is the JSON nlohmann::json writes for the same base, and reads back to it.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "valuepact/settlement/what_if.h"

namespace valuepact {
namespace {

WhatIfBase Base(const std::string& contract_id, const std::vector<int64_t>& cents) {
  WhatIfBase b;
  b.contract_id = contract_id;
  b.members = static_cast<int64_t>(cents.size());
  b.member_months = 12 * b.members;
  for (int64_t c : cents) b.member_spend.push_back(Money::FromCents(c));
  b.benchmark_method = "target_pmpm";
  b.benchmark_total = Money::FromCents(90000);
  b.net = Money::FromCents(-12345);
  return b;
}

// The same base through nlohmann::json's own writer: what the amounts' text must equal.
std::string WrittenByTheLibrary(const std::string& text, const std::vector<int64_t>& cents) {
  auto j = nlohmann::ordered_json::parse(text);
  j["member_spend_cents"] = cents;
  return j.dump() + "\n";
}

TEST(WhatIfBaseJson, AmountsAreTheLibrarysJsonAndReadBack) {
  std::vector<int64_t> cents = {0, -5, 123456789012, INT64_MIN + 1, INT64_MAX, 7};
  for (int i = 0; i < 200000; ++i) cents.push_back((i * 7919LL) % 1000003 - 500000);
  for (const auto& c : {std::vector<int64_t>{}, std::vector<int64_t>{42}, cents}) {
    const WhatIfBase b = Base("bench", c);
    const std::string text = WhatIfBaseJson(b);
    EXPECT_EQ(text, WrittenByTheLibrary(text, c));
    auto back = ParseWhatIfBase(text, "what_if_base.json");
    ASSERT_TRUE(back.ok()) << back.status().message();
    ASSERT_EQ(back->member_spend.size(), c.size());
    for (size_t i = 0; i < c.size(); ++i) EXPECT_EQ(back->member_spend[i].cents(), c[i]);
  }
  EXPECT_NE(WhatIfBaseJson(Base("x", {})).find("\"member_spend_cents\":[]"), std::string::npos);
}

// A contract id that spells out the member's text does not move the amounts.
TEST(WhatIfBaseJson, AContractIdLikeTheMemberIsLeftAlone) {
  const std::string id = "\"member_spend_cents\":\"member_spend_cents: the array\"";
  const WhatIfBase b = Base(id, {1, 2, 3});
  const std::string text = WhatIfBaseJson(b);
  EXPECT_EQ(text, WrittenByTheLibrary(text, {1, 2, 3}));
  auto back = ParseWhatIfBase(text, "what_if_base.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->contract_id, id);
  EXPECT_EQ(back->member_spend.size(), 3u);
}

}  // namespace
}  // namespace valuepact
