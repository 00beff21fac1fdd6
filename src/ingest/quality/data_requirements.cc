// [data_requirements] of a contract: thresholds the data must meet before a settlement stands.
#ifndef TOML_HEADER_ONLY
// Same configuration as the packaged tomlplusplus target the contract module links.
#define TOML_HEADER_ONLY 0
#define TOML_SHARED_LIB 1
#endif
#include <toml++/toml.h>

#include <fmt/format.h>

#include "valuepact/ingest/quality/quality.h"

namespace valuepact::quality {
namespace {

std::string Where(const std::string& file, const toml::node& n) {
  const auto& src = n.source();
  return fmt::format("{}:{}:{}", file, src.begin.line, src.begin.column);
}

Status Number(const std::string& file, const std::string& key, const toml::node& n, double lo,
              double hi, std::optional<double>* out) {
  std::optional<double> v;
  if (auto d = n.value_exact<double>())
    v = *d;
  else if (auto i = n.value_exact<int64_t>())
    v = static_cast<double>(*i);
  if (!v || *v < lo || *v > hi) {
    return InvalidInput(fmt::format("{}: data_requirements.{}: expected a number from {} to {}",
                                    Where(file, n), key, lo, hi));
  }
  *out = v;
  return Status::Ok();
}

Status Integer(const std::string& file, const std::string& key, const toml::node& n, int64_t lo,
               int64_t hi, std::optional<int>* out) {
  auto i = n.value_exact<int64_t>();
  if (!i || *i < lo || *i > hi) {
    return InvalidInput(
        fmt::format("{}: data_requirements.{}: expected a whole number from {} "
                    "to {}",
                    Where(file, n), key, lo, hi));
  }
  *out = static_cast<int>(*i);
  return Status::Ok();
}

}  // namespace

Result<DataRequirements> ParseDataRequirements(const toml::table& t, const std::string& file) {
  DataRequirements r;
  for (const auto& [k, node] : t) {
    const std::string key(k.str());
    Status st;
    if (key == "min_enrollment_match")
      st = Number(file, key, node, 0, 1, &r.min_enrollment_match);
    else if (key == "max_invalid_dx_share")
      st = Number(file, key, node, 0, 1, &r.max_invalid_dx_share);
    else if (key == "max_duplicate_share")
      st = Number(file, key, node, 0, 1, &r.max_duplicate_share);
    else if (key == "min_completeness")
      st = Number(file, key, node, 0, 1, &r.min_completeness);
    else if (key == "max_invalid_npi_share")
      st = Number(file, key, node, 0, 1, &r.max_invalid_npi_share);
    else if (key == "max_volume_drop")
      st = Number(file, key, node, 0, 1, &r.max_volume_drop);
    else if (key == "delivery_day_of_month")
      st = Integer(file, key, node, 1, 31, &r.delivery_day_of_month);
    else if (key == "max_lag_days_p90")
      st = Integer(file, key, node, 0, 3650, &r.max_lag_days_p90);
    else if (key == "max_overlapping_spans") {
      st = Integer(file, key, node, 0, 1000000000, &r.max_overlapping_spans);
    } else if (key == "fail_on_volume_drop") {
      auto b = node.value_exact<bool>();
      if (!b) {
        st = InvalidInput(fmt::format("{}: data_requirements.{}: expected true or false",
                                      Where(file, node), key));
      } else {
        r.fail_on_volume_drop = *b;
      }
    } else {
      st = InvalidInput(fmt::format(
          "{}: data_requirements.{}: unknown key; expected one of min_enrollment_match, "
          "max_invalid_dx_share, delivery_day_of_month, max_lag_days_p90, max_duplicate_share, "
          "min_completeness, max_invalid_npi_share, max_volume_drop, max_overlapping_spans, "
          "fail_on_volume_drop",
          Where(file, node), key));
    }
    if (!st.ok()) return st;
  }
  return r;
}

Result<DataRequirements> LoadDataRequirements(const std::string& contract_path) {
  toml::table root;
  try {
    root = toml::parse_file(contract_path);
  } catch (const toml::parse_error& err) {
    return InvalidInput(fmt::format("{}:{}:{}: {}", contract_path, err.source().begin.line,
                                    err.source().begin.column, err.description()));
  }
  const toml::node* section = root.get("data_requirements");
  if (section == nullptr) return DataRequirements{};
  const toml::table* t = section->as_table();
  if (t == nullptr) {
    return InvalidInput(
        fmt::format("{}: data_requirements must be a table", Where(contract_path, *section)));
  }
  return ParseDataRequirements(*t, contract_path);
}

}  // namespace valuepact::quality
