// Which claim lines changed between two runs' data (compare.h): each line is keyed by its claim
// id and line number; one only in the later data was added, one only in the earlier removed,
// one in both with another value restated.
#include <filesystem>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "review/review_internal.h"
#include "valuepact/core/file_io.h"
#include "valuepact/ingest/load_data.h"

namespace valuepact::review {
namespace {
namespace fs = std::filesystem;

// The folder a run read its data from, checked against the hashes it recorded: "" with *why
// set when it cannot be used.
std::string DataFolder(const RunRecord& r, const std::string& given, std::string* why) {
  if (!given.empty()) return given;
  std::string dir;
  for (const auto& in : r.summary.value("inputs", nlohmann::ordered_json::array())) {
    const std::string table = in.value("table", "");
    if (table == "contract" || table == "refdata" || table == "value_set") continue;
    const std::string path = in.value("path", "");
    auto bytes = ReadWholeFile(path);
    if (!bytes.ok() || FingerprintBytes(*bytes) != in.value("sha256", "")) {
      *why = fmt::format(
          "the data run {} read is no longer at {} as it was (moved or changed); pass "
          "--data-a/--data-b with the folders",
          r.run_id.substr(0, 16), path);
      return "";
    }
    if (dir.empty()) dir = fs::path(path).parent_path().string();
  }
  if (dir.empty()) *why = fmt::format("run {} names no data files", r.run_id.substr(0, 16));
  return dir;
}

struct Line {
  std::string person;
  std::vector<std::pair<const char*, std::string>> fields;
  Money amount;
};

using LineKey = std::tuple<std::string, int, char>;  // claim id, line, medical 'm' / pharmacy 'p'

std::string Code(const Dataset& ds, uint32_t id) {
  return id == kNoCode ? "" : std::string(ds.codes.Get(id));
}

std::string DateText(Date d) { return d == kNoDate ? "" : d.ToString(); }

std::map<LineKey, Line> LinesOf(const Dataset& ds, bool allowed) {
  std::map<LineKey, Line> out;
  const auto& t = ds.medical;
  for (size_t i = 0; i < t.size(); ++i) {
    Line l;
    l.person = std::string(ds.members.Get(t.member[i]));
    l.amount = allowed ? t.allowed[i] : t.paid[i];
    const uint32_t dx = t.FirstDiagnosis(i);
    l.fields = {{"person_id", l.person},
                {"claim_start_date", DateText(t.claim_start[i])},
                {"claim_end_date", DateText(t.claim_end[i])},
                {"paid_amount", t.paid[i].ToString()},
                {"allowed_amount", t.allowed[i].ToString()},
                {"hcpcs_code", Code(ds, t.hcpcs[i])},
                {"ms_drg_code", Code(ds, t.drg[i])},
                {"place_of_service_code", Code(ds, t.place_of_service[i])},
                {"revenue_center_code", Code(ds, t.revenue_code[i])},
                {"diagnosis_code_1", Code(ds, dx)}};
    out[{std::string(ds.claim_ids.Get(t.claim[i])), t.line_number[i], 'm'}] = std::move(l);
  }
  const auto& p = ds.pharmacy;
  for (size_t i = 0; i < p.size(); ++i) {
    Line l;
    l.person = std::string(ds.members.Get(p.member[i]));
    l.amount = allowed ? p.allowed[i] : p.paid[i];
    l.fields = {{"person_id", l.person},
                {"dispensing_date", DateText(p.dispensing_date[i])},
                {"ndc_code", Code(ds, p.ndc[i])},
                {"paid_amount", p.paid[i].ToString()},
                {"allowed_amount", p.allowed[i].ToString()}};
    out[{std::string(ds.claim_ids.Get(p.claim[i])), p.line_number[i], 'p'}] = std::move(l);
  }
  return out;
}

Result<std::map<LineKey, Line>> Load(const std::string& dir, bool allowed) {
  Dataset ds;
  IngestReport report;
  LoadOptions options;
  options.basis = allowed ? "allowed" : "paid";
  // A dataset cache is read as it was imported: the lines the run read from it (a contract's
  // import leaves out what its runs leave out).
  options.cache_as_imported = true;
  if (Status s = LoadDataDirectory(dir, DataFormat::kAuto, options, &ds, &report); !s.ok()) {
    return s;
  }
  return LinesOf(ds, allowed);
}

LineChange Change(const LineKey& k, const char* status, const Line* a, const Line* b) {
  LineChange c;
  c.claim_id = std::get<0>(k);
  c.line = std::get<1>(k);
  c.status = status;
  c.person = b != nullptr ? b->person : a->person;
  if (a != nullptr) c.amount_a = a->amount;
  if (b != nullptr) c.amount_b = b->amount;
  return c;
}

}  // namespace

void AttributeLines(const CompareOptions& o, Comparison* c) {
  LineAttribution& l = c->lines;
  std::string why;
  const std::string da = DataFolder(c->a, o.data_a, &why);
  const std::string db = da.empty() ? "" : DataFolder(c->b, o.data_b, &why);
  if (da.empty() || db.empty()) {
    l.note = why;
    return;
  }
  const bool allowed = o.basis == "allowed";
  auto la = Load(da, allowed), lb = Load(db, allowed);
  if (!la.ok() || !lb.ok()) {
    l.note = !la.ok() ? la.status().message() : lb.status().message();
    return;
  }
  l.available = true;
  for (const auto& [k, a] : *la) {
    auto it = lb->find(k);
    if (it == lb->end()) {
      l.lines.push_back(Change(k, "removed", &a, nullptr));
      ++l.removed;
      continue;
    }
    std::vector<std::string> changed;
    for (size_t i = 0; i < a.fields.size(); ++i) {
      if (a.fields[i].second != it->second.fields[i].second) {
        changed.emplace_back(a.fields[i].first);
      }
    }
    if (!changed.empty()) {
      l.lines.push_back(Change(k, "restated", &a, &it->second));
      l.lines.back().fields = std::move(changed);
      ++l.restated;
    }
  }
  for (const auto& [k, b] : *lb) {
    if (la->count(k) == 0) {
      l.lines.push_back(Change(k, "added", nullptr, &b));
      ++l.added;
    }
  }
  std::sort(l.lines.begin(), l.lines.end(), [](const LineChange& x, const LineChange& y) {
    return std::tie(x.person, x.claim_id, x.line) < std::tie(y.person, y.claim_id, y.line);
  });
  for (const auto& x : l.lines) l.net += x.amount_b - x.amount_a;
}

}  // namespace valuepact::review
