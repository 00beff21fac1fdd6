#include "valuepact/report/run_output.h"
#include "valuepact/core/figure_ids.h"
#include "valuepact/core/numbers.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "valuepact/core/csv.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/folder_writer.h"
#include "valuepact/core/sha256.h"
#include "valuepact/core/text.h"
#include "valuepact/core/text_blocks.h"
#include "valuepact/episodes/outputs.h"
#include "valuepact/report/member_ids.h"

namespace valuepact {
namespace {

// A small document model rendered both as Markdown and as HTML, so the two statements always
// carry the same content.
struct Block {
  enum Kind { kHeading, kParagraph, kTable, kWarning } kind;
  std::string text;                            // heading / paragraph / warning text
  std::vector<std::vector<std::string>> rows;  // table: first row is the header
  int level = 2;
};

std::string Dollars(Money m) { return FormatDollars(m); }

std::string Percent(double r) { return fmt::format("{:.4f}%", r * 100.0); }

// Markdown text from contract strings and data: raw HTML ("<script>"), links and images
// ("[x](javascript:...)") and line breaks that would start new blocks are neutralised; the
// statement's own `code` and **bold** markup stays.
std::string MdText(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<':
        o += "&lt;";
        break;
      case '[':
        o += "\\[";
        break;
      case ']':
        o += "\\]";
        break;
      case '\n':
      case '\r':
        o += ' ';
        break;
      default:
        o.push_back(c);
    }
  }
  return o;
}

std::string MdCell(std::string_view s) {
  std::string o;
  for (char c : MdText(s)) {
    if (c == '|') {
      o += "\\|";
    } else {
      o.push_back(c);
    }
  }
  return o;
}

std::string WhoOwesWhom(const Contract& k, Money net) {
  const std::string payer = k.payer.empty() ? "The payer" : k.payer;
  const std::string provider = k.provider.empty() ? "the provider" : k.provider;
  if (net.cents() > 0) return fmt::format("{} pays {} {}", payer, provider, Dollars(net));
  if (net.cents() < 0) {
    const std::string prov = k.provider.empty() ? "The provider" : k.provider;
    const std::string pay = k.payer.empty() ? "the payer" : k.payer;
    return fmt::format("{} pays {} {}", prov, pay, Dollars(-net));
  }
  return "Neither party owes the other anything";
}

