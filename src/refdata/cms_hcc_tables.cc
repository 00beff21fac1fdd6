#include "valuepact/refdata/cms_hcc_tables.h"
#include "valuepact/core/numbers.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>

#include <fmt/format.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/params.h"

namespace valuepact {

namespace {

namespace fs = std::filesystem;

struct CsvTable {
  std::string path;
  std::string name;  // file name only
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<uint64_t> lines;
  std::string sha256;

  int Column(std::string_view col) const {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == col) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }
};

std::string Needed(HccVersion v, int payment_year) {
  return payment_year > 0 ? fmt::format("needed by CMS-HCC {} for payment year {}",
                                        HccVersionName(v), payment_year)
                          : fmt::format("needed by CMS-HCC {}", HccVersionName(v));
}

Result<CsvTable> ReadTable(const std::string& dir, const std::string& name,
                           const std::vector<std::string>& required, const std::string& needed) {
  CsvTable t;
  t.name = name;
  t.path = (fs::path(dir) / name).string();
  if (!fs::is_regular_file(t.path)) {
    return NotFound(fmt::format("{}: CMS-HCC table not found ({})", t.path, needed));
  }
  auto file = ReadWholeFile(t.path);
  if (!file.ok()) {
    return file.status();
  }
  const std::string_view data = *file;
  t.sha256 = FingerprintBytes(data);
  CsvCursor cur(data, CsvChunk{SkipBom(data), data.size(), 1});
  std::vector<std::string_view> fields;
  uint64_t line = 0;
  std::string error;
  bool have_header = false;
  while (true) {
    const auto outcome = cur.Next(&fields, &line, &error);
    if (outcome == CsvCursor::Outcome::kEnd) {
      break;
    }
    if (outcome == CsvCursor::Outcome::kMalformed) {
      return InvalidInput(
          fmt::format("{}:{}: malformed CSV record: {} ({})", t.path, line, error, needed));
    }
    if (!have_header) {
      for (auto f : fields) {
        t.header.emplace_back(f);
      }
      have_header = true;
      continue;
    }
    std::vector<std::string> row;
    row.reserve(fields.size());
    for (auto f : fields) {
      row.emplace_back(f);
    }
    row.resize(t.header.size());
    t.rows.push_back(std::move(row));
    t.lines.push_back(line);
  }
  if (!have_header) {
    return InvalidInput(fmt::format("{}: empty file, expected a header ({})", t.path, needed));
  }
  for (const auto& col : required) {
    if (t.Column(col) < 0) {
      return InvalidInput(fmt::format("{}:1: missing column '{}' ({})", t.path, col, needed));
    }
  }
  return t;
}

// Years for which `<prefix><year>.csv` exists in `dir`.
std::vector<int> YearsOf(const std::string& dir, std::string_view prefix) {
  std::vector<int> years;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string n = e.path().filename().string();
    if (n.size() != prefix.size() + 8 || n.compare(0, prefix.size(), prefix) != 0) {
      continue;
    }
    if (n.compare(n.size() - 4, 4, ".csv") != 0) {
      continue;
    }
    int y = 0;
    const char* b = n.data() + prefix.size();
    auto [p, errc] = std::from_chars(b, b + 4, y);
    if (errc == std::errc() && p == b + 4) {
      years.push_back(y);
    }
  }
  std::sort(years.begin(), years.end());
  return years;
}

// The file of `year` if present, else the nearest year (the earlier one on a tie).
Result<CmsHccTableSource> PickYear(const std::string& dir, std::string_view prefix, int year,
                                   const std::string& needed) {
  const auto years = YearsOf(dir, prefix);
  if (years.empty()) {
    return NotFound(
        fmt::format("{}/{}YYYY.csv: CMS-HCC table not found ({})", dir, prefix, needed));
  }
  int best = years.front();
  for (int y : years) {
    if (std::abs(y - year) < std::abs(best - year)) {
      best = y;
    }
  }
  CmsHccTableSource s;
  s.file = fmt::format("{}{}.csv", prefix, best);
  s.year = best;
  if (best != year) {
    s.note = fmt::format("no {}{}.csv; nearest year {} used", prefix, year, best);
  }
  return s;
}

