#include "valuepact/run/risk_run.h"

#include <cctype>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "valuepact/core/file_io.h"
#include "valuepact/ingest/load_data.h"
#include "valuepact/run/loader.h"

namespace valuepact::run {
namespace {

// The model(s) for --model and the payment year.
Result<risk::RiskRequest> ModelRequest(const std::string& model, int payment_year,
                                       const ReferenceData& refdata) {
  risk::RiskRequest req;
  req.payment_year = payment_year;
  if (payment_year < 2000 || payment_year > 2100) {
    return InvalidInput(
        fmt::format("--payment-year {}: expected a year such as 2025", payment_year));
  }
  std::string m = model;
  for (auto& c : m) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (m == "auto") {
    // CMS's own blend when adjustment_rates.csv has the year; else the model in use then.
    auto rates = refdata.AdjustmentRates();
    if (!rates.ok()) {
      return rates.status();
    }
    if (risk::PlanBlend(**rates, payment_year).ok()) {
      req.blend = true;
      return req;
    }
    req.models = {payment_year >= 2024 ? HccVersion::kV28 : HccVersion::kV24};
    return req;
  }
  if (m == "blend") {
    req.blend = true;
    return req;
  }
  auto v = ParseHccVersion(model);
  if (!v.ok()) {
    return InvalidInput(fmt::format(
        "--model {}: expected V24, V28 or blend (V22 and V23 are available for comparisons)",
        model));
  }
  req.models = {*v};
  return req;
}

// --explain: all, none, or a comma-separated list of person ids.
std::vector<uint8_t> ExplainMask(const std::string& spec,
                                 const std::vector<risk::MemberInput>& members) {
  if (spec == "all") {
    return std::vector<uint8_t>(members.size(), 1);
  }
  std::vector<uint8_t> mask(members.size(), 0);
  if (spec == "none") {
    return mask;
  }
  std::set<std::string> ids;
  std::stringstream ss(spec);
  for (std::string id; std::getline(ss, id, ',');) {
    ids.insert(id);
  }
  for (size_t i = 0; i < members.size(); ++i) {
    mask[i] = ids.count(members[i].person_id) != 0;
  }
  return mask;
}

Status PrepareScorer(const RiskRequest& req, RiskRunResult* out) {
  auto refdata = OpenReferenceData(req.refdata);
  if (!refdata.ok()) {
    return refdata.status();
  }
  out->refdata = std::move(*refdata);
  auto model = ModelRequest(req.model, req.payment_year, *out->refdata);
  if (!model.ok()) {
    return model.status();
  }
  auto scorer = risk::RiskScorer::Load(*out->refdata, *model);
  if (!scorer.ok()) {
    return scorer.status();
  }
  out->scorer.emplace(std::move(*scorer));
  out->data_year = req.payment_year - 1;
  return Status::Ok();
}

void Score(const RiskRequest& req, RiskRunResult* out) {
  out->explained = ExplainMask(req.explain, out->members);
  out->results = out->scorer->ScoreAll(out->members, &out->trace, out->explained, &out->summary);
}

}  // namespace

Status ReadRiskData(const RiskRequest& req, Dataset* dataset, IngestReport* report) {
  auto format = ParseDataFormat(req.format);
  if (!format.ok()) return format.status();
  LoadOptions lo;
  lo.pharmacy = false;  // risk scores come from diagnoses on medical claims
  return LoadDataDirectory(req.data, *format, lo, dataset, report);
}

Result<RiskRunResult> RiskRun(const RiskRequest& req) {
  RiskRunResult out;
  if (Status s = PrepareScorer(req, &out); !s.ok()) {
    return s;
  }
  auto eligible = out.refdata->EligibleCodes(out.data_year);
  if (!eligible.ok()) {
    return eligible.status();
  }
  out.eligible_codes_table = (*eligible)->source.file;
  if (Status s = ReadRiskData(req, &out.dataset, &out.report); !s.ok()) return s;
  risk::DiagnosisSourcingOptions so;
  so.data_year = out.data_year;
  so.eligible_codes = &(*eligible)->codes;
  const auto dx = risk::SourceDiagnoses(out.dataset, so, &out.sourcing);
  if (!dx.ok()) return dx.status();
  out.members = risk::MembersFromDataset(out.dataset, req.payment_year, *dx, &out.demographics);
  Score(req, &out);
  return out;
}

Result<RiskRunResult> RiskScoreRun(const RiskRequest& req) {
  RiskRunResult out;
  if (Status s = PrepareScorer(req, &out); !s.ok()) {
    return s;
  }
  auto bytes = ReadWholeFile(req.input);
  if (!bytes.ok()) {
    return InvalidInput("--input: " + bytes.status().message());
  }
  auto profiles = risk::ParseMemberProfiles(*bytes, req.input);
  if (!profiles.ok()) {
    return profiles.status();
  }
  out.profiles = std::move(*profiles);
  out.members = out.profiles.members;
  Score(req, &out);
  return out;
}

}  // namespace valuepact::run
