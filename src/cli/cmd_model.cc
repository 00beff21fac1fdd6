// valuepact model cost | ramp | roi | simulate | variants — program economics
// (docs/modeling.md).
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/modeling/outputs.h"
#include "valuepact/run/model_runs.h"

namespace valuepact::cli {
namespace {

struct ModelArgs {
  std::string assumptions;
  run::InputPaths inputs;
  std::string out;
  int threads = 0;
  std::vector<int64_t> census = {10, 25, 50, 100, 200};
  // simulate, variants
  int64_t members = 0;
  int years = 1000;
  uint64_t seed = 1;
  std::string variants;
  // roi
  std::string savings, payments, metrics_dir, settlement_dir, ramp_dir;
  std::vector<std::string> layers;
};

struct OutFile {
  std::string name;
  std::string body;
};

Status WriteAll(const std::string& out, const std::vector<OutFile>& files) {
  auto writer = FolderWriter::Begin(out);
  if (!writer.ok()) return writer.status();
  for (const auto& f : files) {
    if (Status s = writer->Write(f.name, f.body); !s.ok()) return s;
  }
  return writer->Commit();
}

std::string Dump(const nlohmann::ordered_json& j) { return j.dump(2) + "\n"; }

int ModelCost(const ModelArgs& a) {
  auto as = modeling::LoadAssumptions(a.assumptions);
  if (!as.ok()) return Fail(as.status());
  auto m = modeling::ComputeCostModel(*as, a.census);
  if (!m.ok()) return Fail(m.status());
  std::optional<modeling::ActualCost> actual;
  if (!a.inputs.data.empty()) {
    if (a.inputs.contract.empty()) {
      return Fail(InvalidInput(
          "--data needs --contract: the actual cost is over the program member-months of the "
          "contract's population and period, the months its case rate pays for"));
    }
    auto data = run::LoadModelData(a.inputs);
    if (!data.ok()) return Fail(data.status());
    actual = run::ActualCareCost(*data, *as);
  }
  const auto* act = actual ? &*actual : nullptr;
  if (Status s = WriteAll(a.out, {{"cost.json", Dump(modeling::CostJson(*m, act))},
                                  {"cost.md", modeling::CostMarkdown(*m, act)}});
      !s.ok()) {
    return Fail(s);
  }
  std::printf(
      "Variable cost per member-month %s, fixed %s per month%s; results in %s\n",
      m->variable_per_member_month.ToString().c_str(), m->fixed_per_month.ToString().c_str(),
      act ? fmt::format(" (actual: {} over {} program member-months)",
                        act->variable_per_member_month.ToString(), act->program_member_months)
                .c_str()
          : "",
      a.out.c_str());
  if (act) {
    for (const auto& n : act->notes) std::fprintf(stderr, "note: %s\n", n.c_str());
  }
  return 0;
}

Result<modeling::RampResult> Ramp(const modeling::Assumptions& as, const Contract& k) {
  auto m = modeling::ComputeCostModel(as, {});
  if (!m.ok()) return m.status();
  return modeling::ProjectRamp(as, *m, k);
}

int ModelRamp(const ModelArgs& a) {
  auto as = modeling::LoadAssumptions(a.assumptions);
  if (!as.ok()) return Fail(as.status());
  auto k = LoadContract(a.inputs.contract, {.allow_draft = false});
  if (!k.ok()) return Fail(k.status());
  auto r = Ramp(*as, *k);
  if (!r.ok()) return Fail(r.status());
  if (Status s = WriteAll(a.out, {{"ramp.csv", modeling::RampCsv(*r)},
                                  {"break_even.json", Dump(modeling::BreakEvenJson(*r))},
                                  {"ramp.md", modeling::RampMarkdown(*r)}});
      !s.ok()) {
    return Fail(s);
  }
  const auto& b = r->break_even;
  std::printf(
      "Break-even census %s; first month with a non-negative margin: %s; peak cumulative loss "
      "%s; results in %s\n",
      b.census ? std::to_string(*b.census).c_str() : "never",
      b.month ? std::to_string(*b.month).c_str() : "none",
      b.peak_cumulative_loss.ToString().c_str(), a.out.c_str());
  for (const auto& n : r->notes) std::fprintf(stderr, "note: %s\n", n.c_str());
  return 0;
}

Result<Money> Amount(const std::string& text, const char* flag) {
  auto m = ParseMoney(text);
  if (!m.ok()) return InvalidInput(fmt::format("{} {}: not an amount", flag, text));
  return m->value;
}

Status RoiSavings(const ModelArgs& a, modeling::RoiInputs* in) {
  const int given = !a.savings.empty() + !a.metrics_dir.empty() + !a.assumptions.empty();
  if (!a.savings.empty()) {
    auto m = Amount(a.savings, "--savings");
    if (!m.ok()) return m.status();
    in->savings = *m, in->savings_source = "--savings (an assumption)";
  } else if (!a.metrics_dir.empty()) {
    auto m = run::SavingsFromMetrics(a.metrics_dir, &in->savings_source);
    if (!m.ok()) return m.status();
    in->savings = *m;
  } else if (!a.assumptions.empty()) {
    auto as = modeling::LoadAssumptions(a.assumptions);
    if (!as.ok()) return as.status();
    if (!as->roi.savings) return InvalidInput(a.assumptions + ": no [roi] savings");
    in->savings = *as->roi.savings;
    in->savings_source = a.assumptions + ": [roi] savings (an assumption)";
  }
  if (given == 0) {
    return InvalidInput("give the savings: --savings AMOUNT, --metrics DIR or --assumptions FILE");
  }
  return Status::Ok();
}

Status RoiPayments(const ModelArgs& a, modeling::RoiInputs* in) {
  if (!a.payments.empty()) {
    auto m = Amount(a.payments, "--payments");
    if (!m.ok()) return m.status();
    in->payments = *m, in->payments_source = "--payments";
    return Status::Ok();
  }
  Result<Money> m =
      InvalidInput("give the payments: --payments AMOUNT, --settlement RUN_DIR or --ramp RAMP_DIR");
  if (!a.settlement_dir.empty()) {
    m = run::PaymentsFromSettlement(a.settlement_dir, a.layers, &in->payments_source);
  } else if (!a.ramp_dir.empty()) {
    m = run::PaymentsFromRamp(a.ramp_dir, &in->payments_source);
  }
  if (!m.ok()) return m.status();
  in->payments = *m;
  return Status::Ok();
}

int ModelRoi(const ModelArgs& a) {
  modeling::RoiInputs in;
  if (Status s = RoiSavings(a, &in); !s.ok()) return Fail(s);
  if (Status s = RoiPayments(a, &in); !s.ok()) return Fail(s);
  auto r = modeling::ComputeRoi(in);
  if (!r.ok()) return Fail(r.status());
  if (Status s = WriteAll(a.out, {{"roi.json", Dump(modeling::RoiJson(*r))}}); !s.ok()) {
    return Fail(s);
  }
  std::printf("ROI %.4f: (savings %s − payments %s) ÷ payments %s; results in %s\n", r->roi,
              in.savings.ToString().c_str(), in.payments.ToString().c_str(),
              in.payments.ToString().c_str(), a.out.c_str());
  return 0;
}

modeling::SimulationOptions SimOptions(const ModelArgs& a) {
  modeling::SimulationOptions o;
  o.members = a.members;
  o.years = a.years;
  o.seed = a.seed;
  return o;
}

int ModelSimulate(const ModelArgs& a) {
  const auto threads = LimitThreads(a.threads);
  auto data = run::LoadModelData(a.inputs);
  if (!data.ok()) return Fail(data.status());
  auto base = run::SimulationBaseOf(*data);
  if (!base.ok()) return Fail(base.status());
  const Contract& k = data->inputs->contract;
  auto r = modeling::Simulate(k, *base, SimOptions(a), run::SharedContextOf(*data->inputs));
  if (!r.ok()) return Fail(r.status());
  nlohmann::ordered_json j = modeling::SimulationJson(*r);
  j["contract_id"] = k.id;
  j["settlement_of_the_data"] = data->settlement.net_payer_to_provider.ToString();
  std::vector<modeling::ChartRow> rows = {{"as written", &r->net}};
  for (const auto& t : r->terms) rows.push_back({t.label, &t.without});
  const std::string svg = modeling::DistributionSvg(
      fmt::format("{}: net settlement over {} simulated years of {} members", k.id, r->years,
                  r->members),
      rows);
  if (Status s = WriteAll(a.out, {{"simulation.json", Dump(j)}, {"simulation.svg", svg}});
      !s.ok()) {
    return Fail(s);
  }
  std::printf(
      "Net settlement over %d years of %lld members: mean %s, P5 %s, P50 %s, P95 %s; "
      "P(savings) %.1f%%, P(losses) %.1f%%; results in %s\n",
      r->years, static_cast<long long>(r->members), r->net.mean.ToString().c_str(),
      r->net.p5.ToString().c_str(), r->net.p50.ToString().c_str(), r->net.p95.ToString().c_str(),
      r->net.probability_savings * 100, r->net.probability_losses * 100, a.out.c_str());
  for (const auto& n : r->notes) std::fprintf(stderr, "note: %s\n", n.c_str());
  return 0;
}

Status VariantRamps(const ModelArgs& a, const Contract& k,
                    std::vector<modeling::VariantOutcome>* rows) {
  if (a.assumptions.empty()) return Status::Ok();
  auto as = modeling::LoadAssumptions(a.assumptions);
  if (!as.ok()) return as.status();
  for (auto& row : *rows) {
    Contract changed = k;
    if (row.variant->change.adjust_contract) row.variant->change.adjust_contract(&changed);
    auto r = Ramp(*as, changed);
    if (!r.ok()) return r.status();
    row.ramp = std::move(*r);
  }
  return Status::Ok();
}

int ModelVariants(const ModelArgs& a) {
  const auto threads = LimitThreads(a.threads);
  auto data = run::LoadModelData(a.inputs);
  if (!data.ok()) return Fail(data.status());
  const Contract& k = data->inputs->contract;
  auto text = ReadWholeFile(a.variants);
  if (!text.ok()) return Fail(text.status());
  auto variants = modeling::ParseVariants(*text, a.variants, k);
  if (!variants.ok()) return Fail(variants.status());
  auto base = run::SimulationBaseOf(*data);
  if (!base.ok()) return Fail(base.status());
  std::vector<modeling::ContractChange> changes;
  for (const auto& v : *variants) changes.push_back(v.change);
  modeling::SimulationOptions o = SimOptions(a);
  auto dists = modeling::SimulateChanges(k, *base, o, run::SharedContextOf(*data->inputs), changes);
  if (!dists.ok()) return Fail(dists.status());
  std::vector<modeling::VariantOutcome> rows;
  std::vector<modeling::ChartRow> chart;
  for (size_t i = 0; i < variants->size(); ++i) {
    rows.push_back({&(*variants)[i], (*dists)[i], std::nullopt});
  }
  chart.reserve(rows.size());
  for (const auto& row : rows) chart.push_back({row.variant->id, &*row.simulated});
  if (Status s = VariantRamps(a, k, &rows); !s.ok()) return Fail(s);
  const int64_t members = o.members > 0 ? o.members : static_cast<int64_t>(base->members.size());
  const std::string svg = modeling::DistributionSvg(
      fmt::format("{}: net settlement by variant ({} years of {} members)", k.id, o.years, members),
      chart);
  if (Status s = WriteAll(
          a.out, {{"variants.csv", modeling::VariantsCsv(rows)},
                  {"variants.md",
                   modeling::VariantsMarkdown(rows, "variants.svg", members, o.years, o.seed)},
                  {"variants.svg", svg}});
      !s.ok()) {
    return Fail(s);
  }
  for (const auto& row : rows) {
    for (const auto& n : row.simulated->notes) {
      std::fprintf(stderr, "note: variant %s, first simulated year: %s\n", row.variant->id.c_str(),
                   n.c_str());
    }
  }
  std::printf("%zu variants settled over %d simulated years of %lld members; results in %s\n",
              rows.size(), o.years, static_cast<long long>(members), a.out.c_str());
  return 0;
}

void AddSimulationFlags(CLI::App* cmd, ModelArgs* a) {
  AddInputFlags(cmd, &a->inputs, kDataFlags | kValueSetFlag | kRefdataFlag | kMeasuresFlag);
  cmd->add_option("--members", a->members,
                  "members drawn per simulated year (default: as many as the data's population)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--years", a->years, "simulated years (default 1000)")
      ->check(CLI::Range(1, 10'000'000));
  cmd->add_option("--seed", a->seed,
                  "random seed (default 1): the same seed gives the same "
                  "output on any number of threads");
  cmd->add_option("--threads", a->threads, "worker threads (default: all cores)");
  cmd->add_option("--out", a->out, "output folder")->required();
}

void AddCost(CLI::App* model) {
  auto a = std::make_shared<ModelArgs>();
  auto* cmd = model->add_subcommand(
      "cost", "Cost of care delivery per member-month from the care model, and at each census");
  cmd->add_option("ASSUMPTIONS", a->assumptions, "assumptions TOML file")->required();
  cmd->add_option("--data", a->inputs.data,
                  "also price the care actually delivered (visits.csv) over program "
                  "member-months (needs --contract)");
  cmd->add_option("--program", a->inputs.program, "program data folder (default: --data)");
  cmd->add_option("--contract", a->inputs.contract,
                  "contract whose population and period count the program member-months");
  cmd->add_option("--census", a->census,
                  "census points for the cost table (default 10 25 50 "
                  "100 200)");
  cmd->add_option("--out", a->out, "output folder (cost.json, cost.md)")->required();
  cmd->callback([a] { SetExitCode(ModelCost(*a)); });
}

void AddRamp(CLI::App* model) {
  auto a = std::make_shared<ModelArgs>();
  auto* cmd = model->add_subcommand(
      "ramp", "Monthly census, revenue, cost and margin while referrals ramp up; break-even");
  cmd->add_option("ASSUMPTIONS", a->assumptions, "assumptions TOML file with [ramp]")->required();
  cmd->add_option("--contract", a->inputs.contract, "contract whose layers pay the revenue")
      ->required();
  cmd->add_option("--out", a->out, "output folder (ramp.csv, break_even.json, ramp.md)")
      ->required();
  cmd->callback([a] { SetExitCode(ModelRamp(*a)); });
}

void AddRoi(CLI::App* model) {
  auto a = std::make_shared<ModelArgs>();
  auto* cmd = model->add_subcommand(
      "roi", "Payer ROI = (savings − program payments) ÷ program payments, with its inputs");
  cmd->add_option("--savings", a->savings, "gross savings to the payer (an assumption)");
  cmd->add_option("--metrics", a->metrics_dir,
                  "savings from a metrics run folder: the enrolled-vs-comparison paid PMPM "
                  "difference × enrolled member-months");
  cmd->add_option("--assumptions", a->assumptions, "savings from an assumptions file's [roi]");
  cmd->add_option("--payments", a->payments, "program payments (an amount)");
  cmd->add_option("--settlement", a->settlement_dir,
                  "payments from a settle run folder (summary.json layers)");
  cmd->add_option("--layer", a->layers,
                  "with --settlement: count only these layers (repeatable; default: all)");
  cmd->add_option("--ramp", a->ramp_dir, "payments from a model ramp folder (ramp.csv revenue)");
  cmd->add_option("--out", a->out, "output folder (roi.json)")->required();
  cmd->callback([a] { SetExitCode(ModelRoi(*a)); });
}

void AddSimulate(CLI::App* model) {
  auto a = std::make_shared<ModelArgs>();
  auto* cmd = model->add_subcommand(
      "simulate",
      "Distribution of the net settlement over simulated years (bootstrap of member-years), "
      "with and without each protective term");
  cmd->add_option("CONTRACT", a->inputs.contract, "contract TOML file")->required();
  AddSimulationFlags(cmd, a.get());
  cmd->callback([a] { SetExitCode(ModelSimulate(*a)); });
}

void AddVariants(CLI::App* model) {
  auto a = std::make_shared<ModelArgs>();
  auto* cmd = model->add_subcommand(
      "variants",
      "Contract variants × outcomes: simulated settlement and, with --assumptions, "
      "the ramp");
  cmd->add_option("CONTRACT", a->inputs.contract, "contract TOML file")->required();
  cmd->add_option("--variants", a->variants,
                  "CSV: id, then columns of terms (methodology keys, truncation on|off, "
                  "<layer>.pmpm, <layer>.pmpm.<setting>, <layer>.amount)")
      ->required();
  cmd->add_option("--assumptions", a->assumptions, "assumptions TOML file: adds the ramp");
  AddSimulationFlags(cmd, a.get());
  cmd->callback([a] { SetExitCode(ModelVariants(*a)); });
}

const RegisterCommand kModel({"model", 75, [](CLI::App& app) {
                                auto* model = app.add_subcommand(
                                    "model",
                                    "Program economics: cost of care, break-even and ramp, payer "
                                    "ROI, settlement risk, contract variants (docs/modeling.md)");
                                model->require_subcommand(1);
                                AddCost(model);
                                AddRamp(model);
                                AddRoi(model);
                                AddSimulate(model);
                                AddVariants(model);
                              }});

}  // namespace
}  // namespace valuepact::cli
