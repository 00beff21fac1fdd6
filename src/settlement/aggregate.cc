#include "valuepact/settlement/aggregate.h"
#include "valuepact/core/figure_ids.h"
#include "valuepact/core/numbers.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "valuepact/contract/examples.h"
#include "valuepact/dataset/program_data.h"

namespace valuepact {
namespace {

class InputReader {
 public:
  explicit InputReader(const std::map<std::string, std::string>& v) : v_(v) {}

  bool Has(const std::string& key) const {
    auto it = v_.find(key);
    return it != v_.end() && !Blank(it->second);
  }
  std::optional<Money> Amount(const std::string& key) {
    if (!Has(key)) return std::nullopt;
    auto r = ParseMoney(Trim(v_.at(key)));
    if (!r.ok()) {
      errors_.push_back(fmt::format("{}: {}", key, r.status().message()));
      return std::nullopt;
    }
    return r->value;
  }
  std::optional<double> Number(const std::string& key, double lo, double hi) {
    if (!Has(key)) return std::nullopt;
    const std::string s = Trim(v_.at(key));
    const auto parsed = ParseDouble(s);
    const double d = parsed.value_or(0);
    if (!parsed || d < lo || d > hi) {
      errors_.push_back(fmt::format("{}: '{}' is not a number from {} to {}", key, s, lo, hi));
      return std::nullopt;
    }
    return d;
  }
  std::optional<int64_t> Count(const std::string& key) {
    auto d = Number(key, 0, 1e12);
    if (!d) return std::nullopt;
    if (*d != std::floor(*d)) {
      errors_.push_back(fmt::format("{}: '{}' is not a whole number", key, v_.at(key)));
      return std::nullopt;
    }
    return static_cast<int64_t>(*d);
  }
  std::optional<bool> Flag(const std::string& key) {
    if (!Has(key)) return std::nullopt;
    const std::string s = Trim(v_.at(key));
    if (s == "1" || s == "true" || s == "TRUE") return true;
    if (s == "0" || s == "false" || s == "FALSE") return false;
    errors_.push_back(fmt::format("{}: '{}' is not 0 or 1", key, s));
    return std::nullopt;
  }
  std::string Text(const std::string& key) const { return Has(key) ? Trim(v_.at(key)) : ""; }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  static std::string Trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
  }
  static bool Blank(const std::string& s) {
    const std::string t = Trim(s);
    return t.empty() || t == "NA";
  }
  const std::map<std::string, std::string>& v_;
  std::vector<std::string> errors_;
};

// Layer quantities given directly as aggregate inputs.
class AggregateQuantities final : public LayerQuantities {
 public:
  AggregateQuantities(std::optional<int64_t> member_months, std::optional<int64_t> members,
                      std::map<std::string, std::optional<int64_t>> counts,
                      std::optional<double> reporting, std::optional<double> quality)
      : member_months_(member_months),
        members_(members),
        counts_(std::move(counts)),
        reporting_(reporting),
        quality_(quality) {}

  Result<LayerQuantity> Get(const std::string& name, const PaymentLayerTerms& layer,
                            Trace* trace) override {
    LayerQuantity q;
    if (name == std::string(figure::kMemberMonths) || name == std::string(figure::kMembers)) {
      const bool mm = name == std::string(figure::kMemberMonths);
      const auto& v = mm ? member_months_ : members_;
      q.known = v.has_value();
      q.count = v.value_or(0);
      q.trace_id = name;
      q.missing = fmt::format("no {} input", mm ? "member_months" : "members");
      return q;
    }
    if (name.rfind("measure.", 0) == 0) {
      const bool reporting = layer.kind == "data_reporting_incentive";
      const auto& v = reporting ? reporting_ : quality_;
      const char* key = reporting ? "data_reporting_rate" : "quality_measure";
      q.known = v.has_value();
      q.value = v.value_or(0);
      q.missing = fmt::format("no {} input: the incentive is not earned", key);
      q.trace_id = fmt::format("layer.{}.measure", layer.id);
      if (q.known) {
        trace->AddRate(q.trace_id,
                       fmt::format("{}: {}", layer.label,
                                   reporting ? "share of required data submitted complete"
                                             : layer.program.measure),
                       q.value, "input", {}, fmt::format("inputs.{}", key));
      }
      return q;
    }
    if (name.rfind("episode.", 0) == 0) {
      q.missing =
          "an episode reconciliation is computed from claims (valuepact settle or valuepact "
          "episodes), not from aggregate inputs";
      return q;
    }
    const auto it = counts_.find(name);
    if (it == counts_.end()) return InvalidInput(fmt::format("unknown layer quantity '{}'", name));
    q.known = it->second.has_value();
    q.count = it->second.value_or(0);
    q.missing = fmt::format("no {} input", InputKeyOf(name));
    // Layer-specific counts get the layer's id; shared ones are added once.
    q.trace_id = name == "program.outlier_member_months" || name.rfind("program.acp", 0) == 0 ||
                         name == "program.initial_assessments"
                     ? fmt::format("layer.{}.units", layer.id)
                     : "inputs." + InputKeyOf(name);
    if (q.known && trace->Find(q.trace_id) == nullptr) {
      trace->AddCount(q.trace_id, fmt::format("{}: {}", layer.label, InputKeyOf(name)), q.count,
                      "count", "input", {}, "inputs." + InputKeyOf(name));
    }
    return q;
  }