std::vector<Block> BuildStatement(const Contract& k, const SettlementResult& r,
                                  const nlohmann::ordered_json& summary,
                                  const StatementExtras& extras) {
  std::vector<Block> d;
  d.push_back({Block::kHeading,
               fmt::format("Settlement statement — {}", k.title.empty() ? k.id : k.title),
               {},
               1});
  d.push_back(
      {Block::kParagraph,
       fmt::format("Contract `{}` between {} (payer) and {} (provider), period {} to {}. "
                   "Run `{}`.",
                   k.id, k.payer.empty() ? "the payer" : k.payer,
                   k.provider.empty() ? "the provider" : k.provider, r.period.start.ToString(),
                   r.period.end.ToString(), summary.value("run_id", std::string()).substr(0, 16)),
       {}});
  for (const auto& w : extras.warnings) d.push_back({Block::kWarning, w, {}});
  d.push_back({Block::kHeading, "Who owes whom", {}});
  d.push_back({Block::kParagraph, WhoOwesWhom(k, r.net_payer_to_provider) + ".", {}});
  Block layers{
      Block::kTable, "", {{"Layer", "Kind", "Amount (+ payer pays provider)", "Figure id"}}};
  for (const auto& l : r.layers) {
    layers.rows.push_back({l.label, l.kind, Dollars(l.amount), l.trace_id});
  }
  layers.rows.push_back({"Net", "", Dollars(r.net_payer_to_provider), std::string(figure::kNet)});
  d.push_back(layers);
  for (const auto& s : extras.sections) {
    d.push_back({Block::kHeading, s.heading, {}});
    if (!s.text.empty()) d.push_back({Block::kParagraph, s.text, {}});
    if (!s.rows.empty()) d.push_back({Block::kTable, "", s.rows});
  }

  d.push_back({Block::kHeading, "Population and benchmark", {}});
  d.push_back(
      {Block::kParagraph,
       fmt::format("A month counts for a member when plan enrollment covers {} of it{}{}.",
                   k.member_months == MemberMonthRule::kAnyDay ? "any day" : "every day",
                   k.attribution.declared
                       ? fmt::format(", the member is attributed to the provider ([attribution] "
                                     "method = \"{}\"; attribution.csv gives each member's "
                                     "rationale)",
                                     AttributionMethodName(k.attribution.method))
                       : "",
                   k.population.eligible.empty()
                       ? ""
                       : ", and the member meets the eligibility definition"),
       {}});
  Block pop{Block::kTable, "", {{"Figure", "Value", "Figure id"}}};
  // The Timeline's steps, as far as the contract uses them (docs/contract-reference.md §11).
  for (const auto& [label, id] :
       {std::pair{"Plan-enrolled member-months", figure::kPlanMemberMonths},
        std::pair{"… attributed to the provider", figure::kAttributedMemberMonths},
        std::pair{"… meeting the eligibility definition", figure::kEligibleMemberMonths}}) {
    if (const TraceNode* n = r.trace.Find(std::string(id))) {
      pop.rows.push_back({label, n->value, std::string(id)});
    }
  }
  pop.rows.push_back({"Members", std::to_string(r.members), std::string(figure::kMembers)});
  pop.rows.push_back(
      {"Member-months", std::to_string(r.member_months), std::string(figure::kMemberMonths)});
  pop.rows.push_back(
      {"Benchmark PMPM", Dollars(r.benchmark_pmpm), std::string(figure::kBenchmarkPmpm)});
  pop.rows.push_back(
      {"Benchmark", Dollars(r.benchmark_total), std::string(figure::kBenchmarkTotal)});
  d.push_back(pop);

  d.push_back({Block::kHeading, "Spending", {}});
  Block spend{Block::kTable, "", {{"Service category", "Amount", "Figure id", "PMPM", "PMPM id"}}};
  for (int c = 0; c < kServiceCategoryCount; ++c) {
    if (r.by_category[c].cents() == 0) continue;
    const auto cat = static_cast<ServiceCategory>(c);
    const std::string id = fmt::format("expenditure.category.{}", ServiceCategoryName(cat));
    const TraceNode* pmpm = r.trace.Find(id + ".pmpm");
    spend.rows.push_back({ServiceCategoryLabel(cat), Dollars(r.by_category[c]), id,
                          pmpm != nullptr ? Dollars(ParseMoney(pmpm->value)->value) : "",
                          pmpm != nullptr ? pmpm->id : ""});
  }
  spend.rows.push_back({"Total before truncation", Dollars(r.expenditure_total),
                        std::string(figure::kExpenditureTotal), "", ""});
  spend.rows.push_back({"Total after member truncation", Dollars(r.truncated_total),
                        std::string(figure::kTruncatedTotal), Dollars(r.expenditure_pmpm),
                        std::string(figure::kExpenditurePmpm)});
  d.push_back(spend);

  // The steps of each layer: nodes "layer.<id>.<step>" grouped in one pass over the trace.
  // Per-member evidence nodes ("layer.<id>.units.<person>") stay in the trace.
  std::map<std::string, std::vector<const TraceNode*>> steps_of;
  for (const auto& n : r.trace.nodes()) {
    if (n.id.rfind("layer.", 0) != 0) continue;
    const size_t dot = n.id.find('.', 6);
    if (dot == std::string::npos) continue;
    const std::string layer = n.id.substr(6, dot - 6);
    const std::string step = n.id.substr(dot + 1);
    if (step.rfind("units.", 0) == 0) continue;
    steps_of[layer].push_back(&n);
  }
  for (const auto& l : r.layers) {
    d.push_back({Block::kHeading, fmt::format("Layer: {}", l.label), {}});
    Block steps{Block::kTable, "", {{"Step", "Value", "How", "Figure id"}}};
    // The figures the layer's steps count on from outside the layer (program counts, the
    // benchmark, a measure) come first, once each; their own evidence stays in the trace.
    std::set<std::string> shown;
    const std::string prefix = fmt::format("layer.{}.", l.id);
    std::vector<const TraceNode*> rows;
    for (const TraceNode* np : steps_of[l.id]) {
      for (const auto& in : np->inputs) {
        if (in.rfind(prefix, 0) == 0 || !shown.insert(in).second) continue;
        if (const TraceNode* input = r.trace.Find(in)) rows.push_back(input);
      }
    }
    for (const TraceNode* np : steps_of[l.id]) rows.push_back(np);
    for (const TraceNode* np : rows) {
      const TraceNode& n = *np;
      std::string value = n.value;
      if (n.unit == "USD") {
        auto m = ParseMoney(n.value);
        if (m.ok()) value = Dollars(m->value);
      } else if (n.unit == "rate") {
        if (const auto r = ParseDouble(n.value)) value = Percent(*r);
      }
      steps.rows.push_back({n.label, value, n.formula, n.id});
    }
    d.push_back(steps);
  }

  d.push_back({Block::kHeading, "Data", {}});
  const auto& dq = summary["data_quality"];
  d.push_back({Block::kParagraph,
               fmt::format("{} input rows were rejected (listed with file, line, field and reason "
                           "in rejects.csv). Claim lines in the period but in a month in which "
                           "their member is not in the population (not enrolled, not attributed "
                           "or not eligible) are excluded from spending:",
                           dq.value("rejected_rows", 0)),
               {}});
  Block data{Block::kTable, "", {{"Figure", "Value", "Figure id"}}};
  data.rows.push_back({"In-scope claim lines", std::to_string(r.in_scope.lines),
                       std::string(figure::kInScopeLines)});
  data.rows.push_back({"Claim lines outside the population's months",
                       std::to_string(r.without_enrollment.lines),
                       std::string(figure::kWithoutEnrollmentLines)});
  data.rows.push_back({"Amount of those lines", Dollars(r.without_enrollment.amount),
                       std::string(figure::kWithoutEnrollmentAmount)});
  data.rows.push_back({"Claim lines outside the period", std::to_string(r.out_of_period.lines),
                       std::string(figure::kOutOfPeriodLines)});
  d.push_back(data);
  for (const auto& n : r.notes) d.push_back({Block::kParagraph, "Note: " + n, {}});
  d.push_back({Block::kHeading, "How to check any figure", {}});
  d.push_back({Block::kParagraph,
               "Every figure above has an id. `valuepact explain <run folder> <figure id>` prints "
               "how it was derived, down to the contract terms and the claim totals; trace.json "
               "holds the same tree and members.csv the per-member detail.",
               {}});
  return d;
}

