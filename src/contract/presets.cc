// MSSP presets: the terms of each track or level for a performance year, read from
// params/mssp/track_terms.csv (docs/parameters.md). Every term's source is the parameter row
// and its citation; the code only turns the values into SharedSavingsTerms.
#include "valuepact/contract/presets.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "valuepact/core/numbers.h"
#include "valuepact/core/params.h"
#include "valuepact/core/suggest.h"
#include "valuepact/core/text.h"

namespace valuepact {
namespace {

constexpr const char* kTable = "mssp/track_terms.csv";
constexpr const char* kCommon = "*";  // terms shared by every preset

// One preset in one performance year: finds its rows and records their citations.
class PresetRows {
 public:
  PresetRows(const ParamTable& table, std::string name, int py)
      : table_(table), name_(std::move(name)), py_(py), at_(Date::FromCivil(py, 1, 1)) {}

  // The preset's own row for `term`, else the common one; nullptr when neither is in force.
  const ParamRow* Find(std::string_view term) const {
    if (const ParamRow* r = table_.At(at_, {name_, term})) return r;
    return table_.At(at_, {kCommon, term});
  }
  std::string Source(const ParamRow& row) const {
    return fmt::format("preset {} PY{}: {}", name_, py_, table_.SourceOf(row));
  }
  // The value of `term`, and its citation under `source_key` (default: the term) in *t.
  const std::string* Value(std::string_view term, SharedSavingsTerms* t,
                           std::string_view source_key = "") const {
    const ParamRow* r = Find(term);
    if (r == nullptr) return nullptr;
    t->sources[std::string(source_key.empty() ? term : source_key)] = Source(*r);
    return &r->Get("value");
  }
  Status Bad(std::string_view term, const std::string& value) const {
    const ParamRow* r = Find(term);
    return InvalidInput(
        fmt::format("params/{} line {}: preset {} term {}: '{}' is not a valid value", kTable,
                    r != nullptr ? r->line : 0, name_, term, value));
  }

