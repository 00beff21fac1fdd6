#include "valuepact/run/model_runs.h"

#include <cmath>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "valuepact/core/csv.h"
#include "valuepact/core/figure_ids.h"
#include "valuepact/core/file_io.h"
#include "valuepact/refdata/reference_data.h"
#include "valuepact/run/settle_run.h"
#include "valuepact/settlement/program_quantities.h"

namespace valuepact::run {
namespace {

// Program member-months of the timeline by setting, per member.
std::array<int, 3> ProgramMonths(const Timeline& tl, uint32_t member) {
  std::array<int, 3> out{};
  for (int m = 0; m < tl.months(); ++m) {
    if (!tl.ProgramMonth(member, m)) continue;
    const int8_t s = tl.setting(member, m);
    if (s == Timeline::kNoSetting) continue;
    for (int i = 0; i < 3; ++i) out[static_cast<size_t>(i)] += s == i ? 1 : 0;
  }
  return out;
}

// The count a layer pays on, per population member-month, as an aggregate input key.
Status AddLayerRates(const ModelData& data, modeling::SimulationBase* base) {
  const RunInputs& in = *data.inputs;
  const SettlementResult& s = data.settlement;
  MeasureTable measures = in.measures;
  Trace scratch;
  if (Status st = AddComputedMeasures(in, data.timeline, &measures, &scratch); !st.ok()) return st;
  TimelineQuantities q(in.dataset, in.program, data.timeline, measures, s.members, s.member_months);
  const auto mm = static_cast<double>(std::max<int64_t>(s.member_months, 1));
  for (const auto& p : in.contract.payments) {
    std::string quantity, key;
    if (p.kind == "assessment_fee") {
      quantity = "program.initial_assessments", key = "assessments_completed";
    } else if (p.kind == "outlier_supplement") {
      quantity = "program.outlier_member_months", key = "outlier_member_months";
    } else if (p.kind == "acp_incentive") {
      quantity = p.program.unit == "event" ? "program.acp_events" : "program.acp_members";
      key = "acp_discussions";
    } else if (p.kind == "quality_incentive" || p.kind == "data_reporting_incentive") {
      auto v = q.Get("measure." + p.program.measure, p, &scratch);
      if (!v.ok()) return v.status();
      const std::string input =
          p.kind == "quality_incentive" ? "quality_measure" : "data_reporting_rate";
      if (v->known) {
        base->held[input] = fmt::format("{}", v->value);
        base->notes.push_back(fmt::format("layer '{}': the measure {} is held at the data's {}",
                                          p.id, p.program.measure, v->value));
      } else {
        base->notes.push_back(
            fmt::format("layer '{}': the measure {} is unknown ({}); the layer pays nothing in "
                        "every simulated year",
                        p.id, p.program.measure, v->missing));
      }
      continue;
    } else {
      continue;
    }
    auto v = q.Get(quantity, p, &scratch);
    if (!v.ok()) return v.status();
    if (base->per_member_month.count(key) == 0) {
      base->per_member_month[key] = static_cast<double>(v->count) / mm;
      base->notes.push_back(fmt::format(
          "{}: {} in the data, {} per population member-month; a simulated year gets that rate "
          "× its member-months",
          key, v->count, static_cast<double>(v->count) / mm));
    }
  }
  return Status::Ok();
}

const nlohmann::json* Find(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

Result<nlohmann::json> ReadJson(const std::string& path) {
  auto text = ReadWholeFile(path, 512ull << 20);
  if (!text.ok()) return text.status();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return InvalidInput(fmt::format("{}: not a JSON object", path));
  }
  return j;
}

}  // namespace

SharedSavingsContext SharedContextOf(const RunInputs& in) {
  SharedSavingsContext ctx;
  ctx.msr_bands = OptionalMsrBands(*in.refdata);
  return ctx;
}

Result<ModelData> LoadModelData(const InputPaths& paths, const FileSystem& files) {
  ModelData d;
  auto in = LoadRunInputs(paths, files);
  if (!in.ok()) return in.status();
  d.inputs = std::move(*in);
  const RunInputs& inputs = *d.inputs;
  Trace trace;
  TimelineInputs ti{&inputs.dataset, &inputs.program, &inputs.contract, &inputs.attribution,
                    &inputs.value_sets};
  auto tl = BuildTimeline(ti, &trace);
  if (!tl.ok()) return tl.status();
  d.timeline = std::move(tl->timeline);
  d.notes = std::move(tl->notes);
  const DataQualityAssessment quality =
      AssessDataQuality(inputs.dataset, inputs.report, inputs.contract);
  auto s = SettleOnTimeline(inputs, d.timeline, quality, std::move(trace));
  if (!s.ok()) return s.status();
  d.settlement = std::move(*s);
  return d;
}

modeling::ActualCost ActualCareCost(const ModelData& data, const modeling::Assumptions& a) {
  const ProgramData& program = data.inputs->program;
  const Timeline& tl = data.timeline;
  std::vector<modeling::VisitTotals> totals(kDisciplineNames.size());
  for (size_t d = 0; d < totals.size(); ++d) totals[d].discipline = kDisciplineNames[d];
  int64_t outside = 0;
  const VisitTable& v = program.visits;
  for (size_t i = 0; i < v.size(); ++i) {
    const int month = tl.IndexOf(YearMonth::Of(v.date[i]));
    if (month < 0 || v.member[i] >= tl.members() || !tl.ProgramMonth(v.member[i], month)) {
      ++outside;
      continue;
    }
    auto& t = totals[static_cast<size_t>(v.discipline[i])];
    ++t.visits;
    t.minutes += v.minutes[i];
    t.travel_minutes += v.travel_minutes[i];
  }
  std::vector<modeling::VisitTotals> seen;
  for (auto& t : totals) {
    if (t.visits > 0 || a.FindDiscipline(t.discipline) != nullptr) seen.push_back(t);
  }
  const int64_t program_months =
      tl.CountMonths(Timeline::kPlanEnrolled | Timeline::kAttributed | Timeline::kProgramEnrolled);
  modeling::ActualCost out = modeling::PriceActualVisits(a, seen, program_months, outside);
  for (const auto& d : a.disciplines) {
    if (ProgramEnumIndex(kDisciplineNames, d.name) < 0) {
      out.notes.push_back(fmt::format(
          "discipline '{}' is not a visits.csv discipline ({}), so no visits are matched to it",
          d.name, fmt::join(kDisciplineNames, ", ")));
    }
  }
  return out;
}

Result<modeling::SimulationBase> SimulationBaseOf(const ModelData& data) {
  modeling::SimulationBase base;
  const SettlementResult& s = data.settlement;
  const Timeline& tl = data.timeline;
  std::vector<bool> in_rows(tl.members(), false);
  for (const auto& row : s.member_rows) {
    modeling::MemberYear m;
    m.member_months = row.member_months;
    m.spend = row.spend;
    m.program_months = ProgramMonths(tl, row.member);
    base.members.push_back(m);
    if (row.member < in_rows.size()) in_rows[row.member] = true;
  }
  // Program months of members outside the population's rows still pay a program case rate.
  for (uint32_t member = 0; member < tl.members(); ++member) {
    if (in_rows[member]) continue;
    modeling::MemberYear m;
    m.program_months = ProgramMonths(tl, member);
    if (m.program_months[0] + m.program_months[1] + m.program_months[2] > 0) {
      base.members.push_back(m);
    }
  }
  const Contract& k = data.inputs->contract;
  if (k.benchmark.method != "target_pmpm") base.benchmark_pmpm = s.benchmark_pmpm;
  base.actual_net = s.net_payer_to_provider;
  if (Status st = AddLayerRates(data, &base); !st.ok()) return st;
  if (!s.data_gate_reasons.empty()) {
    base.notes.push_back(
        "the data gates that withheld layers in the settlement of the data are "
        "not applied to simulated years");
  }
  return base;
}

Result<Money> SavingsFromMetrics(const std::string& dir, std::string* source) {
  const std::string path = dir + "/monitoring.json";
  auto j = ReadJson(path);
  if (!j.ok()) return j.status();
  const nlohmann::json* c = Find(*j, "comparison");
  if (c == nullptr || !c->is_object() || !c->contains("measures")) {
    return InvalidInput(fmt::format(
        "{}: no enrolled-vs-comparison table (the contract needs a [comparison] section)", path));
  }
  for (const auto& m : (*c)["measures"]) {
    if (m.value("metric", "") != "pmpm_total") continue;
    const bool adjusted = m.contains("adjusted_difference") && m["adjusted_difference"].is_number();
    const nlohmann::json& diff = adjusted ? m["adjusted_difference"] : m["difference"];
    const nlohmann::json& enrolled = m["enrolled"];
    if (!diff.is_number() || !enrolled.is_object() || !enrolled.contains("member_months")) {
      return InvalidInput(fmt::format("{}: the paid PMPM difference is not available", path));
    }
    const double d = diff.get<double>();
    const int64_t months = enrolled["member_months"].get<int64_t>();
    *source = fmt::format(
        "{}: {} paid PMPM difference enrolled − comparison {:.2f} × {} enrolled member-months, "
        "negated (a lower cost is a saving)",
        path, adjusted ? "risk-adjusted" : "observed", d, months);
    return RoundToCents(-static_cast<long double>(d) * static_cast<long double>(months));
  }
  return InvalidInput(fmt::format("{}: the comparison has no pmpm_total measure", path));
}

Result<Money> PaymentsFromSettlement(const std::string& dir, const std::vector<std::string>& ids,
                                     std::string* source) {
  const std::string path = dir + "/summary.json";
  auto j = ReadJson(path);
  if (!j.ok()) return j.status();
  const nlohmann::json* layers = Find(*j, "layers");
  if (layers == nullptr || !layers->is_array()) {
    return InvalidInput(fmt::format("{}: no layers (not a settle run's summary.json)", path));
  }
  Money total;
  std::vector<std::string> used;
  for (const auto& l : *layers) {
    const std::string id = l.value("id", "");
    if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) continue;
    auto amount = ParseMoney(l.value("amount", ""));
    if (!amount.ok()) return InvalidInput(fmt::format("{}: layer {}: bad amount", path, id));
    total += amount->value;
    used.push_back(fmt::format("{} {}", id, amount->value.ToString()));
  }
  for (const auto& id : ids) {
    const bool found = std::any_of(layers->begin(), layers->end(),
                                   [&](const auto& l) { return l.value("id", "") == id; });
    if (!found) return InvalidInput(fmt::format("{}: no layer '{}'", path, id));
  }
  *source = fmt::format("{}: layers {}", path, fmt::join(used, " + "));
  return total;
}

