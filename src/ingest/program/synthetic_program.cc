// Deterministic synthetic program data for `valuepact synth`: the rates below are the ones
// documented in docs/input-formats.md ("Program data", "Synthetic program data").
#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/random.h"
#include "valuepact/ingest/program/program_reader.h"

namespace valuepact {
namespace {

using Rng = SplitMix64;

struct Writer {
  std::string out;
  template <typename... Fields>
  void Row(const Fields&... fields) {
    bool first = true;
    auto add = [&](std::string_view f) {
      if (!first) out += ',';
      first = false;
      AppendCsvField(&out, f);
    };
    (add(fields), ...);
    out += '\n';
  }
};

}  // namespace

Status WriteSyntheticProgramData(const Dataset& ds, uint64_t seed, const std::string& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return IoError(fmt::format("cannot create '{}': {}", out_dir, ec.message()));
  const uint32_t n = ds.member_count();
  std::vector<Date> first(n, Date::FromDays(std::numeric_limits<int32_t>::max()));
  std::vector<Date> last(n, Date::FromDays(std::numeric_limits<int32_t>::min()));
  for (size_t r = 0; r < ds.eligibility.size(); ++r) {
    const uint32_t m = ds.eligibility.member[r];
    first[m] = std::min(first[m], ds.eligibility.start[r]);
    last[m] = std::max(last[m], ds.eligibility.end[r]);
  }
  Writer referrals, enrollments, visits, events;
  referrals.Row("person_id", "referral_date", "source", "reason", "outcome", "decision_date");
  enrollments.Row("person_id", "start", "end", "setting", "end_reason");
  visits.Row("person_id", "date", "discipline", "modality", "minutes", "travel_minutes");
  events.Row("person_id", "date", "event", "value", "location", "preferred_location");
  static constexpr std::array<const char*, 4> kSources = {"health_plan", "primary_care", "hospital",
                                                          "specialist"};
  static constexpr std::array<const char*, 5> kReasons = {"heart failure", "copd", "cancer",
                                                          "dementia", "frailty"};
  for (uint32_t m = 0; m < n; ++m) {
    if (first[m] > last[m] || last[m] - first[m] < 90) continue;
    const std::string person(ds.members.Get(m));
    Rng rng(seed ^ HashBytes(person));
    if (rng.Uniform() >= 1.0 / 6) continue;  // about one member in six is referred
    const Date referral = first[m] + rng.Between(0, last[m] - first[m] - 60);
    // Outcomes: 55% enrolled, 20% declined, 10% ineligible, 15% unable to reach.
    const size_t outcome = rng.Pick(std::array<int, 4>{55, 20, 10, 15});
    static constexpr std::array<ReferralOutcome, 4> kOutcomes = {
        ReferralOutcome::kEnrolled, ReferralOutcome::kDeclined, ReferralOutcome::kIneligible,
        ReferralOutcome::kUnableToReach};
    const Date decision = referral + rng.Between(3, 21);
    referrals.Row(person, referral.ToString(), kSources[rng.Between(0, 3)],
                  kReasons[rng.Between(0, 4)],
                  kReferralOutcomeNames[static_cast<int>(kOutcomes[outcome])], decision.ToString());
    const bool assessed = outcome == 0 || outcome == 2 || (outcome == 1 && rng.Uniform() < 0.5);
    const Date assessment = referral + (decision - referral) / 2;
    if (assessed) {
      events.Row(person, assessment.ToString(), "initial_assessment", "", "home", "");
    }
    if (outcome != 0) continue;
    // Enrolled: 80% home, 12% nursing facility, 8% assisted living; 30-300 days.
    const size_t setting = rng.Pick(std::array<int, 3>{80, 12, 8});
    const Date start = decision;
    Date end = start + rng.Between(30, 300);
    std::string end_text, end_reason;
    if (end < last[m]) {
      end_text = end.ToString();
      // Ends: 35% died, 30% hospice, 25% graduated, 10% moved.
      static constexpr std::array<const char*, 4> kEnds = {"died", "hospice", "graduated", "moved"};
      end_reason = kEnds[rng.Pick(std::array<int, 4>{35, 30, 25, 10})];
    } else {
      end = last[m];
    }
    enrollments.Row(person, start.ToString(), end_text, kCareSettingNames[setting], end_reason);
    events.Row(person, start.ToString(), "functional_assessment",
               fmt::format("{}", rng.Between(20, 90)), "home", "");
    events.Row(person, start.ToString(), "med_reconciliation", "", "home", "");
    if (rng.Uniform() < 0.7) {
      events.Row(person, (start + rng.Between(1, 30)).ToString(), "acp_discussion", "", "home", "");
    }
    if (rng.Uniform() < 0.4) {
      events.Row(person, (start + rng.Between(7, 45)).ToString(), "advance_directive", "", "home",
                 "");
    }
    if (rng.Uniform() < 0.25) {
      events.Row(person, (start + rng.Between(7, 45)).ToString(), "polst", "", "home", "");
    }
    if (rng.Uniform() < 0.3) {
      events.Row(person, (start + rng.Between(1, 60)).ToString(), "spiritual_assessment", "",
                 "home", "");
    }
    // Visits every 7-14 days: RN 45%, NP 20%, social worker 15%, physician 8%, chaplain 7%,
    // CHW 5%; in person 70%, video 15%, phone 15%.
    int month_tick = 0;
    for (Date d = start + rng.Between(0, 3); d <= end; d = d + rng.Between(7, 14)) {
      const size_t disc = rng.Pick(std::array<int, 6>{45, 20, 15, 8, 7, 5});
      static constexpr std::array<Discipline, 6> kDisc = {
          Discipline::kRn,        Discipline::kNp,       Discipline::kSocialWorker,
          Discipline::kPhysician, Discipline::kChaplain, Discipline::kChw};
      const size_t mod = rng.Pick(std::array<int, 3>{70, 15, 15});
      const int minutes = rng.Between(20, 90);
      const int travel = mod == 0 ? rng.Between(10, 60) : 0;
      visits.Row(person, d.ToString(), kDisciplineNames[static_cast<int>(kDisc[disc])],
                 kModalityNames[mod], fmt::format("{}", minutes), fmt::format("{}", travel));
      if (++month_tick % 3 == 0) {
        events.Row(person, d.ToString(), "symptom_score", fmt::format("{}", rng.Between(0, 10)),
                   "home", "");
        events.Row(person, d.ToString(), "distress_score", fmt::format("{}", rng.Between(0, 10)),
                   "home", "");
      }
    }
    if (end_reason == "hospice") {
      events.Row(person, end.ToString(), "hospice_election", "", "", "");
    } else if (end_reason == "died") {
      // Most people in the program who die do so where they said they preferred (home).
      const bool at_home = rng.Uniform() < 0.7;
      events.Row(person, end.ToString(), "death", "", at_home ? "home" : "hospital", "home");
    }
  }
  const std::filesystem::path dir(out_dir);
  for (auto [name, w] :
       {std::pair{"referrals.csv", &referrals}, std::pair{"enrollments.csv", &enrollments},
        std::pair{"visits.csv", &visits}, std::pair{"events.csv", &events}}) {
    Status s = WriteWholeFile((dir / name).string(), w->out);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace valuepact
