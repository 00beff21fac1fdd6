// Type-checks definitions and lowers them to the flat column program of program_impl.h.
// Named definitions compile once each; identical operations share one register.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "valuepact/core/suggest.h"

#include "population/definition_ast.h"
#include "population/program_impl.h"

namespace valuepact::population {

const char* DomainNoun(Domain d) {
  switch (d) {
    case Domain::kMember:
      return "member";
    case Domain::kLine:
      return "claim line";
    case Domain::kReferral:
      return "referral";
    case Domain::kVisit:
      return "visit";
    case Domain::kEvent:
      return "event";
    case Domain::kProgramEnrollment:
      return "program enrollment";
  }
  return "member";
}

std::string Window::ToString() const {
  switch (kind) {
    case Kind::kNone:
      return "";
    case Kind::kEver:
      return "ever";
    case Kind::kDuringPeriod:
      return "during period";
    case Kind::kBefore:
    case Kind::kAfter: {
      const char* u = unit == Unit::kDays ? "days" : unit == Unit::kMonths ? "months" : "years";
      return fmt::format("within {} {} {}", amount, u, kind == Kind::kBefore ? "before" : "after");
    }
  }
  return "";
}

std::string DefinitionError::ToString() const {
  return fmt::format("definition '{}', line {}, column {}: {}", definition, pos.line, pos.column,
                     message);
}

Program::Program() : impl_(std::make_unique<Impl>()) {}
Program::~Program() = default;
Program::Program(const Program& o) : impl_(std::make_unique<Impl>(*o.impl_)) {}
Program& Program::operator=(const Program& o) {
  impl_ = std::make_unique<Impl>(*o.impl_);
  return *this;
}
Program::Program(Program&&) noexcept = default;
Program& Program::operator=(Program&&) noexcept = default;
const std::vector<OutputInfo>& Program::outputs() const { return impl_->outputs; }
size_t Program::instruction_count() const { return impl_->code.size(); }
const OutputInfo* Program::FindOutput(const std::string& name) const {
  for (const auto& o : impl_->outputs) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

std::string Program::Listing() const {
  std::string out;
  for (const auto& in : impl_->code) {
    out += fmt::format("r{} = {}\n", in.dest, in.text);
  }
  for (size_t i = 0; i < impl_->outputs.size(); ++i) {
    out += fmt::format("output {} = r{}\n", impl_->outputs[i].name, impl_->output_regs[i]);
  }
  return out;
}

namespace {

// " (did you mean 'x'?)" for the nearest candidate within a third of the word's length.
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    const size_t d = EditDistance(word, c);
    if (d < best_d || (d == best_d && c < best)) {
      best_d = d;
      best = c;
    }
  }
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  if (best.empty() || best_d > limit) return "";
  return fmt::format(" (did you mean '{}'?)", best);
}

std::string WithArticle(Domain d) {
  const std::string noun = DomainNoun(d);
  return (std::string_view("aeiou").find(noun[0]) != std::string_view::npos ? "an " : "a ") + noun;
}

enum class TermKind {
  kNumber,     // member number, no window: age, risk_score
  kBool,       // member bool, no window: dual
  kAttr,       // member attribute compared with strings: sex, payer
  kCodes,      // claim-line code column compared with code sets
  kEnum,       // row enum compared with listed names
  kText,       // row free text compared with strings
  kRowBool,    // row-level condition: dme
  kWindowed,   // member value that needs a window, no condition: enrolled, admissions
  kAggregate,  // member value over rows, optional condition, needs a window: claims(...)
};

struct TermDef {
  const char* name;
  TermKind kind;
  Domain domain;  // domain of the term's value (rows for kCodes/kEnum/kText/kRowBool)
  Op op;
  uint8_t field;
  bool is_bool;
  Domain filter_domain;                 // kAggregate
  std::vector<std::string_view> names;  // kEnum
  std::vector<CodeSystem> systems;      // kCodes
  const char* example;
};

std::vector<std::string_view> ServiceCategoryNames() {
  std::vector<std::string_view> v;
  v.reserve(kServiceCategoryCount);
  for (int i = 0; i < kServiceCategoryCount; ++i) {
    v.push_back(ServiceCategoryName(static_cast<ServiceCategory>(i)));
  }
  return v;
}

template <size_t N>
std::vector<std::string_view> Names(const std::array<std::string_view, N>& a) {
  return {a.begin(), a.end()};
}

const std::vector<TermDef>& Terms() {
  using D = Domain;
  using K = TermKind;
  static const std::vector<TermDef> terms = {
      {"age", K::kNumber, D::kMember, Op::kAge, 0, false, D::kMember, {}, {}, "age >= 65"},
      {"risk_score",
       K::kNumber,
       D::kMember,
       Op::kRiskScore,
       0,
       false,
       D::kMember,
       {},
       {},
       "risk_score >= 2.5"},
      {"dual", K::kBool, D::kMember, Op::kDual, 0, true, D::kMember, {}, {}, "dual"},
      {"sex",
       K::kAttr,
       D::kMember,
       Op::kMemberAttrIn,
       uint8_t(MemberAttr::kSex),
       true,
       D::kMember,
       {},
       {},
       "sex = \"F\""},
      {"dual_status",
       K::kAttr,
       D::kMember,
       Op::kMemberAttrIn,
       uint8_t(MemberAttr::kDualStatus),
       true,
       D::kMember,
       {},
       {},
       "dual_status in (\"02\", \"04\")"},
      {"medicare_status",
       K::kAttr,
       D::kMember,
       Op::kMemberAttrIn,
       uint8_t(MemberAttr::kMedicareStatus),
       true,
       D::kMember,
       {},
       {},
       "medicare_status = \"11\""},
      {"orec",
       K::kAttr,
       D::kMember,
       Op::kMemberAttrIn,
       uint8_t(MemberAttr::kOrec),
       true,
       D::kMember,
       {},
       {},
       "orec = \"1\""},
      {"payer",
       K::kAttr,
       D::kMember,
       Op::kMemberAttrIn,
       uint8_t(MemberAttr::kPayer),
       true,
       D::kMember,
       {},
       {},
       "payer = \"medicare\""},
      {"plan",
       K::kAttr,
       D::kMember,
       Op::kMemberAttrIn,
       uint8_t(MemberAttr::kPlan),
       true,
       D::kMember,
       {},
       {},
       "plan = \"gold\""},
      {"enrolled",
       K::kWindowed,
       D::kMember,
       Op::kEnrolled,
       0,
       true,
       D::kMember,
       {},
       {},
       "enrolled within 12 months before"},
      {"enrolled_days",
       K::kWindowed,
       D::kMember,
       Op::kEnrolledDays,
       0,
       false,
       D::kMember,
       {},
       {},
       "enrolled_days within 12 months before >= 335"},
      {"died",
       K::kWindowed,
       D::kMember,
       Op::kDied,
       0,
       true,
       D::kMember,
       {},
       {},
       "died within 12 months after"},
      {"admissions",
       K::kWindowed,
       D::kMember,
       Op::kAdmissions,
       0,
       false,
       D::kMember,
       {},
       {},
       "admissions within 12 months before >= 2"},
      {"ed_visits",
       K::kWindowed,
       D::kMember,
       Op::kEdVisits,
       0,
       false,
       D::kMember,
       {},
       {},
       "ed_visits within 6 months before >= 2"},
      {"bed_days",
       K::kWindowed,
       D::kMember,
       Op::kBedDays,
       0,
       false,
       D::kMember,
       {},
       {},
       "bed_days within 12 months before > 10"},
      {"claims",
       K::kAggregate,
       D::kMember,
       Op::kAggregate,
       uint8_t(Measure::kClaims),
       false,
       D::kLine,
       {},
       {},
       "claims(diagnosis in heart_failure) within 12 months before >= 2"},
      {"cost",
       K::kAggregate,
       D::kMember,
       Op::kAggregate,
       uint8_t(Measure::kPaid),
       false,
       D::kLine,
       {},
       {},
       "cost within 12 months before > 50000"},
      {"allowed",
       K::kAggregate,
       D::kMember,
       Op::kAggregate,
       uint8_t(Measure::kAllowed),
       false,
       D::kLine,
       {},
       {},
       "allowed within 12 months before > 50000"},
      {"referrals",
       K::kAggregate,
       D::kMember,
       Op::kAggregate,
       uint8_t(Measure::kRows),
       false,
       D::kReferral,
       {},
       {},
       "referrals(outcome = \"declined\") within 6 months before >= 1"},
      {"referred",
       K::kAggregate,
       D::kMember,
       Op::kExists,
       0,
       true,
       D::kReferral,
       {},
       {},
       "referred within 12 months before"},
      {"visits",
       K::kAggregate,
       D::kMember,
       Op::kAggregate,
       uint8_t(Measure::kRows),
       false,
       D::kVisit,
       {},
       {},
       "visits(discipline = \"rn\") during period >= 4"},
      {"visit_minutes",
       K::kAggregate,
       D::kMember,
       Op::kAggregate,
       uint8_t(Measure::kMinutes),
       false,
       D::kVisit,
       {},
       {},
       "visit_minutes during period >= 120"},
      {"events",
       K::kAggregate,
       D::kMember,
       Op::kAggregate,
       uint8_t(Measure::kRows),
       false,
       D::kEvent,
       {},
       {},
       "events(event = \"acp_discussion\") during period >= 1"},
      {"program_enrolled",
       K::kAggregate,
       D::kMember,
       Op::kExists,
       0,
       true,
       D::kProgramEnrollment,
       {},
       {},
       "program_enrolled within 3 months before"},
      {"hospice_election",
       K::kWindowed,
       D::kMember,
       Op::kExists,
       0,
       true,
       D::kEvent,
       {},
       {},
       "hospice_election within 12 months before"},
      {"diagnosis",
       K::kCodes,
       D::kLine,
       Op::kLineCodeIn,
       uint8_t(LineColumn::kDiagnosisAny),
       true,
       D::kLine,
       {},
       {CodeSystem::kIcd10Cm},
       "diagnosis in heart_failure"},
      {"primary_diagnosis",
       K::kCodes,
       D::kLine,
       Op::kLineCodeIn,
       uint8_t(LineColumn::kDiagnosisPrimary),
       true,
       D::kLine,
       {},
       {CodeSystem::kIcd10Cm},
       "primary_diagnosis in copd"},
      {"procedure",
       K::kCodes,
       D::kLine,
       Op::kLineCodeIn,
       uint8_t(LineColumn::kProcedure),
       true,
       D::kLine,
       {},
       {CodeSystem::kHcpcs, CodeSystem::kIcd10Pcs},
       "procedure in dialysis"},
      {"drg",
       K::kCodes,
       D::kLine,
       Op::kLineCodeIn,
       uint8_t(LineColumn::kDrg),
       true,
       D::kLine,
       {},
       {CodeSystem::kMsDrg},
       "drg in (\"291\", \"292\", \"293\")"},
      {"place_of_service",
       K::kCodes,
       D::kLine,
       Op::kLineCodeIn,
       uint8_t(LineColumn::kPlaceOfService),
       true,
       D::kLine,
       {},
       {CodeSystem::kPlaceOfService},
       "place_of_service in (\"31\", \"32\")"},
      {"revenue_code",
       K::kCodes,
       D::kLine,
       Op::kLineCodeIn,
       uint8_t(LineColumn::kRevenueCode),
       true,
       D::kLine,
       {},
       {CodeSystem::kRevenueCode},
       "revenue_code in (\"0450\")"},
      {"bill_type",
       K::kCodes,
       D::kLine,
       Op::kLineCodeIn,
       uint8_t(LineColumn::kBillType),
       true,
       D::kLine,
       {},
       {CodeSystem::kBillType},
       "bill_type in (\"81*\")"},
      {"service_category",
       K::kEnum,
       D::kLine,
       Op::kLineCategoryIn,
       0,
       true,
       D::kLine,
       ServiceCategoryNames(),
       {},
       "service_category = \"acute_inpatient\""},
      {"claim_type",
       K::kEnum,
       D::kLine,
       Op::kLineClaimTypeIn,
       0,
       true,
       D::kLine,
       {"unknown", "institutional", "professional", "dme"},
       {},
       "claim_type = \"institutional\""},
      {"dme",
       K::kRowBool,
       D::kLine,
       Op::kLineCategoryIn,
       0,
       true,
       D::kLine,
       {},
       {},
       "dme within 12 months before"},
      {"outcome",
       K::kEnum,
       D::kReferral,
       Op::kRowEnumIn,
       uint8_t(RowField::kReferralOutcome),
       true,
       D::kReferral,
       Names(kReferralOutcomeNames),
       {},
       "outcome = \"declined\""},
      {"source",
       K::kText,
       D::kReferral,
       Op::kRowTextIn,
       uint8_t(RowField::kReferralSource),
       true,
       D::kReferral,
       {},
       {},
       "source = \"health_plan\""},
      {"reason",
       K::kText,
       D::kReferral,
       Op::kRowTextIn,
       uint8_t(RowField::kReferralReason),
       true,
       D::kReferral,
       {},
       {},
       "reason = \"heart failure\""},
      {"discipline",
       K::kEnum,
       D::kVisit,
       Op::kRowEnumIn,
       uint8_t(RowField::kVisitDiscipline),
       true,
       D::kVisit,
       Names(kDisciplineNames),
       {},
       "discipline = \"rn\""},
      {"modality",
       K::kEnum,
       D::kVisit,
       Op::kRowEnumIn,
       uint8_t(RowField::kVisitModality),
       true,
       D::kVisit,
       Names(kModalityNames),
       {},
       "modality = \"in_person\""},
      {"event",
       K::kEnum,
       D::kEvent,
       Op::kRowEnumIn,
       uint8_t(RowField::kEventType),
       true,
       D::kEvent,
       Names(kProgramEventNames),
       {},
       "event = \"acp_discussion\""},
      {"location",
       K::kText,
       D::kEvent,
       Op::kRowTextIn,
       uint8_t(RowField::kEventLocation),
       true,
       D::kEvent,
       {},
       {},
       "location = \"home\""},
      {"preferred_location",
       K::kText,
       D::kEvent,
       Op::kRowTextIn,
       uint8_t(RowField::kEventPreferredLocation),
       true,
       D::kEvent,
       {},
       {},
       "preferred_location = \"home\""},
      {"setting",
       K::kEnum,
       D::kProgramEnrollment,
       Op::kRowEnumIn,
       uint8_t(RowField::kEnrollmentSetting),
       true,
       D::kProgramEnrollment,
       Names(kCareSettingNames),
       {},
       "setting = \"home\""},
      {"end_reason",
       K::kText,
       D::kProgramEnrollment,
       Op::kRowTextIn,
       uint8_t(RowField::kEnrollmentEndReason),
       true,
       D::kProgramEnrollment,
       {},
       {},
       "end_reason = \"died\""},
  };
  return terms;
}

const TermDef* FindTerm(std::string_view name) {
  for (const auto& t : Terms()) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

// A compiled value: a register, or something that must still be compared (an attribute, a
// literal).
struct Val {
  enum class Kind { kReg, kAttr, kNumberLit, kStringLit, kBoolLit } kind = Kind::kReg;
  Domain domain = Domain::kMember;
  bool is_bool = true;
  int reg = -1;
  const TermDef* term = nullptr;
  double number = 0;
  std::string str;
  SourcePos pos;
};

struct WindowScope {
  const Window* window = nullptr;
  bool used = false;
};

class Compiler {
 public:
  Compiler(const std::map<std::string, std::string>& defs, const ValueSetLibrary& vs,
           Program::Impl* out)
      : defs_(defs), vs_(vs), out_(out) {}

  DefinitionError error;

  // Compiles a named definition (cached). nullopt on error.
  std::optional<Val> CompileNamed(const std::string& name, SourcePos use_pos) {
    if (auto it = done_.find(name); it != done_.end()) return it->second;
    if (std::find(stack_.begin(), stack_.end(), name) != stack_.end()) {
      std::string chain;
      for (auto it = std::find(stack_.begin(), stack_.end(), name); it != stack_.end(); ++it) {
        chain += *it + " -> ";
      }
      chain += name;
      return Err(use_pos, fmt::format("definition '{}' refers to itself ({})", name, chain));
    }
    // A chain of definitions referring to each other is bounded, so that a hostile contract
    // (thousands of chained definitions) is an error instead of a stack overflow.
    constexpr size_t kMaxReferenceDepth = 64;
    if (stack_.size() >= kMaxReferenceDepth) {
      return Err(use_pos, fmt::format("definitions refer to each other more than {} deep (through "
                                      "'{}'); flatten the chain",
                                      kMaxReferenceDepth, name));
    }
    const std::string& text = defs_.at(name);
    stack_.push_back(name);
    const std::string saved_current = current_;
    current_ = name;
    std::optional<Val> v = CompileText(text);
    current_ = saved_current;
    stack_.pop_back();
    if (!v) return std::nullopt;
    done_[name] = *v;
    return v;
  }

  std::optional<Val> CompileText(const std::string& text) {
    DefinitionError perr;
    auto ast = ParseDefinition(text, &perr);
    if (!ast) {
      error = perr;
      error.definition = current_;
      return std::nullopt;
    }
    auto v = Compile(*ast, nullptr);
    if (!v) return std::nullopt;
    return Materialize(*v);
  }

  void set_current(const std::string& name) { current_ = name; }
  // Named definitions each definition (or root) refers to directly, first use first.
  std::map<std::string, std::vector<std::string>> direct_refs;

  // Every definition `name` uses, directly or through others, depth first in order of use.
  std::vector<std::string> Closure(const std::string& name) {
    std::vector<std::string> out;
    std::function<void(const std::string&)> visit = [&](const std::string& n) {
      for (const auto& r : direct_refs[n]) {
        if (std::find(out.begin(), out.end(), r) != out.end()) continue;
        out.push_back(r);
        visit(r);
      }
    };
    visit(name);
    return out;
  }

 private:
  std::optional<Val> Err(SourcePos pos, std::string message) {
    error.definition = current_;
    error.pos = pos;
    error.message = std::move(message);
    return std::nullopt;
  }

  int Emit(Instr in) {
    // Identical operations (same text, same operands) share a register.
    const std::string key =
        fmt::format("{}|{}|{}", static_cast<int>(in.domain), in.is_bool, in.text);
    if (auto it = dedupe_.find(key); it != dedupe_.end()) return it->second;
    in.dest = out_->register_count++;
    dedupe_[key] = in.dest;
    out_->code.push_back(std::move(in));
    return out_->code.back().dest;
  }

  static std::string RegText(int r) { return fmt::format("r{}", r); }

  std::string Describe(const Val& v) {
    switch (v.kind) {
      case Val::Kind::kNumberLit:
        return fmt::format("the number {}", v.str);
      case Val::Kind::kStringLit:
        return fmt::format("the string \"{}\"", v.str);
      case Val::Kind::kBoolLit:
        return v.number != 0 ? "true" : "false";
      case Val::Kind::kAttr:
        return fmt::format("'{}'", v.term->name);
      case Val::Kind::kReg:
        return fmt::format("{} {}", WithArticle(v.domain), v.is_bool ? "condition" : "number");
    }
    return "a value";
  }

  // Turns literals and attributes into registers where a condition or number is needed.
  std::optional<Val> Materialize(Val v) {
    switch (v.kind) {
      case Val::Kind::kReg:
        return v;
      case Val::Kind::kBoolLit: {
        Instr in;
        in.op = Op::kConst;
        in.domain = Domain::kMember;
        in.is_bool = true;
        in.number = v.number;
        in.text = v.number != 0 ? "true" : "false";
        v.reg = Emit(std::move(in));
        v.kind = Val::Kind::kReg;
        v.is_bool = true;
        return v;
      }
      case Val::Kind::kNumberLit:
        return Err(v.pos, fmt::format("expected a condition, found {}; compare it, as in "
                                      "'age >= {}'",
                                      Describe(v), v.str));
      case Val::Kind::kStringLit:
        return Err(v.pos, fmt::format("expected a condition, found {}", Describe(v)));
      case Val::Kind::kAttr:
        return Err(v.pos, fmt::format("'{}' must be compared with a value, as in '{}'",
                                      v.term->name, v.term->example));
    }
    return std::nullopt;
  }

  std::optional<Val> NeedBool(std::optional<Val> v, std::string_view what) {
    if (!v) return v;
    auto m = Materialize(*v);
    if (!m) return m;
    if (!m->is_bool) {
      return Err(v->pos, fmt::format("type error: {} needs a condition (true or false), but this "
                                     "is {}; compare it, as in '... >= 2'",
                                     what, Describe(*m)));
    }
    return m;
  }

  const Window* PickWindow(const Node& n, WindowScope* scope, const TermDef& t) {
    if (n.window.kind != Window::Kind::kNone) return &n.window;
    if (scope != nullptr && scope->window != nullptr) {
      scope->used = true;
      return scope->window;
    }
    Err(n.pos, fmt::format("bad window: '{}' needs a window, as in '{}'", t.name, t.example));
    return nullptr;
  }

  // Lifts a row-level condition to members: "some row dated in the window satisfies it".
  Val Lift(const Val& row, const Window& w) {
    Instr in;
    in.op = Op::kExists;
    in.domain = Domain::kMember;
    in.is_bool = true;
    in.a = row.reg;
    in.row_domain = row.domain;
    in.window = w;
    in.text = fmt::format("any {} where r{} {}", DomainNoun(row.domain), row.reg, w.ToString());
    Val v;
    v.reg = Emit(std::move(in));
    v.pos = row.pos;
    return v;
  }

  std::optional<Val> CompileName(const Node& n, WindowScope* scope) {
    if (const TermDef* t = FindTerm(n.text)) return CompileTerm(n, *t, scope);
    if (defs_.count(n.text)) {
      if (n.has_filter) {
        return Err(n.pos, fmt::format("'{}' is a definition and takes no condition in "
                                      "parentheses",
                                      n.text));
      }
      auto& direct = direct_refs[current_];
      if (std::find(direct.begin(), direct.end(), n.text) == direct.end()) {
        direct.push_back(n.text);
      }
      auto v = CompileNamed(n.text, n.pos);
      if (!v) return v;
      Val r = *v;
      r.pos = n.pos;
      if (n.window.kind != Window::Kind::kNone) {
        if (r.domain == Domain::kMember) {
          return Err(n.window.pos, fmt::format("bad window: '{}' is a member-level definition; "
                                               "a window applies only to claim-line or "
                                               "program-data conditions",
                                               n.text));
        }
        if (!r.is_bool) {
          return Err(n.window.pos, "bad window: a window applies to a condition");
        }
        return Lift(r, n.window);
      }
      return r;
    }
    if (vs_.Find(n.text) != nullptr) {
      return Err(n.pos, fmt::format("'{}' is a value set; use it after 'in', as in 'diagnosis "
                                    "in {}'",
                                    n.text, n.text));
    }
    std::vector<std::string> candidates;
    for (const auto& t : Terms()) candidates.push_back(t.name);
    for (const auto& [k, v] : defs_) candidates.push_back(k);
    for (const auto& k : vs_.Names()) candidates.push_back(k);
    for (const char* kw : {"and", "or", "not", "in", "within", "during", "ever"}) {
      candidates.push_back(kw);
    }
    return Err(n.pos, fmt::format("unknown name '{}'{}", n.text, Suggest(n.text, candidates)));
  }

  std::optional<Val> CompileTerm(const Node& n, const TermDef& t, WindowScope* scope) {
    if (n.has_filter && t.kind != TermKind::kAggregate) {
      return Err(n.pos, fmt::format("'{}' takes no condition in parentheses; write '{}'", t.name,
                                    t.example));
    }
    const bool windowed = t.kind == TermKind::kWindowed || t.kind == TermKind::kAggregate;
    if (!windowed && n.window.kind != Window::Kind::kNone && t.kind != TermKind::kRowBool) {
      return Err(n.window.pos, fmt::format("bad window: '{}' does not take a window", t.name));
    }
    Val v;
    v.pos = n.pos;
    v.domain = t.domain;
    switch (t.kind) {
      case TermKind::kNumber:
      case TermKind::kBool: {
        Instr in;
        in.op = t.op;
        in.is_bool = t.is_bool;
        in.text = t.name;
        v.reg = Emit(std::move(in));
        v.is_bool = t.is_bool;
        return v;
      }
      case TermKind::kAttr:
      case TermKind::kCodes:
      case TermKind::kEnum:
      case TermKind::kText:
        v.kind = Val::Kind::kAttr;
        v.term = &t;
        return v;
      case TermKind::kRowBool: {
        Instr in;
        in.op = Op::kLineCategoryIn;
        in.domain = Domain::kLine;
        in.mask = uint64_t{1} << static_cast<int>(ServiceCategory::kDme);
        in.text = "service_category in (dme)";
        v.reg = Emit(std::move(in));
        v.is_bool = true;
        if (n.window.kind != Window::Kind::kNone) return Lift(v, n.window);
        return v;
      }
      case TermKind::kWindowed:
      case TermKind::kAggregate: {
        const Window* w = PickWindow(n, scope, t);
        if (w == nullptr) return std::nullopt;
        Instr in;
        in.op = t.op;
        in.is_bool = t.is_bool;
        in.field = t.field;
        in.row_domain = t.filter_domain;
        in.window = *w;
        std::string filter_text;
        if (n.has_filter) {
          auto f = NeedBool(Compile(*n.children[0], nullptr),
                            fmt::format("the condition inside '{}(...)'", t.name));
          if (!f) return f;
          if (f->domain != t.filter_domain) {
            return Err(n.children[0]->pos,
                       fmt::format("type error: the condition inside '{}(...)' must be about "
                                   "{}s, but it is about {}s",
                                   t.name, DomainNoun(t.filter_domain), DomainNoun(f->domain)));
          }
          in.a = f->reg;
          filter_text = fmt::format("(r{})", f->reg);
        } else if (t.op == Op::kAggregate && t.filter_domain == Domain::kLine &&
                   (in.field == uint8_t(Measure::kPaid) ||
                    in.field == uint8_t(Measure::kAllowed))) {
          // Cost without a condition is total cost: medical and pharmacy.
          in.field = in.field == uint8_t(Measure::kPaid) ? uint8_t(Measure::kPaidAll)
                                                         : uint8_t(Measure::kAllowedAll);
        }
        if (std::string_view(t.name) == "hospice_election") {
          Instr f;
          f.op = Op::kRowEnumIn;
          f.domain = Domain::kEvent;
          f.field = uint8_t(RowField::kEventType);
          f.mask = uint64_t{1} << static_cast<int>(ProgramEvent::kHospiceElection);
          f.text = "event in (hospice_election)";
          in.a = Emit(std::move(f));
          filter_text = fmt::format("(r{})", in.a);
        }
        in.text = fmt::format("{}{} {}", t.name, filter_text, w->ToString());
        v.reg = Emit(std::move(in));
        v.is_bool = t.is_bool;
        return v;
      }
    }
    return std::nullopt;
  }

  // `lhs in set` / `lhs = "x"` for attributes; `negate` for '!='.
  std::optional<Val> CompileMembership(const Val& lhs, const Node& n, bool negate,
                                       const std::vector<std::string>& items, bool inline_list,
                                       const std::string& set_name, SourcePos set_pos) {
    const TermDef& t = *lhs.term;
    Instr in;
    in.op = t.op;
    in.domain = t.domain;
    in.is_bool = true;
    in.field = t.field;
    std::string shown;
    switch (t.kind) {
      case TermKind::kCodes: {
        CodeMatcher m;
        if (t.field == uint8_t(LineColumn::kDrg) ||
            t.field == uint8_t(LineColumn::kPlaceOfService)) {
          m.set_ignore_leading_zeros(true);
        }
        if (inline_list) {
          for (const auto& s : items) {
            std::string_view raw = s;
            const bool prefix = !raw.empty() && raw.back() == '*';
            if (prefix) raw.remove_suffix(1);
            std::string code = NormalizeCode(raw);
            if (code.empty() || code.find('*') != std::string::npos) {
              return Err(set_pos, fmt::format("bad code \"{}\": expected a code, or a prefix "
                                              "ending in '*' such as \"I50*\"",
                                              s));
            }
            prefix ? m.AddPrefix(code) : m.AddExact(code);
          }
          shown = m.Describe();
        } else {
          const ValueSet* vs = vs_.Find(set_name);
          if (vs == nullptr) {
            std::vector<std::string> names = vs_.Names();
            for (const auto& [k, v] : defs_) names.push_back(k);
            return Err(set_pos,
                       fmt::format("unknown value set '{}'{}", set_name, Suggest(set_name, names)));
          }
          for (const auto& c : vs->codes) {
            if (std::find(t.systems.begin(), t.systems.end(), c.system) == t.systems.end()) {
              continue;
            }
            c.prefix ? m.AddPrefix(c.code) : m.AddExact(c.code);
          }
          if (m.empty()) {
            std::string systems;
            for (CodeSystem s : t.systems) {
              systems += (systems.empty() ? "" : " or ") + std::string(CodeSystemName(s));
            }
            return Err(set_pos, fmt::format("type error: value set '{}' has no {} codes, which "
                                            "'{}' needs",
                                            set_name, systems, t.name));
          }
          shown = set_name;
        }
        in.matcher = static_cast<int>(out_->matchers.size());
        out_->matchers.push_back(std::move(m));
        // The matcher index is part of the text only through the set's name or codes.
        in.text = fmt::format("{} in ({})", t.name, shown);
        break;
      }
      case TermKind::kEnum: {
        if (!inline_list) {
          return Err(set_pos, fmt::format("'{}' takes a list of names such as (\"{}\"), not a "
                                          "value set",
                                          t.name, t.names.front()));
        }
        for (const auto& s : items) {
          auto it = std::find(t.names.begin(), t.names.end(), s);
          if (it == t.names.end()) {
            std::vector<std::string> names(t.names.begin(), t.names.end());
            std::string all;
            for (auto nm : t.names) all += (all.empty() ? "" : ", ") + std::string(nm);
            std::string sug = Suggest(s, names);
            return Err(set_pos, fmt::format("unknown {} \"{}\"{}; expected one of: {}", t.name, s,
                                            sug, all));
          }
          in.mask |= uint64_t{1} << (it - t.names.begin());
        }
        for (size_t i = 0; i < t.names.size(); ++i) {
          if (in.mask >> i & 1) shown += (shown.empty() ? "" : ", ") + std::string(t.names[i]);
        }
        in.text = fmt::format("{} in ({})", t.name, shown);
        break;
      }
      case TermKind::kAttr:
      case TermKind::kText: {
        if (!inline_list) {
          return Err(set_pos, fmt::format("'{}' takes a list of quoted values such as (\"x\"), "
                                          "not a value set",
                                          t.name));
        }
        for (const auto& s : items) {
          std::string v = s;
          if (t.kind == TermKind::kText || t.field == uint8_t(MemberAttr::kPayer)) {
            for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          }
          if (t.kind == TermKind::kAttr && t.field == uint8_t(MemberAttr::kSex)) {
            std::string l = v;
            for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (l == "f" || l == "female") {
              v = "F";
            } else if (l == "m" || l == "male") {
              v = "M";
            } else if (l == "u" || l == "unknown") {
              v = "U";
            } else {
              return Err(set_pos, fmt::format("unknown sex \"{}\"; expected \"F\", \"M\" or "
                                              "\"U\"",
                                              s));
            }
          }
          in.strings.push_back(v);
        }
        std::sort(in.strings.begin(), in.strings.end());
        in.strings.erase(std::unique(in.strings.begin(), in.strings.end()), in.strings.end());
        for (const auto& s : in.strings) shown += (shown.empty() ? "\"" : ", \"") + s + "\"";
        in.text = fmt::format("{} in ({})", t.name, shown);
        break;
      }
      default:
        return Err(n.pos, "internal: not an attribute");
    }
    Val v;
    v.pos = lhs.pos;
    v.domain = t.domain;
    v.reg = Emit(std::move(in));
    if (negate) v = Not(v);
    return v;
  }

  Val Not(const Val& a) {
    Instr in;
    in.op = Op::kNot;
    in.domain = a.domain;
    in.a = a.reg;
    in.text = fmt::format("not r{}", a.reg);
    Val v = a;
    v.reg = Emit(std::move(in));
    return v;
  }

  std::optional<Val> CompileCompare(const Node& n, WindowScope* scope) {
    auto l = Compile(*n.children[0], scope);
    if (!l) return l;
    auto r = Compile(*n.children[1], scope);
    if (!r) return r;
    // Attribute = "value" is membership in a one-element list.
    if (l->kind == Val::Kind::kAttr || r->kind == Val::Kind::kAttr) {
      const Val& attr = l->kind == Val::Kind::kAttr ? *l : *r;
      const Val& other = l->kind == Val::Kind::kAttr ? *r : *l;
      if (other.kind != Val::Kind::kStringLit) {
        return Err(n.pos, fmt::format("type error: '{}' is compared with quoted text, as in "
                                      "'{}', not with {}",
                                      attr.term->name, attr.term->example, Describe(other)));
      }
      if (n.op != CompareOp::kEq && n.op != CompareOp::kNe) {
        return Err(n.pos, fmt::format("type error: '{}' can only be compared with '=' or '!=', "
                                      "not '{}'",
                                      attr.term->name, CompareOpText(n.op)));
      }
      return CompileMembership(attr, n, n.op == CompareOp::kNe, {other.str}, true, "", other.pos);
    }
    auto is_number = [](const Val& v) {
      return v.kind == Val::Kind::kNumberLit || (v.kind == Val::Kind::kReg && !v.is_bool);
    };
    for (const Val* v : {&*l, &*r}) {
      if (!is_number(*v)) {
        return Err(v->pos, fmt::format("type error: '{}' compares numbers, but this is {}",
                                       CompareOpText(n.op), Describe(*v)));
      }
    }
    if (l->kind == Val::Kind::kNumberLit && r->kind == Val::Kind::kNumberLit) {
      return Err(n.pos, "type error: comparing two numbers is always true or always false");
    }
    if (l->kind == Val::Kind::kReg && r->kind == Val::Kind::kReg && l->domain != r->domain) {
      return Err(n.pos, "type error: cannot compare numbers about different things");
    }
    Instr in;
    in.op = Op::kCompare;
    in.is_bool = true;
    in.cmp = n.op;
    Val lv = *l, rv = *r;
    if (lv.kind == Val::Kind::kNumberLit) {
      // 65 <= age  is  age >= 65
      std::swap(lv, rv);
      switch (in.cmp) {
        case CompareOp::kLt:
          in.cmp = CompareOp::kGt;
          break;
        case CompareOp::kLe:
          in.cmp = CompareOp::kGe;
          break;
        case CompareOp::kGt:
          in.cmp = CompareOp::kLt;
          break;
        case CompareOp::kGe:
          in.cmp = CompareOp::kLe;
          break;
        default:
          break;
      }
    }
    in.domain = lv.domain;
    in.a = lv.reg;
    if (rv.kind == Val::Kind::kNumberLit) {
      in.number = rv.number;
      in.text = fmt::format("r{} {} {}", lv.reg, CompareOpText(in.cmp), rv.str);
    } else {
      in.b = rv.reg;
      in.text = fmt::format("r{} {} r{}", lv.reg, CompareOpText(in.cmp), rv.reg);
    }
    Val v;
    v.pos = l->pos;
    v.domain = lv.domain;
    v.reg = Emit(std::move(in));
    return v;
  }

  std::optional<Val> Compile(const Node& n, WindowScope* scope) {
    switch (n.kind) {
      case NodeKind::kNumber: {
        Val v;
        v.kind = Val::Kind::kNumberLit;
        v.number = n.number;
        v.str = n.text;
        v.pos = n.pos;
        return v;
      }
      case NodeKind::kString: {
        Val v;
        v.kind = Val::Kind::kStringLit;
        v.str = n.text;
        v.pos = n.pos;
        return v;
      }
      case NodeKind::kTrue:
      case NodeKind::kFalse: {
        Val v;
        v.kind = Val::Kind::kBoolLit;
        v.number = n.kind == NodeKind::kTrue ? 1 : 0;
        v.pos = n.pos;
        return v;
      }
      case NodeKind::kName:
        return CompileName(n, scope);
      case NodeKind::kNot: {
        auto a = NeedBool(Compile(*n.children[0], scope), "'not'");
        if (!a) return a;
        return Not(*a);
      }
      case NodeKind::kAnd:
      case NodeKind::kOr: {
        const bool is_and = n.kind == NodeKind::kAnd;
        std::optional<Val> acc;
        for (const auto& c : n.children) {
          auto v = NeedBool(Compile(*c, scope), is_and ? "'and'" : "'or'");
          if (!v) return v;
          if (acc && acc->domain != v->domain) {
            return Err(
                v->pos,
                fmt::format("type error: cannot combine {} condition with {} "
                            "condition; give the {} condition a window (as in 'within "
                            "12 months before') to make it about members",
                            WithArticle(acc->domain), WithArticle(v->domain),
                            DomainNoun(acc->domain == Domain::kMember ? v->domain : acc->domain)));
          }
          if (!acc) {
            acc = v;
            continue;
          }
          Instr in;
          in.op = is_and ? Op::kAnd : Op::kOr;
          in.domain = v->domain;
          in.a = acc->reg;
          in.b = v->reg;
          in.text = fmt::format("r{} {} r{}", acc->reg, is_and ? "and" : "or", v->reg);
          acc->reg = Emit(std::move(in));
        }
        return acc;
      }
      case NodeKind::kCompare:
        return CompileCompare(n, scope);
      case NodeKind::kIn: {
        auto l = Compile(*n.children[0], scope);
        if (!l) return l;
        if (l->kind != Val::Kind::kAttr) {
          return Err(n.pos, fmt::format("type error: 'in' needs a code or attribute on the left, "
                                        "such as 'diagnosis', but found {}",
                                        Describe(*l)));
        }
        return CompileMembership(*l, n, false, n.list, n.inline_list, n.text, n.set_pos);
      }
      case NodeKind::kWindowed: {
        WindowScope inner;
        inner.window = &n.window;
        auto v = Compile(*n.children[0], &inner);
        if (!v) return v;
        if (v->kind == Val::Kind::kReg && v->domain != Domain::kMember) {
          if (!v->is_bool) return Err(n.pos, "bad window: a window applies to a condition");
          return Lift(*v, n.window);
        }
        if (!inner.used) {
          return Err(n.window.pos,
                     "bad window: this window has nothing to apply to; windows "
                     "apply to claim-line and program-data conditions and to "
                     "counts such as 'admissions'");
        }
        return v;
      }
    }
    return std::nullopt;
  }

  const std::map<std::string, std::string>& defs_;
  const ValueSetLibrary& vs_;
  Program::Impl* out_;
  std::map<std::string, Val> done_;
  std::vector<std::string> stack_;
  std::string current_;
  std::map<std::string, int> dedupe_;
};

bool IsIdentifierName(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

// The error as a status, and in *out when given.
Status Fail(const DefinitionError& e, DefinitionError* out) {
  if (out != nullptr) *out = e;
  return InvalidInput(e.ToString());
}

// A definition's name must be an identifier, no built-in term and no value set.
std::optional<DefinitionError> BadName(const std::map<std::string, std::string>& definitions,
                                       const ValueSetLibrary& value_sets) {
  for (const auto& [name, text] : definitions) {
    if (!IsIdentifierName(name) || FindTerm(name) != nullptr) {
      DefinitionError e;
      e.definition = name;
      e.message = FindTerm(name) != nullptr
                      ? fmt::format("'{}' is a built-in term and cannot be redefined", name)
                      : "a definition's name must be letters, digits and '_'";
      return e;
    }
    if (value_sets.Find(name) != nullptr) {
      DefinitionError e;
      e.definition = name;
      e.message = fmt::format("'{}' is both a definition and a value set; rename one", name);
      return e;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Program> CompileLineCondition(const std::map<std::string, std::string>& definitions,
                                     const NamedExpression& root, const ValueSetLibrary& value_sets,
                                     DefinitionError* error) {
  Program program;
  Program::Impl* impl = &program.mutable_impl();
  auto fail = [&](const DefinitionError& e) { return Fail(e, error); };
  if (auto bad = BadName(definitions, value_sets)) return fail(*bad);
  Compiler c(definitions, value_sets, impl);
  c.set_current(root.name);
  c.direct_refs[root.name].clear();
  std::optional<Val> v = c.CompileText(root.text);
  if (!v) return fail(c.error);
  if (v->domain != Domain::kLine || !v->is_bool) {
    DefinitionError e;
    e.definition = root.name;
    e.message = fmt::format(
        "type error: expected a claim line condition (as in 'drg in (\"291\", \"292\")' or "
        "'place_of_service = \"12\"'), found a {} {}",
        DomainNoun(v->domain), v->is_bool ? "condition" : "number");
    return fail(e);
  }
  OutputInfo o;
  o.name = root.name;
  o.criteria = c.Closure(root.name);
  o.text = root.text;
  o.per_line = true;
  impl->outputs.push_back(std::move(o));
  impl->output_regs.push_back(v->reg);
  return program;
}

Result<Program> Compile(const std::map<std::string, std::string>& definitions,
                        const std::vector<NamedExpression>& roots,
                        const ValueSetLibrary& value_sets, DefinitionError* error) {
  Program program;
  Program::Impl* impl = &program.mutable_impl();
  auto fail = [&](const DefinitionError& e) { return Fail(e, error); };
  if (auto bad = BadName(definitions, value_sets)) return fail(*bad);
  Compiler c(definitions, value_sets, impl);
  std::vector<NamedExpression> all_roots = roots;
  const bool all_definitions = roots.empty();
  if (all_definitions) {
    for (const auto& [name, text] : definitions) all_roots.push_back({name, text});
  }
  std::set<std::string> output_names;
  auto add_output = [&](const std::string& name, const Val& v, std::vector<std::string> criteria,
                        const std::string& text) {
    if (!output_names.insert(name).second) return;
    OutputInfo o;
    o.name = name;
    o.is_bool = v.is_bool;
    o.criteria = std::move(criteria);
    o.text = text;
    impl->outputs.push_back(std::move(o));
    impl->output_regs.push_back(v.reg);
  };
  std::vector<std::string> referenced;
  for (const auto& root : all_roots) {
    c.set_current(root.name);
    std::optional<Val> v;
    if (all_definitions) {
      v = c.CompileNamed(root.name, SourcePos{});
    } else {
      c.direct_refs[root.name].clear();
      v = c.CompileText(root.text);
    }
    if (!v) return fail(c.error);
    const std::vector<std::string> refs = c.Closure(root.name);
    if (v->domain != Domain::kMember) {
      if (all_definitions) continue;  // a claim-line rule, used inside claims(...) and the like
      DefinitionError e;
      e.definition = root.name;
      e.message = fmt::format(
          "type error: this is a {} condition; give it a window (as in "
          "'within 12 months before') to make it about members",
          DomainNoun(v->domain));
      return fail(e);
    }
    add_output(root.name, *v, refs, root.text);
    for (const auto& r : refs) {
      if (std::find(referenced.begin(), referenced.end(), r) == referenced.end()) {
        referenced.push_back(r);
      }
    }
  }
  // Every named definition a root uses is an output too (the per-criterion columns of
  // cohort.csv), in order of first reference.
  for (size_t i = 0; i < referenced.size(); ++i) {
    c.set_current(referenced[i]);
    auto v = c.CompileNamed(referenced[i], SourcePos{});
    if (!v) return fail(c.error);
    if (v->domain == Domain::kMember) {
      add_output(referenced[i], *v, c.Closure(referenced[i]), definitions.at(referenced[i]));
    }
  }
  return program;
}

}  // namespace valuepact::population
