#pragma once
// Who may read what through the partnership server (docs/server.md): organizations, users with a
// role (admin, analyst, viewer) and a separate PHI permission, API tokens stored only as their
// SHA-256 with an expiry, partnerships with their parties (organizations) and contracts, and an
// append-only audit log. Kept in the run store's tables (schema version 3), on SQLite or
// PostgreSQL alike.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "valuepact/core/status.h"
#include "valuepact/store/sql.h"

namespace valuepact {

struct Principal {
  std::string user, org, role;  // role: admin | analyst | viewer
  bool phi = false;             // may read member-level rows and member ids
};

// The contract id of a partnership record's runs: "partnership:<partnership id>".
inline constexpr const char* kPartnershipRecord = "partnership:";

struct PartnershipInfo {
  std::string id, name;
  std::vector<std::string> parties;    // organization ids
  std::vector<std::string> contracts;  // contract ids
};

struct AuditEntry {
  int64_t id = 0;
  std::string at, user, org, action, target, detail;
};

class Access {
 public:
  explicit Access(std::unique_ptr<SqlConnection> sql) : sql_(std::move(sql)) {}
  static Result<Access> Open(const std::string& location);

  Status AddOrganization(const std::string& id, const std::string& name);
  Status AddUser(const std::string& id, const std::string& org, const std::string& role, bool phi);
  // A new token for the user, valid for `days`: its text is returned once and only its SHA-256
  // is kept.
  Result<std::string> AddToken(const std::string& user, const std::string& label, int days);
  // Revokes every token of the user; how many.
  Result<int64_t> RevokeTokens(const std::string& user);
  Status AddPartnership(const PartnershipInfo& p);

  // The user a token belongs to; nullopt (with *why) for an unknown, revoked or expired token.
  Result<std::optional<Principal>> Authenticate(const std::string& token, std::string* why);
  // The partnerships the principal's organization is a party to (all of them for no one else).
  Result<std::vector<PartnershipInfo>> Partnerships(const Principal& p);
  // Whether a contract id belongs to a partnership the principal's organization is a party to;
  // "partnership:<id>" (a run of `partnership check`) is seen by that partnership's parties.
  Result<bool> MaySeeContract(const Principal& p, const std::string& contract_id);

  // Appends to the audit log (nothing updates or deletes it).
  Status Audit(const Principal& who, const std::string& action, const std::string& target,
               const std::string& detail);
  Result<std::vector<AuditEntry>> AuditLog(int64_t limit);

  SqlConnection& sql() { return *sql_; }

 private:
  std::unique_ptr<SqlConnection> sql_;
};

}  // namespace valuepact
