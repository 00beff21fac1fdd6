// What-if on a settled run's aggregates (what_if.h).
#include "valuepact/settlement/what_if.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "valuepact/core/text_blocks.h"
#include "valuepact/settlement/settlement.h"

namespace valuepact {
namespace {

using Json = nlohmann::ordered_json;

// A count that depends on the asking layer's terms is kept per layer with those terms; the
// same rule as TimelineQuantities' cache.
std::pair<std::string, std::string> Dependence(const std::string& name,
                                               const PaymentLayerTerms& layer) {
  if (name != "program.outlier_member_months") return {"", ""};
  return {layer.id, fmt::format("measure = {}, threshold = {}", layer.program.measure,
                                layer.program.threshold.value_or(0))};
}

const char* GateName(DataGate g) {
  switch (g) {
    case DataGate::kWithhold:
      return "withhold";
    case DataGate::kNoDownside:
      return "no_downside";
    case DataGate::kOpen:
      break;
  }
  return "open";
}

// Replays the recorded quantities.
class ReplayQuantities final : public LayerQuantities {
 public:
  explicit ReplayQuantities(const WhatIfBase& base) : base_(base) {}
  Result<LayerQuantity> Get(const std::string& name, const PaymentLayerTerms& layer,
                            Trace*) override {
    const auto [who, definition] = Dependence(name, layer);
    for (const auto& q : base_.quantities) {
      if (q.name == name && q.layer == who && q.definition == definition) return q.value;
    }
    return InvalidInput(fmt::format(
        "layer '{}' needs {}{}, which the settlement did not count: settle the changed contract",
        layer.id, name, definition.empty() ? "" : " with " + definition));
  }

