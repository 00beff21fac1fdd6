#include "valuepact/dataset/dataset.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace valuepact {

const char* ServiceCategoryName(ServiceCategory c) {
  switch (c) {
    case ServiceCategory::kAcuteInpatient:
      return "acute_inpatient";
    case ServiceCategory::kOutpatient:
      return "outpatient";
    case ServiceCategory::kEmergency:
      return "emergency_department";
    case ServiceCategory::kProfessional:
      return "professional";
    case ServiceCategory::kSnf:
      return "skilled_nursing";
    case ServiceCategory::kHomeHealth:
      return "home_health";
    case ServiceCategory::kHospice:
      return "hospice";
    case ServiceCategory::kDme:
      return "dme";
    case ServiceCategory::kPharmacy:
      return "pharmacy";
    case ServiceCategory::kOther:
      return "other";
  }
  return "other";
}

const char* ServiceCategoryLabel(ServiceCategory c) {
  switch (c) {
    case ServiceCategory::kAcuteInpatient:
      return "Acute inpatient";
    case ServiceCategory::kOutpatient:
      return "Outpatient facility";
    case ServiceCategory::kEmergency:
      return "Emergency department";
    case ServiceCategory::kProfessional:
      return "Professional";
    case ServiceCategory::kSnf:
      return "Skilled nursing facility";
    case ServiceCategory::kHomeHealth:
      return "Home health";
    case ServiceCategory::kHospice:
      return "Hospice";
    case ServiceCategory::kDme:
      return "Durable medical equipment";
    case ServiceCategory::kPharmacy:
      return "Pharmacy";
    case ServiceCategory::kOther:
      return "Other";
  }
  return "Other";
}

const char* ClaimTypeName(ClaimType t) {
  switch (t) {
    case ClaimType::kInstitutional:
      return "institutional";
    case ClaimType::kProfessional:
      return "professional";
    case ClaimType::kDme:
      return "dme";
    case ClaimType::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Status RequireDiagnoses(const MedicalClaimTable& t, std::string_view who) {
  if (t.diagnoses_kept()) return Status::Ok();
  return Status(StatusCode::kInternal,
                fmt::format("{} needs the claim lines' diagnosis and procedure codes, but this run "
                            "read the data without them (LoadOptions::diagnoses); please report "
                            "this as a bug",
                            who));
}

Status RequireLineDetails(const Dataset& ds, std::string_view who) {
  if (ds.medical.details_kept() && ds.pharmacy.details_kept()) return Status::Ok();
  return Status(StatusCode::kInternal,
                fmt::format("{} needs the claim lines' admission and discharge dates, modifiers, "
                            "facility NPIs, TINs and discharge dispositions, but this run read the "
                            "data without them (LoadOptions::line_details); please report this as "
                            "a bug",
                            who));
}

namespace {

// Row numbers ordered by start date, rows with the same start in their order. Spans' starts
// fall on a few thousand days, so a count per day orders a million rows in one pass (a
// comparison sort of them was a tenth of a second); a wider spread is sorted as before.
std::vector<uint32_t> RowsByStart(const std::vector<Date>& start) {
  std::vector<uint32_t> order(start.size());
  if (start.empty()) return order;
  const auto [lo, hi] = std::minmax_element(start.begin(), start.end());
  const uint64_t days = static_cast<uint64_t>(static_cast<int64_t>(hi->days()) - lo->days()) + 1;
  if (days > 4 * static_cast<uint64_t>(start.size()) + 1024) {
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return start[a] < start[b]; });
    return order;
  }
  const int32_t first = lo->days();
  std::vector<uint32_t> at(days + 1, 0);  // at[d + 1]: rows starting on day d, then prefix sums
  for (const Date& d : start) ++at[static_cast<size_t>(d.days() - first) + 1];
  for (size_t d = 1; d < at.size(); ++d) at[d] += at[d - 1];
  for (uint32_t r = 0; r < start.size(); ++r) {
    order[at[static_cast<size_t>(start[r].days() - first)]++] = r;
  }
  return order;
}

}  // namespace

