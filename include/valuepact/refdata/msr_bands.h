#pragma once
// The variable minimum savings rate table: MSR by number of assigned beneficiaries, linear
// inside a band (42 CFR 425.604(b); bands below 5,000 derived from the MSSP public-use file,
// mssp-parameters.md §2.1). Read from <refdata>/mssp/minimum_savings_rate_bands.csv.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "valuepact/core/status.h"

namespace valuepact {

struct MsrBand {
  int64_t low = 0;              // inclusive; a blank cell means 0
  std::optional<int64_t> high;  // inclusive; blank: no upper end
  double rate_at_low = 0;
  double rate_at_high = 0;
  int line = 0;  // line of the CSV row
};

struct MsrLookup {
  double rate = 0;
  std::string formula;  // "3.9% − (3.9% − 3.6%) × (5,432 − 5,000) ÷ (5,999 − 5,000)"
  std::string source;   // "minimum_savings_rate_bands.csv:6 (5,000–5,999)"
};

class MsrBandTable {
 public:
  static Result<MsrBandTable> Parse(std::string_view csv, const std::string& path);
  static Result<MsrBandTable> Load(const std::string& path);
  // A table read before (a settled run's what-if base keeps the bands it had).
  static MsrBandTable FromBands(std::vector<MsrBand> bands, std::string path) {
    MsrBandTable t;
    t.bands_ = std::move(bands);
    t.path_ = std::move(path);
    return t;
  }
  // <refdata_dir>/mssp/minimum_savings_rate_bands.csv
  static std::string PathIn(const std::string& refdata_dir);

  // MSR(n) = a − (a − b) · (n − L) / (H − L) inside the band [L, H] holding n.
  Result<MsrLookup> Rate(int64_t assigned_beneficiaries) const;

  const std::vector<MsrBand>& bands() const { return bands_; }
  const std::string& path() const { return path_; }

 private:
  std::vector<MsrBand> bands_;
  std::string path_;
};

}  // namespace valuepact
