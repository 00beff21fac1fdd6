#pragma once
// Readers for program data (docs/input-formats.md, "Program data"): referrals.csv,
// enrollments.csv, visits.csv and events.csv. Person ids are interned into Dataset::members, so
// they join claims and eligibility. Every bad row goes to the report with file, line, field and
// reason; none is dropped silently.
#include <cstdint>
#include <string>
#include <string_view>

#include "valuepact/core/files.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/ingest/ingest_report.h"

namespace valuepact {

// Program tables, in the order they are loaded.
inline constexpr std::string_view kProgramTables[] = {"referrals", "enrollments", "visits",
                                                      "events"};

// Loads whichever of the four tables are in `dir` (files named <table>*.csv, in name order),
// read through `files`. Finding none is not an error: program data is optional. Call after the
// claims readers; the member table is refreshed when program rows name persons not seen before.
Status LoadProgramDirectory(const std::string& dir, const FileSystem& files, Dataset* dataset,
                            ProgramData* program, IngestReport* report);

// Reads one table's CSV bytes as if from a file called `display_name`. `table` is one of
// kProgramTables. A missing required column is an error naming it.
Status LoadProgramTable(std::string_view table, std::string_view bytes,
                        const std::string& display_name, Dataset* dataset, ProgramData* program,
                        IngestReport* report);

// Writes referrals.csv, enrollments.csv, visits.csv and events.csv for the members of `dataset`
// into `out_dir`: the same seed and dataset always give the same bytes. About one member in six
// is referred; outcomes, visits and events follow fixed rates documented in
// docs/input-formats.md.
Status WriteSyntheticProgramData(const Dataset& dataset, uint64_t seed, const std::string& out_dir);

}  // namespace valuepact
