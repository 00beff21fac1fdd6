// The true-up of a settlement on restated data (compare.h): the adjustment owed, layer by layer,
// as a statement of its own with a trace.
#include <fmt/format.h>

#include "review/review_internal.h"
#include "valuepact/core/sha256.h"

namespace valuepact::review {
namespace {

// An amount a run's summary states; an error (never zero) when it states none.
Result<Money> MoneyAt(const RunRecord& r, const nlohmann::ordered_json& j, const char* key,
                      const std::string& what) {
  if (j.contains(key) && j[key].is_string()) {
    if (auto m = ParseMoney(j[key].get<std::string>()); m.ok()) return m->value;
  }
  return InvalidInput(fmt::format("run {} (record #{}): summary.json states no amount for {}",
                                  r.run_id.substr(0, 16), r.record_id, what));
}

std::string WhoOwes(Money adjustment) {
  if (adjustment.cents() > 0) {
    return fmt::format("the payer owes the provider {} more", adjustment.ToString());
  }
  if (adjustment.cents() < 0) {
    return fmt::format("the provider owes the payer {} back", (-adjustment).ToString());
  }
  return "nothing is owed either way";
}

// Each layer as settled and restated; a layer only one run has paid nothing in the other.
Status AddLayers(const RunRecord& a, const RunRecord& b, TrueUp* t) {
  std::vector<std::string> order;
  std::map<std::string, TrueUp::Layer> by_id;
  for (const RunRecord* r : {&a, &b}) {
    for (const auto& l : r->summary.value("layers", nlohmann::ordered_json::array())) {
      const std::string id = l.value("id", "");
      if (by_id.count(id) == 0) order.push_back(id);
      TrueUp::Layer& x = by_id[id];
      x.id = id;
      x.label = l.value("label", id);
      auto m = MoneyAt(*r, l, "amount", "layer " + id);
      if (!m.ok()) return m.status();
      (r == &a ? x.original : x.restated) = *m;
    }
  }
  for (const auto& id : order) {
    TrueUp::Layer x = by_id[id];
    x.adjustment = x.restated - x.original;
    t->layers.push_back(x);
  }
  return Status::Ok();
}

void AddTrace(const TrueUp& t, Trace* tr) {
  const RunRecord &a = t.comparison.a, &b = t.comparison.b;
  std::vector<std::string> adjustments;
  for (const auto& l : t.layers) {
    const std::string p = "trueup.layer." + l.id;
    tr->AddMoney(p + ".original", l.label + ": as settled", l.original,
                 "the layer's amount in the original settlement", {},
                 fmt::format("run {} (record #{}), summary.json layers", a.run_id.substr(0, 16),
                             a.record_id));
    tr->AddMoney(p + ".restated", l.label + ": on restated data", l.restated,
                 "the layer's amount in the settlement on restated data", {},
                 fmt::format("run {} (record #{}), summary.json layers", b.run_id.substr(0, 16),
                             b.record_id));
    tr->AddMoney(p + ".adjustment", l.label + ": adjustment", l.adjustment, "restated − original",
                 {p + ".original", p + ".restated"}, "true-up");
    adjustments.push_back(p + ".adjustment");
  }
  tr->AddMoney(
      "trueup.original.net", "Net payer → provider, as settled", t.original_net,
      "the original settlement's net", {},
      fmt::format("run {} (record #{}), summary.json", a.run_id.substr(0, 16), a.record_id));
  tr->AddMoney(
      "trueup.restated.net", "Net payer → provider, on restated data", t.restated_net,
      "the restated settlement's net", {},
      fmt::format("run {} (record #{}), summary.json", b.run_id.substr(0, 16), b.record_id));
  adjustments.insert(adjustments.begin(), {"trueup.original.net", "trueup.restated.net"});
  tr->AddMoney("trueup.adjustment", "True-up: adjustment payer → provider", t.adjustment,
               "restated net − original net (> 0: the payer owes the provider)", adjustments,
               "true-up");
}

}  // namespace

Result<TrueUp> BuildTrueUp(const RunRecord& a, const RunRecord& b, const CompareOptions& o) {
  for (const RunRecord* r : {&a, &b}) {
    if (r->command != "settle") {
      return InvalidInput(
          fmt::format("run {} (record #{}) is a {} run; a true-up takes two settle runs",
                      r->run_id.substr(0, 16), r->record_id, r->command));
    }
  }
  if (a.contract_id != b.contract_id || a.period_start != b.period_start ||
      a.period_end != b.period_end) {
    return InvalidInput(fmt::format(
        "a true-up restates one settlement: run {} settles {} for {}..{}, run {} settles {} for "
        "{}..{}",
        a.run_id.substr(0, 16), a.contract_id, a.period_start, a.period_end, b.run_id.substr(0, 16),
        b.contract_id, b.period_start, b.period_end));
  }
  auto c = Compare(a, b, o);
  if (!c.ok()) return c.status();
  TrueUp t;
  t.comparison = std::move(*c);
  if (Status s = AddLayers(a, b, &t); !s.ok()) return s;
  auto original = MoneyAt(a, a.summary, "net_payer_to_provider", "the net");
  auto restated = MoneyAt(b, b.summary, "net_payer_to_provider", "the net");
  if (!original.ok()) return original.status();
  if (!restated.ok()) return restated.status();
  t.original_net = *original;
  t.restated_net = *restated;
  t.adjustment = t.restated_net - t.original_net;
  t.run_id = Sha256Hex("true-up\n" + a.run_id + "\n" + b.run_id);
  AddTrace(t, &t.trace);
  return t;
}

std::vector<OutputFile> TrueUpFiles(const TrueUp& t) {
  const RunRecord &a = t.comparison.a, &b = t.comparison.b;
  nlohmann::ordered_json s;
  s["run_id"] = t.run_id;
  s["command"] = "true-up";
  s["contract_id"] = b.contract_id;
  s["engine_version"] = b.engine_version;
  s["period"] = {{"start", b.period_start}, {"end", b.period_end}};
  s["original"] = {
      {"run_id", a.run_id}, {"record", a.record_id}, {"net", t.original_net.ToString()}};
  s["restated"] = {
      {"run_id", b.run_id}, {"record", b.record_id}, {"net", t.restated_net.ToString()}};
  s["layers"] = nlohmann::ordered_json::array();
  for (const auto& l : t.layers) {
    s["layers"].push_back({{"id", l.id},
                           {"label", l.label},
                           {"original", l.original.ToString()},
                           {"restated", l.restated.ToString()},
                           {"amount", l.adjustment.ToString()},
                           {"trace_id", "trueup.layer." + l.id + ".adjustment"}});
  }
  s["net_payer_to_provider"] = t.adjustment.ToString();
  s["who_owes_whom"] = WhoOwes(t.adjustment);
  s["causes"] = t.comparison.causes;
  std::string md = fmt::format(
      "# True-up statement — {} {}..{}\n\n"
      "Original settlement: run {} (record #{}, recorded {}), net payer → provider {}.\n"
      "Restated: run {} (record #{}, recorded {}), net {}.\n\n"
      "**Adjustment: {}** (`trueup.adjustment`).\n\n"
      "| layer | as settled | restated | adjustment | figure id |\n|---|---:|---:|---:|---|\n",
      b.contract_id, b.period_start, b.period_end, a.run_id.substr(0, 16), a.record_id,
      a.recorded_at, t.original_net.ToString(), b.run_id.substr(0, 16), b.record_id, b.recorded_at,
      t.restated_net.ToString(), WhoOwes(t.adjustment));
  for (const auto& l : t.layers) {
    md += fmt::format("| {} | {} | {} | {} | trueup.layer.{}.adjustment |\n", l.label,
                      l.original.ToString(), l.restated.ToString(), l.adjustment.ToString(), l.id);
  }
  md += fmt::format("| **net** | {} | {} | **{}** | trueup.adjustment |\n\n",
                    t.original_net.ToString(), t.restated_net.ToString(), t.adjustment.ToString());
  md += "Why the figures moved:\n\n";
  std::string cmp = ComparisonMarkdown(t.comparison, false);
  // The comparison's own title becomes a section of the statement.
  md += "#" + cmp;
  std::vector<OutputFile> files = {
      {"summary.json", s.dump(2) + "\n", false},
      {"statement.md", md, false},
      {"trace.json", t.trace.ToJson(TracePart::kAggregate).dump(2) + "\n", false}};
  for (auto& f : ComparisonFiles(t.comparison)) files.push_back(std::move(f));
  return files;
}

}  // namespace valuepact::review
