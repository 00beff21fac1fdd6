// libFuzzer target for contracts: the input is a contract's TOML, loaded as `validate`,
// `check` and `settle` load it (parsed, checked, definitions compiled against value sets, the
// attribution files it names read), then its [[example]] blocks are evaluated. Every input must
// give a contract or an error, never a fault. An odd-sized input is read as a draft (population
// commands accept a contract without [benchmark] and [[payment]]).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "valuepact/core/files.h"
#include "valuepact/run/loader.h"
#include "valuepact/settlement/examples_check.h"

namespace {

// The folder beside the contract: value sets, a payer attribution list and a provider
// directory, so contracts that name them load them.
const valuepact::MemoryFileSystem& Folder(const std::string& contract) {
  static valuepact::MemoryFileSystem files = [] {
    valuepact::MemoryFileSystem f;
    f.Put("/c/valuesets/sets.csv",
          "value_set,code_system,code,description\n"
          "advanced_cancer,icd-10-cm,C77*,\ncopd,icd-10-cm,J44*,\ndementia,icd-10-cm,F01*,\n"
          "dialysis_services,hcpcs,90935,\nesrd,icd-10-cm,N18.6,\nheart_failure,icd-10-cm,I50*,\n"
          "heart_failure,icd-10-cm,I11.0,\nhospice_services,bill_type,81*,\n"
          "hospice_services,pos,34,\nliver_failure,icd-10-cm,K70.3*,\n"
          "primary_care_visits,hcpcs,99213,\nserious_illness_dme,hcpcs,E0424,\n"
          "palliative,icd-10-pcs,0DT*,\n");
    f.Put("/c/attributed.csv", "person_id,provider,start,end\nA,1013093574,,\nB,,2018-06-01,\n");
    f.Put("/c/providers.csv", "npi,type\n1013093574,primary_care\n1013987619,specialist\n");
    return f;
  }();
  files.Put("/c/contract.toml", contract);
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  valuepact::fuzz::OneThread();
  valuepact::run::InputPaths paths;
  paths.contract = "/c/contract.toml";
  paths.allow_draft = size % 2 == 1;
  auto inputs = valuepact::run::LoadContractInputs(
      paths, Folder(std::string(valuepact::fuzz::Bytes(data, size))));
  if (!inputs.ok()) return 0;
  const valuepact::Contract& contract = (*inputs)->contract;
  const auto checks = valuepact::CheckExamples(contract, {});
  (void)valuepact::DescribeFailures(contract, checks, true);
  return 0;
}
