#include "valuepact/ingest/program/program_reader.h"
#include "valuepact/core/numbers.h"
#include "valuepact/core/text.h"

#include "valuepact/core/files.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/file_io.h"

namespace valuepact {
namespace {

struct ColumnSpec {
  const char* name;
  bool required;
  std::vector<const char*> aliases;
};

const std::vector<ColumnSpec>& Columns(std::string_view table) {
  static const std::map<std::string_view, std::vector<ColumnSpec>> specs = {
      {"referrals",
       {{"person_id", true, {"patient_id", "member_id"}},
        {"referral_date", true, {}},
        {"source", false, {}},
        {"reason", false, {}},
        {"outcome", false, {}},
        {"decision_date", false, {}}}},
      {"enrollments",
       {{"person_id", true, {"patient_id", "member_id"}},
        {"start", true, {"start_date", "enrollment_start_date"}},
        {"end", false, {"end_date", "enrollment_end_date"}},
        {"setting", true, {}},
        {"end_reason", false, {}}}},
      {"visits",
       {{"person_id", true, {"patient_id", "member_id"}},
        {"date", true, {"visit_date"}},
        {"discipline", true, {}},
        {"modality", true, {}},
        {"minutes", true, {}},
        {"travel_minutes", false, {}},
        {"status", false, {"visit_status"}}}},
      {"events",
       {{"person_id", true, {"patient_id", "member_id"}},
        {"date", true, {"event_date"}},
        {"event", true, {}},
        {"value", false, {}},
        {"location", false, {}},
        {"preferred_location", false, {}}}},
  };
  static const std::vector<ColumnSpec> none;
  auto it = specs.find(table);
  return it == specs.end() ? none : it->second;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

template <size_t N>
std::string Expected(const std::array<std::string_view, N>& names) {
  std::string out;
  for (auto n : names) {
    out += (out.empty() ? "" : ", ") + std::string(n);
  }
  return "expected one of: " + out;
}

// One row being read: field access by column, and rejects that name the field.
class Row {
 public:
  Row(const std::vector<std::string_view>& fields, const std::vector<int>& cols,
      const std::string& file, uint64_t line, IngestReport* report)
      : fields_(fields), cols_(cols), file_(file), line_(line), report_(report) {}

  std::string_view Get(size_t spec_index) const {
    const int c = cols_[spec_index];
    return c < 0 || static_cast<size_t>(c) >= fields_.size() ? std::string_view()
                                                             : Trim(fields_[c]);
  }
  bool Reject(const char* field, std::string_view value, std::string reason) {
    report_->AddReject(file_, line_, field, value, std::move(reason));
    ok_ = false;
    return false;
  }
  bool ok() const { return ok_; }

  bool DateField(size_t i, const char* name, bool required, Date* out) {
    const std::string_view v = Get(i);
    if (v.empty()) {
      *out = kNoDate;
      return required ? Reject(name, v, "required date is empty") : true;
    }
    auto d = ParseDate(v);
    if (!d.ok()) {
      return Reject(name, v, "expected a date YYYY-MM-DD");
    }
    *out = *d;
    return true;
  }

  template <typename E, size_t N>
  bool EnumField(size_t i, const char* name, const std::array<std::string_view, N>& names,
                 bool allow_empty, E empty_value, E* out) {
    const std::string v = Lower(Get(i));
    if (v.empty()) {
      if (allow_empty) {
        *out = empty_value;
        return true;
      }
      return Reject(name, v, "required value is empty; " + Expected(names));
    }
    const int k = ProgramEnumIndex(names, v);
    if (k < 0) {
      return Reject(name, Get(i), "unknown value; " + Expected(names));
    }
    *out = static_cast<E>(k);
    return true;
  }

  bool MinutesField(size_t i, const char* name, bool required, int32_t* out) {
    const std::string_view v = Get(i);
    *out = 0;
    if (v.empty()) {
      return required ? Reject(name, v, "required number of minutes is empty") : true;
    }
    int32_t x = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || p != v.data() + v.size() || x < 0 || x > 24 * 60) {
      return Reject(name, v, "expected whole minutes from 0 to 1440");
    }
    *out = x;
    return true;
  }

 private:
  const std::vector<std::string_view>& fields_;
  const std::vector<int>& cols_;
  const std::string& file_;
  uint64_t line_;
  IngestReport* report_;
  bool ok_ = true;
};

uint32_t TextId(ProgramData* p, std::string_view v) {
  return v.empty() ? kNoCode : p->text.Intern(Lower(v));
}

}  // namespace

Status LoadProgramTable(std::string_view table, std::string_view bytes,
                        const std::string& display_name, Dataset* ds, ProgramData* p,
                        IngestReport* report) {
  const auto& spec = Columns(table);
  if (spec.empty()) {
    return InvalidInput(
        fmt::format("{}: unknown program table '{}' (expected referrals, "
                    "enrollments, visits or events)",
                    display_name, table));
  }
  if (!IsValidUtf8(bytes)) {
    return InvalidInput(fmt::format("{}: the file is not valid UTF-8 text", display_name));
  }
  CsvCursor cursor(bytes, CsvChunk{SkipBom(bytes), bytes.size(), 1});
  std::vector<std::string_view> fields;
  uint64_t line = 0;
  std::string error;
  const auto first = cursor.Next(&fields, &line, &error);
  if (first == CsvCursor::Outcome::kEnd) {
    return InvalidInput(fmt::format("{}: empty file; expected a header row", display_name));
  }
  if (first == CsvCursor::Outcome::kMalformed) {
    return InvalidInput(fmt::format("{}:{}: header: {}", display_name, line, error));
  }
  const size_t width = fields.size();
  std::vector<int> cols(spec.size(), -1);
  std::vector<bool> used(fields.size(), false);
  for (size_t i = 0; i < spec.size(); ++i) {
    for (size_t f = 0; f < fields.size(); ++f) {
      const std::string h = Lower(Trim(fields[f]));
      bool match = h == spec[i].name;
      for (const char* a : spec[i].aliases) {
        match = match || h == a;
      }
      if (match && cols[i] < 0) {
        cols[i] = static_cast<int>(f);
        used[f] = true;
      }
    }
    if (cols[i] < 0 && spec[i].required) {
      return InvalidInput(
          fmt::format("{}:{}: missing required column '{}'", display_name, line, spec[i].name));
    }
  }
  std::vector<std::string> ignored;
  for (size_t f = 0; f < fields.size(); ++f) {
    if (!used[f]) {
      ignored.push_back(fmt::format("'{}'", Trim(fields[f])));
    }
  }
  if (!ignored.empty()) {
    report->notes.push_back(fmt::format("{}: ignored column{} {}", display_name,
                                        ignored.size() == 1 ? "" : "s", JoinLimited(ignored, 20)));
  }
  SourceFile sf;
  sf.path = display_name;
  sf.table = std::string(table);
  sf.format = "program_csv";
  sf.sha256 = FingerprintBytes(bytes);
  const uint32_t file_index = static_cast<uint32_t>(ds->sources.size());
  const uint32_t members_before = ds->member_count();
  uint64_t read = 0, rejected = 0;
  while (true) {
    const auto outcome = cursor.Next(&fields, &line, &error);
    if (outcome == CsvCursor::Outcome::kEnd) {
      break;
    }
    ++read;
    if (outcome == CsvCursor::Outcome::kMalformed) {
      report->AddReject(display_name, line, "", cursor.raw(), error);
      ++rejected;
      continue;
    }
    if (fields.size() != width) {
      report->AddReject(
          display_name, line, "", cursor.raw(),
          fmt::format("expected {} fields (as in the header), found {}", width, fields.size()));
      ++rejected;
      continue;
    }
    Row row(fields, cols, display_name, line, report);
    const std::string_view person = row.Get(0);
    if (person.empty()) {
      row.Reject("person_id", person, "required person_id is empty");
    }
    const SourceRef src{file_index, static_cast<uint32_t>(line)};
    if (table == "referrals") {
      Date date, decision;
      ReferralOutcome outcome_value = ReferralOutcome::kPending;
      row.DateField(1, "referral_date", true, &date);
      row.EnumField(4, "outcome", kReferralOutcomeNames, true, ReferralOutcome::kPending,
                    &outcome_value);
      row.DateField(5, "decision_date", false, &decision);
      if (row.ok() && decision != kNoDate && decision < date) {
        row.Reject("decision_date", row.Get(5), "decision_date is before referral_date");
      }
      if (row.ok()) {
        auto& t = p->referrals;
        t.member.push_back(ds->members.Intern(person));
        t.referral_date.push_back(date);
        t.source_text.push_back(TextId(p, row.Get(2)));
        t.reason_text.push_back(TextId(p, row.Get(3)));
        t.outcome.push_back(outcome_value);
        t.decision_date.push_back(decision);
        t.source.push_back(src);
      }
    } else if (table == "enrollments") {
      Date start, end;
      CareSetting setting = CareSetting::kHome;
      row.DateField(1, "start", true, &start);
      row.DateField(2, "end", false, &end);
      row.EnumField(3, "setting", kCareSettingNames, false, CareSetting::kHome, &setting);
      if (row.ok() && end != kNoDate && end < start) {
        row.Reject("end", row.Get(2), "end is before start");
      }
      if (row.ok()) {
        auto& t = p->enrollments;
        t.member.push_back(ds->members.Intern(person));
        t.start.push_back(start);
        t.end.push_back(end);
        t.setting.push_back(setting);
        t.end_reason_text.push_back(TextId(p, row.Get(4)));
        t.source.push_back(src);
      }
    } else if (table == "visits") {
      Date date;
      Discipline discipline = Discipline::kOther;
      Modality modality = Modality::kInPerson;
      int32_t minutes = 0, travel = 0;
      VisitStatus status = VisitStatus::kCompleted;
      row.EnumField(6, "status", kVisitStatusNames, true, VisitStatus::kCompleted, &status);
      const bool completed = status == VisitStatus::kCompleted;
      row.DateField(1, "date", true, &date);
      row.EnumField(2, "discipline", kDisciplineNames, false, Discipline::kOther, &discipline);
      row.EnumField(3, "modality", kModalityNames, false, Modality::kInPerson, &modality);
      // A visit that did not take place need not say how long it took.
      row.MinutesField(4, "minutes", completed, &minutes);
      row.MinutesField(5, "travel_minutes", false, &travel);
      if (row.ok() && !completed) {
        auto& t = p->bookings;
        t.member.push_back(ds->members.Intern(person));
        t.date.push_back(date);
        t.status.push_back(status);
        t.source.push_back(src);
      } else if (row.ok()) {
        auto& t = p->visits;
        t.member.push_back(ds->members.Intern(person));
        t.date.push_back(date);
        t.discipline.push_back(discipline);
        t.modality.push_back(modality);
        t.minutes.push_back(minutes);
        t.travel_minutes.push_back(travel);
        t.source.push_back(src);
      }
    } else {
      Date date;
      ProgramEvent event = ProgramEvent::kInitialAssessment;
      row.DateField(1, "date", true, &date);
      row.EnumField(2, "event", kProgramEventNames, false, ProgramEvent::kInitialAssessment,
                    &event);
      double value = std::nan("");
      const std::string_view v = row.Get(3);
      if (!v.empty()) {
        const auto parsed = ParseDouble(v);
        value = parsed.value_or(0);
        if (!parsed) {
          row.Reject("value", v, "expected a number (a score or count) or nothing");
        }
      }
      if (row.ok()) {
        auto& t = p->events;
        t.member.push_back(ds->members.Intern(person));
        t.date.push_back(date);
        t.event.push_back(event);
        t.value.push_back(value);
        t.location_text.push_back(TextId(p, row.Get(4)));
        t.preferred_location_text.push_back(TextId(p, row.Get(5)));
        t.source.push_back(src);
      }
    }
    if (!row.ok()) {
      ++rejected;
    }
  }
  report->NoteUnterminatedLastLine(bytes, display_name);
  sf.rows_read = read;
  sf.rows_rejected = rejected;
  ds->sources.push_back(std::move(sf));
  report->counters[std::string(table) + ".rows_read"] += read;
  report->counters[std::string(table) + ".rows_rejected"] += rejected;
  if (ds->member_count() != members_before) {
    report->notes.push_back(
        fmt::format("{}: {} person(s) have program data but no eligibility or claims rows",
                    display_name, ds->member_count() - members_before));
    // Keep one member_info row per member id.
    ds->FinalizeMembers();
  }
  return Status::Ok();
}

Status LoadProgramDirectory(const std::string& dir, const FileSystem& files, Dataset* ds,
                            ProgramData* p, IngestReport* report) {
  if (files.Kind(dir) != FileKind::kDirectory) {
    return NotFound(fmt::format("program data directory '{}' does not exist", dir));
  }
  auto listed = files.List(dir);
  if (!listed.ok()) {
    return listed.status();
  }
  for (std::string_view table : kProgramTables) {
    for (const auto& path : *listed) {
      const std::string n = std::filesystem::path(path).filename().string();
      if (n.size() < 4 || n.substr(n.size() - 4) != ".csv" || n.rfind(table, 0) != 0) {
        continue;
      }
      auto bytes = files.Map(path);
      if (!bytes.ok()) {
        return bytes.status();
      }
      Status s = LoadProgramTable(table, bytes->data(), path, ds, p, report);
      if (!s.ok()) {
        return s;
      }
    }
  }
  return Status::Ok();
}

}  // namespace valuepact
