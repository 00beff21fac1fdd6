// Which members explain a change in spending (compare.h): those who entered the population, left
// it, or whose spending changed, from each run's restricted/members.csv.
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "review/review_internal.h"

namespace valuepact::review {
namespace {

struct MemberRow {
  int64_t member_months = 0;
  Money spend;
};

Result<std::map<std::string, MemberRow>> MembersOf(const RunRecord& r) {
  const RunFile* f = nullptr;
  for (const auto& x : r.files) {
    if (x.path == "restricted/members.csv") f = &x;
  }
  if (f == nullptr) {
    return NotFound(fmt::format("run {} has no restricted/members.csv", r.run_id.substr(0, 16)));
  }
  std::istringstream in(f->content);
  std::string line;
  std::getline(in, line);
  const auto header = CsvFields(line);
  int person = -1, mm = -1, spend = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "person_id") person = static_cast<int>(i);
    if (header[i] == "member_months") mm = static_cast<int>(i);
    if (header[i] == "spend") spend = static_cast<int>(i);
  }
  if (person < 0 || mm < 0 || spend < 0) {
    return InvalidInput("restricted/members.csv lacks person_id, member_months or spend");
  }
  std::map<std::string, MemberRow> out;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto v = CsvFields(line);
    if (v.size() != header.size()) return InvalidInput("restricted/members.csv: a row is short");
    auto m = ParseMoney(v[spend]);
    if (!m.ok()) return m.status();
    out[v[person]] = {std::stoll(v[mm]), m->value};
  }
  return out;
}

Money Expenditure(const RunRecord& r) {
  if (r.summary.contains("expenditure") && r.summary["expenditure"].contains("total")) {
    if (auto m = ParseMoney(r.summary["expenditure"]["total"].get<std::string>()); m.ok()) {
      return m->value;
    }
  }
  return Money();
}

}  // namespace

std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        out.back() += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      out.emplace_back();
    } else if (ch != '\r') {
      out.back() += ch;
    }
  }
  return out;
}

void AttributeMembers(Comparison* c) {
  MemberAttribution& m = c->members;
  auto a = MembersOf(c->a), b = MembersOf(c->b);
  if (!a.ok() || !b.ok()) {
    m.note = !a.ok() ? a.status().message() : b.status().message();
    return;
  }
  m.available = true;
  m.expenditure_a = Expenditure(c->a);
  m.expenditure_b = Expenditure(c->b);
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
