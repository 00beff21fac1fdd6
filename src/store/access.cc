// Access control over the run store's tables (access.h).
#include "valuepact/store/access.h"

#include <openssl/rand.h>

#include <chrono>
#include <ctime>
#include <map>

#include <fmt/format.h>

#include "store/backends.h"
#include "valuepact/core/sha256.h"

namespace valuepact {
namespace {

bool IdText(const std::string& s) {
  return !s.empty() && s.size() <= 128 &&
         s.find_first_not_of(
             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@") ==
             std::string::npos;
}

Status CheckId(const char* what, const std::string& id) {
  if (IdText(id)) return Status::Ok();
  return InvalidInput(
      fmt::format("{} '{}': use 1 to 128 letters, digits, '-', '_', '.', '@'", what, id));
}

std::string UtcIn(int days) {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() +
                                                      std::chrono::hours(24 * days));
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace

Result<Access> Access::Open(const std::string& location) {
  auto sql = SqlConnection::Open(location);
  if (!sql.ok()) return sql.status();
  return Access(std::move(*sql));
}

Status Access::AddOrganization(const std::string& id, const std::string& name) {
  if (Status s = CheckId("organization", id); !s.ok()) return s;
  auto r = sql_->Query("INSERT INTO organizations VALUES ($1, $2, $3)",
                       {id, name.empty() ? id : name, store::UtcNow()});
  return r.ok() ? Status::Ok() : r.status();
}

Status Access::AddUser(const std::string& id, const std::string& org, const std::string& role,
                       bool phi) {
  if (Status s = CheckId("user", id); !s.ok()) return s;
  if (role != "admin" && role != "analyst" && role != "viewer") {
    return InvalidInput(fmt::format("role '{}': use admin, analyst or viewer", role));
  }
  if (auto o = sql_->Query("SELECT 1 FROM organizations WHERE org_id = $1", {org});
      !o.ok() || o->empty()) {
    return o.ok() ? NotFound(fmt::format("no organization '{}' (valuepact admin org add)", org))
                  : o.status();
  }
  auto r = sql_->Query("INSERT INTO users VALUES ($1, $2, $3, $4, $5)",
                       {id, org, role, phi ? "1" : "0", store::UtcNow()});
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::string> Access::AddToken(const std::string& user, const std::string& label, int days) {
  if (days < 1 || days > 3650) return InvalidInput("a token lasts 1 to 3650 days");
  if (auto u = sql_->Query("SELECT 1 FROM users WHERE user_id = $1", {user});
      !u.ok() || u->empty()) {
    return u.ok() ? NotFound(fmt::format("no user '{}' (valuepact admin user add)", user))
                  : u.status();
  }
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return Status(StatusCode::kInternal, "no random bytes for a token");
  }
  std::string token = "vp_";
  for (unsigned char b : bytes) token += fmt::format("{:02x}", b);
  auto r = sql_->Query("INSERT INTO api_tokens VALUES ($1, $2, $3, $4, $5, $6)",
                       {Sha256Hex(token), user, label, store::UtcNow(), UtcIn(days), "0"});
  if (!r.ok()) return r.status();
  return token;
}

Result<int64_t> Access::RevokeTokens(const std::string& user) {
  auto n =
      sql_->Query("SELECT COUNT(*) FROM api_tokens WHERE user_id = $1 AND revoked = 0", {user});
  if (!n.ok()) return n.status();
  auto r = sql_->Query("UPDATE api_tokens SET revoked = 1 WHERE user_id = $1", {user});
  if (!r.ok()) return r.status();
  return std::stoll((*n)[0][0]);
}

Status Access::AddPartnership(const PartnershipInfo& p) {
  if (Status s = CheckId("partnership", p.id); !s.ok()) return s;
  if (p.parties.empty()) {
    return InvalidInput("a partnership needs at least one party (--party ORG)");
  }
  return sql_->Transaction([&]() -> Status {
    auto r = sql_->Query("INSERT INTO partnerships VALUES ($1, $2, $3)",
                         {p.id, p.name.empty() ? p.id : p.name, store::UtcNow()});
    if (!r.ok()) return r.status();
    for (const auto& org : p.parties) {
      auto o = sql_->Query("SELECT 1 FROM organizations WHERE org_id = $1", {org});
      if (!o.ok()) return o.status();
      if (o->empty()) return NotFound(fmt::format("no organization '{}'", org));
      if (auto x = sql_->Query("INSERT INTO partnership_parties VALUES ($1, $2)", {p.id, org});
          !x.ok()) {
        return x.status();
      }
    }
    for (const auto& c : p.contracts) {
      if (auto x = sql_->Query("INSERT INTO partnership_contracts VALUES ($1, $2)", {p.id, c});
          !x.ok()) {
        return x.status();
      }
    }
    return Status::Ok();
  });
}

Result<std::optional<Principal>> Access::Authenticate(const std::string& token, std::string* why) {
  auto r = sql_->Query(
      "SELECT t.expires_at, t.revoked, u.user_id, u.org_id, u.role, u.phi FROM api_tokens t JOIN "
      "users u ON u.user_id = t.user_id WHERE t.token_sha256 = $1",
      {Sha256Hex(token)});
  if (!r.ok()) return r.status();
  if (r->empty()) {
    *why = "unknown token";
    return std::optional<Principal>();
  }
  const SqlRow& row = (*r)[0];
  if (row[1] != "0") {
    *why = "the token was revoked";
    return std::optional<Principal>();
  }
  if (row[0] <= store::UtcNow()) {
    *why = fmt::format("the token expired at {}", row[0]);
    return std::optional<Principal>();
  }
  return std::optional<Principal>(Principal{row[2], row[3], row[4], row[5] == "1"});
}

Result<std::vector<PartnershipInfo>> Access::Partnerships(const Principal& p) {
  auto rows = sql_->Query(
      "SELECT p.partnership_id, p.name FROM partnerships p JOIN partnership_parties x ON "
      "x.partnership_id = p.partnership_id WHERE x.org_id = $1 ORDER BY p.partnership_id",
      {p.org});
  if (!rows.ok()) return rows.status();
  std::vector<PartnershipInfo> out;
  for (const auto& row : *rows) {
    PartnershipInfo info{row[0], row[1], {}, {}};
    auto parties = sql_->Query(
        "SELECT org_id FROM partnership_parties WHERE partnership_id = $1 ORDER BY org_id",
        {info.id});
    auto contracts = sql_->Query(
        "SELECT contract_id FROM partnership_contracts WHERE partnership_id = $1 ORDER BY "
        "contract_id",
        {info.id});
    if (!parties.ok()) return parties.status();
    if (!contracts.ok()) return contracts.status();
    for (const auto& x : *parties) info.parties.push_back(x[0]);
    for (const auto& x : *contracts) info.contracts.push_back(x[0]);
    out.push_back(std::move(info));
  }
  return out;
}

Result<bool> Access::MaySeeContract(const Principal& p, const std::string& contract_id) {
  // A partnership's own record (`partnership check`): its parties see it.
  if (contract_id.rfind(kPartnershipRecord, 0) == 0) {
    auto r =
        sql_->Query("SELECT 1 FROM partnership_parties WHERE partnership_id = $1 AND org_id = $2",
                    {contract_id.substr(std::string_view(kPartnershipRecord).size()), p.org});
    if (!r.ok()) return r.status();
    return !r->empty();
  }
  auto r = sql_->Query(
      "SELECT 1 FROM partnership_contracts c JOIN partnership_parties x ON x.partnership_id = "
      "c.partnership_id WHERE c.contract_id = $1 AND x.org_id = $2",
      {contract_id, p.org});
  if (!r.ok()) return r.status();
  return !r->empty();
}

Status Access::Audit(const Principal& who, const std::string& action, const std::string& target,
                     const std::string& detail) {
  auto r = sql_->Query(
      "INSERT INTO audit_log (at, user_id, org_id, action, target, detail) VALUES ($1, $2, $3, $4, "
      "$5, $6)",
      {store::UtcNow(), who.user, who.org, action, target, detail});
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::vector<AuditEntry>> Access::AuditLog(int64_t limit) {
  auto r = sql_->Query(
      "SELECT audit_id, at, user_id, org_id, action, target, detail FROM audit_log ORDER BY "
      "audit_id DESC LIMIT $1",
      {std::to_string(limit)});
  if (!r.ok()) return r.status();
  std::vector<AuditEntry> out;
  for (const auto& row : *r) {
    out.push_back({std::stoll(row[0]), row[1], row[2], row[3], row[4], row[5], row[6]});
  }
  return out;
}

}  // namespace valuepact
