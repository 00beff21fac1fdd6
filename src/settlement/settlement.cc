#include "valuepact/settlement/settlement.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "valuepact/benchmark/historical_benchmark.h"
#include "valuepact/core/csv.h"
#include "valuepact/core/mapped_file.h"
#include "valuepact/refdata/msr_bands.h"
#include "valuepact/refdata/refdata_dir.h"
#include "valuepact/settlement/population_eligibility.h"
#include "valuepact/settlement/program_layers.h"
#include "valuepact/settlement/shared_savings.h"

namespace valuepact {
namespace {

// Restricts member-months to the members (and effective dates) of an attribution file:
// CSV with a person_id column and optional start/end columns.
Status ApplyAttributionFile(const Dataset& ds, const std::string& path, const Period& period,
                            MemberMonths* mm, std::vector<std::string>* notes) {
  auto file = MappedFile::Open(path);
  if (!file.ok()) return file.status();
  const std::string_view data = file->data();
  CsvCursor cur(data, CsvChunk{SkipBom(data), data.size(), 1});
  std::vector<std::string_view> f;
  uint64_t line = 0;
  std::string err;
  if (cur.Next(&f, &line, &err) != CsvCursor::Outcome::kRecord) {
    return InvalidInput(fmt::format("{}: the attribution file has no header", path));
  }
  int person = -1, start = -1, end = -1;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] == "person_id" || f[i] == "patient_id") person = static_cast<int>(i);
    if (f[i] == "start" || f[i] == "start_date") start = static_cast<int>(i);
    if (f[i] == "end" || f[i] == "end_date") end = static_cast<int>(i);
  }
  if (person < 0) {
    return InvalidInput(fmt::format("{}:1: missing required column 'person_id'", path));
  }
  std::vector<std::vector<std::pair<Date, Date>>> windows(ds.member_count());
  int64_t unknown = 0;
  for (;;) {
    const auto o = cur.Next(&f, &line, &err);
    if (o == CsvCursor::Outcome::kEnd) break;
    if (o == CsvCursor::Outcome::kMalformed) {
      return InvalidInput(fmt::format("{}:{}: {}", path, line, err));
    }
    if (static_cast<int>(f.size()) <= std::max({person, start, end})) {
      return InvalidInput(fmt::format("{}:{}: expected at least {} fields, found {}", path, line,
                                      std::max({person, start, end}) + 1, f.size()));
    }
    Date s = period.start, e = period.end;
    for (auto [idx, out] : {std::pair{start, &s}, std::pair{end, &e}}) {
      if (idx < 0 || f[static_cast<size_t>(idx)].empty()) continue;
      auto d = ParseDate(f[static_cast<size_t>(idx)]);
      if (!d.ok()) {
        return InvalidInput(fmt::format("{}:{}: {}: {}", path, line, idx == start ? "start" : "end",
                                        d.status().message()));
      }
      *out = *d;
    }
    const uint32_t m = ds.members.Find(f[static_cast<size_t>(person)]);
    if (m == StringInterner::kNone) {
      ++unknown;
      continue;
    }
    windows[m].emplace_back(s, e);
  }
  if (unknown > 0) {
    notes->push_back(fmt::format("{}: {} attributed person ids have no eligibility or claims rows",
                                 path, unknown));
  }
  for (uint32_t m = 0; m < ds.member_count(); ++m) {
    for (int i = 0; i < mm->months(); ++i) {
      if (!mm->Has(m, i)) continue;
      const YearMonth ym = mm->first_month() + i;
      bool ok = false;
      for (const auto& [s, e] : windows[m]) ok |= s <= ym.last_day() && e >= ym.first_day();
      if (!ok) mm->Clear(m, i);
    }
  }
  return Status::Ok();
}

struct MemberAccumulator {
  int64_t lines = 0;
  Money medical, pharmacy;
  std::array<Money, kServiceCategoryCount> by_category{};
  ClaimScopeCounts without_enrollment, out_of_period;
};

}  // namespace

