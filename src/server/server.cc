// The partnership server (server.h) on cpp-httplib.
#include "valuepact/server/server.h"

#include <httplib.h>

#include <sys/socket.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "valuepact/core/csv.h"
#include "valuepact/core/interner.h"
#include "valuepact/core/trace.h"
#include "valuepact/report/member_ids.h"
#include "valuepact/review/compare.h"
#include "valuepact/review/what_if.h"
#include "valuepact/store/access.h"
#include "valuepact/store/run_store.h"

namespace valuepact::server {

using Json = nlohmann::ordered_json;

struct Server::Impl {
  ServerOptions options;
  std::unique_ptr<httplib::Server> http;
  std::unique_ptr<RunStore> store;
  std::unique_ptr<Access> access;
  std::mutex db;  // one request at a time on the store's connections
  std::mutex rate_mu;
  std::map<std::string, std::pair<int64_t, int>> rate;  // key -> (minute, requests)
  int port = 0;
  int listen_fd = -1;
  // Settle runs made ready for what-if, the most recent kWhatIfCache of them.
  static constexpr size_t kWhatIfCache = 16;
  std::mutex what_if_mu;
  std::map<std::string, std::shared_ptr<const review::WhatIfRun>> what_if;
  std::deque<std::string> what_if_order;

  void Routes();
  void Limits();
  Result<std::shared_ptr<const review::WhatIfRun>> WhatIfRunOf(const std::string& run_id);
  // The member ids of a run (from its member-level files), the most recent kWhatIfCache runs'.
  std::mutex members_mu;
  std::map<std::string, std::shared_ptr<const StringInterner>> member_ids;
  std::deque<std::string> member_ids_order;
  // Read from the store when not kept: a summary request need not load the run's files. Null
  // when the store cannot be read.
  std::shared_ptr<const StringInterner> MemberIdsOf(const std::string& run_id);
  // A partnership of the caller's as JSON; nullopt when it is not one of theirs.
  Result<std::optional<Json>> PartnershipJson(const Principal& p, const std::string& id);
};

namespace {

void Reply(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(2) + "\n", "application/json");
}

void Error(httplib::Response& res, int status, const std::string& message) {
  Reply(res, status, Json{{"error", message}});
}

std::string NoPartnership(const std::string& id) {
  return fmt::format("no partnership '{}' of yours", id);
}

// Each contract's versions, from its settle and other runs: the version, the contract's hash,
// how many runs used it, and when first and last.
Json ContractVersions(const std::vector<RunRecord>& runs) {
  Json versions = Json::array();
  std::map<std::string, size_t> at;
  for (const auto& r : runs) {
    auto [it, added] = at.emplace(r.contract_version, versions.size());
    if (added) {
      versions.push_back({{"version", r.contract_version},
                          {"contract_sha256", r.contract_sha256},
                          {"runs", 0},
                          {"first_recorded", r.recorded_at}});
    }
    Json& v = versions[it->second];
    v["runs"] = v["runs"].get<int>() + 1;
    v["last_recorded"] = r.recorded_at;
    v["last_run"] = r.run_id;
  }
  return versions;
}

// Every member id a run's member-level files name: the person_id column of its restricted CSV
// files and the members of its member-level trace.
StringInterner CollectMemberIds(const RunRecord& r) {
  StringInterner ids;
  for (const auto& f : r.files) {
    if (!f.restricted) continue;
    if (f.path.size() > 4 && f.path.substr(f.path.size() - 4) == ".csv") {
      const CsvTableResult csv = ReadCsvTable(f.content, f.path);
      const int col = csv.ok ? csv.table.Column("person_id") : -1;
      if (col < 0) continue;
      for (const auto& row : csv.table.rows) ids.Intern(row[static_cast<size_t>(col)]);
    } else if (f.path == "restricted/member_trace.json") {
      const auto j = nlohmann::json::parse(f.content, nullptr, false);
      if (!j.is_object() || !j.contains("nodes") || !j["nodes"].is_array()) continue;
      for (const auto& n : j["nodes"]) {
        if (n.is_object() && n.contains("member") && n["member"].is_string()) {
          ids.Intern(n["member"].get<std::string>());
        }
      }
    }
  }
  return ids;
}

// A run's trace as a user may read it: with PHI, the aggregate and member-level nodes merged
// (a derivation goes down to members); without, the aggregate nodes with every reference to a
// member-level node removed.
Result<Trace> TraceFor(const RunRecord& r, bool phi) {
  const RunFile* f = FindFile(r, "trace.json");
  if (f == nullptr) return NotFound("this run has no trace");
  auto t = Trace::Parse(f->content);
  if (!t.ok()) return t.status();
  if (const RunFile* m = FindFile(r, "restricted/member_trace.json")) {
    auto members = Trace::Parse(m->content);
    if (!members.ok()) return members.status();
    if (Status s = t->Merge(std::move(*members)); !s.ok()) return s;
  }
  if (phi) return t;
  // The shared form drops member-level nodes and the references to them; a reference to a node
  // that is in neither file is dropped too, since it may name a member.
  nlohmann::ordered_json shared = t->ToJson(TracePart::kShared);
  std::set<std::string> ids;
  for (const auto& n : shared["nodes"]) ids.insert(n["id"].get<std::string>());
  for (auto& n : shared["nodes"]) {
    nlohmann::ordered_json kept = nlohmann::ordered_json::array();
    int64_t withheld = n.value("member_inputs_withheld", int64_t{0});
    for (const auto& in : n["inputs"]) {
      if (ids.count(in.get<std::string>()) != 0) {
        kept.push_back(in);
      } else {
        ++withheld;
      }
    }
    n["inputs"] = std::move(kept);
    if (withheld > 0) n["member_inputs_withheld"] = withheld;
  }
  return Trace::FromJson(nlohmann::json::parse(shared.dump()));
}

// Whether the derivation of `id` reaches a member-level node.
bool ReachesMembers(const Trace& t, const std::string& id) {
  std::vector<std::string> todo = {id};
  std::set<std::string> seen;
  while (!todo.empty()) {
    const std::string at = todo.back();
    todo.pop_back();
    if (!seen.insert(at).second) continue;
    const TraceNode* n = t.Find(at);
    if (n == nullptr) continue;
    if (!n->member.empty()) return true;
    todo.insert(todo.end(), n->inputs.begin(), n->inputs.end());
  }
  return false;
}

bool Loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

// A record as the API shows it: without the folder it was written to on the recording machine.
Json PublicRecord(const RunRecord& r) {
  Json j = RunRecordJson(r);
  j.erase("out_dir");
  return j;
}

// The rows of a stored CSV file as objects; nullopt when it is not a valid CSV file.
std::optional<Json> CsvJson(const std::string& text, const std::string& name) {
  const CsvTableResult csv = ReadCsvTable(text, name);
  if (!csv.ok) return std::nullopt;
  Json rows = Json::array();
  for (const auto& v : csv.table.rows) {
    Json row = Json::object();
    for (size_t i = 0; i < v.size(); ++i) row[csv.table.header[i]] = v[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

// Request limits: body size (413 from httplib), a rate per token or address (429), and no
// exception text in any response.
void Server::Impl::Limits() {
  http->set_payload_max_length(options.max_body);
  http->set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                 const std::exception_ptr&) { Error(res, 500, "internal error"); });
  http->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      Error(res, res.status,
            res.status == 413   ? "request too large"
            : res.status == 404 ? "no such path"
                                : "request failed");
    }
  });
  // The dashboard loads nothing from anywhere but this server.
  http->set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
    res.set_header("X-Content-Type-Options", "nosniff");
  });
  http->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const std::string auth = req.get_header_value("Authorization");
    const std::string key = auth.empty() ? req.remote_addr : auth;
    const int64_t minute = std::chrono::duration_cast<std::chrono::minutes>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    std::lock_guard<std::mutex> lock(rate_mu);
    auto& [at, n] = rate[key];
    if (at != minute) at = minute, n = 0;
    if (++n > options.requests_per_minute) {
      res.set_header("Retry-After", "60");
      Error(res, 429, fmt::format("more than {} requests a minute", options.requests_per_minute));
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

void Server::Impl::Routes() {
  // The caller, from "Authorization: Bearer TOKEN"; nullopt (and a 401 written) otherwise.
  auto who = [this](const httplib::Request& req,
                    httplib::Response& res) -> std::optional<Principal> {
    const std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) != 0) {
      Error(res, 401,
            "missing token: send Authorization: Bearer <token> (valuepact admin token add)");
      return std::nullopt;
    }
    std::string why;
    std::lock_guard<std::mutex> lock(db);
    auto p = access->Authenticate(auth.substr(7), &why);
    if (!p.ok()) {
      Error(res, 500, "the store could not be read");
      return std::nullopt;
    }
    if (!*p) Error(res, 401, why);
    return *p;
  };
  // The run, when the caller may see it (its contract belongs to one of the caller's
  // partnerships); a 404 otherwise, the same as for a run that does not exist.
  auto run = [this](const Principal& p, const std::string& id, bool contents,
                    httplib::Response& res) -> std::optional<RunRecord> {
    std::lock_guard<std::mutex> lock(db);
    auto r = store->Get(id, contents);
    if (r.ok()) {
      auto may = access->MaySeeContract(p, r->contract_id);
      if (may.ok() && *may) return std::move(*r);
    }
    Error(res, 404, fmt::format("no run '{}' in your partnerships", id));
    return std::nullopt;
  };

  // What a user without PHI reads of a run's shared files: every member id the run's
  // member-level files name replaced by "[member]" (a note or a label can name one).
  // False (and a 500 written) when the run's member ids cannot be read: nothing is answered
  // unredacted.
  auto redact = [this](const Principal& p, const RunRecord& r, auto* text_or_json,
                       httplib::Response& res) {
    if (p.phi) return true;
    auto ids = MemberIdsOf(r.run_id);
    if (ids == nullptr) {
      Error(res, 500, "the run's member-level files could not be read");
      return false;
    }
    MemberIdGuard(*ids).Redact(text_or_json);
    return true;
  };

  http->Get("/api/health", [](const httplib::Request&, httplib::Response& res) {
    Reply(res, 200, Json{{"status", "ok"}});
  });
  http->Get("/api/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(OpenApiJson(), "application/json");
  });
  http->Get("/api/me", [who](const httplib::Request& req, httplib::Response& res) {
    auto p = who(req, res);
    if (!p) return;
    Reply(res, 200,
          Json{{"user", p->user}, {"organization", p->org}, {"role", p->role}, {"phi", p->phi}});
  });
  http->Get("/api/partnerships", [this, who](const httplib::Request& req, httplib::Response& res) {
    auto p = who(req, res);
    if (!p) return;
    std::lock_guard<std::mutex> lock(db);
    auto list = access->Partnerships(*p);
    if (!list.ok()) return Error(res, 500, "the store could not be read");
    Json out = Json::array();
    for (const auto& x : *list) {
      out.push_back(
          {{"id", x.id}, {"name", x.name}, {"parties", x.parties}, {"contracts", x.contracts}});
    }
    Reply(res, 200, out);
  });
  // One partnership: parties, each contract's versions as its runs recorded them, and the latest
  // partnership record (`partnership check`).
  http->Get(R"(/api/partnerships/([^/]+))",
            [this, who](const httplib::Request& req, httplib::Response& res) {
              auto p = who(req, res);
              if (!p) return;
              auto out = PartnershipJson(*p, req.matches[1]);
              if (!out.ok()) return Error(res, 500, "the store could not be read");
              if (!*out) return Error(res, 404, NoPartnership(req.matches[1]));
              Reply(res, 200, **out);
            });
  http->Get(R"(/api/partnerships/([^/]+)/record)",
            [this, who](const httplib::Request& req, httplib::Response& res) {
              auto p = who(req, res);
              if (!p) return;
              const std::string id = req.matches[1];
              auto out = PartnershipJson(*p, id);
              if (!out.ok()) return Error(res, 500, "the store could not be read");
              if (!*out) return Error(res, 404, NoPartnership(id));
              if ((**out)["record"].is_null()) {
                return Error(res, 404,
                             fmt::format("no record of partnership '{}' yet: run `valuepact "
                                         "partnership check DIR --out OUT` to record one",
                                         id));
              }
              RunRecord r;
              {
                std::lock_guard<std::mutex> lock(db);
                auto got = store->Get((**out)["record"]["run_id"].get<std::string>(), true);
                if (!got.ok()) return Error(res, 500, "the store could not be read");
                r = std::move(*got);
              }
              const RunFile* f = FindFile(r, "partnership.json");
              if (f == nullptr) return Error(res, 500, "the record has no partnership.json");
              const auto j = Json::parse(f->content, nullptr, false);
              if (j.is_discarded()) return Error(res, 500, "the record could not be read");
              Reply(res, 200, j);
            });
  http->Get("/api/runs", [this, who](const httplib::Request& req, httplib::Response& res) {
    auto p = who(req, res);
    if (!p) return;
    RunFilter f;
    f.contract_id = req.get_param_value("contract");
    f.command = req.get_param_value("command");
    std::lock_guard<std::mutex> lock(db);
    auto runs = store->List(f);
    if (!runs.ok()) return Error(res, 500, "the store could not be read");
    std::map<std::string, bool> visible;
    Json out = Json::array();
    for (const auto& r : *runs) {
      if (visible.count(r.contract_id) == 0) {
        auto may = access->MaySeeContract(*p, r.contract_id);
        visible[r.contract_id] = may.ok() && *may;
      }
      if (visible[r.contract_id]) out.push_back(PublicRecord(r));
    }
    Reply(res, 200, out);
  });
  http->Get(R"(/api/runs/([^/]+))",
            [who, run, redact](const httplib::Request& req, httplib::Response& res) {
              auto p = who(req, res);
              if (!p) return;
              auto r = run(*p, req.matches[1], false, res);
              if (!r) return;
              Json out = PublicRecord(*r);
              out["summary"] = r->summary;
              if (!redact(*p, *r, &out["summary"], res)) return;
              out["files"] = Json::array();
              for (const auto& f : r->files) {
                out["files"].push_back({{"path", f.path},
                                        {"size", f.size},
                                        {"sha256", f.sha256},
                                        {"member_level", f.restricted}});
              }
              Reply(res, 200, out);
            });
  http->Get(R"(/api/runs/([^/]+)/statement)", [who, run, redact](const httplib::Request& req,
                                                                 httplib::Response& res) {
    auto p = who(req, res);
    if (!p) return;
    auto r = run(*p, req.matches[1], true, res);
    if (!r) return;
    const RunFile* f = FindFile(*r, "statement.md");
    if (f == nullptr) {
      return Error(res, 404, "this run has no statement (only settle and true-up runs do)");
    }
    std::string text = f->content;
    if (!redact(*p, *r, &text, res)) return;
    res.set_content(text, "text/markdown; charset=utf-8");
  });
  // A figure's derivation: down to the members for PHI users (an audited read when it reaches
  // them); without PHI, the aggregate figures only.
  http->Get(R"(/api/runs/([^/]+)/trace/(.+))", [this, who, run, redact](const httplib::Request& req,
                                                                        httplib::Response& res) {
    auto p = who(req, res);
    if (!p) return;
    auto r = run(*p, req.matches[1], true, res);
    if (!r) return;
    auto t = TraceFor(*r, p->phi);
    if (!t.ok()) {
      return t.status().code() == StatusCode::kNotFound
                 ? Error(res, 404, t.status().message())
                 : Error(res, 500, "the run's trace could not be read");
    }
    const std::string id = req.matches[2];
    const TraceNode* n = t->Find(id);
    if (n == nullptr || (!p->phi && !n->member.empty())) {
      return Error(res, 404, fmt::format("no figure '{}' in this run's trace", id));
    }
    if (p->phi && ReachesMembers(*t, id)) {
      std::lock_guard<std::mutex> lock(db);
      if (!access->Audit(*p, "read_member_level", r->run_id, "trace " + id).ok()) {
        return Error(res, 500, "the read could not be audited, so it is refused");
      }
    }
    Json out = {{"id", n->id},         {"label", n->label},           {"value", n->value},
                {"unit", n->unit},     {"formula", n->formula},       {"inputs", n->inputs},
                {"source", n->source}, {"derivation", t->Explain(id)}};
    if (!redact(*p, *r, &out, res)) return;
    Reply(res, 200, out);
  });
  http->Get(R"(/api/runs/([^/]+)/files/(.+))", [this, who, run, redact](const httplib::Request& req,
                                                                        httplib::Response& res) {
    auto p = who(req, res);
    if (!p) return;
    auto r = run(*p, req.matches[1], true, res);
    if (!r) return;
    const RunFile* f = FindFile(*r, req.matches[2]);
    if (f == nullptr) {
      return Error(res, 404, fmt::format("no file '{}' in this run", std::string(req.matches[2])));
    }
    if (f->restricted) {
      if (!p->phi) return Error(res, 403, "member-level files need the PHI permission");
      std::lock_guard<std::mutex> lock(db);
      if (!access->Audit(*p, "read_member_level", r->run_id, f->path).ok()) {
        return Error(res, 500, "the read could not be audited, so it is refused");
      }
    }
    std::string text = f->content;
    if (!p->phi && f->path == "trace.json") {
      auto t = TraceFor(*r, false);
      if (!t.ok()) return Error(res, 500, "the run's trace could not be read");
      text = t->ToJson(TracePart::kAggregate).dump(2) + "\n";
    }
    if (!redact(*p, *r, &text, res)) return;
    res.set_content(text, f->path.size() > 5 && f->path.substr(f->path.size() - 5) == ".json"
                              ? "application/json"
                              : "text/plain; charset=utf-8");
  });
  // A metrics run's table and monitoring (docs/metrics.md), aggregate only.
  http->Get(R"(/api/runs/([^/]+)/metrics)",
            [who, run, redact](const httplib::Request& req, httplib::Response& res) {
              auto p = who(req, res);
              if (!p) return;
              auto r = run(*p, req.matches[1], true, res);
              if (!r) return;
              const RunFile* table = FindFile(*r, "metrics.csv");
              if (table == nullptr) {
                return Error(res, 404, "this run has no metrics (a metrics run does)");
              }
              auto rows = CsvJson(table->content, table->path);
              if (!rows) return Error(res, 500, "the run's metrics could not be read");
              Json out = {{"metrics", *rows}, {"monitoring", nullptr}};
              if (const RunFile* m = FindFile(*r, "monitoring.json")) {
                out["monitoring"] = Json::parse(m->content, nullptr, false);
              }
              if (!redact(*p, *r, &out, res)) return;
              Reply(res, 200, out);
            });
  // The data-quality scorecard and verdict a run was gated on (quality.json).
  http->Get(R"(/api/runs/([^/]+)/quality)",
            [who, run, redact](const httplib::Request& req, httplib::Response& res) {
              auto p = who(req, res);
              if (!p) return;
              auto r = run(*p, req.matches[1], true, res);
              if (!r) return;
              const RunFile* f = FindFile(*r, "quality.json");
              if (f == nullptr) return Error(res, 404, "this run has no data-quality report");
              auto j = Json::parse(f->content, nullptr, false);
              if (j.is_discarded()) {
                return Error(res, 500, "the run's quality.json could not be read");
              }
              if (!redact(*p, *r, &j, res)) return;
              Reply(res, 200, j);
            });
  http->Get(R"(/api/runs/([^/]+)/members)",
            [this, who, run](const httplib::Request& req, httplib::Response& res) {
              auto p = who(req, res);
              if (!p) return;
              if (!p->phi) return Error(res, 403, "member-level rows need the PHI permission");
              auto r = run(*p, req.matches[1], true, res);
              if (!r) return;
              const RunFile* f = FindFile(*r, "restricted/members.csv");
              if (f == nullptr) return Error(res, 404, "this run has no member-level rows");
              std::lock_guard<std::mutex> lock(db);
              if (!access->Audit(*p, "read_member_level", r->run_id, f->path).ok()) {
                return Error(res, 500, "the read could not be audited, so it is refused");
              }
              auto rows = CsvJson(f->content, f->path);
              if (!rows) return Error(res, 500, "the run's member rows could not be read");
              Reply(res, 200, *rows);
            });
  // The terms a what-if may change, with their values and ranges (the dashboard's sliders).
  http->Get(R"(/api/runs/([^/]+)/what-if)",
            [this, who, run](const httplib::Request& req, httplib::Response& res) {
              auto p = who(req, res);
              if (!p) return;
              auto r = run(*p, req.matches[1], false, res);
              if (!r) return;
              auto w = WhatIfRunOf(r->run_id);
              if (!w.ok()) return Error(res, 422, w.status().message());
              Reply(res, 200, review::WhatIfTerms(**w));
            });
  // The settlement under changed payment terms (docs/what-if.md): aggregate figures only, so
  // any user of the partnership may ask.
  http->Post(R"(/api/runs/([^/]+)/what-if)",
             [this, who, run](const httplib::Request& req, httplib::Response& res) {
               auto p = who(req, res);
               if (!p) return;
               auto r = run(*p, req.matches[1], false, res);
               if (!r) return;
               const auto body = Json::parse(req.body, nullptr, false);
               if (body.is_discarded()) return Error(res, 400, "the body is not JSON");
               auto edits = TermEditsFromJson(body);
               if (!edits.ok()) return Error(res, 400, edits.status().message());
               auto w = WhatIfRunOf(r->run_id);
               if (!w.ok()) return Error(res, 422, w.status().message());
               auto out = review::WhatIf(**w, *edits);
               if (!out.ok()) return Error(res, 422, out.status().message());
               Reply(res, 200, *out);
             });
  // Why two runs differ (docs/compare.md): members and claim lines counted, or, with PHI,
  // listed (an audited read).
  http->Get("/api/compare", [this, who, run, redact](const httplib::Request& req,
                                                     httplib::Response& res) {
    auto p = who(req, res);
    if (!p) return;
    if (!req.has_param("a") || !req.has_param("b")) {
      return Error(res, 400, "give the two runs: /api/compare?a=RUN&b=RUN");
    }
    auto a = run(*p, req.get_param_value("a"), true, res);
    if (!a) return;
    auto b = run(*p, req.get_param_value("b"), true, res);
    if (!b) return;
    auto c = review::Compare(*a, *b, {});
    if (!c.ok()) return Error(res, 422, c.status().message());
    const bool member_level = p->phi && req.get_param_value("members") == "true";
    if (member_level) {
      std::lock_guard<std::mutex> lock(db);
      if (!access->Audit(*p, "read_member_level", a->run_id + " " + b->run_id, "compare").ok()) {
        return Error(res, 500, "the read could not be audited, so it is refused");
      }
    }
    Json out = review::ComparisonJson(*c, member_level);
    if (!redact(*p, *a, &out, res)) return;
    if (!redact(*p, *b, &out, res)) return;
    Reply(res, 200, out);
  });
  http->Get("/api/audit", [this, who](const httplib::Request& req, httplib::Response& res) {
    auto p = who(req, res);
    if (!p) return;
    if (p->role != "admin") return Error(res, 403, "the audit log is for admins");
    int64_t limit = 100;
    if (req.has_param("limit")) {
      try {
        limit = std::stoll(req.get_param_value("limit"));
      } catch (const std::exception&) {
        return Error(res, 400, "limit: a number from 1 to 10000");
      }
    }
    if (limit < 1 || limit > 10000) return Error(res, 400, "limit: a number from 1 to 10000");
    std::lock_guard<std::mutex> lock(db);
    auto log = access->AuditLog(limit);
    if (!log.ok()) return Error(res, 500, "the store could not be read");
    Json out = Json::array();
    for (const auto& e : *log) {
      out.push_back({{"id", e.id},
                     {"at", e.at},
                     {"user", e.user},
                     {"organization", e.org},
                     {"action", e.action},
                     {"target", e.target},
                     {"detail", e.detail}});
    }
    Reply(res, 200, out);
  });
}

