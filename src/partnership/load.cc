// Reading a partnership folder (partnership.h): partnership.toml and its CSV files, every
// problem reported with its file, line and field.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "contract/toml_checker.h"
#include "valuepact/core/csv.h"
#include "valuepact/core/file_io.h"
#include "valuepact/partnership/partnership.h"

namespace valuepact::partnership {
namespace {
namespace fs = std::filesystem;

// Problems found so far, each "file:line: field 'x': problem".
struct Problems {
  std::vector<std::string> list;
  void Add(const std::string& file, uint64_t line, const std::string& field,
           const std::string& problem) {
    list.push_back(fmt::format("{}:{}: {}: {}", file, line,
                               field.empty() ? "row" : "field '" + field + "'", problem));
  }
};

// Each record of a CSV file as column → text, with its line; the header must hold `required`.
// A missing file is no rows (each file is optional).
using Row = std::map<std::string, std::string>;
void ReadCsv(const FileSystem& files, const std::string& path,
             const std::vector<std::string>& required, const std::vector<std::string>& optional,
             Problems* problems, const std::function<void(const Row&, uint64_t)>& each) {
  if (files.Kind(path) == FileKind::kMissing) return;
  auto bytes = files.Read(path);
  if (!bytes.ok()) {
    problems->list.push_back(bytes.status().message());
    return;
  }
  const std::string_view data(*bytes);
  CsvCursor cur(data, {SkipBom(data), data.size(), 1});
  std::vector<std::string_view> fields;
  uint64_t line = 0;
  std::string error;
  if (cur.Next(&fields, &line, &error) != CsvCursor::Outcome::kRecord) {
    problems->Add(path, 1, "", "no header row");
    return;
  }
  std::vector<std::string> header(fields.begin(), fields.end());
  for (const auto& col : required) {
    if (std::find(header.begin(), header.end(), col) == header.end()) {
      problems->Add(path, 1, col, "required column is missing");
    }
  }
  for (const auto& col : header) {
    const bool known = std::find(required.begin(), required.end(), col) != required.end() ||
                       std::find(optional.begin(), optional.end(), col) != optional.end();
    if (!known) {
      problems->Add(path, 1, col,
                    fmt::format("unknown column (known: {}, {})", fmt::join(required, ", "),
                                fmt::join(optional, ", ")));
    }
  }
  for (;;) {
    const auto outcome = cur.Next(&fields, &line, &error);
    if (outcome == CsvCursor::Outcome::kEnd) break;
    if (outcome == CsvCursor::Outcome::kMalformed) {
      problems->Add(path, line, "", error);
      continue;
    }
    if (fields.size() != header.size()) {
      problems->Add(path, line, "",
                    fmt::format("{} fields where the header has {}", fields.size(), header.size()));
      continue;
    }
    Row row;
    for (size_t i = 0; i < header.size(); ++i) row[header[i]] = std::string(fields[i]);
    each(row, line);
  }
}

std::optional<Date> DateField(const Row& r, const char* col, const std::string& file, uint64_t line,
                              bool required, Problems* p) {
  const std::string& text = r.at(col);
  if (text.empty()) {
    if (required) p->Add(file, line, col, "required, a date YYYY-MM-DD");
    return std::nullopt;
  }
  auto d = ParseDate(text);
  if (!d.ok()) {
    p->Add(file, line, col, fmt::format("'{}' is not a date (YYYY-MM-DD)", text));
    return std::nullopt;
  }
  return *d;
}

std::optional<double> NumberField(const Row& r, const char* col, double lo, double hi,
                                  const std::string& file, uint64_t line, Problems* p) {
  const std::string& text = r.at(col);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0' || !std::isfinite(v) || v < lo || v > hi) {
    p->Add(file, line, col, fmt::format("'{}': expected a number from {} to {}", text, lo, hi));
    return std::nullopt;
  }
  return v;
}

void CheckParty(const Partnership& k, const std::string& party, const std::string& file,
                uint64_t line, const char* col, Problems* p) {
  for (const auto& x : k.parties) {
    if (x.id == party) return;
  }
  std::string ids;
  for (const auto& x : k.parties) ids += (ids.empty() ? "" : ", ") + x.id;
  p->Add(file, line, col, fmt::format("'{}' is not a [[party]] id ({})", party, ids));
}

void ReadToml(const FileSystem& files, const std::string& path, Partnership* k,
              Problems* problems) {
  auto bytes = files.Read(path);
  if (!bytes.ok()) {
    problems->list.push_back(bytes.status().message());
    return;
  }
  toml::table doc;
  try {
    doc = toml::parse(*bytes, path);
  } catch (const toml::parse_error& e) {
    problems->Add(path, e.source().begin.line, "",
                  fmt::format("not valid TOML: {}", e.description()));
    return;
  }
  TomlChecker c(path);
  c.AllowOnly(doc, "",
              {"partnership", "party", "contact", "cadence", "readiness", "contract_version",
               "trigger_fired"});
  if (const toml::table* t = doc["partnership"].as_table()) {
    c.AllowOnly(*t, "partnership", {"id", "name", "contract", "start"});
    k->id = c.String(*t, "partnership", "id", true).value_or("");
    k->name = c.String(*t, "partnership", "name", false).value_or(k->id);
    k->contract = c.String(*t, "partnership", "contract", false).value_or("");
    k->start = c.DateValue(*t, "partnership", "start", true).value_or(Date());
  } else {
    c.Error(&doc, "", "partnership", "the [partnership] table is required");
  }
  auto tables = [&](const char* name,
                    const std::function<void(const toml::table&, const std::string&)>& f) {
    const toml::array* a = doc[name].as_array();
    if (a == nullptr) return;
    for (size_t i = 0; i < a->size(); ++i) {
      if (const toml::table* t = a->get(i)->as_table()) f(*t, fmt::format("{}[{}]", name, i + 1));
    }
  };
  tables("party", [&](const toml::table& t, const std::string& s) {
    c.AllowOnly(t, s, {"id", "name", "kind"});
    Party x{c.String(t, s, "id", true).value_or(""), c.String(t, s, "name", false).value_or(""),
            c.Choice(t, s, "kind", {"payer", "provider", "purchaser", "other"}, true).value_or("")};
    if (x.name.empty()) x.name = x.id;
    k->parties.push_back(x);
  });
  tables("contact", [&](const toml::table& t, const std::string& s) {
    c.AllowOnly(t, s, {"party", "name", "role", "email"});
    k->contacts.push_back(
        {c.String(t, s, "party", true).value_or(""), c.String(t, s, "name", true).value_or(""),
         c.String(t, s, "role", false).value_or(""), c.String(t, s, "email", false).value_or("")});
  });
  if (const toml::table* t = doc["cadence"].as_table()) {
    c.AllowOnly(*t, "cadence", {"early", "early_months", "then"});
    k->cadence.early =
        c.Choice(*t, "cadence", "early", {"monthly", "quarterly"}, false).value_or("monthly");
    k->cadence.early_months =
        static_cast<int>(c.Integer(*t, "cadence", "early_months", 0, 120, false).value_or(6));
    k->cadence.then =
        c.Choice(*t, "cadence", "then", {"monthly", "quarterly"}, false).value_or("quarterly");
  }
  if (const toml::table* t = doc["readiness"].as_table()) {
    c.AllowOnly(*t, "readiness", {"ready", "developing"});
    k->ready_at = c.Number(*t, "readiness", "ready", 1, 5, false).value_or(3.5);
    k->developing_at = c.Number(*t, "readiness", "developing", 1, 5, false).value_or(2.5);
  }
  tables("contract_version", [&](const toml::table& t, const std::string& s) {
    c.AllowOnly(t, s, {"version", "effective", "file", "changes"});
    k->versions.push_back({c.String(t, s, "version", true).value_or(""),
                           c.String(t, s, "file", false).value_or(""),
                           c.String(t, s, "changes", false).value_or(""),
                           c.DateValue(t, s, "effective", true).value_or(Date())});
  });
  tables("trigger_fired", [&](const toml::table& t, const std::string& s) {
    c.AllowOnly(t, s, {"date", "trigger", "decision"});
    k->triggers.push_back({c.DateValue(t, s, "date", true).value_or(Date()),
                           c.String(t, s, "trigger", true).value_or(""),
                           c.String(t, s, "decision", false).value_or("")});
  });
  for (const auto& e : c.errors()) problems->list.push_back(e);
  for (const auto& x : k->contacts) {
    if (std::none_of(k->parties.begin(), k->parties.end(),
                     [&](const Party& y) { return y.id == x.party; })) {
      problems->list.push_back(
          fmt::format("{}: contact '{}': party '{}' is not a [[party]] id", path, x.name, x.party));
    }
  }
}

char RoleOf(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  if (text == "r" || text == "responsible") return 'R';
  if (text == "a" || text == "accountable") return 'A';
  if (text == "c" || text == "consulted") return 'C';
  if (text == "i" || text == "informed") return 'I';
  return 0;
}

void ReadCsvFiles(const FileSystem& files, const std::string& dir, Partnership* k, Problems* p) {
  const std::string rf = dir + "/responsibilities.csv";
  ReadCsv(files, rf, {"activity", "party", "role"}, {"note"}, p, [&](const Row& r, uint64_t line) {
    Responsibility x{r.at("activity"), r.at("party"), RoleOf(r.at("role")),
                     r.count("note") ? r.at("note") : "", static_cast<int>(line)};
    if (x.activity.empty()) p->Add(rf, line, "activity", "required");
    CheckParty(*k, x.party, rf, line, "party", p);
    if (x.role == 0) {
      p->Add(rf, line, "role",
             fmt::format("'{}': use R, A, C or I (responsible, accountable, consulted, informed)",
                         r.at("role")));
    }
    k->responsibilities.push_back(x);
  });
  const std::string df = dir + "/readiness.csv";
  ReadCsv(files, df, {"partner", "competency", "weight", "score"}, {"evidence"}, p,
          [&](const Row& r, uint64_t line) {
            CompetencyScore x{r.at("partner"),
                              r.at("competency"),
                              0,
                              0,
                              r.count("evidence") ? r.at("evidence") : "",
                              static_cast<int>(line)};
            CheckParty(*k, x.partner, df, line, "partner", p);
            if (x.competency.empty()) p->Add(df, line, "competency", "required");
            x.weight = NumberField(r, "weight", 0, 100, df, line, p).value_or(0);
            x.score = NumberField(r, "score", 1, 5, df, line, p).value_or(0);
            k->readiness.push_back(x);
          });
  const std::string mf = dir + "/meetings.csv";
  ReadCsv(files, mf, {"date", "kind"}, {"agenda", "decisions"}, p,
          [&](const Row& r, uint64_t line) {
            Meeting x;
            x.date = DateField(r, "date", mf, line, true, p).value_or(Date());
            x.kind = r.at("kind");
            x.agenda = r.count("agenda") ? r.at("agenda") : "";
            x.decisions = r.count("decisions") ? r.at("decisions") : "";
            x.line = static_cast<int>(line);
            k->meetings.push_back(x);
          });
  const std::string af = dir + "/actions.csv";
  std::set<std::string> ids;
  ReadCsv(files, af, {"id", "description", "owner", "due", "status"}, {"raised"}, p,
          [&](const Row& r, uint64_t line) {
            Action x;
            x.id = r.at("id");
            x.description = r.at("description");
            x.owner = r.at("owner");
            x.status = r.at("status");
            x.line = static_cast<int>(line);
            if (!ids.insert(x.id).second) {
              p->Add(af, line, "id", fmt::format("'{}' is used twice", x.id));
            }
            CheckParty(*k, x.owner, af, line, "owner", p);
            if (x.status != "open" && x.status != "done" && x.status != "dropped") {
              p->Add(af, line, "status", fmt::format("'{}': use open, done or dropped", x.status));
            }
            x.due = DateField(r, "due", af, line, true, p).value_or(Date());
            if (r.count("raised")) {
              x.raised = DateField(r, "raised", af, line, false, p).value_or(Date());
            }
            k->actions.push_back(x);
          });
}

}  // namespace

Result<Partnership> LoadPartnership(const std::string& dir, const FileSystem& files) {
  Partnership k;
  k.dir = dir;
  Problems problems;
  const std::string toml_path = dir + "/partnership.toml";
  if (files.Kind(dir) != FileKind::kDirectory) {
    return NotFound(fmt::format("{}: no such folder", dir));
  }
  if (files.Kind(toml_path) == FileKind::kMissing) {
    return InvalidInput(
        fmt::format("{}: no partnership.toml (docs/partnership.md describes the folder)", dir));
  }
  ReadToml(files, toml_path, &k, &problems);
  ReadCsvFiles(files, dir, &k, &problems);
  if (!problems.list.empty()) {
    return InvalidInput(fmt::format("{} problem{} in the partnership record:\n  {}",
                                    problems.list.size(), problems.list.size() == 1 ? "" : "s",
                                    fmt::join(problems.list, "\n  ")));
  }
  return k;
}

}  // namespace valuepact::partnership
