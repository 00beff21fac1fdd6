#pragma once
// The partnership record (docs/partnership.md): a folder of TOML and CSV files versioned beside
// the contract. It holds who the parties are and who to call, who does what (the division of
// responsibility, seed 003), how ready a partner is (weighted core competencies, seed 003's
// evaluation tool), and the governance log: meeting cadence, meetings, decisions, action items,
// contract versions and reopen triggers that fired. `valuepact partnership check DIR` validates
// it and reports gaps, overlaps, readiness, the next meeting due and overdue actions.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/core/date.h"
#include "valuepact/core/files.h"
#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/dataset/dataset.h"

namespace valuepact::partnership {

struct Party {
  std::string id, name, kind;  // kind: payer | provider | purchaser | other
};

struct Contact {
  std::string party, name, role, email;
};

// One cell of the responsibility matrix: an activity, a party and its role.
struct Responsibility {
  std::string activity, party;
  char role = 'R';  // R responsible, A accountable, C consulted, I informed
  std::string note;
  int line = 0;  // in responsibilities.csv
};

struct CompetencyScore {
  std::string partner, competency;
  double weight = 0;
  double score = 0;  // 1 (absent) .. 5 (mature)
  std::string evidence;
  int line = 0;
};

struct Meeting {
  Date date;
  std::string kind, agenda, decisions;
  int line = 0;
};

struct Action {
  std::string id, description, owner, status;  // status: open | done | dropped
  Date raised, due;
  int line = 0;
};

struct ContractVersion {
  std::string version, file, changes;
  Date effective;
};

struct TriggerFired {
  Date date;
  std::string trigger, decision;
};

struct Cadence {
  std::string early = "monthly";  // monthly | quarterly
  int early_months = 6;           // from the partnership's start
  std::string then = "quarterly";
};

struct Partnership {
  std::string dir;
  std::string id, name, contract;
  Date start;
  std::vector<Party> parties;
  std::vector<Contact> contacts;
  Cadence cadence;
  double ready_at = 3.5, developing_at = 2.5;  // readiness rating thresholds
  std::vector<Responsibility> responsibilities;
  std::vector<CompetencyScore> readiness;
  std::vector<Meeting> meetings;
  std::vector<Action> actions;
  std::vector<ContractVersion> versions;
  std::vector<TriggerFired> triggers;
};

// The files of a record folder, in the order they are read: partnership.toml, then the CSV
// files (each optional).
inline constexpr const char* kRecordFiles[] = {"partnership.toml", "responsibilities.csv",
                                               "readiness.csv", "meetings.csv", "actions.csv"};

// Reads DIR/partnership.toml and the CSV files beside it (responsibilities.csv, readiness.csv,
// meetings.csv, actions.csv; each optional). Every problem is reported at once, each with its
// file, line and field.
Result<Partnership> LoadPartnership(const std::string& dir, const FileSystem& files = RealFiles());

struct ActivityFinding {
  std::string activity;
  std::vector<std::string> responsible, accountable;
  std::string problem;  // gap | overlap | no_accountable | several_accountable
};

struct Readiness {
  std::string partner;
  double score = 0;                             // Σ weight × score ÷ Σ weight
  std::string rating;                           // ready | developing | not_ready
  std::vector<const CompetencyScore*> weakest;  // lowest scores first
};

struct Review {
  Date as_of;
  std::vector<std::string> activities;  // in first-seen order
  std::vector<ActivityFinding> findings;
  std::vector<Readiness> readiness;
  std::optional<Date> last_meeting;
  Date next_meeting_due;
  bool meeting_overdue = false;
  std::vector<const Action*> open, overdue;
};

Review ReviewPartnership(const Partnership& p, Date as_of);

std::string ReviewMarkdown(const Partnership& p, const Review& r);
nlohmann::ordered_json ReviewJson(const Partnership& p, const Review& r);

// The payer mix of a dataset (seed 000: which plans to approach first): per payer, the members
// with eligibility and the paid amount of their claims dated in a span of that payer, ranked by
// members, then spend.
struct PayerShare {
  std::string payer;
  int64_t members = 0;
  Money paid;
  double member_share = 0, paid_share = 0;
};
std::vector<PayerShare> PayerMix(const Dataset& ds);

}  // namespace valuepact::partnership