std::string RenderMd(const std::vector<Block>& doc) {
  std::string o;
  for (const auto& b : doc) {
    switch (b.kind) {
      case Block::kHeading:
        o += std::string(static_cast<size_t>(b.level), '#') + " " + MdText(b.text) + "\n\n";
        break;
      case Block::kParagraph:
        o += MdText(b.text) + "\n\n";
        break;
      case Block::kWarning:
        o += "> **Warning:** " + MdText(b.text) + "\n\n";
        break;
      case Block::kTable: {
        for (size_t i = 0; i < b.rows.size(); ++i) {
          o += "|";
          for (const auto& c : b.rows[i]) o += " " + MdCell(c) + " |";
          o += "\n";
          if (i == 0) {
            o += "|";
            for (size_t j = 0; j < b.rows[i].size(); ++j) o += j == 0 ? "---|" : "---:|";
            o += "\n";
          }
        }
        o += "\n";
        break;
      }
    }
  }
  return o;
}

// Inline `code` spans become <code> in HTML.
std::string HtmlInline(std::string_view s) {
  std::string o;
  bool in_code = false;
  for (char c : s) {
    if (c == '`') {
      o += in_code ? "</code>" : "<code>";
      in_code = !in_code;
      continue;
    }
    o += HtmlEscape(std::string_view(&c, 1));
  }
  if (in_code) o += "</code>";
  return o;
}

