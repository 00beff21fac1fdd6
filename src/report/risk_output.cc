#include "valuepact/report/risk_output.h"

#include <filesystem>
#include <tuple>

#include <fmt/format.h>

#include "valuepact/core/folder_writer.h"

namespace valuepact {

nlohmann::ordered_json RiskSummaryJson(const run::RiskRunResult& r, int payment_year) {
  const auto& sum = r.summary;
  const auto& srep = r.sourcing;
  const auto& drep = r.demographics;
  nlohmann::ordered_json j;
  j["payment_year"] = payment_year;
  j["data_year"] = r.data_year;
  j["models"] = nlohmann::ordered_json::array();
  for (const auto& m : r.scorer->models()) j["models"].push_back(HccVersionName(m.version()));
  j["blend"] = r.scorer->request().blend;
  j["members_scored"] = sum.members;
  j["members_skipped"] = drep.skipped;
  j["diagnoses"] = {{"distinct_per_member_total", sum.dx_given},
                    {"mapped", sum.dx_mapped},
                    {"no_cc", sum.dx_unmapped},
                    {"malformed", sum.dx_malformed},
                    {"age_sex_edited", sum.dx_edited}};
  j["claims"] = {{"in_data_year", srep.claims_in_year},
                 {"accepted_inpatient", srep.claims_inpatient},
                 {"accepted_outpatient", srep.claims_outpatient},
                 {"accepted_professional", srep.claims_professional},
                 {"excluded_bill_type", srep.claims_excluded_bill_type},
                 {"excluded_void", srep.claims_excluded_void},
                 {"excluded_no_eligible_cpt_hcpcs", srep.claims_excluded_no_eligible_code},
                 {"excluded_dme", srep.claims_excluded_dme},
                 {"excluded_unknown_type", srep.claims_excluded_unknown_type},
                 {"lines_outside_data_year", srep.lines_outside_year}};
  j["demographics"] = {
      {"orec_from_medicare_status", drep.orec_from_medicare_status},
      {"orec_unknown", drep.orec_unknown},
      {"esrd_status", drep.esrd},
      {"esrd_model", r.scorer->has_esrd_model() ? "ESRD-D24 dialysis"
                                                : "not available: CMS-HCC used (see notes)"},
      {"new_enrollees", drep.new_enrollees}};
  j["eligible_cpt_hcpcs_table"] = r.eligible_codes_table;
  j["notes"] = r.scorer->notes();
  j["rejected_rows"] = r.report.rejects.size();
  // Claim lines that were read but not counted, per reason (rejects.csv lists each one).
  j["rejected_lines"] = nlohmann::ordered_json::array();
  for (const auto& t : r.report.RejectTotals()) {
    j["rejected_lines"].push_back({{"reason", t.reason},
                                   {"rows", t.rows},
                                   {"paid", t.paid.ToString()},
                                   {"allowed", t.allowed.ToString()}});
  }
  j["reference_tables"] = nlohmann::ordered_json::array();
  for (const auto& t : r.refdata->Versions()) {
    j["reference_tables"].push_back({{"file", t.file}, {"sha256", t.sha256}});
  }
  return j;
}

namespace {

// Scores are member-level: the derivations go to restricted/ (0700, files 0600); trace.json
// keeps only the aggregate nodes, so `valuepact explain` reads both when the user may.
Status WriteTraceFiles(FolderWriter* w, const run::RiskRunResult& r) {
  using Access = FolderWriter::Access;
  Status s = w->Write("trace.json", r.trace.ToJson(TracePart::kAggregate).dump(1) + "\n");
  if (!s.ok()) return s;
  s = w->Write("member_trace.json", r.trace.ToJson(TracePart::kMembers).dump(1) + "\n",
               Access::kRestricted);
  if (!s.ok()) return s;
  std::string text;
  for (size_t i = 0; i < r.members.size(); ++i) {
    if (!r.explained.empty() && !r.explained[i]) continue;
    text += r.trace.Explain(risk::RiskScorer::ScoreNodeId(r.members[i].person_id));
    text += '\n';
  }
  return w->Write("explanations.txt", text, Access::kRestricted);
}

}  // namespace

Status WriteRiskTrace(const std::string& dir, const run::RiskRunResult& r) {
  auto w = FolderWriter::Begin(dir);
  if (!w.ok()) return w.status();
  if (Status s = WriteTraceFiles(&*w, r); !s.ok()) return s;
  return w->Commit();
}

Status WriteRiskFolder(const std::string& out_dir, const run::RiskRunResult& r, int payment_year) {
  auto w = FolderWriter::Begin(out_dir);
  if (!w.ok()) return w.status();
  if (Status s = WriteTraceFiles(&*w, r); !s.ok()) return s;
  using Access = FolderWriter::Access;
  for (const auto& [name, body, access] :
       {std::tuple<const char*, std::string, Access>{
            "member_scores.csv", r.scorer->MemberScoresCsv(r.members, r.results),
            Access::kRestricted},
        {"rejects.csv", r.report.RejectsCsv(), Access::kRestricted},
        {"risk_summary.json", RiskSummaryJson(r, payment_year).dump(2) + "\n", Access::kShared}}) {
    if (Status s = w->Write(name, body, access); !s.ok()) return s;
  }
  return w->Commit();
}

}  // namespace valuepact