void Dataset::FinalizeMembers() {
  const uint32_t n = member_count();
  member_info.sex.assign(n, 'U');
  member_info.birth_date.assign(n, kNoDate);
  member_info.death_date.assign(n, kNoDate);
  member_info.dual_status.assign(n, kNoCode);
  member_info.medicare_status.assign(n, kNoCode);
  member_info.orec.assign(n, kNoCode);
  for (auto* v :
       {&member_info.race, &member_info.ethnicity, &member_info.state, &member_info.zip3}) {
    v->assign(n, kNoCode);
  }
  // The latest span wins: visit rows by start date (rows that start the same day in reading
  // order) and overwrite.
  for (uint32_t r : RowsByStart(eligibility.start)) {
    const uint32_t m = eligibility.member[r];
    if (eligibility.sex[r] != 'U') {
      member_info.sex[m] = eligibility.sex[r];
    }
    if (eligibility.birth_date[r] != kNoDate) {
      member_info.birth_date[m] = eligibility.birth_date[r];
    }
    if (eligibility.death_date[r] != kNoDate) {
      member_info.death_date[m] = eligibility.death_date[r];
    }
    if (eligibility.dual_status[r] != kNoCode) {
      member_info.dual_status[m] = eligibility.dual_status[r];
    }
    if (eligibility.medicare_status[r] != kNoCode) {
      member_info.medicare_status[m] = eligibility.medicare_status[r];
    }
    if (eligibility.orec[r] != kNoCode) {
      member_info.orec[m] = eligibility.orec[r];
    }
    for (auto [from, to] : {std::pair{&eligibility.race, &member_info.race},
                            std::pair{&eligibility.ethnicity, &member_info.ethnicity},
                            std::pair{&eligibility.state, &member_info.state},
                            std::pair{&eligibility.zip3, &member_info.zip3}}) {
      if (r < from->size() && (*from)[r] != kNoCode) {
        (*to)[m] = (*from)[r];
      }
    }
  }
  // Statements outside the spans (a FHIR Patient, a CCLF8 row) come last, in reading order.
  const auto& d = demographics;
  for (size_t r = 0; r < d.size(); ++r) {
    const uint32_t m = d.member[r];
    if (m >= n) {
      continue;
    }
    if (d.sex[r] != 'U') {
      member_info.sex[m] = d.sex[r];
    }
    if (d.birth_date[r] != kNoDate) {
      member_info.birth_date[m] = d.birth_date[r];
    }
    if (d.death_date[r] != kNoDate) {
      member_info.death_date[m] = d.death_date[r];
    }
    if (d.dual_status[r] != kNoCode) {
      member_info.dual_status[m] = d.dual_status[r];
    }
    if (d.medicare_status[r] != kNoCode) {
      member_info.medicare_status[m] = d.medicare_status[r];
    }
    if (d.orec[r] != kNoCode) {
      member_info.orec[m] = d.orec[r];
    }
  }
}

MemberIndex IndexByMember(const std::vector<uint32_t>& member_of_row, uint32_t member_count) {
  // A counting sort in up to four consecutive parts of the rows, counted and placed on the
  // run's threads (a million members' nine million lines were about 50 ms on one thread). Each
  // part's rows of a member follow the earlier parts' in row order, so the index is the same
  // whatever the number of parts.
  const size_t rows = member_of_row.size();
  const size_t threads = static_cast<size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
  const size_t parts = std::min({threads, size_t{4}, rows / 65536 + 1});
  const auto first_row = [&](size_t p) { return static_cast<uint32_t>(rows * p / parts); };
  // next[p][m]: the rows of part p for member m, then where the next of them goes.
  std::vector<ZeroedArray<uint32_t>> next;
  for (size_t p = 0; p < parts; ++p) next.emplace_back(member_count);
  tbb::parallel_for(size_t{0}, parts, [&](size_t p) {
    for (uint32_t r = first_row(p); r < first_row(p + 1); ++r) ++next[p][member_of_row[r]];
  });
  MemberIndex idx;
  idx.offsets = ZeroedArray<uint32_t>(static_cast<size_t>(member_count) + 1);
  uint32_t placed = 0;
  for (uint32_t m = 0; m < member_count; ++m) {
    idx.offsets[m] = placed;
    for (auto& part : next) {
      const uint32_t n = part[m];
      part[m] = placed;
      placed += n;
    }
  }
  idx.offsets[member_count] = placed;
  idx.order = ZeroedArray<uint32_t>(rows);
  tbb::parallel_for(size_t{0}, parts, [&](size_t p) {
    ZeroedArray<uint32_t>& at = next[p];
    for (uint32_t r = first_row(p); r < first_row(p + 1); ++r) {
      idx.order[at[member_of_row[r]]++] = r;
    }
  });
  return idx;
}

ClaimRowCounts CountClaimRows(const Dataset& ds) {
  ClaimRowCounts c;
  for (const auto& s : ds.sources) {
    if (s.table == "medical_claim" || s.table == "pharmacy_claim" || s.table == "fhir") {
      c.read += s.rows_read;
      c.rejected += s.rows_rejected;
    }
  }
  return c;
}

bool IsDualStatusCode(std::string_view c) {
  while (c.size() > 1 && c.front() == '0') c.remove_prefix(1);
  return c.size() == 1 && c[0] >= '1' && c[0] <= '9' && c[0] != '7';
}

}  // namespace valuepact
