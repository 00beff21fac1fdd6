// MSSP presets: data tables by track × performance year. Every figure cites the section of
// ../shared/docs/mssp-parameters.md that gives it and the regulation behind it.
#include "valuepact/contract/presets.h"
#include "contract/sections.h"

#include <fmt/format.h>

#include "valuepact/core/suggest.h"

namespace valuepact {
namespace {

// mssp-parameters.md §6: 2% on payments to ACOs; none for PY2019-2020 (paid during the
// suspension from 1 May 2020 to 31 Mar 2022); PY2021 onward paid at 2%.
double SequestrationFor(int py) { return (py == 2019 || py == 2020) ? 0.0 : 0.02; }
std::string SequestrationSource(int py) {
  return py == 2019 || py == 2020
             ? "mssp-parameters.md §6: sequestration suspended 1 May 2020 – 31 Mar 2022 (CARES "
               "Act §3709 as amended; CRS R45106); PY2019-2020 payments fall inside it [L]"
             : fmt::format(
                   "mssp-parameters.md §6: 2% sequestration of shared savings payments (PUF "
                   "note; Budget Control Act sequestration), taken before the performance "
                   "payment limit as the PUF reproduces{}",
                   py >= 2019 ? " [L for PY2021 onward]" : "");
}

enum class Family { kTrack1, kTrack1Plus, kTrack2, kTrack3, kBasic, kEnhanced };

struct Row {
  const char* name;
  const char* title;
  Family family;
  char level;  // BASIC level, else 0
  int first, last;
};

const Row kRows[] = {
    {"mssp-track-1", "MSSP Track 1 (one-sided)", Family::kTrack1, 0, 2013, 2021},
    {"mssp-track-1-plus", "MSSP Track 1+ Model (CMMI)", Family::kTrack1Plus, 0, 2018, 2021},
    {"mssp-track-2", "MSSP Track 2 (two-sided)", Family::kTrack2, 0, 2013, 2021},
    {"mssp-track-3", "MSSP Track 3 (two-sided)", Family::kTrack3, 0, 2016, 2021},
    {"mssp-basic-a", "MSSP BASIC track, Level A (one-sided)", Family::kBasic, 'A', 2019, 2026},
    {"mssp-basic-b", "MSSP BASIC track, Level B (one-sided)", Family::kBasic, 'B', 2019, 2026},
    {"mssp-basic-c", "MSSP BASIC track, Level C (two-sided)", Family::kBasic, 'C', 2019, 2026},
    {"mssp-basic-d", "MSSP BASIC track, Level D (two-sided)", Family::kBasic, 'D', 2019, 2026},
    {"mssp-basic-e", "MSSP BASIC track, Level E (two-sided)", Family::kBasic, 'E', 2019, 2026},
    {"mssp-enhanced", "MSSP ENHANCED track (two-sided)", Family::kEnhanced, 0, 2019, 2026},
};

// Quality effect by era (mssp-parameters.md §5, §4.3).
void SetQuality(SharedSavingsTerms* t, int py, bool new_tracks, const std::string& tag) {
  if (py <= 2020) {
    t->quality_method = QualityMethod::kMultiplier;
    t->sources["quality_method"] =
        tag +
        "final sharing rate = maximum rate × quality score; nothing if the quality "
        "standard is not met (42 CFR 425.502(d), mssp-parameters.md §5)";
  } else if (py <= 2022) {
    t->quality_method = QualityMethod::kStandard;
    t->sources["quality_method"] =
        tag +
        "quality performance standard (30th percentile of MIPS Quality): met → full "
        "rate, not met → 0 (42 CFR 425.512(a)(3), mssp-parameters.md §4.3, §5)";
  } else {
    t->quality_method = QualityMethod::kSlidingScale;
    t->sources["quality_method"] =
        tag +
        "40th-percentile standard → full rate; alternative standard → rate × quality "
        "score; neither → 0 (42 CFR 425.512(a)(4)-(5), mssp-parameters.md §4.3, §5) [M]";
  }
  (void)new_tracks;
}

}  // namespace

const std::vector<PresetInfo>& Presets() {
  static const std::vector<PresetInfo> v = [] {
    std::vector<PresetInfo> out;
    for (const auto& r : kRows) out.push_back({r.name, r.title, r.first, r.last});
    return out;
  }();
  return v;
}

Result<SharedSavingsTerms> PresetTerms(const std::string& name, int py, int track_year) {
  const Row* row = nullptr;
  for (const auto& r : kRows) {
    if (name == r.name) row = &r;
  }
  if (row == nullptr) {
    std::vector<std::string> names;
    for (const auto& r : kRows) names.push_back(r.name);
    const std::string near = NearestName(name, names);
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    return InvalidInput(fmt::format("unknown preset '{}'{}; presets: {}", name,
                                    near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near),
                                    list));
  }
  if (py < row->first || py > row->last) {
    return InvalidInput(fmt::format("preset '{}' covers performance years {} to {}, not {}", name,
                                    row->first, row->last, py));
  }
  SharedSavingsTerms t;
  t.preset = name;
  t.performance_year = py;
  const std::string tag = fmt::format("preset {} PY{}: ", name, py);
  auto cite = [&](const char* term, const std::string& text) { t.sources[term] = tag + text; };

