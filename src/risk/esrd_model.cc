// CMS's ESRD model: dialysis, transplant and functioning-graft segments (esrd_model.h).
#include "valuepact/risk/esrd_model.h"

#include <algorithm>

#include <fmt/format.h>

namespace valuepact::risk {
namespace {

using K = ScoreTerm::Kind;

// Renal HCCs do not count in the ESRD model (every member has renal disease).
bool Renal(int cc) { return cc >= 134 && cc <= 138; }

const char* SexWord(char sex) { return sex == 'M' ? "Male" : "Female"; }

const char* DualWords(DualStatus d) {
  return d == DualStatus::kFull      ? "full-benefit dual"
         : d == DualStatus::kPartial ? "partial-benefit dual"
                                     : "non-dual";
}

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

// Dialysis new-enrollee age bands: the continuing-enrollee bands up to 80-84, then 85+.
std::string NewEnrolleeBand(int age) {
  return age >= 85 ? std::string("85_GT") : ContinuingBand(age);
}

// Functioning-graft new-enrollee age bands: single years 65-69, else the continuing bands.
std::string GraftNewEnrolleeBand(int age) {
  return age >= 65 && age <= 69 ? std::to_string(age) : ContinuingBand(age);
}

// The graft duration of a month counted from the transplant (4 on): months 4-9, or 10 on.
const char* Duration(int month) { return month <= 9 ? "DUR4_9" : "DUR10PL"; }

std::string GraftWords(int month) {
  return fmt::format("ESRD functioning graft, month {} from the kidney transplant ({})", month,
                     month <= 9 ? "duration 4-9 months" : "duration 10 months or more");
}

}  // namespace

struct EsrdModel::Flags {
  DualStatus dual = DualStatus::kNone;
  bool institutional = false;
  bool new_enrollee = false;
};

EsrdModel::Flags EsrdModel::FlagsOf(const Demographics& d) {
  Flags f{d.dual, d.institutional, d.new_enrollee};
  if (!d.segment_override) {
    return f;
  }
  switch (*d.segment_override) {
    case Segment::kCNA:
    case Segment::kCND:
      f.dual = DualStatus::kNone;
      break;
    case Segment::kCFA:
    case Segment::kCFD:
      f.dual = DualStatus::kFull;
      break;
    case Segment::kCPA:
    case Segment::kCPD:
      f.dual = DualStatus::kPartial;
      break;
    case Segment::kINS:
      f.institutional = true;
      break;
    case Segment::kNE:
    case Segment::kSNPNE:
      f.new_enrollee = true;
      break;
  }
  return f;
}

Result<EsrdModel> EsrdModel::Build(const EsrdModelTables& tables) {
  EsrdModel m;
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
  m.graft_ = true;
  for (const char* name : {"TRANSPLANT_KIDNEY_ONLY_1M", "GFA_F70_74", "GNPN_F60_64", "GI_F70_74",
                           "GNE_FBD_NORIGDIS_G_NEF67", "FGC_GE65_DUR4_9_FBD", "FGI_GE65_DUR4_9_FBD",
                           "LTI_GE65", "ActAdj_DUR4_9"}) {
    m.graft_ = m.graft_ && m.Coef(name).has_value();
  }
  return m;
}

std::optional<double> EsrdModel::Coef(const std::string& name) const {
  auto it = std::lower_bound(coef_.begin(), coef_.end(), name,
                             [](const auto& e, const std::string& n) { return e.first < n; });
  if (it == coef_.end() || it->first != name) {
    return std::nullopt;
  }
  return it->second;
}

void EsrdModel::Add(const std::string& name, const std::string& variable, ScoreTerm::Kind kind,
                    std::string why, bool explain, EsrdScore* out) const {
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

EsrdScore EsrdModel::Score(const Demographics& d, const CcSet& hccs, bool explain) const {
  EsrdScore out;
  const Flags s = FlagsOf(d);
  const std::optional<int> month = graft_ ? d.graft_months : std::nullopt;
  if (month && *month <= 3) {
    ScoreTransplant(*month, explain, &out);
  } else if (month) {
    out.graft_normalization = true;
    if (s.new_enrollee) {
      ScoreGraftNewEnrollee(d, s, explain, &out);
    } else if (s.institutional) {
      ScoreGraftInstitutional(d, s, hccs, explain, &out);
    } else {
      ScoreGraftCommunity(d, s, hccs, explain, &out);
    }
  } else if (s.new_enrollee) {
    ScoreDialysisNewEnrollee(d, s, explain, &out);
  } else {
    ScoreDialysis(d, s, hccs, explain, &out);
  }
  if (d.graft_months && !graft_) {
    out.segment_reason += fmt::format(
        "; graft_months {} is given, but the coefficient table has no transplant and "
        "functioning-graft rows: scored as dialysis",
        *d.graft_months);
  }
  return out;
}

// The terms every continuing-enrollee segment (`seg`: DI, GFA, GFN, GNPA, GNPN, GI) prices
// alike: the age/sex cell, HCCs, interactions and originally disabled. A term the segment has
// no coefficient for is not priced.
void EsrdModel::AddContinuing(const std::string& seg, const Demographics& d, const CcSet& hccs,
                              bool explain, EsrdScore* out) const {
  const bool aged = d.age >= 65;
  const char sex = d.sex == 'M' ? 'M' : 'F';
  const std::string cell = fmt::format("{}{}", sex, ContinuingBand(d.age));
  Add(fmt::format("{}_{}", seg, cell), cell, K::kDemographic, "age/sex cell", explain, out);
  hccs.ForEach([&](int cc) {
    if (Renal(cc)) {
      return;
    }
    Add(fmt::format("{}_HCC{}", seg, cc), fmt::format("HCC{}", cc), K::kHcc,
        fmt::format("HCC{} under the CMS-HCC V24 map and hierarchy", cc), explain, out);
    if (!aged) {
      Add(fmt::format("{}_NONAGED_HCC{}", seg, cc), fmt::format("NONAGED_HCC{}", cc), K::kHcc,
          fmt::format("HCC{} of a member under 65", cc), explain, out);
    }
  });
  AddInteractions(seg, aged, hccs, explain, out);
  if (aged && d.orec == 1) {
    // The institutional graft segment names it ORIGDS (priced at 0 in D24).
    Add(seg == "GI" ? std::string("GI_ORIGDS")
                    : fmt::format("{}_OriginallyDisabled_{}", seg, SexWord(sex)),
        "OriginallyDisabled", K::kDemographic, "OREC 1 (disability), 65 or over", explain, out);
  }
}

void EsrdModel::AddInteractions(const std::string& seg, bool aged, const CcSet& hccs, bool explain,
                                EsrdScore* out) const {
  for (const auto& in : structure_.interactions) {
    bool on = true;
    for (int k = 0; k < in.nterms && on; ++k) {
      const int8_t g = in.terms[static_cast<size_t>(k)];
      on = g < 0 ? !aged : hccs.Intersects(structure_.groups[static_cast<size_t>(g)].mask);
    }
    if (!on) {
      continue;
    }
    const size_t before = out->terms.size();
    Add(seg + "_" + in.name, in.name, K::kInteraction, "interaction of the member's groups",
        explain, out);
    if (explain && out->terms.size() > before) {
      out->terms.back().definition = in.source;
    }
  }
}

void EsrdModel::ScoreDialysis(const Demographics& d, const Flags& s, const CcSet& hccs,
                              bool explain, EsrdScore* out) const {
  const bool aged = d.age >= 65;
  const char sex = d.sex == 'M' ? 'M' : 'F';
  out->segment = "DI";
  out->segment_reason = fmt::format("ESRD dialysis, continuing enrollee, age {}", d.age);
  AddContinuing("DI", d, hccs, explain, out);
  if (aged && (d.orec == 2 || d.orec == 3)) {
    Add(fmt::format("DI_Originally_ESRD_{}", SexWord(sex)), "Originally_ESRD", K::kDemographic,
        fmt::format("OREC {} (ESRD), 65 or over", d.orec), explain, out);
  }
  if (s.dual != DualStatus::kNone) {
    const bool full = s.dual == DualStatus::kFull;
    Add(fmt::format("DI_{}Dual_{}_{}", full ? "FB" : "PB", SexWord(sex), aged ? "Aged" : "NonAged"),
        full ? "FBDual" : "PBDual", K::kDemographic, DualWords(s.dual), explain, out);
  }
  if (s.institutional) {
    Add(fmt::format("DI_LTI_{}", aged ? "Aged" : "NonAged"), "LTI", K::kDemographic,
        "long-term institutional", explain, out);
  }
}

void EsrdModel::ScoreDialysisNewEnrollee(const Demographics& d, const Flags& s, bool explain,
                                         EsrdScore* out) const {
  out->segment = "DNE";
  const bool full = s.dual == DualStatus::kFull;
  const bool origdis = d.orec == 1;
  // CMS prices a member of 64 who is not disabled (OREC 0) as 65-69: they turn 65 in the year.
  const int age = d.age == 64 && d.orec == 0 ? 65 : d.age;
  const std::string cell =
      fmt::format("DNE_{}_{}_NE{}{}", full ? "FBD" : "ND_PBD", origdis ? "ORIGDIS" : "NORIGDIS",
                  d.sex == 'M' ? 'M' : 'F', NewEnrolleeBand(age));
  out->segment_reason =
      fmt::format("ESRD dialysis, new enrollee: {}, {}, age {}{}",
                  full ? "full-benefit dual" : "not a full-benefit dual",
                  origdis ? "originally disabled" : "not originally disabled", d.age,
                  age != d.age ? " (priced as 65: not disabled, turns 65 in the year)" : "");
  Add(cell, cell.substr(4), K::kDemographic, "new-enrollee cell", explain, out);
}

void EsrdModel::ScoreTransplant(int month, bool explain, EsrdScore* out) const {
  out->segment = "TRANSPLANT";
  out->segment_reason = fmt::format(
      "ESRD kidney transplant, month {} from the transplant{}: months 1-3 are priced with the "
      "transplant factor of the month alone (no diagnoses or demographics)",
      month, month == 1 ? " (the transplant month)" : "");
  const std::string name = fmt::format("TRANSPLANT_KIDNEY_ONLY_{}M", month);
  Add(name, name, K::kDemographic, fmt::format("kidney transplant, month {}", month), explain, out);
}

void EsrdModel::ScoreGraftCommunity(const Demographics& d, const Flags& s, const CcSet& hccs,
                                    bool explain, EsrdScore* out) const {
  const int month = *d.graft_months;
  const bool aged = d.age >= 65;
  const bool full = s.dual == DualStatus::kFull;
  // GFA/GFN: full-benefit dual; GNPA/GNPN: partial-benefit dual or non-dual. A: 65 or over.
  out->segment = fmt::format("G{}{}", full ? "F" : "NP", aged ? "A" : "N");
  out->segment_reason = fmt::format("{}, community, {}, age {} ({} 65)", GraftWords(month),
                                    DualWords(s.dual), d.age, aged ? "at least" : "under");
  AddContinuing(out->segment, d, hccs, explain, out);
  const char* age_key = aged ? "GE65" : "LT65";
  const std::string dur =
      fmt::format("FGC_{}_{}_{}", age_key, Duration(month), full ? "FBD" : "ND_PBD");
  Add(dur, dur, K::kDemographic, "graft duration factor (community)", explain, out);
  if (s.dual == DualStatus::kPartial) {
    const std::string pbd = fmt::format("FGC_PBD_{}_flag", age_key);
    Add(pbd, pbd, K::kDemographic, "partial-benefit dual (community graft)", explain, out);
  }
}

void EsrdModel::ScoreGraftInstitutional(const Demographics& d, const Flags& s, const CcSet& hccs,
                                        bool explain, EsrdScore* out) const {
  const int month = *d.graft_months;
  const bool aged = d.age >= 65;
  const bool full = s.dual == DualStatus::kFull;
  out->segment = "GI";
  out->segment_reason = fmt::format("{}, long-term institutional, {}, age {}", GraftWords(month),
                                    DualWords(s.dual), d.age);
  AddContinuing("GI", d, hccs, explain, out);
  const char* age_key = aged ? "GE65" : "LT65";
  const std::string dur =
      fmt::format("FGI_{}_{}_{}", age_key, Duration(month), full ? "FBD" : "ND_PBD");
  Add(dur, dur, K::kDemographic, "graft duration factor (institutional)", explain, out);
  if (s.dual == DualStatus::kPartial) {
    const std::string pbd = fmt::format("FGI_PBD_{}_flag", age_key);
    Add(pbd, pbd, K::kDemographic, "partial-benefit dual (institutional graft)", explain, out);
  }
  const std::string lti = fmt::format("LTI_{}", age_key);
  Add(lti, lti, K::kDemographic, "long-term institutional (graft)", explain, out);
}

void EsrdModel::ScoreGraftNewEnrollee(const Demographics& d, const Flags& s, bool explain,
                                      EsrdScore* out) const {
  const int month = *d.graft_months;
  const bool full = s.dual == DualStatus::kFull;
  // A member of 64 who is not disabled (OREC 0) is priced as 65 and aged: 65 in the year.
  const bool turns_65 = d.age == 64 && d.orec == 0;
  const int age = turns_65 ? 65 : d.age;
  const bool origdis = d.age >= 65 && d.orec == 1;
  out->segment = "GNE";
  out->segment_reason =
      fmt::format("{}, new enrollee: {}, {}, age {}{}", GraftWords(month), DualWords(s.dual),
                  origdis ? "originally disabled" : "not originally disabled", d.age,
                  turns_65 ? " (priced as 65: not disabled, turns 65 in the year)" : "");
  const std::string cell =
      fmt::format("GNE_{}_{}_G_NE{}{}", full ? "FBD" : "ND_PBD", origdis ? "ORIGDIS" : "NORIGDIS",
                  d.sex == 'M' ? 'M' : 'F', GraftNewEnrolleeBand(age));
  Add(cell, cell.substr(4), K::kDemographic, "new-enrollee graft cell", explain, out);
  const std::string dur = fmt::format("FGC_{}_{}_{}", age >= 65 ? "GE65" : "LT65", Duration(month),
                                      full ? "FBD" : "ND_PBD");
  Add(dur, dur, K::kDemographic, "graft duration factor", explain, out);
  const std::string adj = fmt::format("ActAdj_{}", Duration(month));
  const auto v = Coef(adj);
  if (v && *v > 0) {
    out->raw_score /= *v;
    ScoreTerm t;
    t.variable = adj;
    t.coefficient = adj;
    t.value = *v;
    t.kind = K::kDemographic;
    t.why = "actuarial adjustment of the graft duration: the sum is divided by it";
    out->divisor = std::move(t);
  }
}

}  // namespace valuepact::risk
