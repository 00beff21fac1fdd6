// INPUTS.csv of `valuepact benchmark`: the aggregate figures of a settlement report.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <iterator>

#include <fmt/format.h>

#include "valuepact/benchmark/aggregate_benchmark.h"
#include "valuepact/core/csv.h"
#include "valuepact/core/numbers.h"

namespace valuepact {

const char* BenchmarkYearName(BenchmarkYear y) {
  static constexpr const char* kNames[] = {"BY1", "BY2", "BY3", "PY"};
  return kNames[static_cast<size_t>(y)];
}

const char* AggregateQuantityName(AggregateQuantity q) {
  static constexpr const char* kNames[] = {
      "per_capita_expenditure",  "risk_score",
      "demographic_risk_score",  "assigned_proportion",
      "national_per_capita",     "regional_per_capita",
      "national_weight",         "acpt_growth",
      "regional_risk_growth",    "regional_demographic_risk_growth",
      "dual_proportion",         "prior_savings_per_capita",
      "prior_savings_proration", "lis_dual_proportion"};
  static_assert(std::size(kNames) == kAggregateQuantityCount);
  return kNames[static_cast<size_t>(q)];
}

bool IsAcoQuantity(AggregateQuantity q) { return q >= AggregateQuantity::kDualProportion; }

namespace {

constexpr size_t kMaxErrors = 50;

// Which years a quantity is reported for (bit per BenchmarkYear), and its range. one_for_bys: one
// figure for the benchmark years, given as BY or any of BY1-BY3.
struct QuantityRule {
  unsigned years;
  double min;
  bool min_inclusive;
  double max;
  bool one_for_bys = false;
};
constexpr unsigned kBYs = 0b0111, kBY3 = 0b0100, kPYb = 0b1000;
constexpr QuantityRule kRules[kAggregateQuantityCount] = {
    {kBYs, 0, true, 1e9},             // per_capita_expenditure
    {kBYs | kPYb, 0, false, 100},     // risk_score
    {kBY3 | kPYb, 0, false, 100},     // demographic_risk_score
    {kBY3 | kPYb, 0, true, 1},        // assigned_proportion
    {kBYs | kPYb, 0, false, 1e9},     // national_per_capita
    {kBYs | kPYb, 0, false, 1e9},     // regional_per_capita
    {kBYs | kPYb, 0, true, 1, true},  // national_weight
    {kPYb, 0, false, 100},            // acpt_growth
    {kPYb, 0, false, 100},            // regional_risk_growth
    {kPYb, 0, false, 100},            // regional_demographic_risk_growth
    {kBY3, 0, true, 1},               // dual_proportion
    {kBYs, -1e9, true, 1e9},          // prior_savings_per_capita
    {kBY3, 0, false, 1, true},        // prior_savings_proration
    {kPYb, 0, true, 1},               // lis_dual_proportion
};

bool OneForBys(AggregateQuantity q, BenchmarkYear y) {
  return kRules[static_cast<size_t>(q)].one_for_bys && y != BenchmarkYear::kPY;
}

std::string Lower(std::string_view s) {
  std::string o;
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      o += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return o;
}

template <typename E, size_t N>
std::optional<E> Lookup(std::string_view text, const char* (*name)(E)) {
  const std::string l = Lower(text);
  for (size_t i = 0; i < N; ++i) {
    std::string n = name(static_cast<E>(i));
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (l == n) {
      return static_cast<E>(i);
    }
  }
  return std::nullopt;
}

std::string Names(size_t n, const std::function<std::string(size_t)>& name) {
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += (i ? ", " : "") + name(i);
  }
  return s;
}

}  // namespace

