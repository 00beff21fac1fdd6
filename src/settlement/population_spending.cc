#include "valuepact/settlement/population_spending.h"
#include "valuepact/core/figure_ids.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "valuepact/dataset/member_months.h"

namespace valuepact {
namespace {

// The Timeline's month of each day its months span: a line's month without converting its date.
class MonthOfDay {
 public:
  explicit MonthOfDay(const Timeline& tl) {
    if (tl.months() <= 0) return;
    first_ = tl.first_month().first_day().days();
    const Date last = tl.MonthAt(tl.months() - 1).last_day();
    index_.resize(static_cast<size_t>(last.days() - first_) + 1);
    for (int i = 0; i < tl.months(); ++i) {
      const YearMonth ym = tl.MonthAt(i);
      for (int32_t d = ym.first_day().days(); d <= ym.last_day().days(); ++d) {
        index_[static_cast<size_t>(d - first_)] = static_cast<int16_t>(i);
      }
    }
  }
  // The month's index, or -1 outside the Timeline's months (kNoDate included): tl.IndexOf(month).
  int operator()(Date d) const {
    const int64_t k = int64_t{d.days()} - first_;
    return k >= 0 && k < static_cast<int64_t>(index_.size()) ? index_[static_cast<size_t>(k)] : -1;
  }

