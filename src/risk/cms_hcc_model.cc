#include "valuepact/risk/cms_hcc_model.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "valuepact/core/numbers.h"
#include "valuepact/core/params.h"

namespace valuepact::risk {

namespace {

constexpr std::array<const char*, kSegmentCount> kSegmentNames = {
    "CNA", "CND", "CFA", "CFD", "CPA", "CPD", "INS", "NE", "SNPNE"};

std::string Upper(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return o;
}

// The rows of a params/cms_hcc table for one model version, in file order.
Result<std::vector<const ParamRow*>> ModelRows(const char* table, std::string_view model,
                                               const ParamTable** out) {
  auto t = Params(table);
  if (!t.ok()) return t.status();
  *out = *t;
  std::vector<const ParamRow*> rows;
  for (const auto& r : (*t)->rows()) {
    if (!r.key.empty() && r.key[0] == model) rows.push_back(&r);
  }
  std::sort(rows.begin(), rows.end(),
            [](const ParamRow* a, const ParamRow* b) { return a->line < b->line; });
  if (rows.empty()) {
    return InvalidInput(fmt::format("params/{}: no rows for model {}", table, model));
  }
  return rows;
}

// The disease groups of the interaction terms (params/cms_hcc/disease_groups.csv). They are code
// in CMS's model software, not tables in its releases, so the project records them as data.
Status LoadGroups(std::string_view model, std::vector<std::string>* sources,
                  std::vector<DiseaseGroup>* groups) {
  const ParamTable* table = nullptr;
  auto rows = ModelRows("cms_hcc/disease_groups.csv", model, &table);
  if (!rows.ok()) return rows.status();
  for (const ParamRow* r : *rows) {
    CcSet mask;
    bool any = false;
    for (std::string_view rest = r->Get("hccs"); !rest.empty();) {
      const size_t sp = rest.find(' ');
      const std::string_view tok = rest.substr(0, sp);
      rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      if (tok.empty()) continue;
      const auto cc = ::valuepact::ParseInt(tok);
      if (!cc || *cc <= 0 || *cc >= kMaxCc) {
        return InvalidInput(fmt::format("{}: HCC '{}' is not a number in 1-{}", table->SourceOf(*r),
                                        tok, kMaxCc - 1));
      }
      mask.Set(static_cast<int>(*cc));
      any = true;
    }
    if (!any) return InvalidInput(fmt::format("{}: a group without HCCs", table->SourceOf(*r)));
    groups->push_back({r->key[1], r->Get("description"), mask});
  }
  if (groups->size() > 32) {
    return InvalidInput(fmt::format(
        "params/cms_hcc/disease_groups.csv: {} groups for {}; at most 32", groups->size(), model));
  }
  sources->push_back(table->SourceOf(*rows->front()));
  return Status::Ok();
}

bool ParseInt(std::string_view s, int* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

// "70_74" -> [70, 74], "95_GT" -> [95, kMaxAge], "65" -> [65, 65].
bool ParseAgeRange(std::string_view s, int max_age, int* lo, int* hi) {
  const size_t u = s.find('_');
  if (u == std::string_view::npos) {
    if (!ParseInt(s, lo)) return false;
    *hi = *lo;
    return true;
  }
  if (!ParseInt(s.substr(0, u), lo)) return false;
  const auto rest = s.substr(u + 1);
  if (rest == "GT") {
    *hi = max_age;
    return true;
  }
  return ParseInt(rest, hi);
}

std::string CcName(int cc) { return fmt::format("HCC{}", cc); }

}  // namespace

const char* SegmentName(Segment s) { return kSegmentNames[static_cast<size_t>(s)]; }

const char* SegmentLabel(Segment s) {
  switch (s) {
    case Segment::kCNA:
      return "Community, non-dual, aged";
    case Segment::kCND:
      return "Community, non-dual, disabled";
    case Segment::kCFA:
      return "Community, full-benefit dual, aged";
    case Segment::kCFD:
      return "Community, full-benefit dual, disabled";
    case Segment::kCPA:
      return "Community, partial-benefit dual, aged";
    case Segment::kCPD:
      return "Community, partial-benefit dual, disabled";
    case Segment::kINS:
      return "Long-term institutional";
    case Segment::kNE:
      return "New enrollee";
    case Segment::kSNPNE:
      return "C-SNP new enrollee";
  }
  return "?";
}

Result<Segment> ParseSegment(std::string_view text) {
  const std::string t = Upper(text);
  for (int i = 0; i < kSegmentCount; ++i) {
    if (t == kSegmentNames[static_cast<size_t>(i)]) return static_cast<Segment>(i);
  }
  return InvalidInput(fmt::format(
      "unknown segment '{}': expected one of CNA, CND, CFA, CFD, CPA, CPD, INS, NE, SNPNE", text));
}

SegmentChoice ChooseSegment(const Demographics& d) {
  SegmentChoice c;
  // CMS software: DISABL = (AGEF < 65 & OREC ne "0"); ORIGDS = (OREC = "1") & (DISABL = 0).
  c.disabled = d.age < 65 && d.orec != 0;
  c.originally_disabled = d.orec == 1 && !c.disabled;
  if (d.segment_override) {
    c.segment = *d.segment_override;
    c.overridden = true;
    return c;
  }
  if (d.new_enrollee) {
    c.segment = Segment::kNE;
  } else if (d.institutional) {
    c.segment = Segment::kINS;
  } else {
    // Aged segments are for members 65 and over on February 1 of the payment year.
    const bool aged = d.age >= 65;
    switch (d.dual) {
      case DualStatus::kNone:
        c.segment = aged ? Segment::kCNA : Segment::kCND;
        break;
      case DualStatus::kFull:
        c.segment = aged ? Segment::kCFA : Segment::kCFD;
        break;
      case DualStatus::kPartial:
        c.segment = aged ? Segment::kCPA : Segment::kCPD;
        break;
    }
  }
  return c;
}

std::string ExplainSegment(const Demographics& d, const SegmentChoice& c) {
  if (c.overridden) {
    return fmt::format("{} ({}): given as the member's segment", SegmentName(c.segment),
                       SegmentLabel(c.segment));
  }
  if (c.segment == Segment::kNE) {
    return fmt::format(
        "NE (new enrollee): fewer than 12 months of Medicare Part B in the data "
        "year, so the demographic-only new-enrollee model applies");
  }
  if (c.segment == Segment::kINS) {
    return "INS (long-term institutional): resident 90+ days in an institution";
  }
  const char* dual = d.dual == DualStatus::kFull      ? "full-benefit dual"
                     : d.dual == DualStatus::kPartial ? "partial-benefit dual"
                                                      : "not Medicaid-eligible (non-dual)";
  return fmt::format("{} ({}): age {} on February 1 is {} 65; {}; community resident",
                     SegmentName(c.segment), SegmentLabel(c.segment), d.age,
                     d.age >= 65 ? "at least" : "under", dual);
}

int CcSet::Count() const {
  int n = 0;
  for (auto x : w) n += __builtin_popcountll(x);
  return n;
}

bool CcSet::Empty() const {
  for (auto x : w) {
    if (x != 0) return false;
  }
  return true;
}

bool NormalizeIcd10(std::string_view in, std::string* out) {
  out->clear();
  for (char ch : in) {
    if (ch == '.' || ch == ' ' || ch == '\t') continue;
    out->push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  }
  const std::string& s = *out;
  if (s.size() < 3 || s.size() > 7) return false;
  if (s[0] < 'A' || s[0] > 'Z' || s[1] < '0' || s[1] > '9') return false;
  for (size_t i = 2; i < s.size(); ++i) {
    if (!std::isalnum(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

size_t CmsHccModel::CellIndex(Segment s, bool mcaid, bool origdis, char sex, int age) {
  const int a = std::clamp(age, 0, kMaxAge);
  return ((((static_cast<size_t>(s) * 2 + mcaid) * 2 + origdis) * 2 + (sex == 'M')) *
          (kMaxAge + 1)) +
         static_cast<size_t>(a);
}

Result<CmsHccModel> CmsHccModel::Build(const CmsHccModelTables& tables) {
  CmsHccModel m;
  m.version_ = tables.version;
  m.tables_ = tables;
  const std::string vname = HccVersionName(tables.version);

  // ICD-10 entries.
  std::map<std::string, std::vector<int>> by_code;
  for (const auto& [dx, cc] : tables.dx_to_cc) {
    if (cc <= 0 || cc >= kMaxCc) {
      return InvalidInput(
          fmt::format("CMS-HCC {}: CC {} of {} is outside 1-{}", vname, cc, dx, kMaxCc - 1));
    }
    auto& v = by_code[dx];
    if (std::find(v.begin(), v.end(), cc) == v.end()) v.push_back(cc);
  }
  std::map<std::string, std::vector<size_t>> edits_by_code;
  for (size_t i = 0; i < tables.dx_edits.size(); ++i) {
    edits_by_code[tables.dx_edits[i].icd10].push_back(i);
  }
  m.dx_codes_.Reserve(by_code.size());
  m.dx_.reserve(by_code.size());
  for (const auto& [dx, ccs] : by_code) {
    if (ccs.size() > 2) {
      return InvalidInput(fmt::format("CMS-HCC {}: {} maps to {} CCs; at most 2 are supported",
                                      vname, dx, ccs.size()));
    }
    const uint32_t id = m.dx_codes_.Intern(dx);
    if (id != m.dx_.size()) return Status(StatusCode::kInternal, "dx interning out of order");
    DxEntry e;
    e.ncc = static_cast<uint8_t>(ccs.size());
    for (size_t i = 0; i < ccs.size(); ++i) e.cc[i] = static_cast<uint16_t>(ccs[i]);
    e.edit_begin = static_cast<uint32_t>(m.edits_.size());
    if (auto it = edits_by_code.find(dx); it != edits_by_code.end()) {
      for (size_t k : it->second) {
        const auto& src = tables.dx_edits[k];
        m.edits_.push_back({src.sex, static_cast<int16_t>(src.age_min),
                            static_cast<int16_t>(src.age_max), src.invalid,
                            static_cast<uint16_t>(src.cc_override), static_cast<uint32_t>(k)});
      }
    }
    e.nedits = static_cast<uint8_t>(m.edits_.size() - e.edit_begin);
    m.dx_.push_back(e);
  }

  // Codes the ICD-10-CM updates subdivided after the payment year's data year (N18.3 became
  // N18.30-N18.32 in FY2021, D68.0 became D68.00-D68.09, ...) are absent from newer maps, which
  // is all a user may have for an older payment year. When the map is newer than the payment
  // year, such a code is mapped to the CCs its subdivisions share, when they all share the same
  // ones; CMS's map of that year gave the parent code the same CC. V28 is excluded: its maps
  // start with the 2024 payment year (2023 dates of service), after those subdivisions, so
  // there is no earlier V28 map to reconstruct.
  const int map_year = tables.sources.empty() ? 0 : tables.sources.front().year;
  if (map_year > tables.payment_year && tables.version != HccVersion::kV28) {
    struct Prefix {
      std::vector<int> ccs;
      uint16_t count = 0;
      bool conflict = false;
    };
    std::map<std::string, Prefix> prefixes;
    for (const auto& [dx, ccs] : by_code) {
      for (size_t len = 3; len < dx.size(); ++len) {
        const std::string p = dx.substr(0, len);
        if (by_code.count(p) != 0) continue;
        auto& pr = prefixes[p];
        std::vector<int> sorted = ccs;
        std::sort(sorted.begin(), sorted.end());
        if (pr.count == 0) {
          pr.ccs = sorted;
        } else if (pr.ccs != sorted) {
          pr.conflict = true;
        }
        ++pr.count;
      }
    }
    for (const auto& [p, pr] : prefixes) {
      if (pr.conflict) continue;
      const uint32_t id = m.dx_codes_.Intern(p);
      if (id != m.dx_.size()) return Status(StatusCode::kInternal, "dx interning out of order");
      DxEntry e;
      e.ncc = static_cast<uint8_t>(pr.ccs.size());
      for (size_t i = 0; i < pr.ccs.size(); ++i) e.cc[i] = static_cast<uint16_t>(pr.ccs[i]);
      e.edit_begin = static_cast<uint32_t>(m.edits_.size());
      e.subdivisions = pr.count;
      m.dx_.push_back(e);
    }
  }

  // Hierarchies: children of each parent.
  m.children_.assign(kMaxCc, CcSet{});
  for (const auto& [p, c] : tables.hierarchy) {
    if (p <= 0 || p >= kMaxCc || c <= 0 || c >= kMaxCc) {
      return InvalidInput(
          fmt::format("CMS-HCC {}: hierarchy pair {}/{} outside 1-{}", vname, p, c, kMaxCc - 1));
    }
    m.children_[static_cast<size_t>(p)].Set(c);
  }

  // Groups and interactions, from the project's parameter tables.
  if (Status st = m.LoadStructure(tables.version); !st.ok()) return st;
  m.heart_assist_rule_ = tables.version == HccVersion::kV28;

  // Coefficients, matched case-insensitively (the CMS names vary in case between versions).
  std::map<std::string, std::pair<double, std::string>> coef;  // UPPER name -> (value, name)
  for (const auto& [name, value] : tables.coefficients) coef[Upper(name)] = {value, name};
  std::map<std::string, int> interaction_index;
  for (size_t i = 0; i < m.interactions_.size(); ++i) {
    interaction_index[Upper(m.interactions_[i].name)] = static_cast<int>(i);
  }
  m.cells_.assign(CellIndex(Segment::kSNPNE, true, true, 'M', kMaxAge) + 1, Cell{});
  for (auto& s : m.seg_) {
    s.interaction.assign(m.interactions_.size(), 0.0);
    s.interaction_priced.assign(m.interactions_.size(), 0);
  }
  int cells_found = 0;
  for (const auto& [uname, vn] : coef) {
    const auto& [value, name] = vn;
    const size_t u = uname.find('_');
    if (u == std::string::npos) continue;
    const std::string prefix = uname.substr(0, u);
    std::string rest = uname.substr(u + 1);
    auto seg = ParseSegment(prefix);
    if (!seg.ok()) continue;
    auto& s = m.seg_[static_cast<size_t>(*seg)];
    const bool ne = *seg == Segment::kNE || *seg == Segment::kSNPNE;
    if (ne) {
      // NE_{MCAID|NMCAID}_{ORIGDIS|NORIGDIS}_NE{F|M}<age range>
      const bool mcaid = rest.rfind("MCAID_", 0) == 0;
      if (!mcaid && rest.rfind("NMCAID_", 0) != 0) continue;
      rest = rest.substr(mcaid ? 6 : 7);
      const bool origdis = rest.rfind("ORIGDIS_", 0) == 0;
      if (!origdis && rest.rfind("NORIGDIS_", 0) != 0) continue;
      rest = rest.substr(origdis ? 8 : 9);
      if (rest.size() < 4 || rest.compare(0, 2, "NE") != 0) continue;
      const char sex = rest[2];
      int lo = 0, hi = 0;
      if ((sex != 'F' && sex != 'M') || !ParseAgeRange(rest.substr(3), kMaxAge, &lo, &hi)) {
        continue;
      }
      const int32_t ni = static_cast<int32_t>(m.cell_names_.size());
      m.cell_names_.push_back(name);
      for (int a = lo; a <= std::min(hi, kMaxAge); ++a) {
        m.cells_[CellIndex(*seg, mcaid, origdis, sex, a)] = {value, ni};
      }
      ++cells_found;
      continue;
    }
    int cc = 0;
    if (rest.rfind("HCC", 0) == 0 && ParseInt(std::string_view(rest).substr(3), &cc) && cc > 0 &&
        cc < kMaxCc) {
      s.hcc[static_cast<size_t>(cc)] = value;
      s.hcc_priced.Set(cc);
      continue;
    }
    if (rest.size() >= 2 && rest[0] == 'D' && std::isdigit(static_cast<unsigned char>(rest[1]))) {
      int n = 0;
      if (rest == "D10P") {
        n = 10;
      } else if (!ParseInt(std::string_view(rest).substr(1), &n) || n < 1 || n > 9) {
        continue;
      }
      s.count[static_cast<size_t>(n)] = value;
      s.count_priced[static_cast<size_t>(n)] = 1;
      continue;
    }
    if ((rest[0] == 'F' || rest[0] == 'M') && rest.size() > 1 &&
        std::isdigit(static_cast<unsigned char>(rest[1]))) {
      int lo = 0, hi = 0;
      if (!ParseAgeRange(std::string_view(rest).substr(1), kMaxAge, &lo, &hi)) continue;
      const int32_t ni = static_cast<int32_t>(m.cell_names_.size());
      m.cell_names_.push_back(name);
      for (int a = lo; a <= std::min(hi, kMaxAge); ++a) {
        // Community and institutional cells do not depend on Medicaid or ORIGDS.
        for (int mc = 0; mc < 2; ++mc) {
          for (int od = 0; od < 2; ++od) {
            m.cells_[CellIndex(*seg, mc, od, rest[0], a)] = {value, ni};
          }
        }
      }
      ++cells_found;
      continue;
    }
    if (rest == "ORIGINALLYDISABLED_FEMALE" || rest == "ORIGINALLYDISABLED_MALE") {
      s.orig_disabled[rest == "ORIGINALLYDISABLED_MALE"] = value;
      s.orig_disabled_priced = true;
      continue;
    }
    if (rest == "ORIGDS") {
      s.ins_origds = value;
      s.ins_origds_priced = true;
      continue;
    }
    if (rest == "LTIMCAID") {
      s.ltimcaid = value;
      s.ltimcaid_priced = true;
      continue;
    }
    if (auto it = interaction_index.find(rest); it != interaction_index.end()) {
      s.interaction[static_cast<size_t>(it->second)] = value;
      s.interaction_priced[static_cast<size_t>(it->second)] = 1;
    }
  }
  if (cells_found == 0) {
    return InvalidInput(
        fmt::format("CMS-HCC {}: the coefficient table has no demographic cells", vname));
  }
  return m;
}

Result<InteractionStructure> LoadInteractionStructure(std::string_view model,
                                                      std::string_view indicator) {
  InteractionStructure out;
  if (Status st = LoadGroups(model, &out.sources, &out.groups); !st.ok()) return st;
  std::map<std::string, int, std::less<>> group_index;
  for (size_t g = 0; g < out.groups.size(); ++g) {
    group_index[out.groups[g].name] = static_cast<int>(g);
  }
  const ParamTable* table = nullptr;
  auto rows = ModelRows("cms_hcc/interactions.csv", model, &table);
  if (!rows.ok()) return rows.status();
  for (const ParamRow* r : *rows) {
    InteractionTerm in;
    in.name = r->key[1];
    in.source = table->SourceOf(*r);
    for (std::string_view rest = r->Get("terms"); !rest.empty();) {
      const size_t sp = rest.find(' ');
      const std::string_view term = rest.substr(0, sp);
      rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      if (term.empty()) continue;
      auto it = group_index.find(term);
      if (term != indicator && it == group_index.end()) {
        return InvalidInput(fmt::format("{}: term '{}' is neither a disease group of {} nor {}",
                                        table->SourceOf(*r), term, model, indicator));
      }
      if (in.nterms == static_cast<int>(in.terms.size())) {
        return InvalidInput(
            fmt::format("{}: more than {} terms", table->SourceOf(*r), in.terms.size()));
      }
      in.terms[static_cast<size_t>(in.nterms++)] =
          term == indicator ? int8_t{-1} : static_cast<int8_t>(it->second);
    }
    if (in.nterms == 0) return InvalidInput(fmt::format("{}: no terms", table->SourceOf(*r)));
    out.interactions.push_back(std::move(in));
  }
  if (out.interactions.size() > 64) {
    return InvalidInput(
        fmt::format("params/cms_hcc/interactions.csv: {} interactions for {}; at most 64",
                    out.interactions.size(), model));
  }
  out.sources.push_back(table->SourceOf(*rows->front()));
  return out;
}

Status CmsHccModel::LoadStructure(HccVersion v) {
  auto st = LoadInteractionStructure(HccVersionName(v), "DISABLED");
  if (!st.ok()) return st.status();
  for (auto& g : st->groups) groups_.push_back({g.name, g.description, g.mask});
  for (auto& in : st->interactions) {
    Interaction x;
    x.name = std::move(in.name);
    x.terms = in.terms;
    x.nterms = in.nterms;
    x.source = std::move(in.source);
    interactions_.push_back(std::move(x));
  }
  structure_sources_ = std::move(st->sources);
  return Status::Ok();
}

int32_t CmsHccModel::FindDx(std::string_view icd10) const {
  // Fast path: codes that are already normalised.
  const uint32_t id = dx_codes_.Find(icd10);
  if (id != StringInterner::kNone) return static_cast<int32_t>(id);
  std::string norm;
  if (!NormalizeIcd10(icd10, &norm)) return kMalformed;
  const uint32_t id2 = dx_codes_.Find(norm);
  return id2 == StringInterner::kNone ? kUnmapped : static_cast<int32_t>(id2);
}

const std::string& CmsHccModel::Label(int cc) const {
  static const std::string kNone;
  auto it = tables_.labels.find(cc);
  return it == tables_.labels.end() ? kNone : it->second;
}

std::string CmsHccModel::SourceFile(std::string_view prefix) const {
  for (const auto& s : tables_.sources) {
    if (s.file.rfind(prefix, 0) == 0) return s.file;
  }
  return std::string(prefix);
}

MemberScore CmsHccModel::Score(const Demographics& d, std::span<const int32_t> dx) const {
  return ScoreImpl<false>(d, dx, {}, nullptr);
}

MemberScore CmsHccModel::ScoreCodes(const Demographics& d, std::span<const std::string_view> codes,
                                    MemberExplanation* ex) const {
  std::vector<int32_t> idx(codes.size());
  for (size_t i = 0; i < codes.size(); ++i) idx[i] = FindDx(codes[i]);
  if (ex != nullptr) return ScoreImpl<true>(d, idx, codes, ex);
  return ScoreImpl<false>(d, idx, codes, nullptr);
}

template <bool kExplain>
MemberScore CmsHccModel::ScoreImpl(const Demographics& d, std::span<const int32_t> dx,
                                   std::span<const std::string_view> codes,
                                   MemberExplanation* ex) const {
  MemberScore out;
  const SegmentChoice choice = ChooseSegment(d);
  out.segment = choice.segment;
  const char sex = d.sex == 'M' ? 'M' : 'F';
  if constexpr (kExplain) {
    ex->choice = choice;
    ex->segment_reason = ExplainSegment(d, choice);
  }

  // 1. Diagnoses -> CCs, with the age/sex edits of the model's I0ED macro.
  CcSet ccs;
  for (size_t i = 0; i < dx.size(); ++i) {
    const int32_t id = dx[i];
    if (id < 0) {
      if (id == kMalformed) {
        ++out.dx_malformed;
      } else {
        ++out.dx_unmapped;
      }
      if constexpr (kExplain) {
        DxStep st;
        st.code = i < codes.size() ? std::string(codes[i]) : std::string();
        st.kind = id == kMalformed ? DxStep::Kind::kMalformed : DxStep::Kind::kUnmapped;
        ex->dx.push_back(std::move(st));
      }
      continue;
    }
    const DxEntry& e = dx_[static_cast<size_t>(id)];
    bool invalid = false;
    int override_cc = 0;
    [[maybe_unused]] const CmsHccDxEdit* applied = nullptr;
    for (uint32_t k = e.edit_begin; k < e.edit_begin + e.nedits; ++k) {
      const EditRule& r = edits_[k];
      if (r.sex != 0 && r.sex != sex) continue;
      if (r.age_min >= 0 && d.age < r.age_min) continue;
      if (r.age_max >= 0 && d.age > r.age_max) continue;
      if (r.invalid) {
        invalid = true;
      } else {
        override_cc = r.cc;
      }
      if constexpr (kExplain) applied = &tables_.dx_edits[r.source];
      break;
    }
    if (invalid || override_cc != 0) ++out.dx_edited;
    if (!invalid) ++out.dx_mapped;
    if (invalid) {
      // counted above; contributes no CC
    } else if (override_cc != 0) {
      ccs.Set(override_cc);
    } else {
      for (int c = 0; c < e.ncc; ++c) ccs.Set(e.cc[static_cast<size_t>(c)]);
    }
    if constexpr (kExplain) {
      DxStep st;
      st.code = std::string(dx_codes_.Get(static_cast<uint32_t>(id)));
      for (int c = 0; c < e.ncc; ++c) st.mapped_ccs.push_back(e.cc[static_cast<size_t>(c)]);
      if (invalid) {
        st.kind = DxStep::Kind::kEditedAway;
      } else {
        st.kind = DxStep::Kind::kMapped;
        st.ccs = override_cc != 0 ? std::vector<int>{override_cc} : st.mapped_ccs;
      }
      if (applied != nullptr) {
        st.edit = fmt::format("{} [{}]", applied->description, applied->source);
      }
      if (e.subdivisions != 0) {
        st.note = fmt::format(
            "not in {} (subdivided by a later ICD-10-CM update); all {} codes that extend it map "
            "to the same CC, so it is mapped to that CC",
            SourceFile("ra_dx_to_cc_"), e.subdivisions);
      }
      ex->dx.push_back(std::move(st));
    }
  }

  // 2. V28: heart assist device status (HCC223) counts only with another heart failure HCC;
  // alone it is removed (CMS V28 software, HCC223 edit before hierarchies).
  if (heart_assist_rule_ && ccs.Has(223)) {
    bool other_hf = false;
    for (int cc : {221, 222, 224, 225, 226, 227}) other_hf = other_hf || ccs.Has(cc);
    if (!other_hf) {
      ccs.Clear(223);
      if constexpr (kExplain) {
        ex->special_rules.push_back(
            "HCC223 (heart assist device/artificial heart) removed: V28 keeps it only when "
            "another heart failure HCC (221, 222, 224-227) is present");
      }
    }
  }

  // 3. Hierarchies: a CC is dropped when any present CC outranks it.
  CcSet dropped;
  ccs.ForEach([&](int cc) {
    const CcSet& ch = children_[static_cast<size_t>(cc)];
    for (size_t i = 0; i < dropped.w.size(); ++i) dropped.w[i] |= ch.w[i];
  });
  for (size_t i = 0; i < ccs.w.size(); ++i) out.hccs.w[i] = ccs.w[i] & ~dropped.w[i];
  if constexpr (kExplain) {
    ccs.ForEach([&](int cc) {
      if (out.hccs.Has(cc)) return;
      // The highest-ranked CC that outranks it: the one not itself outranked, else any.
      int by = 0;
      ccs.ForEach([&](int p) {
        if (!children_[static_cast<size_t>(p)].Has(cc)) return;
        if (by == 0 || (out.hccs.Has(p) && !out.hccs.Has(by))) by = p;
      });
      ex->dropped.push_back({cc, by});
    });
  }

  const SegmentCoefficients& s = seg_[static_cast<size_t>(out.segment)];
  double raw = 0;

  // 4. Demographic cell.
  {
    const bool mcaid = d.dual != DualStatus::kNone;
    int age = d.age;
    const bool ne = out.segment == Segment::kNE || out.segment == Segment::kSNPNE;
    // CMS new-enrollee model: a member aged 64 who is not disabled (OREC 0) turns 65 in the
    // payment year and is priced in the age-65 cell.
    if (ne && age == 64 && d.orec == 0) age = 65;
    const Cell& c = cells_[CellIndex(out.segment, mcaid, choice.originally_disabled, sex, age)];
    raw += c.value;
    if constexpr (kExplain) {
      ScoreTerm t;
      t.kind = ScoreTerm::Kind::kDemographic;
      t.coefficient = c.name >= 0 ? cell_names_[static_cast<size_t>(c.name)] : std::string();
      t.variable = t.coefficient.empty() ? std::string("demographic cell")
                                         : t.coefficient.substr(t.coefficient.find('_') + 1);
      t.value = c.value;
      t.why =
          ne ? fmt::format(
                   "{} {}, age {}{}, {}, {}", SegmentName(out.segment),
                   sex == 'M' ? "male" : "female", d.age, age != d.age ? " (priced at 65)" : "",
                   mcaid ? "Medicaid" : "no Medicaid",
                   choice.originally_disabled ? "originally disabled" : "not originally disabled")
             : fmt::format("{}, age {} on February 1", sex == 'M' ? "male" : "female", d.age);
      if (c.name < 0) t.why += ": no cell in the coefficient table (contributes 0)";
      ex->terms.push_back(std::move(t));
    }
    if (!ne) {
      if (choice.originally_disabled && s.orig_disabled_priced) {
        const double v = s.orig_disabled[sex == 'M'];
        raw += v;
        if constexpr (kExplain) {
          ex->terms.push_back({sex == 'M' ? "OriginallyDisabled_Male" : "OriginallyDisabled_Female",
                               fmt::format("{}_OriginallyDisabled_{}", SegmentName(out.segment),
                                           sex == 'M' ? "Male" : "Female"),
                               v, ScoreTerm::Kind::kDemographic,
                               "OREC 1 (entitled by disability) and now 65 or over"});
        }
      }
      if (choice.originally_disabled && s.ins_origds_priced) {
        raw += s.ins_origds;
        if constexpr (kExplain) {
          ex->terms.push_back({"ORIGDS", fmt::format("{}_ORIGDS", SegmentName(out.segment)),
                               s.ins_origds, ScoreTerm::Kind::kDemographic,
                               "OREC 1 (entitled by disability) and now 65 or over"});
        }
      }
      if (mcaid && s.ltimcaid_priced) {
        raw += s.ltimcaid;
        if constexpr (kExplain) {
          ex->terms.push_back({"LTIMCAID", fmt::format("{}_LTIMCAID", SegmentName(out.segment)),
                               s.ltimcaid, ScoreTerm::Kind::kDemographic,
                               "Medicaid-eligible long-term institutional member"});
        }
      }
    }
  }

  // The new-enrollee models are demographic only.
  const bool ne = out.segment == Segment::kNE || out.segment == Segment::kSNPNE;
  if (!ne) {
    // 5. HCCs.
    out.hcc_count = out.hccs.Count();
    out.hccs.ForEach([&](int cc) {
      raw += s.hcc[static_cast<size_t>(cc)];
      if constexpr (kExplain) {
        ScoreTerm t;
        t.kind = ScoreTerm::Kind::kHcc;
        t.variable = CcName(cc);
        t.coefficient =
            s.hcc_priced.Has(cc) ? fmt::format("{}_HCC{}", SegmentName(out.segment), cc) : "";
        t.value = s.hcc[static_cast<size_t>(cc)];
        std::string from;
        for (const auto& st : ex->dx) {
          if (std::find(st.ccs.begin(), st.ccs.end(), cc) != st.ccs.end()) {
            from += (from.empty() ? "" : ", ") + st.code;
          }
        }
        t.why = fmt::format("{} ({}{}) from {}", CcName(cc), Label(cc),
                            IsChronic(cc) ? "; chronic" : "", from);
        if (!s.hcc_priced.Has(cc)) t.why += "; not priced in this segment";
        ex->terms.push_back(std::move(t));
      }
    });

    // 6. Interactions.
    uint32_t group_on = 0;
    for (size_t g = 0; g < groups_.size(); ++g) {
      if (out.hccs.Intersects(groups_[g].mask)) group_on |= uint32_t{1} << g;
    }
    for (size_t i = 0; i < interactions_.size(); ++i) {
      const Interaction& in = interactions_[i];
      bool on = true;
      for (int k = 0; k < in.nterms && on; ++k) {
        const int8_t t = in.terms[static_cast<size_t>(k)];
        on = t < 0 ? choice.disabled : ((group_on >> t) & 1) != 0;
      }
      if (!on || !s.interaction_priced[i]) continue;
      out.interactions |= uint64_t{1} << i;
      raw += s.interaction[i];
      if constexpr (kExplain) {
        ScoreTerm t;
        t.kind = ScoreTerm::Kind::kInteraction;
        t.variable = in.name;
        t.coefficient = fmt::format("{}_{}", SegmentName(out.segment), in.name);
        t.value = s.interaction[i];
        t.definition = in.source;
        std::string why;
        for (int k = 0; k < in.nterms; ++k) {
          const int8_t g = in.terms[static_cast<size_t>(k)];
          if (!why.empty()) why += " x ";
          if (g < 0) {
            why += "disabled (age < 65 and OREC not 0)";
          } else {
            std::string present;
            groups_[static_cast<size_t>(g)].mask.ForEach([&](int cc) {
              if (!out.hccs.Has(cc)) return;
              present += (present.empty() ? "" : ",") + CcName(cc);
              t.from_ccs.push_back(cc);
            });
            why += fmt::format("{} [{}]", groups_[static_cast<size_t>(g)].description, present);
          }
        }
        t.why = why;
        ex->terms.push_back(std::move(t));
      }
    }

    // 7. Payment HCC count variable (V24, V28): D1..D9, D10P for 10 or more.
    if (out.hcc_count > 0) {
      const size_t n = static_cast<size_t>(std::min(out.hcc_count, 10));
      if (s.count_priced[n]) {
        out.count_priced = true;
        raw += s.count[n];
        if constexpr (kExplain) {
          ScoreTerm t;
          t.kind = ScoreTerm::Kind::kCount;
          t.variable = n == 10 ? "D10P" : fmt::format("D{}", n);
          t.coefficient = fmt::format("{}_{}", SegmentName(out.segment), t.variable);
          t.value = s.count[n];
          t.why = fmt::format("{} payment HCC{} after hierarchies", out.hcc_count,
                              out.hcc_count == 1 ? "" : "s");
          out.hccs.ForEach([&](int cc) { t.from_ccs.push_back(cc); });
          ex->terms.push_back(std::move(t));
        }
      }
    }
  }
  out.raw_score = raw;
  return out;
}

std::string CmsHccModel::VariableList(const MemberScore& s) const {
  std::string out;
  s.hccs.ForEach([&](int cc) { out += (out.empty() ? "" : "|") + CcName(cc); });
  for (size_t i = 0; i < interactions_.size(); ++i) {
    if ((s.interactions >> i) & 1) out += (out.empty() ? "" : "|") + interactions_[i].name;
  }
  if (s.count_priced && s.hcc_count > 0) {
    out += (out.empty() ? "" : "|") +
           (s.hcc_count >= 10 ? std::string("D10P") : fmt::format("D{}", s.hcc_count));
  }
  return out;
}

template MemberScore CmsHccModel::ScoreImpl<true>(const Demographics&, std::span<const int32_t>,
                                                  std::span<const std::string_view>,
                                                  MemberExplanation*) const;
template MemberScore CmsHccModel::ScoreImpl<false>(const Demographics&, std::span<const int32_t>,
                                                   std::span<const std::string_view>,
                                                   MemberExplanation*) const;

}  // namespace valuepact::risk
