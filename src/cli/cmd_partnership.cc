// valuepact partnership check DIR | payer-mix --data DIR (docs/partnership.md)
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/core/sha256.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/partnership/partnership.h"
#include "valuepact/report/run_output.h"
#include "valuepact/store/access.h"

namespace valuepact::cli {
namespace {

struct CheckArgs {
  std::string dir, as_of, out;
  bool strict = false;
  StoreFlags store;
};

Date Today() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return Date::FromCivil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                         static_cast<unsigned>(tm.tm_mday));
}

// The record's summary.json, so the run store keeps each check as a run of its own: contract id
// "partnership:<id>" (the server shows it to the partnership's parties), the files read with
// their hashes, the date judged on and what was found.
Result<nlohmann::ordered_json> RecordSummary(const partnership::Partnership& p,
                                             const partnership::Review& r, Date as_of) {
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  Sha256 id;
  id.Update(fmt::format("valuepact-partnership-v1\nengine {}\nas_of {}\n", EngineVersion(),
                        as_of.ToString()));
  for (const char* name : partnership::kRecordFiles) {
    const std::string path = p.dir + "/" + name;
    if (!std::filesystem::exists(path)) continue;
    auto bytes = ReadWholeFile(path);
    if (!bytes.ok()) return bytes.status();
    const std::string sha = Sha256Hex(*bytes);
    id.Update(fmt::format("{} {}\n", name, sha));
    inputs.push_back({{"table", "partnership"}, {"path", path}, {"sha256", sha}});
  }
  nlohmann::ordered_json j;
  j["run_id"] = id.FinishHex().substr(0, 16);
  j["contract_id"] = kPartnershipRecord + p.id;
  j["partnership_id"] = p.id;
  j["engine_version"] = EngineVersion();
  j["as_of"] = as_of.ToString();
  if (!p.versions.empty()) j["contract_version"] = p.versions.back().version;
  j["inputs"] = std::move(inputs);
  size_t gaps = 0, overlaps = 0;
  for (const auto& f : r.findings) {
    gaps += f.problem == "gap" ? 1 : 0;
    overlaps += f.problem == "overlap" ? 1 : 0;
  }
  j["findings"] = {{"gaps", gaps},
                   {"overlaps", overlaps},
                   {"other", r.findings.size() - gaps - overlaps},
                   {"overdue_actions", r.overdue.size()},
                   {"meeting_overdue", r.meeting_overdue}};
  return j;
}

Status WriteRecord(const CheckArgs& a, const partnership::Partnership& p,
                   const partnership::Review& r, Date as_of, const std::string& md) {
  auto summary = RecordSummary(p, r, as_of);
  if (!summary.ok()) return summary.status();
  auto w = FolderWriter::Begin(a.out);
  if (!w.ok()) return w.status();
  for (const auto& [name, body] :
       {std::pair<const char*, std::string>{"partnership.md", md},
        {"partnership.json", partnership::ReviewJson(p, r).dump(2) + "\n"},
        {"summary.json", summary->dump(2) + "\n"}}) {
    if (Status s = w->Write(name, body); !s.ok()) return s;
  }
  return w->Commit();
}

int RunCheck(const CheckArgs& a) {
  Date as_of = Today();
  if (!a.as_of.empty()) {
    auto d = ParseDate(a.as_of);
    if (!d.ok()) {
      return Fail(InvalidInput(fmt::format("--as-of {}: {}", a.as_of, d.status().message())));
    }
    as_of = *d;
  }
  auto p = partnership::LoadPartnership(a.dir);
  if (!p.ok()) return Fail(p.status());
  const auto r = partnership::ReviewPartnership(*p, as_of);
  const std::string md = partnership::ReviewMarkdown(*p, r);
  if (a.out.empty()) {
    std::printf("%s", md.c_str());
  } else {
    if (Status s = WriteRecord(a, *p, r, as_of, md); !s.ok()) return Fail(s);
    std::printf("Wrote %s: partnership.md, partnership.json, summary.json\n", a.out.c_str());
    auto recorded = RecordInStore(a.store, "partnership", a.out);
    if (!recorded.ok()) return Fail(recorded.status());
    if (!recorded->empty()) std::printf("%s\n", recorded->c_str());
  }
  size_t gaps = 0, overlaps = 0;
  for (const auto& f : r.findings) {
    gaps += f.problem == "gap" ? 1 : 0;
    overlaps += f.problem == "overlap" ? 1 : 0;
  }
  std::fflush(stdout);
  std::fprintf(stderr, "%s: valid; %zu gap%s, %zu overlap%s, %zu overdue action%s%s\n",
               a.dir.c_str(), gaps, gaps == 1 ? "" : "s", overlaps, overlaps == 1 ? "" : "s",
               r.overdue.size(), r.overdue.size() == 1 ? "" : "s",
               r.meeting_overdue ? ", a meeting overdue" : "");
  return a.strict && (!r.findings.empty() || !r.overdue.empty() || r.meeting_overdue) ? 1 : 0;
}

int RunPayerMix(const std::string& data) {
  Dataset ds;
  IngestReport report;
  if (Status s = LoadDataDirectory(data, DataFormat::kAuto, LoadOptions{}, &ds, &report); !s.ok()) {
    return Fail(s);
  }
  std::printf("%-28s %10s %8s %16s %8s\n", "payer", "members", "share", "paid", "share");
  for (const auto& s : partnership::PayerMix(ds)) {
    std::printf("%-28s %10lld %7.1f%% %16s %7.1f%%\n", s.payer.c_str(),
                static_cast<long long>(s.members), 100 * s.member_share, s.paid.ToString().c_str(),
                100 * s.paid_share);
  }
  if (!report.rejects.empty()) {
    std::fprintf(stderr, "note: %zu input rows were rejected and are not counted\n",
                 report.rejects.size());
  }
  return 0;
}

const RegisterCommand kPartnership(
    {"partnership", 38, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "partnership",
           "The partnership record: who does what, readiness, governance log (check), and a "
           "dataset's payer mix (payer-mix)");
       cmd->require_subcommand(1);
       auto* check = cmd->add_subcommand(
           "check",
           "Validate a partnership folder and report gaps and overlaps in who does what, each "
           "partner's readiness, the next meeting due and overdue action items");
       check->footer(
           "Exit codes: 0 valid (with --strict: and no gap, overlap, missing or doubled "
           "accountability, overdue action or meeting); 1 with --strict, findings; 2 invalid "
           "record (every problem listed with its file, line and field). docs/partnership.md.");
       auto a = std::make_shared<CheckArgs>();
       check->add_option("DIR", a->dir, "partnership folder (partnership.toml and its CSV files)")
           ->required();
       check->add_option("--as-of", a->as_of,
                         "date to judge overdue items on, YYYY-MM-DD (default: today, UTC)");
       check->add_option("--out", a->out,
                         "folder to write partnership.md and partnership.json to (default: print)");
       check->add_flag("--strict", a->strict, "exit 1 when there are findings");
       AddStoreFlags(check, &a->store);
       check->callback([a] { SetExitCode(RunCheck(*a)); });
       auto* mix = cmd->add_subcommand(
           "payer-mix",
           "Rank the payers in a dataset by members served and spend: which plans to approach "
           "first");
       auto data = std::make_shared<std::string>();
       mix->add_option("--data", *data, "data folder (Tuva CSV, CCLF or FHIR)")->required();
       mix->callback([data] { SetExitCode(RunPayerMix(*data)); });
     }});

}  // namespace
}  // namespace valuepact::cli