Result<AggregateBenchmarkInputs> AggregateBenchmarkInputs::Parse(std::string_view text,
                                                                 const std::string& name) {
  if (!IsValidUtf8(text)) {
    return InvalidInput(fmt::format("{}: not valid UTF-8 text", name));
  }
  AggregateBenchmarkInputs in(name);
  std::vector<std::string> errors;
  auto error = [&](uint64_t line, std::string_view field, const std::string& what) {
    errors.push_back(fmt::format("{}:{}: {}: {}", name, line, field, what));
  };
  CsvCursor cur(text, CsvChunk{SkipBom(text), text.size(), 1});
  std::vector<std::string_view> fields;
  uint64_t line = 0;
  std::string why;
  std::array<int, 4> col = {-1, -1, -1, -1};  // enrollment_type, quantity, year, value
  static constexpr const char* kColumns[] = {"enrollment_type", "quantity", "year", "value"};
  bool header = true;
  while (errors.size() <= kMaxErrors) {
    const auto o = cur.Next(&fields, &line, &why);
    if (o == CsvCursor::Outcome::kEnd) {
      break;
    }
    if (o == CsvCursor::Outcome::kMalformed) {
      error(line, header ? "header" : "row", why);
      if (header) {
        break;
      }
      continue;
    }
    if (header) {
      header = false;
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string h = Lower(fields[i]);
        int* slot = nullptr;
        for (size_t c = 0; c < 4; ++c) {
          if (h == kColumns[c]) {
            slot = &col[c];
          }
        }
        if (slot == nullptr) {
          error(line, fields[i],
                "unknown column; the columns are enrollment_type,quantity,year,value");
        } else if (*slot >= 0) {
          error(line, fields[i], "column given twice");
        } else {
          *slot = static_cast<int>(i);
        }
      }
      for (size_t c = 0; c < 4; ++c) {
        if (col[c] < 0) {
          error(line, kColumns[c], "required column is missing");
        }
      }
      if (!errors.empty()) {
        break;
      }
      continue;
    }
    in.ReadRow(fields, line, col, &errors);
  }
  if (header && errors.empty()) {
    errors.push_back(fmt::format("{}: empty file (no header)", name));
  }
  if (!errors.empty()) {
    std::string msg =
        fmt::format("{}: {} problem{} in the benchmark inputs:", name,
                    errors.size() > kMaxErrors ? "more than 50" : std::to_string(errors.size()),
                    errors.size() == 1 ? "" : "s");
    for (size_t i = 0; i < std::min(errors.size(), kMaxErrors); ++i) {
      msg += "\n  " + errors[i];
    }
    return InvalidInput(msg);
  }
  return in;
}

void AggregateBenchmarkInputs::ReadRow(const std::vector<std::string_view>& fields, uint64_t line,
                                       const std::array<int, 4>& col,
                                       std::vector<std::string>* errors) {
  auto error = [&](std::string_view field, const std::string& what) {
    errors->push_back(fmt::format("{}:{}: {}: {}", name_, line, field, what));
  };
  for (int c : col) {
    if (static_cast<size_t>(c) >= fields.size()) {
      error("row", fmt::format("{} fields; the header has {}", fields.size(),
                               *std::max_element(col.begin(), col.end()) + 1));
      return;
    }
  }
  const std::string_view type_text = fields[col[0]], q_text = fields[col[1]];
  const std::string_view year_text = fields[col[2]], value_text = fields[col[3]];
  const bool aco = Lower(type_text) == "aco";
  const auto type = Lookup<EnrollmentType, kEnrollmentTypeCount>(type_text, EnrollmentTypeName);
  const auto q = Lookup<AggregateQuantity, kAggregateQuantityCount>(q_text, AggregateQuantityName);
  auto year = Lookup<BenchmarkYear, kBenchmarkYearCount>(year_text, BenchmarkYearName);
  // Some figures are one for the benchmark years (the national weight of the trend).
  const bool one_for_bys = q && kRules[static_cast<size_t>(*q)].one_for_bys &&
                           (Lower(year_text) == "by" || (year && *year != BenchmarkYear::kPY));
  if (one_for_bys) {
    year = BenchmarkYear::kBY3;
  }
  if (!type && !aco) {
    error("enrollment_type",
          fmt::format("'{}' is not one of {}, aco", type_text,
                      Names(kEnrollmentTypeCount, [](size_t i) {
                        return std::string(EnrollmentTypeName(static_cast<EnrollmentType>(i)));
                      })));
  }
  if (!q) {
    error(
        "quantity",
        fmt::format("'{}' is not one of {}", q_text, Names(kAggregateQuantityCount, [](size_t i) {
                      return std::string(AggregateQuantityName(static_cast<AggregateQuantity>(i)));
                    })));
  }
  if (!year) {
    error("year", fmt::format("'{}' is not one of BY1, BY2, BY3, PY", year_text));
  }
  if ((!type && !aco) || !q || !year) {
    return;
  }
  if (aco != IsAcoQuantity(*q)) {
    error("enrollment_type",
          aco ? fmt::format("{} is reported per enrollment type, not for the whole ACO (aco)",
                            AggregateQuantityName(*q))
              : fmt::format("{} is a figure of the whole ACO: enrollment_type aco, not {}",
                            AggregateQuantityName(*q), type_text));
    return;
  }
  const QuantityRule& rule = kRules[static_cast<size_t>(*q)];
  if ((rule.years & (1u << static_cast<unsigned>(*year))) == 0) {
    std::string allowed;
    for (int y = 0; y < kBenchmarkYearCount; ++y) {
      if (rule.years & (1u << y)) {
        allowed += (allowed.empty() ? "" : ", ") +
                   std::string(BenchmarkYearName(static_cast<BenchmarkYear>(y)));
      }
    }
    error("year", fmt::format("{} is reported for {}, not {}", AggregateQuantityName(*q), allowed,
                              year_text));
    return;
  }
  std::string_view vt = value_text;
  while (!vt.empty() && std::isspace(static_cast<unsigned char>(vt.front()))) {
    vt.remove_prefix(1);
  }
  while (!vt.empty() && std::isspace(static_cast<unsigned char>(vt.back()))) {
    vt.remove_suffix(1);
  }
  const auto v = ParseDouble(vt);
  if (!v || *v > rule.max || *v < rule.min || (!rule.min_inclusive && *v == rule.min)) {
    error("value", fmt::format("'{}' for {}: expected a number {} {} and at most {}", value_text,
                               AggregateQuantityName(*q), rule.min_inclusive ? "≥" : ">", rule.min,
                               rule.max));
    return;
  }
  const size_t slot = aco ? kAcoSlot : static_cast<size_t>(*type);
  AggregateFigure& f = Slot(slot, *q, *year);
  if (f.line != 0) {
    if (one_for_bys && f.value == *v) {
      return;  // the same figure for another benchmark year
    }
    error("value",
          fmt::format("{},{},{} is already given on line {}{}",
                      aco ? "aco" : EnrollmentTypeName(*type), AggregateQuantityName(*q), year_text,
                      f.line, one_for_bys ? " (one figure for every benchmark year)" : ""));
    return;
  }
  f = {*v, line, "", ""};
  if (!aco) {
    has_type_[slot] = true;
  }
}

