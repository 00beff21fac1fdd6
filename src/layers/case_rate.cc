// case_rate: a fixed amount per member-month — of the contract's population (basis =
// "population") or of program member-months (basis = "program"), at one rate or a rate per care
// setting of the month. A month whose setting has no rate stops the run, naming the setting.
#include <charconv>

#include <fmt/format.h>

#include "layers/kinds.h"
#include "valuepact/core/figure_ids.h"
#include "valuepact/dataset/program_data.h"

namespace valuepact {
namespace {

class CaseRate final : public LayerKind {
 public:
  std::string_view name() const override { return "case_rate"; }
  Result<LayerOutcome> Compute(const LayerContext& ctx) const override {
    const CaseRateTerms& c = ctx.layer->case_rate;
    if (c.has_settings()) {
      return BySetting(ctx);
    }
    const bool program = c.basis == CaseRateBasis::kProgram;
    auto q =
        ctx.quantities->Get(program ? "program.member_months" : std::string(figure::kMemberMonths),
                            *ctx.layer, ctx.trace);
    if (!q.ok()) {
      return q.status();
    }
    if (!q->known) {
      return NoInput(ctx, q->missing);
    }
    Trace& tr = *ctx.trace;
    LayerOutcome o;
    o.amount_id = ctx.prefix + ".amount";
    o.branch = "case_rate";
    o.amount = c.pmpm * q->count;
    tr.AddMoney(ctx.prefix + ".pmpm", fmt::format("{}: rate per member-month", ctx.layer->label),
                c.pmpm, "contract term", {}, ctx.clause + ".pmpm");
    tr.AddMoney(o.amount_id, fmt::format("{}: case-rate payment", ctx.layer->label), o.amount,
                fmt::format("PMPM × {} member-months (exact in cents; no rounding needed)",
                            program ? "program" : "population"),
                {ctx.prefix + ".pmpm", q->trace_id}, ctx.clause);
    return o;
  }

  // Program member-months: a sixth of the population's, 75% at home, 15% in nursing
  // facilities, 10% in assisted living.
  void AddIllustrationInputs(const PaymentLayerTerms& p, std::map<std::string, std::string>* in,
                             std::vector<std::string>* assumed) const override {
    if (p.case_rate.basis != CaseRateBasis::kProgram) return;
    const int64_t population = Count(*in, "member_months").value_or(12000);
    const int64_t program = population / 6;
    if (!p.case_rate.has_settings()) {
      AssumeInput("program_member_months", std::to_string(program), in, assumed);
      return;
    }
    const int64_t nf = program * 15 / 100, al = program / 10;
    AssumeInput("program_member_months_home", std::to_string(program - nf - al), in, assumed);
    AssumeInput("program_member_months_nursing_facility", std::to_string(nf), in, assumed);
    AssumeInput("program_member_months_assisted_living", std::to_string(al), in, assumed);
  }

  std::optional<Money> IllustrationAmount(
      const PaymentLayerTerms& p, const std::map<std::string, std::string>& in) const override {
    const CaseRateTerms& c = p.case_rate;
    if (!c.has_settings()) {
      const auto months =
          Count(in, c.basis == CaseRateBasis::kProgram ? "program_member_months" : "member_months");
      if (!months) return std::nullopt;
      return c.pmpm * *months;
    }
    Money total;
    for (const auto& [setting, rate] : c.by_setting) {
      total += rate * Count(in, "program_member_months_" + setting).value_or(0);
    }
    return total;
  }

 private:
  static std::optional<int64_t> Count(const std::map<std::string, std::string>& in,
                                      const std::string& key) {
    const auto it = in.find(key);
    if (it == in.end()) return std::nullopt;
    int64_t v = 0;
    const auto [end, ec] =
        std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (ec != std::errc() || end != it->second.data() + it->second.size()) return std::nullopt;
    return v;
  }

  static Result<LayerOutcome> BySetting(const LayerContext& ctx) {
    const CaseRateTerms& c = ctx.layer->case_rate;
    Trace& tr = *ctx.trace;
    LayerOutcome o;
    o.amount_id = ctx.prefix + ".amount";
    o.branch = "case_rate";
    std::vector<std::string> inputs;
    std::string formula;
    bool any_known = false;
    std::string missing;
    for (const std::string_view setting : kCareSettingNames) {
      auto q = ctx.quantities->Get(fmt::format("program.member_months.{}", setting), *ctx.layer,
                                   ctx.trace);
      if (!q.ok()) {
        return q.status();
      }
      if (!q->known) {
        missing = q->missing;
        continue;
      }
      any_known = true;
      const std::pair<std::string, Money>* rate = nullptr;
      for (const auto& r : c.by_setting) {
        if (r.first == setting) {
          rate = &r;
        }
      }
      if (rate == nullptr) {
        if (q->count == 0) {
          continue;
        }
        return InvalidInput(fmt::format(
            "{}: {} program member-months are in the setting '{}', which has no rate in pmpm "
            "(add {} = <amount> to the layer's pmpm table)",
            ctx.clause, q->count, setting, setting));
      }
      const std::string rate_id = fmt::format("{}.pmpm.{}", ctx.prefix, setting);
      const std::string part_id = fmt::format("{}.amount.{}", ctx.prefix, setting);
      const Money part = rate->second * q->count;
      tr.AddMoney(rate_id, fmt::format("{}: rate per member-month, {}", ctx.layer->label, setting),
                  rate->second, "contract term", {},
                  fmt::format("{}.pmpm.{}", ctx.clause, setting));
      tr.AddMoney(part_id, fmt::format("{}: payment, {}", ctx.layer->label, setting), part,
                  fmt::format("{} × {} program member-months in the setting",
                              rate->second.ToString(), q->count),
                  {rate_id, q->trace_id}, ctx.clause);
      o.amount += part;
      inputs.push_back(part_id);
      formula += fmt::format("{}{}", formula.empty() ? "" : " + ", setting);
    }
    if (!any_known) {
      return NoInput(ctx, missing);
    }
    tr.AddMoney(o.amount_id, fmt::format("{}: case-rate payment", ctx.layer->label), o.amount,
                "Σ over settings of rate × program member-months (" + formula + ")", inputs,
                ctx.clause);
    return o;
  }
};

}  // namespace

const LayerKind& CaseRateLayer() {
  static const CaseRate k;
  return k;
}

}  // namespace valuepact