 private:
  const WhatIfBase& base_;
};

template <typename T>
Json Opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

template <typename T>
void ReadOpt(const Json& j, const char* key, std::optional<T>* out) {
  if (j.contains(key) && !j[key].is_null()) *out = j[key].get<T>();
}

Json FactsJson(const SharedSavingsInputs& f) {
  return {{"assigned_beneficiaries", Opt(f.assigned_beneficiaries)},
          {"quality_score", Opt(f.quality_score)},
          {"quality_standard_met", Opt(f.quality_standard_met)},
          {"alternative_quality_standard_met", Opt(f.alternative_quality_standard_met)},
          {"elected_msr", Opt(f.elected_msr)},
          {"elected_variable", f.elected_variable},
          {"participant_revenue_cents",
           f.participant_revenue ? Json(f.participant_revenue->cents()) : Json(nullptr)},
          {"low_revenue", Opt(f.low_revenue)},
          {"loss_reduction_fraction", Opt(f.loss_reduction_fraction)}};
}

SharedSavingsInputs ParseFacts(const Json& j) {
  SharedSavingsInputs f;
  ReadOpt(j, "assigned_beneficiaries", &f.assigned_beneficiaries);
  ReadOpt(j, "quality_score", &f.quality_score);
  ReadOpt(j, "quality_standard_met", &f.quality_standard_met);
  ReadOpt(j, "alternative_quality_standard_met", &f.alternative_quality_standard_met);
  ReadOpt(j, "elected_msr", &f.elected_msr);
  f.elected_variable = j.at("elected_variable").get<bool>();
  std::optional<int64_t> revenue;
  ReadOpt(j, "participant_revenue_cents", &revenue);
  if (revenue) f.participant_revenue = Money::FromCents(*revenue);
  ReadOpt(j, "low_revenue", &f.low_revenue);
  ReadOpt(j, "loss_reduction_fraction", &f.loss_reduction_fraction);
  return f;
}

Json QuantityJson(const RecordedQuantity& q) {
  return {{"name", q.name},
          {"layer", q.layer},
          {"definition", q.definition},
          {"known", q.value.known},
          {"count", q.value.count},
          {"value", q.value.value},
          {"amount_cents", q.value.amount.cents()},
          {"trace_id", q.value.trace_id},
          {"missing", q.value.missing}};
}

RecordedQuantity ParseQuantity(const Json& j) {
  RecordedQuantity q;
  q.name = j.at("name").get<std::string>();
  q.layer = j.at("layer").get<std::string>();
  q.definition = j.at("definition").get<std::string>();
  q.value.known = j.at("known").get<bool>();
  q.value.count = j.at("count").get<int64_t>();
  q.value.value = j.at("value").get<double>();
  q.value.amount = Money::FromCents(j.at("amount_cents").get<int64_t>());
  q.value.trace_id = j.at("trace_id").get<std::string>();
  q.value.missing = j.at("missing").get<std::string>();
  return q;
}

Json LayerJson(const LayerResult& l) {
  return {{"id", l.id},
          {"kind", l.kind},
          {"label", l.label},
          {"amount_cents", l.amount.cents()},
          {"trace_id", l.trace_id},
          {"branch", l.branch},
          {"note", l.note}};
}

LayerResult ParseLayer(const Json& j) {
  LayerResult l;
  l.id = j.at("id").get<std::string>();
  l.kind = j.at("kind").get<std::string>();
  l.label = j.at("label").get<std::string>();
  l.amount = Money::FromCents(j.at("amount_cents").get<int64_t>());
  l.trace_id = j.at("trace_id").get<std::string>();
  l.branch = j.at("branch").get<std::string>();
  l.note = j.at("note").get<std::string>();
  return l;
}

WhatIfBase ParseBase(const Json& j) {
  WhatIfBase b;
  b.contract_id = j.at("contract_id").get<std::string>();
  b.members = j.at("members").get<int64_t>();
  b.member_months = j.at("member_months").get<int64_t>();
  for (const auto& c : j.at("member_spend_cents")) {
    b.member_spend.push_back(Money::FromCents(c.get<int64_t>()));
  }
  b.benchmark_method = j.at("benchmark_method").get<std::string>();
  b.benchmark_total = Money::FromCents(j.at("benchmark_total_cents").get<int64_t>());
  b.benchmark_id = j.at("benchmark_id").get<std::string>();
  b.expenditure = Money::FromCents(j.at("expenditure_cents").get<int64_t>());
  b.expenditure_id = j.at("expenditure_id").get<std::string>();
  b.member_spend_source = j.at("member_spend_source").get<std::string>();
  b.facts = ParseFacts(j.at("facts"));
  const std::string gate = j.at("gate").get<std::string>();
  b.gate = gate == "withhold"      ? DataGate::kWithhold
           : gate == "no_downside" ? DataGate::kNoDownside
                                   : DataGate::kOpen;
  b.gate_reason = j.at("gate_reason").get<std::string>();
  for (const auto& q : j.at("quantities")) b.quantities.push_back(ParseQuantity(q));
  if (!j.at("msr_bands").is_null()) {
    std::vector<MsrBand> bands;
    for (const auto& x : j.at("msr_bands")) {
      MsrBand band;
      band.low = x.at("low").get<int64_t>();
      ReadOpt(x, "high", &band.high);
      band.rate_at_low = x.at("rate_at_low").get<double>();
      band.rate_at_high = x.at("rate_at_high").get<double>();
      band.line = x.at("line").get<int>();
      bands.push_back(band);
    }
    b.msr_bands = std::move(bands);
  }
  b.msr_bands_path = j.at("msr_bands_path").get<std::string>();
  for (const auto& l : j.at("layers")) b.layers.push_back(ParseLayer(l));
  b.net = Money::FromCents(j.at("net_cents").get<int64_t>());
  return b;
}

}  // namespace

Result<LayerQuantity> RecordingQuantities::Get(const std::string& name,
                                               const PaymentLayerTerms& layer, Trace* trace) {
  auto q = inner_->Get(name, layer, trace);
  if (!q.ok()) return q;
  auto [who, definition] = Dependence(name, layer);
  for (const auto& r : *out_) {
    if (r.name == name && r.layer == who && r.definition == definition) return q;
  }
  out_->push_back({name, std::move(who), std::move(definition), *q});
  return q;
}

namespace {

// The amounts as nlohmann::json writes an array of integers ("[1,-2,3]"), in blocks formatted
// in parallel.
std::string SpendArrayJson(const std::vector<Money>& spend) {
  const std::vector<std::string> blocks =
      RowsInBlocks(spend.size(), 65536, 12, [&](size_t i, std::string* out) {
        if (i > 0) *out += ',';
        const fmt::format_int digits(spend[i].cents());
        out->append(digits.data(), digits.size());
      });
  std::string out = "[";
  size_t size = 2;
  for (const auto& b : blocks) size += b.size();
  out.reserve(size);
  for (const auto& b : blocks) out += b;
  out += ']';
  return out;
}

}  // namespace

std::string WhatIfBaseJson(const WhatIfBase& b) {
  Json j;
  j["what_if_base_version"] = WhatIfBase::kVersion;
  j["contract_id"] = b.contract_id;
  j["members"] = b.members;
  j["member_months"] = b.member_months;
  // A million members' amounts as JSON values are a tenth of a second on one thread: the array
  // is written as text (SpendArrayJson) where this stand-in is in the dump.
  constexpr std::string_view kSpendSlot = "member_spend_cents: the array";
  j["member_spend_cents"] = kSpendSlot;
  j["benchmark_method"] = b.benchmark_method;
  j["benchmark_total_cents"] = b.benchmark_total.cents();
  j["benchmark_id"] = b.benchmark_id;
  j["expenditure_cents"] = b.expenditure.cents();
  j["expenditure_id"] = b.expenditure_id;
  j["member_spend_source"] = b.member_spend_source;
  j["facts"] = FactsJson(b.facts);
  j["gate"] = GateName(b.gate);
  j["gate_reason"] = b.gate_reason;
  j["quantities"] = Json::array();
  for (const auto& q : b.quantities) j["quantities"].push_back(QuantityJson(q));
  j["msr_bands"] = nullptr;
  if (b.msr_bands) {
    j["msr_bands"] = Json::array();
    for (const auto& x : *b.msr_bands) {
      j["msr_bands"].push_back({{"low", x.low},
                                {"high", Opt(x.high)},
                                {"rate_at_low", x.rate_at_low},
                                {"rate_at_high", x.rate_at_high},
                                {"line", x.line}});
    }
  }
  j["msr_bands_path"] = b.msr_bands_path;
  j["layers"] = Json::array();
  for (const auto& l : b.layers) j["layers"].push_back(LayerJson(l));
  j["net_cents"] = b.net.cents();
  std::string text = j.dump() + "\n";
  // Inside a JSON string every '"' is escaped, so `"key":"value"` can only be the member itself.
  const std::string slot = fmt::format("\"member_spend_cents\":\"{}\"", kSpendSlot);
  const size_t at = text.find(slot);
  const std::string array = SpendArrayJson(b.member_spend);
  text.replace(at + slot.size() - kSpendSlot.size() - 2, kSpendSlot.size() + 2, array);
  return text;
}

Result<WhatIfBase> ParseWhatIfBase(std::string_view text, const std::string& path) {
  const Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return InvalidInput(fmt::format("{}: not a JSON object", path));
  }
  const int version = j.value("what_if_base_version", 0);
  if (version != WhatIfBase::kVersion) {
    return InvalidInput(fmt::format(
        "{}: what-if base version {}, this engine reads version {}: settle the run again", path,
        version, WhatIfBase::kVersion));
  }
  try {
    return ParseBase(j);
  } catch (const nlohmann::json::exception& e) {
    return InvalidInput(fmt::format("{}: not a what-if base ({})", path, e.what()));
  }
}

