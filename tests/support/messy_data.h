#pragma once
// Synthetic data (`valuepact synth`, unquoted CSV) made messy the way real feeds are: lines of
// one claim under two members (so that, split by member, two parts carry the claim), repeated
// claim keys (which the reader rejects), invalid NPIs, dates before 1900, and repeated
// eligibility spans.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace valuepact::testing {

inline std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> f;
  std::stringstream in(line);
  std::string x;
  while (std::getline(in, x, ',')) f.push_back(x);
  if (!line.empty() && line.back() == ',') f.emplace_back();
  return f;
}

inline std::string JoinCsvLine(const std::vector<std::string>& f) {
  std::string out;
  for (size_t i = 0; i < f.size(); ++i) out += (i ? "," : "") + f[i];
  return out;
}

// Rewrites `dir`/`file`: `change` gets its data lines, to edit, add or remove, and the column
// index of a header name.
template <class F>
void RewriteCsv(const std::string& dir, const std::string& file, F change) {
  const std::string path = dir + "/" + file;
  std::ifstream in(path);
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  const auto names = SplitCsvLine(header);
  auto col = [names](const std::string& name) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return i;
    }
    return names.size();
  };
  change(&lines, col);
  std::ofstream out(path, std::ios::trunc);
  out << header << "\n";
  for (const auto& l : lines) out << l << "\n";
}

// Every `every`-th data line is followed by a copy that `change` edits (given the data lines, to
// borrow from).
template <class F>
void AddEditedCopies(const std::string& dir, const std::string& file, size_t every, F change) {
  RewriteCsv(dir, file, [&](std::vector<std::string>* lines, auto col) {
    std::vector<std::string> out;
    for (size_t i = 0; i < lines->size(); ++i) {
      out.push_back((*lines)[i]);
      if (i % every != every - 1) continue;
      auto f = SplitCsvLine((*lines)[i]);
      change(&f, i, *lines, col);
      out.push_back(JoinCsvLine(f));
    }
    *lines = std::move(out);
  });
}

inline void MakeMessy(const std::string& dir) {
  AddEditedCopies(dir, "medical_claim.csv", 9, [](auto* f, size_t i, const auto& lines, auto col) {
    const auto other = SplitCsvLine(lines[(i + 57) % lines.size()]);
    // The same claim under another member, on a line of its own.
    (*f)[col("person_id")] = other[col("person_id")];
    (*f)[col("claim_line_number")] = std::to_string(100 + i % 50);
    if (i % 2 == 0) (*f)[col("rendering_npi")] = "12345678" + std::to_string(10 + i % 89);
    if (i % 5 == 0) (*f)[col("paid_date")] = "1899-12-3" + std::to_string(i % 2);
  });
  AddEditedCopies(dir, "medical_claim.csv", 23, [](auto* f, size_t i, const auto&, auto col) {
    (*f)[col("billing_npi")] = "10000000" + std::to_string(10 + i % 90);  // a repeated key
  });
  AddEditedCopies(
      dir, "pharmacy_claim.csv", 13, [](auto* f, size_t i, const auto& lines, auto col) {
        (*f)[col("person_id")] = SplitCsvLine(lines[(i + 31) % lines.size()])[col("person_id")];
        (*f)[col("claim_line_number")] = std::to_string(100 + i % 50);
      });
  AddEditedCopies(dir, "eligibility.csv", 17, [](auto*, size_t, const auto&, auto) {});
}

// A stray quote on the 5th line of medical_claim.csv (the reader rejects that line alone), and
// a quoted diagnosis across two lines on every 40th line: after the stray, counting quotes puts
// record starts inside those fields.
inline void AddStrayQuote(const std::string& dir) {
  RewriteCsv(dir, "medical_claim.csv", [](std::vector<std::string>* lines, auto col) {
    (*lines)[4] = "\"" + (*lines)[4];
    for (size_t i = 39; i < lines->size(); i += 40) {
      auto f = SplitCsvLine((*lines)[i]);
      f[col("diagnosis_code_25")] = "\"I10\nZ00\"";
      (*lines)[i] = JoinCsvLine(f);
    }
  });
}

}  // namespace valuepact::testing
