#include "valuepact/risk/member_profiles.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "valuepact/core/csv.h"

namespace valuepact::risk {

namespace {

std::string Lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return o;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

// graft_months: the month counted from a kidney transplant, 1 (the transplant month) to 1200;
// empty = no transplant. Returns false for anything else.
bool ParseGraftMonths(std::string_view text, std::optional<int>* out) {
  if (text.empty()) {
    out->reset();
    return true;
  }
  int v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < 1 || v > 1200) {
    return false;
  }
  *out = v;
  return true;
}

}  // namespace

Result<ProfileReadResult> ParseMemberProfiles(std::string_view data, const std::string& name) {
  ProfileReadResult out;
  if (!IsValidUtf8(data)) {
    return InvalidInput(fmt::format("{}: not valid UTF-8", name));
  }
  CsvCursor cur(data, CsvChunk{SkipBom(data), data.size(), 1});
  std::vector<std::string_view> fields;
  uint64_t line = 0;
  std::string error;
  enum Col { kPid, kAge, kSex, kOrec, kMedicaid, kElig, kDx, kEsrd, kGraft, kCols };
  std::array<int, kCols> col;
  col.fill(-1);
  bool header = true;
  while (true) {
    const auto o = cur.Next(&fields, &line, &error);
    if (o == CsvCursor::Outcome::kEnd) {
      break;
    }
    if (o == CsvCursor::Outcome::kMalformed) {
      if (header) {
        return InvalidInput(fmt::format("{}:{}: malformed header: {}", name, line, error));
      }
      out.rejects.push_back({line, "", std::string(cur.raw().substr(0, 200)), error});
      continue;
    }
    if (header) {
      header = false;
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string h = Lower(Trim(fields[i]));
        const int c = h == "person_id"                  ? kPid
                      : (h == "age" || h == "age_feb1") ? kAge
                      : h == "sex"                      ? kSex
                      : h == "orec"                     ? kOrec
                      : h == "medicaid"                 ? kMedicaid
                      : h == "elig"                     ? kElig
                      : h == "dx_codes"                 ? kDx
                      : h == "esrd"                     ? kEsrd
                      : h == "graft_months"             ? kGraft
                                                        : -1;
        if (c < 0 || col[static_cast<size_t>(c)] >= 0) {
          out.ignored_columns.emplace_back(fields[i]);
          continue;
        }
        col[static_cast<size_t>(c)] = static_cast<int>(i);
      }
      std::vector<std::string> missing;
      const char* names[] = {"person_id", "age",      "sex",  "orec",        "medicaid",
                             "elig",      "dx_codes", "esrd", "graft_months"};
      for (int c : {kPid, kAge, kSex, kDx}) {
        if (col[static_cast<size_t>(c)] < 0) {
          missing.push_back(names[c]);
        }
      }
      if (!missing.empty()) {
        return InvalidInput(
            fmt::format("{}:1: missing required column(s) {}; expected person_id, "
                        "age, sex, orec, medicaid, elig (optional), dx_codes",
                        name, fmt::join(missing, ", ")));
      }
      continue;
    }
    auto get = [&](int c) -> std::string_view {
      const int i = col[static_cast<size_t>(c)];
      return i >= 0 && static_cast<size_t>(i) < fields.size() ? Trim(fields[static_cast<size_t>(i)])
                                                              : std::string_view();
    };
    auto reject = [&](const char* field, std::string_view value, std::string reason) {
      out.rejects.push_back({line, field, std::string(value.substr(0, 200)), std::move(reason)});
    };
    MemberInput m;
    m.person_id = std::string(get(kPid));
    if (m.person_id.empty()) {
      reject("person_id", "", "expected a person_id, found an empty field");
      continue;
    }
    const auto age = get(kAge);
    int a = -1;
    auto [p, ec] = std::from_chars(age.data(), age.data() + age.size(), a);
    if (ec != std::errc() || p != age.data() + age.size() || a < 0 || a > 130) {
      reject("age", age, "expected a whole number of years 0-130 (age on February 1)");
      continue;
    }
    m.demo.age = a;
    const std::string sex = Lower(get(kSex));
    if (sex == "m" || sex == "1" || sex == "male") {
      m.demo.sex = 'M';
    } else if (sex == "f" || sex == "2" || sex == "female") {
      m.demo.sex = 'F';
    } else {
      reject("sex", get(kSex), "expected M or F");
      continue;
    }
    const auto orec = get(kOrec);
    if (orec.empty()) {
      m.demo.orec = 0;
    } else if (orec.size() == 1 && orec[0] >= '0' && orec[0] <= '3') {
      m.demo.orec = orec[0] - '0';
    } else {
      reject("orec", orec, "expected 0 (old age), 1 (disability), 2 (ESRD) or 3 (both)");
      continue;
    }
    const std::string mcaid = Lower(get(kMedicaid));
    if (mcaid == "true" || mcaid == "1" || mcaid == "y" || mcaid == "yes") {
      // Without an explicit segment, Medicaid means a full-benefit dual (CF*); partial duals
      // are given as elig CPA/CPD.
      m.demo.dual = DualStatus::kFull;
    } else if (mcaid.empty() || mcaid == "false" || mcaid == "0" || mcaid == "n" || mcaid == "no") {
      m.demo.dual = DualStatus::kNone;
    } else {
      reject("medicaid", get(kMedicaid), "expected True or False");
      continue;
    }
    const std::string esrd = Lower(get(kEsrd));
    if (esrd == "true" || esrd == "1" || esrd == "y" || esrd == "yes") {
      m.demo.esrd = true;
    } else if (!esrd.empty() && esrd != "false" && esrd != "0" && esrd != "n" && esrd != "no") {
      reject("esrd", get(kEsrd), "expected True or False");
      continue;
    }
    if (!ParseGraftMonths(get(kGraft), &m.demo.graft_months)) {
      reject("graft_months", get(kGraft),
             "expected empty (no kidney transplant) or the month counted from the transplant, "
             "a whole number 1-1200 (1-3 transplant months, 4 on functioning graft)");
      continue;
    }
    const auto elig = get(kElig);
    if (!elig.empty()) {
      auto seg = ParseSegment(elig);
      if (!seg.ok()) {
        reject("elig", elig, seg.status().message());
        continue;
      }
      m.demo.segment_override = *seg;
    }
    const auto dx = get(kDx);
    size_t b = 0;
    while (b <= dx.size()) {
      size_t e = dx.find('|', b);
      if (e == std::string_view::npos) {
        e = dx.size();
      }
      const auto code = Trim(dx.substr(b, e - b));
      if (!code.empty()) {
        m.dx.emplace_back(code);
      }
      b = e + 1;
    }
    m.demographics_note = fmt::format(
        "{}:{} (age, sex, orec, medicaid, elig, esrd, graft_months as given)", name, line);
    out.members.push_back(std::move(m));
    out.lines.push_back(line);
  }
  if (header) {
    return InvalidInput(fmt::format("{}: empty file, expected a header", name));
  }
  return out;
}

std::string ProfileRejectsCsv(const std::string& file, const std::vector<ProfileReject>& r) {
  std::string out = "file,line,field,value,reason\n";
  for (const auto& x : r) {
    AppendCsvField(&out, file);
    out += fmt::format(",{},", x.line);
    AppendCsvField(&out, x.field);
    out += ',';
    AppendCsvField(&out, x.value);
    out += ',';
    AppendCsvField(&out, x.reason);
    out += '\n';
  }
  return out;
}

}  // namespace valuepact::risk
