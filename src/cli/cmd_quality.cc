// valuepact quality: the data-quality scorecard (quality.json, quality.md) and, with a contract,
// the verdict of its [data_requirements].
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "valuepact/core/file_io.h"
#include "valuepact/run/quality_run.h"

namespace valuepact::cli {
namespace {

struct QualityArgs {
  std::string data, format = "auto", contract, out = ".";
};

int RunQuality(const QualityArgs& a) {
  auto r = run::QualityRun({a.data, a.format, a.contract});
  if (!r.ok()) return Fail(r.status());
  const auto& card = r->scorecard;
  const auto& report = r->report;
  const bool have_contract = r->verdict.has_value();
  const quality::QualityVerdict verdict = r->verdict.value_or(quality::QualityVerdict{});
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  const std::string json_path = (std::filesystem::path(a.out) / "quality.json").string();
  const std::string md_path = (std::filesystem::path(a.out) / "quality.md").string();
  if (Status st =
          WriteWholeFile(json_path, quality::QualityJson(card, have_contract ? &verdict : nullptr));
      !st.ok()) {
    return Fail(st);
  }
  if (Status st = WriteWholeFile(
          md_path, quality::QualityMarkdown(card, have_contract ? &verdict : nullptr));
      !st.ok()) {
    return Fail(st);
  }
  if (!report.rejects.empty()) {
    const std::string rejects = (std::filesystem::path(a.out) / "rejects.csv").string();
    // Rejects name members' rows: readable only by the user who ran the command.
    if (Status st = WriteWholeFile(rejects, report.RejectsCsv(), 0600); !st.ok()) return Fail(st);
  }
  std::printf(
      "%llu members, %llu medical lines, %llu pharmacy lines, %llu entries in rejects.csv\n",
      static_cast<unsigned long long>(card.members),
      static_cast<unsigned long long>(card.medical_lines),
      static_cast<unsigned long long>(card.pharmacy_lines),
      static_cast<unsigned long long>(report.rejects.size()));
  for (const auto& f : card.findings) std::printf("- %s\n", f.c_str());
  std::printf("wrote %s and %s\n", json_path.c_str(), md_path.c_str());
  if (have_contract) {
    for (const auto& c : verdict.checks) {
      std::printf("%-24s %-14s actual %-28s %s\n", c.name.c_str(), c.required.c_str(),
                  c.actual.c_str(), c.status.c_str());
    }
    if (!verdict.passed) {
      return Fail(
          Status(StatusCode::kFailedCheck, "the data failed the contract's [data_requirements]"));
    }
    std::printf("the data meets the contract's [data_requirements]\n");
  }
  return 0;
}

static RegisterCommand reg(
    {"quality", 60, [](CLI::App& app) {
       auto args = std::make_shared<QualityArgs>();
       auto* cmd = app.add_subcommand(
           "quality",
           "Score the input data before settling on it: completeness and validity per field "
           "(ICD-10-CM shape, NPI check digit, HCPCS, place of service, bill type, revenue code, "
           "dates, amounts), duplicates, claims outside enrollment, overlapping eligibility, claim "
           "lag and completion, month-over-month volume and cost, counts per delivery. Writes "
           "quality.json and quality.md; with --contract, checks its [data_requirements] and exits "
           "1 when the data fails them.");
       cmd->add_option("--data", args->data,
                       "Input directory (Tuva CSV tables, CCLF files or FHIR NDJSON), or a "
                       "dataset cache written by valuepact import")
           ->required();
       cmd->add_option("--format", args->format,
                       "Input format: tuva, cclf, fhir, or auto (detect from the file names)")
           ->capture_default_str();
       cmd->add_option("--contract", args->contract,
                       "Contract TOML whose [data_requirements] thresholds decide pass or fail "
                       "(e.g. min_enrollment_match = 0.98, max_invalid_dx_share = 0.01, "
                       "delivery_day_of_month = 15, max_lag_days_p90 = 90)")
           ->check(CLI::ExistingFile);
       cmd->add_option("--out", args->out,
                       "Directory for quality.json, quality.md (and rejects.csv)")
           ->capture_default_str();
       cmd->callback([args]() { SetExitCode(RunQuality(*args)); });
     }});

}  // namespace
}  // namespace valuepact::cli
