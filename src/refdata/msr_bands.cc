#include "valuepact/refdata/msr_bands.h"
#include "valuepact/core/numbers.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/file_io.h"

namespace valuepact {
namespace {

std::string Grouped(int64_t n) {
  std::string s = std::to_string(n < 0 ? -n : n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return n < 0 ? "-" + s : s;
}

std::string Percent(double r) { return fmt::format("{:.4g}%", r * 100.0); }

bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
    v = v * 10 + (ch - '0');
    if (v > 1'000'000'000) return false;
  }
  *out = v;
  return true;
}

bool ParseRate(std::string_view s, double* out) {
  if (s.empty()) return false;
  const auto v = ParseDouble(s);
  if (!v || *v < 0 || *v > 1) return false;
  *out = *v;
  return true;
}

}  // namespace

std::string MsrBandTable::PathIn(const std::string& refdata_dir) {
  return (std::filesystem::path(refdata_dir) / "mssp" / "minimum_savings_rate_bands.csv").string();
}

Result<MsrBandTable> MsrBandTable::Load(const std::string& path) {
  auto bytes = ReadWholeFile(path);
  if (!bytes.ok()) {
    return NotFound(
        fmt::format("{}: cannot read the MSR band table ({})", path, bytes.status().message()));
  }
  return Parse(*bytes, path);
}

Result<MsrBandTable> MsrBandTable::Parse(std::string_view data, const std::string& path) {
  MsrBandTable t;
  t.path_ = path;
  CsvCursor cur(data, CsvChunk{SkipBom(data), data.size(), 1});
  std::vector<std::string_view> f;
  uint64_t line = 0;
  std::string err;
  if (cur.Next(&f, &line, &err) != CsvCursor::Outcome::kRecord) {
    return InvalidInput(fmt::format("{}: empty file, expected a header", path));
  }
  const std::vector<std::string> want = {
      "ASSIGNED_BENEFICIARIES_LOW", "ASSIGNED_BENEFICIARIES_HIGH", "MSR_AT_LOW", "MSR_AT_HIGH"};
  int col[4] = {-1, -1, -1, -1};
  for (size_t i = 0; i < f.size(); ++i) {
    for (size_t w = 0; w < want.size(); ++w) {
      if (f[i] == want[w]) col[w] = static_cast<int>(i);
    }
  }
  for (size_t w = 0; w < want.size(); ++w) {
    if (col[w] < 0) {
      return InvalidInput(fmt::format("{}:1: missing required column '{}'", path, want[w]));
    }
  }
  for (;;) {
    const auto o = cur.Next(&f, &line, &err);
    if (o == CsvCursor::Outcome::kEnd) break;
    if (o == CsvCursor::Outcome::kMalformed) {
      return InvalidInput(fmt::format("{}:{}: {}", path, line, err));
    }
    auto field = [&](int w) -> std::string_view {
      const size_t i = static_cast<size_t>(col[w]);
      return i < f.size() ? f[i] : std::string_view();
    };
    MsrBand b;
    b.line = static_cast<int>(line);
    if (!field(0).empty() && !ParseInt(field(0), &b.low)) {
      return InvalidInput(fmt::format("{}:{}: ASSIGNED_BENEFICIARIES_LOW: '{}' is not a count",
                                      path, line, field(0)));
    }
    if (!field(1).empty()) {
      int64_t h = 0;
      if (!ParseInt(field(1), &h) || h < b.low) {
        return InvalidInput(fmt::format(
            "{}:{}: ASSIGNED_BENEFICIARIES_HIGH: '{}' is not a count at or above the low end", path,
            line, field(1)));
      }
      b.high = h;
    }
    if (!ParseRate(field(2), &b.rate_at_low) || !ParseRate(field(3), &b.rate_at_high)) {
      return InvalidInput(
          fmt::format("{}:{}: MSR_AT_LOW/MSR_AT_HIGH must be rates from 0 to 1", path, line));
    }
    if (!t.bands_.empty()) {
      const MsrBand& prev = t.bands_.back();
      if (!prev.high || *prev.high + 1 != b.low) {
        return InvalidInput(fmt::format(
            "{}:{}: bands must be contiguous and in order (this band starts at {}, the previous "
            "one ends at {})",
            path, line, b.low, prev.high ? std::to_string(*prev.high) : "no upper end"));
      }
    }
    t.bands_.push_back(b);
  }
  if (t.bands_.empty()) return InvalidInput(fmt::format("{}: no bands", path));
  return t;
}

Result<MsrLookup> MsrBandTable::Rate(int64_t n) const {
  for (const auto& b : bands_) {
    if (n < b.low || (b.high && n > *b.high)) continue;
    MsrLookup r;
    const std::string band = b.high ? fmt::format("{}–{}", Grouped(b.low), Grouped(*b.high))
                                    : fmt::format("{} and above", Grouped(b.low));
    r.source = fmt::format("{}:{} (band {}; 42 CFR 425.604(b), mssp-parameters.md §2.1)",
                           std::filesystem::path(path_).filename().string(), b.line, band);
    if (!b.high || *b.high == b.low || b.rate_at_low == b.rate_at_high) {
      r.rate = b.rate_at_low;
      r.formula = fmt::format("{} assigned beneficiaries: flat {} in band {}", Grouped(n),
                              Percent(b.rate_at_low), band);
      return r;
    }
    // The denominator is H − L, not H − L + 1: this reproduces the public-use file's
    // minsavperc to about 1e-9 (mssp-parameters.md §2.1).
    const double span = static_cast<double>(*b.high - b.low);
    r.rate =
        b.rate_at_low - (b.rate_at_low - b.rate_at_high) * static_cast<double>(n - b.low) / span;
    r.formula = fmt::format("{} − ({} − {}) × ({} − {}) ÷ ({} − {})", Percent(b.rate_at_low),
                            Percent(b.rate_at_low), Percent(b.rate_at_high), Grouped(n),
                            Grouped(b.low), Grouped(*b.high), Grouped(b.low));
    return r;
  }
  return NotFound(fmt::format("{}: no MSR band holds {} assigned beneficiaries", path_, n));
}

}  // namespace valuepact
