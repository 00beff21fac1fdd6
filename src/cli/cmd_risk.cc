// valuepact risk | risk-score: CMS-HCC risk scores with a per-member explanation.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "valuepact/core/mapped_file.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/ingest/tuva_reader.h"
#include "valuepact/refdata/refdata_dir.h"
#include "valuepact/refdata/reference_data.h"
#include "valuepact/risk/diagnosis_sourcing.h"
#include "valuepact/risk/member_profiles.h"
#include "valuepact/risk/risk_scorer.h"

namespace valuepact::cli {
namespace {

using risk::RiskRequest;
using risk::RiskScorer;

struct RiskArgs {
  std::string data, input, out, refdata, model = "auto", trace_dir, explain = "all";
  std::string format = "auto";
  int payment_year = 0;
  int threads = 0;
};

Result<RiskRequest> MakeRequest(const std::string& model, int payment_year,
                                const std::string& refdata) {
  RiskRequest req;
  req.payment_year = payment_year;
  if (payment_year < 2000 || payment_year > 2100) {
    return InvalidInput(
        fmt::format("--payment-year {}: expected a year such as 2025", payment_year));
  }
  std::string m = model;
  for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (m == "auto") {
    // CMS's own blend when adjustment_rates.csv has the year; else the model in use then.
    auto rates = LoadCmsHccAdjustmentRates(refdata);
    if (!rates.ok()) return rates.status();
    if (risk::PlanBlend(*rates, payment_year).ok()) {
      req.blend = true;
      return req;
    }
    req.models = {payment_year >= 2024 ? HccVersion::kV28 : HccVersion::kV24};
    return req;
  }
  if (m == "blend") {
    req.blend = true;
    return req;
  }
  auto v = ParseHccVersion(model);
  if (!v.ok()) {
    return InvalidInput(
        fmt::format("--model {}: expected V24, V28 or blend (V22 and V23 are "
                    "available for comparisons)",
                    model));
  }
  req.models = {*v};
  return req;
}

Status WriteTraceDir(const std::string& dir, const Trace& trace,
                     const std::vector<risk::MemberInput>& members,
                     const std::vector<uint8_t>& explain) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError(fmt::format("{}: cannot create folder: {}", dir, ec.message()));
  Status s = WriteWholeFile((std::filesystem::path(dir) / "trace.json").string(),
                            trace.ToJson().dump(1) + "\n");
  if (!s.ok()) return s;
  std::string text;
  for (size_t i = 0; i < members.size(); ++i) {
    if (!explain.empty() && !explain[i]) continue;
    text += trace.Explain(RiskScorer::ScoreNodeId(members[i].person_id));
    text += '\n';
  }
  return WriteWholeFile((std::filesystem::path(dir) / "explanations.txt").string(), text);
}

std::vector<uint8_t> ExplainMask(const std::string& spec,
                                 const std::vector<risk::MemberInput>& members) {
  if (spec == "all") return std::vector<uint8_t>(members.size(), 1);
  std::vector<uint8_t> mask(members.size(), 0);
  if (spec == "none") return mask;
  std::set<std::string> ids;
  std::stringstream ss(spec);
  for (std::string id; std::getline(ss, id, ',');) ids.insert(id);
  for (size_t i = 0; i < members.size(); ++i) mask[i] = ids.count(members[i].person_id) != 0;
  return mask;
}

void PrintSummary(const RiskScorer& scorer, const risk::RiskRunSummary& sum) {
  for (const auto& n : scorer.notes()) std::fprintf(stderr, "note: %s\n", n.c_str());
  std::printf(
      "%llu members scored for payment year %d; diagnoses: %llu distinct, %llu mapped "
      "to a CC, %llu map to no CC, %llu malformed (ignored), %llu changed by age/sex "
      "edits\n",
      static_cast<unsigned long long>(sum.members), scorer.request().payment_year,
      static_cast<unsigned long long>(sum.dx_given), static_cast<unsigned long long>(sum.dx_mapped),
      static_cast<unsigned long long>(sum.dx_unmapped),
      static_cast<unsigned long long>(sum.dx_malformed),
      static_cast<unsigned long long>(sum.dx_edited));
}

// The reference directory (into *refdata_dir when given) and a scorer for the model and payment
// year on the command line.
Result<RiskScorer> LoadRiskScorer(const RiskArgs& a, std::string* refdata_dir) {
  auto refdata = ResolveRefdataDir(a.refdata);
  if (!refdata.ok()) return refdata.status();
  if (refdata_dir != nullptr) *refdata_dir = *refdata;
  auto req = MakeRequest(a.model, a.payment_year, *refdata);
  if (!req.ok()) return req.status();
  const ReferenceData tables(*refdata);
  return RiskScorer::Load(tables, *req);
}

int RunRiskScore(const RiskArgs& a) {
  const auto gc = LimitThreads(a.threads);
  auto scorer = LoadRiskScorer(a, nullptr);
  if (!scorer.ok()) return Fail(scorer.status());
  auto bytes = ReadWholeFile(a.input);
  if (!bytes.ok()) return Fail(InvalidInput("--input: " + bytes.status().message()));
  auto profiles = risk::ParseMemberProfiles(*bytes, a.input);
  if (!profiles.ok()) return Fail(profiles.status());
  for (const auto& c : profiles->ignored_columns) {
    std::fprintf(stderr, "note: %s: ignored column '%s'\n", a.input.c_str(), c.c_str());
  }
  Trace trace;
  const bool want_trace = !a.trace_dir.empty();
  const auto mask = ExplainMask(a.explain, profiles->members);
  risk::RiskRunSummary sum;
  const auto results =
      scorer->ScoreAll(profiles->members, want_trace ? &trace : nullptr, mask, &sum);
  Status s = WriteWholeFile(a.out, scorer->MemberScoresCsv(profiles->members, results));
  if (!s.ok()) return Fail(s);
  if (!profiles->rejects.empty()) {
    const std::string rej = a.out + ".rejects.csv";
    s = WriteWholeFile(rej, risk::ProfileRejectsCsv(a.input, profiles->rejects));
    if (!s.ok()) return Fail(s);
    std::fprintf(stderr, "%zu rows rejected; reasons in %s\n", profiles->rejects.size(),
                 rej.c_str());
  }
  if (want_trace) {
    s = WriteTraceDir(a.trace_dir, trace, profiles->members, mask);
    if (!s.ok()) return Fail(s);
  }
  PrintSummary(*scorer, sum);
  std::printf("Scores: %s%s\n", a.out.c_str(),
              want_trace ? fmt::format("; explanations: {}/explanations.txt (valuepact explain "
                                       "{} risk.<person_id>.score)",
                                       a.trace_dir, a.trace_dir)
                               .c_str()
                         : "");
  return 0;
}

int RunRisk(const RiskArgs& a) {
  const auto gc = LimitThreads(a.threads);
  std::string refdata;
  auto scorer = LoadRiskScorer(a, &refdata);
  if (!scorer.ok()) return Fail(scorer.status());
  const int data_year = a.payment_year - 1;
  auto eligible = LoadRaEligibleCodes(refdata, data_year);
  if (!eligible.ok()) return Fail(eligible.status());

  Dataset ds;
  IngestReport report;
  LoadOptions lo;
  lo.pharmacy = false;
  auto format = ParseDataFormat(a.format);
  if (!format.ok()) return Fail(format.status());
  Status s = LoadDataDirectory(a.data, *format, lo, &ds, &report);
  if (!s.ok()) return Fail(s);

  risk::DiagnosisSourcingOptions so;
  so.data_year = data_year;
  so.eligible_codes = &eligible->codes;
  risk::DiagnosisSourcingReport srep;
  const auto dx = risk::SourceDiagnoses(ds, so, &srep);
  risk::DemographicsReport drep;
  const auto members = risk::MembersFromDataset(ds, a.payment_year, dx, &drep);

  Trace trace;
  const auto mask = ExplainMask(a.explain, members);
  risk::RiskRunSummary sum;
  const auto results = scorer->ScoreAll(members, &trace, mask, &sum);

  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) return Fail(IoError(fmt::format("{}: cannot create folder: {}", a.out, ec.message())));
  const auto out = std::filesystem::path(a.out);
  s = WriteWholeFile((out / "member_scores.csv").string(),
                     scorer->MemberScoresCsv(members, results));
  if (!s.ok()) return Fail(s);
  s = WriteTraceDir(a.out, trace, members, mask);
  if (!s.ok()) return Fail(s);
  s = WriteWholeFile((out / "rejects.csv").string(), report.RejectsCsv());
  if (!s.ok()) return Fail(s);

