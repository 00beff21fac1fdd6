#include "valuepact/settlement/illustrate.h"
#include "valuepact/core/numbers.h"

#include <algorithm>
#include <cmath>

#include <charconv>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "valuepact/contract/examples.h"
#include "valuepact/core/text.h"
#include "valuepact/layers/layer.h"

namespace valuepact {
namespace {

// A whole number from `lo` to `hi` written in decimal, or nothing.
std::optional<int64_t> WholeNumber(const std::string& text, int64_t lo, int64_t hi) {
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi) {
    return std::nullopt;
  }
  return v;
}

std::string Grouped(uint64_t n) { return GroupDigits(n); }

std::string Html(const std::string& s) { return HtmlEscape(s); }

bool Contains(const std::vector<std::string>& v, const std::string& k) {
  return std::find(v.begin(), v.end(), k) != v.end();
}

// A figure as a person reads it.
std::string Readable(const TraceNode& n) {
  if (n.unit == "USD") {
    auto m = ParseMoney(n.value);
    return m.ok() ? FormatDollars(m->value) : n.value;
  }
  if (n.unit == "rate") {
    const auto d = ParseDouble(n.value);
    if (!d || n.label.starts_with("Quality score") ||
        n.label.find("measure") != std::string::npos) {
      return n.value;
    }
    return FormatPercent(*d);
  }
  const auto m = ParseInt(n.value);
  std::string unit = n.unit == "member_months" ? "member-months" : n.unit == "count" ? "" : n.unit;
  return m && *m >= 0 ? Grouped(static_cast<uint64_t>(*m)) + (unit.empty() ? "" : " " + unit)
                      : n.value;
}

// Turns "[[payment]] id = "x" (contract line 14).sharing_rate" into words.
std::string Rule(const std::string& source) {
  if (source.starts_with("inputs.")) return "figure assumed for this example";
  if (source == "--set") return "set for this illustration";
  return source;
}

struct Scenario {
  std::string name;
  std::string intro;
  std::map<std::string, std::string> inputs;
};

}  // namespace

std::string FormatPercent(double rate) {
  std::string s = fmt::format("{:.4f}", rate * 100.0);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s + "%";
}

