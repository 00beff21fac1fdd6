// The payments by layer of the metrics run's balance view: the contract settled for the period
// on the run's Timeline, by the same step as SettleRun (run/settle_run.h).
#include <fmt/format.h>

#include "valuepact/run/metrics_run.h"
#include "valuepact/run/settle_run.h"

namespace valuepact::run {

metrics::BalancePayments BalancePayments(const RunInputs& in, const Timeline& timeline,
                                         Trace* trace) {
  metrics::BalancePayments out;
  Result<SettlementResult> settled = InvalidInput("not settled");
  try {
    settled = SettleOnTimeline(in, timeline, AssessDataQuality(in.dataset, in.report, in.contract),
                               Trace{});
  } catch (const MoneyOverflow& e) {
    settled = InvalidInput(DescribeOverflow(e));
  }
  if (!settled.ok()) {
    out.not_computed =
        fmt::format("{} (valuepact settle on the same contract and data says the same)",
                    settled.status().message());
    return out;
  }
  for (const auto& l : settled->layers) {
    metrics::LayerPayment p{l.id,     l.label,          l.kind,
                            l.branch, l.amount.cents(), "monitoring.balance.payment." + l.id};
    trace->Add({p.trace_id,
                fmt::format("{}: payment for the period", l.label),
                fmt::format("the layer settled on this run's population and data ({}); "
                            "`valuepact settle` derives it step by step as {}",
                            l.branch, l.trace_id),
                l.amount.ToString(),
                "USD",
                {},
                fmt::format("[[payment]] id = \"{}\"", l.id),
                ""});
    out.layers.push_back(std::move(p));
  }
  out.net_cents = settled->net_payer_to_provider.cents();
  trace->Add({"monitoring.balance.payment.net", "Net payment, payer to provider, for the period",
              "the sum of the layers' payments", settled->net_payer_to_provider.ToString(), "USD",
              [&] {
                std::vector<std::string> ids;
                for (const auto& p : out.layers) {
                  ids.push_back(p.trace_id);
                }
                return ids;
              }(),
              "the contract's [[payment]] layers", ""});
  return out;
}

}  // namespace valuepact::run