std::string RenderHtml(const std::vector<Block>& doc, const std::string& title) {
  std::string o = fmt::format(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\n"
      "<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 "
      "1rem;color:#222}}table{{border-collapse:collapse;margin:1rem 0}}td,th{{border:1px solid "
      "#ccc;padding:.3rem .6rem;text-align:left}}td:nth-child(n+2){{font-variant-numeric:tabular-"
      "nums}}.warning{{background:#fff3cd;border:1px solid #e0b000;padding:.6rem}}code{{background:"
      "#f3f3f3;padding:0 .2rem}}</style></head><body>\n",
      HtmlEscape(title));
  for (const auto& b : doc) {
    switch (b.kind) {
      case Block::kHeading:
        o += fmt::format("<h{0}>{1}</h{0}>\n", b.level, HtmlInline(b.text));
        break;
      case Block::kParagraph:
        o += "<p>" + HtmlInline(b.text) + "</p>\n";
        break;
      case Block::kWarning:
        o += "<p class=\"warning\"><strong>Warning:</strong> " + HtmlInline(b.text) + "</p>\n";
        break;
      case Block::kTable: {
        o += "<table>\n";
        for (size_t i = 0; i < b.rows.size(); ++i) {
          o += "<tr>";
          for (const auto& c : b.rows[i]) {
            o += fmt::format("<{0}>{1}</{0}>", i == 0 ? "th" : "td", HtmlInline(c));
          }
          o += "</tr>\n";
        }
        o += "</table>\n";
        break;
      }
    }
  }
  o += "</body></html>\n";
  return o;
}

}  // namespace

std::string EngineVersion() { return VALUEPACT_VERSION; }

void ApplyDataQuality(const run::DataQualityAssessment& q, nlohmann::ordered_json* summary,
                      StatementExtras* extras) {
  const quality::QualityVerdict* verdict = q.verdict ? &*q.verdict : nullptr;
  extras->quality_json = quality::QualityJson(q.scorecard, verdict);
  extras->quality_md = quality::QualityMarkdown(q.scorecard, verdict);
  if (verdict == nullptr) {
    (*summary)["data_requirements"] = {{"evaluated", false},
                                       {"note", "the contract has no [data_requirements]"}};
    return;
  }
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const auto& c : verdict->checks) {
    checks.push_back({{"name", c.name},
                      {"required", c.required},
                      {"actual", c.actual},
                      {"status", c.status},
                      {"explanation", c.explanation}});
  }
  (*summary)["data_requirements"] = {
      {"evaluated", true}, {"passed", verdict->passed}, {"checks", checks}};
}

namespace {

// Rows refused by the readers, by reason.
nlohmann::ordered_json RejectSummary(const IngestReport& report) {
  std::map<std::string, uint64_t> by_reason;
  for (const auto& r : report.rejects) ++by_reason[r.reason];
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [reason, n] : by_reason) j[reason] = n;
  return j;
}

}  // namespace

namespace {

// The contract's episodes: their reconciliations in summary.json, a statement section by group.
void AddEpisodes(const episodes::EpisodeResult& e, nlohmann::ordered_json* j,
                 StatementExtras* extras) {
  (*j)["episodes"] = episodes::ReconciliationJson(e);
  StatementExtras::Section s;
  s.heading = "Episodes";
  s.text =
      "Episodes of the contract's [[episode]] tables (docs/episodes.md); restricted/episodes.csv "
      "lists every episode with its claim lines.";
  s.rows = {{"Episode", "DRG family", "Setting", "Episodes", "Members", "Mean total", "Readmitted",
             "Figure id"}};
  for (const auto& g : e.groups) {
    s.rows.push_back(
        {g.definition, g.family, g.setting, std::to_string(g.episodes), std::to_string(g.members),
         Dollars(g.mean_total), std::to_string(g.with_readmission),
         fmt::format("episodes.{}.{}.{}.mean_total", g.definition, g.family, g.setting)});
  }
  extras->sections.push_back(std::move(s));
  if (e.reconciliations.empty()) return;
  StatementExtras::Section r;
  r.heading = "Episode reconciliation";
  r.rows = {{"Episode", "Episodes", "Target", "Actual", "Target − actual", "Amount", "Limit",
             "Figure id"}};
  for (const auto& x : e.reconciliations) {
    r.rows.push_back({x.definition, std::to_string(x.episodes), Dollars(x.target_total),
                      Dollars(x.actual_total), Dollars(x.raw), Dollars(x.amount),
                      x.limit_applied.empty() ? "none" : x.limit_applied, x.amount_id});
  }
  extras->sections.push_back(std::move(r));
}

}  // namespace

