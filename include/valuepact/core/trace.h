#pragma once
// Every figure in a statement is a trace node (ARCHITECTURE §3): id, label, formula as text,
// value, unit, the ids of its inputs, and its source. A person re-derives any payment by hand
// from the trace alone.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/core/money.h"
#include "valuepact/core/status.h"

namespace valuepact {

struct TraceNode {
  std::string id;
  std::string label;
  std::string formula;  // how the value follows from the inputs, in words and symbols
  std::string value;    // money "1234.50", rates with >= 6 significant digits, counts
  std::string unit;     // USD | rate | member_months | members | lines | claims | count | ...
  std::vector<std::string> inputs;
  std::string source;  // contract clause, table row, or data query
  // The person id when the node is about one member (restricted output); "" for aggregates.
  std::string member;
};

// Which nodes a trace file holds: every node; the aggregate ones (the run folder's trace.json);
// the member-level ones (restricted/member_trace.json); or the aggregate ones with every
// reference to a member-level node removed (a shared folder: no member ids at all).
enum class TracePart { kAll, kAggregate, kMembers, kShared };

class Trace {
 public:
  // Adds a node. Ids are unique: a node whose id is already present is rejected (the first is
  // kept, false is returned) and recorded, and CheckUnique() reports it; runs fail on it.
  bool Add(TraceNode node);
  Status CheckUnique() const;
  TraceNode& AddMoney(const std::string& id, const std::string& label, Money value,
                      const std::string& formula, std::vector<std::string> inputs,
                      const std::string& source);
  TraceNode& AddRate(const std::string& id, const std::string& label, double value,
                     const std::string& formula, std::vector<std::string> inputs,
                     const std::string& source);
  TraceNode& AddCount(const std::string& id, const std::string& label, int64_t value,
                      const std::string& unit, const std::string& formula,
                      std::vector<std::string> inputs, const std::string& source);

  const TraceNode* Find(const std::string& id) const;
  const std::vector<TraceNode>& nodes() const { return nodes_; }
  bool empty() const { return nodes_.empty(); }

  nlohmann::ordered_json ToJson(TracePart part = TracePart::kAll) const;
  // Adds the nodes of another trace file (restricted/member_trace.json beside trace.json).
  Status Merge(Trace other);
  // Reads what ToJson wrote. A node without an 'id' text or with a field of the wrong type is
  // an input error (a trace.json edited by hand or damaged), never an exception.
  static Result<Trace> FromJson(const nlohmann::json& j);
  // The same from the text of a trace.json; text that is not JSON is an input error.
  static Result<Trace> Parse(std::string_view json_text);

  // The derivation tree of one figure down to its leaves, as indented text.
  std::string Explain(const std::string& id, int max_depth = 32) const;

 private:
  std::vector<TraceNode> nodes_;
  std::map<std::string, size_t> index_;
  std::vector<std::string> duplicates_;
};

// Rates are printed with enough digits to re-derive money: at least six significant digits.
std::string FormatRate(double v);

}  // namespace valuepact
