// The API's OpenAPI 3 description (server.h), served at /api/openapi.json.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "valuepact/server/server.h"

namespace valuepact::server {
namespace {

using Json = nlohmann::ordered_json;

Json Op(const char* summary, bool auth = true, const char* extra = nullptr) {
  Json op = {{"summary", summary},
             {"responses",
              {{"200", {{"description", "OK"}}},
               {"401", {{"description", "missing, unknown, revoked or expired token"}}},
               {"404", {{"description", "not found, or not in the caller's partnerships"}}},
               {"429", {{"description", "rate limit"}}}}}};
  if (!auth) op["security"] = Json::array();
  if (extra != nullptr) op["responses"]["403"] = {{"description", extra}};
  return op;
}

Json RunParam() {
  return {{"name", "run"},
          {"in", "path"},
          {"required", true},
          {"description", "a run id, a unique prefix of one, or #N for a record"},
          {"schema", {{"type", "string"}}}};
}

}  // namespace

std::string OpenApiJson() {
  Json paths;
  paths["/api/health"]["get"] = Op("liveness", false);
  paths["/api/openapi.json"]["get"] = Op("this description", false);
  paths["/api/me"]["get"] = Op("the caller: user, organization, role, PHI permission");
  paths["/api/partnerships"]["get"] =
      Op("the partnerships the caller's organization is a party to");
  paths["/api/partnerships/{partnership}"]["get"] =
      Op("one partnership: parties, each contract's versions (from its runs), the latest record");
  paths["/api/partnerships/{partnership}/record"]["get"] =
      Op("the latest partnership record (`partnership check`): who does what, readiness, "
         "governance log");
  paths["/api/runs/{run}/metrics"]["get"] =
      Op("a metrics run's table (metrics.csv rows) and monitoring (targets, triggers)");
  paths["/api/runs/{run}/quality"]["get"] = Op("the data-quality scorecard and verdict of a run");
  paths["/api/runs"]["get"] =
      Op("runs of the caller's partnerships' contracts (?contract=, ?command=)");
  paths["/api/runs/{run}"]["get"] = Op("one run: its record, summary and stored files");
  paths["/api/runs/{run}/statement"]["get"] = Op("the run's statement (Markdown)");
  paths["/api/runs/{run}/trace/{figure}"]["get"] = Op("a figure's trace node and its derivation");
  paths["/api/runs/{run}/files/{path}"]["get"] =
      Op("a stored file; member-level files need PHI and are audited", true,
         "member-level file without PHI");
  paths["/api/runs/{run}/members"]["get"] =
      Op("member-level rows (restricted/members.csv) as JSON; audited", true, "no PHI permission");
  paths["/api/runs/{run}/what-if"]["get"] =
      Op("the terms a what-if may change, with their values and ranges");
  paths["/api/runs/{run}/what-if"]["post"] =
      Op("the settlement under changed payment terms, from the run's aggregates (docs/what-if.md)");
  paths["/api/compare"]["get"] =
      Op("why two runs differ (?a=RUN&b=RUN); members and claim lines listed with ?members=true "
         "for PHI users (audited)");
  paths["/api/audit"]["get"] = Op("the audit log, newest first (?limit=)", true, "not an admin");
  for (auto& [path, item] : paths.items()) {
    for (auto& [method, op] : item.items()) {
      Json params = Json::array();
      if (path.find("{run}") != std::string::npos) params.push_back(RunParam());
      for (const char* name : {"figure", "path", "partnership"}) {
        if (path.find(fmt::format("{{{}}}", name)) == std::string::npos) continue;
        params.push_back(
            {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
      }
      if (!params.empty()) op["parameters"] = params;
    }
  }
  Json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "valuepact partnership server"},
        {"version", VALUEPACT_VERSION},
        {"description",
         "Runs, statements and derivations of a value-based partnership, per party "
         "(docs/server.md)."}}},
      {"components", {{"securitySchemes", {{"token", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"security", Json::array({{{"token", Json::array()}}})},
      {"paths", paths}};
  return doc.dump(2) + "\n";
}

}  // namespace valuepact::server
