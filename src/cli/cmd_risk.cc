// valuepact risk | risk-score: CMS-HCC risk scores with a per-member explanation.
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/core/file_io.h"
#include "valuepact/report/risk_output.h"
#include "valuepact/run/risk_run.h"

namespace valuepact::cli {
namespace {

using risk::RiskScorer;

// The request's fields plus what only the CLI needs.
struct RiskArgs : run::RiskRequest {
  std::string out, trace_dir;
  int threads = 0;
};

void PrintSummary(const RiskScorer& scorer, const risk::RiskRunSummary& sum) {
  for (const auto& n : scorer.notes()) {
    std::fprintf(stderr, "note: %s\n", n.c_str());
  }
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

int RunRiskScore(const RiskArgs& a) {
  const auto gc = LimitThreads(a.threads);
  auto r = run::RiskScoreRun(a);
  if (!r.ok()) {
    return Fail(r.status());
  }
  for (const auto& c : r->profiles.ignored_columns) {
    std::fprintf(stderr, "note: %s: ignored column '%s'\n", a.input.c_str(), c.c_str());
  }
  // Member-level: only the user who ran the command may read the scores and rejects.
  Status s = WriteWholeFile(a.out, r->scorer->MemberScoresCsv(r->members, r->results), 0600);
  if (!s.ok()) {
    return Fail(s);
  }
  if (!r->profiles.rejects.empty()) {
    const std::string rej = a.out + ".rejects.csv";
    s = WriteWholeFile(rej, risk::ProfileRejectsCsv(a.input, r->profiles.rejects), 0600);
    if (!s.ok()) {
      return Fail(s);
    }
    std::fprintf(stderr, "%zu rows rejected; reasons in %s\n", r->profiles.rejects.size(),
                 rej.c_str());
  }
  const bool want_trace = !a.trace_dir.empty();
  if (want_trace) {
    s = WriteRiskTrace(a.trace_dir, *r);
    if (!s.ok()) {
      return Fail(s);
    }
  }
  PrintSummary(*r->scorer, r->summary);
  std::printf("Scores: %s%s\n", a.out.c_str(),
              want_trace
                  ? fmt::format("; explanations: {}/restricted/explanations.txt (valuepact explain "
                                "{} risk.<person_id>.score)",
                                a.trace_dir, a.trace_dir)
                        .c_str()
                  : "");
  return 0;
}

int RunRisk(const RiskArgs& a) {
  const auto gc = LimitThreads(a.threads);
  auto r = run::RiskRun(a);
  if (!r.ok()) {
    return Fail(r.status());
  }
  if (Status s = WriteRiskFolder(a.out, *r, a.payment_year); !s.ok()) {
    return Fail(s);
  }
  const auto& srep = r->sourcing;
  PrintSummary(*r->scorer, r->summary);
  std::printf(
      "Claims of %d: %llu in the data year, %llu accepted (%llu inpatient, %llu "
      "outpatient, %llu professional) under CMS's risk-adjustment filtering\n",
      r->data_year, static_cast<unsigned long long>(srep.claims_in_year),
      static_cast<unsigned long long>(srep.claims_inpatient) +
          static_cast<unsigned long long>(srep.claims_outpatient) +
          static_cast<unsigned long long>(srep.claims_professional),
      static_cast<unsigned long long>(srep.claims_inpatient),
      static_cast<unsigned long long>(srep.claims_outpatient),
      static_cast<unsigned long long>(srep.claims_professional));
  for (const auto& t : r->report.RejectTotals()) {
    if (t.rows > 0) {
      std::printf("Claim lines rejected (not counted), %s\n", DescribeRejectTotal(t).c_str());
    }
  }
  for (const auto& sk : r->demographics.skipped) {
    std::fprintf(stderr, "skipped: %s\n", sk.c_str());
  }
  std::printf(
      "Results: %s (risk_summary.json; member-level, readable by you only, in restricted/: "
      "member_scores.csv, member_trace.json, explanations.txt, rejects.csv); explain one member "
      "with: valuepact explain %s risk.<person_id>.score\n",
      a.out.c_str(), a.out.c_str());
  return 0;
}

void CommonOptions(CLI::App* cmd, RiskArgs* a) {
  cmd->add_option("--payment-year", a->payment_year,
                  "payment year; diagnoses come from the calendar year before it")
      ->required();
  cmd->add_option(
      "--refdata", a->refdata,
      std::string("reference tables folder containing cms-hcc/ ") + kRefdataDefaultHelp);
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
       cmd->add_option(
              "--data", a->data,
              "data folder: Tuva-layout CSV (eligibility*.csv, medical_claim*.csv), CMS "
              "CCLF files, or FHIR bulk NDJSON; or a dataset cache written by valuepact import")
           ->required();
       cmd->add_option("--format", a->format,
                       "tuva | cclf | fhir | auto (default: detect from the file names)");
       cmd->add_option("--out", a->out,
                       "folder to write risk_summary.json and, in restricted/ (0700, files "
                       "0600), member_scores.csv, member_trace.json, explanations.txt, rejects.csv")
           ->required();
       cmd->add_option(
           "--model", a->model,
           "V24, V28, blend (the payment year's CMS blend), or auto (default: blend when "
           "adjustment_rates.csv has the year, else V24 before 2024 and V28 from 2024)");
       CommonOptions(cmd, a.get());
       cmd->add_flag("--distributed", a->distributed,
                     "run as one rank of mpirun -np N: every rank parses a share of the CSV "
                     "rows, rank 0 scores and writes the same results as one process "
                     "(docs/scaling.md)");
       cmd->callback([a] {
         SetExitCode(WithDistribution(
             a->distributed,
             [a] {
               Dataset unused;
               IngestReport report;
               return run::ReadRiskData(*a, &unused, &report);
             },
             [a] { return RunRisk(*a); }));
       });
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
              "CPA, CPD, INS, NE), dx_codes (pipe-separated ICD-10, dots optional), esrd "
              "(optional, True/False), graft_months (optional: month counted from a kidney "
              "transplant, 1-3 transplant, 4 on functioning graft; scored with the ESRD model)")
           ->required();
       cmd->add_option("--model", a->model, "V24 or V28 (blend also accepted)")->required();
       cmd->add_option("--out", a->out,
                       "scores CSV to write: person_id, model, payment_year, segment, raw_score, "
                       "normalized_score, payment_score, hccs")
           ->required();
       cmd->add_option("--trace-dir", a->trace_dir,
                       "also write the derivations to this folder (trace.json; restricted/: "
                       "member_trace.json, explanations.txt)");
       CommonOptions(cmd, a.get());
       cmd->callback([a] { SetExitCode(RunRiskScore(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