nlohmann::ordered_json SettleSummary(const run::SettleRunResult& r, StatementExtras* extras) {
  const run::RunInputs& in = *r.inputs;
  const Contract& k = in.contract;
  const SettlementResult& s = r.settlement;
  nlohmann::ordered_json j = BuildSummaryJson(r.run_id, k, in.dataset, in.report, s);
  j["population"]["attribution"] = AttributionMethodName(k.attribution.method);
  j["population"]["evaluate"] = PopulationEvaluationName(k.population.evaluate);
  j["data_quality"]["rejects_by_reason"] = RejectSummary(in.report);
  nlohmann::ordered_json lines = nlohmann::ordered_json::object();
  for (const auto& t : in.report.RejectTotals()) {
    lines[std::string(t.reason)] = {
        {"rows", t.rows}, {"paid", t.paid.ToString()}, {"allowed", t.allowed.ToString()}};
  }
  j["data_quality"]["rejected_claim_lines"] = lines;
  j["data_quality"]["claim_rows"] = {{"read", s.claim_rows.read},
                                     {"rejected", s.claim_rows.rejected},
                                     {"reject_share", s.claim_rows.share()},
                                     {"warn_reject_share", k.data_requirements.warn_reject_share},
                                     {"max_reject_share", k.data_requirements.max_reject_share}};
  run::AddProvenance(in, &j);
  j["resolved"] = run::ResolvedSources(in);
  j["data_gate"] = {{"outcome", s.data_gate.empty() ? "open" : s.data_gate},
                    {"reasons", s.data_gate_reasons},
                    {"on_fail", DataFailActionName(k.data_requirements.on_fail)}};
  ApplyDataQuality(r.quality, &j, extras);
  extras->warnings = r.warnings;
  if (r.episodes) AddEpisodes(*r.episodes, &j, extras);
  return j;
}

Status WriteSettleRun(const std::string& out_dir, const run::SettleRunResult& r,
                      const nlohmann::ordered_json& summary, const StatementExtras& extras) {
  const run::RunInputs& in = *r.inputs;
  std::vector<std::pair<std::string, std::string>> restricted;
  if (r.attribution) restricted.emplace_back("attribution.csv", r.attribution->ToCsv(in.dataset));
  if (r.episodes) {
    restricted.emplace_back("episodes.csv", episodes::EpisodesCsv(in.dataset, *r.episodes));
  }
  // Member spending without ids, and the counts the layers used: what-if (docs/what-if.md).
  restricted.emplace_back("what_if_base.json", WhatIfBaseJson(r.settlement.what_if));
  return WriteRunFolder(out_dir, in.contract, in.dataset, in.report, r.settlement, summary, extras,
                        restricted);
}

Status WriteShareFolder(const std::string& share_dir, const run::SettleRunResult& r,
                        const nlohmann::ordered_json& summary, const StatementExtras& extras) {
  const Contract& k = r.inputs->contract;
  // Notes and warnings may name a member; the shared copy says "[member]" instead. Figures are
  // never rewritten: if a member id is left anywhere after that, the folder is not written.
  const MemberIdGuard guard(r.inputs->dataset.members);
  nlohmann::ordered_json shared_summary = summary;
  guard.Redact(&shared_summary);
  const std::vector<std::pair<const char*, std::string>> files = {
      {"summary.json", shared_summary.dump(2) + "\n"},
      {"trace.json", r.settlement.trace.ToJson(TracePart::kShared).dump(2) + "\n"},
      {"statement.md", RenderStatementMarkdown(k, r.settlement, shared_summary, extras)},
      {"statement.html", RenderStatementHtml(k, r.settlement, shared_summary, extras)}};
  for (const auto& [name, body] : files) {
    if (const std::string_view id = guard.FindIn(body); !id.empty()) {
      return InvalidInput(fmt::format(
          "{}: not written: its {} would name member '{}' (a member-level figure reached a "
          "shared output; please report this)",
          share_dir, name, id));
    }
  }
  auto writer = FolderWriter::Begin(share_dir);
  if (!writer.ok()) return writer.status();
  for (const auto& [name, body] : files) {
    if (Status s = writer->Write(name, body); !s.ok()) return s;
  }
  return writer->Commit();
}

