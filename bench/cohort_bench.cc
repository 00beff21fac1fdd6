// Cohort evaluation throughput: 1,000,000 synthetic members generated in memory (one
// eligibility span, three claim lines each on average), and a five-criterion definition.
// Results: bench/results.md ("Cohort evaluation").
#include <benchmark/benchmark.h>

#include <random>

#include "valuepact/population/definition.h"

namespace {

using namespace valuepact;

constexpr uint32_t kMembers = 1000000;

const Dataset& Members() {
  static const Dataset ds = [] {
    Dataset d;
    std::mt19937_64 rng(20180101);
    const uint32_t medicare = d.codes.Intern("medicare");
    const char* kDx[] = {"I509", "I5022", "J441", "J449", "E119", "I10",
                         "N189", "C787",  "F039", "R05",  "M545", "Z0000"};
    std::vector<uint32_t> dx;
    for (const char* c : kDx) dx.push_back(d.codes.Intern(c));
    d.members.Reserve(kMembers);
    auto& e = d.eligibility;
    auto& t = d.medical;
    const Date base = Date::FromCivil(2017, 1, 1);
    for (uint32_t i = 0; i < kMembers; ++i) {
      const uint32_t m = d.members.Intern("M" + std::to_string(i));
      e.member.push_back(m);
      e.start.push_back(base + static_cast<int32_t>(rng() % 60));
      e.end.push_back(Date::FromCivil(2018, 12, 31));
      e.payer.push_back(medicare);
      e.plan.push_back(kNoCode);
      e.sex.push_back(rng() % 2 ? 'F' : 'M');
      e.birth_date.push_back(
          Date::FromCivil(1925 + static_cast<int>(rng() % 50), 1 + rng() % 12, 1 + rng() % 28));
      e.death_date.push_back(kNoDate);
      e.dual_status.push_back(kNoCode);
      e.medicare_status.push_back(kNoCode);
      e.orec.push_back(kNoCode);
      e.source.push_back({});
      const int lines = static_cast<int>(rng() % 7);  // 0..6, mean 3
      for (int l = 0; l < lines; ++l) {
        t.claim.push_back(d.claim_ids.Intern("C" + std::to_string(i) + "_" + std::to_string(l)));
        t.line_number.push_back(1);
        t.member.push_back(m);
        const uint64_t kind = rng() % 100;
        const bool inpatient = kind < 4;
        const bool ed = kind >= 4 && kind < 10;
        t.claim_type.push_back(inpatient ? ClaimType::kInstitutional : ClaimType::kProfessional);
        const Date day = base + static_cast<int32_t>(rng() % 730);
        t.claim_start.push_back(day);
        t.claim_end.push_back(day + (inpatient ? 4 : 0));
        t.line_start.push_back(day);
        t.line_end.push_back(day);
        t.admission.push_back(inpatient ? day : kNoDate);
        t.discharge.push_back(inpatient ? day + 4 : kNoDate);
        t.paid_date.push_back(day + 30);
        for (auto* v : {&t.place_of_service, &t.bill_type, &t.drg, &t.revenue_code, &t.hcpcs,
                        &t.hcpcs_modifier_1, &t.rendering_npi, &t.billing_npi, &t.facility_npi,
                        &t.rendering_tin, &t.billing_tin, &t.discharge_disposition}) {
          v->push_back(kNoCode);
        }
        const Money paid = Money::FromCents(static_cast<int64_t>(rng() % 500000));
        t.paid.push_back(paid);
        t.allowed.push_back(paid);
        t.charge.push_back(paid);
        t.category.push_back(inpatient ? ServiceCategory::kAcuteInpatient
                             : ed      ? ServiceCategory::kEmergency
                                       : ServiceCategory::kProfessional);
        const int n_dx = 1 + static_cast<int>(rng() % 3);
        for (int k = 0; k < n_dx; ++k) t.dx_code.push_back(dx[rng() % dx.size()]);
        t.dx_offset.push_back(static_cast<uint32_t>(t.dx_code.size()));
        t.px_offset.push_back(0);
        t.source.push_back({});
      }
    }
    d.FinalizeMembers();
    return d;
  }();
  return ds;
}

population::ValueSetLibrary Sets() {
  population::ValueSetLibrary lib;
  (void)lib.LoadCsv(
      "value_set,code_system,code\nheart_failure,icd-10-cm,I50*\nheart_failure,icd-10-cm,I110\n"
      "copd,icd-10-cm,J44*\ncopd,icd-10-cm,J43*\n",
      "bench.csv");
  return lib;
}

// Five criteria: heart failure, COPD, utilization, age, continuous enrollment.
const std::map<std::string, std::string> kDefinitions = {
    {"heart_failure_dx", "claims(diagnosis in heart_failure) within 12 months before >= 1"},
    {"copd_dx", "diagnosis in copd within 12 months before"},
    {"high_use",
     "admissions within 12 months before >= 1 or ed_visits within 12 months before >= 1"},
    {"older", "age >= 65"},
    {"continuous", "enrolled within 12 months before"},
};
const char* kEligible = "(heart_failure_dx or copd_dx) and high_use and older and continuous";

void BM_CohortEvaluate(benchmark::State& state) {
  const Dataset& ds = Members();
  auto program = population::Compile(kDefinitions, {{"eligible", kEligible}}, Sets());
  if (!program.ok()) {
    state.SkipWithError(program.status().message().c_str());
    return;
  }
  population::DatasetIndex index(ds, nullptr);
  population::EvalContext ctx;
  ctx.dataset = &ds;
  ctx.index = &index;
  ctx.index_date = Date::FromCivil(2018, 1, 1);
  int64_t in = 0;
  for (auto _ : state) {
    auto e = population::Evaluate(*program, ctx);
    in = 0;
    for (uint8_t f : e->Find("eligible")->flags) in += f;
    benchmark::DoNotOptimize(in);
  }
  state.counters["members"] = ds.member_count();
  state.counters["claim_lines"] = static_cast<double>(ds.medical.size());
  state.counters["eligible"] = static_cast<double>(in);
  state.counters["members_per_s"] = benchmark::Counter(
      static_cast<double>(ds.member_count()) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CohortEvaluate)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3);

// Grouping the tables by member is done once per dataset and shared by every evaluation.
void BM_DatasetIndexBuild(benchmark::State& state) {
  const Dataset& ds = Members();
  for (auto _ : state) {
    population::DatasetIndex index(ds, nullptr);
    benchmark::DoNotOptimize(&index);
  }
  state.counters["members_per_s"] = benchmark::Counter(
      static_cast<double>(ds.member_count()) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DatasetIndexBuild)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
