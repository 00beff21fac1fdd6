// The run pipeline reads every file through the file-access interface: a whole settlement from
// memory, and a read error that stops the run instead of shortening it.
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../ingest_cclf/cclf_test_util.h"
#include "test_paths.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/files.h"
#include "valuepact/run/loader.h"
#include "valuepact/run/settle_run.h"

namespace valuepact::run {
namespace {

namespace fs = std::filesystem;

// The golden case program_layer_rules, copied into memory under "k/".
MemoryFileSystem ProgramLayerCase() {
  MemoryFileSystem files;
  const fs::path src = fs::path(testing::SourceDir()) / "tests/cases/program_layer_rules";
  files.Put("k/contract.toml", *ReadWholeFile((src / "contract.toml").string()));
  for (const auto& e : fs::directory_iterator(src / "data")) {
    files.Put("k/data/" + e.path().filename().string(), *ReadWholeFile(e.path().string()));
  }
  return files;
}

SettleRequest Request() {
  SettleRequest req;
  req.inputs.contract = "k/contract.toml";
  req.inputs.data = "k/data";
  req.inputs.value_sets = {};
  return req;
}

TEST(Loader, SettlesEntirelyFromMemory) {
  const MemoryFileSystem files = ProgramLayerCase();
  auto r = SettleRun(Request(), files);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->settlement.net_payer_to_provider.ToString(), "5000.00");
  EXPECT_EQ(r->settlement.member_months, 26);
  // Every file the run read is hashed into its id: the contract and the five data files.
  size_t program_and_claims = r->inputs->dataset.sources.size();
  EXPECT_EQ(program_and_claims, 6u);
}

// The case again, its claim lines with two diagnosis codes each (one not ICD-10-CM shaped).
MemoryFileSystem ProgramLayerCaseWithDiagnoses() {
  MemoryFileSystem files = ProgramLayerCase();
  const fs::path src = fs::path(testing::SourceDir()) / "tests/cases/program_layer_rules/data";
  const std::string csv = *ReadWholeFile((src / "medical_claim.csv").string());
  std::string with;
  bool header = true;
  for (size_t at = 0; at < csv.size();) {
    const size_t end = csv.find('\n', at);
    with += csv.substr(at, end - at) +
            (header ? ",diagnosis_code_1,diagnosis_code_2" : ",i10,9XX") + "\n";
    header = false;
    at = end + 1;
  }
  files.Put("k/data/medical_claim.csv", with);
  return files;
}

Result<Contract> ContractWith(const std::string& extra) {
  return ParseContract(R"(
[contract]
id = "k"
period = { start = 2018-01-01, end = 2018-12-31 }
payers = ["medicare"]
[benchmark]
method = "target_pmpm"
target_pmpm = 500.00
[[payment]]
id = "savings"
kind = "shared_savings"
sharing_rate = 0.5
)" + extra,
                       "k.toml");
}

TEST(Loader, APmpmContractReadsNoCodesAndSettlesTheSame) {
  auto plain = ContractWith("");
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_FALSE(ContractUsesCodes(*plain));
  EXPECT_TRUE(DataLoadOptions(*plain).diagnoses);  // only when the command asks
  EXPECT_FALSE(DataLoadOptions(*plain, true).diagnoses);
  auto defined = ContractWith("[definitions]\nolder = \"age >= 65\"\n");
  ASSERT_TRUE(defined.ok()) << defined.status().message();
  EXPECT_TRUE(ContractUsesCodes(*defined));
  EXPECT_TRUE(DataLoadOptions(*defined, true).diagnoses);

  const MemoryFileSystem files = ProgramLayerCaseWithDiagnoses();
  SettleRequest lean_req = Request();
  lean_req.inputs.codes_as_contract_needs = true;
  auto full = SettleRun(Request(), files), lean = SettleRun(lean_req, files);
  ASSERT_TRUE(full.ok()) << full.status().message();
  ASSERT_TRUE(lean.ok()) << lean.status().message();
  EXPECT_TRUE(full->inputs->dataset.medical.diagnoses_kept());
  EXPECT_FALSE(lean->inputs->dataset.medical.diagnoses_kept());
  EXPECT_EQ(lean->run_id, full->run_id);
  EXPECT_EQ(lean->settlement.net_payer_to_provider, full->settlement.net_payer_to_provider);
  EXPECT_GT(full->quality.scorecard.invalid_dx_codes, 0u);
  EXPECT_EQ(quality::QualityJson(lean->quality.scorecard, nullptr),
            quality::QualityJson(full->quality.scorecard, nullptr));
  // Whatever needs the codes says so loudly on a lean read, never sees lines without codes.
  const Status s = RequireDiagnoses(lean->inputs->dataset.medical, "CMS-HCC risk scores");
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_NE(s.message().find("CMS-HCC risk scores needs"), std::string::npos);
  EXPECT_TRUE(RequireDiagnoses(full->inputs->dataset.medical, "CMS-HCC risk scores").ok());
}

