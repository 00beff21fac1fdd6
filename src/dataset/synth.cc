#include "valuepact/dataset/synth.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "valuepact/core/money.h"
#include "valuepact/core/progress.h"
#include "valuepact/core/random.h"

namespace valuepact {
namespace {

using Rng = SplitMix64;

uint64_t MemberSeed(uint64_t seed, uint64_t member) {
  Rng r(seed * 0x2545F4914F6CDD1DULL + member);
  r.Next();
  return r.Next();
}

constexpr std::array<const char*, 24> kDiagnoses = {
    "I10",   "E119",  "E785",  "I509", "J449",  "N183",  "F0390", "C3490",
    "I4891", "E669",  "M170",  "K219", "F329",  "G4733", "I2510", "N400",
    "J189",  "E1122", "K7460", "N186", "Z9981", "R0602", "M545",  "L03115"};
constexpr std::array<const char*, 6> kOfficeVisits = {"99213", "99214", "99212",
                                                      "99215", "99203", "99204"};
constexpr std::array<const char*, 8> kDrgs = {"291", "292", "190", "871",
                                              "872", "683", "470", "194"};
constexpr std::array<const char*, 6> kNdcs = {"00093715701", "00378180110", "00071015523",
                                              "00310075190", "68180051303", "00006074531"};

struct Block {
  std::string elig, med, rx;
  SynthCounts counts;
};

std::string Cents(Money m) { return m.ToString(); }

Money Amount(Rng& r, double median, double sigma) {
  return RoundToCents(static_cast<long double>(r.LogNormal(std::log(median), sigma)));
}

void Dx(Rng& r, std::string* out, int n, int chronic_a, int chronic_b) {
  // 25 diagnosis columns: the member's chronic conditions first, then acute ones.
  for (int i = 0; i < 25; ++i) {
    out->push_back(',');
    if (i >= n) continue;
    const int idx = i == 0 ? chronic_a : i == 1 ? chronic_b : r.Between(0, kDiagnoses.size() - 1);
    out->append(kDiagnoses[static_cast<size_t>(idx)]);
  }
}

// Whether an admission is delivered at home: heart failure and pneumonia only, drawn from a
// generator of its own so that the rest of the data does not depend on the share.
bool AtHome(const SynthOptions& o, uint64_t m, Date admit, const char* drg) {
  if (o.hospital_at_home_share <= 0) return false;
  const std::string_view d = drg;
  if (d != "291" && d != "292" && d != "194") return false;
  Rng h(MemberSeed(o.seed ^ 0x484148ULL, m) + static_cast<uint64_t>(admit.days()));
  return h.Chance(o.hospital_at_home_share);
}

// A hospital-at-home stay's daily physician visits, at home (place of service 12).
template <typename ClaimId>
void AddHomeVisits(const SynthOptions& o, uint64_t m, const std::string& pid, Date admit,
                   Date discharge, const ClaimId& claim_id, int chronic, Block* b) {
  Rng h(MemberSeed(o.seed ^ 0x56495349ULL, m) + static_cast<uint64_t>(admit.days()));
  for (Date d = admit; d < discharge; d = d + 1) {
    const Money paid = Amount(h, 110.0, 0.2);
    b->med += fmt::format(
        "{},1,professional,{},{},{},,,,,12,,,,99233,1234567893,1234567893,,{},{},{},{},{}",
        claim_id(), pid, d.ToString(), d.ToString(), (d + 20).ToString(), Cents(paid), Cents(paid),
        Cents(paid + paid), kDiagnoses[static_cast<size_t>(chronic)]);
    for (int i = 1; i < 25; ++i) b->med += ',';
    b->med += '\n';
    ++b->counts.medical_lines;
  }
}

void GenerateMember(const SynthOptions& o, uint64_t m, Block* b) {
  Rng r(MemberSeed(o.seed, m));
  const std::string pid = fmt::format("P{:08d}", m + 1);
  const char sex = r.Chance(0.55) ? 'F' : 'M';
  const int age = 65 + static_cast<int>(std::min(30.0, std::fabs(r.Normal()) * 10.0));
  const int by = o.start.year() - age;
  const Date birth = Date::FromCivil(by, static_cast<unsigned>(r.Between(1, 12)),
                                     static_cast<unsigned>(r.Between(1, 28)));
  // Cost propensity: lognormal, with about 0.5% of members an order of magnitude above.
  double risk = r.LogNormal(-0.3, 0.9);
  if (r.Chance(0.005)) risk *= 12.0;
  const int chronic_a = r.Between(0, 11), chronic_b = r.Between(0, kDiagnoses.size() - 1);

  // Enrollment with churn and deaths.
  int first = 0, last = o.months - 1;
  if (r.Chance(0.08)) first = r.Between(1, std::max(1, o.months - 1));
  if (r.Chance(0.06)) last = r.Between(first, o.months - 1);
  Date death = kNoDate;
  if (r.Chance(0.03 * std::min(3.0, risk))) {
    const int dm = r.Between(first, last);
    const YearMonth ym = o.start + dm;
    death = Date::FromCivil(ym.year(), ym.month(), static_cast<unsigned>(r.Between(1, 28)));
    last = dm;
  }
  const Date enroll_start = (o.start + first).first_day();
  const Date enroll_end = death != kNoDate ? death : (o.start + last).last_day();
  const bool dual = r.Chance(0.18);
  b->elig += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", pid, sex == 'F' ? "female" : "male",
                         birth.ToString(), death != kNoDate ? death.ToString() : "",
                         enroll_start.ToString(), enroll_end.ToString(), o.payer, o.payer,
                         dual ? "02" : "", age >= 65 ? "10" : "20");
  ++b->counts.eligibility_rows;

