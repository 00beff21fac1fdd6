// valuepact metrics: the catalogue's metrics of the contract's population, monthly and for the
// period, stratified by member attributes (docs/metrics.md). The CLI loads and writes; the
// library (run/metrics_run.h) computes.
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/metrics/catalogue.h"
#include "valuepact/run/metrics_run.h"

namespace valuepact::cli {
namespace {

struct MetricsArgs {
  run::MetricsRequest request;
  std::string out, update_doc, check_doc;
  bool list = false;
  int threads = 0;
  StoreFlags store;
};

Status WriteMetricsFiles(const run::MetricsRunResult& r, const std::string& out) {
  using Access = FolderWriter::Access;
  const run::RunInputs& in = *r.inputs;
  struct File {
    std::string name, body;
    Access access;
  };
  // Strata under min_cell are suppressed in the shared files; events name members (restricted).
  std::vector<File> files = {
      {"metrics.csv", metrics::MetricsCsv(r.metrics), Access::kShared},
      {"summary.json", r.summary.dump(2) + "\n", Access::kShared},
      {"monitoring.json", metrics::MonitoringJson(r.monitoring).dump(2) + "\n", Access::kShared},
      {"monitoring.md", metrics::MonitoringMarkdown(in.contract, r.monitoring), Access::kShared},
      {"trace.json", r.trace.ToJson(TracePart::kAggregate).dump(2) + "\n", Access::kShared},
      {"metric_events.csv", metrics::EventsCsv(r.metrics, in.dataset), Access::kRestricted},
      {"rejects.csv", in.report.RejectsCsv(), Access::kRestricted},
      {"member_trace.json", r.trace.ToJson(TracePart::kMembers).dump(2) + "\n",
       Access::kRestricted}};
  if (r.monitoring.comparison) {
    files.push_back({"comparison_members.csv",
                     metrics::ComparisonMembersCsv(*r.monitoring.comparison, in.dataset),
                     Access::kRestricted});
  }
  auto writer = FolderWriter::Begin(out);
  if (!writer.ok()) {
    return writer.status();
  }
  for (const auto& f : files) {
    if (Status s = writer->Write(f.name, f.body, f.access); !s.ok()) {
      return s;
    }
  }
  return writer->Commit();
}

int ListCatalogue() {
  for (const auto& m : metrics::Catalogue()) {
    std::printf("%-32s %s [%s; %s, %s]\n", m.id.c_str(), m.label.c_str(), m.unit.c_str(),
                metrics::DirectionName(m.direction), metrics::HorizonName(m.horizon));
  }
  return 0;
}

void PrintHeadline(const run::MetricsRunResult& r) {
  for (const char* id : {"member_months", "pmpm_total", "acute_admissions_per_1000",
                         "ed_visits_per_1000", "readmission_rate_30d"}) {
    for (const auto& row : r.metrics.rows) {
      if (row.metric == id && row.stratum == "all" && row.period == "total") {
        std::printf("  %-28s %s\n", id,
                    row.value ? (row.money             ? fmt::format("{:.2f}", *row.value / 100.0)
                                 : row.has_denominator ? fmt::format("{:.4g}", *row.value)
                                                       : fmt::format("{:.0f}", *row.value))
                                    .c_str()
                              : "n/a (empty denominator)");
      }
    }
  }
}

int RunMetrics(const MetricsArgs& a) {
  if (a.list) {
    return ListCatalogue();
  }
  if (!a.update_doc.empty() || !a.check_doc.empty()) {
    return UpdateGeneratedDoc(a.update_doc.empty() ? a.check_doc : a.update_doc,
                              !a.check_doc.empty(), "catalogue rows",
                              "valuepact metrics --update-doc", metrics::RegenerateCatalogue);
  }
  if (a.request.inputs.contract.empty() || a.request.inputs.data.empty() || a.out.empty()) {
    return Fail(InvalidInput("metrics needs CONTRACT, --data DIR and --out DIR (or --list)"));
  }
  const auto threads = LimitThreads(a.threads);
  auto r = run::MetricsRun(a.request);
  if (!r.ok()) {
    return Fail(r.status());
  }
  if (Status s = WriteMetricsFiles(*r, a.out); !s.ok()) {
    return Fail(s);
  }
  auto recorded = RecordInStore(a.store, "metrics", a.out);
  if (!recorded.ok()) return Fail(recorded.status());
  std::printf("Metrics of %s, %s to %s (the population settle uses):\n",
              r->inputs->contract.id.c_str(), r->inputs->contract.period.start.ToString().c_str(),
              r->inputs->contract.period.end.ToString().c_str());
  PrintHeadline(*r);
  for (const auto& t : r->monitoring.triggers) {
    std::printf("  trigger %-24s %s\n", t.terms->id.c_str(),
                t.fired ? ("FIRED -> " + t.terms->action).c_str() : "not fired");
  }
  for (const auto& t : r->monitoring.targets) {
    // The latest period with a value (a month not yet measured says nothing).
    size_t last = t.status.size();
    while (last > 0 && t.status[last - 1] == "not_applicable") {
      --last;
    }
    if (last > 0) {
      std::printf("  target  %-24s %s (latest measured %s)\n", t.terms->id.c_str(),
                  t.status[last - 1].c_str(), t.periods[last - 1].period.c_str());
    } else if (!t.status.empty()) {
      std::printf("  target  %-24s not_applicable in every period\n", t.terms->id.c_str());
    }
  }
  if (const size_t rejected = r->inputs->report.rejects.size(); rejected > 0) {
    std::fprintf(stderr,
                 "note: %zu input rows were rejected and are not counted; each with its file, line "
                 "and reason in %s/restricted/rejects.csv\n",
                 rejected, a.out.c_str());
  }
  for (const auto& n : r->metrics.notes) {
    std::fprintf(stderr, "note: %s\n", n.c_str());
  }
  std::printf(
      "Wrote %s: metrics.csv (%zu rows), monitoring.md, monitoring.json, summary.json, "
      "trace.json; member-level files in "
      "restricted/: metric_events.csv (%zu events), rejects.csv, member_trace.json\n"
      "Explain a value, e.g.: valuepact explain %s metrics.pmpm_total.all.total\n",
      a.out.c_str(), r->metrics.rows.size(), r->metrics.events.size(), a.out.c_str());
  if (!recorded->empty()) std::printf("%s\n", recorded->c_str());
  return 0;
}

const RegisterCommand kMetrics(
    {"metrics", 55, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "metrics", "Metrics of the contract's population, monthly and for the period");
       cmd->footer(
           "Compute the metric catalogue (valuepact metrics --list; docs/metrics.md) for the "
           "contract's population - the same members and member-months settle uses - for each "
           "month and the period, for the whole population and by member attribute (--by "
           "age_band, sex, dual_status, medicare_status, payer, plan, program_setting, race, "
           "ethnicity, state, zip3, attributed_provider). Writes "
           "metrics.csv (metric,stratum,period,numerator,denominator,value; 'n/a' when the "
           "denominator is 0, 'suppressed' for a stratum under --min-cell members), summary.json "
           "and trace.json; restricted/metric_events.csv lists every stay, visit and episode "
           "counted, with its claims. monitoring.md holds the contract's targets, triggers, the "
           "balance view (effort, the period's payments by layer as settle computes them - pass "
           "the same --measures - and outcomes), before/after enrollment and, with "
           "[comparison], enrolled vs comparison (risk adjustment reads the CMS-HCC tables of "
           "--refdata).");
       auto a = std::make_shared<MetricsArgs>();
       // The claims are read without diagnosis codes when the contract's terms use none.
       a->request.inputs.codes_as_contract_needs = true;
       cmd->add_option("contract", a->request.inputs.contract, "contract TOML file");
       AddInputFlags(cmd, &a->request.inputs,
                     kValueSetFlag | kRefdataFlag | kMeasuresFlag | kDistributedFlag);
       cmd->add_option(
           "--data", a->request.inputs.data,
           "folder of claims and eligibility, or a dataset cache written by valuepact import");
       cmd->add_option("--program", a->request.inputs.program,
                       "folder of program data (default: the data folder)");
       cmd->add_option("--format", a->request.inputs.format,
                       "data format: tuva, cclf, fhir or auto (default auto)");
       cmd->add_option("--out", a->out, "folder to write metrics.csv, ... into");
       cmd->add_option("--by", a->request.by, "stratify by these member attributes");
       cmd->add_option("--min-cell", a->request.min_cell,
                       "suppress strata with fewer members than this (default 11)");
       cmd->add_flag("--list", a->list, "list the metric catalogue");
       cmd->add_option("--update-doc", a->update_doc,
                       "regenerate the catalogue table between <!-- catalogue --> markers");
       cmd->add_option("--check-doc", a->check_doc, "check a file's catalogue table")
           ->excludes("--update-doc");
       cmd->add_option("--threads", a->threads, "worker threads (default: all cores)");
       AddStoreFlags(cmd, &a->store);
       cmd->callback([a] {
         SetExitCode(WithDistribution(a->request.inputs, [a] { return RunMetrics(*a); }));
       });
     }});

}  // namespace
}  // namespace valuepact::cli
