// Claim lines that stay on their ranks (run/line_tallies.h): the tallies of the parts of a split
// dataset add up to the whole dataset's — the data-quality scorecard and every member's spending
// — however many parts, and with claims whose lines two parts carry.
#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "messy_data.h"
#include "synth_data.h"
#include "test_paths.h"
#include "valuepact/core/file_io.h"
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

// Files that put the checks of a read batch by batch to work: a second medical file whose
// keys repeat lines read batches or files before, claims numbered out of order (3, 1, 2, 1), an
// implausible amount, an emergency line far from the outpatient line of its claim, lines in two
// months of a claim, lines without a claim start or without a claim end date, line numbers
// out of a byte's range; and a second pharmacy file with claim ids of medical claims, repeated
// keys (of line numbers from 255 up too),
// an implausible amount and dates and codes the scorecard counts.
void AddBatchChecks(const std::string& dir) {
  std::string med =
      "claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,"
      "claim_line_start_date,bill_type_code,revenue_center_code,hcpcs_code,rendering_npi,"
      "paid_date,paid_amount,allowed_amount,charge_amount,diagnosis_code_1\n";
  const auto line = [&](const std::string& claim, int n, const char* type, int member, int month,
                        const char* bill, const char* revenue, const std::string& paid) {
    const std::string start = member % 17 == 1 ? "" : fmt::format("2018-{:02}-03", month);
    const std::string end = member % 19 == 2 ? "" : fmt::format("2018-{:02}-05", month);
    med += fmt::format(
        "{},{},{},ZP{},{},{},{},{},{},{},{},{},{},{},{},{}\n", claim, n, type, member, start, end,
        n % 4 == 0 ? fmt::format("2018-{:02}-28", month % 12 + 1) : "", bill, revenue,
        member % 9 == 0 ? "ABC" : "99213", member % 7 == 0 ? "1234567890" : "1234567893",
        member % 11 == 0 ? "" : "2018-12-20", paid, paid, member % 5 == 0 ? "1.00" : "900.00",
        member % 13 == 0 ? "BAD" : "I10");
  };
  line("ZED", 1, "institutional", 1, 4, "131", "0300", "500.00");
  for (int i = 0; i < 90000; ++i) {  // about 9 MiB: read in several batches (1 MiB chunks)
    const std::string claim = fmt::format("F{}", i / 2);
    line(claim, i % 2 + 1, "professional", i % 61, i % 12 + 1, "", "", "12.50");
    if (i % 400 == 7) line(fmt::format("F{}", i / 4), 1, "professional", 2, 3, "", "", "9.00");
    if (i % 700 == 11) line(claim, 1, "professional", 3, 5, "", "", "25000000.00");
  }
  for (int n : {3, 1, 2, 1}) line("ZOUT", n, "professional", 4, 6, "", "", "40.00");
  // Line numbers a byte does not hold (0, from 255 up to the largest the reader takes), rising
  // and not, repeated; and negative or too large ones, which the reader rejects alike.
  for (int n : {300, 1, 300, 255, 254, 0, -7, 2147483647, 0, 256, 254}) {
    line("ZWIDE", n, "professional", 5, 7, "", "", "3.00");
  }
  for (int n : {1000000000, 1000000000, 5, 5}) {
    line("ZHIGH", n, "professional", 6, 8, "", "", "4.00");
  }
  line("ZED", 2, "institutional", 1, 4, "131", "0450", "700.00");
  EXPECT_TRUE(WriteWholeFile(dir + "/medical_claim_z.csv", med).ok());
  std::string rx =
      "claim_id,claim_line_number,person_id,dispensing_date,paid_date,ndc_code,paid_amount,"
      "allowed_amount\n";
  for (int i = 0; i < 60000; ++i) {
    const std::string claim = i % 3 == 0 ? fmt::format("F{}", i) : fmt::format("R{}", i % 40000);
    rx += fmt::format("{},1,ZP{},2018-{:02}-09,{},{},{},8.00\n", claim, i % 50, i % 12 + 1,
                      i % 17 == 0 ? "" : "2018-12-01", i % 19 == 0 ? "123" : "00310075190",
                      i == 999 ? "30000000.00" : "7.00");
  }
  for (int n : {1000, 2, 1000, 999, 1001, 2}) {
    rx += fmt::format("W1,{},ZP7,2018-03-09,2018-12-01,00310075190,5.00,5.00\n", n);
  }
  EXPECT_TRUE(WriteWholeFile(dir + "/pharmacy_claim_z.csv", rx).ok());
}

