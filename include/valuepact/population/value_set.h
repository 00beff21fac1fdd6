#pragma once
// Value sets: named lists of codes that definitions refer to by name ("diagnosis in
// heart_failure"). They are CSV files with the columns value_set, code_system, code[,
// description]; a code ending in '*' matches every code that starts with the part before it
// (ICD-10-CM "I50*"). docs/definitions.md describes the format.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/interner.h"
#include "valuepact/core/status.h"

namespace valuepact::population {

enum class CodeSystem : uint8_t {
  kIcd10Cm = 0,  // diagnoses
  kIcd10Pcs,     // inpatient procedures
  kHcpcs,        // HCPCS level I (CPT) and level II
  kMsDrg,
  kPlaceOfService,
  kRevenueCode,
  kBillType,
  kNdc,
};
inline constexpr int kCodeSystemCount = 8;
const char* CodeSystemName(CodeSystem s);  // "icd-10-cm", ...
// Accepts the names above and common spellings ("icd10cm", "cpt", "drg", "pos").
Result<CodeSystem> ParseCodeSystem(std::string_view text);

// Upper-case, without dots, dashes or blanks: the form the dataset stores codes in.
std::string NormalizeCode(std::string_view code);

struct ValueSetCode {
  CodeSystem system = CodeSystem::kIcd10Cm;
  std::string code;  // normalized, without the trailing '*'
  bool prefix = false;
};

struct ValueSet {
  std::string name;
  std::string origin;  // "valuesets/serious_illness.csv:2" where the set was first seen
  std::vector<ValueSetCode> codes;
  bool HasSystem(CodeSystem s) const;
};

class ValueSetLibrary {
 public:
  // Adds the value sets in one CSV file's bytes. Rows of a name seen before extend that set.
  Status LoadCsv(std::string_view bytes, const std::string& display_name);
  void Add(ValueSet set);

  const ValueSet* Find(std::string_view name) const;
  std::vector<std::string> Names() const;
  size_t size() const { return sets_.size(); }

 private:
  std::map<std::string, ValueSet, std::less<>> sets_;
};

// Matches normalized code text against exact codes and prefixes of one or more systems.
class CodeMatcher {
 public:
  void AddExact(std::string code) { exact_.push_back(std::move(code)); }
  void AddPrefix(std::string prefix) { prefixes_.push_back(std::move(prefix)); }
  // DRG and place-of-service codes are compared without leading zeros ("0291" == "291").
  void set_ignore_leading_zeros(bool v) { ignore_leading_zeros_ = v; }
  bool empty() const { return exact_.empty() && prefixes_.empty(); }
  bool Matches(std::string_view code) const;
  // One flag per id of `codes`: 1 where the interned text matches.
  std::vector<uint8_t> Resolve(const StringInterner& codes) const;
  std::string Describe() const;  // "I50*, I110" for traces and messages

 private:
  std::vector<std::string> exact_;
  std::vector<std::string> prefixes_;
  bool ignore_leading_zeros_ = false;
};

}  // namespace valuepact::population