Result<Illustration> Illustrate(const Contract& k, const SetOverrides& values,
                                const SharedSavingsContext& ctx) {
  std::map<std::string, std::string> given;
  SetOverrides term_sets;
  for (const auto& [key, v] : values) {
    if (Contains(AggregateInputKeys(), key)) {
      given[key] = v;
    } else if (Contains(MethodologyKeys(), key)) {
      term_sets.emplace_back(key, v);
    } else {
      return InvalidInput(fmt::format(
          "--set {}: neither an example figure ({}) nor a methodology term", key,
          "benchmark_total, expenditure_total, quality_score, assigned_beneficiaries, ..."));
    }
  }
  // Terms as they apply, to choose plausible figures.
  const PaymentLayerTerms* ss = nullptr;
  bool program_layers = false;
  for (const auto& p : k.payments) {
    if (p.kind == "shared_savings" && ss == nullptr) ss = &p;
    if (p.kind != "shared_savings") program_layers = true;
  }
  // Whole-number figures are checked before any arithmetic uses them.
  for (const auto& [key, lo, hi] :
       {std::tuple{"performance_year", 2012, 2100}, std::tuple{"contract_year", 1, 100},
        std::tuple{"member_months", 0, 1'000'000'000}}) {
    if (!given.count(key)) continue;
    if (!WholeNumber(given[key], lo, hi)) {
      return InvalidInput(fmt::format("--set {}: '{}' is not a whole number from {} to {}", key,
                                      given[key], lo, hi));
    }
  }
  ResolveOptions ro;
  ro.set = term_sets;
  if (given.count("performance_year")) {
    ro.performance_year = static_cast<int>(*WholeNumber(given["performance_year"], 2012, 2100));
  }
  if (given.count("contract_year")) {
    ro.contract_year = static_cast<int>(*WholeNumber(given["contract_year"], 1, 100));
  }
  SharedSavingsTerms t;
  if (ss != nullptr) {
    auto r = ResolveSharedSavingsTerms(k, ss->id, ro);
    if (!r.ok()) return r.status();
    t = *r;
  }
  std::map<std::string, std::string> base = given;
  std::vector<std::string> assumed;
  auto dflt = [&](const std::string& key, const std::string& v) {
    if (!base.count(key)) {
      base[key] = v;
      assumed.push_back(key);
    }
  };
  const bool pmpm_benchmark =
      k.benchmark.method == "target_pmpm" && k.benchmark.target_pmpm.cents() > 0;
  if (program_layers || pmpm_benchmark) {
    dflt("member_months", "12000");
    dflt("members", "1000");
  }
  Money bench;
  if (base.count("benchmark_total")) {
    auto m = ParseMoney(base["benchmark_total"]);
    if (!m.ok()) return InvalidInput("--set benchmark_total: " + m.status().message());
    bench = m->value;
  } else if (pmpm_benchmark) {
    bench =
        k.benchmark.target_pmpm * WholeNumber(base["member_months"], 0, 1'000'000'000).value_or(0);
  } else if (ss != nullptr) {
    bench = Money::FromUnits(k.preset.empty() ? 10'000'000 : 100'000'000);
    dflt("benchmark_total", bench.ToString());
  }
  if (ss != nullptr) {
    if (!k.preset.empty() || t.msr_method != MsrMethod::kFixed || t.low_revenue_half_rate) {
      dflt("assigned_beneficiaries", "10000");
    }
    dflt("quality_score", "0.9");
    if (t.msr_method == MsrMethod::kElected && !t.elected_msr && !t.elected_variable) {
      dflt("elected_msr", "0.02");
    }
    if (t.two_sided && t.loss_cap_revenue) {
      dflt("participant_revenue_total", RoundToCents(bench.as_units() * 0.25L).ToString());
    }
  }
  // Each layer kind proposes the inputs it counts on (layers/layer.h).
  for (const auto& p : k.payments) {
    if (const LayerKind* kind = FindLayerKind(p.kind)) {
      kind->AddIllustrationInputs(p, &base, &assumed);
    }
  }
  std::vector<Scenario> scenarios;
  if (ss == nullptr) {
    base.erase("benchmark_total");
    scenarios.push_back({"The payments for one period", "", base});
  } else if (base.count("expenditure_total")) {
    scenarios.push_back({"The example", "", base});
  } else {
    // Layers counted as spending (a case rate) come on top of claims: leave room for them so
    // that total spending, not claims alone, lands 5% from the benchmark.
    Money offsets;
    for (const auto& off : ss->shared_savings.offset_layers) {
      const PaymentLayerTerms* l = k.FindLayer(off);
      const LayerKind* kind = l != nullptr ? FindLayerKind(l->kind) : nullptr;
      if (kind == nullptr) continue;
      if (auto amount = kind->IllustrationAmount(*l, base)) offsets += *amount;
    }
    bench -= offsets;
    Scenario s{"When spending comes in 5% under the benchmark",
               "Spending is assumed to be 5% below the benchmark.", base};
    s.inputs["expenditure_total"] =
        RoundToCents((bench + offsets).as_units() * 0.95L - offsets.as_units()).ToString();
    scenarios.push_back(s);
    if (t.two_sided) {
      Scenario l{"When spending comes in 5% over the benchmark",
                 "Spending is assumed to be 5% above the benchmark, so the provider shares the "
                 "losses.",
                 base};
      l.inputs["expenditure_total"] =
          RoundToCents((bench + offsets).as_units() * 1.05L - offsets.as_units()).ToString();
      scenarios.push_back(l);
    } else {
      Scenario l{"When savings fall short of the minimum savings rate",
                 "Spending is assumed to be 1% below the benchmark.", base};
      l.inputs["expenditure_total"] =
          RoundToCents((bench + offsets).as_units() * 0.99L - offsets.as_units()).ToString();
      scenarios.push_back(l);
    }
  }

  Illustration out;
  std::string md, html;
  const std::string title = k.title.empty() ? fmt::format("Worked example: contract {}", k.id)
                                            : fmt::format("Worked example: {}", k.title);
  md += "# " + title + "\n\n";
  html += "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html(title) +
          "</title>\n<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem "
          "auto;line-height:1.45;color:#222}table{border-collapse:collapse;margin:.5rem "
          "0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}td.n{text-align:"
          "right;font-variant-numeric:tabular-nums}.rule{color:#555;font-size:.9em}.result{"
          "background:#f3f7ff;border-left:4px solid #36c;padding:.6rem 1rem}</style></head>"
          "<body>\n<h1>" +
          Html(title) + "</h1>\n";
  std::string who = k.payer.empty() && k.provider.empty()
                        ? std::string("the health plan (payer) and the provider")
                        : fmt::format("{} (payer) and {} (provider)",
                                      k.payer.empty() ? "the health plan" : k.payer,
                                      k.provider.empty() ? "the provider" : k.provider);
  std::string intro = fmt::format(
      "This page shows, step by step, how the contract between {} turns a year's figures into "
      "payments. The figures are made up but plausible; each step names the contract term or "
      "the rule it applies, so both parties can check the arithmetic by hand.",
      who);
  if (!k.preset.empty()) {
    intro += fmt::format(
        " The methodology follows the preset **{}** for performance year {}.", k.preset,
        ro.performance_year > 0 ? ro.performance_year : static_cast<int>(k.performance_year));
  }
  md += intro + "\n\n";
  std::string intro_html = intro;
  if (auto p = intro_html.find("**"); p != std::string::npos) {
    intro_html.replace(p, 2, "<b>");
    if (auto q = intro_html.find("**"); q != std::string::npos) intro_html.replace(q, 2, "</b>");
  }
  html += "<p>" + intro_html + "</p>\n";
  if (!assumed.empty()) {
    std::string list;
    for (const auto& a : assumed) list += (list.empty() ? "" : ", ") + a;
    md += fmt::format(
        "Figures assumed for this illustration (change any with `--set "
        "key=value`): {}.\n\n",
        list);
    html += fmt::format(
        "<p class=\"rule\">Figures assumed for this illustration (change any "
        "with <code>--set key=value</code>): {}.</p>\n",
        Html(list));
  }

  int n = 0;
  for (const auto& sc : scenarios) {
    ++n;
    auto r = EvaluateAggregate(k, sc.inputs, term_sets, ctx);
    if (!r.ok()) return r.status();
    out.scenario_names.push_back(sc.name);
    md += fmt::format("## Example {}: {}\n\n", n, sc.name);
    html += fmt::format("<h2>Example {}: {}</h2>\n", n, Html(sc.name));
    if (!sc.intro.empty()) {
      md += sc.intro + "\n\n";
      html += "<p>" + Html(sc.intro) + "</p>\n";
    }
    md += "| Step | What | Amount | How it is worked out | Rule |\n|---|---|---|---|---|\n";
    html +=
        "<table><tr><th>Step</th><th>What</th><th>Amount</th><th>How it is worked out</th>"
        "<th>Rule</th></tr>\n";
    int step = 0;
    for (const auto& node : r->trace.nodes()) {
      ++step;
      auto cell = [](std::string s) {
        for (size_t p = s.find('|'); p != std::string::npos; p = s.find('|', p + 2)) {
          s.replace(p, 1, "\\|");
        }
        return s;
      };
      const std::string how = node.formula == "input" ? "given" : node.formula;
      md += fmt::format("| {} | {} | {} | {} | {} |\n", step, cell(node.label), Readable(node),
                        cell(how), cell(Rule(node.source)));
      html += fmt::format(
          "<tr><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td "
          "class=\"rule\">{}</td></tr>\n",
          step, Html(node.label), Html(Readable(node)), Html(how), Html(Rule(node.source)));
    }
    html += "</table>\n";
    const Money net = r->net_payer_to_provider;
    std::string result =
        net.cents() > 0   ? fmt::format("The payer pays the provider {}.", FormatDollars(net))
        : net.cents() < 0 ? fmt::format("The provider pays the payer {}.", FormatDollars(-net))
                          : "Nobody owes anybody anything.";
    if (r->shared && !r->shared->note.empty()) {
      result += fmt::format(" ({})", r->shared->note);
    }
    md += "\n**Result:** " + result + "\n\n";
    html += "<p class=\"result\"><b>Result:</b> " + Html(result) + "</p>\n";
  }
  md +=
      "Amounts are rounded to the cent once, at the last step, half away from zero. Rates are "
      "shown as percentages.\n";
  html +=
      "<p class=\"rule\">Amounts are rounded to the cent once, at the last step, half away from "
      "zero. Rates are shown as percentages.</p>\n</body></html>\n";
  out.markdown = std::move(md);
  out.html = std::move(html);
  return out;
}

}  // namespace valuepact
