#pragma once
// The definition language: named, shared population rules both parties read the same way
// (seed 004, "speak your partner's language"; seed 002, "defining the eligible population").
// A definition is compiled once into a flat program of column operations, then evaluated over
// the whole columnar dataset for all members in parallel; the syntax tree is never interpreted
// per member. The grammar and every term are in docs/definitions.md.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "valuepact/core/date.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/population/value_set.h"

namespace valuepact::population {

// 1-based line and column (in bytes) inside a definition's text.
struct SourcePos {
  int line = 1;
  int column = 1;
};

// A window of dates relative to the index date (the period start unless the caller says
// otherwise): "within 12 months before" is [index - 12 months, index - 1 day].
struct Window {
  enum class Kind : uint8_t { kNone, kBefore, kAfter, kDuringPeriod, kEver };
  enum class Unit : uint8_t { kDays, kMonths, kYears };
  Kind kind = Kind::kNone;
  int amount = 0;
  Unit unit = Unit::kMonths;
  SourcePos pos;
  std::string ToString() const;  // "within 12 months before", "during period", "ever"
};

// Adds months to a date, clamping the day to the end of the target month (Jan 31 + 1 month is
// Feb 28/29), the rule used for every month window.
Date AddMonths(Date d, int months);

// The inclusive dates of `w` for an index date and an optional period end.
Result<Period> ResolveWindow(const Window& w, Date index_date, Date period_end);

struct DefinitionError {
  std::string definition;  // the name of the definition whose text is wrong
  SourcePos pos;
  std::string message;  // what was expected, what was found, and a suggestion when there is one
  // "definition 'high_risk', line 1, column 5: unknown name 'hart_failure' (did you mean
  // 'heart_failure'?)"
  std::string ToString() const;
};

struct NamedExpression {
  std::string name;
  std::string text;
};

// What a compiled output is.
struct OutputInfo {
  std::string name;
  bool is_bool = true;                // otherwise a number per member
  std::vector<std::string> criteria;  // named definitions it refers to, first reference first
  std::string text;                   // the source text
  bool per_line = false;  // a claim line condition (CompileLineCondition): one flag per line
};

class Program {
 public:
  Program();
  ~Program();
  Program(const Program&);
  Program& operator=(const Program&);
  Program(Program&&) noexcept;
  Program& operator=(Program&&) noexcept;

  // The roots first (in the order given), then every member-level named definition they use.
  const std::vector<OutputInfo>& outputs() const;
  const OutputInfo* FindOutput(const std::string& name) const;
  // One line per column operation, for traces and for people checking what a rule does.
  std::string Listing() const;
  size_t instruction_count() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }
  Impl& mutable_impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// Compiles `roots` (e.g. {"eligible", "serious_illness and not hospice"}) against the named
// `definitions` and `value_sets`. With no roots, every definition is an output. Errors carry the
// definition's name, line and column; *error receives the structured form when given.
Result<Program> Compile(const std::map<std::string, std::string>& definitions,
                        const std::vector<NamedExpression>& roots,
                        const ValueSetLibrary& value_sets, DefinitionError* error = nullptr);

// Compiles one claim line condition (e.g. an episode trigger, "drg in (\"291\") or
// place_of_service = \"12\""), which may use the named `definitions` that are line conditions.
// Its one output has per_line set: Evaluate gives a flag per medical claim line. Anything else (a
// member condition, a number, a referral condition) is a type error.
Result<Program> CompileLineCondition(const std::map<std::string, std::string>& definitions,
                                     const NamedExpression& root, const ValueSetLibrary& value_sets,
                                     DefinitionError* error = nullptr);

// Per-member grouping of every table a program reads, built once per dataset and shared by
// every evaluation (cohort, funnel months, comparisons).
class DatasetIndex {
 public:
  DatasetIndex(const Dataset& dataset, const ProgramData* program);
  ~DatasetIndex();
  DatasetIndex(const DatasetIndex&) = delete;
  DatasetIndex& operator=(const DatasetIndex&) = delete;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

struct EvalContext {
  const Dataset* dataset = nullptr;
  const ProgramData* program = nullptr;  // optional; program terms see no rows without it
  const std::vector<double>* risk_scores = nullptr;  // per member id; needed by risk_score
  Date index_date;
  Date period_end = kNoDate;            // needed by "during period"
  const DatasetIndex* index = nullptr;  // optional; built for the call when null
};

struct Column {
  std::string name;
  bool is_bool = true;
  std::vector<uint8_t> flags;  // is_bool: 1 = meets the definition (per line: per_line outputs)
  std::vector<double> values;  // !is_bool: NaN when unknown (e.g. age without a birth date)
};

struct Evaluation {
  std::vector<Column> columns;  // in Program::outputs() order, one entry per member id
  const Column* Find(const std::string& name) const;
};

Result<Evaluation> Evaluate(const Program& program, const EvalContext& context);

}  // namespace valuepact::population
