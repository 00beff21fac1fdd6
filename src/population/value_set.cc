#include "valuepact/population/value_set.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "valuepact/core/csv.h"

namespace valuepact::population {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Value set names are used as bare names in definitions, so they must lex as identifiers.
bool IsIdentifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string_view StripLeadingZeros(std::string_view s) {
  while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
  return s;
}

}  // namespace

const char* CodeSystemName(CodeSystem s) {
  switch (s) {
    case CodeSystem::kIcd10Cm:
      return "icd-10-cm";
    case CodeSystem::kIcd10Pcs:
      return "icd-10-pcs";
    case CodeSystem::kHcpcs:
      return "hcpcs";
    case CodeSystem::kMsDrg:
      return "ms-drg";
    case CodeSystem::kPlaceOfService:
      return "pos";
    case CodeSystem::kRevenueCode:
      return "revenue_code";
    case CodeSystem::kBillType:
      return "bill_type";
    case CodeSystem::kNdc:
      return "ndc";
  }
  return "icd-10-cm";
}

Result<CodeSystem> ParseCodeSystem(std::string_view text) {
  std::string t = Lower(Trim(text));
  t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == '-' || c == '_'; }), t.end());
  if (t == "icd10cm" || t == "icd10") return CodeSystem::kIcd10Cm;
  if (t == "icd10pcs") return CodeSystem::kIcd10Pcs;
  if (t == "hcpcs" || t == "cpt") return CodeSystem::kHcpcs;
  if (t == "msdrg" || t == "drg") return CodeSystem::kMsDrg;
  if (t == "pos" || t == "placeofservice") return CodeSystem::kPlaceOfService;
  if (t == "revenuecode" || t == "revenue" || t == "rev") return CodeSystem::kRevenueCode;
  if (t == "billtype") return CodeSystem::kBillType;
  if (t == "ndc") return CodeSystem::kNdc;
  return InvalidInput(fmt::format(
      "unknown code system '{}' (expected icd-10-cm, icd-10-pcs, hcpcs, cpt, ms-drg, pos, "
      "revenue_code, bill_type or ndc)",
      text));
}

std::string NormalizeCode(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char c : Trim(code)) {
    if (c == '.' || c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

bool ValueSet::HasSystem(CodeSystem s) const {
  return std::any_of(codes.begin(), codes.end(),
                     [s](const ValueSetCode& c) { return c.system == s; });
}

Status ValueSetLibrary::LoadCsv(std::string_view bytes, const std::string& display_name) {
  CsvCursor cursor(bytes, CsvChunk{SkipBom(bytes), bytes.size(), 1});
  std::vector<std::string_view> fields;
  uint64_t line = 0;
  std::string error;
  if (cursor.Next(&fields, &line, &error) != CsvCursor::Outcome::kRecord) {
    return InvalidInput(
        fmt::format("{}: expected a header row value_set,code_system,code", display_name));
  }
  int col_set = -1, col_system = -1, col_code = -1;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string h = Lower(Trim(fields[i]));
    if (h == "value_set") col_set = static_cast<int>(i);
    if (h == "code_system") col_system = static_cast<int>(i);
    if (h == "code") col_code = static_cast<int>(i);
  }
  for (auto [col, name] : {std::pair{col_set, "value_set"}, std::pair{col_system, "code_system"},
                           std::pair{col_code, "code"}}) {
    if (col < 0) {
      return InvalidInput(
          fmt::format("{}:{}: missing required column '{}'", display_name, line, name));
    }
  }
  const size_t need = static_cast<size_t>(std::max({col_set, col_system, col_code})) + 1;
  while (true) {
    const auto outcome = cursor.Next(&fields, &line, &error);
    if (outcome == CsvCursor::Outcome::kEnd) break;
    if (outcome == CsvCursor::Outcome::kMalformed) {
      return InvalidInput(fmt::format("{}:{}: {}", display_name, line, error));
    }
    if (fields.size() < need) {
      return InvalidInput(fmt::format("{}:{}: expected at least {} fields, found {}", display_name,
                                      line, need, fields.size()));
    }
    const std::string name(Trim(fields[col_set]));
    if (!IsIdentifier(name)) {
      return InvalidInput(fmt::format(
          "{}:{}: value_set '{}' must be a name of letters, digits and '_' (it is written "
          "unquoted in definitions)",
          display_name, line, name));
    }
    auto system = ParseCodeSystem(fields[col_system]);
    if (!system.ok()) {
      return InvalidInput(
          fmt::format("{}:{}: code_system: {}", display_name, line, system.status().message()));
    }
    std::string_view raw = Trim(fields[col_code]);
    ValueSetCode code;
    code.system = *system;
    if (!raw.empty() && raw.back() == '*') {
      code.prefix = true;
      raw.remove_suffix(1);
    }
    code.code = NormalizeCode(raw);
    if (code.code.empty()) {
      return InvalidInput(fmt::format("{}:{}: code: empty code", display_name, line));
    }
    if (code.code.find('*') != std::string::npos) {
      return InvalidInput(fmt::format("{}:{}: code '{}': '*' is allowed only at the end (a prefix)",
                                      display_name, line, fields[col_code]));
    }
    auto it = sets_.find(name);
    if (it == sets_.end()) {
      ValueSet vs;
      vs.name = name;
      vs.origin = fmt::format("{}:{}", display_name, line);
      it = sets_.emplace(name, std::move(vs)).first;
    }
    it->second.codes.push_back(std::move(code));
  }
  return Status::Ok();
}

void ValueSetLibrary::Add(ValueSet set) {
  auto it = sets_.find(set.name);
  if (it == sets_.end()) {
    std::string name = set.name;
    sets_.emplace(std::move(name), std::move(set));
  } else {
    for (auto& c : set.codes) it->second.codes.push_back(std::move(c));
  }
}

const ValueSet* ValueSetLibrary::Find(std::string_view name) const {
  auto it = sets_.find(name);
  return it == sets_.end() ? nullptr : &it->second;
}

std::vector<std::string> ValueSetLibrary::Names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : sets_) out.push_back(k);
  return out;
}

bool CodeMatcher::Matches(std::string_view code) const {
  if (ignore_leading_zeros_) code = StripLeadingZeros(code);
  for (const auto& e : exact_) {
    const std::string_view x = ignore_leading_zeros_ ? StripLeadingZeros(e) : std::string_view(e);
    if (x == code) return true;
  }
  for (const auto& p : prefixes_) {
    if (code.substr(0, p.size()) == p) return true;
  }
  return false;
}

std::vector<uint8_t> CodeMatcher::Resolve(const StringInterner& codes) const {
  std::vector<uint8_t> out(codes.size(), 0);
  for (uint32_t i = 0; i < codes.size(); ++i) out[i] = Matches(codes.Get(i)) ? 1 : 0;
  return out;
}

std::string CodeMatcher::Describe() const {
  std::string out;
  for (const auto& e : exact_) out += (out.empty() ? "" : ", ") + e;
  for (const auto& p : prefixes_) out += (out.empty() ? "" : ", ") + p + "*";
  return out;
}

}  // namespace valuepact::population