// A settlement's lean read (LoadOptions::tally_lines) keeps of the lines only what a spending
// settlement reads and tallies the scorecard's figures batch by batch, checking each batch
// before it joins: the rejects, the columns kept, the service categories and the scorecard are
// those of the whole read, whatever the threads (and so the batches).
TEST(LineTallies, ALeanReadKeepsAndTalliesWhatTheWholeReadGives) {
  const std::string dir = TempDir("lean_read");
  const std::string data = testdata::MakeData(dir, 300, 11);
  testing::MakeMessy(data);
  AddBatchChecks(data);
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE(threads);
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);
    Whole full, lean;
    ASSERT_TRUE(ReadFolder(data, LoadOptions{}, &full).ok());
    LoadOptions o;
    o.line_details = o.diagnoses = false;
    o.claim_month = threads == 2 ? ClaimMonthRule::kClaimEnd : ClaimMonthRule::kClaimStart;
    quality::ClaimLineTally tally;
    o.tally_lines = &tally;
    ASSERT_TRUE(ReadFolder(data, o, &lean).ok());
    const IngestReport &a = full.r, &b = lean.r;
    EXPECT_EQ(a.RejectsCsv(), b.RejectsCsv());
    EXPECT_EQ(a.counters, b.counters);
    EXPECT_EQ(a.notes, b.notes);
    // Each repeat of a line number out of a byte's range is found.
    for (const char* repeat :
         {"claim ZWIDE line 300 (first", "claim ZWIDE line 0 (first", "claim ZWIDE line 254 (first",
          "claim ZHIGH line 1000000000 (first", "claim ZHIGH line 5 (first",
          "claim W1 line 1000 (first", "claim W1 line 2 (first"}) {
      EXPECT_NE(b.RejectsCsv().find(repeat), std::string::npos) << repeat;
    }
    for (const char* reason :
         {"medical_claim.duplicate_key", "medical_claim.implausible_amount",
          "pharmacy_claim.duplicate_key", "pharmacy_claim.implausible_amount"}) {
      EXPECT_GT(a.counters.count(reason) ? a.counters.at(reason) : 0u, 0u) << reason;
    }
    ASSERT_EQ(full.d.sources.size(), lean.d.sources.size());
    for (size_t i = 0; i < full.d.sources.size(); ++i) {
      EXPECT_EQ(full.d.sources[i].rows_read, lean.d.sources[i].rows_read);
      EXPECT_EQ(full.d.sources[i].rows_rejected, lean.d.sources[i].rows_rejected);
    }
    const MedicalClaimTable &m = full.d.medical, &n = lean.d.medical;
    ASSERT_EQ(m.size(), n.size());
    // The medical lines' claim keys and sources went once the medical files were read.
    EXPECT_TRUE(n.claim.empty() && n.line_number.empty() && n.source.empty());
    EXPECT_EQ(m.member, n.member);
    // One claim date a line: the one its month comes from, the other where it is empty.
    const bool start = o.claim_month == ClaimMonthRule::kClaimStart;
    std::vector<Date> dates;
    size_t other_date = 0;
    for (size_t i = 0; i < m.size(); ++i) {
      dates.push_back(MedicalLineDate(m, i, o.claim_month));
      other_date += (start ? m.claim_start[i] : m.claim_end[i]) == kNoDate;
    }
    EXPECT_GT(other_date, 0u);
    EXPECT_EQ(start ? n.claim_start : n.claim_end, dates);
    EXPECT_TRUE((start ? n.claim_end : n.claim_start).empty());
    for (size_t i = 0; i < n.size(); ++i) {
      ASSERT_EQ(MedicalLineDate(n, i, o.claim_month), dates[i]) << i;
    }
    EXPECT_EQ(m.paid, n.paid);
    EXPECT_EQ(m.category, n.category);
    EXPECT_TRUE(n.hcpcs.empty() && n.allowed.empty() && n.paid_date.empty() &&
                n.line_start.empty());
    // The outpatient line of the claim whose emergency line comes batches later.
    const auto zed = std::find_if(m.source.begin(), m.source.end(), [&](SourceRef s) {
      return full.d.sources[s.file].path.find("medical_claim_z") != std::string::npos &&
             s.line == 2;
    });
    ASSERT_NE(zed, m.source.end());
    EXPECT_EQ(n.category[static_cast<size_t>(zed - m.source.begin())], ServiceCategory::kEmergency);
    const PharmacyClaimTable &p = full.d.pharmacy, &q = lean.d.pharmacy;
    // The pharmacy lines' claim keys, like the medical lines', stay with the checker (the tally
    // below reads them there): no claim or line number column is made.
    ASSERT_EQ(p.size(), q.size());
    EXPECT_TRUE(q.claim.empty() && q.line_number.empty());
    EXPECT_EQ(p.member, q.member);
    EXPECT_EQ(p.dispensing_date, q.dispensing_date);
    EXPECT_EQ(p.paid, q.paid);
    // Where each line was read, the checkers keep (their messages cite it: the rejects above).
    EXPECT_TRUE(q.source.empty());
    EXPECT_TRUE(q.ndc.empty() && q.allowed.empty());
    EXPECT_EQ(full.d.members.size(), lean.d.members.size());
    EXPECT_EQ(quality::EncodeTally(tally), quality::EncodeTally(quality::TallyClaimLines(full.d)));
    EXPECT_EQ(ScorecardJson(lean.d, b, &tally), ScorecardJson(full.d, a, nullptr));
  }
}

// A lean read keeps the amount of the run's basis.
TEST(LineTallies, ALeanReadKeepsTheAmountOfTheBasis) {
  const std::string dir = TempDir("lean_read_allowed");
  const std::string data = testdata::MakeData(dir, 50, 3);
  Whole full, lean;
  ASSERT_TRUE(ReadFolder(data, LoadOptions{}, &full).ok());
  LoadOptions o;
  o.basis = "allowed";
  o.line_details = o.diagnoses = false;
  quality::ClaimLineTally tally;
  o.tally_lines = &tally;
  ASSERT_TRUE(ReadFolder(data, o, &lean).ok());
  EXPECT_EQ(full.d.medical.allowed, lean.d.medical.allowed);
  EXPECT_EQ(full.d.pharmacy.allowed, lean.d.pharmacy.allowed);
  EXPECT_TRUE(lean.d.medical.paid.empty() && lean.d.pharmacy.paid.empty());
  EXPECT_EQ(ScorecardJson(lean.d, lean.r, &tally), ScorecardJson(full.d, full.r, nullptr));
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