Result<WhatIfOutcome> SettleOnBase(const Contract& k, const WhatIfBase& base) {
  WhatIfOutcome out;
  SpendingInputs spending;
  spending.benchmark_total = base.benchmark_method == "target_pmpm"
                                 ? k.benchmark.target_pmpm * base.member_months
                                 : base.benchmark_total;
  spending.benchmark_id = base.benchmark_id;
  spending.expenditure = base.expenditure;
  spending.expenditure_id = base.expenditure_id;
  spending.member_spend = &base.member_spend;
  spending.member_spend_source = base.member_spend_source;
  spending.facts = base.facts;
  out.benchmark_total = spending.benchmark_total;

  ReplayQuantities quantities(base);
  LayerLoopInputs li;
  li.contract = &k;
  li.quantities = &quantities;
  li.spending = &spending;
  li.resolve_terms = [](const PaymentLayerTerms& p) -> Result<SharedSavingsTerms> {
    return p.shared_savings;
  };
  std::optional<MsrBandTable> bands;
  if (base.msr_bands) {
    bands = MsrBandTable::FromBands(*base.msr_bands, base.msr_bands_path);
    li.shared_context.msr_bands = &*bands;
  } else if (NeedsMsrBands(k)) {
    return InvalidInput(
        "a variable MSR needs the MSR band table, which the settlement did not have: settle the "
        "changed contract with the reference tables");
  }
  li.gate = base.gate;
  li.gate_reason = base.gate_reason;
  auto loop = RunLayers(li, &out.trace);
  if (!loop.ok()) return loop.status();
  out.layers = std::move(loop->layers);
  out.outcomes = std::move(loop->outcomes);
  out.net_payer_to_provider = loop->net_payer_to_provider;
  out.notes = std::move(loop->notes);
  return out;
}

Status CheckBaseReproduces(const Contract& k, const WhatIfBase& base) {
  auto r = SettleOnBase(k, base);
  if (!r.ok()) {
    return InvalidInput(
        fmt::format("the settled contract does not settle on the run's "
                    "aggregates: {}",
                    r.status().message()));
  }
  std::vector<std::string> diffs;
  for (size_t i = 0; i < std::max(r->layers.size(), base.layers.size()); ++i) {
    const LayerResult* a = i < base.layers.size() ? &base.layers[i] : nullptr;
    const LayerResult* b = i < r->layers.size() ? &r->layers[i] : nullptr;
    if (a == nullptr || b == nullptr || a->id != b->id || a->amount != b->amount) {
      diffs.push_back(fmt::format(
          "layer {}: settled {}, on the aggregates {}", a != nullptr ? a->id : b->id,
          a != nullptr ? a->amount.ToString() : "-", b != nullptr ? b->amount.ToString() : "-"));
    }
  }
  if (r->net_payer_to_provider != base.net) {
    diffs.push_back(fmt::format("net: settled {}, on the aggregates {}", base.net.ToString(),
                                r->net_payer_to_provider.ToString()));
  }
  if (diffs.empty()) return Status::Ok();
  return InvalidInput(fmt::format("the run's aggregates do not reproduce its settlement ({})",
                                  fmt::join(diffs, "; ")));
}

}  // namespace valuepact