bool ParseInt(std::string_view s, int* out) {
  if (s.empty()) {
    return false;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool ParseNumber(const std::string& s, double* out) {
  const auto v = ParseDouble(s);
  if (v) {
    *out = *v;
  }
  return v.has_value();
}

std::string Upper(std::string s) {
  for (auto& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

// CMS's V22-V24 age/sex edit macros (V22I0ED2, V24I0ED1) are software, not tables, so the
// reference layout carries only the V28 edits; the project records the older ones in
// params/cms_hcc/legacy_dx_edits.csv.
Result<std::vector<CmsHccDxEdit>> LegacyAgeSexEdits(HccVersion v) {
  auto table = Params("cms_hcc/legacy_dx_edits.csv");
  if (!table.ok()) {
    return table.status();
  }
  std::vector<const ParamRow*> rows;
  for (const auto& r : (*table)->rows()) {
    if (r.key[0] == HccVersionName(v)) {
      rows.push_back(&r);
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const ParamRow* a, const ParamRow* b) { return a->line < b->line; });
  std::vector<CmsHccDxEdit> e;
  for (const ParamRow* r : rows) {
    CmsHccDxEdit x;
    x.icd10 = r->key[1];
    x.sex = r->key[2] == "any" ? 0 : r->key[2][0];
    const auto age_min = ::valuepact::ParseInt(r->key[3]);
    const auto age_max = ::valuepact::ParseInt(r->key[4]);
    x.age_min = age_min && *age_min > 0 ? static_cast<int>(*age_min) : -1;
    x.age_max = age_max && *age_max < 999 ? static_cast<int>(*age_max) : -1;
    x.invalid = r->Get("action") == "invalid";
    const auto cc = ::valuepact::ParseInt(r->Get("cc"));
    x.cc_override = cc ? static_cast<int>(*cc) : 0;
    const bool bad_sex = r->key[2] != "any" && r->key[2] != "F" && r->key[2] != "M";
    const bool bad_age = !age_min || !age_max || *age_min > *age_max;
    if (bad_sex || bad_age || (!x.invalid && (r->Get("action") != "override" || !cc))) {
      return InvalidInput(
          fmt::format("{}: expected sex F, M or any, ages as numbers (min ≤ max), and "
                      "action invalid or override with a cc",
                      (*table)->SourceOf(*r)));
    }
    x.description = r->Get("description");
    x.source = (*table)->SourceOf(*r);
    e.push_back(std::move(x));
  }
  return e;
}

}  // namespace

const char* HccVersionName(HccVersion v) {
  switch (v) {
    case HccVersion::kV22:
      return "V22";
    case HccVersion::kV23:
      return "V23";
    case HccVersion::kV24:
      return "V24";
    case HccVersion::kV28:
      return "V28";
  }
  return "?";
}

Result<HccVersion> ParseHccVersion(std::string_view text) {
  std::string t = Upper(std::string(text));
  if (t.rfind("CMS-HCC ", 0) == 0) {
    t = t.substr(8);
  }
  if (!t.empty() && t[0] == 'V') {
    t = t.substr(1);
  }
  if (t == "22") {
    return HccVersion::kV22;
  }
  if (t == "23") {
    return HccVersion::kV23;
  }
  if (t == "24") {
    return HccVersion::kV24;
  }
  if (t == "28") {
    return HccVersion::kV28;
  }
  return InvalidInput(
      fmt::format("unknown CMS-HCC model version '{}': expected V22, V23, V24 or V28", text));
}

std::string CmsHccDirectory(const std::string& refdata_dir) {
  const fs::path sub = fs::path(refdata_dir) / "cms-hcc";
  return fs::is_directory(sub) ? sub.string() : refdata_dir;
}

// The coefficients of one model (`domain`, `version`: "CMS-HCC", "C24"; "ESRD", "D24") from the
// payment year's ra_coefficients file when it has the model, else the nearest year's (noted).
Result<std::vector<std::pair<std::string, double>>> ReadCoefficients(
    const std::string& dir, std::string_view domain, std::string_view version, int payment_year,
    const std::string& needed, CmsHccTableSource* source) {
  auto years = YearsOf(dir, "ra_coefficients_");
  std::sort(years.begin(), years.end(), [&](int a, int b) {
    const int da = std::abs(a - payment_year), db = std::abs(b - payment_year);
    return da != db ? da < db : a < b;
  });
  std::vector<std::pair<std::string, double>> out;
  for (int y : years) {
    const std::string name = fmt::format("ra_coefficients_{}.csv", y);
    auto t =
        ReadTable(dir, name, {"coefficient", "value", "model_domain", "model_version"}, needed);
    if (!t.ok()) {
      return t.status();
    }
    const int c_name = t->Column("coefficient"), c_val = t->Column("value"),
              c_dom = t->Column("model_domain"), c_ver = t->Column("model_version");
    for (size_t i = 0; i < t->rows.size(); ++i) {
      const auto& r = t->rows[i];
      if (r[c_dom] != domain || r[c_ver] != version) {
        continue;
      }
      double v = 0;
      if (!ParseNumber(r[c_val], &v)) {
        return InvalidInput(fmt::format("{}:{}: field value: expected a number, found '{}' ({})",
                                        t->path, t->lines[i], r[c_val], needed));
      }
      out.emplace_back(r[c_name], v);
    }
    if (out.empty()) {
      continue;
    }
    *source = {name, t->sha256, y, ""};
    if (y != payment_year) {
      source->note =
          fmt::format("coefficients for payment year {} taken from {}", payment_year, name);
    }
    return out;
  }
  return NotFound(fmt::format(
      "{}/ra_coefficients_YYYY.csv: no file has {} coefficients for model_version {} ({})", dir,
      domain, version, needed));
}

Result<CmsHccModelTables> LoadCmsHccModelTables(const std::string& refdata_dir, HccVersion version,
                                                int payment_year) {
  const std::string dir = CmsHccDirectory(refdata_dir);
  const std::string needed = Needed(version, payment_year);
  const std::string vname = HccVersionName(version);
  CmsHccModelTables m;
  m.version = version;
  m.payment_year = payment_year;

  // ICD-10 -> CC. V23 is not in the published tidy layout; its CC numbering is the V24 one for
  // every CC V23 has, so V23 borrows the V24 map restricted to V23's labelled CCs (below).
  const HccVersion map_version = version == HccVersion::kV23 ? HccVersion::kV24 : version;
  {
    auto pick = PickYear(dir, "ra_dx_to_cc_", payment_year, needed);
    if (!pick.ok()) {
      return pick.status();
    }
    auto t = ReadTable(dir, pick->file, {"diagnosis_code", "cc", "model_name"}, needed);
    if (!t.ok()) {
      return t.status();
    }
    const int c_dx = t->Column("diagnosis_code"), c_cc = t->Column("cc"),
              c_model = t->Column("model_name");
    const std::string want = fmt::format("CMS-HCC Model {}", HccVersionName(map_version));
    for (size_t i = 0; i < t->rows.size(); ++i) {
      const auto& r = t->rows[i];
      if (r[c_model] != want) {
        continue;
      }
      int cc = 0;
      if (!ParseInt(r[c_cc], &cc) || cc <= 0) {
        return InvalidInput(
            fmt::format("{}:{}: field cc: expected a positive CC number, found "
                        "'{}' ({})",
                        t->path, t->lines[i], r[c_cc], needed));
      }
      std::string dx = Upper(r[c_dx]);
      dx.erase(std::remove(dx.begin(), dx.end(), '.'), dx.end());
      m.dx_to_cc.emplace_back(std::move(dx), cc);
    }
    if (m.dx_to_cc.empty()) {
      return InvalidInput(fmt::format("{}: no rows for model '{}' ({})", t->path, want, needed));
    }
    pick->sha256 = t->sha256;
    if (map_version != version) {
      m.dx_map_note = fmt::format(
          "{} has no ICD-10 map in the reference tables; the {} map of {} is used for the CCs "
          "{} defines",
          vname, HccVersionName(map_version), pick->file, vname);
    }
    m.sources.push_back(std::move(*pick));
  }

  // Coefficients: model_version is "C" + the version number ("C24").
  {
    CmsHccTableSource src;
    auto c = ReadCoefficients(dir, "CMS-HCC", "C" + vname.substr(1), payment_year, needed, &src);
    if (!c.ok()) {
      return c.status();
    }
    m.coefficients = std::move(*c);
    if (!src.note.empty()) {
      src.note = vname + ": " + src.note;
    }
    m.sources.push_back(std::move(src));
  }

  // Hierarchies: identified by CMS's table name (e.g. V28115H1). Every year's file claims the
  // same table for a model, but some files list only part of it, so the rows of all files that
  // carry the table are merged; a file that lacks rows is noted in the sources.
  {
    const auto years = YearsOf(dir, "ra_hierarchies_");
    if (years.empty()) {
      return NotFound(
          fmt::format("{}/ra_hierarchies_YYYY.csv: CMS-HCC table not found ({})", dir, needed));
    }
    std::set<std::pair<int, int>> all;
    std::vector<std::pair<std::string, std::set<std::pair<int, int>>>> per_file;
    std::vector<std::string> shas;
    for (int y : years) {
      const std::string name = fmt::format("ra_hierarchies_{}.csv", y);
      auto t = ReadTable(
          dir, name, {"cc_parent", "cc_child", "model_domain", "model_version", "model_fullname"},
          needed);
      if (!t.ok()) {
        return t.status();
      }
      const int c_p = t->Column("cc_parent"), c_c = t->Column("cc_child"),
                c_dom = t->Column("model_domain"), c_ver = t->Column("model_version"),
                c_full = t->Column("model_fullname");
      std::set<std::pair<int, int>> rows;
      for (size_t i = 0; i < t->rows.size(); ++i) {
        const auto& r = t->rows[i];
        if (r[c_dom] != "CMS-HCC" || r[c_ver] != vname) {
          continue;
        }
        int p = 0, c = 0;
        if (!ParseInt(r[c_p], &p) || !ParseInt(r[c_c], &c)) {
          return InvalidInput(fmt::format("{}:{}: expected CC numbers in cc_parent/cc_child ({})",
                                          t->path, t->lines[i], needed));
        }
        if (!m.hierarchy_table.empty() && m.hierarchy_table != r[c_full]) {
          return InvalidInput(fmt::format("{}:{}: hierarchy table {} where {} was expected ({})",
                                          t->path, t->lines[i], r[c_full], m.hierarchy_table,
                                          needed));
        }
        m.hierarchy_table = r[c_full];
        rows.insert({p, c});
      }
      if (rows.empty()) {
        continue;
      }
      all.insert(rows.begin(), rows.end());
      per_file.emplace_back(name, std::move(rows));
      shas.push_back(t->sha256);
    }
    if (all.empty()) {
      return InvalidInput(
          fmt::format("{}/ra_hierarchies_YYYY.csv: no file has a hierarchy for "
                      "CMS-HCC {} ({})",
                      dir, vname, needed));
    }
    for (size_t i = 0; i < per_file.size(); ++i) {
      CmsHccTableSource s{per_file[i].first, shas[i], 0, ""};
      if (per_file[i].second.size() != all.size()) {
        s.note = fmt::format(
            "lists {} of the {} parent/child pairs of {}; the union of all "
            "hierarchy files is used",
            per_file[i].second.size(), all.size(), m.hierarchy_table);
      }
      m.sources.push_back(std::move(s));
    }
    m.hierarchy.assign(all.begin(), all.end());
  }

  // Labels.
  {
    auto pick = PickYear(dir, "ra_labels_", payment_year, needed);
    if (!pick.ok()) {
      return pick.status();
    }
    auto t = ReadTable(dir, pick->file, {"cc", "label", "model_domain", "model_version"}, needed);
    if (!t.ok()) {
      return t.status();
    }
    const int c_cc = t->Column("cc"), c_l = t->Column("label"), c_dom = t->Column("model_domain"),
              c_ver = t->Column("model_version");
    for (const auto& r : t->rows) {
      if (r[c_dom] != "CMS-HCC" || r[c_ver] != vname) {
        continue;
      }
      int cc = 0;
      const std::string_view s = r[c_cc];
      if (s.size() > 3 && s.substr(0, 3) == "HCC" && ParseInt(s.substr(3), &cc)) {
        m.labels[cc] = r[c_l];
      }
    }
    if (m.labels.empty()) {
      return InvalidInput(fmt::format("{}: no labels for CMS-HCC {} ({})", t->path, vname, needed));
    }
    m.sources.push_back({t->name, t->sha256, 0, ""});
  }

  if (version == HccVersion::kV23) {
    std::erase_if(m.dx_to_cc, [&](const auto& p) { return m.labels.count(p.second) == 0; });
  }

  // Chronic flags (informational: shown in explanations).
  {
    auto t = ReadTable(dir, "hcc_is_chronic.csv",
                       {"hcc", "is_chronic", "model_version", "model_domain"}, needed);
    if (!t.ok()) {
      return t.status();
    }
    const int c_h = t->Column("hcc"), c_y = t->Column("is_chronic"),
              c_ver = t->Column("model_version"), c_dom = t->Column("model_domain");
    for (const auto& r : t->rows) {
      if (r[c_dom] != "CMS-HCC" || r[c_ver] != vname || r[c_y] != "Y") {
        continue;
      }
      int cc = 0;
      const std::string_view s = r[c_h];
      if (s.size() > 3 && ParseInt(s.substr(3), &cc)) {
        m.chronic.insert(cc);
      }
    }
    m.sources.push_back({t->name, t->sha256, 0, ""});
  }

  // Age/sex edits.
  if (version == HccVersion::kV28) {
    auto t = ReadTable(dir, "ra_dx_edits.csv",
                       {"icd10", "edit_type", "sex", "age_min", "age_max", "action", "cc_override",
                        "model_name", "description"},
                       needed);
    if (!t.ok()) {
      return t.status();
    }
    const int c_dx = t->Column("icd10"), c_sex = t->Column("sex"), c_min = t->Column("age_min"),
              c_max = t->Column("age_max"), c_act = t->Column("action"),
              c_cc = t->Column("cc_override"), c_model = t->Column("model_name"),
              c_desc = t->Column("description");
    for (size_t i = 0; i < t->rows.size(); ++i) {
      const auto& r = t->rows[i];
      if (r[c_model] != "CMS-HCC Model V28") {
        continue;
      }
      CmsHccDxEdit e;
      e.icd10 = Upper(r[c_dx]);
      // CMS sex codes: 1 male, 2 female.
      if (r[c_sex] == "1") {
        e.sex = 'M';
      }
      if (r[c_sex] == "2") {
        e.sex = 'F';
      }
      if (!r[c_min].empty() && !ParseInt(r[c_min], &e.age_min)) {
        e.age_min = -1;
      }
      if (!r[c_max].empty() && !ParseInt(r[c_max], &e.age_max)) {
        e.age_max = -1;
      }
      if (r[c_act] == "invalid") {
        e.invalid = true;
      } else if (r[c_act] == "override" && ParseInt(r[c_cc], &e.cc_override)) {
        e.invalid = false;
      } else {
        return InvalidInput(
            fmt::format("{}:{}: field action: expected 'invalid' or 'override' "
                        "with a cc_override, found '{}' ({})",
                        t->path, t->lines[i], r[c_act], needed));
      }
      e.description = r[c_desc];
      e.source = fmt::format("{}:{}", t->name, t->lines[i]);
      m.dx_edits.push_back(std::move(e));
    }
    m.sources.push_back({t->name, t->sha256, 0, ""});
  } else {
    auto edits = LegacyAgeSexEdits(version);
    if (!edits.ok()) {
      return edits.status();
    }
    m.dx_edits = std::move(*edits);
  }
  return m;
}

Result<EsrdModelTables> LoadEsrdModelTables(const std::string& refdata_dir, int payment_year) {
  const std::string dir = CmsHccDirectory(refdata_dir);
  const std::string needed = fmt::format("needed by the ESRD model, payment year {}", payment_year);
  EsrdModelTables m;
  auto coefficients =
      ReadCoefficients(dir, "ESRD", m.model_version, payment_year, needed, &m.coefficients_source);
  if (!coefficients.ok()) {
    return coefficients.status();
  }
  m.coefficients = std::move(*coefficients);
  if (!m.coefficients_source.note.empty()) {
    m.coefficients_source.note = "ESRD model: " + m.coefficients_source.note;
  }
  auto t = ReadTable(
      dir, "adjustment_rates.csv",
      {"model", "payment_year", "normalization_factor", "ma_coding_pattern_adjustment"}, needed);
  if (!t.ok()) {
    return t.status();
  }
  const int c_m = t->Column("model"), c_y = t->Column("payment_year"),
            c_n = t->Column("normalization_factor"),
            c_ma = t->Column("ma_coding_pattern_adjustment");
  for (size_t i = 0; i < t->rows.size(); ++i) {
    const auto& r = t->rows[i];
    int year = 0;
    if (r[c_m].rfind("ESRD", 0) != 0 || !ParseInt(r[c_y], &year) || year != payment_year) {
      continue;
    }
    // The series by its label: "ESRD V24 dialysis (...)", "ESRD V24 functioning graft (...)".
    EsrdAdjustment* series = r[c_m].find("dialysis") != std::string::npos            ? &m.dialysis
                             : r[c_m].find("functioning graft") != std::string::npos ? &m.graft
                                                                                     : nullptr;
    double n = 0, ma = 0;
    if (series != nullptr && ParseNumber(r[c_n], &n) && n > 0 && ParseNumber(r[c_ma], &ma)) {
      series->normalization_factor = n;
      series->ma_coding_adjustment = ma;
      series->source =
          fmt::format("adjustment_rates.csv:{} ({}, {})", t->lines[i], r[c_m], payment_year);
    }
  }
  return m;
}

Result<std::vector<CmsHccAdjustmentRate>> LoadCmsHccAdjustmentRates(const std::string& refdata_dir,
                                                                    CmsHccTableSource* source) {
  const std::string dir = CmsHccDirectory(refdata_dir);
  const std::string needed = "needed for normalization, MA coding adjustment and blends";
  auto t = ReadTable(dir, "adjustment_rates.csv",
                     {"model", "payment_year", "normalization_factor",
                      "ma_coding_pattern_adjustment", "blend_weight", "source"},
                     needed);
  if (!t.ok()) {
    return t.status();
  }
  if (source != nullptr) {
    *source = {t->name, t->sha256, 0, ""};
  }
  const int c_m = t->Column("model"), c_y = t->Column("payment_year"),
            c_n = t->Column("normalization_factor"),
            c_ma = t->Column("ma_coding_pattern_adjustment"), c_b = t->Column("blend_weight"),
            c_s = t->Column("source");
  std::vector<CmsHccAdjustmentRate> out;
  for (size_t i = 0; i < t->rows.size(); ++i) {
    const auto& r = t->rows[i];
    const std::string& model = r[c_m];
    if (model.rfind("CMS-HCC V", 0) != 0) {
      continue;  // ESRD and RxHCC rows
    }
    CmsHccAdjustmentRate a;
    a.model_label = model;
    a.line = static_cast<int>(t->lines[i]);
    const size_t end = model.find(' ', 8);
    auto v = ParseHccVersion(model.substr(8, end == std::string::npos ? end : end - 8));
    if (!v.ok()) {
      return InvalidInput(
          fmt::format("{}:{}: field model: {}", t->path, t->lines[i], v.status().message()));
    }
    a.version = *v;
    if (!ParseInt(r[c_y], &a.payment_year)) {
      return InvalidInput(fmt::format("{}:{}: field payment_year: expected a year, found '{}'",
                                      t->path, t->lines[i], r[c_y]));
    }
    double d = 0;
    if (ParseNumber(r[c_n], &d)) {
      a.normalization_factor = d;
    }
    if (ParseNumber(r[c_ma], &d)) {
      a.ma_coding_adjustment = d;
    }
    if (!ParseNumber(r[c_b], &a.blend_weight)) {
      return InvalidInput(fmt::format("{}:{}: field blend_weight: expected a number, found '{}'",
                                      t->path, t->lines[i], r[c_b]));
    }
    a.pace_only = model.find("PACE") != std::string::npos;
    a.source = r[c_s];
    out.push_back(std::move(a));
  }
  return out;
}

Result<RaEligibleCodes> LoadRaEligibleCodes(const std::string& refdata_dir, int service_year) {
  const std::string dir = CmsHccDirectory(refdata_dir);
  const std::string needed =
      fmt::format("needed to filter claims of {} for risk adjustment", service_year);
  auto pick = PickYear(dir, "ra_eligible_cpt_hcpcs_", service_year, needed);
  if (!pick.ok()) {
    return pick.status();
  }
  auto t = ReadTable(dir, pick->file, {"cpt_hcpcs_code"}, needed);
  if (!t.ok()) {
    return t.status();
  }
  RaEligibleCodes out;
  const int c = t->Column("cpt_hcpcs_code");
  for (const auto& r : t->rows) {
    if (!r[c].empty()) {
      out.codes.insert(Upper(r[c]));
    }
  }
  if (out.codes.empty()) {
    return InvalidInput(fmt::format("{}: no codes ({})", t->path, needed));
  }
  pick->sha256 = t->sha256;
  out.source = std::move(*pick);
  return out;
}

}  // namespace valuepact