Result<std::shared_ptr<const review::WhatIfRun>> Server::Impl::WhatIfRunOf(
    const std::string& run_id) {
  {
    std::lock_guard<std::mutex> lock(what_if_mu);
    if (auto it = what_if.find(run_id); it != what_if.end()) return it->second;
  }
  Result<RunRecord> record = NotFound("");
  {
    std::lock_guard<std::mutex> lock(db);
    record = store->Get(run_id, true);
  }
  if (!record.ok()) return record.status();
  auto prepared = review::PrepareWhatIf(*record);
  if (!prepared.ok()) return prepared.status();
  auto shared = std::make_shared<const review::WhatIfRun>(std::move(*prepared));
  std::lock_guard<std::mutex> lock(what_if_mu);
  if (what_if.emplace(run_id, shared).second) {
    what_if_order.push_back(run_id);
    if (what_if_order.size() > kWhatIfCache) {
      what_if.erase(what_if_order.front());
      what_if_order.pop_front();
    }
  }
  return shared;
}

Result<std::optional<Json>> Server::Impl::PartnershipJson(const Principal& p,
                                                          const std::string& id) {
  std::lock_guard<std::mutex> lock(db);
  auto list = access->Partnerships(p);
  if (!list.ok()) return list.status();
  for (const auto& x : *list) {
    if (x.id != id) continue;
    Json out = {{"id", x.id}, {"name", x.name}, {"parties", x.parties}};
    out["contracts"] = Json::array();
    for (const auto& c : x.contracts) {
      auto runs = store->List({c, "", ""});
      if (!runs.ok()) return runs.status();
      out["contracts"].push_back({{"id", c}, {"versions", ContractVersions(*runs)}});
    }
    auto records = store->List({kPartnershipRecord + x.id, "partnership", ""});
    if (!records.ok()) return records.status();
    out["record"] = nullptr;
    if (!records->empty()) {
      const RunRecord& r = records->back();
      out["record"] = {{"run_id", r.run_id},
                       {"recorded_at", r.recorded_at},
                       {"user", r.user},
                       {"summary", r.summary}};
    }
    return std::optional<Json>(std::move(out));
  }
  return std::optional<Json>();
}