  t.sequestration = SequestrationFor(py);
  t.sequestration_before_cap = true;
  cite("sequestration", SequestrationSource(py));
  cite("sequestration_order", "mssp-parameters.md §1, §8.3: sequestration before the cap");
  cite("savings",
       "savings = updated benchmark − performance-year expenditures "
       "(mssp-parameters.md §1)");
  cite("amount",
       "settlement skeleton, mssp-parameters.md §1: first-dollar sharing once the "
       "MSR is met; losses once the MLR is met; equality meets the threshold");
  SetQuality(&t, py, row->family == Family::kBasic || row->family == Family::kEnhanced, tag);
  cite("quality_score", "quality score (42 CFR 425.502); an input of each performance year");
  t.small_population = "bands";
  cite("small_population",
       "42 CFR 425.110(b)(1)(i): below 5,000 the variable MSR follows the size bands "
       "derived from the PUF (mssp-parameters.md §2.1) [M]");
  cite("symmetric_mlr",
       "the elected MLR equals the MSR (42 CFR 425.606(b)(1)(ii), "
       "425.610(b)(1), 425.605(b)(2); mssp-parameters.md §2.2)");
  cite("elected_msr",
       "MSR/MLR elected once per agreement period: 0, 0.5, 1, 1.5, 2% or "
       "variable (mssp-parameters.md §2.2)");
  cite("minimum_savings_rate", "variable MSR by assigned beneficiaries (42 CFR 425.604(b))");

