#include "golden_case.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "test_paths.h"

namespace valuepact::golden {
namespace {

namespace fs = std::filesystem;

// How the runner calls each subcommand: whether it takes the contract as its first argument and
// whether it writes its results into an --out folder.
struct CommandShape {
  const char* name;
  bool takes_contract;
  bool writes_out;
};

constexpr CommandShape kCommands[] = {
    {"settle", true, true},
    {"cohort", true, true},
    {"metrics", true, true},
    {"episodes", true, true},
    {"check", true, false},
    {"validate", true, false},
};

const CommandShape* FindCommand(const std::string& name) {
  for (const auto& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

constexpr const char* kTopLevelKeys[] = {
    "command", "contract",       "data",        "args",         "requires",     "expect_exit",
    "expect",  "expect_summary", "expect_json", "expect_files", "expect_error", "expect_output",
};

constexpr const char* kRequirements[] = {"shared"};

// At most this many closure violations or differing CSV rows are listed; the rest are counted.
constexpr size_t kMaxListed = 10;

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

// Collects problems with a case.toml, each prefixed with the file and line.
class Problems {
 public:
  explicit Problems(std::string source) : source_(std::move(source)) {}
  void Add(const toml::source_region& where, const std::string& what) {
    if (where.begin.line > 0) {
      list_.push_back(fmt::format("{}:{}: {}", source_, where.begin.line, what));
    } else {
      list_.push_back(fmt::format("{}: {}", source_, what));
    }
  }
  void Add(const std::string& what) { list_.push_back(fmt::format("{}: {}", source_, what)); }
  std::vector<std::string> Take() { return std::move(list_); }

 private:
  std::string source_;
  std::vector<std::string> list_;
};

// A table's entries in the order they appear in the file (toml::table iterates by key).
std::vector<std::pair<std::string, const toml::node*>> InFileOrder(const toml::table& t) {
  std::vector<std::tuple<uint32_t, uint32_t, std::string, const toml::node*>> rows;
  for (auto&& [k, v] : t) {
    rows.emplace_back(k.source().begin.line, k.source().begin.column, std::string(k.str()), &v);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  std::vector<std::pair<std::string, const toml::node*>> out;
  for (auto& r : rows) out.emplace_back(std::move(std::get<2>(r)), std::get<3>(r));
  return out;
}

std::optional<std::string> NonEmptyString(const toml::node& n, const std::string& key,
                                          Problems* p) {
  if (!n.is_string() || n.as_string()->get().empty()) {
    p->Add(n.source(), fmt::format("{} must be a non-empty string", key));
    return std::nullopt;
  }
  return n.as_string()->get();
}

std::vector<std::string> StringList(const toml::node& n, const std::string& key, Problems* p) {
  std::vector<std::string> out;
  const auto* arr = n.as_array();
  if (arr == nullptr) {
    p->Add(n.source(), fmt::format("{} must be a list of strings, e.g. [\"a\", \"b\"]", key));
    return out;
  }
  for (const auto& e : *arr) {
    if (!e.is_string()) {
      p->Add(e.source(), fmt::format("{}: every element must be a string", key));
      continue;
    }
    out.push_back(e.as_string()->get());
  }
  return out;
}

// A TOML scalar as the JSON value it is compared with.
std::optional<nlohmann::json> ScalarToJson(const toml::node& n) {
  if (n.is_string()) return nlohmann::json(n.as_string()->get());
  if (n.is_integer()) return nlohmann::json(n.as_integer()->get());
  if (n.is_floating_point()) return nlohmann::json(n.as_floating_point()->get());
  if (n.is_boolean()) return nlohmann::json(n.as_boolean()->get());
  return std::nullopt;
}

// [expect]: figure id = "value". Dotted bare keys (layer.savings.amount = "1.00") nest tables
// in TOML; they are read back as the dotted id.
void ReadFigures(const toml::table& t, const std::string& prefix, Problems* p,
                 std::vector<std::pair<std::string, std::string>>* out) {
  for (const auto& [key, node] : InFileOrder(t)) {
    const std::string id = prefix.empty() ? key : prefix + "." + key;
    if (const auto* sub = node->as_table()) {
      ReadFigures(*sub, id, p, out);
    } else if (node->is_string()) {
      out->emplace_back(id, node->as_string()->get());
    } else {
      p->Add(node->source(),
             fmt::format("[expect] {}: write the value as a string, exactly as trace.json "
                         "shows it (e.g. \"820\" or \"254200.00\")",
                         id));
    }
  }
}

void ReadPointers(const toml::table& t, const std::string& section, Problems* p,
                  JsonExpectations* out) {
  for (const auto& [key, node] : InFileOrder(t)) {
    if (key.empty() || key[0] != '/') {
      p->Add(node->source(), fmt::format("{} {}: keys are JSON pointers starting with '/', "
                                         "written in quotes (\"/layers/0/branch\")",
                                         section, key));
      continue;
    }
    try {
      nlohmann::json::json_pointer ptr(key);
    } catch (const nlohmann::json::exception& e) {
      p->Add(node->source(), fmt::format("{} {}: not a JSON pointer ({})", section, key, e.what()));
      continue;
    }
    auto v = ScalarToJson(*node);
    if (!v) {
      p->Add(node->source(),
             fmt::format("{} {}: the value must be a string, number or true/false", section, key));
      continue;
    }
    out->values.emplace_back(key, std::move(*v));
  }
}

const toml::table* NonEmptyTable(const toml::node& n, const std::string& section,
                                 const std::string& hint, Problems* p) {
  const auto* t = n.as_table();
  if (t == nullptr) {
    p->Add(n.source(), fmt::format("{} must be a table ([{}])", section, section));
    return nullptr;
  }
  if (t->empty()) {
    p->Add(n.source(), fmt::format("[{}] is empty: {}", section, hint));
    return nullptr;
  }
  return t;
}

void ReadExpectError(const toml::table& t, Problems* p, GoldenCase* c) {
  ExpectedError e;
  bool has_exit = false, has_message = false;
  for (const auto& [key, node] : InFileOrder(t)) {
    if (key == "exit") {
      has_exit = true;
      if (!node->is_integer() || node->as_integer()->get() <= 0 ||
          node->as_integer()->get() > 255) {
        p->Add(node->source(), "[expect_error] exit must be a non-zero exit code (1 to 255)");
      } else {
        e.exit = static_cast<int>(node->as_integer()->get());
      }
    } else if (key == "message") {
      has_message = true;
      if (auto s = NonEmptyString(*node, "[expect_error] message", p)) e.message = *s;
    } else {
      p->Add(node->source(),
             fmt::format("[expect_error] unknown key '{}' (known: exit, message)", key));
    }
  }
  if (!has_exit) p->Add(t.source(), "[expect_error] needs exit = <the command's exit code>");
  if (!has_message) {
    p->Add(t.source(), "[expect_error] needs message = \"a part of the error message\"");
  }
  c->expect_error = e;
}

// Keys that say how to run the case. Returns false when `key` is none of them.
bool ReadRunKey(const std::string& key, const toml::node& n, Problems* p, GoldenCase* c) {
  if (key == "command") {
    if (auto s = NonEmptyString(n, "command", p)) {
      if (FindCommand(*s) == nullptr) {
        p->Add(n.source(), fmt::format("command '{}' is not one the golden runner can call "
                                       "({}); add it to kCommands in golden_case.cc",
                                       *s, SupportedCommands()));
      }
      c->command = *s;
    }
  } else if (key == "contract") {
    if (auto s = NonEmptyString(n, "contract", p)) c->contract = *s;
  } else if (key == "data") {
    if (auto s = NonEmptyString(n, "data", p)) c->data = *s;
  } else if (key == "args") {
    c->args = StringList(n, "args", p);
  } else if (key == "requires") {
    c->needs = StringList(n, "requires", p);
    for (const auto& r : c->needs) {
      if (std::find_if(std::begin(kRequirements), std::end(kRequirements),
                       [&](const char* k) { return r == k; }) == std::end(kRequirements)) {
        p->Add(n.source(), fmt::format("requires: unknown requirement '{}' (known: shared)", r));
      }
    }
  } else if (key == "expect_exit") {
    if (!n.is_integer() || n.as_integer()->get() < 0 || n.as_integer()->get() > 255) {
      p->Add(n.source(), "expect_exit must be an exit code (0 to 255)");
    } else {
      c->expect_exit = static_cast<int>(n.as_integer()->get());
    }
  } else {
    return false;
  }
  return true;
}

void ReadExpectJson(const toml::node& n, Problems* p, GoldenCase* c) {
  const auto* t =
      NonEmptyTable(n, "expect_json", "add [expect_json.\"file.json\"] with pointers", p);
  if (t == nullptr) return;
  for (const auto& [file, sub] : InFileOrder(*t)) {
    const std::string section = fmt::format("expect_json.\"{}\"", file);
    if (const auto* st =
            NonEmptyTable(*sub, section, "list at least one \"/json/pointer\" = value", p)) {
      JsonExpectations j{file, {}};
      ReadPointers(*st, "[" + section + "]", p, &j);
      c->expect_json.push_back(std::move(j));
    }
  }
}

void ReadExpectFiles(const toml::node& n, Problems* p, GoldenCase* c) {
  const auto* t = NonEmptyTable(n, "expect_files",
                                "map an output file to an expected one, \"a.csv\" = \"b.csv\"", p);
  if (t == nullptr) return;
  for (const auto& [file, sub] : InFileOrder(*t)) {
    if (auto s = NonEmptyString(*sub, "[expect_files] " + file, p)) {
      c->expect_files.emplace_back(file, *s);
    }
  }
}

void ReadExpectOutput(const toml::node& n, Problems* p, GoldenCase* c) {
  c->expect_output = StringList(n, "expect_output", p);
  if (n.is_array() && c->expect_output.empty()) {
    p->Add(n.source(), "expect_output is empty: list at least one text the output contains");
  }
  for (const auto& s : c->expect_output) {
    if (s.empty()) p->Add(n.source(), "expect_output: an empty text matches anything");
  }
}

// Keys that say what the run must produce. Returns false when `key` is none of them.
bool ReadExpectKey(const std::string& key, const toml::node& n, Problems* p, GoldenCase* c) {
  if (key == "expect") {
    if (const auto* t = NonEmptyTable(n, "expect", "list at least one figure id = \"value\"", p)) {
      ReadFigures(*t, "", p, &c->expect);
      std::set<std::string> seen;
      for (const auto& [id, value] : c->expect) {
        if (!seen.insert(id).second) {
          p->Add(n.source(), fmt::format("[expect] {} is listed more than once", id));
        }
      }
    }
  } else if (key == "expect_summary") {
    if (const auto* t =
            NonEmptyTable(n, "expect_summary", "list at least one \"/json/pointer\" = value", p)) {
      JsonExpectations j{"summary.json", {}};
      ReadPointers(*t, "[expect_summary]", p, &j);
      c->expect_json.push_back(std::move(j));
    }
  } else if (key == "expect_json") {
    ReadExpectJson(n, p, c);
  } else if (key == "expect_files") {
    ReadExpectFiles(n, p, c);
  } else if (key == "expect_error") {
    if (const auto* t = n.as_table()) {
      ReadExpectError(*t, p, c);
    } else {
      p->Add(n.source(), "expect_error must be a table ([expect_error])");
    }
  } else if (key == "expect_output") {
    ReadExpectOutput(n, p, c);
  } else {
    return false;
  }
  return true;
}

void ReadTopLevel(const toml::table& doc, Problems* p, GoldenCase* c) {
  for (const auto& [key, node] : InFileOrder(doc)) {
    if (ReadRunKey(key, *node, p, c) || ReadExpectKey(key, *node, p, c)) continue;
    std::vector<std::string> known(std::begin(kTopLevelKeys), std::end(kTopLevelKeys));
    p->Add(node->source(),
           fmt::format("unknown key '{}' (known keys: {})", key, Join(known, ", ")));
  }
  if (!doc.contains("command")) {
    p->Add(fmt::format("command is missing: which valuepact subcommand runs this case ({})",
                       SupportedCommands()));
  }
}

void CheckConsistency(const toml::table& doc, Problems* p, const GoldenCase& c) {
  const bool figures = doc.contains("expect") || doc.contains("expect_summary") ||
                       doc.contains("expect_json") || doc.contains("expect_files");
  if (c.expect_error) {
    if (figures || doc.contains("expect_exit") || doc.contains("expect_output")) {
      p->Add(
          "[expect_error] describes a command that fails: it cannot be combined with expect, "
          "expect_summary, expect_json, expect_files, expect_output or expect_exit");
    }
  } else if (!figures && !doc.contains("expect_output")) {
    p->Add(
        "nothing is expected: add [expect] (trace figures), [expect_summary], [expect_json], "
        "[expect_files], expect_output or [expect_error]");
  }
  const CommandShape* shape = FindCommand(c.command);
  if (shape != nullptr && !shape->writes_out && figures) {
    p->Add(
        fmt::format("'{}' writes no output files: use expect_output or [expect_error]", c.command));
  }
}

// ---- Reading the run's outputs ----

std::optional<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The run's JSON output files, each read once; a missing or malformed file is one mismatch.
class JsonOutputs {
 public:
  JsonOutputs(fs::path out_dir, std::vector<std::string>* mismatches)
      : dir_(std::move(out_dir)), mismatches_(mismatches) {}
  const nlohmann::json* Get(const std::string& name) {
    auto it = cache_.find(name);
    if (it == cache_.end()) it = cache_.emplace(name, Read(name)).first;
    return it->second ? &*it->second : nullptr;
  }

 private:
  std::optional<nlohmann::json> Read(const std::string& name) {
    const auto text = ReadFile(dir_ / name);
    if (!text) {
      mismatches_->push_back(fmt::format("{}: the run wrote no such file", name));
      return std::nullopt;
    }
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded()) {
      mismatches_->push_back(fmt::format("{}: not valid JSON", name));
      return std::nullopt;
    }
    // A settle folder keeps member-level figures in restricted/member_trace.json: the run's
    // trace is both files.
    if (name == "trace.json" && j.is_object() && j.contains("nodes") && j["nodes"].is_array()) {
      if (const auto members = ReadFile(dir_ / "restricted" / "member_trace.json")) {
        auto m = nlohmann::json::parse(*members, nullptr, false);
        if (m.is_object() && m.contains("nodes") && m["nodes"].is_array()) {
          for (auto& n : m["nodes"]) j["nodes"].push_back(std::move(n));
        } else {
          mismatches_->push_back("restricted/member_trace.json: not a trace");
        }
      }
    }
    return j;
  }
  fs::path dir_;
  std::vector<std::string>* mismatches_;
  std::map<std::string, std::optional<nlohmann::json>> cache_;
};

std::string ValueText(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks.
std::vector<std::vector<std::string>> ParseCsv(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    any = true;
    if (quoted) {
      if (ch == '"' && i + 1 < s.size() && s[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (ch == '\n' || ch == '\r') {
      if (ch == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      field += ch;
    }
  }
  if (any) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string CsvLine(const std::vector<std::string>& row) {
  std::string out;
  for (size_t i = 0; i < row.size(); ++i) {
    const bool quote = row[i].find_first_of(",\"\n\r") != std::string::npos;
    std::string f = row[i];
    if (quote) {
      std::string q = "\"";
      for (char ch : f) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      f = q + "\"";
    }
    out += (i ? "," : "") + f;
  }
  return out;
}

// The expected file's header chooses the columns (in its order); the output may have more.
// Rows are compared one by one, in order, and their number must agree.
void CompareCsv(const std::string& name, const std::string& actual_text,
                const std::string& expected_text, std::vector<std::string>* mismatches) {
  const auto actual = ParseCsv(actual_text);
  const auto expected = ParseCsv(expected_text);
  if (expected.empty()) {
    mismatches->push_back(fmt::format("{}: the expected file has no header", name));
    return;
  }
  if (actual.empty()) {
    mismatches->push_back(fmt::format("{}: the run wrote an empty file", name));
    return;
  }
  std::vector<size_t> cols;
  for (const auto& col : expected[0]) {
    const auto it = std::find(actual[0].begin(), actual[0].end(), col);
    if (it == actual[0].end()) {
      mismatches->push_back(
          fmt::format("{}: no column '{}' (the run wrote: {})", name, col, CsvLine(actual[0])));
      return;
    }
    cols.push_back(static_cast<size_t>(it - actual[0].begin()));
  }
  if (actual.size() != expected.size()) {
    mismatches->push_back(fmt::format("{}: expected {} rows, the run wrote {}", name,
                                      expected.size() - 1, actual.size() - 1));
  }
  size_t differing = 0;
  for (size_t r = 1; r < std::max(actual.size(), expected.size()); ++r) {
    std::vector<std::string> got;
    if (r < actual.size()) {
      for (size_t c : cols) got.push_back(c < actual[r].size() ? actual[r][c] : "");
    }
    if (r < expected.size() && r < actual.size() && got == expected[r]) continue;
    if (++differing > kMaxListed) continue;
    mismatches->push_back(
        fmt::format("{} row {}: expected {}, got {}", name, r,
                    r < expected.size() ? CsvLine(expected[r]) : std::string("no row"),
                    r < actual.size() ? CsvLine(got) : std::string("no row")));
  }
  if (differing > kMaxListed) {
    mismatches->push_back(fmt::format("{}: {} more rows differ", name, differing - kMaxListed));
  }
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

}  // namespace

std::string SupportedCommands() {
  std::vector<std::string> names;
  for (const auto& c : kCommands) names.push_back(c.name);
  return Join(names, ", ");
}

std::vector<std::string> ParseCase(std::string_view text, const std::string& source,
                                   GoldenCase* out) {
  Problems p(source);
  *out = GoldenCase{};
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    p.Add(e.source(), fmt::format("not valid TOML: {}", e.description()));
    return p.Take();
  }
  ReadTopLevel(doc, &p, out);
  CheckConsistency(doc, &p, *out);
  return p.Take();
}

std::vector<std::string> LoadCase(const fs::path& dir, const std::string& display,
                                  GoldenCase* out) {
  const auto text = ReadFile(dir / "case.toml");
  if (!text) {
    return {
        fmt::format("{}: no case.toml (every folder under tests/cases/ not starting with '_' "
                    "is a golden case; see docs/testing.md)",
                    display)};
  }
  auto problems = ParseCase(*text, display + "/case.toml", out);
  auto missing = [&](const std::string& what) {
    problems.push_back(fmt::format("{}: {}", display, what));
  };
  if (!fs::is_regular_file(dir / "README.md")) {
    missing("no README.md deriving the expected figures by hand");
  }
  for (const char* old : {"case.json", "check.json"}) {
    if (fs::exists(dir / old))
      missing(fmt::format("{} is the old format; case.toml replaces it", old));
  }
  if (!out->contract.empty() && !fs::is_regular_file(dir / out->contract)) {
    missing(fmt::format("contract '{}' does not exist", out->contract));
  }
  if (!out->data.empty() && !fs::is_directory(dir / out->data)) {
    missing(fmt::format("data folder '{}' does not exist", out->data));
  }
  for (const auto& [output, expected] : out->expect_files) {
    if (!fs::is_regular_file(dir / expected)) {
      missing(
          fmt::format("[expect_files] {}: expected file '{}' does not exist", output, expected));
    }
  }
  return problems;
}

std::string SkipReason(const GoldenCase& c) {
  for (const auto& r : c.needs) {
    if (r == "shared" && testing::SharedDir().empty()) {
      return "requires ../shared/refdata, and ../shared is not beside the checkout";
    }
  }
  return "";
}

std::string CommandLine(const GoldenCase& c, const fs::path& case_dir, const fs::path& out_dir) {
  const CommandShape* shape = FindCommand(c.command);
  // The case runs from its own folder, so every path it names is relative to that folder, and
  // with no reference data unless it says it requires ../shared: a case that reads
  // ../shared/refdata without saying so fails instead of passing by accident.
  std::string env = "env -u VALUEPACT_REFDATA";
  const bool shared = std::find(c.needs.begin(), c.needs.end(), "shared") != c.needs.end();
  if (shared && !testing::SharedDir().empty()) {
    env = "env VALUEPACT_REFDATA=" +
          ShellQuote((fs::path(testing::SharedDir()) / "refdata").string());
  }
  env +=
      " VALUEPACT_VALUESETS=" + ShellQuote((fs::path(testing::SourceDir()) / "valuesets").string());
  std::vector<std::string> argv = {testing::CliPath(), c.command};
  if (shape == nullptr || shape->takes_contract) argv.push_back(c.contract);
  if (!c.data.empty()) {
    argv.push_back("--data");
    argv.push_back(c.data);
  }
  if (shape == nullptr || shape->writes_out) {
    argv.push_back("--out");
    argv.push_back(out_dir.string());
  }
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  std::string cmd = "cd " + ShellQuote(case_dir.string()) + " && " + env;
  for (const auto& a : argv) {
    cmd += ' ';
    cmd += ShellQuote(a);
  }
  return cmd;
}

std::vector<std::string> CheckTrace(const nlohmann::json& trace, const nlohmann::json* summary) {
  std::vector<std::string> m;
  if (!trace.is_object() || !trace.contains("nodes") || !trace["nodes"].is_array()) {
    return {"trace.json: no \"nodes\" list"};
  }
  std::map<std::string, const nlohmann::json*> by_id;
  std::vector<std::string> violations;
  for (const auto& n : trace["nodes"]) {
    if (!n.is_object() || !n.contains("id") || !n["id"].is_string()) {
      violations.push_back("trace.json: a node without a string id: " + n.dump());
      continue;
    }
    const std::string id = n["id"].get<std::string>();
    if (!by_id.emplace(id, &n).second) {
      violations.push_back(fmt::format("trace.json: id '{}' appears more than once", id));
    }
  }
  for (const auto& [id, n] : by_id) {
    const auto inputs = n->value("inputs", nlohmann::json::array());
    if (!inputs.is_array()) {
      violations.push_back(fmt::format("trace.json: node '{}': inputs is not a list", id));
      continue;
    }
    for (const auto& in : inputs) {
      if (!in.is_string() || !by_id.count(in.get<std::string>())) {
        violations.push_back(
            fmt::format("trace.json: node '{}' has input {} which is no node", id, in.dump()));
      }
    }
    if (inputs.empty()) {
      const auto src = n->value("source", nlohmann::json());
      if (!src.is_string() || src.get<std::string>().empty()) {
        violations.push_back(fmt::format("trace.json: leaf node '{}' has no source", id));
      }
    }
  }
  // Settlement summaries (those with layers) tie every layer and the net to the trace.
  if (summary != nullptr && summary->contains("layers")) {
    const auto value_of = [&](const std::string& id) -> std::optional<std::string> {
      const auto it = by_id.find(id);
      if (it == by_id.end() || !it->second->contains("value")) return std::nullopt;
      return ValueText((*it->second)["value"]);
    };
    const auto layers = summary->value("layers", nlohmann::json::array());
    for (size_t i = 0; i < layers.size(); ++i) {
      const auto& l = layers[i];
      const std::string name = fmt::format("/layers/{}", i);
      if (!l.contains("trace_id") || !l["trace_id"].is_string()) {
        violations.push_back(fmt::format("summary.json {}: no trace_id", name));
        continue;
      }
      const std::string tid = l["trace_id"].get<std::string>();
      const auto v = value_of(tid);
      const std::string amount = l.contains("amount") ? ValueText(l["amount"]) : "";
      if (!v) {
        violations.push_back(
            fmt::format("summary.json {}: trace_id '{}' is no node in trace.json", name, tid));
      } else if (*v != amount) {
        violations.push_back(
            fmt::format("summary.json {}: amount \"{}\", but trace node '{}' holds \"{}\"", name,
                        amount, tid, *v));
      }
    }
    const auto net = value_of("net_payer_to_provider");
    if (!net) {
      violations.push_back("trace.json: no node 'net_payer_to_provider'");
    } else if (summary->contains("net_payer_to_provider") &&
               ValueText((*summary)["net_payer_to_provider"]) != *net) {
      violations.push_back(
          fmt::format("summary.json /net_payer_to_provider \"{}\", but the trace node holds \"{}\"",
                      ValueText((*summary)["net_payer_to_provider"]), *net));
    }
  }
  for (size_t i = 0; i < violations.size() && i < kMaxListed; ++i) m.push_back(violations[i]);
  if (violations.size() > kMaxListed) {
    m.push_back(
        fmt::format("trace.json: {} more closure violations", violations.size() - kMaxListed));
  }
  return m;
}

std::vector<std::string> CheckRun(const GoldenCase& c, const fs::path& case_dir,
                                  const fs::path& out_dir, int exit_code,
                                  const std::string& output) {
  std::vector<std::string> m;
  const std::string shown = "\n--- output ---\n" + output + "--- end of output ---";
  if (c.expect_error) {
    if (exit_code != c.expect_error->exit) {
      m.push_back(
          fmt::format("exit code: expected {}, got {}{}", c.expect_error->exit, exit_code, shown));
    } else if (output.find(c.expect_error->message) == std::string::npos) {
      m.push_back(
          fmt::format("the output does not contain \"{}\"{}", c.expect_error->message, shown));
    }
    return m;
  }
  if (exit_code != c.expect_exit) {
    m.push_back(fmt::format("exit code: expected {}, got {}{}", c.expect_exit, exit_code, shown));
    return m;
  }
  for (const auto& s : c.expect_output) {
    if (output.find(s) == std::string::npos) {
      m.push_back(fmt::format("the output does not contain \"{}\"{}", s, shown));
    }
  }
  JsonOutputs outputs(out_dir, &m);
  if (!c.expect.empty()) {
    if (const auto* trace = outputs.Get("trace.json")) {
      std::map<std::string, std::string> values;
      for (const auto& n : trace->value("nodes", nlohmann::json::array())) {
        if (n.is_object() && n.contains("id") && n["id"].is_string() && n.contains("value")) {
          values.emplace(n["id"].get<std::string>(), ValueText(n["value"]));
        }
      }
      for (const auto& [id, want] : c.expect) {
        const auto it = values.find(id);
        if (it == values.end()) {
          m.push_back(fmt::format("trace.json has no node '{}' (expected \"{}\")", id, want));
        } else if (it->second != want) {
          m.push_back(
              fmt::format("{}: expected \"{}\", trace.json has \"{}\"", id, want, it->second));
        }
      }
    }
  }
  for (const auto& j : c.expect_json) {
    const auto* doc = outputs.Get(j.file);
    if (doc == nullptr) continue;
    for (const auto& [pointer, want] : j.values) {
      const nlohmann::json::json_pointer ptr(pointer);
      if (!doc->contains(ptr)) {
        m.push_back(fmt::format("{} has no {} (expected {})", j.file, pointer, want.dump()));
      } else if ((*doc)[ptr] != want) {
        m.push_back(fmt::format("{} {}: expected {}, got {}", j.file, pointer, want.dump(),
                                (*doc)[ptr].dump()));
      }
    }
  }
  for (const auto& [output_name, expected_name] : c.expect_files) {
    const auto actual = ReadFile(out_dir / output_name);
    const auto expected = ReadFile(case_dir / expected_name);
    if (!actual) {
      m.push_back(fmt::format("{}: the run wrote no such file", output_name));
    } else if (!expected) {
      m.push_back(
          fmt::format("{}: cannot read the expected file '{}'", output_name, expected_name));
    } else if (fs::path(output_name).extension() == ".csv") {
      CompareCsv(output_name, *actual, *expected, &m);
    } else if (*actual != *expected) {
      m.push_back(fmt::format("{}: differs from {}", output_name, expected_name));
    }
  }
  // Trace closure, whenever the run wrote a trace (and against its summary when it wrote one).
  if (fs::exists(out_dir / "trace.json")) {
    const auto* trace = outputs.Get("trace.json");
    const auto* summary =
        fs::exists(out_dir / "summary.json") ? outputs.Get("summary.json") : nullptr;
    if (trace != nullptr) {
      for (auto& v : CheckTrace(*trace, summary)) m.push_back(std::move(v));
    }
  }
  return m;
}

std::vector<std::string> RunCase(const GoldenCase& c, const fs::path& case_dir,
                                 const fs::path& work_dir) {
  const fs::path out_dir = work_dir / "out";
  std::string output;
  const int rc = testing::RunCommand(CommandLine(c, case_dir, out_dir), &output);
  return CheckRun(c, case_dir, out_dir, rc, output);
}

std::vector<std::string> CaseDirectories(const fs::path& root) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory() && !name.starts_with("_")) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace valuepact::golden
