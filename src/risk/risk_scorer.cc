#include "valuepact/risk/risk_scorer.h"
#include "valuepact/core/numbers.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "valuepact/core/csv.h"

namespace valuepact::risk {

namespace {

std::string Prefix(const std::string& pid, HccVersion v) {
  return fmt::format("risk.{}.{}", pid, HccVersionName(v));
}

std::string CoefficientSource(const CmsHccModel& m, const std::string& coefficient) {
  if (coefficient.empty()) {
    return "not in the coefficient table: contributes 0";
  }
  return fmt::format("{}: {} (model_version C{})", m.SourceFile("ra_coefficients_"), coefficient,
                     HccVersionName(m.version()) + 1);
}

}  // namespace

std::string FormatScore(double v) {
  // Coefficients have three decimals; sums carry binary noise (0.308 + 0.135 =
  // 0.44300000000000006) that would only confuse a reader.
  const double r = std::round(v * 1e9) / 1e9;
  return FormatRate(r);
}

std::string RiskScorer::ScoreNodeId(const std::string& person_id) {
  return fmt::format("risk.{}.score", person_id);
}

Result<RiskScorer> RiskScorer::Load(const ReferenceData& refdata, RiskRequest request) {
  RiskScorer s;
  auto rates_or = refdata.AdjustmentRates();
  if (!rates_or.ok()) {
    return rates_or.status();
  }
  const std::vector<CmsHccAdjustmentRate>* rates = *rates_or;
  if (request.blend) {
    auto plan = PlanBlend(*rates, request.payment_year);
    if (!plan.ok()) {
      return plan.status();
    }
    request.models.clear();
    for (const auto& p : plan->parts) {
      request.models.push_back(p.version);
    }
    s.blend_ = std::move(*plan);
  }
  if (request.models.empty()) {
    return InvalidInput("risk: no CMS-HCC model requested");
  }
  for (HccVersion v : request.models) {
    auto tables = refdata.ModelTables(v, request.payment_year);
    if (!tables.ok()) {
      return tables.status();
    }
    const CmsHccModelTables* t = *tables;
    for (const auto& src : t->sources) {
      if (!src.note.empty()) {
        s.notes_.push_back(
            fmt::format("CMS-HCC {}: {}: {}", HccVersionName(v), src.file, src.note));
      }
    }
    if (!t->dx_map_note.empty()) {
      s.notes_.push_back(t->dx_map_note);
    }
    auto m = CmsHccModel::Build(*t);
    if (!m.ok()) {
      return m.status();
    }
    s.models_.push_back(std::move(*m));
    auto adj = FindAdjustment(*rates, v, request.payment_year);
    if (adj.ok()) {
      s.adjustments_.push_back(std::move(*adj));
    } else {
      s.adjustments_.push_back(std::nullopt);
      s.notes_.push_back(adj.status().message() +
                         "; normalized and payment scores are left empty for this model");
    }
  }
  s.request_ = std::move(request);
  s.LoadEsrd(refdata);
  return s;
}

void RiskScorer::LoadEsrd(const ReferenceData& refdata) {
  const int py = request_.payment_year;
  auto tables = refdata.EsrdTables(py);
  if (!tables.ok()) {
    notes_.push_back(fmt::format(
        "members in ESRD status are scored with the CMS-HCC model, not the ESRD model: {}",
        tables.status().message()));
    return;
  }
  auto model = EsrdModel::Build(**tables);
  if (!model.ok()) {
    notes_.push_back(fmt::format(
        "members in ESRD status are scored with the CMS-HCC model, not the ESRD model: {}",
        model.status().message()));
    return;
  }
  for (size_t k = 0; k < models_.size(); ++k) {
    if (models_[k].version() == HccVersion::kV24) {
      esrd_v24_index_ = static_cast<int>(k);
    }
  }
  if (esrd_v24_index_ < 0) {
    auto t = refdata.ModelTables(HccVersion::kV24, py);
    auto m = t.ok() ? CmsHccModel::Build(**t) : Result<CmsHccModel>(t.status());
    if (!m.ok()) {
      notes_.push_back(fmt::format(
          "members in ESRD status are scored with the CMS-HCC model, not the ESRD model: its "
          "diagnoses map through CMS-HCC V24, which cannot be loaded: {}",
          m.status().message()));
      return;
    }
    esrd_v24_map_.push_back(std::move(*m));
  }
  esrd_ = std::move(*model);
  if (!(*tables)->coefficients_source.note.empty()) {
    notes_.push_back((*tables)->coefficients_source.note);
  }
  esrd_dialysis_adj_ = (*tables)->dialysis;
  esrd_graft_adj_ = (*tables)->graft;
  if (!esrd_dialysis_adj_.normalization_factor) {
    notes_.push_back(fmt::format(
        "adjustment_rates.csv has no ESRD dialysis row for payment year {}: the dialysis and "
        "transplant scores of ESRD members are raw (not normalized)",
        py));
  }
  if (!esrd_graft_adj_.normalization_factor) {
    notes_.push_back(fmt::format(
        "adjustment_rates.csv has no ESRD functioning graft row for payment year {}: the "
        "functioning-graft scores of ESRD members are raw (not normalized)",
        py));
  }
}

std::optional<EsrdResult> RiskScorer::ScoreEsrd(const MemberInput& in,
                                                std::span<const std::string_view> codes,
                                                const MemberResult& res) const {
  if (!InEsrdStatus(in.demo) || !esrd_) {
    return std::nullopt;
  }
  const CcSet hccs = esrd_v24_index_ >= 0
                         ? res.models[static_cast<size_t>(esrd_v24_index_)].score.hccs
                         : esrd_v24_map_.front().ScoreCodes(in.demo, codes, nullptr).hccs;
  EsrdResult e;
  // Always with its terms: member_scores.csv lists them, and ESRD members are few.
  e.score = esrd_->Score(in.demo, hccs, true);
  const EsrdAdjustment& adj = EsrdAdjustmentOf(e.score);
  if (adj.normalization_factor && adj.ma_coding_adjustment) {
    e.normalized = e.score.raw_score / *adj.normalization_factor;
    e.payment = *e.normalized * (1.0 - *adj.ma_coding_adjustment);
  }
  return e;
}

std::vector<MemberResult> RiskScorer::ScoreAll(const std::vector<MemberInput>& members,
                                               Trace* trace, const std::vector<uint8_t>& explain,
                                               RiskRunSummary* summary) const {
  const size_t n = members.size();
  std::vector<MemberResult> results(n);
  std::vector<std::vector<TraceNode>> nodes(trace != nullptr ? n : 0);
  std::vector<RiskRunSummary> per_member(n);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 64), [&](const tbb::blocked_range<size_t>& r) {
    std::vector<std::string> norm;
    std::vector<std::string_view> views;
    std::string buf;
    for (size_t i = r.begin(); i != r.end(); ++i) {
      const MemberInput& in = members[i];
      // Each distinct code counts once (CMS scores the set of diagnoses of the data year).
      norm.clear();
      for (const auto& d : in.dx) {
        const bool ok = NormalizeIcd10(d, &buf);
        norm.push_back(ok ? buf : d);
      }
      std::sort(norm.begin(), norm.end());
      norm.erase(std::unique(norm.begin(), norm.end()), norm.end());
      views.assign(norm.begin(), norm.end());
      const bool want_explain =
          trace != nullptr && (explain.empty() || (i < explain.size() && explain[i] != 0));
      std::vector<MemberExplanation> ex(want_explain ? models_.size() : 0);
      MemberResult& res = results[i];
      for (size_t k = 0; k < models_.size(); ++k) {
        ModelResult mr;
        mr.version = models_[k].version();
        mr.score = models_[k].ScoreCodes(in.demo, views, want_explain ? &ex[k] : nullptr);
        if (adjustments_[k]) {
          mr.normalized = mr.score.raw_score / adjustments_[k]->normalization_factor;
          mr.payment = *mr.normalized * (1.0 - adjustments_[k]->ma_coding_adjustment);
        }
        res.models.push_back(mr);
      }
      if (blend_) {
        double raw = 0, normalized = 0;
        for (size_t k = 0; k < models_.size(); ++k) {
          raw += blend_->parts[k].blend_weight * res.models[k].score.raw_score;
          normalized += blend_->parts[k].blend_weight * *res.models[k].normalized;
        }
        res.blend_raw = raw;
        res.blend_normalized = normalized;
        res.blend_payment = normalized * (1.0 - blend_->ma_coding_adjustment);
        res.final_score = *res.blend_payment;
      } else {
        const auto& m0 = res.models.front();
        res.final_score = m0.payment ? *m0.payment : m0.score.raw_score;
      }
      res.esrd = ScoreEsrd(in, views, res);
      if (res.esrd) {
        res.final_score = res.esrd->payment ? *res.esrd->payment : res.esrd->score.raw_score;
      }
      auto& sm = per_member[i];
      sm.members = 1;
      sm.dx_given = norm.size();
      const auto& s0 = res.models.front().score;
      sm.dx_mapped = s0.dx_mapped;
      sm.dx_unmapped = s0.dx_unmapped;
      sm.dx_malformed = s0.dx_malformed;
      sm.dx_edited = s0.dx_edited;
      if (want_explain) {
        AppendTrace(in, ex, res, &nodes[i]);
        // Every node of a member's derivation is member-level (restricted output only).
        for (TraceNode& node : nodes[i]) {
          node.member = in.person_id;
        }
      }
    }
  });
  if (summary != nullptr) {
    *summary = {};
    for (const auto& s : per_member) {
      summary->members += s.members;
      summary->dx_given += s.dx_given;
      summary->dx_mapped += s.dx_mapped;
      summary->dx_unmapped += s.dx_unmapped;
      summary->dx_malformed += s.dx_malformed;
      summary->dx_edited += s.dx_edited;
    }
  }
  if (trace != nullptr) {
    for (auto& v : nodes) {
      for (auto& node : v) {
        trace->Add(std::move(node));
      }
    }
  }
  return results;
}

