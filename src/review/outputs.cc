// A comparison as JSON and as Markdown (compare.h).
#include <algorithm>

#include <fmt/format.h>

#include "review/review_internal.h"

namespace valuepact::review {
namespace {

std::string Or(const std::string& s, const char* none) { return s.empty() ? none : s; }

std::string Cell(std::string s) {
  for (size_t i = 0; (i = s.find('|', i)) != std::string::npos; i += 2) s.replace(i, 1, "\\|");
  return s;
}

void MembersMarkdown(const MemberAttribution& m, bool member_level, std::string* out) {
  *out += "\n## Members\n\n";
  if (!m.available) {
    *out += fmt::format("Not compared: {}.\n", m.note);
    return;
  }
  *out += fmt::format(
      "Spending {} → {} ({}): members who entered the population {}, members who left −{}, "
      "changes of the others {}. {}\n\n",
      m.expenditure_a.ToString(), m.expenditure_b.ToString(),
      (m.expenditure_b - m.expenditure_a).ToString(), m.entered.ToString(), m.left.ToString(),
      m.changed.ToString(),
      m.explains_every_cent ? "Together they explain every cent."
                            : "They do not add up to the change in spending: see the figures.");
  if (m.members.empty()) return;
  if (!member_level) {
    *out += fmt::format("{} members differ; restricted/compare.md lists them.\n", m.members.size());
    return;
  }
  *out += "| member | what | member-months | spend before | spend after | change |\n";
  *out += "|---|---|---:|---:|---:|---:|\n";
  for (const auto& x : m.members) {
    *out += fmt::format("| {} | {} | {} → {} | {} | {} | {} |\n", Cell(x.person), x.status,
                        x.member_months_a, x.member_months_b, x.spend_a.ToString(),
                        x.spend_b.ToString(), (x.spend_b - x.spend_a).ToString());
  }
}

void LinesMarkdown(const LineAttribution& l, bool member_level, std::string* out) {
  *out += "\n## Claim lines\n\n";
  if (!l.available) {
    *out += fmt::format("Not compared: {}.\n", l.note);
    return;
  }
  *out += fmt::format("{} added, {} removed, {} restated; amounts change by {} in all.\n\n",
                      l.added, l.removed, l.restated, l.net.ToString());
  if (l.lines.empty() || !member_level) return;
  *out += "| member | claim | line | what | fields | amount before | amount after |\n";
  *out += "|---|---|---:|---|---|---:|---:|\n";
  for (const auto& x : l.lines) {
    std::string fields;
    for (const auto& f : x.fields) fields += (fields.empty() ? "" : ", ") + f;
    *out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", Cell(x.person), Cell(x.claim_id),
                        x.line, x.status, fields, x.amount_a.ToString(), x.amount_b.ToString());
  }
}

}  // namespace

nlohmann::ordered_json ComparisonJson(const Comparison& c, bool member_level) {
  nlohmann::ordered_json j;
  j["a"] = RunRecordJson(c.a);
  j["b"] = RunRecordJson(c.b);
  j["causes"] = c.causes;
  j["terms_known"] = c.terms_known;
  j["terms"] = nlohmann::ordered_json::array();
  for (const auto& t : c.terms) j["terms"].push_back({{"key", t.key}, {"a", t.a}, {"b", t.b}});
  for (const auto* list : {&c.reference, &c.data}) {
    auto& arr = j[list == &c.reference ? "reference_tables" : "data"] =
        nlohmann::ordered_json::array();
    for (const auto& x : *list) {
      arr.push_back(
          {{"table", x.table}, {"file", x.name}, {"sha256_a", x.sha_a}, {"sha256_b", x.sha_b}});
    }
  }
  j["figures"] = nlohmann::ordered_json::array();
  for (const auto& f : c.figures) {
    j["figures"].push_back({{"id", f.id},
                            {"label", f.label},
                            {"unit", f.unit},
                            {"a", f.a},
                            {"b", f.b},
                            {"change", f.delta}});
  }
  const MemberAttribution& m = c.members;
  j["members"] = {{"available", m.available}, {"note", m.note}};
  if (m.available) {
    j["members"]["expenditure_a"] = m.expenditure_a.ToString();
    j["members"]["expenditure_b"] = m.expenditure_b.ToString();
    j["members"]["entered"] = m.entered.ToString();
    j["members"]["left"] = m.left.ToString();
    j["members"]["changed"] = m.changed.ToString();
    j["members"]["explains_every_cent"] = m.explains_every_cent;
    j["members"]["count"] = m.members.size();
    for (const char* status : {"entered", "left", "changed"}) {
      j["members"][fmt::format("{}_count", status)] =
          std::count_if(m.members.begin(), m.members.end(),
                        [&](const MemberChange& x) { return x.status == status; });
    }
  }
  if (m.available && member_level) {
    auto& rows = j["members"]["members"] = nlohmann::ordered_json::array();
    for (const auto& x : m.members) {
      rows.push_back({{"person_id", x.person},
                      {"status", x.status},
                      {"member_months_a", x.member_months_a},
                      {"member_months_b", x.member_months_b},
                      {"spend_a", x.spend_a.ToString()},
                      {"spend_b", x.spend_b.ToString()}});
    }
  }
  const LineAttribution& l = c.lines;
  j["claim_lines"] = {{"available", l.available}, {"note", l.note}};
  if (l.available) {
    j["claim_lines"]["added"] = l.added;
    j["claim_lines"]["removed"] = l.removed;
    j["claim_lines"]["restated"] = l.restated;
    j["claim_lines"]["net"] = l.net.ToString();
  }
  if (l.available && member_level) {
    auto& rows = j["claim_lines"]["lines"] = nlohmann::ordered_json::array();
    for (const auto& x : l.lines) {
      rows.push_back({{"person_id", x.person},
                      {"claim_id", x.claim_id},
                      {"line", x.line},
                      {"status", x.status},
                      {"fields", x.fields},
                      {"amount_a", x.amount_a.ToString()},
                      {"amount_b", x.amount_b.ToString()}});
    }
  }
  return j;
}