AggregateFigure& AggregateBenchmarkInputs::Slot(size_t type_slot, AggregateQuantity q,
                                                BenchmarkYear y) {
  if (OneForBys(q, y)) {
    y = BenchmarkYear::kBY3;
  }
  return figures_[type_slot][static_cast<size_t>(q)][static_cast<size_t>(y)];
}

const AggregateFigure* AggregateBenchmarkInputs::FindSlot(size_t type_slot, AggregateQuantity q,
                                                          BenchmarkYear y) const {
  if (OneForBys(q, y)) {
    y = BenchmarkYear::kBY3;
  }
  const AggregateFigure& f = figures_[type_slot][static_cast<size_t>(q)][static_cast<size_t>(y)];
  return f.line == 0 ? nullptr : &f;
}

std::string AggregateBenchmarkInputs::SlotSource(size_t type_slot, AggregateQuantity q,
                                                 BenchmarkYear y) const {
  const AggregateFigure* f = FindSlot(type_slot, q, y);
  if (f != nullptr && f->line == kComputedLine) {
    return f->source;
  }
  return fmt::format(
      "{} line {} ({},{},{})", name_, f ? f->line : 0,
      type_slot == kAcoSlot ? "aco" : EnrollmentTypeName(static_cast<EnrollmentType>(type_slot)),
      AggregateQuantityName(q), OneForBys(q, y) ? "BY" : BenchmarkYearName(y));
}

void AggregateBenchmarkInputs::Set(EnrollmentType t, AggregateQuantity q, BenchmarkYear y,
                                   double value, std::string source, std::string derived_from) {
  Slot(static_cast<size_t>(t), q, y) = {value, kComputedLine, std::move(source),
                                        std::move(derived_from)};
  has_type_[static_cast<size_t>(t)] = true;
}

void AggregateBenchmarkInputs::SetAco(AggregateQuantity q, BenchmarkYear y, double value,
                                      std::string source) {
  Slot(kAcoSlot, q, y) = {value, kComputedLine, std::move(source), ""};
}

bool AggregateBenchmarkInputs::CopyFrom(const AggregateBenchmarkInputs& other, EnrollmentType t,
                                        AggregateQuantity q, BenchmarkYear y) {
  const AggregateFigure* f = other.Find(t, q, y);
  if (f == nullptr) {
    return false;
  }
  Set(t, q, y, f->value, f->line == kComputedLine ? f->source : other.SourceOf(t, q, y),
      f->derived_from);
  return true;
}

bool AggregateBenchmarkInputs::CopyAcoFrom(const AggregateBenchmarkInputs& other,
                                           AggregateQuantity q, BenchmarkYear y) {
  const AggregateFigure* f = other.FindAco(q, y);
  if (f == nullptr) {
    return false;
  }
  SetAco(q, y, f->value, f->line == kComputedLine ? f->source : other.AcoSourceOf(q, y));
  return true;
}

const AggregateFigure* AggregateBenchmarkInputs::Find(EnrollmentType t, AggregateQuantity q,
                                                      BenchmarkYear y) const {
  return FindSlot(static_cast<size_t>(t), q, y);
}

const AggregateFigure* AggregateBenchmarkInputs::FindAco(AggregateQuantity q,
                                                         BenchmarkYear y) const {
  return FindSlot(kAcoSlot, q, y);
}

std::string AggregateBenchmarkInputs::SourceOf(EnrollmentType t, AggregateQuantity q,
                                               BenchmarkYear y) const {
  return SlotSource(static_cast<size_t>(t), q, y);
}

std::string AggregateBenchmarkInputs::AcoSourceOf(AggregateQuantity q, BenchmarkYear y) const {
  return SlotSource(kAcoSlot, q, y);
}

}  // namespace valuepact