 private:
  static std::string InputKeyOf(const std::string& name) {
    if (name == "program.initial_assessments") return "assessments_completed";
    if (name == "program.outlier_member_months") return "outlier_member_months";
    if (name.rfind("program.acp", 0) == 0) return "acp_discussions";
    if (name == "program.member_months") return "program_member_months";
    if (name.rfind("program.member_months.", 0) == 0) {
      return "program_member_months_" + name.substr(std::string("program.member_months.").size());
    }
    return name;
  }
  std::optional<int64_t> member_months_, members_;
  std::map<std::string, std::optional<int64_t>> counts_;
  std::optional<double> reporting_, quality_;
};

}  // namespace

Result<AggregateResult> EvaluateAggregate(const Contract& k0,
                                          const std::map<std::string, std::string>& inputs,
                                          const SetOverrides& set, const SharedSavingsContext& ctx,
                                          const std::function<void(SharedSavingsTerms*)>& adjust) {
  const auto& allowed = AggregateInputKeys();
  for (const auto& [key, v] : inputs) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return InvalidInput(fmt::format("unknown input '{}'", key));
    }
  }
  InputReader in(inputs);
  AggregateResult r;
  Contract k = k0;  // a copy only to change the year in the track
  if (auto ty = in.Count("track_year")) k.track_year = static_cast<int>(*ty);
  ResolveOptions ro;
  ro.set = set;
  if (auto py = in.Count("performance_year")) ro.performance_year = static_cast<int>(*py);
  if (auto cy = in.Count("contract_year")) ro.contract_year = static_cast<int>(*cy);
  r.performance_year =
      ro.performance_year > 0 ? ro.performance_year : static_cast<int>(k.performance_year);
  r.contract_year = ro.contract_year > 0 ? ro.contract_year : k.contract_year;

  const std::optional<int64_t> member_months = in.Count("member_months");
  const std::optional<int64_t> members = in.Count("members");
  std::optional<Money> benchmark = in.Amount("benchmark_total");
  const std::optional<Money> bench_pmpm = in.Amount("benchmark_pmpm");
  const std::optional<Money> expenditure = in.Amount("expenditure_total");
  SharedSavingsInputs ss;
  ss.assigned_beneficiaries = in.Count("assigned_beneficiaries");
  ss.quality_score = in.Number("quality_score", 0, 1);
  ss.quality_standard_met = in.Flag("quality_standard_met");
  ss.alternative_quality_standard_met = in.Flag("alternative_quality_standard_met");
  if (in.Text("elected_msr") == "variable") {
    ss.elected_variable = true;
  } else {
    ss.elected_msr = in.Number("elected_msr", 0, 1);
  }
  ss.participant_revenue = in.Amount("participant_revenue_total");
  ss.low_revenue = in.Flag("low_revenue");
  ss.loss_reduction_fraction = in.Number("loss_reduction_fraction", 0, 1);
  const std::optional<int64_t> program_months = in.Count("program_member_months");
  std::map<std::string, std::optional<int64_t>> by_setting;
  for (const std::string_view setting : kCareSettingNames) {
    by_setting[std::string(setting)] = in.Count(fmt::format("program_member_months_{}", setting));
  }
  std::map<std::string, std::optional<int64_t>> counts = {
      {"program.initial_assessments", in.Count("assessments_completed")},
      {"program.outlier_member_months", in.Count("outlier_member_months")},
      {"program.acp_members", in.Count("acp_discussions")},
      {"program.acp_events", in.Count("acp_discussions")},
      {"program.member_months", program_months},
  };
  const std::optional<double> reporting = in.Number("data_reporting_rate", 0, 1);
  const std::optional<double> quality_measure = in.Number("quality_measure", 0, 1e9);
  if (!in.errors().empty()) {
    std::string msg;
    for (const auto& e : in.errors()) msg += (msg.empty() ? "" : "; ") + e;
    return InvalidInput(msg);
  }
  Trace& tr = r.trace;
  if (member_months) {
    tr.AddCount(std::string(figure::kMemberMonths), "Member-months", *member_months,
                "member_months", "input", {}, "inputs.member_months");
  }
  if (members) {
    tr.AddCount(std::string(figure::kMembers), "Members", *members, "members", "input", {},
                "inputs.members");
  }
  // Settings given by some inputs: the others are 0 months (the example states what it has).
  const bool any_setting = std::any_of(by_setting.begin(), by_setting.end(),
                                       [](const auto& kv) { return kv.second.has_value(); });
  for (auto& [setting, v] : by_setting) {
    counts["program.member_months." + setting] = any_setting ? v.value_or(0) : v;
  }
  AggregateQuantities quantities(member_months, members, counts, reporting, quality_measure);

  std::optional<SpendingInputs> spending;
  const bool has_shared = std::any_of(k.payments.begin(), k.payments.end(),
                                      [](const auto& p) { return p.kind == "shared_savings"; });
  if (has_shared) {
    // Benchmark: given, or PMPM × member-months (input PMPM, else the contract's target).
    SpendingInputs sp;
    sp.facts = ss;
    if (benchmark) {
      sp.benchmark_total = *benchmark;
      tr.AddMoney(std::string(figure::kBenchmarkTotal), "Benchmark", *benchmark, "input", {},
                  "inputs.benchmark_total");
    } else if (member_months && (bench_pmpm || k.benchmark.method == "target_pmpm")) {
      const Money pmpm = bench_pmpm.value_or(k.benchmark.target_pmpm);
      tr.AddMoney(std::string(figure::kBenchmarkPmpm), "Benchmark per member per month", pmpm,
                  bench_pmpm ? "input" : "contract term", {},
                  bench_pmpm ? "inputs.benchmark_pmpm" : "benchmark.target_pmpm");
      sp.benchmark_total = pmpm * *member_months;
      tr.AddMoney(std::string(figure::kBenchmarkTotal), "Benchmark", sp.benchmark_total,
                  "benchmark PMPM × member-months",
                  {std::string(figure::kBenchmarkPmpm), std::string(figure::kMemberMonths)},
                  "benchmark");
    } else {
      // A historical benchmark is built from claims by enrollment type (`settle`); aggregate
      // inputs carry no per-type member-months, so they give the benchmark itself.
      return InvalidInput(
          k.benchmark.method == "historical"
              ? "no benchmark: the contract's historical benchmark needs claims (valuepact "
                "settle); give benchmark_total, or member_months with benchmark_pmpm"
              : "no benchmark: give benchmark_total (or member_months with a "
                "target_pmpm benchmark)");
    }
    if (!expenditure) return InvalidInput("no expenditure_total input");
    tr.AddMoney("expenditure.claims", "Expenditure (claims, after truncation)", *expenditure,
                "input", {}, "inputs.expenditure_total");
    sp.benchmark_id = std::string(figure::kBenchmarkTotal);
    sp.expenditure = *expenditure;
    sp.expenditure_id = "expenditure.claims";
    spending = sp;
  }
  LayerLoopInputs li;
  li.contract = &k;
  li.quantities = &quantities;
  li.spending = spending ? &*spending : nullptr;
  li.resolve_terms = [&](const PaymentLayerTerms& p) -> Result<SharedSavingsTerms> {
    auto terms = ResolveSharedSavingsTerms(k, p.id, ro);
    if (terms.ok() && adjust) adjust(&*terms);
    return terms;
  };
  li.shared_context = ctx;
  auto loop = RunLayers(li, &tr);
  if (!loop.ok()) return loop.status();
  if (Status u = tr.CheckUnique(); !u.ok()) return u;
  r.layers = loop->layers;
  r.net_payer_to_provider = loop->net_payer_to_provider;
  for (const auto& l : r.layers) {
    if (!l.note.empty()) r.notes.push_back(fmt::format("{}: {}", l.id, l.note));
  }
  if (!loop->first_shared_id.empty()) {
    r.shared_layer_id = loop->first_shared_id;
    r.shared = loop->outcomes.at(r.shared_layer_id).shared;
    auto terms = ResolveSharedSavingsTerms(k, r.shared_layer_id, ro);
    if (!terms.ok()) return terms.status();
    if (adjust) adjust(&*terms);
    r.terms = *terms;
  }
  return r;
}

}  // namespace valuepact