std::string DefaultWebDir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  const auto web = exe.parent_path() / "web";
  return std::filesystem::is_regular_file(web / "index.html", ec) ? web.string() : "";
}

std::shared_ptr<const StringInterner> Server::Impl::MemberIdsOf(const std::string& run_id) {
  {
    std::lock_guard<std::mutex> lock(members_mu);
    if (auto it = member_ids.find(run_id); it != member_ids.end()) return it->second;
  }
  Result<RunRecord> r = NotFound("");
  {
    std::lock_guard<std::mutex> lock(db);
    r = store->Get(run_id, true);
  }
  if (!r.ok()) return nullptr;  // the caller refuses to answer rather than answer unredacted
  auto ids = std::make_shared<const StringInterner>(CollectMemberIds(*r));
  std::lock_guard<std::mutex> lock(members_mu);
  if (member_ids.emplace(run_id, ids).second) {
    member_ids_order.push_back(run_id);
    if (member_ids_order.size() > kWhatIfCache) {
      member_ids.erase(member_ids_order.front());
      member_ids_order.pop_front();
    }
  }
  return ids;
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& o) {
  const bool tls = !o.tls_cert.empty() || !o.tls_key.empty();
  if (tls && (o.tls_cert.empty() || o.tls_key.empty())) {
    return InvalidInput("TLS needs both --tls-cert and --tls-key");
  }
  if (!Loopback(o.bind) && !tls && !o.insecure_bind) {
    return InvalidInput(fmt::format(
        "--bind {}: not a loopback address; configure TLS (--tls-cert, --tls-key) or pass "
        "--insecure-bind to serve without it",
        o.bind));
  }
  auto impl = std::make_unique<Impl>();
  impl->options = o;
  const std::string where = o.store.empty() ? DefaultStoreLocation() : o.store;
  auto store = RunStore::Open(where);
  if (!store.ok()) return store.status();
  impl->store = std::move(*store);
  auto access = Access::Open(where);
  if (!access.ok()) return access.status();
  impl->access = std::make_unique<Access>(std::move(*access));
  if (tls) {
    impl->http = std::make_unique<httplib::SSLServer>(o.tls_cert.c_str(), o.tls_key.c_str());
    if (!impl->http->is_valid()) {
      return InvalidInput(fmt::format(
          "--tls-cert {} / --tls-key {}: not a usable certificate and key", o.tls_cert, o.tls_key));
    }
  } else {
    impl->http = std::make_unique<httplib::Server>();
  }
  const int threads = o.threads;
  impl->http->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  // The listening socket, to widen its queue of pending connections after bind: the packaged
  // cpp-httplib listens with room for 5, and a burst of clients then waits on SYN retries.
  impl->http->set_socket_options([raw = impl.get()](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    raw->listen_fd = sock;
  });
  impl->Limits();
  impl->Routes();
  if (!o.web_dir.empty()) {
    if (!std::filesystem::is_regular_file(std::filesystem::path(o.web_dir) / "index.html")) {
      return InvalidInput(fmt::format(
          "--web {}: no index.html there (build the dashboard with `make build`)", o.web_dir));
    }
    impl->http->set_mount_point("/", o.web_dir);
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<int> Server::Bind() {
  Impl& m = *impl_;
  const int port =
      m.options.port == 0
          ? m.http->bind_to_any_port(m.options.bind)
          : (m.http->bind_to_port(m.options.bind, m.options.port) ? m.options.port : -1);
  if (port < 0) {
    return IoError(fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                               m.options.bind, m.options.port));
  }
  m.port = port;
  if (m.listen_fd >= 0) ::listen(m.listen_fd, SOMAXCONN);  // a listening socket takes a new queue
  return port;
}

void Server::Run() { impl_->http->listen_after_bind(); }
void Server::Stop() { impl_->http->stop(); }

}  // namespace valuepact::server