std::string ComparisonMarkdown(const Comparison& c, bool member_level) {
  std::string out = fmt::format(
      "# Comparison of run {} (record #{}) and run {} (record #{})\n\n"
      "| | A | B |\n|---|---|---|\n"
      "| command | {} | {} |\n| contract | {} version {} | {} version {} |\n"
      "| engine | {} | {} |\n| recorded | {} by {} | {} by {} |\n"
      "| net payer → provider | {} | {} |\n\n",
      c.a.run_id.substr(0, 16), c.a.record_id, c.b.run_id.substr(0, 16), c.b.record_id, c.a.command,
      c.b.command, c.a.contract_id, c.a.contract_version, c.b.contract_id, c.b.contract_version,
      c.a.engine_version, c.b.engine_version, c.a.recorded_at, c.a.user, c.b.recorded_at, c.b.user,
      Or(c.a.net_payer_to_provider, "-"), Or(c.b.net_payer_to_provider, "-"));
  std::string causes;
  for (const auto& x : c.causes) causes += (causes.empty() ? "" : ", ") + x;
  out += fmt::format("**What differs:** {}.\n",
                     causes.empty() ? "nothing — same terms, tables, engine and data" : causes);
  out += "\n## Contract terms\n\n";
  if (!c.terms_known) {
    out += "The text of a contract was not stored with a run; only its hash is compared.\n";
  } else if (c.terms.empty()) {
    out += "The same terms.\n";
  } else {
    out += "| key | A | B |\n|---|---|---|\n";
    for (const auto& t : c.terms) {
      out += fmt::format("| `{}` | {} | {} |\n", t.key, Cell(Or(t.a, "(none)")),
                         Cell(Or(t.b, "(none)")));
    }
  }
  for (const auto* list : {&c.reference, &c.data}) {
    out +=
        list == &c.reference ? "\n## Reference tables and value sets\n\n" : "\n## Data files\n\n";
    if (list->empty()) out += "The same files.\n";
    for (const auto& x : *list) {
      out += fmt::format("- {} `{}`: {} → {}\n", x.table, x.name,
                         Or(x.sha_a.substr(0, 12), "(not read)"),
                         Or(x.sha_b.substr(0, 12), "(not read)"));
    }
  }
  out += "\n## Figures\n\n";
  if (c.figures.empty()) out += "Every figure is the same.\n";
  if (!c.figures.empty()) {
    out += "| figure | A | B | change |\n|---|---:|---:|---:|\n";
    for (const auto& f : c.figures) {
      out += fmt::format("| {} (`{}`) | {} | {} | {} |\n", Cell(f.label), f.id, Or(f.a, "(none)"),
                         Or(f.b, "(none)"), f.delta);
    }
  }
  MembersMarkdown(c.members, member_level, &out);
  if (!c.data.empty()) LinesMarkdown(c.lines, member_level, &out);
  return out;
}

std::vector<OutputFile> ComparisonFiles(const Comparison& c) {
  return {{"compare.md", ComparisonMarkdown(c, false), false},
          {"compare.json", ComparisonJson(c, false).dump(2) + "\n", false},
          {"compare.md", ComparisonMarkdown(c, true), true},
          {"compare.json", ComparisonJson(c, true).dump(2) + "\n", true}};
}

}  // namespace valuepact::review