nlohmann::ordered_json BuildSummaryJson(const std::string& run_id, const Contract& k,
                                        const Dataset& ds, const IngestReport& report,
                                        const SettlementResult& r) {
  nlohmann::ordered_json j;
  j["run_id"] = run_id;
  j["contract_id"] = k.id;
  j["engine_version"] = EngineVersion();
  j["period"] = {{"start", r.period.start.ToString()}, {"end", r.period.end.ToString()}};
  j["population"] = {{"members", r.members}, {"member_months", r.member_months}};
  j["expenditure"] = {{"total", r.expenditure_total.ToString()},
                      {"truncated_total", r.truncated_total.ToString()},
                      {"pmpm", r.expenditure_pmpm.ToString()}};
  nlohmann::ordered_json cats = nlohmann::ordered_json::object();
  for (int c = 0; c < kServiceCategoryCount; ++c) {
    cats[ServiceCategoryName(static_cast<ServiceCategory>(c))] = r.by_category[c].ToString();
  }
  j["expenditure"]["by_category"] = cats;
  j["benchmark"] = {{"total", r.benchmark_total.ToString()}, {"pmpm", r.benchmark_pmpm.ToString()}};
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const auto& l : r.layers) {
    layers.push_back({{"id", l.id},
                      {"kind", l.kind},
                      {"label", l.label},
                      {"amount", l.amount.ToString()},
                      {"outcome", l.branch},
                      {"trace_id", l.trace_id}});
  }
  j["layers"] = layers;
  j[std::string(figure::kNet)] = r.net_payer_to_provider.ToString();
  j["who_owes_whom"] = WhoOwesWhom(k, r.net_payer_to_provider);
  uint64_t rejected = report.rejects.size();
  j["data_quality"] = {
      {"rejected_rows", rejected},
      {"claims_without_enrollment",
       {{"lines", r.without_enrollment.lines}, {"amount", r.without_enrollment.amount.ToString()}}},
      {"claims_out_of_period",
       {{"lines", r.out_of_period.lines}, {"amount", r.out_of_period.amount.ToString()}}},
      {"in_scope_lines", r.in_scope.lines},
      {"rounded_amounts", report.rounded_amounts}};
  j["inputs"] = run::DataSourcesJson(ds);
  nlohmann::ordered_json notes = nlohmann::ordered_json::array();
  for (const auto& n : report.notes) notes.push_back(n);
  for (const auto& n : r.notes) notes.push_back(n);
  j["notes"] = notes;
  return j;
}

std::string RenderStatementMarkdown(const Contract& k, const SettlementResult& r,
                                    const nlohmann::ordered_json& summary,
                                    const StatementExtras& extras) {
  return RenderMd(BuildStatement(k, r, summary, extras));
}

std::string RenderStatementHtml(const Contract& k, const SettlementResult& r,
                                const nlohmann::ordered_json& summary,
                                const StatementExtras& extras) {
  return RenderHtml(BuildStatement(k, r, summary, extras),
                    "Settlement statement — " + (k.title.empty() ? k.id : k.title));
}

