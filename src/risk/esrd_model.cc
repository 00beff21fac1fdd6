// CMS's ESRD dialysis model (esrd_model.h).
#include "valuepact/risk/esrd_model.h"

#include <algorithm>

#include <fmt/format.h>

namespace valuepact::risk {
namespace {

// Renal HCCs do not count in the ESRD model (every member has renal disease).
bool Renal(int cc) { return cc >= 134 && cc <= 138; }

const char* SexWord(char sex) { return sex == 'M' ? "Male" : "Female"; }

// Continuing-enrollee age bands: 0-34, 35-44, 45-54, 55-59, 60-64, 65-69 ... 90-94, 95+.
std::string ContinuingBand(int age) {
  static constexpr std::pair<int, const char*> kBands[] = {
      {34, "0_34"},  {44, "35_44"}, {54, "45_54"}, {59, "55_59"}, {64, "60_64"}, {69, "65_69"},
      {74, "70_74"}, {79, "75_79"}, {84, "80_84"}, {89, "85_89"}, {94, "90_94"}};
  for (const auto& [hi, name] : kBands) {
    if (age <= hi) {
      return name;
    }
  }
  return "95_GT";
}

// New-enrollee age bands: the same up to 80-84, then 85+.
std::string NewEnrolleeBand(int age) {
  return age >= 85 ? std::string("85_GT") : ContinuingBand(age);
}

}  // namespace

Result<EsrdDialysisModel> EsrdDialysisModel::Build(const EsrdModelTables& tables) {
  EsrdDialysisModel m;
  m.coef_ = tables.coefficients;
  std::sort(m.coef_.begin(), m.coef_.end());
  auto st = LoadInteractionStructure("ESRD-" + tables.model_version, "NONAGED");
  if (!st.ok()) {
    return st.status();
  }
  m.structure_ = std::move(*st);
  m.source_ = fmt::format("{} (ESRD model_version {})", tables.coefficients_source.file,
                          tables.model_version);
  if (!m.Coef("DI_F70_74")) {
    return InvalidInput(fmt::format("{}: no dialysis cell DI_F70_74", m.source_));
  }
  return m;
}

std::optional<double> EsrdDialysisModel::Coef(const std::string& name) const {
  auto it = std::lower_bound(coef_.begin(), coef_.end(), name,
                             [](const auto& e, const std::string& n) { return e.first < n; });
  if (it == coef_.end() || it->first != name) {
    return std::nullopt;
  }
  return it->second;
}

void EsrdDialysisModel::Add(const std::string& name, const std::string& variable,
                            ScoreTerm::Kind kind, std::string why, bool explain,
                            EsrdScore* out) const {
  const auto v = Coef(name);
  if (!v) {
    return;  // not priced in the model
  }
  out->raw_score += *v;
  if (explain) {
    ScoreTerm t;
    t.variable = variable;
    t.coefficient = name;
    t.value = *v;
    t.kind = kind;
    t.why = std::move(why);
    out->terms.push_back(std::move(t));
  }
}

EsrdScore EsrdDialysisModel::Score(const Demographics& d, const CcSet& hccs, bool explain) const {
  EsrdScore out;
  const bool aged = d.age >= 65;
  const char sex = d.sex == 'M' ? 'M' : 'F';
  using K = ScoreTerm::Kind;
  if (d.new_enrollee) {
    out.segment = "DNE";
    const bool origdis = d.orec == 1;
    // CMS prices a member of 64 who is not disabled (OREC 0) as 65-69: they turn 65 in the year.
    const int age = d.age == 64 && d.orec == 0 ? 65 : d.age;
    const std::string cell =
        fmt::format("DNE_{}_{}_NE{}{}", d.dual == DualStatus::kFull ? "FBD" : "ND_PBD",
                    origdis ? "ORIGDIS" : "NORIGDIS", sex, NewEnrolleeBand(age));
    out.segment_reason =
        fmt::format("ESRD dialysis, new enrollee: {}, {}, age {}{}",
                    d.dual == DualStatus::kFull ? "full-benefit dual" : "not a full-benefit dual",
                    origdis ? "originally disabled" : "not originally disabled", d.age,
                    age != d.age ? " (priced as 65: not disabled, turns 65 in the year)" : "");
    Add(cell, cell.substr(4), K::kDemographic, "new-enrollee cell", explain, &out);
    return out;
  }
  out.segment = "DI";
  out.segment_reason = fmt::format("ESRD dialysis, continuing enrollee, age {}", d.age);
  Add(fmt::format("DI_{}{}", sex, ContinuingBand(d.age)),
      fmt::format("{}{}", sex, ContinuingBand(d.age)), K::kDemographic, "age/sex cell", explain,
      &out);
  hccs.ForEach([&](int cc) {
    if (Renal(cc)) {
      return;
    }
    Add(fmt::format("DI_HCC{}", cc), fmt::format("HCC{}", cc), K::kHcc,
        fmt::format("HCC{} under the CMS-HCC V24 map and hierarchy", cc), explain, &out);
    if (!aged) {
      Add(fmt::format("DI_NONAGED_HCC{}", cc), fmt::format("NONAGED_HCC{}", cc), K::kHcc,
          fmt::format("HCC{} of a member under 65", cc), explain, &out);
    }
  });
  for (const auto& in : structure_.interactions) {
    bool on = true;
    for (int k = 0; k < in.nterms && on; ++k) {
      const int8_t g = in.terms[static_cast<size_t>(k)];
      on = g < 0 ? !aged : hccs.Intersects(structure_.groups[static_cast<size_t>(g)].mask);
    }
    if (on) {
      const size_t before = out.terms.size();
      Add("DI_" + in.name, in.name, K::kInteraction, "interaction of the member's groups", explain,
          &out);
      if (explain && out.terms.size() > before) {
        out.terms.back().definition = in.source;
      }
    }
  }
  if (aged && d.orec == 1) {
    Add(fmt::format("DI_OriginallyDisabled_{}", SexWord(sex)), "OriginallyDisabled",
        K::kDemographic, "OREC 1 (disability), 65 or over", explain, &out);
  }
  if (aged && (d.orec == 2 || d.orec == 3)) {
    Add(fmt::format("DI_Originally_ESRD_{}", SexWord(sex)), "Originally_ESRD", K::kDemographic,
        fmt::format("OREC {} (ESRD), 65 or over", d.orec), explain, &out);
  }
  if (d.dual != DualStatus::kNone) {
    const bool full = d.dual == DualStatus::kFull;
    Add(fmt::format("DI_{}Dual_{}_{}", full ? "FB" : "PB", SexWord(sex), aged ? "Aged" : "NonAged"),
        full ? "FBDual" : "PBDual", K::kDemographic,
        full ? "full-benefit dual" : "partial-benefit dual", explain, &out);
  }
  if (d.institutional) {
    Add(fmt::format("DI_LTI_{}", aged ? "Aged" : "NonAged"), "LTI", K::kDemographic,
        "long-term institutional", explain, &out);
  }
  return out;
}

}  // namespace valuepact::risk
