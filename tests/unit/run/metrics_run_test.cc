// MetricsRun on the 100-member Tuva demo data, checked against an independent computation of
// the same rules written here from the raw CSV files (docs/metrics.md), and against settle.
#include "valuepact/run/metrics_run.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/run/settle_run.h"

namespace valuepact::run {
namespace {

using Row = std::map<std::string, std::string>;

// A quote-aware split of one CSV line (the demo files quote nothing across lines).
std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

std::vector<Row> ReadCsv(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  const auto header = Split(line);
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto f = Split(line);
    Row r;
    for (size_t i = 0; i < header.size() && i < f.size(); ++i) r[header[i]] = f[i];
    rows.push_back(std::move(r));
  }
  return rows;
}

int Day(const std::string& iso) {  // days since 1970-01-01, or INT_MIN when empty
  if (iso.size() < 10) return std::numeric_limits<int>::min();
  return Date::FromCivil(std::stoi(iso.substr(0, 4)), std::stoul(iso.substr(5, 2)),
                         std::stoul(iso.substr(8, 2)))
      .days();
}
int MonthKey(int day) {
  const Date d = Date::FromDays(day);
  return d.year() * 12 + static_cast<int>(d.month()) - 1;
}

struct Expected {
  int member_months = 0, stays = 0, bed_days = 0, ed_visits = 0, index = 0, readmitted = 0;
};

// The rules of docs/metrics.md, from the raw files: population months are the 2018 months any
// medicare enrollment span touches; acute lines are institutional bill type 11x (or no bill
// type with a DRG); ED lines are outpatient claims with revenue 045x/0981 on any line, or
// professional lines at place of service 23 or E/M 99281-99285 (not DME codes E/K/L).
Expected Independent(const std::string& dir) {
  std::map<std::string, std::set<int>> months;  // person → population month keys
  const int first = 2018 * 12, last = 2018 * 12 + 11;
  for (const Row& r : ReadCsv(dir + "/eligibility.csv")) {
    if (r.at("payer") != "medicare") continue;
    const int s = MonthKey(Day(r.at("enrollment_start_date")));
    const std::string end = r.at("enrollment_end_date");
    const int e = end.empty() ? last : MonthKey(Day(end));
    for (int m = std::max(s, first); m <= std::min(e, last); ++m)
      months[r.at("patient_id")].insert(m);
  }
  Expected x;
  for (const auto& [p, ms] : months) x.member_months += static_cast<int>(ms.size());
  const auto claims = ReadCsv(dir + "/medical_claim.csv");
  std::set<std::string> er_claims;
  for (const Row& r : claims) {
    const std::string rev = r.at("revenue_center_code");
    if ((rev.rfind("045", 0) == 0 && rev.size() == 4) || rev == "0981")
      er_claims.insert(r.at("claim_id"));
  }
  std::map<std::string, std::vector<std::pair<int, int>>> acute;  // person → [start, end]
  std::map<std::string, std::vector<std::string>> dispositions;
  std::set<std::pair<std::string, int>> ed;
  for (const Row& r : claims) {
    const std::string p = r.at("patient_id");
    std::string bill = r.at("bill_type_code");
    if (bill.size() == 4 && bill[0] == '0') bill = bill.substr(1);
    const std::string type = r.at("claim_type");
    const bool institutional = type == "institutional" || (type.empty() && !bill.empty());
    const std::string two = bill.substr(0, std::min<size_t>(2, bill.size()));
    const int start = Day(r.at("claim_line_start_date").empty() ? r.at("claim_start_date")
                                                                : r.at("claim_line_start_date"));
    if (institutional && (two == "11" || (bill.empty() && !r.at("ms_drg_code").empty()))) {
      const int s =
          Day(r.at("admission_date").empty() ? r.at("claim_start_date") : r.at("admission_date"));
      int e = Day(r.at("discharge_date").empty() ? r.at("claim_end_date") : r.at("discharge_date"));
      if (e < s) e = s;
      acute[p].push_back({s, e});
      continue;
    }
    const std::set<std::string> outpatient = {"12", "13", "14", "23", "71", "72", "73",
                                              "74", "75", "76", "77", "79", "83", "85"};
    const std::string h = r.at("hcpcs_code");
    const bool dme = type == "dme" ||
                     (!institutional && !h.empty() && (h[0] == 'E' || h[0] == 'K' || h[0] == 'L'));
    const bool is_ed = institutional
                           ? outpatient.count(two) > 0 && er_claims.count(r.at("claim_id")) > 0
                           : !dme && (r.at("place_of_service_code") == "23" ||
                                      (h >= "99281" && h <= "99285" && h.size() == 5));
    if (is_ed && months[p].count(MonthKey(start))) ed.insert({p, start});
  }
  x.ed_visits = static_cast<int>(ed.size());
  for (auto& [p, iv] : acute) {
    std::sort(iv.begin(), iv.end());
    std::vector<std::pair<int, int>> stays;
    for (const auto& v : iv) {
      if (stays.empty() || v.first > stays.back().second)
        stays.push_back(v);
      else
        stays.back().second = std::max(stays.back().second, v.second);
    }
    for (const auto& s : stays) {
      if (months[p].count(MonthKey(s.first))) {
        ++x.stays;
        x.bed_days += std::max(1, s.second - s.first);
      }
    }
    for (const auto& s : stays) {
      if (!months[p].count(MonthKey(s.second))) continue;
      // The disposition of the stay's latest-ending line; the demo data's stays hold one claim.
      std::string disp;
      for (const Row& r : claims) {
        if (r.at("patient_id") == p && !r.at("discharge_date").empty() &&
            Day(r.at("discharge_date")) == s.second)
          disp = r.at("discharge_disposition_code");
      }
      if (disp == "02" || disp == "07" || disp == "20" || disp == "2" || disp == "7") continue;
      ++x.index;
      for (const auto& n : stays) {
        if (n.first - s.second >= 1 && n.first - s.second <= 30) {
          ++x.readmitted;
          break;
        }
      }
    }
  }
  return x;
}

const metrics::MetricRow& Total(const MetricsRunResult& r, const std::string& metric) {
  for (const auto& row : r.metrics.rows) {
    if (row.metric == metric && row.stratum == "all" && row.period == "total") return row;
  }
  static const metrics::MetricRow kNone;
  ADD_FAILURE() << "no row " << metric;
  return kNone;
}

TEST(MetricsRun, TuvaDemoAgreesWithAnIndependentComputation) {
  VP_REQUIRE_SHARED();
  const std::string data = testing::SharedDir() + "/data/tuva-claims-demo-100";
  MetricsRequest req;
  req.inputs.contract = testing::SourceDir() + "/examples/aco-shared-savings/contract.toml";
  req.inputs.data = data;
  auto r = MetricsRun(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Expected x = Independent(data);
  ASSERT_GT(x.stays, 0);
  ASSERT_GT(x.ed_visits, 0);
  EXPECT_EQ(Total(*r, "member_months").numerator, x.member_months);
  EXPECT_EQ(Total(*r, "acute_admissions_per_1000").numerator, x.stays);
  EXPECT_EQ(Total(*r, "bed_days_per_1000").numerator, x.bed_days);
  EXPECT_EQ(Total(*r, "ed_visits_per_1000").numerator, x.ed_visits);
  EXPECT_EQ(Total(*r, "readmission_rate_30d").denominator, x.index);
  EXPECT_EQ(Total(*r, "readmission_rate_30d").numerator, x.readmitted);
  EXPECT_NEAR(*Total(*r, "acute_admissions_per_1000").value, x.stays * 12000.0 / x.member_months,
              1e-9);
  EXPECT_NEAR(*Total(*r, "ed_visits_per_1000").value, x.ed_visits * 12000.0 / x.member_months,
              1e-9);

  // The same population and spend as settle: member-months and the paid PMPM.
  SettleRequest sreq;
  sreq.inputs = req.inputs;
  auto s = SettleRun(sreq);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(Total(*r, "member_months").numerator, s->settlement.member_months);
  EXPECT_EQ(Total(*r, "pmpm_total").numerator, s->settlement.expenditure_total.cents());
}

// Strata under min_cell members are suppressed: no value, no trace node, "suppressed" in the CSV.
TEST(MetricsRun, SmallStrataAreSuppressed) {
  VP_REQUIRE_SHARED();
  MetricsRequest req;
  req.inputs.contract = testing::SourceDir() + "/examples/aco-shared-savings/contract.toml";
  req.inputs.data = testing::SharedDir() + "/data/tuva-claims-demo-100";
  req.by = {"age_band", "sex"};
  auto r = MetricsRun(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_GT(r->metrics.suppressed_strata, 0);
  ASSERT_LT(r->metrics.suppressed_strata, r->metrics.strata);
  size_t suppressed = 0;
  for (const auto& row : r->metrics.rows) {
    if (!row.suppressed) continue;
    ++suppressed;
    EXPECT_FALSE(row.value.has_value());
    EXPECT_TRUE(row.id.empty());
    EXPECT_NE(row.stratum, "all");
    EXPECT_EQ(r->trace.Find("metrics." + row.metric + "." + row.stratum + "." + row.period),
              nullptr);
  }
  EXPECT_GT(suppressed, 0u);
  EXPECT_NE(metrics::MetricsCsv(r->metrics).find(",,,suppressed\n"), std::string::npos);
}

TEST(MetricsRun, UnknownAttributeAndBadMinCellAreErrors) {
  MetricsRequest req;
  req.by = {"shoe_size"};
  auto r = MetricsRun(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("known: age_band, sex"), std::string::npos)
      << r.status().message();
  req.by = {};
  req.min_cell = 0;
  r = MetricsRun(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--min-cell 0"), std::string::npos);
}

}  // namespace
}  // namespace valuepact::run