void RiskScorer::AppendTrace(const MemberInput& in, const std::vector<MemberExplanation>& exs,
                             const MemberResult& r, std::vector<TraceNode>* out) const {
  const std::string& pid = in.person_id;
  const int py = request_.payment_year;
  std::vector<std::string> model_payment_ids;
  for (size_t k = 0; k < models_.size(); ++k) {
    const CmsHccModel& m = models_[k];
    const MemberExplanation& ex = exs[k];
    const MemberScore& s = r.models[k].score;
    const std::string p = Prefix(pid, m.version());
    const std::string map_file = m.SourceFile("ra_dx_to_cc_");
    const std::string vname = HccVersionName(m.version());

    // Segment.
    const std::string seg_id = p + ".segment";
    out->push_back({seg_id,
                    fmt::format("CMS-HCC {} segment of member {}", vname, pid),
                    ex.segment_reason,
                    SegmentName(s.segment),
                    "segment",
                    {},
                    in.demographics_note.empty()
                        ? fmt::format("member demographics (age on February 1, {})", py)
                        : in.demographics_note});

    // Diagnoses.
    std::map<int, std::vector<std::string>> dx_ids_by_cc;
    std::vector<std::string> dx_ids;
    for (const auto& st : ex.dx) {
      const std::string id = fmt::format("{}.dx.{}", p, st.code);
      std::string value, formula;
      switch (st.kind) {
        case DxStep::Kind::kMapped: {
          std::vector<std::string> names;
          for (int cc : st.ccs) {
            names.push_back(fmt::format("CC{}", cc));
            dx_ids_by_cc[cc].push_back(id);
          }
          value = fmt::format("{}", fmt::join(names, "+"));
          std::vector<std::string> mapped;
          for (int cc : st.mapped_ccs) {
            mapped.push_back(fmt::format("CC{}", cc));
          }
          formula = fmt::format("ICD-10 {} maps to {} in CMS-HCC Model {}", st.code,
                                fmt::join(mapped, " and "), vname);
          if (!st.edit.empty()) {
            formula += fmt::format("; age/sex edit: {} -> {}", st.edit, value);
          }
          if (!st.note.empty()) {
            formula += "; " + st.note;
          }
          break;
        }
        case DxStep::Kind::kEditedAway:
          value = "none";
          formula = fmt::format("ICD-10 {} would map to CC{} but the age/sex edit removes it: {}",
                                st.code, fmt::join(st.mapped_ccs, "+CC"), st.edit);
          break;
        case DxStep::Kind::kUnmapped:
          value = "none";
          formula = fmt::format(
              "ICD-10 {} maps to no CC of CMS-HCC Model {} (not a payment "
              "diagnosis, or not a code of this table year)",
              st.code, vname);
          break;
        case DxStep::Kind::kMalformed:
          value = "invalid";
          formula = fmt::format(
              "'{}' is not an ICD-10-CM code (letter, digit, then 1-5 letters "
              "or digits); counted and ignored",
              st.code);
          break;
      }
      dx_ids.push_back(id);
      out->push_back({id,
                      fmt::format("Diagnosis {} of member {}", st.code, pid),
                      formula,
                      value,
                      "code",
                      {},
                      fmt::format("{} (CMS-HCC Model {})", map_file, vname)});
    }
    for (const auto& rule : ex.special_rules) {
      out->push_back({p + ".rule.HCC223",
                      "V28 heart-assist rule",
                      rule,
                      "applied",
                      "rule",
                      {},
                      "CMS-HCC V28 software"});
    }

    // Hierarchy drops.
    std::vector<std::string> dropped_ids;
    for (const auto& d : ex.dropped) {
      const std::string id = fmt::format("{}.dropped.HCC{}", p, d.cc);
      dropped_ids.push_back(id);
      auto ins = dx_ids_by_cc[d.cc];
      out->push_back(
          {id, fmt::format("HCC{} dropped by hierarchy", d.cc),
           fmt::format("HCC{} ({}) is outranked by HCC{} ({}) in hierarchy {}; it does "
                       "not count",
                       d.cc, m.Label(d.cc), d.by, m.Label(d.by), m.tables().hierarchy_table),
           "0", "rate", ins,
           fmt::format("{}: cc_parent {} / cc_child {}", m.SourceFile("ra_hierarchies_"), d.by,
                       d.cc)});
    }

    // Terms of the raw score.
    std::vector<std::string> term_ids;
    std::map<std::string, std::string> term_id_by_variable;
    std::string sum;
    for (const auto& t : ex.terms) {
      const std::string id = fmt::format("{}.term.{}", p, t.variable);
      std::vector<std::string> inputs;
      if (t.kind == ScoreTerm::Kind::kDemographic) {
        inputs.push_back(seg_id);
      }
      if (t.kind == ScoreTerm::Kind::kHcc) {
        if (const auto cc = ParseInt(std::string_view(t.variable).substr(3))) {
          inputs = dx_ids_by_cc[static_cast<int>(*cc)];
        }
      }
      for (int cc : t.from_ccs) {
        auto it = term_id_by_variable.find(fmt::format("HCC{}", cc));
        if (it != term_id_by_variable.end()) {
          inputs.push_back(it->second);
        }
      }
      TraceNode node{id,
                     fmt::format("{} coefficient ({})", t.variable, SegmentName(s.segment)),
                     fmt::format("{} = {}: {}", t.coefficient.empty() ? t.variable : t.coefficient,
                                 FormatScore(t.value), t.why),
                     FormatScore(t.value),
                     "rate",
                     std::move(inputs),
                     CoefficientSource(m, t.coefficient)};
      if (!t.definition.empty()) {
        node.source += "; variable defined in " + t.definition;
      }
      out->push_back(std::move(node));
      term_ids.push_back(id);
      term_id_by_variable[t.variable] = id;
      sum += (sum.empty() ? "" : " + ") + FormatScore(t.value);
    }

    // Raw score.
    const std::string raw_id = p + ".raw_score";
    std::vector<std::string> raw_inputs = term_ids;
    raw_inputs.insert(raw_inputs.end(), dropped_ids.begin(), dropped_ids.end());
    std::string formula = fmt::format("sum of the {} coefficients: {} = {}", term_ids.size(), sum,
                                      FormatScore(s.raw_score));
    formula += fmt::format(
        "; diagnoses: {} mapped to a CC, {} map to no CC, {} not ICD-10 shaped, {} changed by "
        "age/sex edits",
        s.dx_mapped, s.dx_unmapped, s.dx_malformed, s.dx_edited);
    out->push_back({raw_id, fmt::format("CMS-HCC {} raw risk score of member {}", vname, pid),
                    formula, FormatScore(s.raw_score), "rate", raw_inputs,
                    fmt::format("CMS-HCC {} model, payment year {}", vname, py)});

    // Normalization and MA coding adjustment.
    const auto& adj = adjustments_[k];
    const auto& mr = r.models[k];
    if (adj && mr.normalized) {
      const std::string norm_id = p + ".normalized_score";
      out->push_back(
          {norm_id,
           fmt::format("CMS-HCC {} normalized score of member {}", vname, pid),
           fmt::format("raw score / normalization factor = {} / {} = {}", FormatScore(s.raw_score),
                       FormatRate(adj->normalization_factor), FormatScore(*mr.normalized)),
           FormatScore(*mr.normalized),
           "rate",
           {raw_id},
           adj->source});
      const std::string pay_id = p + ".payment_score";
      out->push_back(
          {pay_id,
           fmt::format("CMS-HCC {} payment score of member {}", vname, pid),
           fmt::format("normalized score x (1 - MA coding pattern adjustment) = {} x (1 - {}) = {}",
                       FormatScore(*mr.normalized), FormatRate(adj->ma_coding_adjustment),
                       FormatScore(*mr.payment)),
           FormatScore(*mr.payment),
           "rate",
           {norm_id},
           adj->source});
      model_payment_ids.push_back(pay_id);
    } else {
      model_payment_ids.push_back(raw_id);
    }
  }

  if (blend_) {
    std::vector<std::string> parts, norm_inputs;
    for (size_t k = 0; k < models_.size(); ++k) {
      parts.push_back(fmt::format("{} x {}", FormatRate(blend_->parts[k].blend_weight),
                                  FormatScore(*r.models[k].normalized)));
      norm_inputs.push_back(Prefix(pid, models_[k].version()) + ".normalized_score");
    }
    const std::string bn = fmt::format("risk.{}.blend.normalized_score", pid);
    out->push_back({bn, fmt::format("Blended normalized score of member {}", pid),
                    fmt::format("sum of weight x normalized score: {} = {}",
                                fmt::join(parts, " + "), FormatScore(*r.blend_normalized)),
                    FormatScore(*r.blend_normalized), "rate", norm_inputs,
                    fmt::format("adjustment_rates.csv blend_weight, payment year {}", py)});
    const std::string bp = fmt::format("risk.{}.blend.payment_score", pid);
    out->push_back(
        {bp,
         fmt::format("Blended payment score of member {}", pid),
         fmt::format("blended normalized score x (1 - MA coding pattern adjustment) = "
                     "{} x (1 - {}) = {}",
                     FormatScore(*r.blend_normalized), FormatRate(blend_->ma_coding_adjustment),
                     FormatScore(*r.blend_payment)),
         FormatScore(*r.blend_payment),
         "rate",
         {bn},
         fmt::format("adjustment_rates.csv ma_coding_pattern_adjustment, payment year {}", py)});
    model_payment_ids = {bp};
  }
  if (r.esrd) {
    model_payment_ids = {AppendEsrdTrace(in, *r.esrd, out)};
  }
  const std::string& final_input = model_payment_ids.front();
  out->push_back({ScoreNodeId(pid),
                  fmt::format("Risk score of member {}", pid),
                  fmt::format("= {}", final_input),
                  FormatScore(r.final_score),
                  "rate",
                  {final_input},
                  fmt::format("payment year {}", py)});
}