Result<SettlementResult> Settle(const Dataset& ds, const Contract& k, const SettleOptions& opt) {
  SettlementResult r;
  r.contract_id = k.id;
  r.period = k.period;
  Trace& tr = r.trace;
  const std::string period_text =
      fmt::format("{} to {}", k.period.start.ToString(), k.period.end.ToString());

  // ---- population and member-months -------------------------------------------------------
  MemberMonthOptions mmo;
  mmo.period = k.period;
  mmo.rule = k.member_months;
  std::string payer_text = "any payer";
  if (!k.payers.empty()) {
    payer_text.clear();
    for (const auto& p : k.payers) {
      const uint32_t id = ds.codes.Find(p);
      // A payer named in the contract but absent from the data matches no span.
      mmo.payers.push_back(id == kNoCode ? kNoCode - 1 : id);
      payer_text += (payer_text.empty() ? "" : ", ") + p;
    }
  }
  MemberMonths mm = ComputeMemberMonths(ds, mmo);
  std::string population_rule = fmt::format(
      "eligibility spans with payer in [{}] overlapping {} of a month of {}", payer_text,
      k.member_months == MemberMonthRule::kAnyDay ? "any day" : "every day", period_text);
  if (k.population.source == "attribution_file") {
    namespace fs = std::filesystem;
    fs::path p = k.population.attribution_file;
    if (p.is_relative() && !opt.contract_dir.empty()) p = fs::path(opt.contract_dir) / p;
    Status s = ApplyAttributionFile(ds, p.string(), k.period, &mm, &r.notes);
    if (!s.ok()) return s;
    population_rule +=
        fmt::format(", restricted to the members and dates of {}", k.population.attribution_file);
  }
  if (!k.population.eligible.empty()) {
    auto removed = ApplyEligibility(ds, k, opt.program, opt.value_sets, &mm, &tr);
    if (!removed.ok()) return removed.status();
    population_rule +=
        fmt::format(", for members meeting [population] eligible = \"{}\"", k.population.eligible);
  }
  r.member_months = mm.Total();
  r.members = mm.MembersWithAny();
  tr.AddCount("population.member_months", "Member-months", r.member_months, "member_months",
              "count of (member, month) pairs meeting the enrollment rule",
              k.population.eligible.empty() ? std::vector<std::string>{}
                                            : std::vector<std::string>{"population.eligible"},
              "data: " + population_rule + " [contract.member_months, contract.payers]");
  tr.AddCount("population.members", "Members in the population", r.members, "members",
              "members with at least one member-month", {"population.member_months"},
              "data: " + population_rule);

  // ---- claims by member ---------------------------------------------------------------------
  const uint32_t n = ds.member_count();
  std::vector<MemberAccumulator> acc(n);
  const bool use_paid = k.basis == AmountBasis::kPaid;
  const char* amount_col = use_paid ? "paid_amount" : "allowed_amount";
  if (k.medical) {
    const auto& t = ds.medical;
    const MemberIndex idx = IndexByMember(t.member, n);
    tbb::parallel_for(uint32_t{0}, n, [&](uint32_t m) {
      MemberAccumulator& a = acc[m];
      for (uint32_t p = idx.offsets[m]; p < idx.offsets[m + 1]; ++p) {
        const uint32_t i = idx.order[p];
        const Money amt = use_paid ? t.paid[i] : t.allowed[i];
        const int month = mm.IndexOf(MedicalLineMonth(t, i, k.claim_month));
        if (month < 0) {
          ++a.out_of_period.lines;
          a.out_of_period.amount += amt;
        } else if (!mm.Has(m, month)) {
          ++a.without_enrollment.lines;
          a.without_enrollment.amount += amt;
        } else {
          ++a.lines;
          a.medical += amt;
          a.by_category[static_cast<size_t>(t.category[i])] += amt;
        }
      }
    });
  }
  if (k.pharmacy) {
    const auto& t = ds.pharmacy;
    const MemberIndex idx = IndexByMember(t.member, n);
    tbb::parallel_for(uint32_t{0}, n, [&](uint32_t m) {
      MemberAccumulator& a = acc[m];
      for (uint32_t p = idx.offsets[m]; p < idx.offsets[m + 1]; ++p) {
        const uint32_t i = idx.order[p];
        const Money amt = use_paid ? t.paid[i] : t.allowed[i];
        const int month = mm.IndexOf(YearMonth::Of(t.dispensing_date[i]));
        if (month < 0) {
          ++a.out_of_period.lines;
          a.out_of_period.amount += amt;
        } else if (!mm.Has(m, month)) {
          ++a.without_enrollment.lines;
          a.without_enrollment.amount += amt;
        } else {
          ++a.lines;
          a.pharmacy += amt;
          a.by_category[static_cast<size_t>(ServiceCategory::kPharmacy)] += amt;
        }
      }
    });
  }

  // The truncation that defines `truncated_total`: the first shared-savings layer's.
  std::optional<Money> truncation;
  for (const auto& p : k.payments) {
    if (p.kind == "shared_savings") {
      truncation = p.shared_savings.member_truncation;
      break;
    }
  }

  // Reduce in member order (integer sums: identical for any thread count).
  Money medical_total, pharmacy_total;
  for (uint32_t m = 0; m < n; ++m) {
    const MemberAccumulator& a = acc[m];
    r.out_of_period.lines += a.out_of_period.lines;
    r.out_of_period.amount += a.out_of_period.amount;
    r.without_enrollment.lines += a.without_enrollment.lines;
    r.without_enrollment.amount += a.without_enrollment.amount;
    r.in_scope.lines += a.lines;
    medical_total += a.medical;
    pharmacy_total += a.pharmacy;
    for (int c = 0; c < kServiceCategoryCount; ++c) r.by_category[c] += a.by_category[c];
    const int months = mm.Count(m);
    if (months == 0) continue;
    MemberResult row;
    row.member = m;
    row.member_months = months;
    row.lines = a.lines;
    row.medical = a.medical;
    row.pharmacy = a.pharmacy;
    row.spend = a.medical + a.pharmacy;
    row.truncated_spend = truncation && row.spend > *truncation ? *truncation : row.spend;
    row.by_category = a.by_category;
    r.member_rows.push_back(row);
  }
  r.expenditure_total = medical_total + pharmacy_total;

  const std::string scope_text = fmt::format(
      "{} with claim month ({}) in {} and a member-month for that member and month", amount_col,
      k.claim_month == ClaimMonthRule::kClaimStart ? "claim_start_date" : "claim_end_date",
      period_text);
  std::vector<std::string> category_ids;
  for (int c = 0; c < kServiceCategoryCount; ++c) {
    const auto cat = static_cast<ServiceCategory>(c);
    if (r.by_category[c].cents() == 0) continue;
    const std::string id = fmt::format("expenditure.category.{}", ServiceCategoryName(cat));
    tr.AddMoney(
        id, fmt::format("Spending: {}", ServiceCategoryLabel(cat)), r.by_category[c],
        "Σ amount over in-scope claim lines of this service category", {},
        fmt::format("data: {}_claim lines, Σ {} (docs/service-categories.md)",
                    cat == ServiceCategory::kPharmacy ? "pharmacy" : "medical", scope_text));
    category_ids.push_back(id);
    if (r.member_months > 0) {
      tr.AddMoney(
          id + ".pmpm", fmt::format("Spending PMPM: {}", ServiceCategoryLabel(cat)),
          RoundToCents(r.by_category[c].as_units() / static_cast<long double>(r.member_months)),
          "category spending ÷ member-months, rounded to the cent",
          {id, "population.member_months"}, "derived");
    }
  }
  tr.AddCount("claims.in_scope.lines", "In-scope claim lines", r.in_scope.lines, "lines",
              "claim lines counted as spending", {}, "data: " + scope_text);
  r.in_scope.amount = r.expenditure_total;
  category_ids.push_back("claims.in_scope.lines");
  tr.AddMoney(
      "expenditure.total", "Expenditure before truncation", r.expenditure_total,
      "Σ spending over service categories", category_ids,
      fmt::format("contract.services = [{}{}], contract.basis = \"{}\"", k.medical ? "medical" : "",
                  k.pharmacy ? (k.medical ? ", pharmacy" : "pharmacy") : "",
                  use_paid ? "paid" : "allowed"));
  tr.AddCount("claims.without_enrollment.lines", "Claim lines without enrollment",
              r.without_enrollment.lines, "lines",
              "lines in the period whose member has no member-month in the claim's month", {},
              "data: excluded from spending and reported");
  tr.AddMoney("claims.without_enrollment.amount", "Amount of claims without enrollment",
              r.without_enrollment.amount, "Σ amount of those lines",
              {"claims.without_enrollment.lines"}, "data: excluded from spending and reported");
  tr.AddCount("claims.out_of_period.lines", "Claim lines outside the period", r.out_of_period.lines,
              "lines", "lines whose claim month falls outside the contract period", {},
              "data: out of scope");

  // Member truncation.
  Money excess;
  std::vector<std::string> truncated_ids;
  for (const auto& row : r.member_rows) {
    if (row.truncated_spend == row.spend) continue;
    excess += row.spend - row.truncated_spend;
    const std::string pid(ds.members.Get(row.member));
    const std::string id = fmt::format("member.{}.spend", pid);
    tr.AddMoney(
        id, fmt::format("Spending of member {}", pid), row.spend,
        "Σ amount over the member's in-scope claim lines", {},
        fmt::format("data: {} in-scope lines of person_id {} (members.csv)", row.lines, pid));
    truncated_ids.push_back(id);
  }
  r.truncated_total = r.expenditure_total - excess;
  if (truncation) {
    tr.AddMoney("expenditure.truncation", "Member truncation threshold", *truncation,
                "contract term (per member per period)", {}, "payment.member_truncation");
    truncated_ids.insert(truncated_ids.begin(), "expenditure.truncation");
    tr.AddMoney("expenditure.truncation_excess", "Spending above the truncation threshold", excess,
                fmt::format("Σ over {} members of (spend − threshold) where spend > threshold",
                            truncated_ids.size() - 1),
                truncated_ids, "payment.member_truncation");
    tr.AddMoney("expenditure.truncated_total", "Expenditure after member truncation",
                r.truncated_total, "expenditure before truncation − spending above the threshold",
                {"expenditure.total", "expenditure.truncation_excess"},
                "payment.member_truncation");
  } else {
    tr.AddMoney("expenditure.truncated_total", "Expenditure after member truncation",
                r.truncated_total, "no truncation term: equal to expenditure before truncation",
                {"expenditure.total"}, "contract");
  }
  if (r.member_months > 0) {
    r.expenditure_pmpm =
        RoundToCents(r.truncated_total.as_units() / static_cast<long double>(r.member_months));
  }
  tr.AddMoney("expenditure.pmpm", "Expenditure per member per month", r.expenditure_pmpm,
              "truncated expenditure ÷ member-months, rounded to the cent",
              {"expenditure.truncated_total", "population.member_months"}, "derived");

  // ---- benchmark ----------------------------------------------------------------------------
  if (k.benchmark.method == "historical") {
    HistoricalBenchmarkInputs hin;
    hin.performance_months = &mm;
    hin.refdata_dir = opt.refdata_dir;
    auto hb = ComputeHistoricalBenchmark(ds, k, hin, &tr);
    if (!hb.ok()) return hb.status();
    r.benchmark_total = hb->total;
    r.benchmark_pmpm = hb->pmpm;
    for (auto& note : hb->notes) r.notes.push_back(std::move(note));
  } else {
    r.benchmark_pmpm = k.benchmark.target_pmpm;
    r.benchmark_total = k.benchmark.target_pmpm * r.member_months;
    tr.AddMoney("benchmark.pmpm", "Benchmark per member per month", r.benchmark_pmpm,
                "contract term", {}, "benchmark.target_pmpm");
    tr.AddMoney("benchmark.total", "Benchmark", r.benchmark_total, "target PMPM × member-months",
                {"benchmark.pmpm", "population.member_months"},
                "benchmark.method = \"target_pmpm\"");
  }

  // ---- payment layers: non-shared-savings first, so they can be offsets ---------------------
  std::map<std::string, LayerResult> done;
  auto clause_of = [](const PaymentLayerTerms& p) {
    return fmt::format("[[payment]] id = \"{}\" (contract line {})", p.id, p.source_line);
  };
  for (const auto& p : k.payments) {
    if (p.kind != "case_rate") continue;
    LayerResult l{p.id,
                  p.kind,
                  p.label,
                  p.case_rate.pmpm * r.member_months,
                  fmt::format("layer.{}.amount", p.id),
                  "case_rate"};
    tr.AddMoney(fmt::format("layer.{}.pmpm", p.id),
                fmt::format("{}: rate per member-month", p.label), p.case_rate.pmpm,
                "contract term", {}, clause_of(p) + ".pmpm");
    tr.AddMoney(l.trace_id, fmt::format("{}: case-rate payment", p.label), l.amount,
                "PMPM × member-months (exact in cents; no rounding needed)",
                {fmt::format("layer.{}.pmpm", p.id), "population.member_months"}, clause_of(p));
    done[p.id] = l;
  }
  // Seed 002 layers: counts come from program data, which this data source does not carry.
  for (const auto& p : k.payments) {
    if (p.kind == "case_rate" || p.kind == "shared_savings") continue;
    ProgramLayerInputs in;
    in.member_months = r.member_months;
    in.members = r.members;
    in.member_months_id = "population.member_months";
    in.members_id = "population.members";
    const ProgramLayerOutcome o =
        ComputeProgramLayer(p, in, fmt::format("layer.{}", p.id), clause_of(p), &tr);
    if (!o.note.empty()) r.notes.push_back(fmt::format("layer '{}': {}", p.id, o.note));
    done[p.id] = LayerResult{p.id, p.kind, p.label, o.amount, o.amount_id, o.branch};
  }
  std::optional<MsrBandTable> msr_bands;
  for (const auto& p : k.payments) {
    if (p.kind != "shared_savings") continue;
    SharedSavingsTerms s = p.shared_savings;
    const std::string pre = fmt::format("layer.{}", p.id);
    if (s.truncation_percentile) {
      // Truncation at a percentile of the population's annual member spend (nearest rank).
      std::vector<Money> spends;
      for (const auto& row : r.member_rows) spends.push_back(row.spend);
      std::sort(spends.begin(), spends.end());
      if (!spends.empty()) {
        const double rank =
            std::ceil(*s.truncation_percentile * static_cast<double>(spends.size()));
        const size_t at = static_cast<size_t>(std::max(1.0, rank)) - 1;
        s.member_truncation = spends[std::min(at, spends.size() - 1)];
        tr.AddMoney(pre + ".truncation_threshold",
                    fmt::format("{}: member truncation at the {} percentile", p.label,
                                FormatRate(*s.truncation_percentile)),
                    *s.member_truncation,
                    fmt::format("nearest-rank percentile of {} members' spending", spends.size()),
                    {"expenditure.total"}, clause_of(p) + ".truncation_percentile");
      }
    }
    // This layer's own truncation (it may differ from the summary's).
    Money layer_excess;
    std::vector<std::string> trunc_inputs = {"expenditure.total"};
    if (s.member_truncation) {
      for (const auto& row : r.member_rows) {
        if (row.spend > *s.member_truncation) layer_excess += row.spend - *s.member_truncation;
      }
    }
    Money expenditure = r.expenditure_total - layer_excess;
    std::string formula = "expenditure before truncation";
    if (s.member_truncation) {
      tr.AddMoney(
          pre + ".truncation_excess",
          fmt::format("{}: spending above {} per member", p.label, s.member_truncation->ToString()),
          layer_excess, "Σ over members of max(0, spend − threshold)", {"expenditure.total"},
          clause_of(p) + ".member_truncation");
      formula += " − spending above the member truncation";
      trunc_inputs.push_back(pre + ".truncation_excess");
    }
    for (const auto& off : s.offset_layers) {
      const auto it = done.find(off);
      if (it == done.end()) continue;  // validated at parse time
      expenditure += it->second.amount;
      formula += fmt::format(" + layer '{}'", off);
      trunc_inputs.push_back(it->second.trace_id);
    }
    tr.AddMoney(pre + ".expenditure", fmt::format("{}: expenditure", p.label), expenditure, formula,
                trunc_inputs, clause_of(p) + ".offset_layers");
    SharedSavingsInputs in{r.benchmark_total, expenditure, "benchmark.total", pre + ".expenditure"};
    in.assigned_beneficiaries = r.members;
    SharedSavingsContext ctx;
    const bool variable = s.msr_method == MsrMethod::kVariable || s.elected_variable ||
                          s.small_population == "variable";
    if (variable && !msr_bands) {
      auto dir = ResolveRefdataDir(opt.refdata_dir);
      if (!dir.ok()) return dir.status();
      auto t = MsrBandTable::Load(MsrBandTable::PathIn(*dir));
      if (!t.ok()) return t.status();
      msr_bands = std::move(*t);
    }
    if (msr_bands) ctx.msr_bands = &*msr_bands;
    auto o = ComputeSharedSavings(s, in, ctx, pre, clause_of(p), &tr);
    if (!o.ok()) return o.status();
    if (!o->note.empty()) r.notes.push_back(fmt::format("layer '{}': {}", p.id, o->note));
    LayerResult l{p.id, p.kind, p.label, o->amount, o->amount_id, o->branch};
    done[p.id] = l;
  }
  std::vector<std::string> layer_ids;
  for (const auto& p : k.payments) {
    r.layers.push_back(done.at(p.id));
    r.net_payer_to_provider += done.at(p.id).amount;
    layer_ids.push_back(done.at(p.id).trace_id);
  }
  tr.AddMoney("net_payer_to_provider", "Net amount the payer owes the provider",
              r.net_payer_to_provider,
              "Σ of every payment layer's amount (negative: provider owes)", layer_ids,
              "contract [[payment]] layers");
  return r;
}

}  // namespace valuepact
