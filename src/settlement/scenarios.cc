#include "valuepact/settlement/scenarios.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "valuepact/contract/examples.h"
#include "valuepact/core/csv.h"
#include "valuepact/settlement/aggregate.h"

namespace valuepact {

const std::vector<std::string>& ScenarioOutputColumns() {
  static const std::vector<std::string> c = {"id",
                                             "savings_rate",
                                             "minimum_savings_rate",
                                             "minimum_loss_rate",
                                             "final_sharing_rate",
                                             "shared_loss_rate",
                                             "earned_savings_losses",
                                             "limit_applied",
                                             "note"};
  return c;
}

Result<ScenarioReport> RunScenarios(const Contract& k, std::string_view data,
                                    const std::string& path, const SetOverrides& set,
                                    const SharedSavingsContext& ctx) {
  ScenarioReport rep;
  CsvCursor cur(data, CsvChunk{SkipBom(data), data.size(), 1});
  std::vector<std::string_view> f;
  uint64_t line = 0;
  std::string err;
  if (cur.Next(&f, &line, &err) != CsvCursor::Outcome::kRecord) {
    return InvalidInput(fmt::format("{}: empty file, expected a header row", path));
  }
  const auto& known = AggregateInputKeys();
  std::vector<std::string> header;
  std::vector<bool> use;
  int id_col = -1;
  std::vector<std::string> ignored;
  for (size_t i = 0; i < f.size(); ++i) {
    std::string h(f[i]);
    header.push_back(h);
    const bool k_ok = std::find(known.begin(), known.end(), h) != known.end();
    use.push_back(k_ok);
    if (h == "id") id_col = static_cast<int>(i);
    if (!k_ok && h != "id") ignored.push_back(h);
  }
  if (!ignored.empty()) {
    std::string list;
    for (const auto& h : ignored) list += (list.empty() ? "" : ", ") + h;
    rep.notes.push_back(fmt::format("{}: ignored column{} not used by scenarios: {}", path,
                                    ignored.size() == 1 ? "" : "s", list));
  }
  std::string out;
  for (size_t i = 0; i < ScenarioOutputColumns().size(); ++i) {
    out += (i ? "," : "") + ScenarioOutputColumns()[i];
  }
  out += "\n";
  for (;;) {
    const auto o = cur.Next(&f, &line, &err);
    if (o == CsvCursor::Outcome::kEnd) break;
    if (o == CsvCursor::Outcome::kMalformed) {
      return InvalidInput(fmt::format("{}:{}: {}", path, line, err));
    }
    ++rep.rows;
    std::map<std::string, std::string> in;
    for (size_t i = 0; i < f.size() && i < header.size(); ++i) {
      if (use[i]) in[header[i]] = std::string(f[i]);
    }
    std::string id = id_col >= 0 && static_cast<size_t>(id_col) < f.size()
                         ? std::string(f[static_cast<size_t>(id_col)])
                         : fmt::format("row{}", line);
    std::vector<std::string> cells(ScenarioOutputColumns().size());
    cells[0] = id;
    auto r = EvaluateAggregate(k, in, set, ctx);
    if (!r.ok()) {
      ++rep.failed_rows;
      cells.back() = fmt::format("error: {}:{}: {}", path, line, r.status().message());
    } else if (!r->shared) {
      ++rep.failed_rows;
      cells.back() = "error: the contract has no shared-savings layer";
    } else {
      const SharedSavingsOutcome& s = *r->shared;
      cells[1] = FormatRate(s.savings_rate);
      cells[2] = FormatRate(s.minimum_savings_rate);
      cells[3] = s.minimum_loss_rate ? FormatRate(*s.minimum_loss_rate) : "";
      cells[4] = FormatRate(s.final_sharing_rate);
      cells[5] = s.shared_loss_rate ? FormatRate(*s.shared_loss_rate) : "";
      cells[6] = s.amount.ToString();
      cells[7] = s.limit_applied;
      cells[8] = s.note;
    }
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) out += ",";
      AppendCsvField(&out, cells[i]);
    }
    out += "\n";
  }
  rep.csv = std::move(out);
  return rep;
}

}  // namespace valuepact