  int claim_no = 0;
  auto claim_id = [&] { return fmt::format("{}-{}", pid, ++claim_no); };
  for (int mi = first; mi <= last; ++mi) {
    const YearMonth ym = o.start + mi;
    const unsigned dim = DaysInMonth(ym.year(), ym.month());
    auto day = [&] {
      Date d = Date::FromCivil(ym.year(), ym.month(),
                               static_cast<unsigned>(r.Between(1, static_cast<int>(dim))));
      if (death != kNoDate && d > death) d = death;
      return d;
    };
    // Professional office visits.
    const int visits = r.Poisson(0.45 * std::sqrt(risk));
    for (int v = 0; v < visits; ++v) {
      const std::string cid = claim_id();
      const Date d = day();
      const int lines = r.Chance(0.3) ? 2 : 1;
      for (int l = 1; l <= lines; ++l) {
        const Money paid = Amount(r, l == 1 ? 85.0 : 25.0, 0.5);
        const Money allowed = paid + RoundToCents(paid.as_units() * 0.25L);
        b->med += fmt::format(
            "{},{},professional,{},{},{},,,,,11,,,,{},1234567893,1234567893,,{},{},{},{}", cid, l,
            pid, d.ToString(), d.ToString(),
            l == 1 ? kOfficeVisits[static_cast<size_t>(r.Between(0, 5))] : "36415",
            (d + r.Between(10, 60)).ToString(), Cents(paid), Cents(allowed),
            Cents(allowed + allowed));
        Dx(r, &b->med, r.Between(1, 3), chronic_a, chronic_b);
        b->med += '\n';
        ++b->counts.medical_lines;
      }
    }
    // Outpatient facility, some of it emergency department.
    if (r.Chance(std::min(0.6, 0.09 * risk))) {
      const std::string cid = claim_id();
      const Date d = day();
      const bool ed = r.Chance(0.35);
      const int lines = r.Between(1, 3);
      for (int l = 1; l <= lines; ++l) {
        const Money paid = Amount(r, ed ? 420.0 : 260.0, 0.8);
        b->med += fmt::format("{},{},institutional,{},{},{},,,,,,131,,{},,,,9876543213,{},{},{},{}",
                              cid, l, pid, d.ToString(), d.ToString(),
                              l == 1 && ed ? "0450" : (l == 1 ? "0510" : "0300"),
                              (d + r.Between(14, 75)).ToString(), Cents(paid), Cents(paid),
                              Cents(paid + paid + paid));
        Dx(r, &b->med, r.Between(1, 4), chronic_a, chronic_b);
        b->med += '\n';
        ++b->counts.medical_lines;
      }
    }
    // Acute admission, sometimes followed by a skilled nursing stay; some heart-failure and
    // pneumonia admissions delivered at home (SynthOptions::hospital_at_home_share).
    if (r.Chance(std::min(0.35, 0.012 * risk))) {
      const std::string cid = claim_id();
      const Date admit = day();
      const int los = 2 + r.Poisson(2.5);
      const Date discharge = admit + los;
      const Money total = Amount(r, 11500.0, 0.6);
      struct Line {
        const char* drg;
        std::string paid_date, dx;
      };
      std::array<Line, 3> lines;
      for (auto& line : lines) {
        // The order of these draws is the data's: the same seed gives the same bytes as ever.
        line.paid_date = (discharge + r.Between(14, 90)).ToString();
        line.drg = kDrgs[static_cast<size_t>(r.Between(0, kDrgs.size() - 1))];
        Dx(r, &line.dx, r.Between(2, 8), chronic_a, chronic_b);
      }
      const bool home = AtHome(o, m, admit, lines[0].drg);
      const Money stay_total = home ? RoundToCents(total.as_units() * 0.7L) : total;
      Money left = stay_total;
      for (size_t l = 0; l < lines.size(); ++l) {
        const Money part = l + 1 < lines.size() ? RoundToCents(stay_total.as_units() / 3.0L) : left;
        left -= part;
        b->med += fmt::format(
            "{},{},institutional,{},{},{},{},{},,,,111,{},{},,,,9876543213,{},{},{},{}", cid, l + 1,
            pid, admit.ToString(), discharge.ToString(), admit.ToString(), discharge.ToString(),
            lines[l].drg, l == 0 ? "0120" : (l == 1 ? "0250" : "0450"), lines[l].paid_date,
            Cents(part), Cents(part), Cents(part + part));
        b->med += lines[l].dx;
        b->med += '\n';
        ++b->counts.medical_lines;
      }
      if (home) AddHomeVisits(o, m, pid, admit, discharge, claim_id, chronic_a, b);
      if (r.Chance(0.2) && !home) {
        const std::string sid = claim_id();
        const Date s = discharge + 1;
        const Money paid = Amount(r, 9000.0, 0.5);
        b->med += fmt::format(
            "{},1,institutional,{},{},{},{},{},,,,211,,0022,,,,9876543213,{},{},{},{}", sid, pid,
            s.ToString(), (s + 20).ToString(), s.ToString(), (s + 20).ToString(),
            (s + r.Between(20, 80)).ToString(), Cents(paid), Cents(paid), Cents(paid + paid));
        Dx(r, &b->med, 3, chronic_a, chronic_b);
        b->med += '\n';
        ++b->counts.medical_lines;
      }
    }
    // Hospice in the member's last months; home health now and then; DME rarely.
    if (death != kNoDate && mi >= last - 1 && r.Chance(0.5)) {
      const std::string cid = claim_id();
      const Date d = ym.first_day();
      b->med += fmt::format("{},1,institutional,{},{},{},,,,,,811,,0651,,,,9876543213,{},{},{},{}",
                            cid, pid, d.ToString(), std::min(death, ym.last_day()).ToString(),
                            (d + 30).ToString(), Cents(Amount(r, 4800.0, 0.3)), "", "");
      Dx(r, &b->med, 2, chronic_a, chronic_b);
      b->med += '\n';
      ++b->counts.medical_lines;
    }
    if (r.Chance(0.01 * risk)) {
      const std::string cid = claim_id();
      const Date d = day();
      b->med +=
          fmt::format("{},1,institutional,{},{},{},,,,,,321,,0551,G0299,,,9876543213,{},{},{},{}",
                      cid, pid, d.ToString(), (d + 29).ToString(), (d + 45).ToString(),
                      Cents(Amount(r, 2100.0, 0.4)), "", "");
      Dx(r, &b->med, 2, chronic_a, chronic_b);
      b->med += '\n';
      ++b->counts.medical_lines;
    }
    if (r.Chance(0.01)) {
      const std::string cid = claim_id();
      const Date d = day();
      b->med +=
          fmt::format("{},1,dme,{},{},{},,,,,12,,,,E0601,,,,{},{},{},{}", cid, pid, d.ToString(),
                      d.ToString(), (d + 20).ToString(), Cents(Amount(r, 180.0, 0.5)), "", "");
      Dx(r, &b->med, 1, chronic_a, chronic_b);
      b->med += '\n';
      ++b->counts.medical_lines;
    }
    // Pharmacy fills.
    const int fills = r.Poisson(0.9 * std::sqrt(risk));
    for (int f = 0; f < fills; ++f) {
      const Date d = day();
      const Money paid = Amount(r, 38.0, 1.1);
      b->rx += fmt::format("{},1,{},{},{},{},{},{}\n", claim_id(), pid, d.ToString(), d.ToString(),
                           kNdcs[static_cast<size_t>(r.Between(0, kNdcs.size() - 1))], Cents(paid),
                           Cents(paid + RoundToCents(paid.as_units() * 0.1L)));
      ++b->counts.pharmacy_lines;
    }
  }
}

}  // namespace

