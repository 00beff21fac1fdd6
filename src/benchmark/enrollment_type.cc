#include "valuepact/benchmark/enrollment_type.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace valuepact {
namespace {

std::string CodeText(const Dataset& ds, uint32_t id) {
  if (id == kNoCode) return "";
  std::string s(ds.codes.Get(id));
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

}  // namespace

EnrollmentType ClassifyEnrollmentType(const Dataset& ds, uint32_t m, int year, std::string* why) {
  const auto& mi = ds.member_info;
  const std::string status =
      m < mi.medicare_status.size() ? CodeText(ds, mi.medicare_status[m]) : "";
  const std::string orec = m < mi.orec.size() ? CodeText(ds, mi.orec[m]) : "";
  const std::string dual = m < mi.dual_status.size() ? CodeText(ds, mi.dual_status[m]) : "";
  const Date birth = m < mi.birth_date.size() ? mi.birth_date[m] : kNoDate;
  auto say = [&](std::string s) {
    if (why != nullptr) *why = std::move(s);
  };
  if (status == "11" || status == "21" || status == "31") {
    say(fmt::format("medicare_status_code {} (ESRD)", status));
    return EnrollmentType::kEsrd;
  }
  if (orec == "2" || orec == "3") {
    say(fmt::format("original reason for entitlement {} (ESRD)", orec));
    return EnrollmentType::kEsrd;
  }
  if (status == "20") {
    say("medicare_status_code 20 (disabled)");
    return EnrollmentType::kDisabled;
  }
  if (birth != kNoDate) {
    const int age = FullYears(birth, Date::FromCivil(year, 1, 1));
    if (age < 65) {
      say(fmt::format("age {} on {}-01-01 (under 65)", age, year));
      return EnrollmentType::kDisabled;
    }
  }
  if (!dual.empty() && dual != "00" && dual != "NA") {
    say(fmt::format("dual_status_code {}", dual));
    return EnrollmentType::kAgedDual;
  }
  say(birth == kNoDate ? "no ESRD or disabled status, no dual status, no birth date"
                       : "aged, no dual status");
  return EnrollmentType::kAgedNonDual;
}

}  // namespace valuepact
