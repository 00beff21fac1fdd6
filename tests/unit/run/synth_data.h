#pragma once
// Data the run tests share: the palliative example contract's folder, and synthetic claims and
// program data made by `valuepact synth`.
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_paths.h"
#include "valuepact/core/file_io.h"
#include "valuepact/run/loader.h"

namespace valuepact::run::testdata {

inline std::string Palliative() {
  return ::valuepact::testing::SourceDir() + "/examples/palliative-case-rate";
}

// Synthetic claims and program data for `members` members in `dir`/data; returns that folder.
inline std::string MakeData(const std::string& dir, int members = 300, int seed = 7) {
  const std::string data = dir + "/data";
  std::string out;
  EXPECT_EQ(::valuepact::testing::RunCommand(
                fmt::format("{} synth --members {} --seed {} --out {}",
                            ::valuepact::testing::CliPath(), members, seed, data),
                &out),
            0)
      << out;
  return data;
}

// A file's bytes (the test fails where it cannot be read).
inline std::string Slurp(const std::string& path) {
  auto bytes = ReadWholeFile(path, kNoSizeCap);
  EXPECT_TRUE(bytes.ok()) << path;
  return bytes.ok() ? *bytes : "";
}

// `path` (a folder, a cache, a folder of parts) read as --data by a paid-basis run with pharmacy.
inline Status LoadAsData(const std::string& path, RunInputs* in) {
  InputPaths p;
  p.data = path;
  in->contract.basis = AmountBasis::kPaid;
  in->contract.pharmacy = true;
  return LoadData(p, RealFiles(), in);
}

}  // namespace valuepact::run::testdata
