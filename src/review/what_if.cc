// What-if on a recorded settle run (what_if.h).
#include "valuepact/review/what_if.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include <fmt/format.h>

#include "contract/toml_checker.h"
#include "review/review_internal.h"

namespace valuepact::review {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kBaseFile = "restricted/what_if_base.json";

Json Amounts(Money settled, Money what_if) {
  return {{"settled", settled.ToString()},
          {"what_if", what_if.ToString()},
          {"change", (what_if - settled).ToString()}};
}

Json SharedJson(const SharedSavingsOutcome& s) {
  Json j = {{"savings", s.savings.ToString()},
            {"savings_rate", s.savings_rate},
            {"minimum_savings_rate", s.minimum_savings_rate},
            {"final_sharing_rate", s.final_sharing_rate},
            {"branch", s.branch},
            {"capped", s.capped},
            {"limit_applied", s.limit_applied},
            {"amount", s.amount.ToString()}};
  if (s.minimum_loss_rate) j["minimum_loss_rate"] = *s.minimum_loss_rate;
  if (s.shared_loss_rate) j["shared_loss_rate"] = *s.shared_loss_rate;
  if (!s.note.empty()) j["note"] = s.note;
  return j;
}

Json LayersJson(const WhatIfBase& base, const WhatIfOutcome& o) {
  Json layers = Json::array();
  for (const auto& l : o.layers) {
    Money settled;
    for (const auto& s : base.layers) {
      if (s.id == l.id) settled = s.amount;
    }
    Json j = {{"id", l.id}, {"label", l.label}, {"kind", l.kind}};
    j.update(Amounts(settled, l.amount));
    j["branch"] = l.branch;
    if (!l.note.empty()) j["note"] = l.note;
    if (auto it = o.outcomes.find(l.id); it != o.outcomes.end() && it->second.shared) {
      j["shared_savings"] = SharedJson(*it->second.shared);
    }
    layers.push_back(std::move(j));
  }
  return layers;
}

// "minimum_savings_rate" → "Minimum savings rate"; "pmpm" → "PMPM".
std::string Words(const std::string& key) {
  if (key == "pmpm" || key == "target_pmpm") return key == "pmpm" ? "PMPM" : "Target PMPM";
  std::string out = key;
  for (char& c : out) c = c == '_' ? ' ' : c;
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// A term whose value is a share (0–1) when it is a fraction: rates, caps and limits as a share
// of the benchmark, percentiles, scores, and thresholds of measures.
bool IsRateKey(const std::string& key) {
  const std::string name = key.substr(key.rfind('.') + 1);
  for (const char* part : {"rate", "cap", "percentile", "share", "score", "threshold"}) {
    if (name.find(part) != std::string::npos) return true;
  }
  return false;
}

// One slider: a rate (0–1) or an amount (0 to twice the value).
Json Term(const std::string& key, const std::string& label, const toml::node& n) {
  const bool integer = n.is_integer();
  const double v =
      integer ? static_cast<double>(n.as_integer()->get()) : n.as_floating_point()->get();
  Json t = {{"key", key}, {"label", label}, {"value", v}};
  if (!integer && v <= 1 && IsRateKey(key)) {
    t.update({{"kind", "rate"}, {"min", 0}, {"max", 1}, {"step", 0.005}});
  } else {
    t.update({{"kind", integer ? "count" : "amount"},
              {"min", 0},
              {"max", std::max(2 * v, 1.0)},
              {"step", integer ? 1.0 : 0.01}});
  }
  return t;
}

// A changed value of the term, to ask whether the aggregates can answer a change.
std::string Probe(const Json& t) {
  const double v = t["value"].get<double>();
  if (t["kind"] == "count") return fmt::format("{}", static_cast<int64_t>(v) + 1);
  if (t["kind"] == "rate") return fmt::format("{}", v > 0.5 ? v - 0.01 : v + 0.01);
  return fmt::format("{:.2f}", v + 1);
}

}  // namespace

Json WhatIfTerms(const WhatIfRun& run) {
  Json terms = Json::array();
  auto consider = [&](const std::string& key, const std::string& label, const toml::node& n) {
    if (!n.is_number()) return;
    Json t = Term(key, label, n);
    if (WhatIf(run, {{key, Probe(t)}}).ok()) terms.push_back(std::move(t));
  };
  const auto doc = ParseTomlText(run.contract_text, kContractFile);
  if (doc.ok()) {
    if (const auto* layers = doc->get_as<toml::array>("payment")) {
      for (const auto& l : *layers) {
        const auto* layer = l.as_table();
        const auto* id = layer == nullptr ? nullptr : layer->get_as<std::string>("id");
        if (id == nullptr) continue;
        const auto* title = layer->get_as<std::string>("label");
        const std::string name = title != nullptr ? title->get() : id->get();
        for (const auto& [k, v] : *layer) {
          const std::string key = fmt::format("payment.{}.{}", id->get(), k.str());
          if (const auto* inner = v.as_table()) {
            for (const auto& [k2, v2] : *inner) {
              consider(key + "." + std::string(k2.str()),
                       fmt::format("{}: {} ({})", name, Words(std::string(k.str())), k2.str()), v2);
            }
          } else {
            consider(key, fmt::format("{}: {}", name, Words(std::string(k.str()))), v);
          }
        }
      }
    }
    if (const auto* target = (*doc)["benchmark"]["target_pmpm"].node()) {
      consider("benchmark.target_pmpm", "Benchmark: target PMPM", *target);
    }
  }
  return {{"run", run.run_id},
          {"net_payer_to_provider", run.base.net.ToString()},
          {"terms", std::move(terms)}};
}

Result<WhatIfRun> PrepareWhatIf(const RunRecord& r) {
  if (r.command != "settle") {
    return InvalidInput(
        fmt::format("run {} is a {} run: what-if recomputes settle runs", r.run_id, r.command));
  }
  const RunFile* contract = FindFile(r, kContractFile);
  const RunFile* base = FindFile(r, kBaseFile);
  if (contract == nullptr || base == nullptr) {
    return InvalidInput(fmt::format(
        "run {} was recorded without its {}: settle it again with this engine to use what-if",
        r.run_id,
        contract == nullptr ? "contract text" : "aggregates (" + std::string(kBaseFile) + ")"));
  }
  WhatIfRun w;
  w.run_id = r.run_id;
  w.contract_text = contract->content;
  auto k = ParseContract(w.contract_text, kContractFile);
  if (!k.ok()) return k.status();
  w.contract = std::move(*k);
  auto b = ParseWhatIfBase(base->content, kBaseFile);
  if (!b.ok()) return b.status();
  w.base = std::move(*b);
  if (Status s = CheckBaseReproduces(w.contract, w.base); !s.ok()) {
    return InvalidInput(fmt::format("run {}: {}", r.run_id, s.message()));
  }
  return w;
}

Status CheckWhatIfKey(const WhatIfRun& run, const std::string& key) {
  if (key.rfind("payment.", 0) == 0) return Status::Ok();
  if (key == "benchmark.target_pmpm") {
    if (run.base.benchmark_method == "target_pmpm") return Status::Ok();
    return InvalidInput(fmt::format(
        "{}: this contract's benchmark is {}, not a target PMPM; changing how the benchmark is "
        "computed needs a settle of the changed contract",
        key, run.base.benchmark_method));
  }
  const std::string section = key.substr(0, key.find('.'));
  return InvalidInput(fmt::format(
      "{}: a what-if changes [[payment]] terms (payment.<id>.<term>) and benchmark.target_pmpm; "
      "[{}] decides who or what is counted, so it needs a settle of the changed contract",
      key, section));
}

Result<Json> WhatIf(const WhatIfRun& run, const std::vector<TermEdit>& edits) {
  std::vector<std::string> refused;
  for (const auto& e : edits) {
    if (Status s = CheckWhatIfKey(run, e.key); !s.ok()) refused.push_back(s.message());
  }
  if (!refused.empty()) return InvalidInput(fmt::format("{}", fmt::join(refused, "\n")));
  auto edited = ChangeContractTerms(run.contract_text, kContractFile, edits);
  if (!edited.ok()) return edited.status();
  constexpr const char* kChanged = "the changed contract";
  auto k = ParseContract(edited->text, kChanged);
  if (!k.ok()) {
    // Positions are in the rewritten text, which nobody has seen: the key names the term.
    static const std::regex kPosition(std::string(kChanged) + ":[0-9]+:[0-9]+: ");
    return InvalidInput(std::regex_replace(k.status().message(), kPosition, ""));
  }
  auto o = SettleOnBase(*k, run.base);
  if (!o.ok()) return o.status();
  Json j;
  j["run"] = run.run_id;
  j["contract_id"] = run.base.contract_id;
  j["changes"] = Json::array();
  for (const auto& c : edited->changes) {
    j["changes"].push_back({{"key", c.key}, {"before", c.before}, {"after", c.after}});
  }
  j["net_payer_to_provider"] = Amounts(run.base.net, o->net_payer_to_provider);
  Json benchmark = Amounts(run.base.benchmark_total, o->benchmark_total);
  benchmark["method"] = run.base.benchmark_method;
  j["benchmark_total"] = std::move(benchmark);
  j["members"] = run.base.members;
  j["member_months"] = run.base.member_months;
  j["layers"] = LayersJson(run.base, *o);
  j["notes"] = o->notes;
  if (!k->examples.empty()) {
    j["notes"].push_back(fmt::format(
        "the contract's worked examples ([[example]], {}) were agreed for the terms as signed; "
        "`settle` of the changed contract checks them first (update them, or pass "
        "--ignore-examples)",
        k->examples.size()));
  }
  return j;
}

}  // namespace valuepact::review
