#include "valuepact/ingest/fhir/fhir_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <simdjson.h>

#include "valuepact/core/file_io.h"
#include "valuepact/dataset/service_category.h"
#include "valuepact/ingest/demographics.h"

namespace valuepact::fhir {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// The first structural problem found in a resource: it is then rejected whole.
struct Problem {
  std::string path;
  std::string reason;
  std::string value;
};

const char* TypeName(element_type t) {
  switch (t) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::STRING:
      return "a string";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "a number";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

// Typed access to a resource that records the first structural problem with its JSON path.
class Walker {
 public:
  std::optional<Problem> problem;

  bool Fail(const std::string& path, std::string reason, std::string value = {}) {
    if (!problem) {
      problem = Problem{path, std::move(reason), std::move(value)};
    }
    return false;
  }
  // A member of an object, if present (null counts as absent).
  static std::optional<element> Member(const object& o, std::string_view key) {
    element e;
    if (o.at_key(key).get(e) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    if (e.type() == element_type::NULL_VALUE) {
      return std::nullopt;
    }
    return e;
  }
  std::optional<object> Obj(const object& o, std::string_view key, const std::string& path) {
    auto e = Member(o, key);
    if (!e) {
      return std::nullopt;
    }
    if (e->type() != element_type::OBJECT) {
      Fail(path + "." + std::string(key),
           std::string("expected an object, found ") + TypeName(e->type()));
      return std::nullopt;
    }
    return e->get_object().value_unsafe();
  }
  std::optional<array> Arr(const object& o, std::string_view key, const std::string& path) {
    auto e = Member(o, key);
    if (!e) {
      return std::nullopt;
    }
    if (e->type() != element_type::ARRAY) {
      Fail(path + "." + std::string(key),
           std::string("expected an array, found ") + TypeName(e->type()));
      return std::nullopt;
    }
    return e->get_array().value_unsafe();
  }
  std::optional<std::string_view> Str(const object& o, std::string_view key,
                                      const std::string& path) {
    auto e = Member(o, key);
    if (!e) {
      return std::nullopt;
    }
    if (e->type() != element_type::STRING) {
      Fail(path + "." + std::string(key),
           std::string("expected a string, found ") + TypeName(e->type()));
      return std::nullopt;
    }
    return e->get_string().value_unsafe();
  }
  std::optional<int64_t> Int(const object& o, std::string_view key, const std::string& path) {
    auto e = Member(o, key);
    if (!e) {
      return std::nullopt;
    }
    int64_t v;
    if (e->get_int64().get(v) != simdjson::SUCCESS) {
      Fail(path + "." + std::string(key),
           std::string("expected an integer, found ") + TypeName(e->type()));
      return std::nullopt;
    }
    return v;
  }
  // A Money / Quantity `value`: a JSON number converted to cents, half away from zero.
  std::optional<Money> Amount(const object& o, std::string_view key, const std::string& path) {
    auto e = Member(o, key);
    if (!e) {
      return std::nullopt;
    }
    double v;
    if (e->get_double().get(v) != simdjson::SUCCESS) {
      Fail(path + "." + std::string(key),
           std::string("expected a number, found ") + TypeName(e->type()));
      return std::nullopt;
    }
    if (!std::isfinite(v) || std::fabs(v) > 1e13) {
      Fail(path + "." + std::string(key), "amount out of range", fmt::format("{}", v));
      return std::nullopt;
    }
    return RoundToCents(static_cast<long double>(v));
  }
  // A FHIR date or dateTime: the date part. Partial dates (YYYY, YYYY-MM) are not days.
  std::optional<Date> DateAt(const object& o, std::string_view key, const std::string& path) {
    auto s = Str(o, key, path);
    if (!s) {
      return std::nullopt;
    }
    std::string_view d = s->substr(0, std::min<size_t>(10, s->size()));
    auto r = ParseDate(d);
    if (!r.ok() || (s->size() > 10 && (*s)[10] != 'T')) {
      Fail(path + "." + std::string(key), "expected a date YYYY-MM-DD", std::string(*s));
      return std::nullopt;
    }
    return *r;
  }
  // Codes of a CodeableConcept's codings: (system, code) pairs.
  std::vector<std::pair<std::string_view, std::string_view>> Codings(const object& cc,
                                                                     const std::string& path) {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    auto arr = Arr(cc, "coding", path);
    if (!arr) {
      return out;
    }
    size_t i = 0;
    for (element c : *arr) {
      const std::string p = fmt::format("{}.coding[{}]", path, i++);
      if (c.type() != element_type::OBJECT) {
        Fail(p, std::string("expected an object, found ") + TypeName(c.type()));
        return out;
      }
      object co = c.get_object().value_unsafe();
      auto system = Str(co, "system", p);
      auto code = Str(co, "code", p);
      out.emplace_back(system.value_or(""), code.value_or(""));
    }
    return out;
  }
  std::vector<std::pair<std::string_view, std::string_view>> CodingsOf(const object& o,
                                                                       std::string_view key,
                                                                       const std::string& path) {
    auto cc = Obj(o, key, path);
    if (!cc) {
      return {};
    }
    return Codings(*cc, path + "." + std::string(key));
  }
  // Iterates an array member of objects, calling f(object, path).
  template <typename F>
  void Each(const object& o, std::string_view key, const std::string& path, F&& f) {
    auto arr = Arr(o, key, path);
    if (!arr) {
      return;
    }
    size_t i = 0;
    for (element e : *arr) {
      const std::string p = fmt::format("{}.{}[{}]", path, key, i++);
      if (e.type() != element_type::OBJECT) {
        Fail(p, std::string("expected an object, found ") + TypeName(e.type()));
        return;
      }
      f(e.get_object().value_unsafe(), p);
      if (problem) {
        return;
      }
    }
  }
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The last path segment of a URL-like code ("https://.../variables/line_nch_pmt_amt").
std::string_view Leaf(std::string_view s) {
  const size_t slash = s.find_last_of("/#");
  return slash == std::string_view::npos ? s : s.substr(slash + 1);
}

std::string NormalizeCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '.' || c == ' ') {
      continue;
    }
    out.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
  }
  return out;
}

// The id a reference points at: "Patient/123" -> "123" (also "urn:uuid:..." -> its tail).
std::string_view ReferenceId(std::string_view ref) {
  const size_t slash = ref.find_last_of("/:");
  return slash == std::string_view::npos ? ref : ref.substr(slash + 1);
}

enum class Kind {
  kUnknown,
  kInpatient,
  kOutpatient,
  kSnf,
  kHomeHealth,
  kHospice,
  kCarrier,
  kDme,
  kPharmacy,
  kInstitutional,
  kProfessional
};

Kind KindFromCodings(const std::vector<std::pair<std::string_view, std::string_view>>& type,
                     const std::vector<std::pair<std::string_view, std::string_view>>& sub) {
  Kind by_eob = Kind::kUnknown, by_nch = Kind::kUnknown, by_c4bb = Kind::kUnknown;
  for (const auto& [system, code] : type) {
    if (EndsWith(system, "eob-type")) {
      if (code == "INPATIENT") {
        by_eob = Kind::kInpatient;
      } else if (code == "OUTPATIENT") {
        by_eob = Kind::kOutpatient;
      } else if (code == "SNF") {
        by_eob = Kind::kSnf;
      } else if (code == "HHA") {
        by_eob = Kind::kHomeHealth;
      } else if (code == "HOSPICE") {
        by_eob = Kind::kHospice;
      } else if (code == "CARRIER") {
        by_eob = Kind::kCarrier;
      } else if (code == "DME") {
        by_eob = Kind::kDme;
      } else if (code == "PDE") {
        by_eob = Kind::kPharmacy;
      }
    } else if (EndsWith(system, "nch_clm_type_cd")) {
      if (code == "60" || code == "61") {
        by_nch = Kind::kInpatient;
      } else if (code == "40") {
        by_nch = Kind::kOutpatient;
      } else if (code == "20" || code == "30") {
        by_nch = Kind::kSnf;
      } else if (code == "10") {
        by_nch = Kind::kHomeHealth;
      } else if (code == "50") {
        by_nch = Kind::kHospice;
      } else if (code == "71" || code == "72") {
        by_nch = Kind::kCarrier;
      } else if (code == "81" || code == "82") {
        by_nch = Kind::kDme;
      }
    } else if (EndsWith(system, "claim-type") || EndsWith(system, "ex-claimtype")) {
      if (code == "institutional") {
        by_c4bb = Kind::kInstitutional;
      } else if (code == "professional" || code == "oral" || code == "vision") {
        by_c4bb = Kind::kProfessional;
      } else if (code == "pharmacy") {
        by_c4bb = Kind::kPharmacy;
      }
    }
  }
  if (by_eob != Kind::kUnknown) {
    return by_eob;
  }
  if (by_nch != Kind::kUnknown) {
    return by_nch;
  }
  if (by_c4bb == Kind::kInstitutional) {
    for (const auto& [system, code] : sub) {
      if (code == "inpatient") {
        return Kind::kInpatient;
      }
      if (code == "outpatient") {
        return Kind::kOutpatient;
      }
    }
  }
  return by_c4bb;
}

// Adjudication / total category codes, by what the amount means. Both the Blue Button variable
// names (STU3 and R4) and the CARIN adjudication codes (R4) are recognised.
enum class AmountKind { kNone, kPaid, kAllowed, kCharge };
AmountKind AmountKindOf(std::string_view code, bool pharmacy) {
  const std::string_view leaf = Leaf(code);
  if (pharmacy) {
    if (leaf == "cvrd_d_plan_pd_amt" || leaf == "paidbypayer") {
      return AmountKind::kPaid;
    }
    if (leaf == "tot_rx_cst_amt") {
      return AmountKind::kAllowed;
    }
    return AmountKind::kNone;
  }
  if (leaf == "line_nch_pmt_amt" || leaf == "rev_cntr_pmt_amt_amt" || leaf == "benefit" ||
      leaf == "paidtoprovider") {
    return AmountKind::kPaid;
  }
  if (leaf == "line_alowd_chrg_amt" || leaf == "eligible") {
    return AmountKind::kAllowed;
  }
  if (leaf == "line_sbmtd_chrg_amt" || leaf == "rev_cntr_tot_chrg_amt" || leaf == "submitted") {
    return AmountKind::kCharge;
  }
  return AmountKind::kNone;
}

struct Amounts {
  std::optional<Money> paid, allowed, charge;
  void Add(AmountKind k, Money m) {
    auto& slot = k == AmountKind::kPaid ? paid : (k == AmountKind::kAllowed ? allowed : charge);
    if (!slot) {
      slot = m;  // the first adjudication of a kind counts; repeats are other codings
    }
  }
};

Amounts ReadAdjudications(Walker& w, const object& o, std::string_view key, const std::string& path,
                          bool pharmacy) {
  Amounts a;
  w.Each(o, key, path, [&](const object& adj, const std::string& p) {
    auto codes = w.CodingsOf(adj, "category", p);
    AmountKind kind = AmountKind::kNone;
    for (const auto& [system, code] : codes) {
      kind = AmountKindOf(code, pharmacy);
      if (kind != AmountKind::kNone) {
        break;
      }
    }
    if (kind == AmountKind::kNone) {
      return;
    }
    auto amount = w.Obj(adj, "amount", p);
    if (!amount) {
      return;
    }
    auto v = w.Amount(*amount, "value", p + ".amount");
    if (v) {
      a.Add(kind, *v);
    }
  });
  return a;
}

struct Line {
  int32_t sequence = 0;
  Date start = kNoDate, end = kNoDate;
  std::string revenue, hcpcs, modifier, pos, ndc;
  Amounts amounts;
};

struct Eob {
  std::string id;
  std::string patient;
  Kind kind = Kind::kUnknown;
  Date start = kNoDate, end = kNoDate, paid_date = kNoDate, admission = kNoDate,
       discharge = kNoDate;
  std::vector<std::pair<int64_t, std::string>> dx, px;
  std::vector<Line> lines;
  std::optional<Money> header_paid, header_allowed, header_charge;
  std::string billing_npi, facility_npi, rendering_npi, prescribing_npi;
  std::string fac_type, classification, frequency, bill_type, drg, discharge_status;
};

struct Patient {
  char sex = 'U';
  Date birth = kNoDate, death = kNoDate;
  std::string race, ethnicity, state, zip3;  // normalised; "" when absent
};

// A string member, or "" when absent or not a string (demographic extras never fail a Patient).
std::string_view StrOr(const object& o, std::string_view key) {
  auto e = Walker::Member(o, key);
  std::string_view v;
  if (e && e->type() == element_type::STRING) {
    v = e->get_string().value_unsafe();
  }
  return v;
}

std::string Lower(std::string_view v) {
  std::string out(v);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The objects of an array member (other elements skipped).
std::vector<object> ObjectsOf(const object& o, std::string_view key) {
  std::vector<object> out;
  auto e = Walker::Member(o, key);
  if (!e || e->type() != element_type::ARRAY) {
    return out;
  }
  array arr;
  if (e->get_array().get(arr) != simdjson::SUCCESS) {
    return out;
  }
  for (element x : arr) {
    if (x.type() == element_type::OBJECT) {
      out.push_back(x.get_object().value_unsafe());
    }
  }
  return out;
}

// US Core race or ethnicity (extension `url` ending in us-core-race / us-core-ethnicity): the
// OMB category's display, lower-cased ("multiple" when it names several), else its `text`.
std::string UsCoreCategory(const object& patient, std::string_view which) {
  for (const object& ext : ObjectsOf(patient, "extension")) {
    if (!EndsWith(StrOr(ext, "url"), which)) {
      continue;
    }
    std::vector<std::string> omb;
    std::string text;
    for (const object& part : ObjectsOf(ext, "extension")) {
      const std::string_view url = StrOr(part, "url");
      auto coding = Walker::Member(part, "valueCoding");
      if (url == "ombCategory" && coding && coding->type() == element_type::OBJECT) {
        const object c = coding->get_object().value_unsafe();
        std::string label = Lower(StrOr(c, "display"));
        omb.push_back(label.empty() ? std::string(StrOr(c, "code")) : label);
      } else if (url == "text") {
        text = Lower(StrOr(part, "valueString"));
      }
    }
    std::sort(omb.begin(), omb.end());
    omb.erase(std::unique(omb.begin(), omb.end()), omb.end());
    return omb.size() > 1 ? "multiple" : (omb.size() == 1 ? omb[0] : text);
  }
  return {};
}

// Race, ethnicity, state and ZIP3 of a Patient (ingest/demographics.h): the home address, else
// the first one.
void ReadPlaceAndRace(const object& o, Patient* p) {
  p->race = UsCoreCategory(o, "us-core-race");
  p->ethnicity = UsCoreCategory(o, "us-core-ethnicity");
  const std::vector<object> addresses = ObjectsOf(o, "address");
  const object* home = addresses.empty() ? nullptr : &addresses.front();
  for (const object& a : addresses) {
    if (StrOr(a, "use") == "home") {
      home = &a;
      break;
    }
  }
  if (home != nullptr) {
    p->state = ingest::NormalizeState(StrOr(*home, "state"));
    p->zip3 = std::string(ingest::Zip3(StrOr(*home, "postalCode")));
  }
}

struct Coverage {
  std::string member;
  std::optional<Date> start, end;
  std::string medicare_status, orec, dual, plan;
  SourceRef source;
};

std::string Npi(Walker& w, const object& holder, const std::string& path) {
  // Reference.identifier (STU3 and R4) with an NPI system or an NPI type.
  auto ident = w.Obj(holder, "identifier", path);
  if (!ident) {
    return {};
  }
  const std::string p = path + ".identifier";
  auto system = w.Str(*ident, "system", p);
  auto value = w.Str(*ident, "value", p);
  if (!value) {
    return {};
  }
  bool npi = system && EndsWith(*system, "us-npi");
  for (const auto& [s, c] : w.CodingsOf(*ident, "type", p)) {
    npi = npi || c == "npi" || c == "NPI";
  }
  return npi ? std::string(*value) : std::string();
}

class Reader {
 public:
  Reader(Dataset* ds, IngestReport* report, bool pharmacy)
      : ds_(ds),
        report_(report),
        pharmacy_(pharmacy),
        first_medical_(ds->medical.size()),
        first_pharmacy_(ds->pharmacy.size()) {}

  void File(const FhirInput& in) {
    const uint32_t source = static_cast<uint32_t>(ds_->sources.size());
    ds_->sources.push_back(
        SourceFile{in.name, "fhir", "fhir", FingerprintBytes(in.bytes), 0, 0, 0, ""});
    if (EndsWith(in.name, ".ndjson")) {
      report_->NoteUnterminatedLastLine(in.bytes, in.name);
      size_t pos = 0;
      uint32_t line = 0;
      while (pos < in.bytes.size()) {
        size_t nl = in.bytes.find('\n', pos);
        if (nl == std::string_view::npos) {
          nl = in.bytes.size();
        }
        std::string_view text = in.bytes.substr(pos, nl - pos);
        pos = nl + 1;
        ++line;
        if (!text.empty() && text.back() == '\r') {
          text.remove_suffix(1);
        }
        if (text.find_first_not_of(" \t") == std::string_view::npos) {
          continue;
        }
        Document(in, source, line, text);
      }
    } else {
      Document(in, source, 1, in.bytes);
    }
  }

  void Finish(const FhirOptions& options) {
    CheckNewClaimLines(ds_, first_medical_, first_pharmacy_, options.max_line_amount,
                       {"item.sequence", "paid_amount", "allowed_amount"}, report_);
    EmitEligibility();
    for (const auto& [type, n] : ignored_) {
      report_->notes.push_back(
          fmt::format("FHIR: {} {} resource(s) skipped (not read by valuepact)", n, type));
    }
    if (pharmacy_passed_over_ > 0) {
      report_->notes.push_back(
          fmt::format("FHIR: {} pharmacy ExplanationOfBenefit resource(s) not read (the "
                      "contract's services do not include pharmacy claims)",
                      pharmacy_passed_over_));
    }
    ClassifyMedicalClaims(ds_->codes, &ds_->medical);
    auto& d = ds_->deliveries;
    d.name.push_back("fhir");
    d.format.push_back("fhir");
    d.file_date.push_back(kNoDate);
    d.performance_year.push_back(0);
    d.run_out.push_back(0);
    d.member_count.push_back(members_seen_.size());
    d.claim_count.push_back(eob_ids_.size());
  }

  uint64_t resources() const { return resources_; }

 private:
  Dataset* ds_;
  IngestReport* report_;
  bool pharmacy_;                          // FhirOptions::pharmacy
  uint64_t pharmacy_passed_over_ = 0;      // pharmacy EOBs not read (FhirOptions::pharmacy)
  size_t first_medical_, first_pharmacy_;  // rows of the tables before this export
  simdjson::dom::parser parser_;
  std::map<std::string, uint64_t> ignored_;
  std::unordered_map<std::string, SourceRef> eob_ids_;  // where each id was first read
  std::set<uint32_t> members_seen_;
  std::map<std::string, Patient> patients_;
  std::vector<Coverage> coverages_;
  Date latest_service_ = kNoDate;
  uint64_t resources_ = 0;

  void Reject(const FhirInput& in, uint32_t source, uint32_t line, std::string path,
              std::string_view value, std::string reason) {
    report_->AddReject(in.name, line, std::move(path), value, std::move(reason));
    ++ds_->sources[source].rows_rejected;
    ++report_->counters["fhir.resources_rejected"];
  }

  void Document(const FhirInput& in, uint32_t source, uint32_t line, std::string_view text) {
    ++ds_->sources[source].rows_read;
    element doc;
    auto err = parser_.parse(text.data(), text.size()).get(doc);
    if (err != simdjson::SUCCESS) {
      Reject(in, source, line, "$", text.substr(0, 80),
             std::string("not valid JSON: ") + simdjson::error_message(err));
      return;
    }
    if (doc.type() != element_type::OBJECT) {
      Reject(in, source, line, "$", text.substr(0, 80),
             std::string("expected a resource object, found ") + TypeName(doc.type()));
      return;
    }
    object o = doc.get_object().value_unsafe();
    std::string_view type;
    element t;
    if (o.at_key("resourceType").get(t) != simdjson::SUCCESS ||
        t.get_string().get(type) != simdjson::SUCCESS) {
      Reject(in, source, line, "resourceType", "", "missing or not a string");
      return;
    }
    if (type == "Bundle") {
      Walker w;
      size_t entries = 0;
      w.Each(o, "entry", "", [&](const object& entry, const std::string& p) {
        auto r = w.Obj(entry, "resource", p);
        if (!r) {
          return;
        }
        ++entries;
        Resource(in, source, line, *r, p.substr(1) + ".resource");
      });
      if (w.problem) {
        Reject(in, source, line, w.problem->path.substr(1), w.problem->value, w.problem->reason);
      }
      return;
    }
    Resource(in, source, line, o, "");
  }

  void Resource(const FhirInput& in, uint32_t source, uint32_t line, const object& o,
                const std::string& path) {
    ++resources_;
    Walker w;
    auto type = w.Str(o, "resourceType", path);
    if (!type) {
      Reject(in, source, line, path.empty() ? "resourceType" : path + ".resourceType", "",
             w.problem ? w.problem->reason : "missing resourceType");
      return;
    }
    // Paths in reports are relative to the line's resource: "item[2].adjudication[0]...".
    const std::string& root = path;
    auto report_problem = [&]() {
      std::string p = w.problem->path;
      if (!p.empty() && p[0] == '.') {
        p.erase(0, 1);
      }
      Reject(in, source, line, p, w.problem->value,
             fmt::format("{}: {}", *type, w.problem->reason));
    };
    if (*type == "ExplanationOfBenefit") {
      Eob e;
      ReadEob(w, o, root, in, line, &e);
      if (e.kind == Kind::kPharmacy && !pharmacy_) {
        ++pharmacy_passed_over_;
        return;
      }
      if (w.problem) {
        return report_problem();
      }
      if (e.id.empty()) {
        e.id = fmt::format("{}#{}", in.name, line);
      }
      const auto [first, inserted] = eob_ids_.emplace(e.id, SourceRef{source, line});
      if (!inserted) {
        // The same claim delivered twice: its lines repeat the first one's keys (duplicate_key).
        const SourceRef f = first->second;
        Reject(in, source, line, root.empty() ? "id" : root + ".id",
               fmt::format("ExplanationOfBenefit {} (first at {}:{})", e.id,
                           ds_->sources[f.file].path, f.line),
               std::string(kRejectDuplicateKey));
        Money paid, allowed;
        for (const Line& l : e.lines) {
          paid += l.amounts.paid.value_or(Money());
          allowed += l.amounts.allowed.value_or(Money());
        }
        // As EmitEob spreads them: a claim-level amount stands for the claim.
        if (e.kind != Kind::kPharmacy && e.header_paid) {
          paid = *e.header_paid;
        }
        if (e.kind != Kind::kPharmacy && e.header_allowed) {
          allowed = *e.header_allowed;
        }
        report_->rejects.back().paid = paid;
        report_->rejects.back().allowed = allowed;
        ++report_->counters[fmt::format(
            "{}.{}", e.kind == Kind::kPharmacy ? "pharmacy_claim" : "medical_claim",
            kRejectDuplicateKey)];
        return;
      }
      EmitEob(e, SourceRef{source, line});
      ++report_->counters["fhir.explanation_of_benefit"];
    } else if (*type == "Patient") {
      auto id = w.Str(o, "id", root);
      if (!id || id->empty()) {
        if (!w.problem) {
          w.Fail(root + ".id", "a Patient needs an id");
        }
        return report_problem();
      }
      Patient p;
      if (auto g = w.Str(o, "gender", root)) {
        p.sex = *g == "male" ? 'M' : (*g == "female" ? 'F' : 'U');
      }
      if (auto b = w.DateAt(o, "birthDate", root)) {
        p.birth = *b;
      }
      if (auto dd = w.Member(o, "deceasedDateTime")) {
        (void)dd;
        if (auto d = w.DateAt(o, "deceasedDateTime", root)) {
          p.death = *d;
        }
      }
      ReadPlaceAndRace(o, &p);
      if (w.problem) {
        return report_problem();
      }
      patients_[std::string(*id)] = p;
      const uint32_t member = ds_->members.Intern(*id);
      members_seen_.insert(member);
      // The Patient states the member's demographics whether or not a Coverage gives a span.
      ds_->demographics.Add(member, p.sex, p.birth, p.death, kNoCode, kNoCode, kNoCode,
                            SourceRef{source, line});
      ++report_->counters["fhir.patient"];
    } else if (*type == "Coverage") {
      Coverage c;
      auto ben = w.Obj(o, "beneficiary", root);
      std::optional<std::string_view> ref;
      if (ben) {
        ref = w.Str(*ben, "reference", root + ".beneficiary");
      }
      if (!ref || ReferenceId(*ref).empty()) {
        if (!w.problem) {
          w.Fail(root + ".beneficiary.reference", "a Coverage needs a beneficiary");
        }
        return report_problem();
      }
      c.member = std::string(ReferenceId(*ref));
      if (auto period = w.Obj(o, "period", root)) {
        c.start = w.DateAt(*period, "start", root + ".period");
        c.end = w.DateAt(*period, "end", root + ".period");
      }
      w.Each(o, "extension", root, [&](const object& ext, const std::string& p) {
        auto url = w.Str(ext, "url", p);
        auto vc = w.Obj(ext, "valueCoding", p);
        if (!url || !vc) {
          return;
        }
        auto code = w.Str(*vc, "code", p + ".valueCoding");
        if (!code || code->empty()) {
          return;
        }
        const std::string_view leaf = Leaf(*url);
        if (leaf == "ms_cd") {
          c.medicare_status = std::string(*code);
        } else if (leaf == "orec") {
          c.orec = std::string(*code);
        } else if (leaf.substr(0, 5) == "dual_" && leaf.size() == 7) {
          c.dual = std::string(*code);  // monthly codes in month order: the last one stands
        }
      });
      if (auto grouping = w.Obj(o, "grouping", root)) {
        if (auto sp = w.Str(*grouping, "subPlan", root + ".grouping")) {
          c.plan = std::string(*sp);
        }
      }
      w.Each(o, "class", root, [&](const object& cl, const std::string& p) {
        if (auto v = w.Str(cl, "value", p); v && c.plan.empty()) {
          c.plan = std::string(*v);
        }
      });
      if (w.problem) {
        return report_problem();
      }
      c.source = SourceRef{source, line};
      const uint32_t member = ds_->members.Intern(c.member);
      members_seen_.insert(member);
      // Dual, Medicare status and OREC codes hold for the member even when the Coverage has no
      // period (Blue Button STU3 Coverages usually have none).
      if (!c.dual.empty() || !c.medicare_status.empty() || !c.orec.empty()) {
        ds_->demographics.Add(member, 'U', kNoDate, kNoDate, Code(c.dual), Code(c.medicare_status),
                              Code(c.orec), c.source);
      }
      coverages_.push_back(std::move(c));
      ++report_->counters["fhir.coverage"];
    } else {
      ++ignored_[std::string(*type)];
      ++report_->counters["fhir.resources_skipped"];
    }
  }

  void ReadEob(Walker& w, const object& o, const std::string& root, const FhirInput& in,
               uint32_t line, Eob* e) {
    (void)in;
    (void)line;
    // The type first: a pharmacy claim that the run leaves out is read no further.
    const auto type = w.CodingsOf(o, "type", root);
    const auto sub = w.CodingsOf(o, "subType", root);
    e->kind = KindFromCodings(type, sub);
    if (w.problem || (e->kind == Kind::kPharmacy && !pharmacy_)) {
      return;
    }
    if (auto id = w.Str(o, "id", root)) {
      e->id = std::string(*id);
    }
    auto patient = w.Obj(o, "patient", root);
    std::optional<std::string_view> ref;
    if (patient) {
      ref = w.Str(*patient, "reference", root + ".patient");
    }
    if (!ref || ReferenceId(*ref).empty()) {
      w.Fail(root + ".patient.reference", "an ExplanationOfBenefit needs a patient reference");
      return;
    }
    e->patient = std::string(ReferenceId(*ref));
    if (e->kind == Kind::kUnknown) {
      w.Fail(root + ".type.coding",
             "no recognised claim type (eob-type, nch_clm_type_cd or "
             "CARIN claim-type)");
      return;
    }
    for (const auto& [system, code] : type) {
      if (EndsWith(system, "clm_srvc_clsfctn_type_cd")) {
        e->classification = std::string(code);
      }
    }
    const bool pharmacy = e->kind == Kind::kPharmacy;
    if (auto bp = w.Obj(o, "billablePeriod", root)) {
      if (auto s = w.DateAt(*bp, "start", root + ".billablePeriod")) {
        e->start = *s;
      }
      if (auto x = w.DateAt(*bp, "end", root + ".billablePeriod")) {
        e->end = *x;
      }
    }
    if (auto h = w.Obj(o, "hospitalization", root)) {
      if (auto s = w.DateAt(*h, "start", root + ".hospitalization")) {
        e->admission = *s;
      }
      if (auto x = w.DateAt(*h, "end", root + ".hospitalization")) {
        e->discharge = *x;
      }
    }
    w.Each(o, "diagnosis", root, [&](const object& d, const std::string& p) {
      const int64_t seq = w.Int(d, "sequence", p).value_or(static_cast<int64_t>(e->dx.size() + 1));
      auto codes = w.CodingsOf(d, "diagnosisCodeableConcept", p);
      for (const auto& [system, code] : codes) {
        if (!code.empty()) {
          e->dx.emplace_back(seq, NormalizeCode(code));
          break;
        }
      }
      if (auto pkg = w.Obj(d, "packageCode", p)) {  // STU3 carries the DRG here
        for (const auto& [system, code] : w.Codings(*pkg, p + ".packageCode")) {
          if (!code.empty() && e->drg.empty()) {
            e->drg = std::string(code);
          }
        }
      }
    });
    w.Each(o, "procedure", root, [&](const object& d, const std::string& p) {
      const int64_t seq = w.Int(d, "sequence", p).value_or(static_cast<int64_t>(e->px.size() + 1));
      for (const auto& [system, code] : w.CodingsOf(d, "procedureCodeableConcept", p)) {
        if (!code.empty()) {
          e->px.emplace_back(seq, NormalizeCode(code));
          break;
        }
      }
    });
    auto supporting = [&](const object& info, const std::string& p) {
      std::string_view what;
      for (const auto& [system, code] : w.CodingsOf(info, "category", p)) {
        const std::string_view leaf = Leaf(code);
        if (leaf == "nch_wkly_proc_dt" || leaf == "clm_freq_cd" || leaf == "ptnt_dschrg_stus_cd" ||
            leaf == "discharge-status" || leaf == "typeofbill" || leaf == "drg" ||
            leaf == "clm_drg_cd" || leaf == "admissionperiod") {
          what = leaf;
          break;
        }
      }
      if (what.empty()) {
        return;
      }
      if (what == "nch_wkly_proc_dt") {
        if (auto d = w.DateAt(info, "timingDate", p); d && e->paid_date == kNoDate) {
          e->paid_date = *d;
        }
        return;
      }
      if (what == "admissionperiod") {
        if (auto tp = w.Obj(info, "timingPeriod", p)) {
          if (auto s = w.DateAt(*tp, "start", p + ".timingPeriod")) {
            e->admission = *s;
          }
          if (auto x = w.DateAt(*tp, "end", p + ".timingPeriod")) {
            e->discharge = *x;
          }
        }
        return;
      }
      std::string value;
      for (const auto& [system, code] : w.CodingsOf(info, "code", p)) {
        if (!code.empty()) {
          value = std::string(code);
          break;
        }
      }
      if (value.empty()) {
        return;
      }
      if (what == "clm_freq_cd") {
        e->frequency = value;
      } else if (what == "typeofbill") {
        e->bill_type = value;
      } else if (what == "drg" || what == "clm_drg_cd") {
        e->drg = value;
      } else {
        e->discharge_status = value;
      }
    };
    w.Each(o, "information", root, supporting);     // STU3
    w.Each(o, "supportingInfo", root, supporting);  // R4
    if (auto fac = w.Obj(o, "facility", root)) {
      e->facility_npi = Npi(w, *fac, root + ".facility");
      w.Each(*fac, "extension", root + ".facility", [&](const object& ext, const std::string& p) {
        auto url = w.Str(ext, "url", p);
        if (!url || Leaf(*url) != "clm_fac_type_cd") {
          return;
        }
        if (auto vc = w.Obj(ext, "valueCoding", p)) {
          if (auto c = w.Str(*vc, "code", p + ".valueCoding")) {
            e->fac_type = std::string(*c);
          }
        }
      });
    }
    if (auto org = w.Obj(o, "organization", root)) {
      e->billing_npi = Npi(w, *org, root + ".organization");
    }
    if (auto prov = w.Obj(o, "provider", root)) {
      const std::string npi = Npi(w, *prov, root + ".provider");
      if (!npi.empty()) {
        e->billing_npi = npi;
      }
    }
    w.Each(o, "careTeam", root, [&](const object& ct, const std::string& p) {
      auto prov = w.Obj(ct, "provider", p);
      if (!prov) {
        return;
      }
      const std::string npi = Npi(w, *prov, p + ".provider");
      if (npi.empty()) {
        return;
      }
      for (const auto& [system, code] : w.CodingsOf(ct, "role", p)) {
        if ((code == "primary" || code == "performing" || code == "rendering" ||
             code == "attending") &&
            e->rendering_npi.empty()) {
          e->rendering_npi = npi;
        }
        if ((code == "prescribing" || code == "primary") && e->prescribing_npi.empty()) {
          e->prescribing_npi = npi;
        }
      }
    });
    w.Each(o, "item", root, [&](const object& it, const std::string& p) {
      Line l;
      l.sequence = static_cast<int32_t>(
          w.Int(it, "sequence", p).value_or(static_cast<int64_t>(e->lines.size() + 1)));
      for (const auto& [system, code] : w.CodingsOf(it, "revenue", p)) {
        if (!code.empty() && l.revenue.empty()) {
          l.revenue = std::string(code);
        }
      }
      // STU3 item.service, R4 item.productOrService: HCPCS/CPT or (pharmacy) NDC.
      for (const char* key : {"service", "productOrService"}) {
        for (const auto& [system, code] : w.CodingsOf(it, key, p)) {
          if (code.empty()) {
            continue;
          }
          if (EndsWith(system, "ndc")) {
            if (l.ndc.empty()) {
              l.ndc = std::string(code);
            }
          } else if (l.hcpcs.empty() &&
                     (system.find("hcpcs") != std::string_view::npos ||
                      system.find("cpt") != std::string_view::npos || system.empty())) {
            l.hcpcs = std::string(code);
          }
        }
      }
      w.Each(it, "modifier", p, [&](const object& m, const std::string& mp) {
        for (const auto& [system, code] : w.Codings(m, mp)) {
          if (!code.empty() && l.modifier.empty()) {
            l.modifier = std::string(code);
          }
        }
      });
      for (const auto& [system, code] : w.CodingsOf(it, "locationCodeableConcept", p)) {
        if (!code.empty() && l.pos.empty()) {
          l.pos = std::string(code);
        }
      }
      if (auto d = w.DateAt(it, "servicedDate", p)) {
        l.start = l.end = *d;
      }
      if (auto sp = w.Obj(it, "servicedPeriod", p)) {
        if (auto s = w.DateAt(*sp, "start", p + ".servicedPeriod")) {
          l.start = *s;
        }
        if (auto x = w.DateAt(*sp, "end", p + ".servicedPeriod")) {
          l.end = *x;
        }
      }
      l.amounts = ReadAdjudications(w, it, "adjudication", p, pharmacy);
      e->lines.push_back(std::move(l));
    });
    if (auto pay = w.Obj(o, "payment", root)) {
      if (auto amount = w.Obj(*pay, "amount", root + ".payment")) {
        e->header_paid = w.Amount(*amount, "value", root + ".payment.amount");
      }
      if (auto d = w.DateAt(*pay, "date", root + ".payment")) {
        e->paid_date = *d;
      }
    }
    if (auto tc = w.Obj(o, "totalCost", root)) {  // STU3: the submitted charge
      e->header_charge = w.Amount(*tc, "value", root + ".totalCost");
    }
    Amounts totals = ReadAdjudications(w, o, "total", root, pharmacy);
    if (!e->header_paid && !pharmacy) {
      e->header_paid = totals.paid;
    }
    if (!e->header_charge) {
      e->header_charge = totals.charge;
    }
    e->header_allowed = totals.allowed;
  }

  uint32_t Code(std::string_view s) { return s.empty() ? kNoCode : ds_->codes.Intern(s); }

  void EmitEob(Eob& e, SourceRef src) {
    const uint32_t member = ds_->members.Intern(e.patient);
    members_seen_.insert(member);
    const uint32_t claim = ds_->claim_ids.Intern(e.id);
    if (e.end != kNoDate && (latest_service_ == kNoDate || e.end > latest_service_)) {
      latest_service_ = e.end;
    }
    if (e.kind == Kind::kPharmacy) {
      if (e.lines.empty()) {
        e.lines.push_back(Line{});
      }
      for (const Line& l : e.lines) {
        auto& p = ds_->pharmacy;
        p.claim.push_back(claim);
        p.line_number.push_back(l.sequence ? l.sequence : 1);
        p.member.push_back(member);
        p.dispensing_date.push_back(l.start != kNoDate ? l.start : e.start);
        p.paid_date.push_back(e.paid_date);
        p.ndc.push_back(Code(l.ndc));
        p.prescribing_npi.push_back(Code(e.prescribing_npi));
        p.dispensing_npi.push_back(Code(e.billing_npi.empty() ? e.facility_npi : e.billing_npi));
        p.paid.push_back(l.amounts.paid.value_or(Money()));
        p.allowed.push_back(l.amounts.allowed.value_or(Money()));
        p.source.push_back(src);
      }
      return;
    }
    std::stable_sort(e.dx.begin(), e.dx.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::stable_sort(e.px.begin(), e.px.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<uint32_t> dx, px;
    for (const auto& [seq, code] : e.dx) {
      const uint32_t c = ds_->codes.Intern(code);
      if (std::find(dx.begin(), dx.end(), c) == dx.end()) {
        dx.push_back(c);
      }
    }
    for (const auto& [seq, code] : e.px) {
      const uint32_t c = ds_->codes.Intern(code);
      if (std::find(px.begin(), px.end(), c) == px.end()) {
        px.push_back(c);
      }
    }
    const bool institutional = e.kind == Kind::kInpatient || e.kind == Kind::kOutpatient ||
                               e.kind == Kind::kSnf || e.kind == Kind::kHomeHealth ||
                               e.kind == Kind::kHospice || e.kind == Kind::kInstitutional;
    const ClaimType ct = institutional          ? ClaimType::kInstitutional
                         : e.kind == Kind::kDme ? ClaimType::kDme
                                                : ClaimType::kProfessional;
    std::string bill_type = e.bill_type;
    if (bill_type.empty() && institutional && !e.fac_type.empty()) {
      bill_type = e.fac_type + e.classification + e.frequency;
    }
    const bool inpatient = e.kind == Kind::kInpatient || e.kind == Kind::kSnf;
    if (inpatient && e.admission == kNoDate) {
      e.admission = e.start;
    }
    if (inpatient && e.discharge == kNoDate) {
      e.discharge = e.end;
    }
    if (e.lines.empty()) {
      e.lines.push_back(Line{});
    }
    std::stable_sort(e.lines.begin(), e.lines.end(),
                     [](const Line& a, const Line& b) { return a.sequence < b.sequence; });
    // As for CCLF (IP 3.5): the claim payment is authoritative; line payments are used only when
    // they add up to it. Allowed and charge amounts follow the same rule.
    auto settle = [&](auto get, const std::optional<Money>& header) {
      std::vector<Money> out(e.lines.size());
      Money sum;
      bool any = false;
      for (size_t i = 0; i < e.lines.size(); ++i) {
        if (auto v = get(e.lines[i])) {
          out[i] = *v;
          sum += *v;
          any = true;
        }
      }
      if (header && (!any || sum != *header)) {
        std::fill(out.begin(), out.end(), Money());
        out[0] = *header;
      }
      return out;
    };
    const auto paid = settle([](const Line& l) { return l.amounts.paid; }, e.header_paid);
    const auto allowed = settle([](const Line& l) { return l.amounts.allowed; }, e.header_allowed);
    const auto charge = settle([](const Line& l) { return l.amounts.charge; }, e.header_charge);
    auto& m = ds_->medical;
    for (size_t i = 0; i < e.lines.size(); ++i) {
      const Line& l = e.lines[i];
      m.claim.push_back(claim);
      m.line_number.push_back(l.sequence ? l.sequence : static_cast<int32_t>(i + 1));
      m.member.push_back(member);
      m.claim_type.push_back(ct);
      m.claim_start.push_back(e.start);
      m.claim_end.push_back(e.end);
      m.line_start.push_back(l.start != kNoDate ? l.start : e.start);
      m.line_end.push_back(l.end != kNoDate ? l.end : e.end);
      m.admission.push_back(e.admission);
      m.discharge.push_back(e.discharge);
      m.paid_date.push_back(e.paid_date);
      m.place_of_service.push_back(Code(l.pos));
      m.bill_type.push_back(Code(bill_type));
      m.drg.push_back(Code(e.drg));
      m.revenue_code.push_back(Code(l.revenue));
      m.hcpcs.push_back(Code(l.hcpcs));
      m.hcpcs_modifier_1.push_back(Code(l.modifier));
      m.rendering_npi.push_back(Code(e.rendering_npi));
      m.billing_npi.push_back(Code(e.billing_npi));
      m.facility_npi.push_back(Code(e.facility_npi));
      m.rendering_tin.push_back(kNoCode);
      m.billing_tin.push_back(kNoCode);
      m.discharge_disposition.push_back(Code(e.discharge_status));
      m.paid.push_back(paid[i]);
      m.allowed.push_back(allowed[i]);
      m.charge.push_back(charge[i]);
      m.category.push_back(ServiceCategory::kOther);
      m.dx_code.insert(m.dx_code.end(), dx.begin(), dx.end());
      m.dx_offset.push_back(static_cast<uint32_t>(m.dx_code.size()));
      m.px_code.insert(m.px_code.end(), px.begin(), px.end());
      m.px_offset.push_back(static_cast<uint32_t>(m.px_code.size()));
      m.source.push_back(src);
    }
  }

  // Coverage periods become enrollment spans, merged per member (Part A, B and D coverages of
  // one person overlap); demographics come from the Patient resource.
  void EmitEligibility() {
    struct Span {
      Date start, end;
      const Coverage* c;
    };
    std::map<uint32_t, std::vector<Span>> spans;
    uint64_t without = 0, open = 0;
    const Date open_end =
        latest_service_ != kNoDate ? Date::FromCivil(latest_service_.year(), 12, 31) : kNoDate;
    for (const Coverage& c : coverages_) {
      if (!c.start) {
        ++without;
        continue;
      }
      Date end = c.end.value_or(kNoDate);
      if (end == kNoDate) {
        ++open;
        end = open_end != kNoDate && open_end >= *c.start
                  ? open_end
                  : Date::FromCivil(c.start->year(), 12, 31);
      }
      if (end < *c.start) {
        continue;
      }
      spans[ds_->members.Intern(c.member)].push_back({*c.start, end, &c});
    }
    if (without > 0) {
      report_->notes.push_back(fmt::format(
          "FHIR: {} Coverage resource(s) without a period; no enrollment span made for them",
          without));
      report_->counters["fhir.coverage_without_period"] += without;
    }
    if (open > 0) {
      report_->notes.push_back(fmt::format(
          "FHIR: {} Coverage period(s) without an end; taken to run to the end of the latest "
          "year with claims",
          open));
    }
    const uint32_t medicare = ds_->codes.Intern("medicare");
    for (auto& [member, list] : spans) {
      std::sort(list.begin(), list.end(),
                [](const Span& a, const Span& b) { return a.start < b.start; });
      std::vector<Span> merged;
      for (const Span& s : list) {
        if (!merged.empty() && s.start <= merged.back().end + 1) {
          merged.back().end = std::max(merged.back().end, s.end);
        } else {
          merged.push_back(s);
        }
      }
      const std::string id(ds_->members.Get(member));
      Patient p;
      if (auto it = patients_.find(id); it != patients_.end()) {
        p = it->second;
      }
      for (const Span& s : merged) {
        auto& el = ds_->eligibility;
        el.member.push_back(member);
        el.start.push_back(s.start);
        el.end.push_back(p.death != kNoDate && p.death >= s.start && p.death < s.end ? p.death
                                                                                     : s.end);
        el.payer.push_back(medicare);
        el.plan.push_back(kNoCode);
        el.sex.push_back(p.sex);
        el.birth_date.push_back(p.birth);
        el.death_date.push_back(p.death);
        el.dual_status.push_back(Code(s.c->dual));
        el.medicare_status.push_back(Code(s.c->medicare_status));
        el.orec.push_back(Code(s.c->orec));
        for (auto [col, v] : {std::pair{&el.race, &p.race}, std::pair{&el.ethnicity, &p.ethnicity},
                              std::pair{&el.state, &p.state}, std::pair{&el.zip3, &p.zip3}}) {
          col->push_back(v->empty() ? kNoCode : ds_->codes.Intern(*v));
        }
        el.source.push_back(s.c->source);
      }
    }
  }
};

}  // namespace

Status LoadFhirFiles(const std::vector<FhirInput>& files, Dataset* dataset, IngestReport* report,
                     const FhirOptions& options) {
  Reader r(dataset, report, options.pharmacy);
  for (const auto& f : files) {
    r.File(f);
  }
  r.Finish(options);
  if (r.resources() == 0 && report->rejects.empty()) {
    return NotFound("no FHIR resources found");
  }
  return Status::Ok();
}

namespace {

bool IsFhirCandidate(const std::filesystem::path& p, std::string_view head) {
  const std::string ext = p.extension().string();
  if (ext == ".ndjson" || ext == ".json") {
    return true;
  }
  if (!ext.empty()) {
    return false;
  }
  const size_t first = head.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && head[first] == '{';
}

// The FHIR files at any depth below `dir` (others into *other); a folder or an extensionless
// file that cannot be read is an error, never a shorter list.
Result<std::vector<std::string>> FhirFilesBelow(const std::string& dir, const FileSystem& files,
                                                std::vector<std::string>* other) {
  auto all = files.ListRecursive(dir);
  if (!all.ok()) {
    return all.status();
  }
  std::vector<std::string> out;
  for (const auto& p : *all) {
    const std::filesystem::path path(p);
    std::string head;
    if (path.extension().empty()) {
      auto h = files.Head(p, 64);
      if (!h.ok()) {
        return h.status();
      }
      head = std::move(*h);
    }
    if (IsFhirCandidate(path, head)) {
      out.push_back(p);
    } else if (other) {
      other->push_back(p);
    }
  }
  return out;
}

}  // namespace

Result<bool> LooksLikeFhirDirectory(const std::string& dir, const FileSystem& files) {
  auto found = FhirFilesBelow(dir, files, nullptr);
  if (!found.ok()) {
    return found.status();
  }
  for (const auto& p : *found) {
    if (EndsWith(p, ".ndjson")) {
      return true;
    }
    auto h = files.Head(p, 4096);
    if (!h.ok()) {
      return h.status();
    }
    if (h->find("\"resourceType\"") != std::string::npos) {
      return true;
    }
  }
  return false;
}

Status LoadFhirDirectory(const std::string& dir, Dataset* dataset, IngestReport* report,
                         const FhirOptions& options, const FileSystem& files) {
  if (files.Kind(dir) != FileKind::kDirectory) {
    return NotFound("no such directory: " + dir);
  }
  std::vector<std::string> other;
  auto found = FhirFilesBelow(dir, files, &other);
  if (!found.ok()) {
    return found.status();
  }
  const std::vector<std::string>& paths = *found;
  if (paths.empty()) {
    return NotFound(dir + ": no .ndjson or .json files");
  }
  for (const auto& p : other) {
    report->notes.push_back(fmt::format("FHIR: ignored {} (not .ndjson or .json)", p));
  }
  std::vector<FileBytes> maps;
  std::vector<FhirInput> inputs;
  for (const auto& p : paths) {
    auto m = files.Map(p);
    if (!m.ok()) {
      return m.status();
    }
    maps.push_back(std::move(m).value());
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    inputs.push_back({paths[i], maps[i].data()});
  }
  return LoadFhirFiles(inputs, dataset, report, options);
}

}  // namespace valuepact::fhir
