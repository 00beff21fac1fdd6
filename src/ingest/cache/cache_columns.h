#pragma once
// Every column of the dataset, the program data and the ingest report, listed once: the cache
// writer and reader (dataset_cache.cc) both walk this list, so what is written is what is read.
// `D`, `P` and `R` are the tables, const for the writer. A visitor has:
//   Column(name, vector<T>&, limit)  T trivially copyable; `limit`: ids must be below it (or be
//                                    kNoCode), enums below it; 0 = unchecked
//   Strings(name, vector<string>&)   Interner(name, StringInterner&, IdLookup)
//   Records(name, vector<Rec>&, fields)  one column per field (a tuple of Field{suffix, member})
//   Counters(name, map<string, uint64_t>&)   Count(name, uint64_t&)
// Columns are visited after the interners they refer to, so a reader knows the limits.
#include <cstdint>
#include <tuple>

#include "valuepact/dataset/dataset.h"
#include "valuepact/dataset/program_data.h"
#include "valuepact/ingest/ingest_report.h"

namespace valuepact::cache {

// Records (input files, rejects) stored as one column per field.
template <class Rec, class T>
struct Field {
  const char* suffix;
  T Rec::*member;
};
template <class Rec, class T>
Field(const char*, T Rec::*) -> Field<Rec, T>;

inline const auto kSourceFields = std::make_tuple(
    Field{".path", &SourceFile::path}, Field{".table", &SourceFile::table},
    Field{".format", &SourceFile::format}, Field{".sha256", &SourceFile::sha256},
    Field{".modified", &SourceFile::modified}, Field{".rows_read", &SourceFile::rows_read},
    Field{".rows_rejected", &SourceFile::rows_rejected}, Field{".bytes", &SourceFile::bytes});
inline const auto kRejectFields = std::make_tuple(
    Field{".file", &Reject::file}, Field{".field", &Reject::field}, Field{".value", &Reject::value},
    Field{".reason", &Reject::reason}, Field{".line", &Reject::line}, Field{".paid", &Reject::paid},
    Field{".allowed", &Reject::allowed});

// Whether a run looks values of an id table up once the data is read (the reader then indexes
// the table; StringInterner::InternAllDistinct). Members and codes are looked up, but a part's
// (or a rank's chunk's) are only read by id until they are merged into tables that are indexed;
// no one looks a claim id up; the program text is looked up, a part's too (part 0's becomes the
// whole dataset's as it is).
enum class IdLookup : uint8_t { kLookedUp, kLookedUpWhole, kNever };

// Limits the reader checks ids against, known once the interners are read.
struct IdLimits {
  uint64_t members = 0, claims = 0, codes = 0, sources = 0, text = 0, deliveries = 0;
};

template <class D, class V>
void VisitEligibility(D& d, const IdLimits& n, V& v) {
  auto& e = d.eligibility;
  v.Column("eligibility.member", e.member, n.members);
  v.Column("eligibility.start", e.start, 0);
  v.Column("eligibility.end", e.end, 0);
  v.Codes("eligibility.payer", e.payer, n.codes);
  v.Codes("eligibility.plan", e.plan, n.codes);
  v.Column("eligibility.sex", e.sex, 0);
  v.Column("eligibility.birth_date", e.birth_date, 0);
  v.Column("eligibility.death_date", e.death_date, 0);
  v.Codes("eligibility.dual_status", e.dual_status, n.codes);
  v.Codes("eligibility.medicare_status", e.medicare_status, n.codes);
  v.Codes("eligibility.orec", e.orec, n.codes);
  v.Codes("eligibility.race", e.race, n.codes);
  v.Codes("eligibility.ethnicity", e.ethnicity, n.codes);
  v.Codes("eligibility.state", e.state, n.codes);
  v.Codes("eligibility.zip3", e.zip3, n.codes);
  v.Column("eligibility.source", e.source, n.sources);
}

template <class D, class V>
void VisitMedical(D& d, const IdLimits& n, V& v) {
  auto& m = d.medical;
  v.Column("medical.claim", m.claim, n.claims);
  v.Column("medical.line_number", m.line_number, 0);
  v.Column("medical.member", m.member, n.members);
  v.Column("medical.claim_type", m.claim_type, 4);
  for (auto [name, col] : {std::pair{"medical.claim_start", &m.claim_start},
                           {"medical.claim_end", &m.claim_end},
                           {"medical.line_start", &m.line_start},
                           {"medical.line_end", &m.line_end},
                           {"medical.admission", &m.admission},
                           {"medical.discharge", &m.discharge},
                           {"medical.paid_date", &m.paid_date}}) {
    v.Column(name, *col, 0);
  }
  for (auto [name, col] : {std::pair{"medical.place_of_service", &m.place_of_service},
                           {"medical.bill_type", &m.bill_type},
                           {"medical.drg", &m.drg},
                           {"medical.revenue_code", &m.revenue_code},
                           {"medical.hcpcs", &m.hcpcs},
                           {"medical.hcpcs_modifier_1", &m.hcpcs_modifier_1},
                           {"medical.rendering_npi", &m.rendering_npi},
                           {"medical.billing_npi", &m.billing_npi},
                           {"medical.facility_npi", &m.facility_npi},
                           {"medical.rendering_tin", &m.rendering_tin},
                           {"medical.billing_tin", &m.billing_tin},
                           {"medical.discharge_disposition", &m.discharge_disposition},
                           {"medical.dx_code", &m.dx_code},
                           {"medical.px_code", &m.px_code}}) {
    v.Codes(name, *col, n.codes);
  }
  v.Column("medical.paid", m.paid, 0);
  v.Column("medical.allowed", m.allowed, 0);
  v.Column("medical.charge", m.charge, 0);
  v.Column("medical.category", m.category, kServiceCategoryCount);
  v.Column("medical.dx_offset", m.dx_offset, 0);
  v.Column("medical.px_offset", m.px_offset, 0);
  v.Codes("medical.dx_first", m.dx_first, n.codes);
  v.Column("medical.dx_listed", m.dx_listed, 0);
  v.Column("medical.dx_misshapen", m.dx_misshapen, 0);
  v.Column("medical.source", m.source, n.sources);
}

template <class D, class V>
void VisitPharmacy(D& d, const IdLimits& n, V& v) {
  auto& p = d.pharmacy;
  v.Column("pharmacy.claim", p.claim, n.claims);
  v.Column("pharmacy.line_number", p.line_number, 0);
  v.Column("pharmacy.member", p.member, n.members);
  v.Column("pharmacy.dispensing_date", p.dispensing_date, 0);
  v.Column("pharmacy.paid_date", p.paid_date, 0);
  v.Codes("pharmacy.ndc", p.ndc, n.codes);
  v.Codes("pharmacy.prescribing_npi", p.prescribing_npi, n.codes);
  v.Codes("pharmacy.dispensing_npi", p.dispensing_npi, n.codes);
  v.Column("pharmacy.paid", p.paid, 0);
  v.Column("pharmacy.allowed", p.allowed, 0);
  v.Column("pharmacy.source", p.source, n.sources);
}

template <class D, class V>
void VisitMembers(D& d, const IdLimits& n, V& v) {
  auto& g = d.demographics;
  v.Column("demographics.member", g.member, n.members);
  v.Column("demographics.sex", g.sex, 0);
  v.Column("demographics.birth_date", g.birth_date, 0);
  v.Column("demographics.death_date", g.death_date, 0);
  v.Codes("demographics.dual_status", g.dual_status, n.codes);
  v.Codes("demographics.medicare_status", g.medicare_status, n.codes);
  v.Codes("demographics.orec", g.orec, n.codes);
  v.Column("demographics.source", g.source, n.sources);
  auto& x = d.deliveries;  // names: VisitAll
  v.Strings("deliveries.format", x.format);
  v.Column("deliveries.file_date", x.file_date, 0);
  v.Column("deliveries.performance_year", x.performance_year, 0);
  v.Column("deliveries.run_out", x.run_out, 2);
  v.Column("deliveries.member_count", x.member_count, 0);
  v.Column("deliveries.claim_count", x.claim_count, 0);
  auto& c = d.claim_versions;
  v.Column("claim_versions.version", c.version, n.claims);
  v.Column("claim_versions.line_number", c.line_number, 0);
  v.Column("claim_versions.member", c.member, n.members);
  v.Column("claim_versions.part", c.part, 0);
  v.Column("claim_versions.adjustment_type", c.adjustment_type, 0);
  v.Codes("claim_versions.natural_key", c.natural_key, n.codes);
  v.Column("claim_versions.effective", c.effective, 0);
  v.Column("claim_versions.loaded", c.loaded, 0);
  v.Column("claim_versions.amount", c.amount, 0);
  v.Column("claim_versions.delivery", c.delivery, n.deliveries);
  v.Column("claim_versions.status", c.status, 0);
  v.Column("claim_versions.paired_with", c.paired_with, 0);
  v.Column("claim_versions.source", c.source, n.sources);
  auto& i = d.member_id_changes;
  v.Codes("member_id_changes.previous", i.previous, n.codes);
  v.Column("member_id_changes.current", i.current, n.members);
  v.Column("member_id_changes.effective", i.effective, 0);
  v.Column("member_id_changes.obsolete", i.obsolete, 0);
  v.Column("member_id_changes.delivery", i.delivery, n.deliveries);
}

template <class P, class V>
void VisitProgram(P& p, const IdLimits& n, V& v) {
  auto& r = p.referrals;
  v.Column("referrals.member", r.member, n.members);
  v.Column("referrals.referral_date", r.referral_date, 0);
  v.Codes("referrals.source_text", r.source_text, n.text);
  v.Codes("referrals.reason_text", r.reason_text, n.text);
  v.Column("referrals.outcome", r.outcome, kReferralOutcomeNames.size());
  v.Column("referrals.decision_date", r.decision_date, 0);
  v.Column("referrals.source", r.source, n.sources);
  auto& e = p.enrollments;
  v.Column("enrollments.member", e.member, n.members);
  v.Column("enrollments.start", e.start, 0);
  v.Column("enrollments.end", e.end, 0);
  v.Column("enrollments.setting", e.setting, kCareSettingNames.size());
  v.Codes("enrollments.end_reason_text", e.end_reason_text, n.text);
  v.Column("enrollments.source", e.source, n.sources);
  auto& s = p.visits;
  v.Column("visits.member", s.member, n.members);
  v.Column("visits.date", s.date, 0);
  v.Column("visits.discipline", s.discipline, kDisciplineNames.size());
  v.Column("visits.modality", s.modality, kModalityNames.size());
  v.Column("visits.minutes", s.minutes, 0);
  v.Column("visits.travel_minutes", s.travel_minutes, 0);
  v.Column("visits.source", s.source, n.sources);
  auto& b = p.bookings;
  v.Column("bookings.member", b.member, n.members);
  v.Column("bookings.date", b.date, 0);
  v.Column("bookings.status", b.status, kVisitStatusNames.size());
  v.Column("bookings.source", b.source, n.sources);
  auto& x = p.events;
  v.Column("events.member", x.member, n.members);
  v.Column("events.date", x.date, 0);
  v.Column("events.event", x.event, kProgramEventNames.size());
  v.Column("events.value", x.value, 0);
  v.Codes("events.location_text", x.location_text, n.text);
  v.Codes("events.preferred_location_text", x.preferred_location_text, n.text);
  v.Column("events.source", x.source, n.sources);
}

// The whole cache body, interners first.
template <class D, class P, class R, class V>
void VisitAll(D& d, P& p, R& r, IdLimits* n, V& v) {
  v.Interner("members", d.members, IdLookup::kLookedUpWhole);
  v.Interner("claim_ids", d.claim_ids, IdLookup::kNever);
  v.Interner("codes", d.codes, IdLookup::kLookedUpWhole);
  v.Interner("program.text", p.text, IdLookup::kLookedUp);
  v.Records("sources", d.sources, kSourceFields);
  v.Strings("deliveries.name", d.deliveries.name);
  *n = {d.members.size(), d.claim_ids.size(), d.codes.size(),
        d.sources.size(), p.text.size(),      d.deliveries.name.size()};
  VisitEligibility(d, *n, v);
  VisitMedical(d, *n, v);
  VisitPharmacy(d, *n, v);
  VisitMembers(d, *n, v);
  VisitProgram(p, *n, v);
  v.Records("report.rejects", r.rejects, kRejectFields);
  v.Strings("report.notes", r.notes);
  v.Counters("report.counters", r.counters);
  v.Count("report.rounded_amounts", r.rounded_amounts);
}

}  // namespace valuepact::cache