std::string RiskScorer::AppendEsrdTrace(const MemberInput& in, const EsrdResult& e,
                                        std::vector<TraceNode>* out) const {
  const std::string p = fmt::format("risk.{}.ESRD", in.person_id);
  const std::string& pid = in.person_id;
  const std::string status =
      in.demo.graft_months ? fmt::format("graft_months {} (month counted from a kidney transplant)",
                                         *in.demo.graft_months)
                           : std::string("Medicare status code 11, 21 or 31 (ESRD)");
  out->push_back({p + ".segment",
                  fmt::format("ESRD model segment of member {}", pid),
                  e.score.segment_reason,
                  e.score.segment,
                  "segment",
                  {},
                  status + " — " + in.demographics_note,
                  ""});
  std::vector<std::string> ids = {p + ".segment"};
  auto term_node = [&](const ScoreTerm& t) {
    const std::string id = fmt::format("{}.term.{}", p, t.variable);
    std::string source = fmt::format("{}: {}", esrd_->source(), t.coefficient);
    if (!t.definition.empty()) {
      source += "; variable defined in " + t.definition;
    }
    out->push_back({id,
                    fmt::format("{} coefficient (ESRD {})", t.variable, e.score.segment),
                    fmt::format("{} = {}: {}", t.coefficient, FormatScore(t.value), t.why),
                    FormatScore(t.value),
                    "rate",
                    {p + ".segment"},
                    source,
                    ""});
    ids.push_back(id);
  };
  std::string sum;
  for (const auto& t : e.score.terms) {
    term_node(t);
    sum += (sum.empty() ? "" : " + ") + FormatScore(t.value);
  }
  std::string formula = fmt::format("sum of the {} coefficients: {} = {}", e.score.terms.size(),
                                    sum, FormatScore(e.score.raw_score));
  if (e.score.divisor) {
    term_node(*e.score.divisor);
    formula = fmt::format("(sum of the {} coefficients: {}) / {} {} = {}", e.score.terms.size(),
                          sum, e.score.divisor->coefficient, FormatScore(e.score.divisor->value),
                          FormatScore(e.score.raw_score));
  }
  const std::string raw_id = p + ".raw_score";
  out->push_back(
      {raw_id, fmt::format("ESRD raw risk score of member {} (segment {})", pid, e.score.segment),
       formula, FormatScore(e.score.raw_score), "rate", ids, esrd_->source(), ""});
  return e.normalized ? AppendEsrdAdjustmentTrace(p, pid, e, raw_id, out) : raw_id;
}

