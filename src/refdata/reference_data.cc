#include "valuepact/refdata/reference_data.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include "valuepact/core/file_io.h"
#include "valuepact/core/sha256.h"

namespace valuepact {

ReferenceData::ReferenceData(std::string dir) : dir_(std::move(dir)) {}

Status ReferenceData::Missing(const char* what) const {
  return NotFound(
      fmt::format("{} needs the reference tables, and none were found: pass --refdata DIR or set "
                  "VALUEPACT_REFDATA (docs/reference-data.md says where to get them)",
                  what));
}

void ReferenceData::Record(const std::string& file, const std::string& sha256) const {
  for (const auto& v : versions_) {
    if (v.file == file) {
      return;
    }
  }
  TableVersion v{file, sha256, 0, ""};
  struct stat st {};
  if (::stat((dir_ + "/" + file).c_str(), &st) == 0) {
    v.bytes = static_cast<uint64_t>(st.st_size);
    v.modified =
        FormatModified(static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
  }
  versions_.push_back(std::move(v));
}

Result<const std::vector<CmsHccAdjustmentRate>*> ReferenceData::AdjustmentRates() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!rates_) {
    if (!available()) {
      return Missing("CMS-HCC scoring");
    }
    CmsHccTableSource src;
    auto r = LoadCmsHccAdjustmentRates(dir_, &src);
    if (!r.ok()) {
      return r.status();
    }
    rates_ = std::make_unique<std::vector<CmsHccAdjustmentRate>>(std::move(*r));
    Record("cms-hcc/" + src.file, src.sha256);
  }
  return rates_.get();
}

Result<const CmsHccModelTables*> ReferenceData::ModelTables(HccVersion version,
                                                            int payment_year) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = models_[{static_cast<int>(version), payment_year}];
  if (!slot) {
    if (!available()) {
      return Missing("CMS-HCC scoring");
    }
    auto t = LoadCmsHccModelTables(dir_, version, payment_year);
    if (!t.ok()) {
      return t.status();
    }
    slot = std::make_unique<CmsHccModelTables>(std::move(*t));
    for (const auto& s : slot->sources) {
      Record("cms-hcc/" + s.file, s.sha256);
    }
  }
  return slot.get();
}

Result<const EsrdModelTables*> ReferenceData::EsrdTables(int payment_year) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = esrd_[payment_year];
  if (!slot) {
    if (!available()) {
      return Missing("ESRD scoring");
    }
    auto t = LoadEsrdModelTables(dir_, payment_year);
    if (!t.ok()) {
      return t.status();
    }
    slot = std::make_unique<EsrdModelTables>(std::move(*t));
    Record("cms-hcc/" + slot->coefficients_source.file, slot->coefficients_source.sha256);
  }
  return slot.get();
}

Result<const RaEligibleCodes*> ReferenceData::EligibleCodes(int service_year) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = eligible_[service_year];
  if (!slot) {
    if (!available()) {
      return Missing("Risk-adjustment claim filtering");
    }
    auto t = LoadRaEligibleCodes(dir_, service_year);
    if (!t.ok()) {
      return t.status();
    }
    slot = std::make_unique<RaEligibleCodes>(std::move(*t));
    Record("cms-hcc/" + slot->source.file, slot->source.sha256);
  }
  return slot.get();
}

Result<const MsrBandTable*> ReferenceData::MsrBands() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!msr_) {
    if (!available()) {
      return Missing("A variable minimum savings rate");
    }
    const std::string path = MsrBandTable::PathIn(dir_);
    auto bytes = ReadWholeFile(path);
    if (!bytes.ok()) {
      return NotFound(
          fmt::format("{}: cannot read the MSR band table ({})", path, bytes.status().message()));
    }
    auto t = MsrBandTable::Parse(*bytes, path);
    if (!t.ok()) {
      return t.status();
    }
    msr_ = std::make_unique<MsrBandTable>(std::move(*t));
    Record("mssp/minimum_savings_rate_bands.csv", Sha256Hex(*bytes));
  }
  return msr_.get();
}

std::vector<TableVersion> ReferenceData::Versions() const {
  std::lock_guard<std::mutex> lock(mu_);
  return versions_;
}

}  // namespace valuepact
