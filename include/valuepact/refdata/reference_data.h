#pragma once
// ReferenceData: the reference tables one run reads (ARCHITECTURE §1), loaded from one folder on
// first use and kept, each recorded with its file name and sha256 so the run id covers exactly
// the tables a result depends on. Engines take a ReferenceData and never open files.
//
// Safe to share across threads (loads are serialized; returned tables are immutable).
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/refdata/cms_hcc_tables.h"
#include "valuepact/refdata/msr_bands.h"

namespace valuepact {

struct TableVersion {
  std::string file;  // name inside the reference folder, e.g. "cms-hcc/ra_dx_to_cc_2026.csv"
  std::string sha256;
  uint64_t bytes = 0;    // size of the file (read when the table was loaded)
  std::string modified;  // its modification time (ISO 8601 UTC)
};

class ReferenceData {
 public:
  // `dir` is the resolved reference folder; "" when none was found (every table is then an
  // error saying where reference tables come from).
  explicit ReferenceData(std::string dir = "");
  ReferenceData(const ReferenceData&) = delete;
  ReferenceData& operator=(const ReferenceData&) = delete;

  const std::string& dir() const { return dir_; }
  bool available() const { return !dir_.empty(); }

  Result<const std::vector<CmsHccAdjustmentRate>*> AdjustmentRates() const;
  Result<const CmsHccModelTables*> ModelTables(HccVersion version, int payment_year) const;
  Result<const RaEligibleCodes*> EligibleCodes(int service_year) const;
  Result<const EsrdModelTables*> EsrdTables(int payment_year) const;
  Result<const MsrBandTable*> MsrBands() const;

  // Every table loaded so far, in load order, without repeats.
  std::vector<TableVersion> Versions() const;

 private:
  Status Missing(const char* what) const;
  void Record(const std::string& file, const std::string& sha256) const;

  std::string dir_;
  mutable std::mutex mu_;
  mutable std::unique_ptr<std::vector<CmsHccAdjustmentRate>> rates_;
  mutable std::map<std::pair<int, int>, std::unique_ptr<CmsHccModelTables>> models_;
  mutable std::map<int, std::unique_ptr<RaEligibleCodes>> eligible_;
  mutable std::map<int, std::unique_ptr<EsrdModelTables>> esrd_;
  mutable std::unique_ptr<MsrBandTable> msr_;
  mutable std::vector<TableVersion> versions_;
};

}  // namespace valuepact