 private:
  const ParamTable& table_;
  std::string name_;
  int py_;
  Date at_;
};

// A rate term; absent rows leave *out unchanged.
Status ReadRate(const PresetRows& rows, std::string_view term, SharedSavingsTerms* t,
                std::optional<double>* out, std::string_view source_key = "") {
  const std::string* v = rows.Value(term, t, source_key);
  if (v == nullptr) return Status::Ok();
  auto d = ParseDouble(*v);
  if (!d || *d < 0 || *d > 1) return rows.Bad(term, *v);
  *out = *d;
  return Status::Ok();
}

Status ReadFlag(const PresetRows& rows, std::string_view term, SharedSavingsTerms* t, bool* out) {
  const std::string* v = rows.Value(term, t);
  if (v == nullptr) return Status::Ok();
  if (*v != "true" && *v != "false") return rows.Bad(term, *v);
  *out = *v == "true";
  return Status::Ok();
}

template <typename E>
Status ReadChoice(const PresetRows& rows, std::string_view term, SharedSavingsTerms* t,
                  const std::vector<std::pair<std::string_view, E>>& choices, E* out) {
  const std::string* v = rows.Value(term, t);
  if (v == nullptr) return Status::Ok();
  for (const auto& [name, e] : choices) {
    if (*v == name) {
      *out = e;
      return Status::Ok();
    }
  }
  return rows.Bad(term, *v);
}

// Sharing, quality and sequestration terms.
Status ReadSharing(const PresetRows& rows, SharedSavingsTerms* t) {
  std::optional<double> rate;
  if (Status s = ReadRate(rows, "sharing_rate", t, &rate); !s.ok()) return s;
  t->sharing_rate = rate.value_or(0.0);
  if (Status s = ReadRate(rows, "savings_cap", t, &t->savings_cap); !s.ok()) return s;
  std::optional<double> seq;
  if (Status s = ReadRate(rows, "sequestration", t, &seq); !s.ok()) return s;
  t->sequestration = seq.value_or(0.0);
  if (const std::string* v = rows.Value("sequestration_order", t)) {
    if (*v != "before_cap" && *v != "after_cap") return rows.Bad("sequestration_order", *v);
    t->sequestration_before_cap = *v == "before_cap";
  }
  if (Status s = ReadChoice<QualityMethod>(rows, "quality_method", t,
                                           {{"multiplier", QualityMethod::kMultiplier},
                                            {"standard", QualityMethod::kStandard},
                                            {"sliding_scale", QualityMethod::kSlidingScale}},
                                           &t->quality_method);
      !s.ok()) {
    return s;
  }
  return ReadFlag(rows, "low_revenue_half_rate", t, &t->low_revenue_half_rate);
}

// Minimum savings and loss rates.
Status ReadThresholds(const PresetRows& rows, SharedSavingsTerms* t) {
  if (Status s = ReadChoice<MsrMethod>(
          rows, "msr_method", t,
          {{"variable", MsrMethod::kVariable}, {"elected", MsrMethod::kElected}}, &t->msr_method);
      !s.ok()) {
    return s;
  }
  if (const std::string* v = rows.Value("elected_msr", t)) {
    if (*v != "election") {
      auto d = ParseDouble(*v);
      if (!d || *d < 0 || *d > 1) return rows.Bad("elected_msr", *v);
      t->elected_msr = *d;  // the default until the contract elects
    }
  }
  if (const std::string* v = rows.Value("small_population", t)) t->small_population = *v;
  // The elected MLR equals the elected MSR.
  if (rows.Value("symmetric_mlr", t) != nullptr) {
    t->symmetric_mlr = t->msr_method == MsrMethod::kElected;
  }
  (void)rows.Value("minimum_savings_rate", t);
  return Status::Ok();
}

// The loss limit; Track 2's steps up with the ACO's year in the track.
Status ReadLossLimit(const PresetRows& rows, int track_year, SharedSavingsTerms* t) {
  if (Status s = ReadRate(rows, "loss_cap", t, &t->loss_cap); !s.ok()) return s;
  const int ty = std::clamp(track_year <= 0 ? 1 : track_year, 1, 3);
  const std::string by_year = fmt::format("loss_cap.track_year_{}", ty);
  if (rows.Find(by_year) != nullptr) {
    if (Status s = ReadRate(rows, by_year, t, &t->loss_cap, "loss_cap"); !s.ok()) return s;
    if (track_year <= 0) t->sources["loss_cap"] += " — year in track not given, first year assumed";
  }
  if (Status s = ReadRate(rows, "loss_cap_revenue", t, &t->loss_cap_revenue); !s.ok()) return s;
  if (Status s = ReadChoice<LossLimitForm>(rows, "loss_limit_form", t,
                                           {{"benchmark", LossLimitForm::kBenchmark},
                                            {"revenue", LossLimitForm::kRevenue},
                                            {"lower", LossLimitForm::kLower}},
                                           &t->loss_limit_form);
      !s.ok()) {
    return s;
  }
  if (t->loss_cap_revenue) t->sources["loss_limit"] = t->SourceOf("loss_cap", "");
  return ReadFlag(rows, "extreme_uncontrollable", t, &t->extreme_uncontrollable);
}

// Shared losses: whether the preset is two-sided and at what rate.
Status ReadLosses(const PresetRows& rows, int track_year, SharedSavingsTerms* t) {
  if (rows.Find("loss_rate_method") != nullptr) {
    t->two_sided = true;
    if (Status s = ReadChoice<LossRateMethod>(
            rows, "loss_rate_method", t,
            {{"flat", LossRateMethod::kFlat},
             {"one_minus_final_sharing_rate", LossRateMethod::kOneMinusFinalSharingRate},
             {"one_minus_quality", LossRateMethod::kOneMinusQuality}},
            &t->loss_rate_method);
        !s.ok()) {
      return s;
    }
  }
  if (Status s = ReadRate(rows, "loss_sharing_rate", t, &t->loss_sharing_rate); !s.ok()) return s;
  if (Status s = ReadRate(rows, "loss_rate_floor", t, &t->loss_rate_floor); !s.ok()) return s;
  if (Status s = ReadRate(rows, "loss_rate_ceiling", t, &t->loss_rate_ceiling); !s.ok()) return s;
  std::optional<double> k;
  if (Status s = ReadRate(rows, "loss_quality_factor", t, &k); !s.ok()) return s;
  if (k) t->loss_quality_factor = *k;
  if (Status s = ReadRate(rows, "loss_rate_quality_failed", t, &t->loss_rate_quality_failed);
      !s.ok()) {
    return s;
  }
  t->sources["loss_rate_floor"] = t->SourceOf("loss_rate_method", "");
  t->sources["loss_rate_ceiling"] = t->SourceOf("loss_rate_method", "");
  return ReadLossLimit(rows, track_year, t);
}

const ParamTable& TrackTable() {
  // The table is part of the build; a broken one is a build error, caught by the tests.
  static const ParamTable* table = [] {
    auto t = Params(kTable);
    return t.ok() ? *t : nullptr;
  }();
  static const ParamTable kEmpty;
  return table != nullptr ? *table : kEmpty;
}

}  // namespace

const std::vector<PresetInfo>& Presets() {
  static const std::vector<PresetInfo> v = [] {
    // In the order of the file's title rows.
    std::vector<const ParamRow*> titles;
    for (const ParamRow& r : TrackTable().rows()) {
      if (r.key.size() == 2 && r.key[1] == "title") titles.push_back(&r);
    }
    std::sort(titles.begin(), titles.end(),
              [](const ParamRow* a, const ParamRow* b) { return a->line < b->line; });
    std::vector<PresetInfo> out;
    for (const ParamRow* r : titles) {
      out.push_back({r->key[0], r->Get("value"), r->from.year(), r->to ? r->to->year() : 9999});
    }
    return out;
  }();
  return v;
}

Result<SharedSavingsTerms> PresetTerms(const std::string& name, int py, int track_year) {
  if (auto t = Params(kTable); !t.ok()) return t.status();
  const auto& presets = Presets();
  auto info = std::find_if(presets.begin(), presets.end(),
                           [&](const PresetInfo& p) { return p.name == name; });
  if (info == presets.end()) {
    std::vector<std::string> names;
    for (const auto& p : presets) names.push_back(p.name);
    const std::string near = NearestName(name, names);
    return InvalidInput(fmt::format("unknown preset '{}'{}; presets: {}", name,
                                    near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near),
                                    JoinLimited(names, names.size())));
  }
  if (py < info->first_year || py > info->last_year) {
    return InvalidInput(fmt::format("preset '{}' covers performance years {} to {}, not {}", name,
                                    info->first_year, info->last_year, py));
  }
  SharedSavingsTerms t;
  t.preset = name;
  t.performance_year = py;
  const PresetRows rows(TrackTable(), name, py);
  for (const char* cited : {"savings", "amount", "quality_score"}) (void)rows.Value(cited, &t);
  if (Status s = ReadSharing(rows, &t); !s.ok()) return s;
  if (Status s = ReadThresholds(rows, &t); !s.ok()) return s;
  if (Status s = ReadLosses(rows, track_year, &t); !s.ok()) return s;
  return t;
}

}  // namespace valuepact