std::vector<std::string> MembersCsvPieces(const Dataset& ds, const SettlementResult& r) {
  // Service-category columns carry a prefix so that no name repeats ("pharmacy" is both the
  // claim table and a service category).
  std::string o = "person_id,member_months,lines,medical,pharmacy,spend,truncated_spend";
  for (int c = 0; c < kServiceCategoryCount; ++c) {
    o += ",category_";
    o += ServiceCategoryName(static_cast<ServiceCategory>(c));
  }
  o += "\n";
  // Blocks of rows formatted in parallel and written in order as they are: a million members'
  // rows are a second of formatting on one core, and 100 MB to join. A row is about a hundred
  // bytes.
  std::vector<std::string> pieces =
      RowsInBlocks(r.member_rows.size(), 16384, 160, [&](size_t i, std::string* out) {
        const auto& row = r.member_rows[i];
        AppendCsvField(out, ds.members.Get(row.member));
        // The rest of the row, numbers only, written into a buffer and appended at once.
        constexpr size_t kAmounts = 4 + kServiceCategoryCount;
        constexpr size_t kCounts = 2 * size_t{21};  // two integers and their commas
        std::array<char, kCounts + kAmounts*(Money::kMaxChars + 1) + 1> buf;
        char* p = buf.data();
        char* const end = buf.data() + buf.size();
        *p++ = ',';
        p = std::to_chars(p, end, row.member_months).ptr;
        *p++ = ',';
        p = std::to_chars(p, end, row.lines).ptr;
        for (const Money* m : {&row.medical, &row.pharmacy, &row.spend, &row.truncated_spend}) {
          *p++ = ',';
          p = m->WriteTo(p);
        }
        for (const Money& m : row.by_category) {
          *p++ = ',';
          p = m.WriteTo(p);
        }
        *p++ = '\n';
        out->append(buf.data(), static_cast<size_t>(p - buf.data()));
      });
  pieces.insert(pieces.begin(), std::move(o));
  return pieces;
}

Status WriteRunFolder(const std::string& out_dir, const Contract& k, const Dataset& ds,
                      const IngestReport& report, const SettlementResult& r,
                      const nlohmann::ordered_json& summary, const StatementExtras& extras,
                      const std::vector<std::pair<std::string, std::string>>& restricted_files) {
  auto writer = FolderWriter::Begin(out_dir);
  if (!writer.ok()) return writer.status();
  auto write = [&](const std::string& name, const std::string& body) {
    return writer->Write(name, body);
  };
  nlohmann::ordered_json quality;
  quality["rejected_rows"] = report.rejects.size();
  std::map<std::string, uint64_t> by_reason;
  for (const auto& rej : report.rejects) {
    ++by_reason[rej.field.empty() ? rej.reason : rej.field + ": " + rej.reason];
  }
  quality["rejects_by_reason"] = by_reason;
  quality["counters"] = report.counters;
  quality["rounded_amounts"] = report.rounded_amounts;
  quality["notes"] = report.notes;
  if (!extras.quality_json.empty()) {
    Status s = write("quality.md", extras.quality_md);
    if (!s.ok()) return s;
  }
  for (auto [name, body] :
       {std::pair<const char*, std::string>{"summary.json", summary.dump(2) + "\n"},
        {"trace.json", r.trace.ToJson(TracePart::kAggregate).dump(2) + "\n"},
        {"quality.json",
         extras.quality_json.empty() ? quality.dump(2) + "\n" : extras.quality_json},
        {"statement.md", RenderStatementMarkdown(k, r, summary, extras)},
        {"statement.html", RenderStatementHtml(k, r, summary, extras)}}) {
    Status s = write(name, body);
    if (!s.ok()) return s;
  }
  // Member-level files: only the run's owner may read them.
  if (Status s =
          writer->Write("members.csv", MembersCsvPieces(ds, r), FolderWriter::Access::kRestricted);
      !s.ok()) {
    return s;
  }
  std::vector<std::pair<std::string, std::string>> restricted = {
      {"rejects.csv", report.RejectsCsv()},
      {"member_trace.json", r.trace.ToJson(TracePart::kMembers).dump(2) + "\n"}};
  restricted.insert(restricted.end(), restricted_files.begin(), restricted_files.end());
  for (const auto& [name, body] : restricted) {
    if (Status s = writer->Write(name, body, FolderWriter::Access::kRestricted); !s.ok()) return s;
  }
  return writer->Commit();
}

}  // namespace valuepact