  switch (row->family) {
    case Family::kTrack1:
      t.sharing_rate = 0.50;
      cite("sharing_rate", "maximum sharing rate 50% (42 CFR 425.604(d); mssp-parameters.md §3)");
      t.savings_cap = 0.10;
      cite("savings_cap",
           "performance payment limit 10% of the updated benchmark (42 CFR 425.604(e); "
           "mssp-parameters.md §3)");
      t.msr_method = MsrMethod::kVariable;
      cite("minimum_savings_rate",
           "variable MSR by assigned beneficiaries (42 CFR 425.604(b); mssp-parameters.md §2)");
      break;
    case Family::kTrack1Plus:
      t.sharing_rate = 0.50;
      cite("sharing_rate", "50% × quality (Track 1+ Model; PUF-confirmed, mssp-parameters.md §3)");
      t.savings_cap = 0.10;
      cite("savings_cap", "10% of the updated benchmark (Track 1+ Model; mssp-parameters.md §3)");
      t.msr_method = MsrMethod::kElected;
      t.two_sided = true;
      t.loss_rate_method = LossRateMethod::kFlat;
      t.loss_sharing_rate = 0.30;
      cite("loss_sharing_rate",
           "fixed 30% shared loss rate (Track 1+ Model; PUF-confirmed, mssp-parameters.md §3)");
      t.loss_cap = 0.04;
      t.loss_limit_form = LossLimitForm::kBenchmark;
      cite("loss_cap",
           "benchmark-based loss limit 4% (Track 1+ Model, T1P; never binding in the "
           "PUF, mssp-parameters.md §3) [L]");
      t.extreme_uncontrollable = true;
      cite("extreme_uncontrollable",
           "EUC reduction of losses after the rate and the limit "
           "(mssp-parameters.md §7; PUF disadj)");
      break;
    case Family::kTrack2: {
      t.sharing_rate = 0.60;
      cite("sharing_rate", "maximum sharing rate 60% (42 CFR 425.606(d); mssp-parameters.md §3)");
      t.savings_cap = 0.15;
      cite("savings_cap",
           "performance payment limit 15% of the updated benchmark "
           "(42 CFR 425.606(e); mssp-parameters.md §3)");
      t.msr_method = MsrMethod::kElected;
      // Agreements starting 2012-2015 have a fixed 2% MSR/MLR, which is also one of the
      // elections open to later starters: the default until the contract elects.
      t.elected_msr = 0.02;
      cite("elected_msr",
           "fixed 2% MSR/MLR for agreements starting 2012-2015 "
           "(42 CFR 425.606(b)(1)(i)); later agreements elect "
           "(425.606(b)(1)(ii); mssp-parameters.md §2.2)");
      t.two_sided = true;
      t.loss_rate_method = LossRateMethod::kOneMinusFinalSharingRate;
      t.loss_rate_ceiling = 0.60;
      cite("loss_rate_method",
           "shared loss rate = 1 − final sharing rate, at most 60% "
           "(42 CFR 425.606(f); mssp-parameters.md §3, §5)");
      const int ty = track_year <= 0 ? 1 : track_year;
      t.loss_cap = ty == 1 ? 0.05 : ty == 2 ? 0.075 : 0.10;
      cite(
          "loss_cap",
          fmt::format("loss recoupment limit {}% of the updated benchmark in year {} in Track 2 "
                      "(42 CFR 425.606(g); mssp-parameters.md §3){}",
                      ty == 1   ? "5"
                      : ty == 2 ? "7.5"
                                : "10",
                      ty, track_year <= 0 ? " — year in track not given, first year assumed" : ""));
      if (py >= 2017) {
        t.extreme_uncontrollable = true;
        cite("extreme_uncontrollable",
             "EUC reduction of losses from PY2017 (42 CFR 425.606(i); "
             "mssp-parameters.md §7)");
      }
      break;
    }
    case Family::kTrack3:
      t.sharing_rate = 0.75;
      cite("sharing_rate", "maximum sharing rate 75% (42 CFR 425.610(d); mssp-parameters.md §3)");
      t.savings_cap = 0.20;
      cite("savings_cap",
           "performance payment limit 20% of the updated benchmark "
           "(42 CFR 425.610(e); mssp-parameters.md §3)");
      t.msr_method = MsrMethod::kElected;
      t.two_sided = true;
      t.loss_rate_method = LossRateMethod::kOneMinusFinalSharingRate;
      t.loss_rate_floor = 0.40;
      t.loss_rate_ceiling = 0.75;
      cite("loss_rate_method",
           "shared loss rate = 1 − final sharing rate, between 40% and 75% "
           "(42 CFR 425.610(f); mssp-parameters.md §3, §5)");
      t.loss_cap = 0.15;
      cite("loss_cap",
           "loss recoupment limit 15% of the updated benchmark (42 CFR 425.610(g); "
           "mssp-parameters.md §3)");
      if (py >= 2017) {
        t.extreme_uncontrollable = true;
        cite("extreme_uncontrollable",
             "EUC reduction of losses from PY2017 (42 CFR 425.610(i); "
             "mssp-parameters.md §7)");
      }
      break;
    case Family::kBasic: {
      const char lv = row->level;
      const std::string para = lv == 'A'   ? "(d)(1)(i)"
                               : lv == 'B' ? "(d)(1)(ii)"
                               : lv == 'C' ? "(d)(1)(iii)"
                               : lv == 'D' ? "(d)(1)(iv)"
                                           : "(d)(1)(v)";
      const bool one_sided = lv == 'A' || lv == 'B';
      t.sharing_rate = one_sided ? 0.40 : 0.50;
      cite("sharing_rate", fmt::format("maximum sharing rate {}% (42 CFR 425.605{}; "
                                       "mssp-parameters.md §4.1)",
                                       one_sided ? 40 : 50, para));
      t.savings_cap = 0.10;
      cite("savings_cap", fmt::format("performance payment limit 10% of the updated benchmark "
                                      "(42 CFR 425.605{}; mssp-parameters.md §4.1)",
                                      para));
      if (one_sided) {
        t.msr_method = MsrMethod::kVariable;
        cite("minimum_savings_rate",
             "variable MSR by assigned beneficiaries (42 CFR 425.605(b)(1), assumed equal to the "
             "425.604(b) table; mssp-parameters.md §2.1, §9) [M]");
      } else {
        t.msr_method = MsrMethod::kElected;
        t.two_sided = true;
        t.loss_rate_method = LossRateMethod::kFlat;
        t.loss_sharing_rate = 0.30;
        cite("loss_sharing_rate", fmt::format("fixed 30% shared loss rate (42 CFR 425.605{}; "
                                              "mssp-parameters.md §4.1)",
                                              para));
        const double rev = lv == 'C' ? 0.02 : lv == 'D' ? 0.04 : 0.08;
        const double bench = lv == 'C' ? 0.01 : lv == 'D' ? 0.02 : 0.04;
        t.loss_cap = bench;
        t.loss_cap_revenue = rev;
        t.loss_limit_form = LossLimitForm::kLower;
        const std::string e = lv == 'E'
                                  ? "; Level E follows the Advanced APM nominal amount standard, "
                                    "42 CFR 414.1415(c)(3)"
                                  : "";
        cite("loss_cap", fmt::format("loss limit: the lesser of {:g}% of ACO participants' "
                                     "revenue and {:g}% of the updated benchmark "
                                     "(42 CFR 425.605{}(D){}; mssp-parameters.md §4.1)",
                                     rev * 100, bench * 100, para, e));
        t.sources["loss_cap_revenue"] = t.sources["loss_cap"];
        t.sources["loss_limit"] = t.sources["loss_cap"];
        t.extreme_uncontrollable = true;
        cite("extreme_uncontrollable",
             "EUC reduction of losses after the rate and the limit "
             "(42 CFR 425.605(f); mssp-parameters.md §7)");
      }
      if (py >= 2024) {
        t.low_revenue_half_rate = true;
        cite("low_revenue_half_rate",
             "low-revenue ACOs with ≥ 5,000 beneficiaries and savings below the MSR share at "
             "half the rate (42 CFR 425.605(h)(2), agreement periods from 2024; "
             "mssp-parameters.md §4.3) [M]");
      }
      break;
    }
    case Family::kEnhanced:
      t.sharing_rate = 0.75;
      cite("sharing_rate", "maximum sharing rate 75% (42 CFR 425.610(d); mssp-parameters.md §4.1)");
      t.savings_cap = 0.20;
      cite("savings_cap",
           "performance payment limit 20% of the updated benchmark "
           "(42 CFR 425.610(e); mssp-parameters.md §4.1)");
      t.msr_method = MsrMethod::kElected;
      t.two_sided = true;
      t.loss_rate_floor = 0.40;
      t.loss_rate_ceiling = 0.75;
      if (py <= 2020) {
        t.loss_rate_method = LossRateMethod::kOneMinusFinalSharingRate;
        cite("loss_rate_method",
             "shared loss rate = 1 − final sharing rate, between 40% and 75% "
             "(42 CFR 425.610(f)(1); mssp-parameters.md §4.3)");
      } else {
        t.loss_rate_method = LossRateMethod::kOneMinusQuality;
        t.loss_quality_factor = 0.75;
        t.loss_rate_quality_failed = 0.75;
        cite("loss_rate_method",
             py <= 2022
                 ? "shared loss rate = 1 − 0.75 × (MIPS Quality points ÷ points available), "
                   "between 40% and 75%; 75% if the standard is failed (42 CFR 425.610(f)(2); "
                   "mssp-parameters.md §4.3)"
                 : "shared loss rate = 1 − 0.75 × quality score, between 40% and 75%, if either "
                   "standard is met; 75% otherwise (42 CFR 425.610(f)(4); mssp-parameters.md "
                   "§4.3) [M]");
      }
      t.loss_cap = 0.15;
      cite("loss_cap",
           "loss recoupment limit 15% of the updated benchmark (42 CFR 425.610(g); "
           "mssp-parameters.md §4.1)");
      t.extreme_uncontrollable = true;
      cite("extreme_uncontrollable",
           "EUC reduction of losses after the rate and the limit "
           "(42 CFR 425.610(i); mssp-parameters.md §7)");
      break;
  }
  if (t.msr_method == MsrMethod::kElected) {
    t.symmetric_mlr = true;
  }
  t.sources["loss_rate_floor"] = t.SourceOf("loss_rate_method", "");
  t.sources["loss_rate_ceiling"] = t.SourceOf("loss_rate_method", "");
  return t;
}

}  // namespace valuepact
