// Claim lines that stay on their ranks (run/line_tallies.h): the tallies of the parts of a split
// dataset add up to the whole dataset's — the data-quality scorecard and every member's spending
// — however many parts, and with claims whose lines two parts carry.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "messy_data.h"
#include "synth_data.h"
#include "test_paths.h"
#include "valuepact/ingest/dataset_cache.h"
#include "valuepact/ingest/dataset_partition.h"
#include "valuepact/ingest/quality/line_tally.h"
#include "valuepact/ingest/quality/quality.h"
#include "valuepact/run/line_tallies.h"
#include "valuepact/run/loader.h"
#include "valuepact/settlement/population_spending.h"

namespace valuepact::run {
namespace {

using testing::TempDir;

struct Whole {
  Dataset d;
  ProgramData p;
  IngestReport r;
};

// The data folder `data`, read as a run reads it.
Status ReadFolder(const std::string& data, const LoadOptions& options, Whole* w) {
  InputPaths paths;
  paths.data = data;
  const StampingFileSystem files(RealFiles());
  return ReadDataFolders(paths, options, files, &w->d, &w->p, &w->r);
}

Contract TwoServices() {
  Contract k;
  k.period = {Date::FromCivil(2018, 1, 1), Date::FromCivil(2018, 12, 31)};
  k.medical = k.pharmacy = true;
  return k;
}

// Some months in the population and some not, member by member.
Timeline SomeMonths(const Contract& k, uint32_t members) {
  Timeline tl(k.period, members);
  for (uint32_t m = 0; m < members; ++m) {
    for (int i = 0; i < tl.months(); ++i) {
      if ((m * 7 + static_cast<uint32_t>(i)) % 5 == 0) continue;
      for (auto f : {Timeline::kPlanEnrolled, Timeline::kAttributed, Timeline::kInPopulation}) {
        tl.Set(m, i, f);
      }
    }
  }
  return tl;
}

std::string ScorecardJson(const Dataset& d, const IngestReport& r,
                          const quality::ClaimLineTally* lines) {
  quality::ScorecardContext ctx;
  ctx.report = &r;
  ctx.pharmacy_required = true;
  DataRequirements req;
  const auto s = lines != nullptr ? quality::ComputeQualityScorecard(d, *lines, req, ctx)
                                  : quality::ComputeQualityScorecard(d, req, ctx);
  return quality::QualityJson(s, nullptr);
}

std::vector<int64_t> Figures(const MemberLines& m) {
  std::vector<int64_t> v = {m.lines,
                            m.medical.cents(),
                            m.pharmacy.cents(),
                            m.without_enrollment.lines,
                            m.without_enrollment.amount.cents(),
                            m.out_of_period.lines,
                            m.out_of_period.amount.cents(),
                            m.overflow};
  for (const Money& c : m.by_category) v.push_back(c.cents());
  return v;
}

// The whole dataset's claim ids that more than one part's lines carry.
std::vector<uint32_t> Shared(const std::vector<cache::Part>& parts, uint32_t claims) {
  std::vector<int> in(claims, 0);
  for (const auto& p : parts) {
    for (uint32_t g : p.maps.claim_ids) ++in[g];
  }
  std::vector<uint32_t> out;
  for (uint32_t g = 0; g < claims; ++g) {
    if (in[g] > 1) out.push_back(g);
  }
  return out;
}

void ExpectPartsAddUp(const Whole& w, const Contract& k, const std::string& what) {
  const Timeline tl = SomeMonths(k, w.d.member_count());
  const std::string whole_json = ScorecardJson(w.d, w.r, nullptr);
  const auto whole_members = TallyMemberLines(w.d, k, tl);
  for (uint32_t n : {1u, 2u, 3u, 7u}) {
    const auto parts = cache::SplitDataset(w.d, w.p, w.r, n);
    const auto shared = Shared(parts, w.d.claim_ids.size());
    if (n > 1) EXPECT_FALSE(shared.empty()) << what << ": no claim in two of " << n << " parts";
    quality::ClaimLineTally all;
    std::vector<MemberLines> members(w.d.member_count());
    std::set<uint32_t> seen;
    for (const auto& part : parts) {
      quality::LinePlace place{&part.maps.medical, &part.maps.pharmacy, &part.maps.claim_ids,
                               &shared};
      // Through the bytes a rank sends.
      auto sent = quality::DecodeTally(
          quality::EncodeTally(quality::TallyClaimLines(part.dataset, place)), "part");
      ASSERT_TRUE(sent.ok()) << sent.status().message();
      quality::MergeTally(&all, std::move(*sent));
      Timeline mine(k.period, part.dataset.member_count());
      for (uint32_t m = 0; m < mine.members(); ++m) {
        for (int i = 0; i < mine.months(); ++i) {
          for (auto f : {Timeline::kPlanEnrolled, Timeline::kAttributed, Timeline::kInPopulation}) {
            if (tl.Has(part.maps.members[m], i, f)) mine.Set(m, i, f);
          }
        }
      }
      const auto local = TallyMemberLines(part.dataset, k, mine);
      for (uint32_t m = 0; m < local.size(); ++m) {
        if (local[m].lines + local[m].without_enrollment.lines + local[m].out_of_period.lines ==
            0) {
          continue;
        }
        EXPECT_TRUE(seen.insert(part.maps.members[m]).second) << "a member's lines in two parts";
        members[part.maps.members[m]] = local[m];
      }
    }
    EXPECT_EQ(ScorecardJson(w.d, w.r, &all), whole_json) << what << " in " << n << " parts";
    for (uint32_t m = 0; m < members.size(); ++m) {
      EXPECT_EQ(Figures(members[m]), Figures(whole_members[m]))
          << what << ", member " << w.d.members.Get(m) << ", " << n << " parts";
    }
  }
}

TEST(LineTallies, ThePartsTalliesAddUpToTheWholeDatasets) {
  const std::string dir = TempDir("line_tallies");
  const std::string data = testdata::MakeData(dir, 400, 11);
  testing::MakeMessy(data);
  for (const bool diagnoses : {true, false}) {
    Whole w;
    LoadOptions lo;
    lo.diagnoses = diagnoses;
    ASSERT_TRUE(ReadFolder(data, lo, &w).ok());
    const std::string json = ScorecardJson(w.d, w.r, nullptr);
    // The messy lines show in the scorecard: their checks are what the parts must add up.
    for (const char* finding : {"duplicate_key", "\"12345678", "1899-12-3", "overlap"}) {
      EXPECT_NE(json.find(finding), std::string::npos) << finding << "\n" << json;
    }
    ExpectPartsAddUp(w, TwoServices(), diagnoses ? "with codes" : "without codes");
  }
}

TEST(LineTallies, OnlyTermsThatReadLinesForSpendingKeepThemOnTheirRanks) {
  Contract k = TwoServices();
  k.benchmark.method = "target_pmpm";
  EXPECT_TRUE(LinesOnlyForSpending(k));
  PaymentLayerTerms q;
  q.kind = "quality_incentive";
  q.program.measure = "no_such_metric";  // from the measures file
  k.payments.push_back(q);
  EXPECT_TRUE(LinesOnlyForSpending(k));
  k.payments.back().program.measure = "referrals";  // a catalogue metric, computed by the run
  EXPECT_FALSE(LinesOnlyForSpending(k));
  k.payments.clear();
  k.benchmark.method = "historical";  // risk scores need the diagnoses
  EXPECT_FALSE(LinesOnlyForSpending(k));
  k.benchmark.method = "target_pmpm";
  k.attribution.method = AttributionMethod::kAttributionFile;  // a list: no claim read
  EXPECT_TRUE(LinesOnlyForSpending(k));
  k.attribution.method = AttributionMethod::kPlurality;  // each rank attributes its members
  EXPECT_TRUE(LinesOnlyForSpending(k));
  k.definitions["x"] = "age >= 65";  // definitions read any column of any line
  EXPECT_FALSE(LinesOnlyForSpending(k));
  k.definitions.clear();
  k.attribution.method = AttributionMethod::kEnrolled;
  k.episodes.emplace_back();
  EXPECT_FALSE(LinesOnlyForSpending(k));
  // Outside a distributed run, never.
  InputPaths p;
  p.lines_apart = p.distributed = true;
  k.episodes.clear();
  EXPECT_FALSE(LinesStayOnRanks(p, k));
}

// The claim lines read apart from a cache (cache::LinesApart): the dataset beside them has no
// line and no claim id; the lines hold the columns asked for and no other; the scorecard's tally
// is the one the import stored, and equals the whole dataset's; each member's spending from the
// columns read equals the whole dataset's.
TEST(LineTallies, ACacheGivesSpendingItsColumnsAndTheScorecardItsStoredTally) {
  const std::string dir = TempDir("lines_apart");
  const std::string data = testdata::MakeData(dir, 300, 5);
  testing::MakeMessy(data);
  Whole w;
  ASSERT_TRUE(ReadFolder(data, LoadOptions{}, &w).ok());
  cache::CacheOrigin origin;
  origin.engine_version = VALUEPACT_VERSION;
  const std::string vpd = dir + "/c.vpd";
  ASSERT_TRUE(cache::WriteCache(vpd, w.d, w.p, w.r, origin).ok());
  for (const AmountBasis basis : {AmountBasis::kPaid, AmountBasis::kAllowed}) {
    Contract k = TwoServices();
    k.basis = basis;
    const auto columns = SpendingLineColumns(k);
    Whole read;
    cache::Part lines;
    const cache::LinesApart apart{columns, &lines};
    auto o = cache::ReadCacheFile(vpd, vpd, &read.d, &read.p, &read.r, nullptr, &apart);
    ASSERT_TRUE(o.ok()) << o.status().message();
    ASSERT_TRUE(lines.tally.has_value());
    EXPECT_EQ(read.d.medical.size() + read.d.pharmacy.size(), 0u);
    EXPECT_EQ(read.d.claim_ids.size(), 0u);  // no claim version names one
    EXPECT_EQ(read.d.member_count(), w.d.member_count());
    EXPECT_EQ(read.d.eligibility.size(), w.d.eligibility.size());
    const auto& m = lines.dataset.medical;
    EXPECT_EQ(m.size(), w.d.medical.size());
    EXPECT_EQ(m.paid.size(), basis == AmountBasis::kPaid ? m.size() : 0u);
    EXPECT_EQ(m.allowed.size(), basis == AmountBasis::kAllowed ? m.size() : 0u);
    EXPECT_TRUE(m.claim.empty() && m.hcpcs.empty() && m.rendering_npi.empty() && m.charge.empty() &&
                m.source.empty() && m.dx_code.empty());
    EXPECT_EQ(lines.dataset.pharmacy.size(), w.d.pharmacy.size());
    EXPECT_TRUE(lines.dataset.pharmacy.ndc.empty() && lines.dataset.pharmacy.claim.empty());
    EXPECT_EQ(quality::EncodeTally(*lines.tally),
              quality::EncodeTally(quality::TallyClaimLines(w.d)));
    {  // the claim ids, when asked for (a rank whose rank 0 needs them)
      Whole again;
      cache::Part more;
      const cache::LinesApart with_ids{columns, &more, true};
      ASSERT_TRUE(
          cache::ReadCacheFile(vpd, vpd, &again.d, &again.p, &again.r, nullptr, &with_ids).ok());
      EXPECT_EQ(again.d.claim_ids.size(), w.d.claim_ids.size());
      EXPECT_EQ(again.d.medical.size(), 0u);
    }
    read.d.FinalizeMembers();
    EXPECT_EQ(ScorecardJson(read.d, read.r, &*lines.tally), ScorecardJson(w.d, w.r, nullptr));
    const Timeline tl = SomeMonths(k, w.d.member_count());
    const auto whole = TallyMemberLines(w.d, k, tl);
    const auto apart_tally = TallyLinesReadApart(lines, k, tl);
    ASSERT_EQ(apart_tally.members.size(), whole.size());
    for (uint32_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(Figures(apart_tally.members[i]), Figures(whole[i])) << w.d.members.Get(i);
    }
  }
}

// A cache whose stored tally does not count its lines is refused; one that stores no tally is
// read whole.
TEST(LineTallies, AStoredTallyThatDoesNotFitTheLinesIsRefused) {
  const std::string dir = TempDir("lines_apart_bad");
  const std::string data = testdata::MakeData(dir, 60, 3);
  Whole w;
  ASSERT_TRUE(ReadFolder(data, LoadOptions{}, &w).ok());
  cache::CacheOrigin origin;
  quality::ClaimLineTally wrong = quality::TallyClaimLines(w.d);
  wrong.medical_lines += 1;
  auto bytes = cache::EncodeCache(w.d, w.p, w.r, origin, 1, nullptr, nullptr, &wrong);
  ASSERT_TRUE(bytes.ok());
  const auto columns = SpendingLineColumns(TwoServices());
  {
    Whole read;
    cache::Part lines;
    const cache::LinesApart apart{columns, &lines};
    auto o = cache::ReadCache(*bytes, "bad.vpd", &read.d, &read.p, &read.r, true, {}, nullptr, true,
                              &apart);
    ASSERT_FALSE(o.ok());
    EXPECT_NE(o.status().message().find("bad.vpd: corrupt cache: section medical."),
              std::string::npos)
        << o.status().message();
  }
  auto untallied = cache::EncodeCache(w.d, w.p, w.r, origin, 1);
  ASSERT_TRUE(untallied.ok());
  Whole read;
  cache::Part lines;
  const cache::LinesApart apart{columns, &lines};
  auto o = cache::ReadCache(*untallied, "old.vpd", &read.d, &read.p, &read.r, true, {}, nullptr,
                            true, &apart);
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_FALSE(lines.tally.has_value());
  EXPECT_EQ(read.d.medical.size(), w.d.medical.size());
  EXPECT_EQ(read.d.claim_ids.size(), w.d.claim_ids.size());
}

// The run loader takes the path: a command that asks for it (settle) gets the lines apart, with
// the stored tally, and the dataset without a line; one that does not gets every line.
TEST(LineTallies, TheLoaderReadsACachesLinesApartForACommandThatAsksForIt) {
  const std::string dir = TempDir("lines_apart_loader");
  const std::string data = testdata::MakeData(dir, 80, 4);
  Whole w;
  ASSERT_TRUE(ReadFolder(data, LoadOptions{}, &w).ok());
  cache::CacheOrigin origin;
  origin.engine_version = VALUEPACT_VERSION;
  const std::string vpd = dir + "/c.vpd";
  ASSERT_TRUE(cache::WriteCache(vpd, w.d, w.p, w.r, origin).ok());
  for (const bool apart : {true, false}) {
    RunInputs in;
    in.contract = TwoServices();
    in.contract.benchmark.method = "target_pmpm";
    InputPaths p;
    p.data = vpd;
    p.lines_apart = apart;
    ASSERT_TRUE(LoadData(p, RealFiles(), &in).ok());
    ASSERT_EQ(in.lines != nullptr, apart);
    if (apart) {
      EXPECT_TRUE(in.lines->tally.has_value());
      EXPECT_EQ(in.lines->dataset.medical.size(), w.d.medical.size());
      EXPECT_EQ(in.dataset.medical.size(), 0u);
    } else {
      EXPECT_EQ(in.dataset.medical.size(), w.d.medical.size());
    }
  }
}

TEST(LineTallies, OnlyACacheFileAndTermsThatReadLinesForSpendingReadThemApart) {
  const std::string dir = TempDir("lines_apart_when");
  const std::string data = testdata::MakeData(dir, 30, 2);
  Whole w;
  ASSERT_TRUE(ReadFolder(data, LoadOptions{}, &w).ok());
  InputPaths p;
  p.data = data;
  ASSERT_TRUE(cache::WriteCache(dir + "/c.vpd", w.d, w.p, w.r, cache::CacheOrigin{}).ok());
  Contract k = TwoServices();
  k.benchmark.method = "target_pmpm";
  p.lines_apart = true;
  EXPECT_FALSE(LinesReadApart(p, k));  // a folder: parsed, every column
  p.data = dir + "/c.vpd";
  EXPECT_TRUE(LinesReadApart(p, k));
  k.attribution.declared = true;
  k.attribution.method = AttributionMethod::kPlurality;  // reads more columns of the lines
  EXPECT_FALSE(LinesReadApart(p, k));
  k.attribution.method = AttributionMethod::kEnrolled;
  k.benchmark.method = "historical";
  EXPECT_FALSE(LinesReadApart(p, k));
  k.benchmark.method = "target_pmpm";
  p.lines_apart = false;  // a command that reads the lines for more
  EXPECT_FALSE(LinesReadApart(p, k));
}

// A data folder read in one process for a settlement whose terms read the lines only for
// spending is read without the columns only metrics, episodes, plurality attribution and
// definitions read; any other command, contract or a distributed run reads them.
TEST(LineTallies, OnlyASpendingSettlementInOneProcessReadsAFolderWithoutLineDetails) {
  Contract k = TwoServices();
  k.benchmark.method = "target_pmpm";
  InputPaths p;
  EXPECT_TRUE(FolderLoadOptions(p, k).line_details);  // a command that reads lines for more
  p.lines_apart = p.codes_as_contract_needs = true;
  EXPECT_FALSE(FolderLoadOptions(p, k).line_details);
  p.distributed = true;  // the ranks' parsed chunks travel with every column
  EXPECT_TRUE(FolderLoadOptions(p, k).line_details);
  p.distributed = false;
  k.attribution.declared = true;
  k.attribution.method = AttributionMethod::kPlurality;  // reads TINs
  EXPECT_TRUE(FolderLoadOptions(p, k).line_details);
  k.attribution.method = AttributionMethod::kEnrolled;
  PaymentLayerTerms q;
  q.kind = "quality_incentive";
  q.program.measure = "acute_admissions_per_1000";  // a catalogue metric: stays
  k.payments.push_back(q);
  EXPECT_TRUE(FolderLoadOptions(p, k).line_details);
  k.payments.clear();
  k.episodes.emplace_back();
  EXPECT_TRUE(FolderLoadOptions(p, k).line_details);
}

// Each part `valuepact partition` writes stores its share of the scorecard's figures, as a rank
// would tally it (claims whose lines two parts carry left to the merge); read with the lines
// apart, a part gives those figures and the spending columns, and the parts' stored figures add
// up to the whole dataset's scorecard.
TEST(LineTallies, EachPartStoresItsShareOfTheScorecard) {
  const std::string dir = TempDir("lines_apart_parts");
  const std::string data = testdata::MakeData(dir, 400, 7);
  testing::MakeMessy(data);
  Whole w;
  ASSERT_TRUE(ReadFolder(data, LoadOptions{}, &w).ok());
  const uint32_t n = 3;
  auto wrote = cache::WritePartitions(dir + "/parts", n, w.d, w.p, w.r, cache::CacheOrigin{}, 1);
  ASSERT_TRUE(wrote.ok()) << wrote.status().message();
  const auto split = cache::SplitDataset(w.d, w.p, w.r, n);
  const auto shared = Shared(split, w.d.claim_ids.size());
  ASSERT_FALSE(shared.empty());
  const auto columns = SpendingLineColumns(TwoServices());
  quality::ClaimLineTally all;
  for (uint32_t k = 0; k < n; ++k) {
    const std::string path = dir + "/parts/" + cache::PartFileName(k, n);
    cache::Part own, lines;
    const cache::LinesApart apart{columns, &lines};
    auto o = cache::ReadCacheFile(path, path, &own.dataset, &own.program, &own.report, &own.maps,
                                  &apart);
    ASSERT_TRUE(o.ok()) << o.status().message();
    ASSERT_TRUE(lines.tally.has_value()) << path;
    EXPECT_EQ(lines.dataset.medical.size(), split[k].dataset.medical.size());
    EXPECT_EQ(own.dataset.medical.size(), 0u);
    EXPECT_EQ(own.maps.medical, split[k].maps.medical);
    const quality::LinePlace place{&split[k].maps.medical, &split[k].maps.pharmacy,
                                   &split[k].maps.claim_ids, &shared};
    EXPECT_EQ(quality::EncodeTally(*lines.tally),
              quality::EncodeTally(quality::TallyClaimLines(split[k].dataset, place)))
        << path;
    quality::MergeTally(&all, *lines.tally);
  }
  EXPECT_EQ(ScorecardJson(w.d, w.r, &all), ScorecardJson(w.d, w.r, nullptr));
}

}  // namespace
}  // namespace valuepact::run
