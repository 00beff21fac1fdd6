#include "valuepact/core/trace.h"

#include <set>
#include <utility>

#include <fmt/format.h>

namespace valuepact {

std::string FormatRate(double v) {
  std::string s = fmt::format("{:.10g}", v);
  return s == "-0" ? "0" : s;
}

bool Trace::Add(TraceNode node) {
  auto [it, inserted] = index_.emplace(node.id, nodes_.size());
  if (!inserted) {
    // Two figures under one id would make the trace ambiguous: keep the first, remember the
    // second as an error the run reports.
    duplicates_.push_back(node.id);
    return false;
  }
  nodes_.push_back(std::move(node));
  return true;
}

Status Trace::CheckUnique() const {
  if (duplicates_.empty()) return Status::Ok();
  std::string ids;
  for (size_t i = 0; i < duplicates_.size() && i < 10; ++i) ids += (i ? ", " : "") + duplicates_[i];
  return Status(StatusCode::kInternal,
                fmt::format("internal error: {} figure id{} added twice to the trace ({})",
                            duplicates_.size(), duplicates_.size() == 1 ? "" : "s", ids));
}

TraceNode& Trace::AddMoney(const std::string& id, const std::string& label, Money value,
                           const std::string& formula, std::vector<std::string> inputs,
                           const std::string& source) {
  Add({id, label, formula, value.ToString(), "USD", std::move(inputs), source});
  return nodes_[index_.at(id)];
}

TraceNode& Trace::AddRate(const std::string& id, const std::string& label, double value,
                          const std::string& formula, std::vector<std::string> inputs,
                          const std::string& source) {
  Add({id, label, formula, FormatRate(value), "rate", std::move(inputs), source});
  return nodes_[index_.at(id)];
}

TraceNode& Trace::AddCount(const std::string& id, const std::string& label, int64_t value,
                           const std::string& unit, const std::string& formula,
                           std::vector<std::string> inputs, const std::string& source) {
  Add({id, label, formula, std::to_string(value), unit, std::move(inputs), source});
  return nodes_[index_.at(id)];
}

const TraceNode* Trace::Find(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &nodes_[it->second];
}

nlohmann::ordered_json Trace::ToJson(TracePart part) const {
  std::set<std::string> member_ids;
  if (part == TracePart::kShared) {
    for (const auto& n : nodes_) {
      if (!n.member.empty()) member_ids.insert(n.id);
    }
  }
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& n : nodes_) {
    const bool is_member = !n.member.empty();
    if (part == TracePart::kMembers ? !is_member : part != TracePart::kAll && is_member) continue;
    nlohmann::ordered_json j;
    j["id"] = n.id;
    j["label"] = n.label;
    j["formula"] = n.formula;
    j["value"] = n.value;
    j["unit"] = n.unit;
    std::vector<std::string> inputs;
    size_t withheld = 0;
    for (const auto& in : n.inputs) {
      if (member_ids.count(in) != 0) {
        ++withheld;
      } else {
        inputs.push_back(in);
      }
    }
    j["inputs"] = inputs;
    j["source"] = n.source;
    if (withheld > 0) j["member_inputs_withheld"] = withheld;
    if (is_member) j["member"] = n.member;
    arr.push_back(std::move(j));
  }
  nlohmann::ordered_json root;
  root["trace_version"] = 1;
  root["nodes"] = std::move(arr);
  return root;
}

Status Trace::Merge(Trace other) {
  for (auto& n : other.nodes_) {
    if (!Add(std::move(n))) return InvalidInput("trace: a figure appears in both trace files");
  }
  return Status::Ok();
}

Result<Trace> Trace::FromJson(const nlohmann::json& j) {
  if (!j.is_object()) return InvalidInput("trace: expected an object with a 'nodes' array");
  const auto nodes = j.find("nodes");
  if (nodes == j.end() || !nodes->is_array()) {
    return InvalidInput("trace: expected an object with a 'nodes' array");
  }
  Trace t;
  size_t position = 0;
  for (const auto& n : *nodes) {
    ++position;
    if (!n.is_object())
      return InvalidInput(fmt::format("trace: node {} is not an object", position));
    const auto id = n.find("id");
    if (id == n.end() || !id->is_string()) {
      return InvalidInput(fmt::format("trace: node {} has no 'id' text", position));
    }
    TraceNode node;
    node.id = id->get<std::string>();
    // A text field may be absent or null (read as ""); any other type is an error naming it,
    // never an exception out of the reader.
    const std::pair<const char*, std::string*> texts[] = {{"label", &node.label},
                                                          {"formula", &node.formula},
                                                          {"value", &node.value},
                                                          {"unit", &node.unit},
                                                          {"source", &node.source},
                                                          {"member", &node.member}};
    for (const auto& [key, field] : texts) {
      const auto f = n.find(key);
      if (f == n.end() || f->is_null()) continue;
      if (!f->is_string()) {
        return InvalidInput(fmt::format("trace: figure '{}': '{}' is a {}, not text", node.id, key,
                                        f->type_name()));
      }
      *field = f->get<std::string>();
    }
    if (const auto in = n.find("inputs"); in != n.end() && in->is_array()) {
      for (const auto& x : *in) {
        if (x.is_string()) node.inputs.push_back(x.get<std::string>());
      }
    }
    t.Add(std::move(node));
  }
  return t;
}

Result<Trace> Trace::Parse(std::string_view json_text) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded()) return InvalidInput("trace: not valid JSON");
  return FromJson(j);
}

std::string Trace::Explain(const std::string& id, int max_depth) const {
  std::string out;
  std::set<std::string> shown;
  auto walk = [&](auto&& self, const std::string& nid, int depth) -> void {
    const std::string indent(static_cast<size_t>(depth) * 2, ' ');
    const TraceNode* n = Find(nid);
    if (n == nullptr) {
      out += fmt::format("{}{} (no such figure in this run)\n", indent, nid);
      return;
    }
    out += fmt::format("{}{} = {} {}  [{}]\n", indent, n->label, n->value, n->unit, n->id);
    if (!n->formula.empty()) out += fmt::format("{}  formula: {}\n", indent, n->formula);
    if (!n->source.empty()) out += fmt::format("{}  source:  {}\n", indent, n->source);
    if (shown.count(nid) != 0 && !n->inputs.empty()) {
      out += fmt::format("{}  (inputs shown above)\n", indent);
      return;
    }
    shown.insert(nid);
    if (depth >= max_depth) return;
    for (const auto& in : n->inputs) self(self, in, depth + 1);
  };
  walk(walk, id, 0);
  return out;
}

}  // namespace valuepact