  nlohmann::ordered_json j;
  j["payment_year"] = a.payment_year;
  j["data_year"] = data_year;
  j["models"] = nlohmann::ordered_json::array();
  for (const auto& m : scorer->models()) j["models"].push_back(HccVersionName(m.version()));
  j["blend"] = scorer->request().blend;
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
  j["demographics"] = {{"orec_from_medicare_status", drep.orec_from_medicare_status},
                       {"orec_unknown", drep.orec_unknown},
                       {"esrd_scored_with_community_model", drep.esrd},
                       {"new_enrollees", drep.new_enrollees}};
  j["eligible_cpt_hcpcs_table"] = eligible->source.file;
  j["notes"] = scorer->notes();
  j["rejected_rows"] = report.rejects.size();
  // Claim lines that were read but not counted, per reason (rejects.csv lists each one).
  j["rejected_lines"] = nlohmann::ordered_json::array();
  for (const auto& t : report.RejectTotals()) {
    j["rejected_lines"].push_back({{"reason", t.reason},
                                   {"rows", t.rows},
                                   {"paid", t.paid.ToString()},
                                   {"allowed", t.allowed.ToString()}});
  }
  s = WriteWholeFile((out / "risk_summary.json").string(), j.dump(2) + "\n");
  if (!s.ok()) return Fail(s);

