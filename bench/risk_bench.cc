// CMS-HCC scoring throughput: 1,000,000 synthetic members with 20 diagnoses each, scored with
// the V28 model in parallel (TBB). Reference tables come from $VALUEPACT_REFDATA or
// ../shared/refdata (run from the build directory of a checkout next to ../shared).
//
//   build-risk/risk_bench --benchmark_counters_tabular=true
#include <atomic>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "valuepact/refdata/cms_hcc_tables.h"
#include "valuepact/refdata/refdata_dir.h"
#include "valuepact/risk/cms_hcc_model.h"

namespace {

using valuepact::HccVersion;
using valuepact::risk::CmsHccModel;
using valuepact::risk::Demographics;

constexpr size_t kMembers = 1'000'000;
constexpr size_t kDxPerMember = 20;

struct Population {
  std::unique_ptr<CmsHccModel> model;
  std::vector<Demographics> demo;
  std::vector<std::string> pool;  // distinct code texts
  std::vector<uint32_t> codes;    // kMembers * kDxPerMember codes, as indexes into `pool`
  std::vector<int32_t> dx;        // the same codes as model entries
  std::string error;
};

const Population& GetPopulation() {
  static Population p = [] {
    Population p;
    auto dir = valuepact::ResolveRefdataDir("");
    if (!dir.ok()) {
      p.error = dir.status().message();
      return p;
    }
    auto t = valuepact::LoadCmsHccModelTables(*dir, HccVersion::kV28, 2026);
    if (!t.ok()) {
      p.error = t.status().message();
      return p;
    }
    auto m = CmsHccModel::Build(*t);
    if (!m.ok()) {
      p.error = m.status().message();
      return p;
    }
    p.model = std::make_unique<CmsHccModel>(std::move(*m));
    std::mt19937_64 rng(20260101);
    // About a third of a member's diagnoses map to a CC (as in the Tuva demo claims); the rest
    // are ordinary codes with no CC.
    for (const auto& [code, cc] : t->dx_to_cc) p.pool.push_back(code);
    const size_t n_mapped = p.pool.size();
    for (const char* c : {"Z0000", "I10", "E785", "M545", "R0789", "Z23", "K219", "Z1231"}) {
      p.pool.emplace_back(c);
    }
    p.demo.resize(kMembers);
    p.codes.resize(kMembers * kDxPerMember);
    for (size_t i = 0; i < kMembers; ++i) {
      Demographics& d = p.demo[i];
      d.age = 40 + static_cast<int>(rng() % 60);
      d.sex = rng() % 2 ? 'M' : 'F';
      d.orec = d.age < 65 ? 1 : static_cast<int>(rng() % 10 == 0);
      d.dual = static_cast<valuepact::risk::DualStatus>(rng() % 3);
      d.institutional = rng() % 50 == 0;
      for (size_t k = 0; k < kDxPerMember; ++k) {
        const uint64_t x = rng();
        p.codes[i * kDxPerMember + k] = static_cast<uint32_t>(
            x % 3 == 0 ? (x >> 8) % n_mapped : n_mapped + (x >> 8) % (p.pool.size() - n_mapped));
      }
    }
    std::vector<int32_t> entry(p.pool.size());
    for (size_t i = 0; i < p.pool.size(); ++i) entry[i] = p.model->FindDx(p.pool[i]);
    p.dx.resize(p.codes.size());
    for (size_t i = 0; i < p.codes.size(); ++i) p.dx[i] = entry[p.codes[i]];
    return p;
  }();
  return p;
}

// Scoring from diagnosis entries (codes already resolved, as for an interned dataset).
void BM_ScoreMembers(benchmark::State& state) {
  const Population& p = GetPopulation();
  if (!p.error.empty()) {
    state.SkipWithError(p.error.c_str());
    return;
  }
  for (auto _ : state) {
    std::vector<double> scores(kMembers);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, kMembers, 4096), [&](const auto& r) {
      for (size_t i = r.begin(); i != r.end(); ++i) {
        const std::span<const int32_t> dx(p.dx.data() + i * kDxPerMember, kDxPerMember);
        scores[i] = p.model->Score(p.demo[i], dx).raw_score;
      }
    });
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kMembers));
  state.counters["members_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kMembers), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ScoreMembers)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Scoring from ICD-10 text, including the code lookup.
void BM_ScoreMembersFromCodes(benchmark::State& state) {
  const Population& p = GetPopulation();
  if (!p.error.empty()) {
    state.SkipWithError(p.error.c_str());
    return;
  }
  for (auto _ : state) {
    std::vector<double> scores(kMembers);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, kMembers, 4096), [&](const auto& r) {
      std::array<int32_t, kDxPerMember> dx;
      for (size_t i = r.begin(); i != r.end(); ++i) {
        for (size_t k = 0; k < kDxPerMember; ++k) {
          dx[k] = p.model->FindDx(p.pool[p.codes[i * kDxPerMember + k]]);
        }
        scores[i] = p.model->Score(p.demo[i], dx).raw_score;
      }
    });
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kMembers));
  state.counters["members_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kMembers), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ScoreMembersFromCodes)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
