// The metric catalogue: unique ids, complete entries, and docs/metrics.md generated from it.
#include "valuepact/metrics/catalogue.h"

#include <set>

#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/core/file_io.h"

namespace valuepact::metrics {
namespace {

TEST(MetricCatalogue, IdsAreUniqueAndEntriesComplete) {
  std::set<std::string> ids;
  for (const auto& m : Catalogue()) {
    EXPECT_TRUE(ids.insert(m.id).second) << "twice: " << m.id;
    EXPECT_FALSE(m.label.empty()) << m.id;
    EXPECT_FALSE(m.definition.empty()) << m.id;
    EXPECT_FALSE(m.numerator.empty()) << m.id;
    EXPECT_FALSE(m.unit.empty()) << m.id;
    EXPECT_FALSE(m.source.empty()) << m.id;
    EXPECT_EQ(m.denominator.empty(), m.scale == Scale::kCount || m.scale == Scale::kMemberYears)
        << m.id;
    if (m.per.empty()) {
      EXPECT_EQ(FindMetric(m.id), &m);
      EXPECT_EQ(FindMetric(m.id + ":home"), nullptr) << m.id;
    } else {
      // Reported per value: named "<id>:<value>", never bare.
      EXPECT_EQ(FindMetric(m.id + ":home"), &m);
      EXPECT_EQ(FindMetric(m.id), nullptr) << m.id;
      EXPECT_EQ(FindMetric(m.id + ":"), nullptr) << m.id;
    }
  }
  EXPECT_EQ(FindMetric("no_such_metric"), nullptr);
  for (const char* id : {"acute_admissions_per_1000", "bed_days_per_1000", "ed_visits_per_1000",
                         "readmission_rate_30d", "pmpm_total", "pmpm_acute_inpatient_allowed"}) {
    EXPECT_NE(FindMetric(id), nullptr) << id;
  }
}

TEST(MetricCatalogue, DocsTableIsGenerated) {
  const std::string path = testing::SourceDir() + "/docs/metrics.md";
  auto doc = ReadWholeFile(path);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  auto fresh = RegenerateCatalogue(*doc);
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  EXPECT_EQ(*fresh, *doc) << "docs/metrics.md differs from the catalogue: run valuepact metrics "
                             "--update-doc docs/metrics.md";
  EXPECT_FALSE(RegenerateCatalogue("no markers").ok());
}

}  // namespace
}  // namespace valuepact::metrics
