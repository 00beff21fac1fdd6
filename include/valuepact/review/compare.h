#pragma once
// Comparing two recorded runs and truing up a settlement on restated data (docs/compare.md).
// `valuepact compare RUN_A RUN_B` explains the difference figure by figure and names its causes:
// contract terms (key by key), reference tables, engine, data — and for data, the members that
// entered, left or changed, and the claim lines added, removed or restated. `valuepact true-up`
// writes the adjustment owed between an earlier settlement and one on restated data as a
// statement of its own.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "valuepact/core/money.h"
#include "valuepact/core/status.h"
#include "valuepact/core/trace.h"
#include "valuepact/store/run_store.h"

namespace valuepact::review {

struct TermChange {
  std::string key;   // e.g. "payment[2].sharing_rate"
  std::string a, b;  // TOML text; "" when absent
};

struct InputChange {
  std::string table;
  std::string name;          // the file's name
  std::string sha_a, sha_b;  // "" when the run did not read it
};

struct FigureChange {
  std::string id, label, unit;
  std::string a, b;   // "" when the run has no such figure
  std::string delta;  // b − a for money and numbers, "" otherwise
};

struct MemberChange {
  std::string person;
  std::string status;  // entered | left | changed
  int64_t member_months_a = 0, member_months_b = 0;
  Money spend_a, spend_b;
};

struct LineChange {
  std::string person, claim_id;
  int line = 0;
  std::string status;               // added | removed | restated
  std::vector<std::string> fields;  // restated: the columns that changed
  Money amount_a, amount_b;         // in the contract's basis
};

struct MemberAttribution {
  bool available = false;
  std::string note;  // why not, when not
  std::vector<MemberChange> members;
  Money entered, left, changed;  // spend of members who entered, left; Σ changes of the rest
  Money expenditure_a, expenditure_b;
  bool explains_every_cent = false;  // entered − left + changed = expenditure b − a
};

struct LineAttribution {
  bool available = false;
  std::string note;
  std::vector<LineChange> lines;
  int64_t added = 0, removed = 0, restated = 0;
  Money net;  // Σ (amount b − amount a)
};

struct Comparison {
  RunRecord a, b;
  std::vector<std::string> causes;  // "contract terms", "reference tables", "engine", "data"
  std::vector<TermChange> terms;
  bool terms_known = true;  // both runs stored their contract's text
  std::vector<InputChange> reference, data;
  std::vector<FigureChange> figures;
  MemberAttribution members;
  LineAttribution lines;
};

struct CompareOptions {
  // The data folders the runs read, when their recorded paths no longer hold the same files
  // ("" = the recorded paths).
  std::string data_a, data_b;
  std::string basis = "";  // "" = the contract's (paid unless it says allowed)
};

// Compares two records of the store, fetched with their files.
Result<Comparison> Compare(const RunRecord& a, const RunRecord& b, const CompareOptions& options);

// Without `member_level`, the members and claim lines are counted and totalled, never listed
// (a shared output); with it, each is listed (restricted/).
nlohmann::ordered_json ComparisonJson(const Comparison& c, bool member_level);
std::string ComparisonMarkdown(const Comparison& c, bool member_level);

// A true-up: the adjustment owed between an original settlement and one on restated data.
struct TrueUp {
  Comparison comparison;
  struct Layer {
    std::string id, label;
    Money original, restated, adjustment;
  };
  std::vector<Layer> layers;
  Money original_net, restated_net, adjustment;  // adjustment > 0: the payer owes the provider
  std::string run_id;
  Trace trace;
};

// Both must be settle runs of the same contract id and period.
Result<TrueUp> BuildTrueUp(const RunRecord& original, const RunRecord& restated,
                           const CompareOptions& options);
struct OutputFile {
  std::string name, body;
  bool restricted = false;
};
// summary.json, statement.md, trace.json and compare.json of a true-up, and the member-level
// comparison in restricted/.
std::vector<OutputFile> TrueUpFiles(const TrueUp& t);
// compare.md and compare.json, and their member-level versions in restricted/.
std::vector<OutputFile> ComparisonFiles(const Comparison& c);

}  // namespace valuepact::review