Result<Money> PaymentsFromRamp(const std::string& dir, std::string* source) {
  const std::string path = dir + "/ramp.csv";
  auto text = ReadWholeFile(path, 64ull << 20);
  if (!text.ok()) return text.status();
  CsvCursor cur(*text, CsvChunk{SkipBom(*text), text->size(), 1});
  std::vector<std::string_view> f;
  uint64_t line = 0;
  std::string err;
  int revenue = -1;
  if (cur.Next(&f, &line, &err) == CsvCursor::Outcome::kRecord) {
    for (size_t i = 0; i < f.size(); ++i) {
      if (f[i] == "revenue") revenue = static_cast<int>(i);
    }
  }
  if (revenue < 0) return InvalidInput(fmt::format("{}: no revenue column", path));
  Money total;
  int months = 0;
  while (cur.Next(&f, &line, &err) == CsvCursor::Outcome::kRecord) {
    if (static_cast<size_t>(revenue) >= f.size()) {
      return InvalidInput(fmt::format("{}:{}: revenue: missing", path, line));
    }
    auto m = ParseMoney(f[static_cast<size_t>(revenue)]);
    if (!m.ok()) return InvalidInput(fmt::format("{}:{}: revenue: not an amount", path, line));
    total += m->value;
    ++months;
  }
  *source = fmt::format("{}: projected revenue over {} months", path, months);
  return total;
}

}  // namespace valuepact::run
