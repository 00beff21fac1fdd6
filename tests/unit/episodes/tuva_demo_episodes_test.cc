// Oracle: on ../shared/data/tuva-claims-demo-100, the episodes of one DRG family (every acute
// medical and surgical DRG the 2018 claims carry, with a 30-day window) agree with an independent
// computation written here. It splits each CSV line on commas (the files have no quoted fields),
// takes acute inpatient lines as bill types 11x, merges their [admission, discharge] intervals
// per person, folds a triggering stay admitted in an open window, keeps anchors admitted in 2018
// in a month with Medicare enrollment, and sums paid amounts of the anchor's lines and of the
// person's other lines starting in the window. It shares no code with the engine.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/run/episodes_run.h"

namespace valuepact::episodes {
namespace {

using Row = std::vector<std::string>;

struct Csv {
  std::vector<std::string> header;
  std::vector<Row> rows;
  size_t Col(const std::string& name) const {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  }
};

Csv Read(const std::string& path) {
  Csv c;
  std::ifstream f(path);
  std::string line, cell;
  std::getline(f, line);
  std::stringstream hs(line);
  while (std::getline(hs, cell, ',')) c.header.push_back(cell);
  while (std::getline(f, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    Row r;
    std::stringstream ss(line);
    while (std::getline(ss, cell, ',')) r.push_back(cell);
    r.resize(c.header.size());
    c.rows.push_back(std::move(r));
  }
  return c;
}

// Days since 1970-01-01 of YYYY-MM-DD (civil-from-days inverse).
int64_t Day(const std::string& s) {
  int y = std::stoi(s.substr(0, 4));
  const int m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + doe - 719468;
}

int64_t Cents(const std::string& s) {
  if (s.empty()) return 0;
  return std::llround(std::stod(s) * 100);
}

struct Expected {
  int64_t episodes = 0, total = 0;
};

Expected Independent(const std::string& dir, const std::set<std::string>& drgs) {
  const Csv med = Read(dir + "/medical_claim.csv");
  const Csv elig = Read(dir + "/eligibility.csv");
  std::map<std::string, std::set<int>> months;  // person -> year*12+month enrolled in Medicare
  for (const Row& r : elig.rows) {
    if (r[elig.Col("payer")] != "medicare") continue;
    const std::string s = r[elig.Col("enrollment_start_date")];
    const std::string e = r[elig.Col("enrollment_end_date")];
    int a = std::stoi(s.substr(0, 4)) * 12 + std::stoi(s.substr(5, 2)) - 1;
    const int b =
        e.empty() ? 2018 * 12 + 11 : std::stoi(e.substr(0, 4)) * 12 + std::stoi(e.substr(5, 2)) - 1;
    for (; a <= b; ++a) months[r[elig.Col("patient_id")]].insert(a);
  }
  const size_t person = med.Col("patient_id"), bill = med.Col("bill_type_code"),
               adm = med.Col("admission_date"), dis = med.Col("discharge_date"),
               cs = med.Col("claim_start_date"), ce = med.Col("claim_end_date"),
               drg = med.Col("ms_drg_code"), paid = med.Col("paid_amount");
  std::map<std::string, std::vector<size_t>> by_person;
  for (size_t i = 0; i < med.rows.size(); ++i) by_person[med.rows[i][person]].push_back(i);
  Expected x;
  const int64_t first = Day("2018-01-01"), last = Day("2018-12-31");
  for (const auto& [p, lines] : by_person) {
    std::vector<std::tuple<int64_t, int64_t, size_t>> iv;
    for (size_t i : lines) {
      const Row& r = med.rows[i];
      if (r[bill].rfind("11", 0) != 0) continue;
      const int64_t s = Day(r[adm].empty() ? r[cs] : r[adm]);
      const int64_t e = Day(r[dis].empty() ? r[ce] : r[dis]);
      iv.emplace_back(s, std::max(s, e), i);
    }
    std::sort(iv.begin(), iv.end());
    struct Stay {
      int64_t s, e;
      std::set<size_t> lines;
      std::string start_text;
    };
    std::vector<Stay> stays;
    for (const auto& [s, e, i] : iv) {
      if (!stays.empty() && s <= stays.back().e) {
        stays.back().e = std::max(stays.back().e, e);
        stays.back().lines.insert(i);
      } else {
        const Row& r = med.rows[i];
        stays.push_back({s, e, {i}, r[adm].empty() ? r[cs] : r[adm]});
      }
    }
    int64_t open_until = -1;
    bool any_open = false;
    for (const Stay& st : stays) {
      bool trig = false;
      for (size_t i : st.lines) {
        std::string d = med.rows[i][drg];
        while (d.size() < 3 && !d.empty()) d = "0" + d;
        trig = trig || drgs.count(d) > 0;
      }
      if (!trig) continue;
      if (any_open && st.s <= open_until) continue;
      any_open = true;
      open_until = st.e + 30;
      if (st.s < first || st.s > last) continue;
      const std::string& a = st.start_text;
      const int month = std::stoi(a.substr(0, 4)) * 12 + std::stoi(a.substr(5, 2)) - 1;
      if (months[p].count(month) == 0) continue;
      ++x.episodes;
      for (size_t i : st.lines) x.total += Cents(med.rows[i][paid]);
      for (size_t i : lines) {
        if (st.lines.count(i) != 0 || med.rows[i][cs].empty()) continue;
        const int64_t d = Day(med.rows[i][cs]);
        if (d > st.e && d <= open_until) x.total += Cents(med.rows[i][paid]);
      }
    }
  }
  return x;
}

TEST(TuvaDemoEpisodes, OneFamilyAgreesWithAnIndependentComputation) {
  VP_REQUIRE_SHARED();
  const std::string data = testing::SharedDir() + "/data/tuva-claims-demo-100";
  const std::string dir = testing::TempDir("tuva_episodes");
  const std::string contract = dir + "/contract.toml";
  std::ofstream(contract) << R"([contract]
id = "tuva-demo-episodes"
period = { start = 2018-01-01, end = 2018-12-31 }
payers = ["medicare"]
services = ["medical"]
basis = "paid"

[[episode]]
id = "acute30"
trigger = { drg = ["065", "247", "251", "293", "308", "310", "481", "637", "872"] }
window_days = 30
exclude_death_in_anchor = false
exclude_transfers = false
)";
  run::InputPaths p;
  p.contract = contract;
  p.data = data;
  auto r = run::EpisodesRun(p);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Expected x =
      Independent(data, {"065", "247", "251", "293", "308", "310", "481", "637", "872"});
  int64_t count = 0;
  Money total;
  for (const auto& ep : r->episodes.episodes) {
    if (!ep.counted()) continue;
    ++count;
    total += ep.total_paid;
  }
  EXPECT_EQ(count, x.episodes);
  EXPECT_EQ(total.cents(), x.total);
  EXPECT_EQ(x.episodes, 9);  // the figure at the time of writing, so a silent change shows
  EXPECT_EQ(r->trace.Find("episodes.acute30.total_paid")->value, total.ToString());
}

}  // namespace
}  // namespace valuepact::episodes
