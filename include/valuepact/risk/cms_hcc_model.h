#pragma once
// A CMS-HCC model (V22, V23, V24, V28) compiled from the reference tables into dense arrays:
// ICD-10 -> CC entries, age/sex edits per entry, hierarchy masks per CC, and coefficient
// vectors per segment. Scoring one member allocates nothing (ARCHITECTURE §3, "columnar and
// dense"); the explaining variant records every step so a person can re-derive the score.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/interner.h"
#include "valuepact/core/status.h"
#include "valuepact/refdata/cms_hcc_tables.h"

namespace valuepact::risk {

// CMS-HCC segments (the "elig" of the CMS software): community {non-dual, full-benefit dual,
// partial-benefit dual} x {aged, disabled}, long-term institutional, new enrollee, and the
// C-SNP new enrollee model.
enum class Segment : uint8_t { kCNA = 0, kCND, kCFA, kCFD, kCPA, kCPD, kINS, kNE, kSNPNE };
inline constexpr int kSegmentCount = 9;
const char* SegmentName(Segment s);
const char* SegmentLabel(Segment s);  // "Community, non-dual, aged"
Result<Segment> ParseSegment(std::string_view text);

enum class DualStatus : uint8_t { kNone = 0, kFull, kPartial };

// What the CMS software calls the member's demographic inputs.
struct Demographics {
  int age = 0;     // completed years on February 1 of the payment year
  char sex = 'F';  // 'M' or 'F'
  int orec = 0;    // original reason for entitlement: 0 old age, 1 disability, 2 ESRD, 3 both
  DualStatus dual = DualStatus::kNone;
  bool institutional = false;  // long-term institutional (90+ days) in the payment year
  bool new_enrollee = false;   // fewer than 12 months of Part B in the data year
  bool esrd = false;           // in ESRD status: scored with the ESRD model
  // Month counted from a kidney transplant (1 = the transplant month, 2-3 the months after it,
  // 4 on = functioning graft); none = no transplant. A member with a value is in ESRD status.
  std::optional<int> graft_months;
  std::optional<Segment> segment_override;
};

struct SegmentChoice {
  Segment segment = Segment::kCNA;
  bool disabled = false;             // CMS DISABL: age < 65 and OREC != 0
  bool originally_disabled = false;  // CMS ORIGDS: OREC = 1 and not DISABL
  bool overridden = false;
};
SegmentChoice ChooseSegment(const Demographics& d);
// One sentence: which segment and why (age, dual status, institutional, new enrollee).
std::string ExplainSegment(const Demographics& d, const SegmentChoice& c);

// A set of CC numbers (CMS CCs are below 512 in every model).
inline constexpr int kMaxCc = 512;
struct CcSet {
  std::array<uint64_t, kMaxCc / 64> w{};
  void Set(int cc) { w[static_cast<size_t>(cc) >> 6] |= uint64_t{1} << (cc & 63); }
  void Clear(int cc) { w[static_cast<size_t>(cc) >> 6] &= ~(uint64_t{1} << (cc & 63)); }
  bool Has(int cc) const { return (w[static_cast<size_t>(cc) >> 6] >> (cc & 63)) & 1; }
  bool Intersects(const CcSet& o) const {
    uint64_t x = 0;
    for (size_t i = 0; i < w.size(); ++i) x |= w[i] & o.w[i];
    return x != 0;
  }
  int Count() const;
  bool Empty() const;
  // Calls f(cc) for each member in increasing order.
  template <typename F>
  void ForEach(F&& f) const {
    for (size_t i = 0; i < w.size(); ++i) {
      uint64_t x = w[i];
      while (x != 0) {
        const int b = __builtin_ctzll(x);
        f(static_cast<int>(i * 64) + b);
        x &= x - 1;
      }
    }
  }
};

struct MemberScore {
  Segment segment = Segment::kCNA;
  double raw_score = 0;
  CcSet hccs;                 // payment HCCs after edits and hierarchies
  uint64_t interactions = 0;  // bit i: interaction i of the model is on and priced in the segment
  int hcc_count = 0;          // payment HCCs (the count variable is D<n>, D10P from 10)
  bool count_priced = false;  // the segment has a coefficient row for the count variable
  uint16_t dx_mapped = 0;     // diagnoses that yielded at least one CC
  uint16_t dx_unmapped = 0;   // well-formed codes that map to no CC of this model
  uint16_t dx_malformed = 0;  // codes that are not ICD-10-CM shaped
  uint16_t dx_edited = 0;     // diagnoses changed or dropped by an age/sex edit
};

// The interaction structure of a model from params/cms_hcc/ (docs/parameters.md): its disease
// groups, and its interaction variables whose terms are group indexes or -1 for the model's
// demographic indicator (`indicator`: DISABLED in CMS-HCC, NONAGED in the ESRD model).
struct DiseaseGroup {
  std::string name;
  std::string description;
  CcSet mask;
};
struct InteractionTerm {
  std::string name;
  std::array<int8_t, 3> terms{};
  int nterms = 0;
  std::string source;  // "params/cms_hcc/interactions.csv line N: citation"
};
struct InteractionStructure {
  std::vector<DiseaseGroup> groups;
  std::vector<InteractionTerm> interactions;
  std::vector<std::string> sources;
};
Result<InteractionStructure> LoadInteractionStructure(std::string_view model,
                                                      std::string_view indicator);

// Everything a person needs to re-derive one member's raw score.
struct DxStep {
  std::string code;
  enum class Kind : uint8_t { kMapped, kUnmapped, kMalformed, kEditedAway } kind = Kind::kUnmapped;
  std::vector<int> mapped_ccs;  // from the ICD-10 map
  std::vector<int> ccs;         // after age/sex edits
  std::string edit;             // the edit applied, with its source; empty when none
  std::string note;             // how a code missing from the map was mapped, when it was
};
struct ScoreTerm {
  std::string variable;     // "HCC85", "DIABETES_CHF", "D3", "F70_74", "LTIMCAID"
  std::string coefficient;  // table row name, e.g. "CNA_HCC85"; empty when not in the table
  double value = 0;
  enum class Kind : uint8_t { kDemographic, kHcc, kInteraction, kCount } kind;
  std::string why;            // "HCC85 from I5030, I509", "HCC85 x any of HCC17-19", ...
  std::vector<int> from_ccs;  // the payment HCCs that switched an interaction or count on
  std::string definition;     // interactions: the params row that defines the variable
};
struct HierarchyDrop {
  int cc = 0;
  int by = 0;  // the highest-ranked present CC that outranks it
};
struct MemberExplanation {
  SegmentChoice choice;
  std::string segment_reason;
  std::vector<DxStep> dx;
  std::vector<std::string> special_rules;  // e.g. the V28 heart-assist rule
  std::vector<HierarchyDrop> dropped;
  std::vector<ScoreTerm> terms;  // in summation order
};

class CmsHccModel {
 public:
  static constexpr int32_t kUnmapped = -1;
  static constexpr int32_t kMalformed = -2;

