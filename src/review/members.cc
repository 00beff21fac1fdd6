// Which members explain a change in spending (compare.h): those who entered the population, left
// it, or whose spending changed, from each run's restricted/members.csv.
#include <map>
#include <optional>

#include <fmt/format.h>

#include "review/review_internal.h"
#include "valuepact/core/csv.h"

namespace valuepact::review {
namespace {

struct MemberRow {
  int64_t member_months = 0;
  Money spend;
};

Result<std::map<std::string, MemberRow>> MembersOf(const RunRecord& r) {
  const std::string name = "restricted/members.csv";
  const RunFile* f = FindFile(r, name);
  if (f == nullptr) {
    return NotFound(fmt::format("run {} has no {}", r.run_id.substr(0, 16), name));
  }
  const CsvTableResult csv = ReadCsvTable(f->content, name);
  if (!csv.ok) return InvalidInput(csv.error);
  const int person = csv.table.Column("person_id"), mm = csv.table.Column("member_months"),
            spend = csv.table.Column("spend");
  if (person < 0 || mm < 0 || spend < 0) {
    return InvalidInput(name + " lacks person_id, member_months or spend");
  }
  std::map<std::string, MemberRow> out;
  for (size_t i = 0; i < csv.table.rows.size(); ++i) {
    const auto& v = csv.table.rows[i];
    auto m = ParseMoney(v[spend]);
    char* end = nullptr;
    const long long months = std::strtoll(v[mm].c_str(), &end, 10);
    if (!m.ok() || v[mm].empty() || *end != '\0') {
      return InvalidInput(fmt::format("{}:{}: spend '{}' or member_months '{}' is not a number",
                                      name, csv.table.lines[i], v[spend], v[mm]));
    }
    out[v[person]] = {months, m->value};
  }
  return out;
}

// A run's expenditure total; nullopt when its summary does not state one.
std::optional<Money> Expenditure(const RunRecord& r) {
  const auto& s = r.summary;
  if (s.contains("expenditure") && s["expenditure"].contains("total") &&
      s["expenditure"]["total"].is_string()) {
    if (auto m = ParseMoney(s["expenditure"]["total"].get<std::string>()); m.ok()) return m->value;
  }
  return std::nullopt;
}

}  // namespace

void AttributeMembers(Comparison* c) {
  MemberAttribution& m = c->members;
  auto a = MembersOf(c->a), b = MembersOf(c->b);
  if (!a.ok() || !b.ok()) {
    m.note = !a.ok() ? a.status().message() : b.status().message();
    return;
  }
  const auto ea = Expenditure(c->a), eb = Expenditure(c->b);
  if (!ea || !eb) {
    m.note = "a run's summary.json states no expenditure total to reconcile the members with";
    return;
  }
  m.available = true;
  m.expenditure_a = *ea;
  m.expenditure_b = *eb;
  for (const auto& [person, ra] : *a) {
    auto it = b->find(person);
    if (it == b->end()) {
      m.members.push_back({person, "left", ra.member_months, 0, ra.spend, Money()});
      m.left += ra.spend;
    } else if (it->second.spend != ra.spend || it->second.member_months != ra.member_months) {
      m.members.push_back({person, "changed", ra.member_months, it->second.member_months, ra.spend,
                           it->second.spend});
      m.changed += it->second.spend - ra.spend;
    }
  }
  for (const auto& [person, rb] : *b) {
    if (a->count(person) == 0) {
      m.members.push_back({person, "entered", 0, rb.member_months, Money(), rb.spend});
      m.entered += rb.spend;
    }
  }
  std::sort(m.members.begin(), m.members.end(),
            [](const MemberChange& x, const MemberChange& y) { return x.person < y.person; });
  m.explains_every_cent = m.entered - m.left + m.changed == m.expenditure_b - m.expenditure_a;
}

}  // namespace valuepact::review
