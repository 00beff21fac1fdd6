// quality.json and quality.md. Amounts are decimal strings with two places; rates carry six
// decimals (ARCHITECTURE §5).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "valuepact/ingest/quality/quality.h"

namespace valuepact::quality {
namespace {

using nlohmann::ordered_json;

std::string Rate(double x) { return fmt::format("{:.6f}", x); }
std::string DateText(Date d) { return d == kNoDate ? std::string() : d.ToString(); }

ordered_json VerdictJson(const QualityVerdict& v) {
  ordered_json j;
  j["passed"] = v.passed;
  j["checks"] = ordered_json::array();
  for (const auto& c : v.checks) {
    j["checks"].push_back({{"name", c.name},
                           {"required", c.required},
                           {"actual", c.actual},
                           {"status", c.status},
                           {"explanation", c.explanation}});
  }
  return j;
}

}  // namespace

std::string QualityJson(const QualityScorecard& s, const QualityVerdict* verdict) {
  ordered_json j;
  j["counts"] = {{"members", s.members},
                 {"medical_claims", s.medical_claims},
                 {"medical_lines", s.medical_lines},
                 {"pharmacy_lines", s.pharmacy_lines},
                 {"eligibility_rows", s.eligibility_rows},
                 {"pharmacy_required", s.pharmacy_required}};
  if (verdict) j["verdict"] = VerdictJson(*verdict);
  j["findings"] = s.findings;
  ordered_json rejected = ordered_json::array();
  for (const auto& t : s.rejected_lines) {
    rejected.push_back({{"reason", t.reason},
                        {"rows", t.rows},
                        {"paid", t.paid.ToString()},
                        {"allowed", t.allowed.ToString()}});
  }
  j["rejected_lines"] = rejected;
  ordered_json fields = ordered_json::array();
  for (const auto& f : s.fields) {
    fields.push_back({{"table", f.table},
                      {"field", f.field},
                      {"required", f.required},
                      {"rows", f.rows},
                      {"present", f.present},
                      {"completeness", Rate(f.completeness())},
                      {"check", f.check},
                      {"invalid", f.invalid},
                      {"invalid_share", Rate(f.invalid_share())},
                      {"invalid_examples", f.examples}});
  }
  j["fields"] = fields;
  j["validity"] = {{"diagnosis_codes", s.dx_codes},
                   {"invalid_diagnosis_codes", s.invalid_dx_codes},
                   {"invalid_dx_share", Rate(s.invalid_dx_share())},
                   {"dates_out_of_order", s.dates_out_of_order},
                   {"dates_out_of_range", s.dates_out_of_range},
                   {"negative_paid_lines", s.negative_paid_lines},
                   {"paid_above_allowed", s.paid_above_allowed},
                   {"allowed_above_charge", s.allowed_above_charge}};
  j["duplicates"] = {{"medical_lines", s.duplicate_medical_lines},
                     {"medical_lines_rejected", s.duplicate_medical_lines_rejected},
                     {"pharmacy_lines", s.duplicate_pharmacy_lines},
                     {"pharmacy_lines_rejected", s.duplicate_pharmacy_lines_rejected},
                     {"eligibility_rows", s.duplicate_eligibility_rows},
                     {"duplicate_share", Rate(s.duplicate_share())}};
  j["paid_dates"] = {{"medical_claims_without_paid_date", s.medical_claims_without_paid_date},
                     {"pharmacy_claims_without_paid_date", s.pharmacy_claims_without_paid_date}};
  j["enrollment"] = {{"lines_with_service_month", s.lines_with_service_month},
                     {"lines_without_enrollment", s.lines_without_enrollment},
                     {"enrollment_match", Rate(s.enrollment_match)},
                     {"overlapping_spans", s.overlapping_spans},
                     {"members_with_overlaps", s.members_with_overlaps}};
  j["claim_lag"] = {{"lines", s.lag.claims},
                    {"measured", s.lag.claims > 0},
                    {"paid_before_service", s.lag.negative},
                    {"p50_days", s.lag.p50},
                    {"p90_days", s.lag.p90},
                    {"p99_days", s.lag.p99},
                    {"max_days", s.lag.max},
                    {"as_of", DateText(s.lag.as_of)},
                    {"buckets",
                     {{"0-30", s.lag.buckets[0]},
                      {"31-60", s.lag.buckets[1]},
                      {"61-90", s.lag.buckets[2]},
                      {"91-180", s.lag.buckets[3]},
                      {"181-365", s.lag.buckets[4]},
                      {">365", s.lag.buckets[5]}}}};
  ordered_json months = ordered_json::array();
  for (const auto& m : s.months) {
    months.push_back({{"month", m.month.ToString()},
                      {"claims", m.claims},
                      {"lines", m.lines},
                      {"paid", m.paid.ToString()},
                      {"trailing_claims", Rate(m.trailing_claims)},
                      {"trailing_paid", m.trailing_paid.ToString()},
                      {"volume_ratio", Rate(m.volume_ratio)},
                      {"cost_ratio", Rate(m.cost_ratio)},
                      {"completion", Rate(m.completion)},
                      {"sudden_drop", m.sudden_drop}});
  }
  j["months"] = months;
  ordered_json del = ordered_json::array();
  for (const auto& d : s.deliveries) {
    del.push_back({{"name", d.name},
                   {"format", d.format},
                   {"file_date", DateText(d.file_date)},
                   {"members", d.members},
                   {"claims", d.claims}});
  }
  j["deliveries"] = del;
  return j.dump(2) + "\n";
}

std::string QualityMarkdown(const QualityScorecard& s, const QualityVerdict* verdict) {
  std::string out = "# Data-quality scorecard\n\n";
  if (verdict) {
    out += verdict->passed
               ? "**The data meets the contract's data requirements.**\n\n"
               : "**The data FAILED the contract's data requirements.** Figures computed from it "
                 "should not be relied on until the failures below are resolved.\n\n";
    out += "| Requirement | Required | Actual | Result |\n|---|---|---|---|\n";
    for (const auto& c : verdict->checks) {
      out += fmt::format("| {} | {} | {} | {} |\n", c.name, c.required, c.actual, c.status);
    }
    out += "\n";
  }
  out += fmt::format(
      "{} members, {} medical claims ({} lines), {} pharmacy lines, {} eligibility rows.\n\n",
      s.members, s.medical_claims, s.medical_lines, s.pharmacy_lines, s.eligibility_rows);
  out += "## Findings\n\n";
  if (s.findings.empty()) out += "None.\n";
  for (const auto& f : s.findings) out += "- " + f + "\n";
  if (!s.rejected_lines.empty()) {
    out +=
        "\n## Rejected claim lines\n\n| Reason | Lines | Paid | Allowed |\n"
        "|---|---|---|---|\n";
    for (const auto& t : s.rejected_lines) {
      out += fmt::format("| {} | {} | {} | {} |\n", t.reason, t.rows, t.paid.ToString(),
                         t.allowed.ToString());
    }
  }
  out +=
      "\n## Fields\n\n| Table | Field | Required | Complete | Check | Invalid | Examples |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const auto& f : s.fields) {
    std::string ex;
    for (const auto& e : f.examples) ex += (ex.empty() ? "" : ", ") + ("`" + e + "`");
    out += fmt::format("| {} | {} | {} | {:.2f}% | {} | {} | {} |\n", f.table, f.field,
                       f.required ? "yes" : "", f.completeness() * 100,
                       f.check.empty() ? "-" : f.check, f.invalid, ex);
  }
  out += fmt::format(
      "\n## Consistency\n\n- Enrollment match: {:.2f}% of {} lines ({} without enrollment in "
      "their service month)\n- Overlapping eligibility spans: {} ({} members)\n- Duplicates: "
      "{} medical lines, {} pharmacy lines, {} eligibility rows\n- Invalid diagnosis codes: {} "
      "of {}\n- Dates out of order: {}; out of range: {}\n- Negative paid lines: {}; paid > "
      "allowed: {}; allowed > charge: {}\n",
      s.enrollment_match * 100, s.lines_with_service_month, s.lines_without_enrollment,
      s.overlapping_spans, s.members_with_overlaps, s.duplicate_medical_lines,
      s.duplicate_pharmacy_lines, s.duplicate_eligibility_rows, s.invalid_dx_codes, s.dx_codes,
      s.dates_out_of_order, s.dates_out_of_range, s.negative_paid_lines, s.paid_above_allowed,
      s.allowed_above_charge);
  out += fmt::format(
      "\n## Claim lag\n\n{} lines; median {} days, 90th percentile {} days, 99th {} days, "
      "longest {} days; {} paid before service. As of {}.\n",
      s.lag.claims, s.lag.p50, s.lag.p90, s.lag.p99, s.lag.max, s.lag.negative,
      s.lag.as_of == kNoDate ? "-" : s.lag.as_of.ToString());
  out +=
      "\n## By service month\n\n| Month | Claims | Paid | vs trailing (claims) | vs trailing "
      "(paid) | Completion | Flag |\n|---|---|---|---|---|---|---|\n";
  for (const auto& m : s.months) {
    // Without lines carrying both dates there is no lag distribution to measure completion by.
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", m.month.ToString(), m.claims,
                       m.paid.ToString(),
                       m.trailing_claims > 0 ? fmt::format("{:.2f}", m.volume_ratio) : "-",
                       m.trailing_paid.cents() > 0 ? fmt::format("{:.2f}", m.cost_ratio) : "-",
                       s.lag.claims > 0 ? fmt::format("{:.1f}%", m.completion * 100) : "-",
                       m.sudden_drop ? "sudden drop" : "");
  }
  if (!s.deliveries.empty()) {
    out +=
        "\n## Deliveries\n\n| Delivery | Format | File date | Members | Claims |\n"
        "|---|---|---|---|---|\n";
    for (const auto& d : s.deliveries) {
      out +=
          fmt::format("| {} | {} | {} | {} | {} |\n", d.name, d.format,
                      d.file_date == kNoDate ? "-" : d.file_date.ToString(), d.members, d.claims);
    }
  }
  return out;
}

}  // namespace valuepact::quality
