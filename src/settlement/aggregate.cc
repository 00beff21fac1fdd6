#include "valuepact/settlement/aggregate.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "valuepact/contract/examples.h"
#include "valuepact/refdata/refdata_dir.h"
#include "valuepact/settlement/program_layers.h"

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
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(d) || d < lo || d > hi) {
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

}  // namespace

Status LoadMsrBandsFor(const std::string& refdata_flag, std::optional<MsrBandTable>* table) {
  auto dir = ResolveRefdataDir(refdata_flag);
  if (!dir.ok()) {
    // Only an explicit directory that is missing is an error; a variable MSR reports the
    // missing table when it is needed.
    return refdata_flag.empty() ? Status::Ok() : dir.status();
  }
  auto t = MsrBandTable::Load(MsrBandTable::PathIn(*dir));
  if (!t.ok()) return refdata_flag.empty() ? Status::Ok() : t.status();
  *table = std::move(*t);
  return Status::Ok();
}

Result<AggregateResult> EvaluateAggregate(const Contract& k0,
                                          const std::map<std::string, std::string>& inputs,
                                          const SetOverrides& set,
                                          const SharedSavingsContext& ctx) {
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
  const std::optional<int64_t> assessments = in.Count("assessments_completed");
  const std::optional<int64_t> outliers = in.Count("outlier_member_months");
  const std::optional<int64_t> acp = in.Count("acp_discussions");
  const std::optional<double> reporting = in.Number("data_reporting_rate", 0, 1);
  const std::optional<double> quality_measure = in.Number("quality_measure", 0, 1e9);
  if (!in.errors().empty()) {
    std::string msg;
    for (const auto& e : in.errors()) msg += (msg.empty() ? "" : "; ") + e;
    return InvalidInput(msg);
  }
  Trace& tr = r.trace;
  if (member_months) {
    tr.AddCount("population.member_months", "Member-months", *member_months, "member_months",
                "input", {}, "inputs.member_months");
  }
  if (members) {
    tr.AddCount("population.members", "Members", *members, "members", "input", {},
                "inputs.members");
  }

  std::map<std::string, AggregateLayer> done;
  auto clause_of = [](const PaymentLayerTerms& p) {
    return p.source_line > 0
               ? fmt::format("[[payment]] id = \"{}\" (contract line {})", p.id, p.source_line)
               : fmt::format("[[payment]] id = \"{}\"", p.id);
  };
  for (const auto& p : k.payments) {
    if (p.kind == "shared_savings") continue;
    const std::string pre = fmt::format("layer.{}", p.id);
    AggregateLayer l{p.id, p.kind, p.label, Money(), pre + ".amount", "", ""};
    if (p.kind == "case_rate") {
      tr.AddMoney(pre + ".pmpm", fmt::format("{}: rate per member-month", p.label),
                  p.case_rate.pmpm, "contract term", {}, clause_of(p) + ".pmpm");
      if (!member_months) {
        l.branch = "no_input";
        l.note = "no member_months input: the case rate pays nothing";
        tr.AddMoney(l.trace_id, fmt::format("{}: case-rate payment", p.label), Money(), l.note,
                    {pre + ".pmpm"}, clause_of(p));
      } else {
        l.amount = p.case_rate.pmpm * *member_months;
        l.branch = "case_rate";
        tr.AddMoney(l.trace_id, fmt::format("{}: case-rate payment", p.label), l.amount,
                    "PMPM × member-months (exact in cents; no rounding needed)",
                    {pre + ".pmpm", "population.member_months"}, clause_of(p));
      }
    } else {
      ProgramLayerInputs pi;
      pi.member_months = member_months.value_or(0);
      pi.members = members.value_or(0);
      if (member_months) pi.member_months_id = "population.member_months";
      if (members) pi.members_id = "population.members";
      if (p.kind == "assessment_fee") {
        pi.units = assessments;
        pi.units_source = "inputs.assessments_completed";
      } else if (p.kind == "outlier_supplement") {
        pi.units = outliers;
        pi.units_source = "inputs.outlier_member_months";
      } else if (p.kind == "acp_incentive") {
        pi.units = acp;
        pi.units_source = "inputs.acp_discussions";
      } else if (p.kind == "data_reporting_incentive") {
        pi.measure = reporting;
        pi.measure_source = "inputs.data_reporting_rate";
      } else {
        pi.measure = quality_measure;
        pi.measure_source = "inputs.quality_measure";
      }
      const ProgramLayerOutcome o = ComputeProgramLayer(p, pi, pre, clause_of(p), &tr);
      l.amount = o.amount;
      l.branch = o.branch;
      l.note = o.note;
    }
    done[p.id] = l;
  }

  bool first_ss = true;
  for (const auto& p : k.payments) {
    if (p.kind != "shared_savings") continue;
    const std::string pre = fmt::format("layer.{}", p.id);
    auto terms = ResolveSharedSavingsTerms(k, p.id, ro);
    if (!terms.ok()) return terms.status();
    // Benchmark: given, or PMPM × member-months (input PMPM, else the contract's target).
    Money b;
    if (benchmark) {
      b = *benchmark;
      tr.AddMoney("benchmark.total", "Benchmark", b, "input", {}, "inputs.benchmark_total");
    } else if (member_months && (bench_pmpm || k.benchmark.method == "target_pmpm")) {
      const Money pmpm = bench_pmpm.value_or(k.benchmark.target_pmpm);
      tr.AddMoney("benchmark.pmpm", "Benchmark per member per month", pmpm,
                  bench_pmpm ? "input" : "contract term", {},
                  bench_pmpm ? "inputs.benchmark_pmpm" : "benchmark.target_pmpm");
      b = pmpm * *member_months;
      tr.AddMoney("benchmark.total", "Benchmark", b, "benchmark PMPM × member-months",
                  {"benchmark.pmpm", "population.member_months"}, "benchmark");
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
    Money e = *expenditure;
    std::vector<std::string> e_in = {"expenditure.claims"};
    std::string formula = "claims expenditure";
    const auto& offsets =
        terms->offset_layers.empty() ? p.shared_savings.offset_layers : terms->offset_layers;
    if (offsets.empty()) formula += " (no payment layer is counted as spending)";
    for (const auto& off :
         terms->offset_layers.empty() ? p.shared_savings.offset_layers : terms->offset_layers) {
      auto it = done.find(off);
      if (it == done.end()) continue;
      e += it->second.amount;
      e_in.push_back(it->second.trace_id);
      formula += fmt::format(" + layer '{}'", off);
    }
    tr.AddMoney(pre + ".expenditure", fmt::format("{}: expenditure", p.label), e, formula, e_in,
                offsets.empty() ? clause_of(p) : clause_of(p) + ".offset_layers");
    SharedSavingsInputs si = ss;
    si.benchmark = b;
    si.expenditure = e;
    si.benchmark_id = "benchmark.total";
    si.expenditure_id = pre + ".expenditure";
    auto o = ComputeSharedSavings(*terms, si, ctx, pre, clause_of(p), &tr);
    if (!o.ok()) return o.status();
    done[p.id] = AggregateLayer{p.id, p.kind, p.label, o->amount, o->amount_id, o->branch, o->note};
    if (first_ss) {
      r.shared_layer_id = p.id;
      r.shared = *o;
      r.terms = *terms;
      first_ss = false;
    }
  }
  std::vector<std::string> ids;
  for (const auto& p : k.payments) {
    const AggregateLayer& l = done.at(p.id);
    r.layers.push_back(l);
    r.net_payer_to_provider += l.amount;
    ids.push_back(l.trace_id);
    if (!l.note.empty()) r.notes.push_back(fmt::format("{}: {}", p.id, l.note));
  }
  tr.AddMoney("net_payer_to_provider", "Net amount the payer owes the provider",
              r.net_payer_to_provider,
              "Σ of every payment layer's amount (negative: provider owes)", ids,
              "contract [[payment]] layers");
  return r;
}

}  // namespace valuepact
