// Attribution methods other than plurality (which the golden case covers), the [attribution]
// table, and the rationale written for each member.
#include "valuepact/attribution/attribution.h"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "../population/dataset_builder.h"
#include "test_paths.h"
#include "valuepact/contract/contract.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/files.h"
#include "valuepact/run/loader.h"

namespace valuepact::attribution {
namespace {

using testing::D;
using testing::DatasetBuilder;

const Period k2018{D("2018-01-01"), D("2018-12-31")};

TEST(Attribution, EnrolledAndProgramEnrollment) {
  DatasetBuilder b;
  b.Span("A", "2017-01-01", "2017-12-31");  // not enrolled in 2018
  b.Span("B", "2018-12-31", "2019-06-30");  // enrolled on the period's last day only
  b.Enrollment("A", "2017-06-01", "2018-01-01");
  b.Enrollment("B", "2019-01-01", nullptr);
  b.Finish();
  AttributionSpec spec;
  spec.contract_provider = "Palliative Group";
  auto r = Attribute(b.ds, &b.program, spec, k2018, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(b.ds.members.Get(r->rows[0].member), "B");
  EXPECT_EQ(r->rows[0].provider, "Palliative Group");
  spec.method = Method::kProgramEnrollment;
  r = Attribute(b.ds, &b.program, spec, k2018, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 1u);  // A's program span ends on 2018-01-01; B's starts in 2019
  EXPECT_EQ(b.ds.members.Get(r->rows[0].member), "A");
  EXPECT_EQ(r->rows[0].step, "program_enrollment");
  EXPECT_EQ(r->rows[0].rationale,
            "enrolled in the program 2017-06-01..2018-01-01, overlapping 2018-01-01..2018-12-31");
}

TEST(Attribution, PayerListIsEffectiveDatedAndQuarterly) {
  DatasetBuilder b;
  b.Member("A");
  b.Member("B");
  b.Finish();
  auto rows = ParseAttributionFile(
      "person_id,provider,start,end\n"
      "A,North,2017-01-01,2018-03-31\n"
      "A,South,2018-04-01,\n"
      "B,,2018-07-15,2018-08-01\n"
      "C,North,2018-01-01,\n",  // not in the data: ignored
      "list.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  AttributionSpec spec;
  spec.method = Method::kAttributionFile;
  spec.frequency = Frequency::kQuarterly;
  spec.contract_provider = "Group";
  spec.file_rows = *rows;
  auto r = Attribute(b.ds, nullptr, spec, k2018, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 4u);
  EXPECT_EQ(r->periods[1].start, D("2018-04-01"));
  EXPECT_EQ(r->periods[1].end, D("2018-06-30"));
  // A: North in Q1, South from Q2. B: Q3 only, with the contract's provider.
  std::vector<std::string> got;
  for (const auto& row : r->rows) {
    got.push_back(r->periods[row.period].start.ToString() + " " +
                  std::string(b.ds.members.Get(row.member)) + " " + row.provider);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"2018-01-01 A North", "2018-04-01 A South",
                                           "2018-07-01 A South", "2018-07-01 B Group",
                                           "2018-10-01 A South"}));
  EXPECT_NE(r->rows[1].rationale.find("list.csv:3"), std::string::npos);
  Trace trace;
  r->AddToTrace(b.ds, &trace);
  ASSERT_NE(trace.Find("attribution.2018-07-01.members"), nullptr);
  EXPECT_EQ(trace.Find("attribution.2018-07-01.members")->value, "2");
  EXPECT_EQ(trace.Find("attribution.2018-04-01.A")->value, "South");
}

constexpr const char* kContractHead =
    "[contract]\nid = \"c\"\nprovider = \"P\"\nperiod = { start = 2018-01-01, end = "
    "2018-12-31 }\n[benchmark]\nmethod = \"target_pmpm\"\ntarget_pmpm = 1.00\n[[payment]]\n"
    "id = \"x\"\nkind = \"case_rate\"\npmpm = 1.00\n";

// The contract types [attribution]; the run loader reads the files it names through the
// file-access interface (here in memory).
TEST(AttributionSpec, ReadsTheTableAndReportsPositionedErrors) {
  MemoryFileSystem files;
  files.Put("k/providers.csv", "npi,type\n1,primary_care\n2,specialist\n");
  files.Put("k/contract.toml",
            std::string(kContractHead) +
                "[attribution]\nmethod = \"plurality\"\nlevel = \"npi\"\ntiming = "
                "\"retrospective\"\nwindow_months = 24\nproviders = \"providers.csv\"\n");
  run::InputPaths paths;
  paths.contract = "k/contract.toml";
  paths.value_sets = {"k/valuesets"};
  files.Put("k/valuesets/v.csv", "value_set,code_system,code\nprimary_care_visits,hcpcs,99213\n");
  auto in = run::LoadContractInputs(paths, files);
  ASSERT_TRUE(in.ok()) << in.status().message();
  const AttributionSpec& spec = (*in)->attribution;
  EXPECT_EQ(spec.method, Method::kPlurality);
  EXPECT_EQ(spec.level, ProviderLevel::kNpi);
  EXPECT_EQ(spec.timing, Timing::kRetrospective);
  EXPECT_EQ(spec.window_months, 24);
  EXPECT_EQ(spec.providers.by_npi.size(), 2u);
  EXPECT_EQ(spec.contract_provider, "P");

  // A misspelt method and a bad window are positioned errors (lines 13 and 14 of the file).
  auto bad = ParseContract(
      std::string(kContractHead) + "[attribution]\nmethod = \"plurallity\"\nwindow_months = 18\n",
      "c.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("c.toml:13:"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("plurality"), std::string::npos);
  EXPECT_NE(bad.status().message().find("c.toml:14:"), std::string::npos);
  EXPECT_FALSE(
      ParseContract(std::string(kContractHead) + "[attribution]\nmethod = \"attribution_file\"\n",
                    "c.toml")
          .ok());
  // A file the section names must exist.
  files.Put("k/contract.toml", std::string(kContractHead) +
                                   "[attribution]\nmethod = \"attribution_file\"\nfile = "
                                   "\"missing.csv\"\n");
  auto missing = run::LoadContractInputs(paths, files);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("missing.csv"), std::string::npos);
}

}  // namespace
}  // namespace valuepact::attribution
