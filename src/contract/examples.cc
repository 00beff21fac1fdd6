#include "valuepact/contract/examples.h"
#include "contract/sections.h"

#include <algorithm>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "contract/toml_checker.h"

namespace valuepact {
namespace {

bool MoneyKey(const std::string& key) {
  return key.ends_with("_total") || key == "earned_savings_losses" || key == "savings" ||
         key == "net_payer_to_provider" || key.starts_with("layers.") || key == "benchmark_pmpm";
}

std::string NodeText(const toml::node& n) {
  if (n.is_string()) return *n.value<std::string>();
  if (n.is_boolean()) return *n.value<bool>() ? "1" : "0";
  if (n.is_integer()) return std::to_string(*n.value<int64_t>());
  if (n.is_floating_point()) return fmt::format("{:.12g}", *n.value<double>());
  return "";
}

}  // namespace

const std::vector<std::string>& AggregateInputKeys() {
  static const std::vector<std::string> k = {"benchmark_total",
                                             "expenditure_total",
                                             "assigned_beneficiaries",
                                             "quality_score",
                                             "quality_standard_met",
                                             "alternative_quality_standard_met",
                                             "elected_msr",
                                             "participant_revenue_total",
                                             "low_revenue",
                                             "loss_reduction_fraction",
                                             "member_months",
                                             "members",
                                             "benchmark_pmpm",
                                             "assessments_completed",
                                             "outlier_member_months",
                                             "acp_discussions",
                                             "data_reporting_rate",
                                             "quality_measure",
                                             "program_member_months",
                                             "program_member_months_home",
                                             "program_member_months_nursing_facility",
                                             "program_member_months_assisted_living",
                                             "track_year",
                                             "performance_year",
                                             "contract_year"};
  return k;
}

const std::vector<std::string>& ExpectedOutcomeKeys() {
  static const std::vector<std::string> k = {"savings",
                                             "savings_rate",
                                             "minimum_savings_rate",
                                             "minimum_loss_rate",
                                             "final_sharing_rate",
                                             "shared_loss_rate",
                                             "earned_savings_losses",
                                             "limit_applied",
                                             "branch",
                                             "net_payer_to_provider",
                                             "layers"};
  return k;
}

void ParseExample(const toml::table& t, int index, TomlChecker* c, ContractExample* out) {
  const std::string sec = fmt::format("example[{}]", index);
  c->AllowOnly(t, sec,
               {"name", "description", "performance_year", "contract_year", "inputs", "expected",
                "rate_tolerance", "amount_tolerance"});
  out->line = static_cast<int>(t.source().begin.line);
  out->name = c->String(t, sec, "name", false).value_or(fmt::format("example {}", index));
  out->performance_year =
      static_cast<int>(c->Integer(t, sec, "performance_year", 1990, 2100, false).value_or(0));
  out->contract_year =
      static_cast<int>(c->Integer(t, sec, "contract_year", 1, 100, false).value_or(0));
  out->rate_tolerance = c->Number(t, sec, "rate_tolerance", 0, 1, false).value_or(1e-6);
  out->amount_tolerance = c->Amount(t, sec, "amount_tolerance", false, false).value_or(Money());
  const toml::table* in = t.get_as<toml::table>("inputs");
  if (in == nullptr) {
    c->Error(&t, sec, "inputs", "required table is missing ([example.inputs])");
  } else {
    c->AllowOnly(*in, sec + ".inputs", AggregateInputKeys());
    for (const auto& [k, v] : *in) {
      const std::string key(k.str());
      const std::string text = NodeText(v);
      if (text.empty() && !v.is_string()) {
        c->Error(&v, sec + ".inputs", key, "expected a number, true/false or a string");
        continue;
      }
      out->inputs.push_back({key, text, MoneyKey(key), static_cast<int>(v.source().begin.line)});
    }
  }
  const toml::table* ex = t.get_as<toml::table>("expected");
  if (ex == nullptr) {
    c->Error(&t, sec, "expected", "required table is missing ([example.expected])");
    return;
  }
  c->AllowOnly(*ex, sec + ".expected", ExpectedOutcomeKeys());
  for (const auto& [k, v] : *ex) {
    const std::string key(k.str());
    if (key == "layers") {
      const toml::table* lt = v.as_table();
      if (lt == nullptr) {
        c->Error(&v, sec + ".expected", "layers", "expected a table { layer-id = amount }");
        continue;
      }
      for (const auto& [lk, lv] : *lt) {
        out->expected.push_back({"layers." + std::string(lk.str()), NodeText(lv), true,
                                 static_cast<int>(lv.source().begin.line)});
      }
      continue;
    }
    out->expected.push_back(
        {key, NodeText(v), MoneyKey(key), static_cast<int>(v.source().begin.line)});
  }
  if (out->expected.empty()) {
    c->Error(ex, sec, "expected", "lists no expected result");
  }
}

}  // namespace valuepact