std::string RiskScorer::AppendEsrdAdjustmentTrace(const std::string& p, const std::string& pid,
                                                  const EsrdResult& e, const std::string& raw_id,
                                                  std::vector<TraceNode>* out) const {
  const EsrdAdjustment& adj = EsrdAdjustmentOf(e.score);
  const char* series = e.score.graft_normalization ? "functioning graft" : "dialysis";
  const std::string norm_id = p + ".normalized_score";
  out->push_back({norm_id,
                  fmt::format("ESRD normalized score of member {}", pid),
                  fmt::format("raw score / {} normalization factor = {} / {} = {}", series,
                              FormatScore(e.score.raw_score), FormatRate(*adj.normalization_factor),
                              FormatScore(*e.normalized)),
                  FormatScore(*e.normalized),
                  "rate",
                  {raw_id},
                  adj.source,
                  ""});
  std::string pay_id = p + ".payment_score";
  out->push_back(
      {pay_id,
       fmt::format("ESRD payment score of member {}", pid),
       fmt::format("normalized score x (1 - MA coding pattern adjustment) = {} x (1 - {}) = {}",
                   FormatScore(*e.normalized), FormatRate(*adj.ma_coding_adjustment),
                   FormatScore(*e.payment)),
       FormatScore(*e.payment),
       "rate",
       {norm_id},
       adj.source,
       ""});
  return pay_id;
}

