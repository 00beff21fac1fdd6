#include "valuepact/run/aggregate_runs.h"

namespace valuepact::run {
namespace {

SharedSavingsContext ContextFor(const RunInputs& in) {
  SharedSavingsContext ctx;
  ctx.msr_bands = OptionalMsrBands(*in.refdata);
  return ctx;
}

// The --set arguments and the contract, as illustrate and scenarios both start.
Status LoadWithSets(const InputPaths& paths, const std::vector<std::string>& set,
                    const FileSystem& files, SetOverrides* sets,
                    std::unique_ptr<RunInputs>* inputs) {
  auto parsed = ParseSetArguments(set);
  if (!parsed.ok()) {
    return parsed.status();
  }
  *sets = std::move(*parsed);
  auto in = LoadContractInputs(paths, files);
  if (!in.ok()) {
    return in.status();
  }
  *inputs = std::move(*in);
  return Status::Ok();
}

}  // namespace

Result<CheckRunResult> CheckRun(const InputPaths& paths, const FileSystem& files) {
  CheckRunResult out;
  auto in = LoadContractInputs(paths, files);
  if (!in.ok()) {
    return in.status();
  }
  out.inputs = std::move(*in);
  const Contract& k = out.inputs->contract;
  out.checks = CheckExamples(k, ContextFor(*out.inputs));
  for (const auto& c : out.checks) {
    out.failed += !(c.passed && c.error.empty());
  }
  out.failures = DescribeFailures(k, out.checks, true);
  return out;
}

Result<IllustrateRunResult> IllustrateRun(const InputPaths& paths,
                                          const std::vector<std::string>& set,
                                          const FileSystem& files) {
  IllustrateRunResult out;
  SetOverrides sets;
  if (Status s = LoadWithSets(paths, set, files, &sets, &out.inputs); !s.ok()) {
    return s;
  }
  auto ill = Illustrate(out.inputs->contract, sets, ContextFor(*out.inputs));
  if (!ill.ok()) {
    return ill.status();
  }
  out.illustration = std::move(*ill);
  return out;
}

Result<ScenariosRunResult> ScenariosRun(const InputPaths& paths, const std::string& input_csv,
                                        const std::vector<std::string>& set,
                                        const FileSystem& files) {
  ScenariosRunResult out;
  SetOverrides sets;
  if (Status s = LoadWithSets(paths, set, files, &sets, &out.inputs); !s.ok()) {
    return s;
  }
  auto bytes = files.Read(input_csv);
  if (!bytes.ok()) {
    return InvalidInput("--input: " + bytes.status().message());
  }
  auto rep = RunScenarios(out.inputs->contract, *bytes, input_csv, sets, ContextFor(*out.inputs));
  if (!rep.ok()) {
    return rep.status();
  }
  out.report = std::move(*rep);
  return out;
}

}  // namespace valuepact::run
