#include "valuepact/settlement/examples_check.h"
#include "valuepact/core/figure_ids.h"
#include "valuepact/core/numbers.h"

#include <cmath>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "valuepact/settlement/aggregate.h"

namespace valuepact {
namespace {

std::optional<double> ToNumber(const std::string& s) { return ParseDouble(s); }

}  // namespace

std::vector<ExampleCheck> CheckExamples(const Contract& k, const SharedSavingsContext& ctx) {
  std::vector<ExampleCheck> out;
  for (const auto& ex : k.examples) {
    ExampleCheck c;
    c.name = ex.name;
    c.line = ex.line;
    std::map<std::string, std::string> in;
    for (const auto& v : ex.inputs) in[v.key] = v.text;
    if (ex.performance_year > 0) in["performance_year"] = std::to_string(ex.performance_year);
    if (ex.contract_year > 0) in["contract_year"] = std::to_string(ex.contract_year);
    auto r = EvaluateAggregate(k, in, {}, ctx);
    if (!r.ok()) {
      c.error = r.status().message();
      out.push_back(std::move(c));
      continue;
    }
    const SharedSavingsOutcome* s = r->shared ? &*r->shared : nullptr;
    const std::string pre = r->shared_layer_id.empty() ? "" : "layer." + r->shared_layer_id;
    for (const auto& e : ex.expected) {
      ++c.figures_checked;
      std::string actual;
      std::string trace_id;
      enum { kMoney, kRate, kText } type = kText;
      auto need_ss = [&]() {
        if (s == nullptr) actual = "(no shared-savings layer)";
        return s != nullptr;
      };
      if (e.key == std::string(figure::kNet)) {
        actual = r->net_payer_to_provider.ToString();
        trace_id = std::string(figure::kNet);
        type = kMoney;
      } else if (e.key.starts_with("layers.")) {
        const std::string id = e.key.substr(7);
        actual = "(no such layer)";
        for (const auto& l : r->layers) {
          if (l.id == id) {
            actual = l.amount.ToString();
            trace_id = l.trace_id;
          }
        }
        type = kMoney;
      } else if (need_ss()) {
        if (e.key == "earned_savings_losses") {
          actual = s->amount.ToString();
          trace_id = s->amount_id;
          type = kMoney;
        } else if (e.key == "savings") {
          actual = s->savings.ToString();
          trace_id = pre + ".savings";
          type = kMoney;
        } else if (e.key == "savings_rate") {
          actual = FormatRate(s->savings_rate);
          trace_id = pre + ".savings_rate";
          type = kRate;
        } else if (e.key == "minimum_savings_rate") {
          actual = FormatRate(s->minimum_savings_rate);
          trace_id = pre + ".minimum_savings_rate";
          type = kRate;
        } else if (e.key == "minimum_loss_rate") {
          actual = s->minimum_loss_rate ? FormatRate(*s->minimum_loss_rate) : "(one-sided)";
          trace_id = pre + ".minimum_loss_rate";
          type = kRate;
        } else if (e.key == "final_sharing_rate") {
          actual = FormatRate(s->final_sharing_rate);
          trace_id = pre + ".final_sharing_rate";
          type = kRate;
        } else if (e.key == "shared_loss_rate") {
          actual = s->shared_loss_rate ? FormatRate(*s->shared_loss_rate) : "(one-sided)";
          trace_id = pre + ".loss_sharing_rate";
          type = kRate;
        } else if (e.key == "limit_applied") {
          actual = s->limit_applied.empty() ? "none" : s->limit_applied;
          trace_id = s->amount_id;
        } else if (e.key == "branch") {
          actual = s->branch;
          trace_id = s->amount_id;
        }
      }
      bool ok = false;
      std::string expected = e.text;
      if (type == kMoney) {
        auto want = ParseMoney(e.text);
        auto got = ParseMoney(actual);
        if (want.ok()) expected = want->value.ToString();
        ok = want.ok() && got.ok() &&
             std::llabs(want->value.cents() - got->value.cents()) <= ex.amount_tolerance.cents();
      } else if (type == kRate) {
        auto want = ToNumber(e.text), got = ToNumber(actual);
        ok = want && got && std::abs(*want - *got) <= ex.rate_tolerance;
      } else {
        ok = (e.text.empty() ? std::string("none") : e.text) == actual;
      }
      if (!ok) {
        const Trace& tr = r->trace;
        c.mismatches.push_back({e.key, expected, actual, e.line,
                                tr.Find(trace_id) != nullptr ? tr.Explain(trace_id) : ""});
      }
    }
    c.passed = c.mismatches.empty();
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> DescribeFailures(const Contract& k, const std::vector<ExampleCheck>& cs,
                                          bool with_trace) {
  std::vector<std::string> out;
  for (const auto& c : cs) {
    if (!c.error.empty()) {
      out.push_back(fmt::format("{}:{}: example '{}': cannot be evaluated: {}", k.path, c.line,
                                c.name, c.error));
    }
    for (const auto& m : c.mismatches) {
      std::string s = fmt::format("{}:{}: example '{}': {}: expected {}, the engine gives {}",
                                  k.path, m.line, c.name, m.key, m.expected, m.actual);
      if (with_trace && !m.trace.empty()) {
        s += "\n    how the engine got there:\n";
        size_t start = 0;
        while (start < m.trace.size()) {
          size_t nl = m.trace.find('\n', start);
          if (nl == std::string::npos) nl = m.trace.size();
          s += "      " + m.trace.substr(start, nl - start) + "\n";
          start = nl + 1;
        }
        if (!s.empty() && s.back() == '\n') s.pop_back();
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace valuepact
