// valuepact serve, valuepact admin (docs/server.md)
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/command.h"
#include "serverplugin/serve_backend.h"
#include "valuepact/core/allocator.h"
#include "valuepact/core/file_io.h"
#include "valuepact/core/plugin.h"
#include "valuepact/core/progress.h"
#include "valuepact/server/server.h"
#include "valuepact/store/access.h"
#include "valuepact/store/run_store.h"

namespace valuepact::cli {
namespace {

// The server plugin (serverplugin/serve_backend.h), loaded by `serve` only.
Result<const server::ServeBackend*> LoadServer() {
  static constexpr const char* kWhat = "the partnership server";
  auto fn = LoadPluginEntry(kWhat, server::kServerPlugin, server::kServerPluginEntry);
  if (!fn.ok()) return fn.status();
  using Entry = const server::ServeBackend* (*)();
  const server::ServeBackend* b = reinterpret_cast<Entry>(*fn)();
  if (b == nullptr || std::string(b->engine_version) != VALUEPACT_VERSION ||
      b->options_size != sizeof(server::ServerOptions)) {
    return PluginError(kWhat, server::kServerPlugin,
                       "it was built with another version of valuepact");
  }
  return b;
}

void PrintServing(const server::ServerOptions& o, int port) {
  std::printf("valuepact serving %s on %s://%s:%d/api (store %s); Ctrl-C stops it\n",
              VALUEPACT_VERSION, o.tls_cert.empty() ? "http" : "https", o.bind.c_str(), port,
              o.store.empty() ? DefaultStoreLocation().c_str() : o.store.c_str());
  if (!o.web_dir.empty()) {
    std::printf("dashboard: %s://%s:%d/\n", o.tls_cert.empty() ? "http" : "https", o.bind.c_str(),
                port);
  }
  std::fflush(stdout);
}

int RunServe(const server::ServerOptions& o) {
  // A long-lived server reads data files into memory: a file cut short under a mapping would
  // end the process (file_io.h).
  SetMapDataFiles(false);
  // ...and gives back what a large request freed (core/allocator.h).
  KeepFreedMemory(false);
  // ...and its runs' notes go to their results, not to the server's terminal.
  SetPrintNotices(false);
  auto backend = LoadServer();
  if (!backend.ok()) return Fail(backend.status());
  if (Status s = (*backend)->serve(o, &PrintServing); !s.ok()) return Fail(s);
  return 0;
}

struct AdminArgs {
  std::string store, id, name, org, role = "viewer", label = "api";
  std::vector<std::string> parties, contracts;
  bool phi = false;
  int days = 90;
  int64_t limit = 50;
};

// Runs one admin change and writes it to the audit log as done by the account running it.
int Admin(const AdminArgs& a, const std::string& action,
          const std::function<Result<std::string>(Access&)>& change) {
  auto access = Access::Open(a.store.empty() ? DefaultStoreLocation() : a.store);
  if (!access.ok()) return Fail(access.status());
  auto out = change(*access);
  if (!out.ok()) return Fail(out.status());
  const char* user = std::getenv("USER");
  const Principal me{fmt::format("cli:{}", user != nullptr ? user : "unknown"), "", "admin", false};
  if (Status s = access->Audit(me, action, a.id, ""); !s.ok()) return Fail(s);
  std::printf("%s\n", out->c_str());
  return 0;
}

void AdminCommands(CLI::App* cmd) {
  auto a = std::make_shared<AdminArgs>();
  cmd->add_option("--store", a->store,
                  "run store: a SQLite file or a postgresql:// URL (default: $VALUEPACT_STORE, "
                  "else ~/.local/share/valuepact/runs.sqlite)");
  auto* org = cmd->add_subcommand("org-add", "Add an organization (a party to partnerships)");
  org->add_option("ID", a->id, "organization id")->required();
  org->add_option("--name", a->name, "its name");
  org->callback([a] {
    SetExitCode(Admin(*a, "add_organization", [a](Access& x) -> Result<std::string> {
      if (Status s = x.AddOrganization(a->id, a->name); !s.ok()) return s;
      return fmt::format("organization {} added", a->id);
    }));
  });
  auto* user = cmd->add_subcommand("user-add", "Add a user of an organization");
  user->add_option("ID", a->id, "user id")->required();
  user->add_option("--org", a->org, "the user's organization")->required();
  user->add_option("--role", a->role, "admin, analyst or viewer (default viewer)");
  user->add_flag("--phi", a->phi, "may read member-level rows and member ids");
  user->callback([a] {
    SetExitCode(Admin(*a, "add_user", [a](Access& x) -> Result<std::string> {
      if (Status s = x.AddUser(a->id, a->org, a->role, a->phi); !s.ok()) return s;
      return fmt::format("user {} added ({}, {}{})", a->id, a->org, a->role, a->phi ? ", PHI" : "");
    }));
  });
  auto* token = cmd->add_subcommand("token-add", "Issue an API token for a user (printed once)");
  token->add_option("USER", a->id, "user id")->required();
  token->add_option("--days", a->days, "days until it expires (default 90)")
      ->check(CLI::Range(1, 3650));
  token->add_option("--label", a->label, "what it is for");
  token->callback([a] {
    SetExitCode(Admin(*a, "add_token", [a](Access& x) -> Result<std::string> {
      return x.AddToken(a->id, a->label, a->days);
    }));
  });
  auto* revoke = cmd->add_subcommand("token-revoke", "Revoke every token of a user");
  revoke->add_option("USER", a->id, "user id")->required();
  revoke->callback([a] {
    SetExitCode(Admin(*a, "revoke_tokens", [a](Access& x) -> Result<std::string> {
      auto n = x.RevokeTokens(a->id);
      if (!n.ok()) return n.status();
      return fmt::format("{} token(s) of {} revoked", *n, a->id);
    }));
  });
  auto* part =
      cmd->add_subcommand("partnership-add", "Add a partnership: its parties and contracts");
  part->add_option("ID", a->id, "partnership id")->required();
  part->add_option("--name", a->name, "its name");
  part->add_option("--party", a->parties, "an organization that is a party (repeat)")->required();
  part->add_option("--contract", a->contracts, "a contract id of the partnership (repeat)");
  part->callback([a] {
    SetExitCode(Admin(*a, "add_partnership", [a](Access& x) -> Result<std::string> {
      if (Status s = x.AddPartnership({a->id, a->name, a->parties, a->contracts}); !s.ok()) {
        return s;
      }
      return fmt::format("partnership {} added", a->id);
    }));
  });
  auto* audit = cmd->add_subcommand("audit", "Print the audit log, newest first");
  audit->add_option("--limit", a->limit, "how many entries (default 50)");
  audit->callback([a] {
    auto access = Access::Open(a->store.empty() ? DefaultStoreLocation() : a->store);
    if (!access.ok()) return SetExitCode(Fail(access.status()));
    auto log = access->AuditLog(a->limit);
    if (!log.ok()) return SetExitCode(Fail(log.status()));
    for (const auto& e : *log) {
      std::printf("%lld  %s  %-16s %-10s %-20s %s %s\n", static_cast<long long>(e.id), e.at.c_str(),
                  e.user.c_str(), e.org.c_str(), e.action.c_str(), e.target.c_str(),
                  e.detail.c_str());
    }
    SetExitCode(0);
  });
}

const RegisterCommand kServe(
    {"serve", 90, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "serve",
           "Serve the run store to the parties of each partnership: a JSON API with per-party "
           "access, PHI gating and an audit log (docs/server.md)");
       auto o = std::make_shared<server::ServerOptions>();
       cmd->add_option("--store", o->store,
                       "run store: a SQLite file or a postgresql:// URL (default: "
                       "$VALUEPACT_STORE, else ~/.local/share/valuepact/runs.sqlite)");
       cmd->add_option("--bind", o->bind, "address to listen on (default 127.0.0.1)");
       cmd->add_option("--port", o->port, "port (default 8080; 0: any free port)")
           ->check(CLI::Range(0, 65535));
       cmd->add_option("--tls-cert", o->tls_cert, "PEM certificate: serve HTTPS");
       cmd->add_option("--tls-key", o->tls_key, "PEM private key of --tls-cert");
       cmd->add_flag("--insecure-bind", o->insecure_bind,
                     "allow an address other than loopback without TLS");
       cmd->add_option("--max-body", o->max_body, "largest request body in bytes (default 1 MiB)");
       cmd->add_option("--rate", o->requests_per_minute,
                       "requests a minute per token or address (default 6000)");
       cmd->add_option("--threads", o->threads, "worker threads (default 32)")
           ->check(CLI::Range(1, 1024));
       cmd->add_option("--web", o->web_dir,
                       "the dashboard's built files, served at / (default: web/ beside the "
                       "executable, as the build makes it; \"none\": the API only)");
       cmd->callback([o] { SetExitCode(RunServe(*o)); });
     }});

const RegisterCommand kAdmin(
    {"admin", 91, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "admin",
           "Organizations, users, API tokens and partnerships of the server; the audit log");
       cmd->require_subcommand(1);
       AdminCommands(cmd);
     }});

}  // namespace
}  // namespace valuepact::cli
