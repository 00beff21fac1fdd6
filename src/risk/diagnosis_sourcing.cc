#include "valuepact/risk/diagnosis_sourcing.h"

#include <algorithm>

#include <fmt/format.h>

namespace valuepact::risk {

char ClassifyBillType(std::string_view bt) {
  // Bill types are 3 digits (facility type, classification, frequency), often with a leading 0.
  if (bt.size() == 4 && bt[0] == '0') bt.remove_prefix(1);
  if (bt.size() < 2) return 'X';
  if (bt.size() >= 3 && bt[2] == '8') return 'V';
  const std::string_view tc = bt.substr(0, 2);
  if (tc == "11" || tc == "41") return 'I';
  for (const char* o : {"12", "13", "43", "71", "73", "76", "77", "85"}) {
    if (tc == o) return 'O';
  }
  return 'X';
}

Result<MemberDiagnoses> SourceDiagnoses(const Dataset& ds, const DiagnosisSourcingOptions& options,
                                        DiagnosisSourcingReport* report) {
  if (Status s = RequireDiagnoses(ds.medical, "CMS-HCC risk scores"); !s.ok()) return s;
  DiagnosisSourcingReport rep;
  const auto& mc = ds.medical;
  const size_t nlines = mc.size();
  const uint32_t nclaims = ds.claim_ids.size();

  // Eligible CPT/HCPCS codes as a bitmap over Dataset::codes ids.
  std::vector<uint8_t> eligible(ds.codes.size(), 0);
  if (options.eligible_codes != nullptr) {
    for (const auto& c : *options.eligible_codes) {
      const uint32_t id = ds.codes.Find(c);
      if (id != StringInterner::kNone) eligible[id] = 1;
    }
  }

  // Claim-level facts.
  enum : uint8_t { kInYear = 1, kEligibleLine = 2, kHasHcpcs = 4 };
  std::vector<uint8_t> flags(nclaims, 0);
  std::vector<uint32_t> bill_type(nclaims, kNoCode);
  std::vector<ClaimType> type(nclaims, ClaimType::kUnknown);
  std::vector<uint8_t> line_in_year(nlines, 0);
  for (size_t i = 0; i < nlines; ++i) {
    const uint32_t c = mc.claim[i];
    // The claim's through date; the line's dates when the header has none.
    Date d = mc.claim_end[i];
    if (d == kNoDate) d = mc.line_end[i];
    if (d == kNoDate) d = mc.claim_start[i];
    if (d == kNoDate) d = mc.line_start[i];
    const bool in_year = d != kNoDate && d.year() == options.data_year;
    line_in_year[i] = in_year;
    if (!in_year) {
      ++rep.lines_outside_year;
      continue;
    }
    flags[c] |= kInYear;
    if (mc.hcpcs[i] != kNoCode) {
      flags[c] |= kHasHcpcs;
      if (eligible[mc.hcpcs[i]]) flags[c] |= kEligibleLine;
    }
    if (bill_type[c] == kNoCode && mc.bill_type[i] != kNoCode) bill_type[c] = mc.bill_type[i];
    if (type[c] == ClaimType::kUnknown) type[c] = mc.claim_type[i];
  }

  std::vector<uint8_t> accepted(nclaims, 0);
  for (uint32_t c = 0; c < nclaims; ++c) {
    if ((flags[c] & kInYear) == 0) continue;
    ++rep.claims_in_year;
    ClaimType t = type[c];
    if (t == ClaimType::kUnknown) {
      t = bill_type[c] != kNoCode       ? ClaimType::kInstitutional
          : (flags[c] & kHasHcpcs) != 0 ? ClaimType::kProfessional
                                        : ClaimType::kUnknown;
    }
    switch (t) {
      case ClaimType::kDme:
        ++rep.claims_excluded_dme;
        break;
      case ClaimType::kUnknown:
        ++rep.claims_excluded_unknown_type;
        break;
      case ClaimType::kProfessional:
        if (flags[c] & kEligibleLine) {
          accepted[c] = 1;
          ++rep.claims_professional;
        } else {
          ++rep.claims_excluded_no_eligible_code;
        }
        break;
      case ClaimType::kInstitutional: {
        const char k = bill_type[c] == kNoCode ? 'X' : ClassifyBillType(ds.codes.Get(bill_type[c]));
        if (k == 'I') {
          accepted[c] = 1;
          ++rep.claims_inpatient;
        } else if (k == 'O') {
          if (flags[c] & kEligibleLine) {
            accepted[c] = 1;
            ++rep.claims_outpatient;
          } else {
            ++rep.claims_excluded_no_eligible_code;
          }
        } else if (k == 'V') {
          ++rep.claims_excluded_void;
        } else {
          ++rep.claims_excluded_bill_type;
        }
        break;
      }
    }
  }

  // (member, code) pairs of accepted claims; every line of an accepted claim in the year.
  std::vector<uint64_t> pairs;
  for (size_t i = 0; i < nlines; ++i) {
    if (!line_in_year[i] || !accepted[mc.claim[i]]) continue;
    for (uint32_t k = mc.dx_offset[i]; k < mc.dx_offset[i + 1]; ++k) {
      pairs.push_back((uint64_t{mc.member[i]} << 32) | mc.dx_code[k]);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  MemberDiagnoses out;
  out.offsets.assign(ds.member_count() + 1, 0);
  out.codes.reserve(pairs.size());
  for (uint64_t p : pairs) {
    ++out.offsets[(p >> 32) + 1];
    out.codes.push_back(static_cast<uint32_t>(p));
  }
  for (size_t m = 0; m < ds.member_count(); ++m) out.offsets[m + 1] += out.offsets[m];
  if (report != nullptr) *report = rep;
  return out;
}

std::vector<MemberInput> MembersFromDataset(const Dataset& ds, int payment_year,
                                            const MemberDiagnoses& dx, DemographicsReport* report) {
  DemographicsReport rep;
  const auto& mi = ds.member_info;
  const Date feb1 = Date::FromCivil(payment_year, 2, 1);
  const Date data_year_start = Date::FromCivil(payment_year - 1, 1, 1);
  // First enrollment start per member.
  std::vector<Date> first_start(ds.member_count(), kNoDate);
  for (size_t i = 0; i < ds.eligibility.size(); ++i) {
    const uint32_t m = ds.eligibility.member[i];
    const Date s = ds.eligibility.start[i];
    if (s != kNoDate && (first_start[m] == kNoDate || s < first_start[m])) first_start[m] = s;
  }
  auto code = [&](const std::vector<uint32_t>& col, uint32_t m) -> std::string_view {
    return m < col.size() && col[m] != kNoCode ? ds.codes.Get(col[m]) : std::string_view();
  };
  std::vector<MemberInput> out;
  out.reserve(ds.member_count());
  for (uint32_t m = 0; m < ds.member_count(); ++m) {
    ++rep.members;
    const std::string pid(ds.members.Get(m));
    if (m >= mi.birth_date.size() || mi.birth_date[m] == kNoDate) {
      ++rep.without_birth_date;
      rep.skipped.push_back(fmt::format("person {}: no birth date, age cannot be determined", pid));
      continue;
    }
    MemberInput in;
    in.person_id = pid;
    in.demo.age = FullYears(mi.birth_date[m], feb1);
    in.demo.sex = m < mi.sex.size() && mi.sex[m] == 'M' ? 'M' : 'F';
    std::vector<std::string> notes;
    notes.push_back(fmt::format("birth date {} gives age {} on {}", mi.birth_date[m].ToString(),
                                in.demo.age, feb1.ToString()));
    if (m >= mi.sex.size() || (mi.sex[m] != 'M' && mi.sex[m] != 'F')) {
      notes.push_back("sex unknown: priced as female (the CMS software's default)");
    }
    const std::string_view orec = code(mi.orec, m);
    const std::string_view status = code(mi.medicare_status, m);
    if (orec.size() == 1 && orec[0] >= '0' && orec[0] <= '3') {
      in.demo.orec = orec[0] - '0';
      notes.push_back(fmt::format("OREC {}", orec));
    } else if (!status.empty()) {
      // Medicare status code: 10 aged, 11 aged ESRD, 20 disabled, 21 disabled ESRD, 31 ESRD.
      in.demo.orec = (status == "20" || status == "21") ? 1 : status == "31" ? 2 : 0;
      ++rep.orec_from_medicare_status;
      notes.push_back(
          fmt::format("no OREC; Medicare status {} gives OREC {}", status, in.demo.orec));
    } else {
      ++rep.orec_unknown;
      notes.push_back("no OREC or Medicare status: OREC 0 assumed");
    }
    if (status == "11" || status == "21" || status == "31") {
      ++rep.esrd;
      in.demo.esrd = true;
      notes.push_back(
          fmt::format("Medicare status {}: ESRD, scored with the ESRD dialysis model", status));
    }
    const std::string_view dual = code(mi.dual_status, m);
    if (dual == "02" || dual == "04" || dual == "08") {
      in.demo.dual = DualStatus::kFull;
    } else if (dual == "01" || dual == "03" || dual == "05" || dual == "06") {
      in.demo.dual = DualStatus::kPartial;
    }
    notes.push_back(dual.empty() ? std::string("no dual status code: non-dual")
                                 : fmt::format("dual status code {}", dual));
    if (first_start[m] != kNoDate && first_start[m] > data_year_start) {
      in.demo.new_enrollee = true;
      ++rep.new_enrollees;
      notes.push_back(fmt::format("first enrollment {} is after {}: new enrollee",
                                  first_start[m].ToString(), data_year_start.ToString()));
    }
    in.demographics_note = fmt::format("eligibility of person {}: {}", pid, fmt::join(notes, "; "));
    for (uint32_t k = dx.offsets[m]; k < dx.offsets[m + 1]; ++k) {
      in.dx.emplace_back(ds.codes.Get(dx.codes[k]));
    }
    out.push_back(std::move(in));
  }
  if (report != nullptr) *report = std::move(rep);
  return out;
}

}  // namespace valuepact::risk
