#include "cli/run_flags.h"

namespace valuepact::cli {

void AddInputFlags(CLI::App* cmd, run::InputPaths* p, unsigned which) {
  if (which & kDataFlags) {
    cmd->add_option("--data", p->data,
                    "data folder: Tuva-layout CSV (eligibility*.csv, medical_claim*.csv, "
                    "pharmacy_claim*.csv), CMS CCLF files, or FHIR bulk NDJSON; or a dataset cache "
                    "written by valuepact import")
        ->required();
    cmd->add_option("--program", p->program,
                    "folder with program data (referrals.csv, enrollments.csv, visits.csv, "
                    "events.csv); default: the --data folder");
    cmd->add_option("--format", p->format,
                    "tuva | cclf | fhir | auto (default: detect from the file names)");
  }
  if (which & kValueSetFlag) {
    cmd->add_flag("--allow-outside-paths", p->allow_outside_paths,
                  "let the contract name files outside its own folder (absolute paths, '..')");
    cmd->add_option("--value-sets", p->value_sets,
                    "folder of value-set CSV files for [definitions] (repeatable; default: "
                    "valuesets/ beside the contract, then $VALUEPACT_VALUESETS, then the shipped "
                    "valuesets/)");
  }
  if (which & kRefdataFlag) {
    cmd->add_option("--refdata", p->refdata,
                    std::string("reference tables folder ") + kRefdataDefaultHelp);
  }
  if (which & kMeasuresFlag) {
    cmd->add_option("--measures", p->measures,
                    "CSV of measured values (measure,value[,source]) for quality_incentive and "
                    "data_reporting_incentive layers");
  }
}

}  // namespace valuepact::cli
