// valuepact what-if RUN --set KEY=VALUE ... (docs/what-if.md)
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "valuepact/review/what_if.h"

namespace valuepact::cli {
namespace {

struct WhatIfArgs {
  std::string run;
  std::vector<std::string> set;
  std::string store;
  bool json = false;
};

void PrintTable(const nlohmann::ordered_json& j) {
  for (const auto& c : j["changes"]) {
    const std::string before = c["before"].get<std::string>();
    std::printf("%s: %s -> %s\n", c["key"].get<std::string>().c_str(),
                before.empty() ? "(absent)" : before.c_str(),
                c["after"].get<std::string>().c_str());
  }
  std::printf("\n%-28s %16s %16s %16s\n", "", "settled", "what-if", "change");
  auto row = [](const std::string& label, const nlohmann::ordered_json& a) {
    std::printf("%-28s %16s %16s %16s\n", label.substr(0, 28).c_str(),
                a["settled"].get<std::string>().c_str(), a["what_if"].get<std::string>().c_str(),
                a["change"].get<std::string>().c_str());
  };
  row("benchmark", j["benchmark_total"]);
  for (const auto& l : j["layers"]) row(l["id"].get<std::string>(), l);
  row("net payer to provider", j["net_payer_to_provider"]);
  for (const auto& n : j["notes"]) std::printf("note: %s\n", n.get<std::string>().c_str());
}

int Run(const WhatIfArgs& a) {
  const std::string where = a.store.empty() ? DefaultStoreLocation() : a.store;
  if (Status s = StoreMustExist(where); !s.ok()) return Fail(s);
  auto store = RunStore::Open(where);
  if (!store.ok()) return Fail(store.status());
  auto record = (*store)->Get(a.run, true);
  if (!record.ok()) return Fail(record.status());
  auto edits = TermEditsFromArguments(a.set);
  if (!edits.ok()) return Fail(edits.status());
  auto run = review::PrepareWhatIf(*record);
  if (!run.ok()) return Fail(run.status());
  auto j = review::WhatIf(*run, *edits);
  if (!j.ok()) return Fail(j.status());
  if (a.json) {
    std::printf("%s\n", j->dump(2).c_str());
  } else {
    PrintTable(*j);
  }
  return 0;
}

const RegisterCommand kWhatIf(
    {"what-if", 39, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "what-if",
           "Settle a recorded settle run again with changed payment terms (sharing rate, MSR/MLR, "
           "caps, truncation, target PMPM, case rates), from the aggregates the run kept");
       cmd->footer(
           "Keys: payment.<layer id>.<term> (payment.case-rate.pmpm.home) and "
           "benchmark.target_pmpm;\nvalues are TOML. The answer equals a `settle` of the changed "
           "contract on the same data.\n\nExample:\n  valuepact what-if 3f2a --set "
           "payment.shared-savings.sharing_rate=0.6 --set payment.shared-savings.savings_cap=0.1"
           "\n\ndocs/what-if.md.");
       auto a = std::make_shared<WhatIfArgs>();
       cmd->add_option("RUN", a->run, "the settle run (a run id prefix or #N, as for `runs`)")
           ->required();
       cmd->add_option("--set", a->set, "KEY=VALUE: a contract term to change (repeatable)")
           ->required();
       cmd->add_option("--store", a->store,
                       "run store to read the run from: a SQLite file or a postgresql:// URL "
                       "(default: $VALUEPACT_STORE, else ~/.local/share/valuepact/runs.sqlite)");
       cmd->add_flag("--json", a->json, "print the answer as JSON (as the server's API gives it)");
       cmd->callback([a] { SetExitCode(Run(*a)); });
     }});

}  // namespace
}  // namespace valuepact::cli
