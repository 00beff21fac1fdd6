// valuepact synth
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "valuepact/dataset/synth.h"
#include "valuepact/ingest/program/program_reader.h"
#include "valuepact/ingest/tuva_reader.h"

namespace valuepact::cli {
namespace {

struct SynthArgs {
  uint64_t members = 1000;
  int months = 12;
  uint64_t seed = 1;
  std::string start = "2018-01";
  std::string out;
  bool no_program = false;
  double hospital_at_home = 0.0;
};

int RunSynth(const SynthArgs& a) {
  SynthOptions o;
  o.members = a.members;
  o.months = a.months;
  o.seed = a.seed;
  o.hospital_at_home_share = a.hospital_at_home;
  int y = 0, m = 0;
  if (std::sscanf(a.start.c_str(), "%d-%d", &y, &m) != 2 || m < 1 || m > 12 || y < 1900 ||
      y > 9000) {
    return Fail(InvalidInput(fmt::format("--start '{}' is not a month (YYYY-MM)", a.start)));
  }
  o.start = YearMonth::Of(y, static_cast<unsigned>(m));
  auto r = WriteSyntheticData(o, a.out);
  if (!r.ok()) return Fail(r.status());
  std::printf("Wrote %s: %llu eligibility rows, %llu medical claim lines, %llu pharmacy lines\n",
              a.out.c_str(), static_cast<unsigned long long>(r->eligibility_rows),
              static_cast<unsigned long long>(r->medical_lines),
              static_cast<unsigned long long>(r->pharmacy_lines));
  if (a.no_program) return 0;
  // Program data (referrals, program enrollments, visits, events) follows the members' claims,
  // so it is generated from the files just written.
  Dataset ds;
  IngestReport report;
  Status s = LoadTuvaDirectory(a.out, {}, &ds, &report);
  if (s.ok()) s = WriteSyntheticProgramData(ds, a.seed, a.out);
  if (!s.ok()) return Fail(s);
  std::printf("Wrote program data: referrals.csv, enrollments.csv, visits.csv, events.csv\n");
  return 0;
}

const RegisterCommand kSynth(
    {"synth", 90, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "synth",
           "Generate deterministic synthetic Tuva-layout eligibility and claims (lognormal "
           "costs, high-cost members, admissions, ED visits, churn, deaths) and program data");
       auto a = std::make_shared<SynthArgs>();
       cmd->add_option("--members", a->members, "number of members")
           ->check(CLI::Range(1ULL, 100000000ULL));
       cmd->add_option("--months", a->months, "months of history")->check(CLI::Range(1, 600));
       cmd->add_option("--seed", a->seed, "random seed (same seed, same bytes)");
       cmd->add_option("--hospital-at-home", a->hospital_at_home,
                       "share of heart-failure and pneumonia admissions (DRGs 291, 292, 194) "
                       "delivered at home: 30% less costly, a daily physician visit at home "
                       "(place of service 12), no skilled nursing stay after (default 0)")
           ->check(CLI::Range(0.0, 1.0));
       cmd->add_option("--start", a->start, "first month, YYYY-MM (default 2018-01)");
       cmd->add_option("--out", a->out, "folder to write the CSV files to")->required();
       cmd->add_flag("--no-program", a->no_program,
                     "skip the program data files (referrals, enrollments, visits, events)");
       cmd->callback([a] { SetExitCode(RunSynth(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