 private:
  int32_t first_ = 0;
  std::vector<int16_t> index_;
};

// Sorts one line, in month `i` of the Timeline (-1: none), into its scope: outside the period,
// in a month outside the population, or in.
void Count(MemberLines* a, const Timeline& tl, uint32_t m, int i, Money amt, ServiceCategory cat,
           bool pharmacy) {
  bool ok = true;
  if (i < 0) {
    ++a->out_of_period.lines;
    ok = a->out_of_period.amount.AddChecked(amt);
  } else if (!tl.InPopulation(m, i)) {
    ++a->without_enrollment.lines;
    ok = a->without_enrollment.amount.AddChecked(amt);
  } else {
    ++a->lines;
    ok = (pharmacy ? a->pharmacy : a->medical).AddChecked(amt) &&
         a->by_category[static_cast<size_t>(cat)].AddChecked(amt);
  }
  a->overflow |= ok ? 0 : 1;
}

}  // namespace

MemberLinesTable TallyMemberLines(const Dataset& ds, const Contract& k, const Timeline& tl) {
  const uint32_t n = tl.members();
  MemberLinesTable acc(n);
  const bool use_paid = k.basis == AmountBasis::kPaid;
  const MonthOfDay month_of(tl);
  if (k.medical) {
    const auto& t = ds.medical;
    const MemberIndex idx = IndexByMember(t.member, n);
    tbb::parallel_for(uint32_t{0}, n, [&](uint32_t m) {
      for (uint32_t p = idx.offsets[m]; p < idx.offsets[m + 1]; ++p) {
        const uint32_t i = idx.order[p];
        Count(&acc[m], tl, m, month_of(MedicalLineDate(t, i, k.claim_month)),
              use_paid ? t.paid[i] : t.allowed[i], t.category[i], false);
      }
    });
  }
  if (k.pharmacy) {
    const auto& t = ds.pharmacy;
    const MemberIndex idx = IndexByMember(t.member, n);
    tbb::parallel_for(uint32_t{0}, n, [&](uint32_t m) {
      for (uint32_t p = idx.offsets[m]; p < idx.offsets[m + 1]; ++p) {
        const uint32_t i = idx.order[p];
        Count(&acc[m], tl, m, month_of(t.dispensing_date[i]), use_paid ? t.paid[i] : t.allowed[i],
              ServiceCategory::kPharmacy, true);
      }
    });
  }
  return acc;
}

namespace {

void AddSpendingTrace(const Contract& k, const PopulationSpending& r, Trace* tr) {
  const bool use_paid = k.basis == AmountBasis::kPaid;
  const std::string scope_text = fmt::format(
      "{} with claim month ({}) in {} to {} and a population month for that member and month",
      use_paid ? "paid_amount" : "allowed_amount",
      k.claim_month == ClaimMonthRule::kClaimStart ? "claim_start_date" : "claim_end_date",
      k.period.start.ToString(), k.period.end.ToString());
  std::vector<std::string> category_ids;
  for (int c = 0; c < kServiceCategoryCount; ++c) {
    const auto cat = static_cast<ServiceCategory>(c);
    if (r.by_category[c].cents() == 0) {
      continue;
    }
    const std::string id = fmt::format("expenditure.category.{}", ServiceCategoryName(cat));
    tr->AddMoney(
        id, fmt::format("Spending: {}", ServiceCategoryLabel(cat)), r.by_category[c],
        "Σ amount over in-scope claim lines of this service category", {},
        fmt::format("data: {}_claim lines, Σ {} (docs/service-categories.md)",
                    cat == ServiceCategory::kPharmacy ? "pharmacy" : "medical", scope_text));
    category_ids.push_back(id);
    if (r.member_months > 0) {
      tr->AddMoney(
          id + ".pmpm", fmt::format("Spending PMPM: {}", ServiceCategoryLabel(cat)),
          RoundToCents(r.by_category[c].as_units() / static_cast<long double>(r.member_months)),
          "category spending ÷ member-months, rounded to the cent",
          {id, std::string(figure::kMemberMonths)}, "derived");
    }
  }
  tr->AddCount(std::string(figure::kInScopeLines), "In-scope claim lines", r.in_scope.lines,
               "lines", "claim lines counted as spending", {}, "data: " + scope_text);
  category_ids.push_back(std::string(figure::kInScopeLines));
  tr->AddMoney(
      std::string(figure::kExpenditureTotal), "Expenditure before truncation", r.expenditure_total,
      "Σ spending over service categories", category_ids,
      fmt::format("contract.services = [{}{}], contract.basis = \"{}\"", k.medical ? "medical" : "",
                  k.pharmacy ? (k.medical ? ", pharmacy" : "pharmacy") : "",
                  use_paid ? "paid" : "allowed"));
  tr->AddCount(std::string(figure::kWithoutEnrollmentLines),
               "Claim lines outside the population's months", r.without_enrollment.lines, "lines",
               "lines in the period whose member is not in the population in the claim's month", {},
               "data: excluded from spending and reported");
  tr->AddMoney(std::string(figure::kWithoutEnrollmentAmount),
               "Amount of claims outside the population's months", r.without_enrollment.amount,
               "Σ amount of those lines", {std::string(figure::kWithoutEnrollmentLines)},
               "data: excluded from spending and reported");
  tr->AddCount(std::string(figure::kOutOfPeriodLines), "Claim lines outside the period",
               r.out_of_period.lines, "lines",
               "lines whose claim month falls outside the contract period", {},
               "data: out of scope");
}

}  // namespace

Result<PopulationSpending> ComputePopulationSpending(const Dataset& ds, const Contract& k,
                                                     const Timeline& tl, Trace* trace,
                                                     const MemberLinesTable* tallied) {
  PopulationSpending r;
  MemberLinesTable own;
  if (tallied == nullptr) own = TallyMemberLines(ds, k, tl);
  const MemberLinesTable& acc = tallied != nullptr ? *tallied : own;
  if (acc.size() != ds.member_count()) {
    return Status(StatusCode::kInternal, fmt::format("{} members' lines tallied for {} members",
                                                     acc.size(), ds.member_count()));
  }
  // Room for every member's row at once: rows copied as the vector grows would take half as
  // much memory again, at the settlement's peak.
  r.member_rows.reserve(ds.member_count());
  // The loop below writes them on one thread: their fresh pages are faulted in on all first.
  FaultInParallel(r.member_rows.data(), r.member_rows.capacity() * sizeof(MemberSpending));
  // Reduce in member order (integer sums: identical for any thread count). A sum beyond the
  // range of int64 cents is an input error naming the member, never a wrapped total.
  for (uint32_t m = 0; m < ds.member_count(); ++m) {
    const MemberLines& a = acc[m];
    Money spend = a.medical;
    bool ok = a.overflow == 0 && spend.AddChecked(a.pharmacy) &&
              r.out_of_period.amount.AddChecked(a.out_of_period.amount) &&
              r.without_enrollment.amount.AddChecked(a.without_enrollment.amount) &&
              r.expenditure_total.AddChecked(spend);
    for (int c = 0; c < kServiceCategoryCount && ok; ++c) {
      ok = r.by_category[c].AddChecked(a.by_category[c]);
    }
    if (!ok) {
      return InvalidInput(fmt::format(
          "the claim amounts of member {} (or the running total with them) exceed what a sum of "
          "cents can hold; check the data for implausible amounts",
          ds.members.Get(m)));
    }
    r.out_of_period.lines += a.out_of_period.lines;
    r.without_enrollment.lines += a.without_enrollment.lines;
    r.in_scope.lines += a.lines;
    const int months = tl.PopulationMonths(m);
    if (months == 0) {
      continue;
    }
    r.member_months += months;
    ++r.members;
    MemberSpending row;
    row.member = m;
    row.member_months = months;
    row.lines = a.lines;
    row.medical = a.medical;
    row.pharmacy = a.pharmacy;
    row.spend = spend;
    row.truncated_spend = row.spend;
    row.by_category = a.by_category;
    r.member_rows.push_back(row);
  }
  r.in_scope.amount = r.expenditure_total;
  AddSpendingTrace(k, r, trace);
  return r;
}

}  // namespace valuepact