// A file system whose reads of one path fail, as an unreadable file or folder would.
class FailingFiles final : public FileSystem {
 public:
  FailingFiles(const FileSystem& base, std::string broken)
      : base_(base), broken_(std::move(broken)) {}
  FileKind Kind(const std::string& p) const override { return base_.Kind(p); }
  Result<FileBytes> Load(const std::string& p, uint64_t max_bytes) const override {
    if (p == broken_) return IoError(p + ": permission denied");
    return base_.Load(p, max_bytes);
  }
  Result<std::string> Head(const std::string& p, size_t n) const override {
    if (p == broken_) return IoError(p + ": permission denied");
    return base_.Head(p, n);
  }
  Result<std::vector<std::string>> List(const std::string& d) const override {
    if (d == broken_) return IoError(d + ": permission denied");
    return base_.List(d);
  }
  Result<std::vector<std::string>> ListRecursive(const std::string& d) const override {
    if (d == broken_) return IoError(d + ": permission denied");
    return base_.ListRecursive(d);
  }

 private:
  const FileSystem& base_;
  std::string broken_;
};

TEST(Loader, AnUnreadableInputStopsTheRunNamingIt) {
  const MemoryFileSystem files = ProgramLayerCase();
  for (const std::string broken :
       {"k/data/medical_claim.csv", "k/data/visits.csv", "k/data", "k/contract.toml"}) {
    const FailingFiles failing(files, broken);
    auto r = SettleRun(Request(), failing);
    ASSERT_FALSE(r.ok()) << broken;
    EXPECT_NE(r.status().message().find(broken), std::string::npos) << r.status().message();
  }
}

TEST(Loader, AMissingProgramFolderOrContractIsAnInputError) {
  const MemoryFileSystem files = ProgramLayerCase();
  SettleRequest req = Request();
  req.inputs.program = "k/nowhere";
  auto r = SettleRun(req, files);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("k/nowhere"), std::string::npos);
  req = Request();
  req.inputs.contract = "k";
  r = SettleRun(req, files);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("is a folder"), std::string::npos);
  req = Request();
  req.inputs.data = "k/no-such-data";
  r = SettleRun(req, files);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "--data k/no-such-data: no such folder");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);  // exit code 2, bad input
}

// A CCLF delivery whose CCLF0 announces `announced` CCLF8 records; the CCLF8 file has one.
MemoryFileSystem CclfDelivery(uint64_t announced) {
  MemoryFileSystem files;
  files.Put("c/contract.toml", R"([contract]
id = "cclf-counts"
payer = "Plan"
provider = "Group"
period = { start = 2024-01-01, end = 2024-12-31 }
payers = ["medicare"]
services = ["medical"]
basis = "paid"

[benchmark]
method = "target_pmpm"
target_pmpm = 900.00

[[payment]]
id = "care"
kind = "case_rate"
pmpm = 10.00
)");
  files.Put("c/data/P.A1.ACO.ZC0Y24.D240108.T0000000",
            fmt::format("File Number  |File Description    |Total Records Count |Record Length\n"
                        "CCLF8  |Beneficiary Demographics File              |{:>11}|  549\n",
                        announced));
  files.Put("c/data/P.A1.ACO.ZC8Y24.D240108.T0000000",
            cclf::testing::Record('8', {{"BENE_MBI_ID", "B0000000001"}}) + "\n");
  return files;
}

TEST(Loader, ACclfDeliveryShortOfItsControlCountsStopsTheRun) {
  InputPaths p;
  p.contract = "c/contract.toml";
  p.data = "c/data";
  auto ok = LoadRunInputs(p, CclfDelivery(1));
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  auto short_of = LoadRunInputs(p, CclfDelivery(2));
  ASSERT_FALSE(short_of.ok());
  EXPECT_EQ(short_of.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(short_of.status().message().find("the CCLF delivery is incomplete"), std::string::npos)
      << short_of.status().message();
  EXPECT_NE(short_of.status().message().find("CCLF0 announces 2 records for CCLF8"),
            std::string::npos)
      << short_of.status().message();
}

TEST(Loader, InputsCarrySizeAndTimeOfEachFileRead) {
  const MemoryFileSystem files = ProgramLayerCase();
  auto r = SettleRun(Request(), files);
  ASSERT_TRUE(r.ok()) << r.status().message();
  for (const auto& s : r->inputs->dataset.sources) {
    EXPECT_GT(s.bytes, 0u) << s.path;  // in memory: the size, no time
  }
  ASSERT_FALSE(r->inputs->files.empty());
  EXPECT_EQ(r->inputs->files[0].role, "contract");
  EXPECT_GT(r->inputs->files[0].bytes, 0u);
}

}  // namespace
}  // namespace valuepact::run