  static Result<CmsHccModel> Build(const CmsHccModelTables& tables);

  HccVersion version() const { return version_; }
  const CmsHccModelTables& tables() const { return tables_; }

  // Entry index of an ICD-10 code (any case, dots allowed), kUnmapped or kMalformed.
  int32_t FindDx(std::string_view icd10) const;

  // Scores one member from entry indexes (as returned by FindDx; negative values are counted
  // as unmapped/malformed). Duplicates are harmless. Allocates nothing.
  MemberScore Score(const Demographics& d, std::span<const int32_t> dx) const;
  // Scores from codes and, when `ex` is given, records every step.
  MemberScore ScoreCodes(const Demographics& d, std::span<const std::string_view> codes,
                         MemberExplanation* ex) const;

  // "HCC18|HCC85|DIABETES_CHF|D2": payment HCCs (numeric order), interactions, count variable.
  std::string VariableList(const MemberScore& s) const;
  const std::string& InteractionName(int i) const { return interactions_[i].name; }
  int interaction_count() const { return static_cast<int>(interactions_.size()); }
  const std::string& Label(int cc) const;
  bool IsChronic(int cc) const { return tables_.chronic.count(cc) != 0; }
  // The table file a kind of fact came from ("ra_dx_to_cc_2026.csv", ...).
  std::string SourceFile(std::string_view prefix) const;

 private:
  struct DxEntry {
    std::array<uint16_t, 2> cc{};
    uint8_t ncc = 0;
    uint8_t nedits = 0;
    uint32_t edit_begin = 0;
    // Not in the map itself: a code that ICD-10-CM later subdivided, priced through its
    // subdivisions (only when the map is newer than the payment year); the count of them.
    uint16_t subdivisions = 0;
  };
  struct EditRule {
    char sex;
    int16_t age_min, age_max;
    bool invalid;
    uint16_t cc;
    uint32_t source;  // index into tables_.dx_edits
  };
  struct Group {
    std::string name;
    std::string description;
    CcSet mask;
  };
  struct Interaction {
    std::string name;               // CMS variable name, e.g. "DIABETES_CHF"
    std::array<int8_t, 3> terms{};  // group index, or -1 for DISABLED
    int nterms = 0;
    std::string source;  // "params/cms_hcc/interactions.csv line N: citation"
  };
  struct SegmentCoefficients {
    std::array<double, kMaxCc> hcc{};
    CcSet hcc_priced;
    std::vector<double> interaction;
    std::vector<uint8_t> interaction_priced;
    std::array<double, 11> count{};
    std::array<uint8_t, 11> count_priced{};
    std::array<double, 2> orig_disabled{};  // [female, male]; community aged segments
    bool orig_disabled_priced = false;
    double ins_origds = 0;  // institutional ORIGDS
    bool ins_origds_priced = false;
    double ltimcaid = 0;
    bool ltimcaid_priced = false;
  };
  // Demographic cell per (segment, medicaid, originally disabled, sex, age 0..kMaxAge).
  static constexpr int kMaxAge = 120;
  struct Cell {
    double value = 0;
    int32_t name = -1;  // index into cell_names_
  };
  static size_t CellIndex(Segment s, bool mcaid, bool origdis, char sex, int age);
  // Disease groups and interactions of `v` from params/cms_hcc/ (docs/parameters.md).
  Status LoadStructure(HccVersion v);

  template <bool kExplain>
  MemberScore ScoreImpl(const Demographics& d, std::span<const int32_t> dx,
                        std::span<const std::string_view> codes, MemberExplanation* ex) const;

  HccVersion version_ = HccVersion::kV24;
  CmsHccModelTables tables_;
  StringInterner dx_codes_;
  std::vector<DxEntry> dx_;
  std::vector<EditRule> edits_;
  std::vector<CcSet> children_;  // by parent CC
  std::vector<Group> groups_;
  std::vector<Interaction> interactions_;
  std::vector<std::string> structure_sources_;  // the params rows the structure came from
  std::array<SegmentCoefficients, kSegmentCount> seg_;
  std::vector<Cell> cells_;
  std::vector<std::string> cell_names_;
  bool heart_assist_rule_ = false;
};

// Upper-cases, drops dots and blanks; returns false when the code is not ICD-10-CM shaped
// (a letter, a digit, then 1-5 letters or digits).
bool NormalizeIcd10(std::string_view in, std::string* out);

}  // namespace valuepact::risk