std::string RiskScorer::MemberScoresCsv(const std::vector<MemberInput>& members,
                                        const std::vector<MemberResult>& results) const {
  std::string out =
      "person_id,model,payment_year,segment,raw_score,normalized_score,payment_score,hccs,final\n";
  auto opt = [](const std::optional<double>& v) { return v ? FormatScore(*v) : std::string(); };
  for (size_t i = 0; i < members.size(); ++i) {
    const auto& r = results[i];
    // Which row holds the member's final score: the ESRD model's, the blend's, or the model's.
    auto final_mark = [&](bool esrd_row, bool blend_row, size_t k) {
      const bool is_final = r.esrd   ? esrd_row
                            : blend_ ? blend_row
                                     : (!esrd_row && !blend_row && k == 0);
      return is_final ? ",yes\n" : ",\n";
    };
    for (size_t k = 0; k < models_.size(); ++k) {
      const auto& mr = r.models[k];
      AppendCsvField(&out, members[i].person_id);
      out += fmt::format(",{},{},{},{},{},{},", HccVersionName(mr.version), request_.payment_year,
                         SegmentName(mr.score.segment), FormatScore(mr.score.raw_score),
                         opt(mr.normalized), opt(mr.payment));
      AppendCsvField(&out, models_[k].VariableList(mr.score));
      out += final_mark(false, false, k);
    }
    if (blend_) {
      AppendCsvField(&out, members[i].person_id);
      out += fmt::format(",blend,{},{},{},{},{},", request_.payment_year,
                         SegmentName(r.models.front().score.segment), opt(r.blend_raw),
                         opt(r.blend_normalized), opt(r.blend_payment));
      out += final_mark(false, true, 0);
    }
    if (r.esrd) {
      AppendCsvField(&out, members[i].person_id);
      std::string vars;
      for (const auto& t : r.esrd->score.terms) {
        vars += (vars.empty() ? "" : "|") + t.variable;
      }
      if (r.esrd->score.divisor) {
        vars += (vars.empty() ? "" : "|") + r.esrd->score.divisor->variable;
      }
      out += fmt::format(",ESRD-D24,{},{},{},{},{},", request_.payment_year, r.esrd->score.segment,
                         FormatScore(r.esrd->score.raw_score), opt(r.esrd->normalized),
                         opt(r.esrd->payment));
      AppendCsvField(&out, vars);
      out += final_mark(true, false, 0);
    }
  }
  return out;
}

}  // namespace valuepact::risk