Result<SynthCounts> WriteSyntheticData(const SynthOptions& o, const std::string& out_dir) {
  namespace fs = std::filesystem;
  if (o.months < 1 || o.months > 600) return InvalidInput("--months must be between 1 and 600");
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return IoError(fmt::format("{}: cannot create: {}", out_dir, ec.message()));
  struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
  };
  auto open = [&](const char* name) {
    return std::unique_ptr<FILE, FileCloser>(std::fopen((fs::path(out_dir) / name).c_str(), "wb"));
  };
  auto elig = open("eligibility.csv"), med = open("medical_claim.csv"),
       rx = open("pharmacy_claim.csv");
  if (!elig || !med || !rx) return IoError(fmt::format("{}: cannot write files", out_dir));
  std::string h =
      "person_id,gender,birth_date,death_date,enrollment_start_date,"
      "enrollment_end_date,payer,plan,dual_status_code,medicare_status_code\n";
  std::fputs(h.c_str(), elig.get());
  h = "claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,"
      "admission_date,discharge_date,claim_line_start_date,claim_line_end_date,"
      "place_of_service_code,bill_type_code,drg_code,revenue_center_code,hcpcs_code,"
      "rendering_npi,billing_npi,facility_npi,paid_date,paid_amount,allowed_amount,charge_amount";
  for (int i = 1; i <= 25; ++i) h += fmt::format(",diagnosis_code_{}", i);
  h += "\n";
  std::fputs(h.c_str(), med.get());
  std::fputs(
      "claim_id,claim_line_number,person_id,dispensing_date,paid_date,ndc_code,"
      "paid_amount,allowed_amount\n",
      rx.get());

  SynthCounts total;
  constexpr uint64_t kBlock = 4096;
  constexpr uint64_t kBatch = 64;  // blocks generated in parallel, then written in order
  const uint64_t blocks = (o.members + kBlock - 1) / kBlock;
  Progress progress("synth", o.members, "members");
  for (uint64_t b0 = 0; b0 < blocks; b0 += kBatch) {
    const uint64_t nb = std::min(kBatch, blocks - b0);
    std::vector<Block> out(nb);
    tbb::parallel_for(uint64_t{0}, nb, [&](uint64_t k) {
      const uint64_t lo = (b0 + k) * kBlock, hi = std::min(o.members, lo + kBlock);
      for (uint64_t m = lo; m < hi; ++m) GenerateMember(o, m, &out[k]);
      progress.Add(hi - lo);
    });
    for (auto& blk : out) {
      std::fwrite(blk.elig.data(), 1, blk.elig.size(), elig.get());
      std::fwrite(blk.med.data(), 1, blk.med.size(), med.get());
      std::fwrite(blk.rx.data(), 1, blk.rx.size(), rx.get());
      total.eligibility_rows += blk.counts.eligibility_rows;
      total.medical_lines += blk.counts.medical_lines;
      total.pharmacy_lines += blk.counts.pharmacy_lines;
    }
  }
  progress.Done();
  for (FILE* f : {elig.get(), med.get(), rx.get()}) {
    if (std::ferror(f) != 0) return IoError(fmt::format("{}: write failed", out_dir));
  }
  return total;
}

}  // namespace valuepact