  PrintSummary(*scorer, sum);
  std::printf(
      "Claims of %d: %llu in the data year, %llu accepted (%llu inpatient, %llu "
      "outpatient, %llu professional) under CMS's risk-adjustment filtering\n",
      data_year, static_cast<unsigned long long>(srep.claims_in_year),
      static_cast<unsigned long long>(srep.claims_inpatient + srep.claims_outpatient +
                                      srep.claims_professional),
      static_cast<unsigned long long>(srep.claims_inpatient),
      static_cast<unsigned long long>(srep.claims_outpatient),
      static_cast<unsigned long long>(srep.claims_professional));
  for (const auto& t : report.RejectTotals()) {
    if (t.rows > 0)
      std::printf("Claim lines rejected (not counted), %s\n", DescribeRejectTotal(t).c_str());
  }
  for (const auto& sk : drep.skipped) std::fprintf(stderr, "skipped: %s\n", sk.c_str());
  std::printf(
      "Results: %s (member_scores.csv, trace.json, explanations.txt, risk_summary.json, "
      "rejects.csv); explain one member with: valuepact explain %s risk.<person_id>.score\n",
      a.out.c_str(), a.out.c_str());
  return 0;
}

void CommonOptions(CLI::App* cmd, RiskArgs* a) {
  cmd->add_option("--payment-year", a->payment_year,
                  "payment year; diagnoses come from the calendar year before it")
      ->required();
  cmd->add_option("--refdata", a->refdata,
                  "reference tables folder containing cms-hcc/ (default: $VALUEPACT_REFDATA, "
                  "then ../shared/refdata)");
  cmd->add_option("--threads", a->threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--explain", a->explain,
                  "members to explain in the trace: all (default), none, or comma-separated "
                  "person_ids");
}

const RegisterCommand kRisk(
    {"risk", 40, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "risk",
           "CMS-HCC risk scores (V24, V28 or the payment year's blend) from claims: diagnoses of "
           "the "
           "data year filtered by CMS's risk-adjustment rules, segment from eligibility, with a "
           "per-member explanation (valuepact explain OUT risk.<person_id>.score)");
       auto a = std::make_shared<RiskArgs>();
       cmd->add_option("--data", a->data,
                       "data folder: Tuva-layout CSV (eligibility*.csv, medical_claim*.csv), CMS "
                       "CCLF files, or FHIR bulk NDJSON")
           ->required();
       cmd->add_option("--format", a->format,
                       "tuva | cclf | fhir | auto (default: detect from the file names)");
       cmd->add_option("--out", a->out,
                       "folder to write member_scores.csv, trace.json, explanations.txt, "
                       "risk_summary.json")
           ->required();
       cmd->add_option(
           "--model", a->model,
           "V24, V28, blend (the payment year's CMS blend), or auto (default: blend when "
           "adjustment_rates.csv has the year, else V24 before 2024 and V28 from 2024)");
       CommonOptions(cmd, a.get());
       cmd->callback([a] { SetExitCode(RunRisk(*a)); });
     }});

const RegisterCommand kRiskScore(
    {"risk-score", 41, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "risk-score",
           "CMS-HCC risk scores for member profiles given directly (person_id, age, sex, orec, "
           "medicaid, elig, dx_codes with pipe-separated ICD-10 codes)");
       auto a = std::make_shared<RiskArgs>();
       a->model = "";
       cmd->add_option(
              "--input", a->input,
              "profiles CSV: person_id, age (on February 1 of the payment year), sex (M/F), "
              "orec (0-3), medicaid (True/False), elig (optional segment CNA, CND, CFA, CFD, "
              "CPA, CPD, INS, NE), dx_codes (pipe-separated ICD-10, dots optional)")
           ->required();
       cmd->add_option("--model", a->model, "V24 or V28 (blend also accepted)")->required();
       cmd->add_option("--out", a->out,
                       "scores CSV to write: person_id, model, payment_year, segment, raw_score, "
                       "normalized_score, payment_score, hccs")
           ->required();
       cmd->add_option("--trace-dir", a->trace_dir,
                       "also write trace.json and explanations.txt to this folder");
       CommonOptions(cmd, a.get());
       cmd->callback([a] { SetExitCode(RunRiskScore(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
